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
