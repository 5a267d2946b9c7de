"""An evaluation set without reference labels (Q-Harm) reports its flag rate and nothing else."""

import json
from typing import Sequence

import pytest

from slmguard.core.types import Example, Label, Verdict
from slmguard.eval.metrics import detection_metrics, pooled_metrics
from slmguard.eval.report import write_report
from slmguard.eval.runner import run_eval


class WordDetector:
    """Flags a text that contains 'bad' (score 0.9), else scores it 0.1."""

    model_id = "word-test"

    def classify_batch(self, texts: Sequence[str], kind: str = "prompt") -> list[Verdict]:
        return [Verdict("bad" in t, 0.9 if "bad" in t else 0.1, {}, 0.5, {}, self.model_id, 0.0, kind) for t in texts]


def ex(set_name: str, i: int, text: str, label: Label | None) -> Example:
    return Example(text, set_name, f"{set_name}:{i}", label)


U, S = Label.UNSAFE, Label.SAFE

SETS = {
    "labelled": [ex("labelled", 1, "bad thing", U), ex("labelled", 2, "bad idea", U),
                 ex("labelled", 3, "nice thing", S), ex("labelled", 4, "kind words", S)],
    # three of four flagged: every one unlabelled, none may count as safe (a false positive) or unsafe
    "stl_q_harm": [ex("stl_q_harm", 1, "bad 1", None), ex("stl_q_harm", 2, "bad 2", None),
                   ex("stl_q_harm", 3, "bad 3", None), ex("stl_q_harm", 4, "fine", None)],
}


def test_unlabelled_set_reports_only_its_flag_rate():
    examples = SETS["stl_q_harm"]
    d = detection_metrics(examples, WordDetector().classify_batch([e.text for e in examples]))
    assert (d.n, d.n_unsafe, d.n_safe, d.n_unlabelled) == (0, 0, 0, 4)
    assert (d.tp, d.fp, d.tn, d.fn) == (0, 0, 0, 0)
    assert d.precision is d.recall is d.f1 is d.auprc is d.fpr is None
    assert d.flagged == 3 and d.flag_rate == pytest.approx(0.75)


def test_flag_rate_of_a_labelled_set_counts_every_example():
    examples = SETS["labelled"] + [ex("labelled", 5, "bad, no label", None)]
    d = detection_metrics(examples, WordDetector().classify_batch([e.text for e in examples]))
    assert d.flagged == 3 and d.flag_rate == pytest.approx(3 / 5)
    assert d.fpr == 0.0 and d.recall == 1.0 and d.n_unlabelled == 1


def test_empty_set_has_no_flag_rate():
    assert detection_metrics([], []).flag_rate is None


def test_pooled_metrics_leave_unlabelled_rows_out():
    det = WordDetector()
    parts = [(ex_, det.classify_batch([e.text for e in ex_])) for ex_ in SETS.values()]
    d = pooled_metrics("w", parts).detection
    assert (d.n, d.n_unsafe, d.n_safe, d.n_unlabelled) == (4, 2, 2, 4)
    assert (d.tp, d.fp, d.tn, d.fn) == (2, 0, 2, 0)
    assert d.precision == 1.0 and d.fpr == 0.0
    assert d.flagged == 2 and d.flag_rate == 0.5  # over the labelled rows only
    with pytest.raises(ValueError, match="verdicts"):
        pooled_metrics("w", [(SETS["labelled"], [])])


def test_report_with_an_unlabelled_evaluation_set(tmp_path):
    run = run_eval({"w": WordDetector()}, SETS, progress=False)
    q = run.metrics[("stl_q_harm", "w")].detection
    assert q.flag_rate == pytest.approx(0.75) and q.precision is None and q.fpr is None
    assert run.pooled["w"].detection.fpr == 0.0

    report = write_report(run, tmp_path, title="t")
    text = report.read_text(encoding="utf-8")
    assert "| set | detector | n | unsafe | safe | precision | recall | F1 | AUPRC | FPR | flagged | top-1 hazard |" \
        in text
    row = next(line for line in text.splitlines() if line.startswith("| stl_q_harm | w |"))
    assert row.split(" | ")[2:] == ["0", "0", "0", "–", "–", "–", "–", "–", "0.750", "– |"]
    assert "| stl_q_harm | 4 | 0 | 0 | CC-BY-NC-4.0 |" in text  # sets table: n, unsafe, safe, license

    metrics = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    q_json = next(r for r in metrics["results"] if r["set_name"] == "stl_q_harm")["detection"]
    assert q_json["flag_rate"] == pytest.approx(0.75) and q_json["fpr"] is None and q_json["n_unlabelled"] == 4
    scores = [json.loads(line) for line in (tmp_path / "scores.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {s["label"] for s in scores if s["set"] == "stl_q_harm"} == {None}


def test_cli_summary_prints_the_flag_rate(capsys):
    from slmguard.cli.eval_cmd import _summary

    _summary(run_eval({"w": WordDetector()}, SETS, progress=False))
    out = capsys.readouterr().out
    assert "flagged" in out and "0.750" in out
