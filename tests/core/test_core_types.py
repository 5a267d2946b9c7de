"""Verdict: categories over thresholds, top categories, JSON form."""

import json
from types import MappingProxyType

import pytest

from slmguard.core.types import Example, Label, Verdict


def verdict(scores, thresholds=None, **kw) -> Verdict:
    fields = dict(unsafe=True, score=0.8123456789, category_scores=scores, threshold=0.5,
                  category_thresholds=thresholds or {}, model_id="test-model", latency_ms=1.23456, kind="prompt")
    fields.update(kw)
    return Verdict(**fields)


def test_categories_use_per_category_thresholds_and_sort_highest_first():
    v = verdict({"vcr": 0.55, "iwp": 0.95, "ncr": 0.3, "hte": 0.49}, {"vcr": 0.6, "ncr": 0.25})
    # vcr is under its own 0.6; ncr over its own 0.25; hte under the default 0.5
    assert v.categories == ["iwp", "ncr"]


def test_category_at_its_threshold_counts():
    assert verdict({"vcr": 0.5}).categories == ["vcr"]
    assert verdict({"vcr": 0.7}, {"vcr": 0.7}).categories == ["vcr"]
    assert verdict({}).categories == []


def test_top_categories():
    v = verdict({"a": 0.1, "b": 0.9, "c": 0.5, "d": 0.7})
    assert v.top_categories() == [("b", 0.9), ("d", 0.7), ("c", 0.5)]
    assert v.top_categories(1) == [("b", 0.9)]
    assert v.top_categories(10) == [("b", 0.9), ("d", 0.7), ("c", 0.5), ("a", 0.1)]


def test_to_dict_is_json_ready_and_rounded():
    v = verdict(MappingProxyType({"vcr": 0.123456789, "iwp": 0.9}), MappingProxyType({"vcr": 0.1}), kind="response")
    d = v.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d == {
        "unsafe": True, "score": 0.812346, "categories": ["iwp", "vcr"],
        "category_scores": {"vcr": 0.123457, "iwp": 0.9}, "threshold": 0.5,
        "category_thresholds": {"vcr": 0.1}, "model_id": "test-model", "latency_ms": 1.235, "kind": "response",
        "signals": [], "signal_scores": {},
    }


def test_a_safe_verdict_names_no_category_and_an_unsafe_one_at_least_one():
    assert verdict({"vcr": 0.9}, unsafe=False).categories == []
    assert verdict({"vcr": 0.2, "iwp": 0.3}).categories == ["iwp"]  # none over 0.5: the top one stands in
    assert verdict({"vcr": 0.9}, flagged_categories=("ssh",)).categories == ["ssh"]


def test_signals_count_only_on_an_unsafe_verdict():
    scores = {"jailbreak": 0.9, "harassment": 0.2}
    assert verdict({}, signal_scores=scores).signals == ["jailbreak"]
    assert verdict({}, signal_scores=scores, unsafe=False).signals == []


def test_values_are_frozen():
    with pytest.raises(AttributeError):
        verdict({}).score = 0.1
    e = Example("text", "src", "src:1", Label.SAFE)
    assert (e.categories, e.kind, e.raw_category) == ((), "prompt", None)
    with pytest.raises(AttributeError):
        e.label = Label.UNSAFE


def test_kind_is_an_enum_that_reads_plain_strings_and_refuses_others():
    from slmguard.core.types import Kind

    assert verdict({}, kind="response").kind is Kind.RESPONSE
    assert json.loads(json.dumps(verdict({}).to_dict()))["kind"] == "prompt"
    assert Example("t", "s", "1", kind="response").kind is Kind.RESPONSE
    with pytest.raises(ValueError, match="'answer' is not a valid Kind"):
        Example("t", "s", "1", kind="answer")
