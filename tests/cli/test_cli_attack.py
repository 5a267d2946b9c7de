"""`slmguard attack detector` on the real evaluation sets with the shipped detector."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from slmguard.cli.main import app


@pytest.mark.shipped
def test_attack_detector_writes_a_report(real_data_dir, tmp_path):
    out = tmp_path / "run"
    args = ["attack", "detector", "--attacks", "leetspeak,persona", "--limit", "3", "--benign-limit", "2",
            "--out", str(out), "--data-dir", str(real_data_dir)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = (out / "report.md").read_text()
    assert "| leetspeak | obfuscation |" in report and "| persona | wrapped |" in report
    assert len(list((out / "rows").glob("*.jsonl"))) == 3 * 3


def test_unknown_attack_is_refused(tmp_path):
    result = CliRunner().invoke(app, ["attack", "detector", "--attacks", "teleport", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "unknown attack" in result.output


@pytest.mark.shipped
def test_attack_model_runs_a_small_model_end_to_end(real_data_dir, tiny_slm, tmp_path):
    out = tmp_path / "tiny"
    args = ["attack", "model", "--model", str(tiny_slm), "--name", "tiny", "--attacks", "persona", "--limit", "1",
            "--max-tokens", "4", "--no-guardian-judge", "--out", str(out), "--data-dir", str(real_data_dir)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "| attack | tiny |" in (out / "report.md").read_text()
    assert sorted(p.name for p in (out / "rows").glob("*.jsonl")) == ["persona.jsonl", "plain.jsonl"]
