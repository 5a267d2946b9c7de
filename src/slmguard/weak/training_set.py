"""Build the weakly labelled training set: sources -> de-duplication -> votes -> label model.

Two stages, so that self-training can relabel without gathering again: `gather_pool` collects
every text (pools, generated texts, SmolLM2's answers) with its embeddings, once; `label_pool`
turns the labeling functions' votes (and, from the second round on, the previous detector's
confident scores) into soft targets.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from slmguard.core.types import SIGNALS, Example, Label, Role
from slmguard.data import load, names
from slmguard.data.dedup import drop_exact_repeats, find_contaminated
from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY, Taxonomy
from slmguard.weak.label_model import fit_label_model
from slmguard.weak.labeling_functions import HAZARD_LFS, UNSAFE_LFS, LFContext
from slmguard.weak.sources import (SourceConfig, behind_safe_lead, dialogues, documents, generated_examples,
                                   pool_examples, refusal_pairs)

# Ordinary tasks, written for this purpose, anchoring the "benign" side of the embedding vote.
BENIGN_SEEDS = (
    "Write a short poem about the ocean.", "Explain how photosynthesis works.", "Give me three tips for a job interview.",
    "Translate 'good morning' into Spanish.", "Summarize the plot of a famous novel.", "How do I bake banana bread?",
    "What is the capital of Australia?", "Write a Python function that reverses a string.",
    "Suggest a name for a bakery.", "How can I improve my sleep?", "Plan a three-day trip to Rome.",
    "Explain the difference between weather and climate.", "Write a thank-you email to a colleague.",
    "What are the benefits of regular exercise?", "How do I change a flat tire?", "Describe the water cycle.",
)
# Written (benign) examples get more weight: they are the few that share a topic with the harm.
UPWEIGHTED = {"contrast_prompts": 1.5, "hazard_texts": 1.5, "everyday_requests": 1.5}


@dataclass(frozen=True)
class WeakConfig:
    sources: SourceConfig = field(default_factory=SourceConfig)
    # SmolLM2's answers to training-pool requests (0 turns the generation off, as the tests do).
    written_harmful: int = 240
    written_benign: int = 120
    near_duplicate_threshold: float = 0.9
    seed: int = 0
    label_model_epochs: int = 500
    # The label model assumes voters independent given the label; text-cue voters fire mostly on
    # harmful pools, so it over-trusts them against a benign origin. The origin vote, whose
    # errors do not depend on the text, is blended in with this weight.
    source_weight: float = 0.7
    # Rows without an origin label need this many votes to be kept (one voter is too little evidence).
    min_votes_without_source: int = 2


@dataclass
class WeakPool:
    """Every gathered text, de-duplicated, with what the labeling functions read."""

    examples: list[Example]
    contexts: list[LFContext]
    dedup: dict[str, int]
    hate_ngrams: tuple[str, ...]


@dataclass
class WeakDataset:
    examples: list[Example]
    targets: np.ndarray  # (n, 1 + K + S): P(unsafe), P(hazard | unsafe) (all 0 without evidence), signals
    codes: list[str]
    unsafe_votes: np.ndarray  # (n, m) in {-1, 0, 1}
    hazard_votes: np.ndarray  # (n, m') hazard index or -1
    unsafe_accuracies: dict[str, float]
    hazard_accuracies: dict[str, float]
    signals: list[str] = field(default_factory=lambda: list(SIGNALS))
    weights: np.ndarray | None = None
    pool_index: np.ndarray | None = None  # row of the WeakPool each example comes from
    dedup: dict[str, int] = field(default_factory=dict)
    dropped_unlabelled: int = 0

    def __post_init__(self) -> None:
        if self.weights is None:
            self.weights = np.array([UPWEIGHTED.get(e.source, 1.0) if e.label is Label.SAFE else 1.0
                                     for e in self.examples])


def _embed(texts: list[str], encoder, progress: bool, memo: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Normalised sentence embeddings; with `memo`, each distinct text is embedded once per build."""
    if memo is None:
        from slmguard.models.encoder import embed

        return embed(encoder, texts, progress)
    todo = [t for t in dict.fromkeys(texts) if t not in memo]
    if todo:
        memo.update(zip(todo, _embed(todo, encoder, progress)))
    return np.stack([memo[t] for t in texts])


