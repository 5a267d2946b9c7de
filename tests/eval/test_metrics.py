import pytest

from slmguard.core.types import Example, Label, Verdict
from slmguard.eval.metrics import POOLED, category_metrics, detection_metrics, pooled_metrics, set_metrics


def ex(i: int, label: Label | None, cats: tuple[str, ...] = ()) -> Example:
    return Example(f"text {i}", "t", f"t:{i}", label, cats)


def verdict(score: float, cats: dict[str, float] | None = None, threshold: float = 0.5) -> Verdict:
    return Verdict(score >= threshold, score, cats or {}, threshold, {}, "test", 0.0)


U, S = Label.UNSAFE, Label.SAFE


@pytest.fixture
def mixed():
    examples = [ex(1, U, ("vcr", "ncr")), ex(2, U, ("vcr",)), ex(3, U, ("hte",)), ex(4, S), ex(5, S), ex(6, S),
                ex(7, None)]
    verdicts = [verdict(0.9, {"vcr": 0.8, "ncr": 0.2}), verdict(0.6, {"ncr": 0.9, "vcr": 0.4}),
                verdict(0.3, {"hte": 0.6}), verdict(0.7), verdict(0.2), verdict(0.1), verdict(0.99)]
    return examples, verdicts


def test_two_class_set_matches_hand_computed_values(mixed):
    m = detection_metrics(*mixed)
    assert (m.n, m.n_unsafe, m.n_safe, m.n_unlabelled) == (6, 3, 3, 1)
    assert (m.tp, m.fp, m.tn, m.fn) == (2, 1, 2, 1)
    assert m.precision == pytest.approx(2 / 3)
    assert m.recall == pytest.approx(2 / 3)
    assert m.f1 == pytest.approx(2 / 3)
    assert m.fpr == pytest.approx(1 / 3)
    # ranking U S U U S S: precision at each unsafe rank is 1, 2/3, 3/4
    assert m.auprc == pytest.approx((1 + 2 / 3 + 3 / 4) / 3)


def test_all_unsafe_set_leaves_precision_f1_auprc_fpr_undefined():
    m = detection_metrics([ex(1, U), ex(2, U)], [verdict(0.9), verdict(0.1)])
    assert m.recall == pytest.approx(0.5)
    assert m.precision is None and m.f1 is None and m.auprc is None and m.fpr is None


def test_all_safe_set_leaves_recall_precision_f1_auprc_undefined():
    m = detection_metrics([ex(1, S), ex(2, S), ex(3, S), ex(4, S)], [verdict(0.9), verdict(0.1), verdict(0.2),
                                                                       verdict(0.3)])
    assert m.fpr == pytest.approx(0.25)
    assert m.recall is None and m.precision is None and m.f1 is None and m.auprc is None


def test_nothing_flagged_gives_no_precision_but_zero_f1():
    m = detection_metrics([ex(1, U), ex(2, S)], [verdict(0.4), verdict(0.1)])
    assert m.precision is None
    assert m.recall == 0.0 and m.f1 == 0.0 and m.fpr == 0.0
    assert m.auprc == pytest.approx(1.0)


def test_empty_set():
    m = detection_metrics([], [])
    assert m.n == 0
    assert (m.precision, m.recall, m.f1, m.auprc, m.fpr) == (None, None, None, None, None)


def test_length_mismatch_raises():
    with pytest.raises(ValueError, match="2 examples but 1 verdicts"):
        detection_metrics([ex(1, U), ex(2, S)], [verdict(0.5)])


def test_per_category_recall_and_hit_rate(mixed):
    cats = {c.code: c for c in category_metrics(*mixed)}
    assert list(cats) == ["vcr", "ncr", "hte"]  # taxonomy order
    vcr, ncr, hte = cats["vcr"], cats["ncr"], cats["hte"]
    assert (vcr.n_unsafe, vcr.detected, vcr.recall, vcr.hits, vcr.hit_rate) == (2, 2, 1.0, 1, 0.5)
    assert vcr.name == "Violent crimes"
    assert (ncr.n_unsafe, ncr.recall, ncr.hit_rate) == (1, 1.0, 0.0)
    # the category score is above threshold but the example was not flagged: no hit
    assert (hte.n_unsafe, hte.detected, hte.recall, hte.hits, hte.hit_rate) == (1, 0, 0.0, 0, 0.0)


def test_unknown_codes_are_kept_after_taxonomy_codes():
    cats = category_metrics([ex(1, U, ("zz_custom", "hte"))], [verdict(0.9, {"zz_custom": 0.9})])
    assert [(c.code, c.name, c.hit_rate) for c in cats] == [("hte", "Hate", 0.0), ("zz_custom", "zz_custom", 1.0)]


def test_safe_examples_do_not_count_in_categories():
    assert category_metrics([ex(1, S, ("vcr",))], [verdict(0.9)]) == ()


def test_pooled_combines_single_class_sets():
    unsafe = ([ex(1, U, ("vcr",)), ex(2, U, ("vcr",))], [verdict(0.9), verdict(0.4)])
    safe = ([ex(3, S), ex(4, S)], [verdict(0.6), verdict(0.1)])
    p = pooled_metrics("kw", [unsafe, safe])
    assert p.set_name == POOLED and p.detector == "kw"
    d = p.detection
    assert (d.tp, d.fp, d.tn, d.fn) == (1, 1, 1, 1)
    assert d.precision == 0.5 and d.recall == 0.5 and d.f1 == 0.5 and d.fpr == 0.5
    # ranking U S U S: precision 1 then 2/3
    assert d.auprc == pytest.approx((1 + 2 / 3) / 2)
    assert [(c.code, c.n_unsafe, c.recall) for c in p.categories] == [("vcr", 2, 0.5)]


def test_set_metrics_bundles_both(mixed):
    m = set_metrics("s", "d", *mixed)
    assert m.detection == detection_metrics(*mixed)
    assert m.categories == category_metrics(*mixed)
