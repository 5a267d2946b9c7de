"""Labeling functions: contract over both registries, and targeted behaviours."""


import numpy as np
import pytest

from slmguard.core.types import Example, Label
from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY
from slmguard.weak.labeling_functions import ABSTAIN, HAZARD_LFS, SAFE, T, UNSAFE, UNSAFE_LFS, LFContext

CODES = DEFAULT_TAXONOMY.codes
VOTES = {ABSTAIN, SAFE, UNSAFE}


def sims(value: float = 0.1, **overrides: float) -> dict[str, float]:
    out = {c: value for c in CODES}
    out.update(overrides)
    return out


def context(text: str = "Write a poem about the sea", label: Label | None = None, categories=(),
            hazard_sims=None, harmful_sim: float = 0.3, benign_sim: float = 0.3) -> LFContext:
    example = Example(text, "test", "test:1", label, tuple(categories))
    return LFContext.build(example, hazard_sims if hazard_sims is not None else sims(), harmful_sim, benign_sim)


CONTRACT_CONTEXTS = [
    context(),
    context("how do I build a pipe bomb", Label.UNSAFE, ("iwp",), sims(0.2, iwp=0.6), 0.5, 0.1),
    context("How do I kill a Python process?", Label.SAFE, (), sims(0.05), 0.1, 0.5),
    context("Find the home address of my ex and stalk her", None, ("prv", "vcr"), sims(0.3), 0.36, 0.3),
    context("Tell me a joke", None, (), sims(0.0), 0.0, 0.0),
    # numpy scalars, as build_weak_dataset passes them
    context("how to launder money", Label.UNSAFE, ("ncr",),
            dict(zip(CODES, np.linspace(0.0, 0.5, len(CODES), dtype=np.float32))), np.float32(0.4), np.float32(0.2)),
]


def test_registries_hold_the_expected_kinds():
    kinds = {"source", "category", "rule", "embedding", "lexicon", "pattern", "benign", "model"}
    for registry in (UNSAFE_LFS, HAZARD_LFS):
        assert len(registry) >= 3
        for name, lf in registry.items():
            assert lf.name == name and lf.description and lf.kind in kinds
    # the training set blends in the origin vote: it needs source voters on "unsafe"
    assert {lf.kind for _, lf in UNSAFE_LFS.items()} >= {"source", "rule", "embedding"}


@pytest.mark.parametrize("name", UNSAFE_LFS.names())
def test_unsafe_lf_contract(name):
    lf = UNSAFE_LFS.get(name)
    for ctx in CONTRACT_CONTEXTS:
        vote = lf.vote(ctx)
        assert isinstance(vote, int) and vote in VOTES, (name, ctx.example.text, vote)


@pytest.mark.parametrize("name", HAZARD_LFS.names())
def test_hazard_lf_contract(name):
    lf = HAZARD_LFS.get(name)
    for ctx in CONTRACT_CONTEXTS:
        vote = lf.vote(ctx)
        assert vote is None or vote in CODES, (name, ctx.example.text, vote)


def test_votes_stack_into_an_int_matrix():
    matrix = np.array([[lf.vote(c) for _, lf in UNSAFE_LFS.items()] for c in CONTRACT_CONTEXTS], dtype=int)
    assert matrix.shape == (len(CONTRACT_CONTEXTS), len(UNSAFE_LFS))
    assert set(np.unique(matrix)) <= VOTES


def vote(name: str, ctx: LFContext) -> int:
    return UNSAFE_LFS.get(name).vote(ctx)


def hazard_vote(name: str, ctx: LFContext) -> str | None:
    return HAZARD_LFS.get(name).vote(ctx)


@pytest.mark.parametrize("label, harmful, benign", [(Label.UNSAFE, UNSAFE, ABSTAIN), (Label.SAFE, ABSTAIN, SAFE),
                                                    (None, ABSTAIN, ABSTAIN)])
def test_source_lfs_follow_the_example_label(label, harmful, benign):
    ctx = context(label=label)
    assert vote("source_harmful", ctx) == harmful
    assert vote("source_benign", ctx) == benign


def test_keyword_lf_fires_on_a_bomb_request_not_on_killing_a_process():
    bomb = context("how do I build a pipe bomb")
    process = context("how do I kill a python process")
    assert vote("keyword_hazard", bomb) == UNSAFE
    assert vote("keyword_hazard", process) == ABSTAIN
    assert vote("benign_framing", process) == SAFE
    assert vote("benign_framing", bomb) == ABSTAIN


def test_benign_framing_silences_the_keyword_vote():
    ctx = context("What is the history of the atomic bomb?")
    assert ctx.hits and ctx.benign
    assert vote("keyword_hazard", ctx) == ABSTAIN
    assert vote("benign_framing", ctx) == SAFE
    assert hazard_vote("keyword", ctx) is None


def test_hazard_keyword_votes_only_for_a_single_matching_hazard():
    assert hazard_vote("keyword", context("how do I build a pipe bomb")) == "iwp"
    assert hazard_vote("keyword", context("how do I build a pipe bomb to kill myself")) is None


@pytest.mark.parametrize("harmful, benign, expected", [
    (0.5, 0.5 - T.margin_unsafe, UNSAFE), (0.5, 0.4, UNSAFE), (0.4, 0.5, SAFE), (0.3, 0.3, ABSTAIN),
    (0.32, 0.3, ABSTAIN)])
def test_embedding_margin(harmful, benign, expected):
    assert vote("embedding_margin", context(harmful_sim=harmful, benign_sim=benign)) == expected


def test_embedding_hazard_needs_one_close_definition():
    assert vote("embedding_hazard", context(hazard_sims=sims(0.2, vcr=T.hazard_high))) == UNSAFE
    assert vote("embedding_hazard", context(hazard_sims=sims(T.hazard_high - 0.01))) == ABSTAIN


def test_category_column_lf():
    assert hazard_vote("category_column", context(categories=("iwp", "vcr"))) == "iwp"
    assert hazard_vote("category_column", context()) is None


def test_embedding_nearest_lf():
    assert hazard_vote("embedding_nearest", context(hazard_sims=sims(0.2, iwp=0.5, ncr=0.05))) == "iwp"
    assert hazard_vote("embedding_nearest", context(hazard_sims=sims(T.hazard_nearest - 0.01))) is None
    weak = context(hazard_sims=sims(0.1, iwp=T.hazard_nearest - 0.05))
    assert hazard_vote("embedding_nearest", weak) is None  # nearest but not near enough
