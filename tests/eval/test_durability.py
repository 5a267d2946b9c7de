"""The detector durability suite: every prompt under every attack and defence, resumable, reported."""

from __future__ import annotations

import json

import pytest
from conftest import SAFE, UNSAFE

from slmguard.core.types import Example, Label
from slmguard.eval.durability import DEFENCES, PLAIN, attacked_input, run_detector_suite, summarise, \
    write_detector_report
from slmguard.respond.guard import Guard


@pytest.fixture(scope="module")
def tiny_guard(tiny_artifact, tiny_encoder):
    return Guard.load(tiny_artifact[0], encoder_path=tiny_encoder)


def sets():
    harmful = {"toy_harmful": [Example(t, "toy", f"h{i}", Label.UNSAFE) for i, t in enumerate(UNSAFE[:4])]}
    benign = {"toy_safe": [Example(t, "toy", f"s{i}", Label.SAFE) for i, t in enumerate(SAFE[:3])]}
    return harmful, benign


def test_suite_scores_every_prompt_under_every_attack_and_defence(tiny_guard, tmp_path):
    harmful, benign = sets()
    rows = run_detector_suite(tiny_guard, harmful, benign, ["leetspeak", "escalation"], [], tmp_path)
    assert len(rows) == 3 * len(DEFENCES) * 7
    assert {r.attack for r in rows} == {PLAIN, "leetspeak", "escalation"}
    leet = [r for r in rows if r.attack == "leetspeak" and r.defence == "none"]
    assert all(any(c.isdigit() for c in r.input) for r in leet)
    # Multi-turn attacks reach the detector as a conversation.
    assert isinstance(attacked_input("x y z", "escalation", __import__("random").Random(0), []), list)
    summary = {s.attack: s for s in summarise(rows)}
    assert summary[PLAIN].recall["none"].n == 4 and summary[PLAIN].fpr["none"].n == 3

    class Broken(Guard):
        def classify_batch(self, xs, kind="prompt"):
            raise AssertionError("a finished step was scored again")

    again = run_detector_suite(Broken(tiny_guard.classifier), harmful, benign, ["leetspeak", "escalation"], [],
                               tmp_path)
    assert again == rows


def test_report_has_the_table_the_plot_and_a_summary(tiny_guard, tmp_path):
    harmful, benign = sets()
    rows = run_detector_suite(tiny_guard, harmful, benign, ["homoglyphs"], [], tmp_path)
    path = write_detector_report(rows, tmp_path, "Toy durability", ["a note"])
    text = path.read_text()
    assert "| homoglyphs | obfuscation |" in text and "a note" in text and "recall, decode+segments" in text
    assert (tmp_path / "recall.png").stat().st_size > 1000
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary[0]["attack"] == PLAIN and 0.0 <= summary[0]["recall"]["decode"]["ci95"][0] <= 1.0
