"""`slmguard train detector`: rebuild the shipped detector from the data with a fixed seed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Optional

import typer

from slmguard.cli.options import ArtifactOut, BatchSize, DataDir, Progress, Seed


def register(app: typer.Typer) -> None:
    app.command("detector")(detector)
    app.command("guardian")(guardian)


def detector(
    out: ArtifactOut = Path("runs/detector/artifact"),
    replace_shipped: bool = typer.Option(False, "--replace-shipped",
                                         help="Write the artifact into the installed package instead of --out "
                                              "(what `make train` does)."),
    report_dir: Path = typer.Option(Path("reports/train-detector"), help="Weak supervision + training report."),
    work_dir: Path = typer.Option(Path("runs/detector"), help="Each self-training round's artifact."),
    data_dir: DataDir = None,
    seed: Seed = 0,
    epochs: int = typer.Option(1, min=1, help="Epochs per self-training round."),
    rounds: int = typer.Option(2, min=1, help="Self-training rounds at most (stops early when validation does not improve)."),
    written_harmful: int = typer.Option(240, min=0, help="SmolLM2-written compliant answers (0: none, no generation)."),
    written_benign: int = typer.Option(120, min=0, help="SmolLM2-written answers to ordinary requests."),
    pools: Optional[str] = typer.Option(None, help="Comma-separated training pools (default: every registered one)."),
    per_hazard: int = typer.Option(300, min=0, help="Written unsafe texts and benign contrasts per hazard and signal."),
    encoder: Optional[Path] = typer.Option(None, help="Base encoder folder (default: packaged all-MiniLM-L6-v2)."),
    batch_size: BatchSize = 32,
    progress: Progress = True,
) -> None:
    """Weak labels -> LoRA fine-tune of all-MiniLM-L6-v2 -> self-training -> calibration -> safetensors artifact."""
    import time

    from rich.console import Console

    from slmguard.core.config import Settings
    from slmguard.core.errors import SlmguardError
    from slmguard.models.encoder import sentence_encoder
    from slmguard.respond.guard import DEFAULT_ARTIFACT
    from slmguard.training.detector import TrainConfig
    from slmguard.training.self_training import self_train_and_report
    from slmguard.weak.sources import SourceConfig
    from slmguard.weak.training_set import WeakConfig, gather_pool

    console = Console()
    started = time.time()
    settings = Settings.resolve(data_dir)
    data_root = settings.require_data_dir()
    sources = SourceConfig(per_hazard=per_hazard)
    if pools:
        sources = replace(sources, pools=tuple(p.strip() for p in pools.split(",") if p.strip()))
    weak = WeakConfig(sources, written_harmful, written_benign, seed=seed)
    cfg = TrainConfig(seed=seed, epochs=epochs, batch_size=batch_size, weak=weak)
    console.print(f"gathering training texts from {data_root}")
    try:
        # Weak labels and de-duplication always use the packaged MiniLM sentence embeddings;
        # --encoder only changes the detector's base.
        pool = gather_pool(data_root, cfg.weak, encoder=sentence_encoder(), cache_dir=settings.cache_dir,
                           progress=progress)
    except (SlmguardError, KeyError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    result = self_train_and_report(pool, cfg, DEFAULT_ARTIFACT if replace_shipped else out, work_dir, report_dir,
                                   rounds, progress, log=console.print, encoder_path=encoder, started=started)
    console.print(f"artifact: {result.artifact}  threshold={result.config.threshold}  "
                  f"held-back weak metrics: {result.holdout_metrics}  ({time.time() - started:.0f} s in all)")


def guardian(
    out: ArtifactOut = Path("runs/guardian/artifact"),
    replace_shipped: bool = typer.Option(False, "--replace-shipped",
                                         help="Write the adapter into the installed package instead of --out "
                                              "(what `make train-guardian` does)."),
    run_dir: Path = typer.Option(Path("runs/guardian"), help="Candidates, judged responses, rows, report."),
    data_dir: DataDir = None,
    base: str = typer.Option("smollm2-135m-instruct", help="Base causal LM: the packaged default, a folder or a hub id."),
    seed: Seed = 0,
    epochs: Optional[int] = typer.Option(None, min=1, help="Training epochs (default: GuardianTrainConfig's, 2)."),
    # Unset options take GuardianDataConfig's defaults (450, 600, 300): one source for the CLI and the API.
    detect_rows: Optional[int] = typer.Option(None, min=1, help="Weakly labelled detection rows per class."),
    harmful_candidates: Optional[int] = typer.Option(None, min=1,
                                                     help="Harmful requests the base model writes safeguards for."),
    safe_candidates: Optional[int] = typer.Option(None, min=1, help="Safe requests the base model answers."),
    ablation: bool = typer.Option(False, help="Also train detection-only and response-only models."),
    backend: str = typer.Option("auto", help="Generation backend for the candidates: auto, onnxruntime-genai, llama.cpp, transformers."),
    progress: Progress = True,
) -> None:
    """Weak labels -> base model writes candidates -> judges -> LoRA multi-task SFT -> calibrated adapter."""
    from rich.console import Console

    from slmguard.core.config import Settings
    from slmguard.core.errors import SlmguardError
    from slmguard.models.encoder import sentence_encoder
    from slmguard.respond.slm_guardian import DEFAULT_GUARDIAN, choose_backend
    from slmguard.training.guardian_build import GuardianBuildConfig, build_guardian
    from slmguard.training.guardian_data import GuardianDataConfig
    from slmguard.training.slm_train import GuardianTrainConfig
    from slmguard.weak.training_set import WeakConfig, build_weak_dataset

    console = Console()
    data_root = Settings.resolve(data_dir).require_data_dir()
    try:
        choose_backend(backend, base)  # before the weak labels: a bad or missing backend fails in seconds
    except SlmguardError as exc:
        raise typer.BadParameter(str(exc), param_hint="--backend")
    given = {"detect_unsafe": detect_rows, "detect_safe": detect_rows, "respond_harmful": harmful_candidates,
             "respond_safe": safe_candidates}
    cfg = GuardianBuildConfig(
        data=GuardianDataConfig(seed=seed, **{k: v for k, v in given.items() if v is not None}),
        train=GuardianTrainConfig(seed=seed, base=base, **({"epochs": epochs} if epochs else {})),
        weak=WeakConfig(seed=seed), ablation=ablation, backend=backend)
    try:
        weak = build_weak_dataset(data_root, cfg.weak, encoder=sentence_encoder(), progress=progress)
        result = build_guardian(weak, DEFAULT_GUARDIAN if replace_shipped else out, run_dir, cfg, progress=progress)
    except (SlmguardError, KeyError, FileNotFoundError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    console.print(f"artifact: {result.main.artifact}  threshold={result.main.config.threshold}  "
                  f"held-back weak metrics: {result.main.holdout_metrics}")
    console.print(f"report: {result.report}")
