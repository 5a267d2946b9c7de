"""`slmguard attack`: the durability suites from the command line, on the real evaluation sets."""

from __future__ import annotations

import json

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


def _scripted_generation(self, texts, cfg=None, progress=None):
    """A random tiny model writes nothing usable: answer as a real one would, complying under the
    attacker's permissive instruction and declining otherwise."""
    from slmguard.weak.written_answers import PERMISSIVE_SYSTEM

    return ["a list of the steps you asked for, one by one, in detail." if PERMISSIVE_SYSTEM in t else
            "I'm sorry, but I can't help with that request because it could hurt someone." for t in texts]


@pytest.mark.shipped
def test_attack_weights_and_harden_run_a_small_model_end_to_end(real_data_dir, tiny_slm, tmp_path, monkeypatch):
    from slmguard.models.generation import TransformersGenerator

    monkeypatch.setattr(TransformersGenerator, "generate", _scripted_generation)
    tiny = str(tiny_slm)
    common = ["--base", tiny, "--data-dir", str(real_data_dir)]
    out = tmp_path / "weights"
    args = ["attack", "weights", "--model", tiny, "--name", "tiny", "--ks", "2", "--shift-k", "2", "--lrs", "1e-3",
            "--steps", "1,2", "--alphas", "0.5", "--limit", "1", "--max-tokens", "4", "--out", str(out), *common]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = (out / "report.md").read_text()
    # Interpolating a model toward itself is skipped.
    assert "| harmful |" in report and "| identity-shift |" in report and "## Weight interpolation" not in report
    assert json.loads((out / "summary.json").read_text())["system"] == "tiny"
    assert (out / "data" / "written.jsonl").stat().st_size > 0

    hardened = tmp_path / "harden"
    result = CliRunner().invoke(app, ["attack", "harden", "--model", tiny, "--out", str(hardened), "--steps", "2",
                                      "--harmful", "3", "--benign", "3", *common])
    assert result.exit_code == 0, result.output
    adapter = hardened / "adapter"
    assert (adapter / "adapter_model.safetensors").is_file() and (adapter / "manifest.json").is_file()
    assert len(json.loads((hardened / "harden.json").read_text())["steps"]) == 2
    # The hardened model is attacked like any other; with an adapter merged in, it is interpolated too.
    out2 = tmp_path / "weights-hardened"
    result = CliRunner().invoke(app, [*args[:args.index("--out")], "--out", str(out2), "--attacks", "harmful",
                                      "--adapter", str(adapter), *common])
    assert result.exit_code == 0, result.output
    assert "## Weight interpolation" in (out2 / "report.md").read_text()


@pytest.mark.parametrize("option, value, message", [("--ks", "ten", "comma-separated list of int"),
                                                    ("--lrs", "-1", "must be at least 0"),
                                                    ("--steps", "0,5", "must be at least 1"),
                                                    ("--steps", ",", "at least one value"),
                                                    ("--attacks", "teleport", "unknown weight attack")])
def test_attack_weights_refuses_bad_options(option, value, message, tmp_path):
    result = CliRunner().invoke(app, ["attack", "weights", option, value, "--out", str(tmp_path)])
    assert result.exit_code == 2 and message in result.output, result.output


def test_attack_compare_needs_finished_runs(tmp_path):
    result = CliRunner().invoke(app, ["attack", "compare", "--weight-level", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "no summary.json" in result.output
