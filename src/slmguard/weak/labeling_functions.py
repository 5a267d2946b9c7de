"""Labeling functions: noisy voters for "unsafe" and for each hazard. Each may abstain.

Votes on "unsafe": 1 = unsafe, 0 = safe, -1 = abstain. Votes on the hazard: a hazard code, or
None to abstain. The context holds
embedding similarities computed once per example so that every function stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from slmguard.core.registry import Registry
from slmguard.core.types import Example, Label
from slmguard.weak.keywords import benign_framing, hazard_hits

ABSTAIN, SAFE, UNSAFE = -1, 0, 1


@dataclass(frozen=True)
class LFContext:
    example: Example
    hazard_sims: Mapping[str, float]  # cosine similarity to each hazard's definition
    harmful_sim: float  # cosine similarity to the centroid of hazard definitions
    benign_sim: float  # cosine similarity to the centroid of ordinary-task seeds
    hits: tuple[str, ...] = field(default=())
    benign: bool = False

    @classmethod
    def build(cls, example: Example, hazard_sims: Mapping[str, float], harmful_sim: float,
              benign_sim: float) -> "LFContext":
        return cls(example, hazard_sims, harmful_sim, benign_sim, tuple(hazard_hits(example.text)),
                   benign_framing(example.text))


@dataclass(frozen=True)
class LabelingFunction:
    name: str
    kind: str  # source | category | rule | embedding
    description: str
    vote: Callable[..., int]


@dataclass(frozen=True)
class Thresholds:
    """Similarity cut-offs; chosen by looking at training-pool distributions only."""

    margin_unsafe: float = 0.06
    margin_safe: float = -0.06
    hazard_high: float = 0.42
    hazard_nearest: float = 0.25


UNSAFE_LFS: Registry[LabelingFunction] = Registry("unsafe labeling function")
HAZARD_LFS: Registry[LabelingFunction] = Registry("hazard labeling function")
T = Thresholds()


def unsafe_lf(name: str, kind: str, description: str):
    def decorator(fn: Callable[[LFContext], int]) -> Callable[[LFContext], int]:
        UNSAFE_LFS.add(name, LabelingFunction(name, kind, description, fn))
        return fn

    return decorator


def hazard_lf(name: str, kind: str, description: str):
    def decorator(fn: Callable[[LFContext], str | None]) -> Callable[[LFContext], str | None]:
        HAZARD_LFS.add(name, LabelingFunction(name, kind, description, fn))
        return fn

    return decorator


# ---- votes on "unsafe" ------------------------------------------------------------------

@unsafe_lf("source_harmful", "source", "the example comes from a set of harmful instructions or statements")
def _source_harmful(ctx: LFContext) -> int:
    return UNSAFE if ctx.example.label is Label.UNSAFE else ABSTAIN


@unsafe_lf("source_benign", "source", "the example comes from ordinary instructions or generated safe contrasts")
def _source_benign(ctx: LFContext) -> int:
    return SAFE if ctx.example.label is Label.SAFE else ABSTAIN


@unsafe_lf("keyword_hazard", "rule", "a hazard keyword pattern matches and no benign framing does")
def _keyword(ctx: LFContext) -> int:
    return UNSAFE if ctx.hits and not ctx.benign else ABSTAIN


@unsafe_lf("benign_framing", "rule", "a benign framing (code, cooking, games, definitions, history, protection)")
def _benign(ctx: LFContext) -> int:
    return SAFE if ctx.benign else ABSTAIN


@unsafe_lf("embedding_margin", "embedding", "closer to hazard definitions than to ordinary-task seeds")
def _embedding_margin(ctx: LFContext) -> int:
    margin = ctx.harmful_sim - ctx.benign_sim
    if margin >= T.margin_unsafe:
        return UNSAFE
    if margin <= T.margin_safe:
        return SAFE
    return ABSTAIN


@unsafe_lf("embedding_hazard", "embedding", "very close to one hazard definition")
def _embedding_hazard(ctx: LFContext) -> int:
    return UNSAFE if max(ctx.hazard_sims.values()) >= T.hazard_high else ABSTAIN


# ---- votes on the primary hazard (multi-class: a hazard code, or abstain) -----------------
# Per-hazard binary label models flipped (a rare class with mostly "no" votes is symmetric to
# its complement); one multi-class model over the hazards is identifiable with three voters.

@hazard_lf("category_column", "category", "the set's own category column, mapped onto the taxonomy (first code)")
def _category(ctx: LFContext) -> str | None:
    return ctx.example.categories[0] if ctx.example.categories else None


@hazard_lf("keyword", "rule", "exactly one hazard's keyword patterns match")
def _hazard_keyword(ctx: LFContext) -> str | None:
    return ctx.hits[0] if len(ctx.hits) == 1 and not ctx.benign else None


@hazard_lf("embedding_nearest", "embedding", "the nearest hazard definition, when near enough")
def _hazard_nearest(ctx: LFContext) -> str | None:
    code = max(ctx.hazard_sims, key=ctx.hazard_sims.get)
    return code if ctx.hazard_sims[code] >= T.hazard_nearest else None
