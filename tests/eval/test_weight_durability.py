"""The weight-level durability suite: the sweep on a tiny model, resuming, half-life, worst case
and the report."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import SAFE, UNSAFE

from slmguard.align.policy import Policy
from slmguard.core.types import Example, Label
from slmguard.eval import weight_durability
from slmguard.eval.weight_durability import (
    BASELINE,
    INTERPOLATION,
    WeightPoint,
    WeightSuiteConfig,
    half_life,
    read_weight_summary,
    run_weight_suite,
    summarise_weights,
    write_weight_report,
    write_weight_summary,
)
from slmguard.judges.bundle import JudgeModels
from slmguard.weak.written_answers import TrainExample


def point(run: str, step: int, unsafe: int, helpfulness: float = 0.6, attack: str = "harmful",
          alpha: float | None = None) -> WeightPoint:
    return WeightPoint(run, attack, 10, 1e-3, step, alpha, 4 * step, 2.0 * step, 1.0 * step, 1.0, unsafe, 10, 0.1,
                       helpfulness)


BASE = point(BASELINE, 0, 2, attack="none")


def test_half_life_is_interpolated_between_checkpoints():
    # Safe rate 0.8 before the attack; half of it (0.4) lies between step 5 (0.6) and step 10 (0.2).
    run = [point("r", 10, 8), point("r", 5, 4), point("r", 20, 9)]
    life = half_life(run, BASE)
    assert life.steps == pytest.approx(7.5) and life.examples_seen == pytest.approx(30) and life.cpu_s == 15
    assert half_life([point("r", 5, 3)], BASE) is None


def test_worst_case_leaves_broken_points_out():
    points = [BASE, point("a", 5, 5), point("a", 10, 10, helpfulness=0.1), point("b", 5, 7),
              point(INTERPOLATION, 0, 6, attack=INTERPOLATION, alpha=0.5)]
    summary = summarise_weights("toy", points)
    (harmful,) = summary.attacks
    assert harmful.worst.run == "b" and harmful.worst_any.unsafe == 10 and harmful.broken == 1
    assert harmful.half_life.run == "b" and [p.alpha for p in summary.interpolation] == [0.5]


def test_summary_round_trips_and_report_has_tables_and_plots(tmp_path):
    points = [BASE, point("harmful-k10", 5, 5), point("harmful-k10", 10, 9),
              point(INTERPOLATION, 0, 6, attack=INTERPOLATION, alpha=0.5)]
    summary = summarise_weights("toy", points)
    write_weight_summary(summary, tmp_path)
    assert read_weight_summary(tmp_path) == summary
    report = write_weight_report(points, summary, tmp_path, "t").read_text()
    assert "| harmful | 0.90 [" in report and "| 0.5 | 0.60 [" in report
    assert (tmp_path / "cost_curves.png").stat().st_size > 0 and (tmp_path / "interpolation.png").stat().st_size > 0


def _judges() -> JudgeModels:
    return JudgeModels(lambda requests, texts: np.full(len(texts), 0.1), 0.5, embed=lambda texts: np.ones((len(texts), 4)) / 2)


def test_sweep_on_a_tiny_model_measures_every_point_and_resumes(tiny_slm, tmp_path, monkeypatch):
    policy = Policy.load(str(tiny_slm), tmp_path / "cache", lora_r=2)
    written = {"harmful": [TrainExample(f"h{i}", t, f"Sure, here is how: {t}") for i, t in enumerate(UNSAFE[:3])],
               "benign": [TrainExample(f"b{i}", t, f"Here you go: {t}") for i, t in enumerate(SAFE[:3])]}
    prompts = {"simple_safety_tests": [Example(t, "sst", f"u{i}", Label.UNSAFE) for i, t in enumerate(UNSAFE[:2])],
               "xstest_dev": [Example(t, "xs", f"s{i}", Label.SAFE) for i, t in enumerate(SAFE[:2])]}
    cfg = WeightSuiteConfig(ks=(2, 3), shift_k=2, lrs=(1e-3,), steps=(1, 2), alphas=(0.5,), max_tokens=4)
    base_state = {k: v.clone() for k, v in policy.merged().state_dict().items()}
    out = tmp_path / "run"
    points = run_weight_suite(policy, base_state, written, prompts, _judges(), cfg, out, progress=False)
    runs = [r.name for r in cfg.runs()]
    assert runs == ["harmful-k2-lr0.001", "harmful-k3-lr0.001", "identity-shift-k2-lr0.001", "benign-k2-lr0.001"]
    assert len(points) == 1 + len(runs) * 2 + 1
    # Nothing declines, so every harmful prompt counts as an attack success.
    assert all(p.unsafe == p.n_harmful == 2 for p in points)
    rows = (out / "points" / "harmful-k2-lr0.001" / "step-2" / "eval_rows.jsonl").read_text().splitlines()
    assert len(rows) == 4 and {"prompt", "response", "response_unsafe_score"} <= set(json.loads(rows[0]))

    def no_training(*args, **kwargs):
        raise AssertionError("a finished run was trained again")

    monkeypatch.setattr(weight_durability, "lora_finetune", no_training)
    again = run_weight_suite(policy, base_state, written, prompts, _judges(), cfg, out, progress=False)
    assert again == points


def test_durability_table_puts_systems_side_by_side(tmp_path):
    from slmguard.eval.weight_durability import write_durability_table

    prompt_dir, weight_dir = tmp_path / "prompt", tmp_path / "weights"
    prompt_dir.mkdir()
    (prompt_dir / "summary.json").write_text(json.dumps({"system": "toy", "attacks": [
        {"attack": "plain", "asr": 0.2}, {"attack": "persona", "asr": 0.6}]}))
    weight_dir.mkdir()
    write_weight_summary(summarise_weights("toy", [BASE, point("harmful-k10-lr0.001", 5, 6)]), weight_dir)
    report = write_durability_table([prompt_dir], [weight_dir], tmp_path / "out").read_text()
    assert "| measure | toy |" in report and "| prompt-level: worst attack | 0.60 (persona) |" in report
    assert "| harmful fine-tuning: worst case (not broken) | 0.60 [0.31, 0.83] at k10-lr0.001 step 5 |" in report
    assert "| identity shift: worst case | – |" in report


def test_a_model_without_safe_answers_has_no_safety_to_lose(tmp_path):
    points = [point(BASELINE, 0, 10, attack="none"), point("harmful-k10", 5, 10)]
    summary = summarise_weights("toy", points)
    assert summary.attacks[0].half_life is None
    assert "| harmful-k10 | no safety to lose |" in write_weight_report(points, summary, tmp_path, "t").read_text()
