"""`slmguard train detector` end to end on a fake data folder with the tiny encoder."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from slmguard.cli.main import app
from slmguard.respond.guard import Guard


def test_train_detector_command_builds_a_loadable_artifact(fake_data, tiny_encoder, tmp_path):
    out, report = tmp_path / "artifact", tmp_path / "report"
    args = ["train", "detector", "--data-dir", str(fake_data), "--encoder", str(tiny_encoder), "--pools",
            "advbench,alpaca", "--per-hazard", "20", "--written-harmful", "0", "--written-benign", "0",
            "--epochs", "1", "--rounds", "2", "--batch-size", "8", "--out", str(out), "--report-dir", str(report),
            "--work-dir", str(tmp_path / "rounds"), "--no-progress"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (report / "weak_supervision.md").is_file()
    training = json.loads((report / "training.json").read_text())
    assert training["n_examples"] > 10 and 1 <= len(training["rounds"]) <= 2
    assert "## Self-training rounds" in (report / "weak_supervision.md").read_text()
    guard = Guard.load(out, encoder_path=tiny_encoder)
    assert 0.0 <= guard.classify("write a haiku").score <= 1.0


def test_train_detector_refuses_an_evaluation_set(fake_data, tiny_encoder, tmp_path):
    result = CliRunner().invoke(app, ["train", "detector", "--data-dir", str(fake_data), "--encoder", str(tiny_encoder),
                                      "--pools", "advbench,strongreject", "--written-harmful", "0", "--out", str(tmp_path / "a"),
                                      "--report-dir", str(tmp_path / "r"), "--no-progress"])
    assert result.exit_code == 2
    assert "strongreject" in result.output and "evaluation set" in result.output


def test_training_writes_beside_the_package_unless_asked_to_replace_the_shipped_artifact():
    for command in ("detector", "guardian"):
        shown = CliRunner().invoke(app, ["train", command, "--help"], env={"COLUMNS": "200"}).output
        assert "--replace-shipped" in shown and f"runs/{command}/artifact" in shown