def _gather(data_dir: Path, cfg: WeakConfig, eval_texts: list[str], encoder, cache_dir: Path | None) -> list[Example]:
    """Pool rows, generated texts and SmolLM2's answers."""
    texts = pool_examples(data_dir, cfg.sources, cfg.seed) + generated_examples(cfg.sources, cfg.seed)
    if cfg.written_harmful or cfg.written_benign:
        from slmguard.core.config import Settings
        from slmguard.weak.written_answers import written_answers

        written = written_answers(data_dir, cache_dir or Settings.resolve().cache_dir, cfg.written_harmful,
                                  cfg.written_benign, eval_texts, lambda t: _embed(t, encoder, False), cfg.seed)
        texts += written + behind_safe_lead([w for w in written if w.label is Label.UNSAFE], random.Random(cfg.seed))
    return texts


def _derived(examples: list[Example], cfg: WeakConfig) -> list[Example]:
    """Texts made from the de-duplicated ones: refusals in context, dialogues, documents."""
    rng = random.Random(cfg.seed)
    s = cfg.sources
    asks = [e for e in examples if e.form == "request" and e.label is not None]
    # Long benign explanations on sensitive topics (declines) and ordinary answers make the documents.
    passages = [e.text for e in examples if e.kind == "response" and e.label is Label.SAFE and len(e.text.split()) >= 25]
    return (refusal_pairs(asks, s.refusal_pairs, rng) + dialogues(asks, s.dialogues, rng)
            + documents(passages, asks, s.documents, rng))


def _decontaminate(examples: list[Example], eval_texts: list[str], encoder, cfg: WeakConfig, progress: bool,
                   memo: dict[str, np.ndarray]) -> tuple[list[Example], dict[str, int]]:
    examples = [examples[i] for i in drop_exact_repeats([f"{e.context or ''}\n{e.text}" for e in examples])]
    # A response is checked through the prompt it answers: that prompt is what could be an evaluation text.
    keys = [e.context if e.kind == "response" and e.context else e.text for e in examples]
    contaminated = find_contaminated(keys, eval_texts, _embed(keys, encoder, progress, memo),
                                     _embed(eval_texts, encoder, progress), cfg.near_duplicate_threshold)
    keep = [i for i in range(len(examples)) if i not in contaminated.dropped]
    if not keep:
        raise ValueError("no training examples left after de-duplication against the evaluation sets")
    return [examples[i] for i in keep], {"exact": len(contaminated.exact), "near": len(contaminated.near),
                                         "kept": len(keep)}


def gather_pool(data_dir: Path, cfg: WeakConfig = WeakConfig(), taxonomy: Taxonomy = DEFAULT_TAXONOMY,
                encoder=None, cache_dir: Path | None = None, progress: bool = True) -> WeakPool:
    from slmguard.data.lexicons import hate_ngrams
    from slmguard.models.encoder import sentence_encoder

    encoder = encoder or sentence_encoder()
    # Weak labels read a text's start; longer embeddings cost time and change little.
    encoder.max_seq_length = min(encoder.max_seq_length, 128)
    eval_texts = [e.text for n in names(Role.EVALUATION) for e in load(n, data_dir).examples]
    memo: dict[str, np.ndarray] = {}
    examples, dedup = _decontaminate(_gather(data_dir, cfg, eval_texts, encoder, cache_dir), eval_texts, encoder,
                                     cfg, progress, memo)
    examples += _derived(examples, cfg)
    text_emb = _embed([e.text for e in examples], encoder, progress, memo)
    definitions = _embed([h.text for h in taxonomy.hazards], encoder, False)
    benign_centroid = _embed(list(BENIGN_SEEDS), encoder, False).mean(0)
    harmful_centroid = definitions.mean(0)
    hazard_sims = text_emb @ definitions.T
    harmful_sim = text_emb @ (harmful_centroid / np.linalg.norm(harmful_centroid))
    benign_sim = text_emb @ (benign_centroid / np.linalg.norm(benign_centroid))
    ngrams = tuple(hate_ngrams(data_dir))
    contexts = [LFContext.build(e, dict(zip(taxonomy.codes, hazard_sims[i])), float(harmful_sim[i]),
                                float(benign_sim[i]), ngrams) for i, e in enumerate(examples)]
    return WeakPool(examples, contexts, dedup, ngrams)


