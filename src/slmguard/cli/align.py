"""`slmguard align`: Self-MOA on a small chat model, with weak supervision only."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from slmguard.align.config import AlignConfig, parse_weights
from slmguard.cli.options import DataDir, LearningRate, Progress, Seed
from slmguard.core.config import Settings
from slmguard.core.errors import SlmguardError

D = AlignConfig()  # the CLI's defaults are the config's


def register(app: typer.Typer) -> None:
    app.command("align")(align)


def align(
    model: str = typer.Option("default", "--model", help="'default' (SmolLM2-135M-Instruct), 'guardian' (the shipped "
                              "guardian's respond task) or a local causal-LM folder."),
    run_dir: Path = typer.Option(Path("runs/align"), help="Run folder; an existing one is resumed."),
    rounds: int = typer.Option(D.rounds, min=1),
    harmful: int = typer.Option(D.harmful_per_round, min=1, help="Red-team prompts per round."),
    safe: int = typer.Option(D.safe_per_round, min=0, help="Safe-but-scary prompts per round."),
    samples: int = typer.Option(D.samples, min=1, help="Sampled responses per prompt."),
    weights: str = typer.Option(",".join(f"{w:g}" for w in D.weights),
                                help="Objective weights safety,helpfulness (e.g. 1,0 = safety only)."),
    beta: float = typer.Option(D.beta, min=0.0),
    lr: LearningRate = D.lr,
    epochs: int = typer.Option(D.epochs, min=1, help="Passes over a round's pairs."),
    sft_weight: float = typer.Option(D.sft_weight, min=0.0,
                                     help="Weight of the NLL term on chosen responses (RPO); 0 = plain DPO."),
    teachers: bool = typer.Option(D.teachers, "--teachers/--no-teachers", help="Add the SFT guardian's safeguards "
                                  "and the base model's answers as candidates."),
    eval_limit: int = typer.Option(D.eval_limit, min=0, help="Prompts per evaluation set (0: no evaluation)."),
    eval_each_round: bool = typer.Option(True, "--eval-each-round/--eval-last-round", help="Evaluate before "
                                         "alignment and after every round, or only at the end."),
    budget: float = typer.Option(D.budget_minutes, help="Compute budget in minutes: no new round starts past it."),
    seed: Seed = 0,
    compare: Optional[List[Path]] = typer.Option(None, help="Other run folders to put in the report (baselines)."),
    branch_from: Optional[Path] = typer.Option(None, help="A run with the same settings but other weights: "
                                                          "its round 1 up to the pairs is reused."),
    guardian_baseline: bool = typer.Option(True, "--guardian-baseline/--no-guardian-baseline"),
    data_dir: DataDir = None,
    progress: Progress = True,
    check_judges: bool = typer.Option(False, "--check-judges", help="Only measure the safety judges on the "
                                      "response set (judges.md in the run folder, read by the report); run it "
                                      "before an alignment run."),
) -> None:
    """Red-team -> sample -> judge -> preference pairs -> multi-objective DPO (LoRA) -> refresh, per round."""
    from rich.console import Console

    from slmguard.align.judge_check import check_default_judges
    from slmguard.align.loop import run_align
    from slmguard.align.parts import default_parts
    from slmguard.align.report import check_compare_runs

    console = Console()
    try:
        cfg = AlignConfig(target=model, rounds=rounds, harmful_per_round=harmful, safe_per_round=safe,
                          samples=samples, weights=parse_weights(weights), beta=beta, lr=lr, epochs=epochs,
                          sft_weight=sft_weight, teachers=teachers,
                          eval_limit=eval_limit, eval_each_round=eval_each_round, budget_minutes=budget, seed=seed)
        check_compare_runs(compare or [])
        settings = Settings.resolve(data_dir)
        data_root = settings.require_data_dir()
        if check_judges:
            judges_md = check_default_judges(data_root, settings.cache_dir, run_dir, seed, progress)
            console.print(judges_md.read_text(encoding="utf-8"))
            return
        final = run_align(cfg, run_dir, lambda: default_parts(data_root, settings.cache_dir, cfg.eval_limit, seed,
                                                              guardian_baseline),
                          settings.cache_dir, progress, console.print, compare or [], branch_from)
    except (SlmguardError, FileNotFoundError) as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2)
    console.print(f"adapter: {final}" if final else "no round finished: no adapter yet")
