"""Labeling functions: noisy voters for "unsafe" and for each hazard. Each may abstain.

Votes: 1 = unsafe / has the hazard, 0 = safe / lacks it, -1 = abstain. The context holds
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
    hazard_low: float = 0.15


UNSAFE_LFS: Registry[LabelingFunction] = Registry("unsafe labeling function")
HAZARD_LFS: Registry[LabelingFunction] = Registry("hazard labeling function")
T = Thresholds()


def unsafe_lf(name: str, kind: str, description: str):
    def decorator(fn: Callable[[LFContext], int]) -> Callable[[LFContext], int]:
        UNSAFE_LFS.add(name, LabelingFunction(name, kind, description, fn))
        return fn

    return decorator


def hazard_lf(name: str, kind: str, description: str):
    def decorator(fn: Callable[[LFContext, str], int]) -> Callable[[LFContext, str], int]:
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


# ---- votes on each hazard ---------------------------------------------------------------

@hazard_lf("category_column", "category", "the set's own category column, mapped onto the taxonomy")
def _category(ctx: LFContext, code: str) -> int:
    if not ctx.example.categories:
        return ABSTAIN
    return UNSAFE if code in ctx.example.categories else SAFE


@hazard_lf("keyword", "rule", "the hazard's keyword patterns match")
def _hazard_keyword(ctx: LFContext, code: str) -> int:
    return UNSAFE if code in ctx.hits and not ctx.benign else ABSTAIN


@hazard_lf("embedding_nearest", "embedding", "the hazard is the nearest definition (and near enough)")
def _hazard_nearest(ctx: LFContext, code: str) -> int:
    sims = ctx.hazard_sims
    if sims[code] < T.hazard_low:
        return SAFE
    if sims[code] == max(sims.values()) and sims[code] >= T.hazard_low + 0.1:
        return UNSAFE
    return ABSTAIN


@hazard_lf("source_benign", "source", "benign sources carry no hazard")
def _hazard_benign(ctx: LFContext, code: str) -> int:
    return SAFE if ctx.example.label is Label.SAFE else ABSTAIN
