"""`slmguard scan`: score a JSONL file in batches; re-running the same command resumes."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    app.command("scan")(scan)


def scan(
    in_path: Path = typer.Argument(..., metavar="IN.jsonl", help="JSONL input, one object per line."),
    out_path: Path = typer.Option(..., "--out", "-o", metavar="OUT.jsonl",
                                  help="Output: each input object plus a 'slmguard' verdict. Resumed if it exists."),
    field: str = typer.Option("text", "--field", help="Key holding the text or the list of {role, content} messages."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="Rows scored per call; OUT is synced after each."),
    rejects: Optional[Path] = typer.Option(None, "--rejects", help="Where bad rows go [default: OUT.rejects.jsonl]."),
    threshold: Optional[float] = typer.Option(None, "--threshold", min=0.0, max=1.0,
                                              help="Unsafe threshold on the overall score."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Custom policy file."),
    max_chars: int = typer.Option(100_000, "--max-chars", min=1,
                                  help="Longest text scored; longer rows go to the rejects file."),
    respond: bool = typer.Option(False, "--respond",
                                 help="Cascade with the SLM guardian and write a safeguard response for unsafe rows."),
) -> None:
    """Score every row of IN.jsonl into OUT.jsonl; bad rows go to a rejects file with their line."""
    from rich.console import Console

    from slmguard.core.errors import SlmguardError

    err = Console(stderr=True)
    for label, path in (("input file", in_path), ("policy file", policy)):
        if path is not None and not path.is_file():
            err.print(f"[red]error:[/] {label} not found: {path}")
            raise typer.Exit(2)

    from slmguard.detect.batch_scan import scan_file
    from slmguard.respond.guard import Guard

    try:
        guard = Guard.load(threshold=threshold, policy=policy, guardian=respond)
        summary = scan_file(_Responder(guard) if respond else guard, in_path, out_path, field=field,
                            batch_size=batch_size, rejects_path=rejects, max_chars=max_chars)
    except SlmguardError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err.print(f"interrupted; scored rows are saved in {out_path}. Run the same command again to resume.")
        raise typer.Exit(130) from None

    out = Console()
    if summary.interrupted:
        err.print(f"interrupted; the rows scored so far are saved in {out_path}. Run the same command again to resume.")
    out.print(f"[bold]scored[/] {summary.scored}  [bold]already in output[/] {summary.skipped_existing}  "
              f"[bold]rejected[/] {summary.rejected}")
    out.print(f"output:  {summary.out_path}")
    if summary.rejected:
        out.print(f"[yellow]rejects:[/] {summary.rejects_path} ({summary.rejected} row(s) with line and reason)")
    if summary.interrupted:
        raise typer.Exit(130)


class _Responder:
    """A scorer whose rows carry the verdict, who decided it, and the safeguard response."""

    def __init__(self, guard) -> None:
        self.guard = guard
        self.model_id = guard.model_id

    def classify_batch(self, xs):
        return self.guard.respond_batch(xs)
