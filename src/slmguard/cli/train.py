"""`slmguard train detector`: rebuild the shipped detector from the data with a fixed seed."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("detector")
    def detector(
        out: Optional[Path] = typer.Option(None, help="Artifact folder (default: the one shipped in the package)."),
        report_dir: Path = typer.Option(Path("reports/train-detector"), help="Weak supervision + training report."),
        data_dir: Optional[Path] = typer.Option(None, help="Data folder (default: $SLMGUARD_DATA_DIR or ../shared/data)."),
        seed: int = typer.Option(0),
        epochs: int = typer.Option(2, min=1),
        alpaca_limit: int = typer.Option(9000, min=0, help="Ordinary instructions sampled from the Alpaca pool."),
        hh_rlhf_limit: int = typer.Option(2000, min=0, help="Unlabelled HH-RLHF prompts."),
        encoder: Optional[Path] = typer.Option(None, help="Base encoder folder (default: packaged all-MiniLM-L6-v2)."),
        pools: Optional[str] = typer.Option(None, help="Comma-separated training pools (default: see WeakConfig)."),
        batch_size: int = typer.Option(32, min=1),
        progress: bool = typer.Option(True, "--progress/--no-progress"),
    ) -> None:
        """Weak labels -> LoRA fine-tune of all-MiniLM-L6-v2 -> calibration -> safetensors artifact."""
        from rich.console import Console

        from slmguard.core.config import Settings
        from slmguard.core.errors import SlmguardError
        from slmguard.detect.train import TrainConfig, train_detector
        from slmguard.models.encoder import sentence_encoder
        from slmguard.respond.guard import DEFAULT_ARTIFACT
        from slmguard.weak.report import write_weak_report
        from slmguard.weak.training_set import WeakConfig, build_weak_dataset

        console = Console()
        data_root = Settings.resolve(data_dir).require_data_dir()
        weak = WeakConfig(seed=seed, alpaca_limit=alpaca_limit, hh_rlhf_limit=hh_rlhf_limit)
        if pools:
            weak = replace(weak, pools=tuple(p.strip() for p in pools.split(",") if p.strip()))
        cfg = TrainConfig(seed=seed, epochs=epochs, batch_size=batch_size, weak=weak)
        console.print(f"building weak labels from {data_root}")
        try:
            # Weak labels and de-duplication always use the packaged MiniLM sentence embeddings;
            # --encoder only changes the detector's base.
            data = build_weak_dataset(data_root, cfg.weak, encoder=sentence_encoder(), progress=progress)
        except (SlmguardError, KeyError, FileNotFoundError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2)
        console.print(f"weak report: {write_weak_report(data, report_dir)}")
        result = train_detector(data, out or DEFAULT_ARTIFACT, cfg, encoder_path=encoder, progress=progress)
        (report_dir / "training.json").write_text(json.dumps(
            {"holdout_metrics": result.holdout_metrics, "threshold": result.config.threshold,
             "seconds": round(result.seconds, 1), "n_examples": len(data.examples)}, indent=2))
        console.print(f"artifact: {result.artifact}  threshold={result.config.threshold}  "
                      f"held-back weak metrics: {result.holdout_metrics}  ({result.seconds:.0f} s)")

    @app.command("guardian")
    def guardian(
        out: Optional[Path] = typer.Option(None, help="Artifact folder (default: the one shipped in the package)."),
        run_dir: Path = typer.Option(Path("runs/guardian"), help="Candidates, judged responses, rows, report."),
        data_dir: Optional[Path] = typer.Option(None, help="Data folder (default: $SLMGUARD_DATA_DIR or ../shared/data)."),
        base: str = typer.Option("smollm2-135m-instruct", help="Base causal LM: the packaged default, a folder or a hub id."),
        seed: int = typer.Option(0),
        epochs: int = typer.Option(1, min=1),
        detect_rows: int = typer.Option(450, min=1, help="Weakly labelled detection rows per class."),
        harmful_candidates: int = typer.Option(600, min=1, help="Safeguard responses the base model writes."),
        safe_candidates: int = typer.Option(300, min=1, help="Answers to safe prompts the base model writes."),
        ablation: bool = typer.Option(False, help="Also train detection-only and response-only models."),
        backend: str = typer.Option("auto", help="Generation backend for the candidates: auto, llama.cpp, transformers."),
        progress: bool = typer.Option(True, "--progress/--no-progress"),
    ) -> None:
        """Weak labels -> base model writes candidates -> judges -> LoRA multi-task SFT -> calibrated adapter."""
        from rich.console import Console

        from slmguard.core.config import Settings
        from slmguard.core.errors import SlmguardError
        from slmguard.models.encoder import sentence_encoder
        from slmguard.respond.guardian_build import GuardianBuildConfig, build_guardian
        from slmguard.respond.slm_guardian import DEFAULT_GUARDIAN
        from slmguard.respond.slm_train import GuardianTrainConfig
        from slmguard.weak.guardian_data import GuardianDataConfig
        from slmguard.weak.training_set import WeakConfig, build_weak_dataset

        console = Console()
        if backend not in ("auto", "llama.cpp", "transformers"):
            raise typer.BadParameter("expected auto, llama.cpp or transformers", param_hint="--backend")
        data_root = Settings.resolve(data_dir).require_data_dir()
        cfg = GuardianBuildConfig(
            data=GuardianDataConfig(seed=seed, detect_unsafe=detect_rows, detect_safe=detect_rows,
                                    respond_harmful=harmful_candidates, respond_safe=safe_candidates),
            train=GuardianTrainConfig(seed=seed, base=base, epochs=epochs),
            weak=WeakConfig(seed=seed), ablation=ablation, backend=backend)
        try:
            weak = build_weak_dataset(data_root, cfg.weak, encoder=sentence_encoder(), progress=progress)
            result = build_guardian(weak, out or DEFAULT_GUARDIAN, run_dir, cfg, progress=progress)
        except (SlmguardError, KeyError, FileNotFoundError, ValueError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2)
        console.print(f"artifact: {result.main.artifact}  threshold={result.main.config.threshold}  "
                      f"held-back weak metrics: {result.main.holdout_metrics}")
        console.print(f"report: {result.report}")
