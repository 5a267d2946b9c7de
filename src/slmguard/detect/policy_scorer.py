"""Scores for custom policy categories, without retraining.

A category is represented by the embedding of its name and description and of its examples;
cosine similarity to that prototype goes through the similarity calibration fitted on the
default hazards at training time, so custom scores are probabilities like the head's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from slmguard.detect.calibration import Platt
from slmguard.taxonomy.hazards import Hazard, Taxonomy


@dataclass
class PolicyScorer:
    codes: list[str]
    prototypes: np.ndarray  # (k, hidden), L2-normalised
    calibration: Platt
    thresholds: dict[str, float]

    @classmethod
    def build(cls, hazards: list[Hazard], embed, calibration: Platt) -> "PolicyScorer":
        """`embed(texts) -> (n, hidden)` normalised embeddings from the detector's encoder."""
        protos = []
        for h in hazards:
            vectors = embed([h.text, *h.examples])
            # The description and the examples count equally, whatever the number of examples.
            centre = vectors[0] if len(vectors) == 1 else 0.5 * vectors[0] + 0.5 * vectors[1:].mean(0)
            protos.append(centre / np.linalg.norm(centre))
        thresholds = {h.code: h.threshold if h.threshold is not None else 0.5 for h in hazards}
        return cls([h.code for h in hazards], np.array(protos), calibration, thresholds)

    def score(self, embeddings: np.ndarray) -> np.ndarray:
        return self.calibration.apply(embeddings @ self.prototypes.T)


def custom_hazards(policy: Taxonomy, trained_codes: set[str], default: Taxonomy) -> list[Hazard]:
    """Policy categories the trained head cannot score: new codes, or default codes redefined."""
    out = []
    for h in policy.hazards:
        if h.code in trained_codes and h.code in default and default.get(h.code).definition == h.definition \
                and not h.examples:
            continue
        out.append(h)
    return out
