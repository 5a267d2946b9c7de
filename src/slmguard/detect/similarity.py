"""Similarity to a category in the base sentence encoder's space, and its calibration.

Custom policy categories are scored by cosine similarity to a prototype (description + examples).
The tuned detector's embeddings are no use for that: fine-tuning collapsed them toward "harmful or
not", so their similarities stopped being about topics (a casino prompt scored 0.005 on gambling).
The plain all-MiniLM-L6-v2 keeps topics apart, and since it never changes, the map from similarity
to probability is fitted once, here, and shipped as a constant.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from slmguard.detect.calibration import Platt

Embed = Callable[[Sequence[str]], np.ndarray]

# Fitted by fit_similarity_calibration(base_embedder()); tests/detect/test_policy_scorer.py refits it.
BASE_SIMILARITY_CALIBRATION = Platt(a=14.516, b=-4.935)
# A floor on the slope: a higher similarity must never mean a lower probability.
MIN_SLOPE = 1.0
LONG_TEXT_WORDS = 100
WINDOW_SENTENCES = 3
# Wrappers put the request at the end, so a very long text keeps its last windows.
MAX_WINDOWS = 32
EXAMPLES_PER_FOLD = 3
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@lru_cache(maxsize=2)
def base_embedder(path: Path | None = None) -> Embed:
    """`embed(texts) -> (n, 384)` L2-normalised all-MiniLM-L6-v2 sentence embeddings; loaded once per
    process, as every guard with a custom policy shares it."""
    from slmguard.models.encoder import embed, sentence_encoder

    model = sentence_encoder(path)
    return lambda texts: embed(model, texts)


def prototype(description: np.ndarray, examples: np.ndarray) -> np.ndarray:
    """The description and the examples' direction count equally, whatever the number of examples
    (their mean is shorter than a unit vector, so it is normalised first)."""
    centre = description if len(examples) == 0 else description + _unit(examples.mean(0))
    return _unit(centre)


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / np.linalg.norm(vector)


def windows(text: str) -> list[str]:
    """The whole text, and for a long one also runs of a few sentences: a short on-topic request is
    diluted in the embedding of a long text, but not in that of its own window."""
    if len(text.split()) <= LONG_TEXT_WORDS:
        return [text]
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    runs = [" ".join(sentences[i:i + WINDOW_SENTENCES]) for i in range(0, len(sentences), WINDOW_SENTENCES)]
    return [text, *runs[-MAX_WINDOWS:]] if len(runs) > 1 else [text]


def calibration_similarities(embed: Embed) -> tuple[np.ndarray, np.ndarray]:
    """(similarity, on-topic) pairs on the default hazards, built as policies are: each hazard's
    prototype takes its description and 3 of its texts as examples (every rotation), and is compared
    with its other texts (positives) and with the other hazards' and ordinary texts (negatives)."""
    from slmguard.detect.similarity_texts import BENIGN_TEXTS, HAZARD_TEXTS
    from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY

    descriptions = embed([h.text for h in DEFAULT_TAXONOMY.hazards])
    texts = {code: embed(HAZARD_TEXTS[code]) for code in DEFAULT_TAXONOMY.codes}
    benign = embed(BENIGN_TEXTS)
    sims, labels = [], []
    for i, code in enumerate(DEFAULT_TAXONOMY.codes):
        own = texts[code]
        others = np.vstack([benign, *(v for c, v in texts.items() if c != code)])
        for start in range(len(own)):
            chosen = (start + np.arange(EXAMPLES_PER_FOLD)) % len(own)
            rest = np.setdiff1d(np.arange(len(own)), chosen)
            proto = prototype(descriptions[i], own[chosen])
            sims += [own[rest] @ proto, others @ proto]
            labels += [np.ones(len(rest)), np.zeros(len(others))]
    return np.concatenate(sims), np.concatenate(labels)


def fit_similarity_calibration(embed: Embed) -> Platt:
    """The slope of a logistic fit of "on topic" on similarity, kept positive; the offset puts
    p = 0.5 at the similarity with the best F1, as the head's category thresholds are chosen. (The
    plain fit puts 0.5 where on-topic is likelier at a ~5% base rate: too strict; weighting the
    classes equally puts it where the densities cross: far too lax for a default threshold.)"""
    from sklearn.linear_model import LogisticRegression

    sims, labels = calibration_similarities(embed)
    model = LogisticRegression(C=100.0, max_iter=1000).fit(sims.reshape(-1, 1), labels)
    slope = max(float(model.coef_[0, 0]), MIN_SLOPE)
    return Platt(slope, -slope * best_f1_similarity(sims, labels.astype(bool)))


def best_f1_similarity(sims: np.ndarray, labels: np.ndarray) -> float:
    cuts = np.round(np.arange(0.05, 0.80, 0.01), 2)
    f1 = [2 * (labels & (sims >= c)).sum() / max((sims >= c).sum() + labels.sum(), 1) for c in cuts]
    return float(cuts[int(np.argmax(f1))])
