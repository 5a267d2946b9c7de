"""The SLM guardian as a Detector (Verdicts like the fast detector's), and the cascade band."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from slmguard.core.types import Kind, Verdict
from slmguard.respond.slm_guardian import SlmGuardian

# A hazard is named when it takes at least this share of the unsafe probability.
CATEGORY_SHARE = 0.3


class SlmDetector:
    def __init__(self, slm: SlmGuardian, threshold: float | None = None) -> None:
        self.slm = slm
        self.threshold = slm.config.threshold if threshold is None else threshold
        self.model_id = slm.model_id

    def verdicts(self, probs: np.ndarray, cats: np.ndarray, kind: str, latency_ms: float) -> list[Verdict]:
        codes = self.slm.config.codes
        out = []
        for p, dist in zip(probs, cats):
            scores = {c: float(p * d) for c, d in zip(codes, dist)}
            cat_thresholds = {c: CATEGORY_SHARE * float(p) if p >= self.threshold else 1.0 for c in codes}
            out.append(Verdict(bool(p >= self.threshold), float(p), scores, self.threshold, cat_thresholds,
                               self.model_id, latency_ms, kind))  # type: ignore[arg-type]
        return out

    def classify_batch(self, texts: Sequence[str], kind: Kind = Kind.PROMPT) -> list[Verdict]:
        if not texts:
            return []
        start = time.perf_counter()
        s = self.slm.score(list(texts), kind)
        latency = (time.perf_counter() - start) * 1000 / len(texts)
        return self.verdicts(s.probs, s.categories, kind, latency)


@dataclass(frozen=True)
class CascadeBand:
    """Fast-detector scores in [low, high) are re-decided by the SLM; outside it the fast detector's
    verdict stands. A wider band costs more SLM calls."""

    low: float = 0.2
    high: float = 0.9

    def __post_init__(self) -> None:
        if not 0.0 <= self.low <= self.high <= 1.0:
            raise ValueError(f"cascade band must satisfy 0 <= low <= high <= 1, got ({self.low}, {self.high})")

    def uncertain(self, score: float) -> bool:
        return self.low <= score < self.high
