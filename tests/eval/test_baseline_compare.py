"""`default` against `frozen-lr` at shared operating points, on a toy run with fixed scores."""

from __future__ import annotations

import pytest

from slmguard.core.types import Example, Label, Verdict
from slmguard.eval.baseline_compare import (BaselineComparison, compare_to_baseline, cut_at_fpr, cut_at_recall,
                                            verdict_word)
from slmguard.eval.runner import run_eval

U, S = Label.UNSAFE, Label.SAFE
SETS = {
    "xstest_dev": [Example("u1", "xstest_dev", "u1", U), Example("u2", "xstest_dev", "u2", U),
                   Example("s1", "xstest_dev", "s1", S), Example("s2", "xstest_dev", "s2", S)],
    "simple_safety_tests": [Example(t, "simple_safety_tests", t, U) for t in ("h1", "h2", "h3", "h4")],
    "alpaca_eval": [Example(t, "alpaca_eval", t, S) for t in ("a1", "a2", "a3", "a4")],
}
BASELINE = {"u1": .8, "u2": .4, "s1": .6, "s2": .1, "h1": .9, "h2": .55, "h3": .45, "h4": .3,
            "a1": .2, "a2": .3, "a3": .7, "a4": .1}
# A stricter own threshold (0.9): at it the trained detector would look worse on recall than it is.
TRAINED = {"u1": .97, "u2": .96, "s1": .95, "s2": .2, "h1": .99, "h2": .5, "h3": .35, "h4": .31,
           "a1": .1, "a2": .92, "a3": .05, "a4": .3}


class Fixed:
    def __init__(self, scores: dict[str, float], threshold: float) -> None:
        self.scores, self.threshold, self.model_id = scores, threshold, "fixed"

    def classify_batch(self, texts, kind="prompt"):
        return [Verdict(self.scores[t] >= self.threshold, self.scores[t], {}, self.threshold, {}, "fixed", 0.0, kind)
                for t in texts]


@pytest.fixture(scope="module")
def run():
    return run_eval({"default": Fixed(TRAINED, 0.9), "frozen-lr": Fixed(BASELINE, 0.5)}, SETS, progress=False)


def test_cuts():
    safe = [0.7, 0.6, 0.3, 0.2, 0.1, 0.1]
    cut = cut_at_fpr(safe, 2 / 6)
    assert sum(s >= cut for s in safe) == 2 and 0.3 < cut < 0.31
    assert sum(s >= cut_at_fpr(safe, 0.25) for s in safe) == 1  # floor: never above the FPR asked for
    assert cut_at_fpr(safe, 1.0) == float("-inf")
    assert sum(s >= cut_at_fpr([0.5, 0.5, 0.1], 0.34) for s in [0.5, 0.5, 0.1]) == 0  # ties stay together
    assert cut_at_recall([0.9, 0.8, 0.55, 0.45], 0.5) == 0.8 and cut_at_recall([0.9], 0.0) == float("inf")


def test_each_set_is_compared_at_a_shared_operating_point(run):
    from sklearn.metrics import average_precision_score

    got = {c.set_name: c for c in compare_to_baseline(run)}
    assert list(got) == ["xstest_dev", "simple_safety_tests", "alpaca_eval", "all sets (pooled)"]
    x = got["xstest_dev"]
    assert x.measure == "AUPRC" and x.detector_value == 1.0 and x.baseline_value == pytest.approx(5 / 6)
    # frozen-lr flags 2 of the 6 pooled safe examples at its own threshold: both get FPR <= 1/3.
    sst = got["simple_safety_tests"]
    assert sst.measure == "recall at pooled-safe FPR ≤ 0.333"
    assert (sst.detector_value, sst.baseline_value, sst.beats) == (1.0, 0.75, True)
    # frozen-lr's pooled recall is 3/6: both thresholds are set to reach it, then FPR compared (lower wins).
    ae = got["alpaca_eval"]
    assert ae.measure == "FPR at pooled recall ≥ 0.500" and not ae.higher_is_better
    assert (ae.detector_value, ae.baseline_value, ae.beats) == (0.0, 0.25, True)
    labels = [e.label is U for s in SETS for e in SETS[s]]
    pooled = got["all sets (pooled)"]
    assert pooled.detector_value == pytest.approx(average_precision_score(labels, [TRAINED[e.text] for s in SETS
                                                                                    for e in SETS[s]]))


def test_words_and_missing_baseline(run):
    assert verdict_word(BaselineComparison("s", "AUPRC", "a", "b", 0.5, 0.5)) == "tie"
    assert verdict_word(BaselineComparison("s", "AUPRC", "a", "b", 0.4, 0.5)) == "no"
    assert verdict_word(BaselineComparison("s", "FPR", "a", "b", 0.4, 0.5, higher_is_better=False)) == "yes"
    assert verdict_word(BaselineComparison("s", "AUPRC", "a", "b", None, 0.5)) == "–"
    assert compare_to_baseline(run, baseline="keyword") == []


def test_report_has_the_table(run, tmp_path):
    import json

    from slmguard.eval.report import write_report

    text = write_report(run, tmp_path).read_text()
    assert "## Beats baseline?" in text
    assert "| simple_safety_tests | recall at pooled-safe FPR ≤ 0.333 | 1.000 | 0.750 | yes |" in text
    saved = json.loads((tmp_path / "metrics.json").read_text())["beats_baseline"]
    assert [c["beats"] for c in saved] == [True, True, True, True]
