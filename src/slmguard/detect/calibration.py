"""Platt scaling of raw logits into calibrated probabilities, fitted on a held-back split."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Platt:
    """p = sigmoid(a * logit + b); the identity when a=1, b=0."""

    a: float = 1.0
    b: float = 0.0

    def apply(self, logits: np.ndarray) -> np.ndarray:
        z = np.clip(self.a * np.asarray(logits, dtype=np.float64) + self.b, -40, 40)
        return 1.0 / (1.0 + np.exp(-z))


def logit(p: np.ndarray | float) -> np.ndarray:
    """The inverse of the sigmoid, with p kept off 0 and 1."""
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return np.log(p / (1 - p))


def fit_platt(logits: np.ndarray, targets: np.ndarray) -> Platt:
    """Fit on soft or hard targets in [0, 1]; weak labels are probabilities, so hard labels are
    sampled as two weighted copies (y=1 with weight t, y=0 with weight 1-t)."""
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(logits, dtype=np.float64).reshape(-1, 1)
    t = np.clip(np.asarray(targets, dtype=np.float64), 0.0, 1.0)
    if len(x) < 4 or t.max() - t.min() < 1e-6:
        return Platt()
    xs = np.vstack([x, x])
    ys = np.concatenate([np.ones(len(t)), np.zeros(len(t))])
    ws = np.concatenate([t, 1.0 - t])
    model = LogisticRegression(C=100.0, max_iter=1000).fit(xs, ys, sample_weight=ws)
    return Platt(float(model.coef_[0, 0]), float(model.intercept_[0]))


def expected_calibration_error(probs: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    probs, labels = np.asarray(probs, dtype=float), np.asarray(labels, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(probs, edges[1:-1]), 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            ece += mask.mean() * abs(probs[mask].mean() - labels[mask].mean())
    return float(ece)