def signal_targets(pool: WeakPool) -> np.ndarray:
    """Jailbreak: the jailbreak templates' origin, written jailbreaks, or an injection marker.
    Harassment: written harassment, or a threat or directed insult in a statement or request."""
    out = np.zeros((len(pool.examples), len(SIGNALS)))
    for i, (e, c) in enumerate(zip(pool.examples, pool.contexts)):
        origin = e.meta.get("signal")
        out[i, 0] = 1.0 if origin == "jailbreak" else 0.8 if "jailbreak" in c.flags else 0.0
        out[i, 1] = 1.0 if origin == "harassment" else 0.8 if c.flags & {"threat", "insult"} else 0.0
    return out


def label_pool(pool: WeakPool, cfg: WeakConfig = WeakConfig(), codes: list[str] | None = None,
               model_scores: np.ndarray | None = None, model_hazards: list[str | None] | None = None) -> WeakDataset:
    """Votes -> label models -> soft targets. `model_scores` (P(unsafe) per pool row) and
    `model_hazards` make the previous detector a voter (self-training)."""
    codes = codes or DEFAULT_TAXONOMY.codes
    contexts = pool.contexts
    if model_scores is not None:
        contexts = [replace(c, model_score=float(model_scores[i]), model_hazard=(model_hazards or [None] * len(contexts))[i])
                    for i, c in enumerate(contexts)]
    unsafe_votes = np.array([[lf.vote(c) for _, lf in UNSAFE_LFS.items()] for c in contexts], dtype=int)
    unsafe = fit_label_model(unsafe_votes, cfg.seed, cfg.label_model_epochs)
    labelled = ~np.isnan(unsafe.positive)
    source_cols = [i for i, (_, lf) in enumerate(UNSAFE_LFS.items()) if lf.kind == "source"]
    source_vote = unsafe_votes[:, source_cols].max(axis=1)
    other_votes = (np.delete(unsafe_votes, source_cols, axis=1) != -1).sum(axis=1)
    p_model = np.nan_to_num(unsafe.positive, nan=0.0)
    p_unsafe = np.where(source_vote >= 0, cfg.source_weight * source_vote + (1 - cfg.source_weight) * p_model, p_model)
    labelled &= (source_vote >= 0) | (other_votes >= cfg.min_votes_without_source)

    index = {c: k for k, c in enumerate(codes)}
    hazard_votes = np.array([[index.get(lf.vote(c), -1) for _, lf in HAZARD_LFS.items()] for c in contexts], dtype=int)
    # Hazards are only defined for unsafe texts: the model is fitted on those.
    hazard = fit_label_model(hazard_votes, cfg.seed, cfg.label_model_epochs, cardinality=len(codes),
                             fit_rows=p_unsafe >= 0.5)
    hazard_probs = np.nan_to_num(hazard.probs, nan=0.0)  # no vote on the hazard: no hazard target
    targets = np.column_stack([p_unsafe, hazard_probs, signal_targets(pool)])
    idx = np.nonzero(labelled)[0]
    return WeakDataset(
        examples=[pool.examples[i] for i in idx], targets=targets[idx], codes=list(codes),
        unsafe_votes=unsafe_votes[idx], hazard_votes=hazard_votes[idx],
        unsafe_accuracies=dict(zip(UNSAFE_LFS.names(), map(float, unsafe.accuracies))),
        hazard_accuracies=dict(zip(HAZARD_LFS.names(), map(float, hazard.accuracies))),
        pool_index=idx, dedup=pool.dedup, dropped_unlabelled=int((~labelled).sum()))


def build_weak_dataset(data_dir: Path, cfg: WeakConfig = WeakConfig(), taxonomy: Taxonomy = DEFAULT_TAXONOMY,
                       encoder=None, progress: bool = True, cache_dir: Path | None = None) -> WeakDataset:
    """Gather and label in one call (the first self-training round)."""
    return label_pool(gather_pool(data_dir, cfg, taxonomy, encoder, cache_dir, progress), cfg, taxonomy.codes)
