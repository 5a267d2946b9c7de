"""Build the weakly labelled training set: pools -> de-duplication -> votes -> label model."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from slmguard.core.types import Example, Label, Role
from slmguard.data import load, names
from slmguard.data.dedup import drop_exact_repeats, find_contaminated
from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY, Taxonomy
from slmguard.weak.contrast_prompts import generate_contrast_prompts
from slmguard.weak.label_model import fit_label_model
from slmguard.weak.labeling_functions import HAZARD_LFS, UNSAFE_LFS, LFContext

# hh_rlhf (unlabelled red-team dialogues) is registered but not a default pool: its prompts are
# conversational, and with weak labels they taught "a chatty question is unsafe" (seen on
# Alpaca's own seed tasks, a training-pool check, not an evaluation set).
DEFAULT_POOLS = ("advbench", "advbench_strings", "catqa", "harmfulqa", "dangerousqa", "do_not_answer", "toxigen",
                 "alpaca")

# Ordinary tasks, written for this purpose, anchoring the "benign" side of the embedding vote.
BENIGN_SEEDS = (
    "Write a short poem about the ocean.", "Explain how photosynthesis works.", "Give me three tips for a job interview.",
    "Translate 'good morning' into Spanish.", "Summarize the plot of a famous novel.", "How do I bake banana bread?",
    "What is the capital of Australia?", "Write a Python function that reverses a string.",
    "Suggest a name for a bakery.", "How can I improve my sleep?", "Plan a three-day trip to Rome.",
    "Explain the difference between weather and climate.", "Write a thank-you email to a colleague.",
    "What are the benefits of regular exercise?", "How do I change a flat tire?", "Describe the water cycle.",
)


@dataclass(frozen=True)
class WeakConfig:
    pools: tuple[str, ...] = DEFAULT_POOLS
    alpaca_limit: int = 9000
    # Harmful pools are mostly questions; without enough benign questions "?" itself looks unsafe.
    alpaca_min_questions: int = 3500
    hh_rlhf_limit: int = 2000
    # HarmfulQA is 1,960 questions in one template ("How can I use <field> to <harm>?"); a cap
    # keeps its style from standing for "unsafe". Capping at 1,000 together with 20,000 Alpaca rows
    # raised the false-positive rate on Alpaca's seed tasks (a training-pool check) from 2.9% to
    # 4.6%, so the default keeps it whole.
    harmfulqa_limit: int = 2000
    contrast: bool = True
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
class WeakDataset:
    examples: list[Example]
    targets: np.ndarray  # (n, 1 + K) soft targets: unsafe, then hazards
    codes: list[str]
    unsafe_votes: np.ndarray  # (n, m) in {-1, 0, 1}
    hazard_votes: np.ndarray  # (n, m') hazard index or -1
    unsafe_accuracies: dict[str, float]
    hazard_accuracies: dict[str, float]
    dedup: dict[str, int] = field(default_factory=dict)
    dropped_unlabelled: int = 0


def _pool_examples(data_dir: Path, cfg: WeakConfig) -> list[Example]:
    rng = random.Random(cfg.seed)
    examples: list[Example] = []
    limits = {"alpaca": cfg.alpaca_limit, "hh_rlhf": cfg.hh_rlhf_limit, "harmfulqa": cfg.harmfulqa_limit}
    for name in cfg.pools:
        rows = load(name, data_dir, purpose="training").examples
        if name == "alpaca" and len(rows) > cfg.alpaca_limit:
            questions = [r for r in rows if r.text.rstrip().endswith("?")]
            questions = rng.sample(questions, min(len(questions), cfg.alpaca_min_questions, cfg.alpaca_limit))
            chosen = {r.id for r in questions}
            rest = [r for r in rows if r.id not in chosen]
            rows = questions + rng.sample(rest, cfg.alpaca_limit - len(questions))
        elif name in limits and len(rows) > limits[name]:
            rows = rng.sample(rows, limits[name])
        examples.extend(rows)
    if cfg.contrast:
        examples.extend(Example(text, "contrast_prompts", f"contrast_prompts:{i}", Label.SAFE, raw_category=family)
                        for i, (text, family) in enumerate(generate_contrast_prompts(cfg.seed)))
    return examples


def _embed(texts: list[str], encoder, progress: bool) -> np.ndarray:
    return np.asarray(encoder.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=progress))


def build_weak_dataset(data_dir: Path, cfg: WeakConfig = WeakConfig(), taxonomy: Taxonomy = DEFAULT_TAXONOMY,
                       encoder=None, progress: bool = True) -> WeakDataset:
    from slmguard.models.encoder import sentence_encoder

    encoder = encoder or sentence_encoder()
    examples = _pool_examples(data_dir, cfg)
    examples = [examples[i] for i in drop_exact_repeats([e.text for e in examples])]

    eval_texts = [e.text for n in names(Role.EVALUATION) for e in load(n, data_dir).examples]
    train_emb = _embed([e.text for e in examples], encoder, progress)
    eval_emb = _embed(eval_texts, encoder, progress)
    contaminated = find_contaminated([e.text for e in examples], eval_texts, train_emb, eval_emb,
                                     cfg.near_duplicate_threshold)
    keep = [i for i in range(len(examples)) if i not in contaminated.dropped]
    examples, train_emb = [examples[i] for i in keep], train_emb[keep]
    if not examples:
        raise ValueError(f"no training examples left from pools {list(cfg.pools)} after de-duplication")

    codes = taxonomy.codes
    definitions = _embed([h.text for h in taxonomy.hazards], encoder, False)
    benign_centroid = _embed(list(BENIGN_SEEDS), encoder, False).mean(0)
    harmful_centroid = definitions.mean(0)
    hazard_sims = train_emb @ definitions.T
    harmful_sim = train_emb @ (harmful_centroid / np.linalg.norm(harmful_centroid))
    benign_sim = train_emb @ (benign_centroid / np.linalg.norm(benign_centroid))
    contexts = [LFContext.build(e, dict(zip(codes, hazard_sims[i])), float(harmful_sim[i]), float(benign_sim[i]))
                for i, e in enumerate(examples)]

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
    hazard_votes = np.array([[index.get(lf.vote(c), -1) for _, lf in HAZARD_LFS.items()] for c in contexts],
                            dtype=int)
    # Hazards are only defined for unsafe texts: the model is fitted on those.
    hazard = fit_label_model(hazard_votes, cfg.seed, cfg.label_model_epochs, cardinality=len(codes),
                             fit_rows=p_unsafe >= 0.5)
    # No vote on the hazard means no evidence for any: an even spread.
    hazard_probs = np.where(np.isnan(hazard.probs), 1.0 / len(codes), hazard.probs)
    targets = np.column_stack([p_unsafe, p_unsafe[:, None] * hazard_probs])
    idx = np.nonzero(labelled)[0]
    return WeakDataset(
        examples=[examples[i] for i in idx], targets=targets[idx], codes=codes,
        unsafe_votes=unsafe_votes[idx], hazard_votes=hazard_votes[idx],
        unsafe_accuracies=dict(zip(UNSAFE_LFS.names(), map(float, unsafe.accuracies))),
        hazard_accuracies=dict(zip(HAZARD_LFS.names(), map(float, hazard.accuracies))),
        dedup={"exact": len(contaminated.exact), "near": len(contaminated.near), "kept": len(keep)},
        dropped_unlabelled=int((~labelled).sum()),
    )

