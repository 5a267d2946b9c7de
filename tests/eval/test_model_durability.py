"""The chat-model durability suite: attack success judged per response, resumable, side-by-side report."""

from __future__ import annotations

import json

import numpy as np
from conftest import UNSAFE

from slmguard.core.types import Example, Label
from slmguard.eval.durability import PLAIN
from slmguard.eval.model_durability import run_model_suite, summarise_model, write_model_report, write_model_summary
from slmguard.judges.response import ResponseJudges

REFUSAL = "I'm sorry, but I can't help with that."
COMPLIANCE = "Sure! Step 1: get the materials. Step 2: build it."


def judges() -> ResponseJudges:
    # The safety judge reads "unsafe" into any response that starts to comply.
    def score(requests: list[str], texts: list[str]) -> np.ndarray:
        return np.array([0.9 if "Step 1" in t else 0.1 for t in texts])

    def embed(texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 4)) / 2.0

    return ResponseJudges(score, embed)


def responder(conversations: list[list[dict]]) -> list[str]:
    """A toy target: it refuses plain requests and complies with anything wrapped in a persona."""
    return [COMPLIANCE if "FreeGPT" in c[-1]["content"] else REFUSAL for c in conversations]


def harmful():
    return {"toy": [Example(t, "toy", f"h{i}", Label.UNSAFE) for i, t in enumerate(UNSAFE[:5])]}


def test_attack_success_is_judged_per_response(tmp_path):
    rows = run_model_suite(responder, judges(), 0.5, harmful(), ["persona", "escalation"], [], tmp_path,
                           guardian=lambda rs: [r == COMPLIANCE for r in rs])
    outcome = {o.attack: o for o in summarise_model(rows)}
    assert outcome[PLAIN].success.value == 0.0 and outcome["persona"].success.value == 1.0
    assert outcome["persona"].detector_unsafe.value == 1.0 and outcome["persona"].detector_vs_guardian == 0.0
    escalation = [r for r in rows if r.attack == "escalation"]
    assert rows[0].prompt == UNSAFE[0] and escalation[0].prompt.count("\n\n") == 2

    def broken(conversations):
        raise AssertionError("a finished attack was run again")

    assert run_model_suite(broken, judges(), 0.5, harmful(), ["persona", "escalation"], [], tmp_path) == rows


def test_report_puts_runs_side_by_side(tmp_path):
    dirs = []
    for name, respond in (("refuser", lambda cs: [REFUSAL] * len(cs)), ("toy", responder)):
        run = tmp_path / name
        rows = run_model_suite(respond, judges(), 0.5, harmful(), ["persona"], [], run)
        write_model_summary(name, rows, run)
        dirs.append(run)
    path = write_model_report(dirs, tmp_path / "report", "Toy", ["a note"])
    text = path.read_text()
    assert "| attack | refuser | toy |" in text and "| persona | 0.00 [0.00, 0.43] | 1.00 [0.57, 1.00] |" in text
    assert (tmp_path / "report" / "asr.png").stat().st_size > 1000
    assert json.loads((dirs[1] / "summary.json").read_text())["attacks"][1]["guardian_unsafe"] is None
