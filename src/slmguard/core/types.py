"""Typed values that cross module boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Literal, Mapping, Sequence


class Role(str, Enum):
    """Role of a data set: training pools may be trained on; evaluation sets never."""

    TRAINING_POOL = "training_pool"
    EVALUATION = "evaluation"


class Label(str, Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


class Kind(StrEnum):
    """What a text is to the guard: a prompt to a model, or a model's response (judged with its prompt)."""

    PROMPT = "prompt"
    RESPONSE = "response"


class Backend(StrEnum):
    """How the fast detector runs. ONNX_INT8 (the default) is the ONNX model with int8 weights
    (per-channel dynamic quantisation): about 2.5x faster than fp32 on CPU, verdicts checked against it
    by benchmarks/quantization_check.py. TORCH is eager PyTorch (needs the [train] extra)."""

    ONNX_INT8 = "onnx-int8"
    ONNX = "onnx"
    TORCH = "torch"


# Signals scored beside the hazards: not hazards of the taxonomy, but what a guard must see.
# `jailbreak`: an attempt to override the model's rules (personas, "ignore all previous
# instructions"); `harassment`: abuse aimed at a person. A flagged signal makes a verdict unsafe.
SIGNALS = ("jailbreak", "harassment")

# The kinds of text a guard meets; every kind appears on both sides of the label in training.
Form = Literal["request", "statement", "dialogue", "document", "response"]


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
    kind: Kind = Kind.PROMPT
    meta: Mapping[str, str] = field(default_factory=dict)
    form: Form = "request"
    # For a response: the prompt it answers (judged together, in context). For a dialogue turn:
    # the earlier turns.
    context: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))  # a plain string from a reader becomes the enum


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
    kind: Kind = Kind.PROMPT
    signal_scores: Mapping[str, float] = field(default_factory=dict)
    signal_threshold: float = 0.5
    # Set by a detector that decides its categories itself; otherwise derived from the scores.
    flagged_categories: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))

    @property
    def categories(self) -> list[str]:
        """The hazards this verdict is unsafe for, highest first: empty when the verdict is safe, never
        empty when it is unsafe for a hazard (the top one stands in when none reaches its threshold)."""
        if self.flagged_categories is not None:
            return list(self.flagged_categories)
        if not self.unsafe or not self.category_scores:
            return []
        hits = [c for c, s in self.category_scores.items() if s >= self.category_thresholds.get(c, 0.5)]
        if not hits and not self.signals:
            hits = [self.top_categories(1)[0][0]]
        return sorted(hits, key=lambda c: -self.category_scores[c])

    @property
    def signals(self) -> list[str]:
        """Signals (jailbreak, harassment) at or over their threshold; only an unsafe verdict has any."""
        if not self.unsafe:
            return []
        return [s for s, v in self.signal_scores.items() if v >= self.signal_threshold]

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
            "kind": self.kind.value,
            "signals": self.signals,
            "signal_scores": {k: round(v, 6) for k, v in self.signal_scores.items()},
        }


GuardInput = str | Sequence[Message] | Sequence[Mapping[str, str]]
