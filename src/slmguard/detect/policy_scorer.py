"""Scores for custom policy categories, without retraining.

A category is represented by the base sentence encoder's embedding of its name and description and
of its examples (see detect/similarity.py for why not the tuned detector's); an input's cosine
similarity to that prototype goes through a monotone calibration fitted on the default hazards, so
custom scores are probabilities like the head's, and 0.5 is a sensible default threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from slmguard.detect.calibration import Platt
from slmguard.detect.similarity import BASE_SIMILARITY_CALIBRATION, Embed, prototype, windows
from slmguard.taxonomy.hazards import Hazard, Taxonomy


@dataclass
class PolicyScorer:
    codes: list[str]
    prototypes: np.ndarray  # (k, hidden), L2-normalised
    calibration: Platt
    thresholds: dict[str, float]
    embed: Embed

    @classmethod
    def build(cls, hazards: list[Hazard], embed: Embed,
              calibration: Platt = BASE_SIMILARITY_CALIBRATION) -> "PolicyScorer":
        """`embed(texts) -> (n, hidden)` normalised embeddings of the base encoder
        (similarity.base_embedder()): the calibration is fitted for that space only."""
        protos = []
        for h in hazards:
            vectors = embed([h.text, *h.examples])
            protos.append(prototype(vectors[0], vectors[1:]))
        thresholds = {h.code: h.threshold if h.threshold is not None else 0.5 for h in hazards}
        return cls([h.code for h in hazards], np.array(protos), calibration, thresholds, embed)

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """(n, k) probabilities for normalised texts; a long text scores its best window."""
        parts = [windows(t) for t in texts]
        sims = self.embed([p for ps in parts for p in ps]) @ self.prototypes.T
        ends = np.cumsum([len(ps) for ps in parts])
        best = np.array([s.max(0) for s in np.split(sims, ends[:-1])]).reshape(len(texts), len(self.codes))
        return self.calibration.apply(best)


def custom_hazards(policy: Taxonomy, trained_codes: set[str], default: Taxonomy) -> list[Hazard]:
    """Policy categories the trained head cannot score: new codes, or default codes redefined."""
    out = []
    for h in policy.hazards:
        if h.code in trained_codes and h.code in default and default.get(h.code).definition == h.definition \
                and not h.examples:
            continue
        out.append(h)
    return out
