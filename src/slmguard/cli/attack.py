"""`slmguard attack`: the durability suite (how much safety survives attacks)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

attack_app = typer.Typer(help="Durability suite: attack a safeguard and measure what survives.", no_args_is_help=True)
MAX_TEMPLATE_CHARS = 2000


def register(app: typer.Typer) -> None:
    app.add_typer(attack_app, name="attack")


@attack_app.command("detector")
def detector(
    artifact: Optional[Path] = typer.Option(None, help="Detector artifact folder (default: the shipped one)."),
    attacks: str = typer.Option("all", help="Comma-separated attack names, or 'all'."),
    limit: Optional[int] = typer.Option(None, min=1, help="Prompts per set (spread over the set; default: all)."),
    benign_limit: int = typer.Option(200, min=1, help="Safe prompts per benign set, for the false-positive rate."),
    out: Path = typer.Option(Path("reports/attack-detector"), help="Run folder; an existing one is resumed."),
    seed: int = typer.Option(0),
    data_dir: Optional[Path] = typer.Option(None, help="Data folder (default: $SLMGUARD_DATA_DIR or ../shared/data)."),
) -> None:
    """Recall of a detector on the harmful evaluation sets under every prompt-level attack, with and
    without the de-obfuscation defence; false-positive rate on safe prompts under the same attacks."""
    from rich.progress import Progress

    from slmguard.attacks.prompts import ATTACKS
    from slmguard.core.config import Settings
    from slmguard.core.types import Label
    from slmguard.data.registry import load
    from slmguard.eval.durability import BENIGN_SETS, DEFENCES, HARMFUL_SETS, run_detector_suite, write_detector_report
    from slmguard.eval.runner import spread
    from slmguard.respond.guard import Guard

    names = ATTACKS.names() if attacks == "all" else [a.strip() for a in attacks.split(",") if a.strip()]
    unknown = [a for a in names if a not in ATTACKS]
    if unknown:
        raise typer.BadParameter(f"unknown attack(s) {unknown}; known: {ATTACKS.names()}", param_hint="--attacks")
    root = Settings.resolve(data_dir=data_dir).require_data_dir()

    def prompts(set_name: str, label: Label, n: int | None):
        chosen = [e for e in load(set_name, root).examples if e.label == label and e.kind == "prompt"]
        return spread(chosen, n)

    harmful = {s: prompts(s, Label.UNSAFE, limit) for s in HARMFUL_SETS}
    benign = {s: prompts(s, Label.SAFE, benign_limit) for s in BENIGN_SETS}
    templates = [e.text for e in load("jailbreak_in_the_wild", root).examples if len(e.text) <= MAX_TEMPLATE_CHARS]
    guard = Guard.load(artifact)
    out.mkdir(parents=True, exist_ok=True)
    with Progress() as progress:
        task = progress.add_task("attacks", total=len(DEFENCES) * (len(names) + 1))
        rows = run_detector_suite(guard, harmful, benign, names, templates, out, seed,
                                  on_step=lambda step: progress.update(task, advance=1, description=step))
    notes = [f"Detector: `{guard.model_id}` ({artifact or 'shipped'}); {len(templates)} in-the-wild templates of at "
             f"most {MAX_TEMPLATE_CHARS} characters; seed {seed}. Reproduce: `slmguard attack detector`."]
    path = write_detector_report(rows, out, "Detector durability under prompt-level attacks", notes)
    typer.echo(f"report: {path}")
