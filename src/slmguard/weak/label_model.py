"""Turn noisy votes into probabilistic targets with snorkel's LabelModel.

The label model estimates each labeling function's accuracy from their agreements and
disagreements alone (no ground truth), then weighs the votes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class LabelModelResult:
    probs: np.ndarray  # (n, cardinality) class probabilities; NaN rows where every function abstained
    accuracies: np.ndarray  # estimated accuracy per labeling function

    @property
    def positive(self) -> np.ndarray:
        """P(class 1) for a binary model."""
        return self.probs[:, 1]


def fit_label_model(votes: np.ndarray, seed: int = 0, epochs: int = 500, cardinality: int = 2,
                    fit_rows: np.ndarray | None = None) -> LabelModelResult:
    """votes: (n, m) ints in {-1, 0..cardinality-1}. Rows with no vote get NaN, never a guess.
    `fit_rows` (boolean mask) limits the rows the model is fitted on; all covered rows are predicted."""
    from snorkel.labeling.model import LabelModel

    votes = np.asarray(votes, dtype=int)
    covered = (votes != -1).any(axis=1)
    probs = np.full((len(votes), cardinality), np.nan)
    train = covered if fit_rows is None else covered & fit_rows
    if train.sum() == 0:
        return LabelModelResult(probs, np.full(votes.shape[1], np.nan))
    model = LabelModel(cardinality=cardinality, verbose=False, device="cpu")
    model.fit(L_train=votes[train], n_epochs=epochs, seed=seed, lr=0.01, log_freq=epochs + 1, progress_bar=False)
    probs[covered] = model.predict_proba(votes[covered])
    return LabelModelResult(probs, np.asarray(model.get_weights(), dtype=float))


def majority_vote(votes: np.ndarray) -> np.ndarray:
    """The baseline the label model must beat: share of non-abstaining votes that say 1."""
    votes = np.asarray(votes)
    pos = (votes == 1).sum(axis=1)
    total = (votes != -1).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, pos / np.maximum(total, 1), np.nan)
