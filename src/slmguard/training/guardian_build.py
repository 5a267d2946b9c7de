"""`slmguard train guardian` end to end: weak labels -> base-model candidates -> judges -> LoRA
multi-task training -> calibrated artifact, with the detection-only / response-only ablation."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from slmguard.judges.response import ResponseJudges
from slmguard.respond.slm_guardian import Backend, SlmGuardian
from slmguard.training.guardian_data import GuardianData, GuardianDataConfig, build_guardian_data
from slmguard.training.slm_train import GuardianTrainConfig, GuardianTrainResult, train_guardian
from slmguard.weak.training_set import WeakConfig, WeakDataset

ABLATIONS = {"detect-only": ("detect",), "respond-only": ("respond",)}


@dataclass(frozen=True)
class GuardianBuildConfig:
    data: GuardianDataConfig = field(default_factory=GuardianDataConfig)
    train: GuardianTrainConfig = field(default_factory=GuardianTrainConfig)
    weak: WeakConfig = field(default_factory=WeakConfig)
    ablation: bool = False
    backend: Backend = "auto"  # generation backend for the base model's candidates


@dataclass
class GuardianBuild:
    data: GuardianData
    main: GuardianTrainResult
    ablations: dict[str, GuardianTrainResult]
    report: Path


def build_guardian(weak: WeakDataset, out: Path, run_dir: Path, cfg: GuardianBuildConfig = GuardianBuildConfig(),
                   judges: ResponseJudges | None = None, cache_dir: Path | None = None,
                   progress: bool = True) -> GuardianBuild:
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    base = SlmGuardian.load(None, base=cfg.train.base, cache_dir=cache_dir, backend=cfg.backend)
    judges = judges or ResponseJudges.default()
    data = build_guardian_data(weak, base.generator, base.tokenizer, judges, run_dir,
                               replace(cfg.data, seed=cfg.train.seed), progress)
    del base
    for name, rows in (("train", data.train), ("holdout", data.holdout)):
        with (run_dir / f"{name}.jsonl").open("w") as fh:
            fh.writelines(json.dumps(asdict(r)) + "\n" for r in rows)
    main = train_guardian(data, out, cfg.train, cache_dir, progress)
    ablations = {}
    if cfg.ablation:
        for name, tasks in ABLATIONS.items():
            ablations[name] = train_guardian(data, run_dir / "ablation" / name, replace(cfg.train, tasks=tasks),
                                             cache_dir, progress)
    report = write_build_report(data, main, ablations, run_dir)
    return GuardianBuild(data, main, ablations, report)


def write_build_report(data: GuardianData, main: GuardianTrainResult, ablations: dict[str, GuardianTrainResult],
                       run_dir: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    lines = ["# Guardian training report", "", "## Training rows (weak supervision only)", "",
             "| task / weak label | rows |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in sorted(data.task_counts().items())]
    lines += ["", f"Held back for calibration: {len(data.holdout)} detect rows.", "",
              "## Candidate responses written by the base model, and what the judges rejected", "",
              "A candidate can fail several judges. A safeguard is judged on the alternative the model wrote "
              "after the fixed opening; of a prompt's passing candidates the most relevant is kept, and "
              "safeguards are capped at a share of the respond rows.", "",
              "| prompts | candidates | response unsafe | declines again | complies | refusal | off topic | "
              "prompts passed | kept |", "|---|---|---|---|---|---|---|---|---|"]
    for group, s in data.judge_rejections.items():
        lines.append(f"| {group} ({s.get('prompts', '–')}) | {s['candidates']} | {s.get('response_unsafe', 0)} | "
                     f"{s.get('repeats_refusal', '–')} | {s.get('complies', '–')} | {s.get('refusal', '–')} | "
                     f"{s.get('off_topic', 0)} | {s.get('passed', '–')} | {s['kept']} |")
    lines += ["", "## Training runs", "", "| model | tasks | rows | tokens | seconds | tokens/s | calibration (weak held-back) |",
              "|---|---|---|---|---|---|---|"]
    runs = {"multi-task (shipped)": main, **ablations}
    for name, r in runs.items():
        t = r.config.training
        lines.append(f"| {name} | {'+'.join(r.config.tasks)} | {t['rows']} | {t['tokens']} | {t['seconds']} | "
                     f"{t['tokens_per_s']} | {r.holdout_metrics or '–'} |")
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for name, r in runs.items():
        if r.losses:
            k = max(1, len(r.losses) // 50)
            smooth = np.convolve(r.losses, np.ones(k) / k, mode="valid")
            ax.plot(smooth, label=name)
    ax.set_xlabel("step")
    ax.set_ylabel("loss (mean per example)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(run_dir / "loss.png", dpi=110)
    plt.close(fig)
    lines += ["", "![loss](loss.png)", ""]
    path = run_dir / "report.md"
    path.write_text("\n".join(lines))
    (run_dir / "build.json").write_text(json.dumps(
        {"task_counts": data.task_counts(), "judge_rejections": data.judge_rejections,
         "runs": {n: {"tasks": r.config.tasks, "holdout": r.holdout_metrics, "training": r.config.training}
                  for n, r in runs.items()}}, indent=2))
    return path
