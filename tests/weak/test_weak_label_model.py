"""The label model on synthetic votes whose accuracies are known."""

import numpy as np
import pytest

from slmguard.weak.label_model import fit_label_model, majority_vote

TRUE_ACCURACY = np.array([0.95, 0.85, 0.75, 0.65, 0.60])
COVERAGE = np.array([0.30, 0.50, 0.60, 0.80, 0.90])
N, N_SILENT = 3000, 100


@pytest.fixture(scope="module")
def synthetic():
    rng = np.random.default_rng(1234)
    y = (rng.random(N) < 0.4).astype(int)
    correct = rng.random((N, len(TRUE_ACCURACY))) < TRUE_ACCURACY
    fires = rng.random((N, len(TRUE_ACCURACY))) < COVERAGE
    votes = np.where(fires, np.where(correct, y[:, None], 1 - y[:, None]), -1)
    votes[:N_SILENT] = -1  # rows where every function abstains
    result = fit_label_model(votes, seed=0, epochs=500)
    result.probs = result.positive  # the binary tests read P(class 1)
    return votes, y, result


def test_estimated_accuracies_are_close_to_the_truth(synthetic):
    _, _, result = synthetic
    assert result.accuracies.shape == TRUE_ACCURACY.shape
    np.testing.assert_allclose(result.accuracies, TRUE_ACCURACY, atol=0.06)
    # the ordering of the voters is recovered
    assert list(np.argsort(-result.accuracies)) == [0, 1, 2, 3, 4]


def test_label_model_beats_majority_vote(synthetic):
    votes, y, result = synthetic
    covered = ~np.isnan(result.probs)
    lm_accuracy = ((result.probs[covered] >= 0.5) == y[covered]).mean()
    mv = majority_vote(votes)[covered]
    # ties count as a coin flip: half right on average
    mv_accuracy = (np.where(mv == 0.5, 0.5, (mv > 0.5) == y[covered])).mean()
    assert lm_accuracy >= mv_accuracy
    assert lm_accuracy > 0.75


def test_rows_with_only_abstains_get_nan_and_others_a_probability(synthetic):
    votes, _, result = synthetic
    silent = (votes == -1).all(axis=1)
    assert silent[:N_SILENT].all()
    assert np.isnan(result.probs[silent]).all()
    p = result.probs[~silent]
    assert not np.isnan(p).any()
    assert ((p >= 0) & (p <= 1)).all()


def test_unanimous_strong_votes_give_confident_probabilities(synthetic):
    votes, _, result = synthetic
    all_one = (votes == 1).all(axis=1)
    all_zero = (votes == 0).all(axis=1)
    assert all_one.any() and all_zero.any()
    assert (result.probs[all_one] > 0.9).all()
    assert (result.probs[all_zero] < 0.1).all()


def test_all_abstain_matrix_returns_nan_without_fitting():
    result = fit_label_model(np.full((5, 3), -1))
    assert np.isnan(result.probs).all() and result.probs.shape == (5, 2)
    assert np.isnan(result.accuracies).all() and result.accuracies.shape == (3,)


def test_multiclass_label_model_recovers_the_class():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 4, 2000)
    votes = np.full((2000, 3), -1)
    for j, (acc, cov) in enumerate([(0.9, 0.8), (0.8, 0.7), (0.7, 0.9)]):
        on = rng.random(2000) < cov
        wrong = (y + rng.integers(1, 4, 2000)) % 4
        votes[on, j] = np.where(rng.random(on.sum()) < acc, y[on], wrong[on])
    result = fit_label_model(votes, seed=0, cardinality=4)
    covered = ~np.isnan(result.probs[:, 0])
    assert result.probs.shape == (2000, 4)
    assert (result.probs[covered].argmax(1) == y[covered]).mean() > 0.85
    assert result.accuracies[0] > result.accuracies[2]


def test_fit_rows_limit_fitting_but_every_covered_row_is_predicted():
    votes = np.array([[1, 1, 1], [0, 0, 0], [1, 0, -1], [-1, -1, -1]] * 50)
    result = fit_label_model(votes, fit_rows=np.arange(len(votes)) < 100)
    assert not np.isnan(result.positive[:3]).any() and np.isnan(result.positive[3])


def test_majority_vote():
    votes = np.array([[1, 1, 0], [0, -1, 0], [-1, -1, -1], [1, 0, -1]])
    mv = majority_vote(votes)
    assert mv[0] == pytest.approx(2 / 3)
    assert mv[1] == 0.0
    assert np.isnan(mv[2])
    assert mv[3] == 0.5
