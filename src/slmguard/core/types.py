"""Typed values that cross module boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal, Mapping, Sequence


class Role(str, Enum):
    """Role of a data set: training pools may be trained on; evaluation sets never."""

    TRAINING_POOL = "training_pool"
    EVALUATION = "evaluation"


class Label(str, Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str


Conversation = Sequence[Message]


@dataclass(frozen=True)
class Example:
    """One text from a data set, with whatever weak evidence its source gives.

    `label` and `categories` are the set's own annotation mapped onto the taxonomy; for
    training pools they are only weak evidence, for evaluation sets they are the reference.
    """

    text: str
    source: str
    id: str
    label: Label | None = None
    categories: tuple[str, ...] = ()
    raw_category: str | None = None
    kind: Literal["prompt", "response"] = "prompt"
    meta: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    """What a detector says of one input."""

    unsafe: bool
    score: float
    category_scores: Mapping[str, float]
    threshold: float
    category_thresholds: Mapping[str, float]
    model_id: str
    latency_ms: float
    kind: Literal["prompt", "response"] = "prompt"

    @property
    def categories(self) -> list[str]:
        """Codes whose score reaches their threshold, highest first."""
        hits = [c for c, s in self.category_scores.items() if s >= self.category_thresholds.get(c, 0.5)]
        return sorted(hits, key=lambda c: -self.category_scores[c])

    def top_categories(self, k: int = 3) -> list[tuple[str, float]]:
        return sorted(self.category_scores.items(), key=lambda kv: -kv[1])[:k]

    def to_dict(self) -> dict:
        return {
            "unsafe": self.unsafe,
            "score": round(self.score, 6),
            "categories": self.categories,
            "category_scores": {k: round(v, 6) for k, v in self.category_scores.items()},
            "threshold": self.threshold,
            "category_thresholds": dict(self.category_thresholds),
            "model_id": self.model_id,
            "latency_ms": round(self.latency_ms, 3),
            "kind": self.kind,
        }


GuardInput = str | Sequence[Message] | Sequence[Mapping[str, str]]
