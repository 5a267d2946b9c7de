"""Labeling functions: noisy voters for "unsafe" and for each hazard. Each may abstain.

Votes on "unsafe": 1 = unsafe, 0 = safe, -1 = abstain. Votes on the hazard: a hazard code, or
None to abstain. The context holds what every function reads (embedding similarities, lexicon
and pattern matches, the previous detector's score), computed once per example so that every
function stays cheap. A response is matched without its declining sentences: a refusal names
what it declines ("... because it involves weapons"), which is not harm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from slmguard.core.registry import Registry
from slmguard.core.types import Example, Label
from slmguard.respond.refusals import without_refusals
from slmguard.taxonomy.keywords import benign_framing, hazard_hits
from slmguard.weak import lexicons as lex

ABSTAIN, SAFE, UNSAFE = -1, 0, 1


# Lexicon and pattern matchers run once per example; their names are the context's `flags`.
_FLAGS: dict[str, Callable[[str], bool]] = {
    "profanity": lex.profanity, "sexual": lex.sexual_terms, "threat": lex.threat, "insult": lex.directed_insult,
    "jailbreak": lex.jailbreak, "factual": lex.factual_about_sensitive, "protective": lex.protective_intent,
    "fiction": lex.fiction_or_game, "public_figure": lex.public_figure_role,
}


@dataclass(frozen=True)
class LFContext:
    example: Example
    hazard_sims: Mapping[str, float]  # cosine similarity to each hazard's definition
    harmful_sim: float  # cosine similarity to the centroid of hazard definitions
    benign_sim: float  # cosine similarity to the centroid of ordinary-task seeds
    hits: tuple[str, ...] = field(default=())
    benign: bool = False
    flags: frozenset[str] = frozenset()
    requests: tuple[str, ...] = ()  # hazards whose request patterns match
    hate: bool = False  # a hate n-gram matches
    refusal: bool = False  # a response that declines
    compliance: bool = False  # a response that starts doing what was asked
    harmful_context: bool = False  # the prompt a response answers matches a hazard pattern
    model_score: float | None = None  # P(unsafe) from the previous self-training round
    model_hazard: str | None = None

    @classmethod
    def build(cls, example: Example, hazard_sims: Mapping[str, float], harmful_sim: float, benign_sim: float,
              hate_ngrams: tuple[str, ...] = (), model_score: float | None = None,
              model_hazard: str | None = None) -> "LFContext":
        response = example.kind == "response"
        text = without_refusals(example.text) if response else example.text
        flags = frozenset(name for name, match in _FLAGS.items() if text and match(text))
        context = example.context or ""
        return cls(example, hazard_sims, harmful_sim, benign_sim, tuple(hazard_hits(text)), benign_framing(text),
                   flags, tuple(lex.hazard_requests(text)), bool(hate_ngrams and lex.hate_ngram_hits(text, hate_ngrams)),
                   response and lex.refusal(example.text), response and lex.compliance_opening(example.text),
                   bool(context) and bool(hazard_hits(context) or lex.hazard_requests(context)), model_score, model_hazard)

    @property
    def offensive(self) -> bool:
        return bool(self.hits or self.requests or self.hate or self.flags & {"profanity", "sexual", "threat", "insult",
                                                                           "jailbreak"})


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
    # The previous detector votes only where it is confident (self-training).
    model_unsafe: float = 0.85
    model_safe: float = 0.1


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


def flag_lf(name: str, kind: str, description: str, flag: str, vote: int) -> None:
    """A voter that votes `vote` when one lexicon or pattern flag is set. A SAFE vote is withheld when a
    harmful request pattern matches too."""
    def fn(ctx: LFContext) -> int:
        return vote if flag in ctx.flags and not (vote == SAFE and ctx.requests) else ABSTAIN

    UNSAFE_LFS.add(name, LabelingFunction(name, kind, description, fn))


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


@unsafe_lf("hate_ngram", "lexicon", "a hate n-gram of the Davidson lexicon (the word list, not its probabilities)")
def _hate_ngram(ctx: LFContext) -> int:
    return UNSAFE if ctx.hate else ABSTAIN


flag_lf("sexual_terms", "lexicon", "explicit sexual terms (not health or education wording)", "sexual", UNSAFE)


flag_lf("threat", "pattern", "a threat of violence aimed at someone", "threat", UNSAFE)
flag_lf("directed_insult", "pattern", "an insult aimed at the addressee or a named person", "insult", UNSAFE)


@unsafe_lf("hazard_request", "pattern", "a request pattern for a hazard (lyrics, doxxing, fake news, explicit story...)")
def _hazard_request(ctx: LFContext) -> int:
    return UNSAFE if ctx.requests and not ctx.benign else ABSTAIN


flag_lf("jailbreak_marker", "pattern", "a jailbreak or prompt-injection marker (ignore previous instructions, DAN...)",
        "jailbreak", UNSAFE)


@unsafe_lf("refusal_response", "pattern", "a response that declines and does not go on to comply")
def _refusal(ctx: LFContext) -> int:
    return SAFE if ctx.refusal and not ctx.compliance else ABSTAIN


@unsafe_lf("complies_with_harmful", "pattern", "a response that starts doing what a harmful-looking prompt asked")
def _complies(ctx: LFContext) -> int:
    return UNSAFE if ctx.compliance and not ctx.refusal and ctx.harmful_context else ABSTAIN


@unsafe_lf("clean_statement", "rule", "a statement or response with no lexicon, hazard or request match")
def _clean(ctx: LFContext) -> int:
    return SAFE if ctx.example.form in ("statement", "response") and not ctx.offensive else ABSTAIN


# A benign voter stays silent when a harmful request pattern also matches.
flag_lf("factual_sensitive", "benign", "a factual, historical or definitional question about a sensitive topic",
        "factual", SAFE)
flag_lf("protective_intent", "benign", "safety or protective intent (warning signs, how to report, stay safe)",
        "protective", SAFE)
flag_lf("fiction_or_game", "benign", "fiction, games or figurative use of a violent word", "fiction", SAFE)
flag_lf("public_figure_role", "benign", "a question about a public figure's public role", "public_figure", SAFE)


@unsafe_lf("detector", "model", "the previous self-training round's detector, where confident")
def _detector(ctx: LFContext) -> int:
    if ctx.model_score is None:
        return ABSTAIN
    if ctx.model_score >= T.model_unsafe:
        return UNSAFE
    return SAFE if ctx.model_score <= T.model_safe else ABSTAIN


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


@hazard_lf("request_pattern", "pattern", "exactly one hazard's request patterns match")
def _hazard_request_pattern(ctx: LFContext) -> str | None:
    return ctx.requests[0] if len(set(ctx.requests)) == 1 else None


@hazard_lf("lexicon", "lexicon", "hate n-grams -> hate, sexual terms -> sexual content, threats -> violent crimes")
def _hazard_lexicon(ctx: LFContext) -> str | None:
    found = [code for code, hit in (("hte", ctx.hate), ("sxc", "sexual" in ctx.flags), ("vcr", "threat" in ctx.flags))
             if hit]
    return found[0] if len(found) == 1 else None


@hazard_lf("detector", "model", "the previous self-training round's top hazard, where it is confident")
def _hazard_detector(ctx: LFContext) -> str | None:
    return ctx.model_hazard
