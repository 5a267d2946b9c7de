"""`slmguard classify TEXT`: verdict, score and top categories."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def classify(
        texts: list[str] = typer.Argument(..., help="Text(s) to classify, or '-' to read stdin (one text; "
                                                    "with --lines one per line)."),
        lines: bool = typer.Option(False, "--lines", help="With '-': each non-empty line of stdin is one text."),
        threshold: Optional[float] = typer.Option(None, min=0.0, max=1.0, help="Override the unsafe threshold."),
        policy: Optional[Path] = typer.Option(None, exists=True, dir_okay=False, help="Custom policy YAML."),
        response: bool = typer.Option(False, "--response", help="Judge TEXT as an assistant response."),
        as_json: bool = typer.Option(False, "--json", help="Print the verdict as JSON."),
        artifact: Optional[Path] = typer.Option(None, help="Detector artifact folder (default: shipped)."),
    ) -> None:
        """Classify texts with the shipped detector (all in one batch)."""
        from rich.console import Console
        from rich.table import Table

        from slmguard.core.errors import SlmguardError
        from slmguard.detect.normalize import normalize_text

        try:
            named = _read(texts, lines)
            for where, t in named:  # bad input is reported before any model loads
                normalize_text(t, where=where)
            texts = [t for _, t in named]
            from slmguard.respond.guard import Guard

            guard = Guard.load(artifact, threshold=threshold, policy=policy)
            verdicts = guard.classify_batch(texts, kind="response" if response else "prompt")
        except SlmguardError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2)
        if as_json:
            for verdict in verdicts:
                typer.echo(json.dumps(verdict.to_dict()))
            return
        console = Console()
        table = Table("verdict", "score", "top categories", "text", title=f"{guard.model_id}, threshold "
                      f"{guard.threshold:.3f}")
        for text, v in zip(texts, verdicts):
            top = ", ".join(f"{c} {s:.2f}" for c, s in v.top_categories(3))
            table.add_row("[bold red]UNSAFE[/]" if v.unsafe else "[green]safe[/]", f"{v.score:.3f}", top,
                          text if len(text) <= 70 else text[:67] + "...")
        console.print(table)


def _read(args: list[str], lines: bool) -> list[tuple[str, str]]:
    """(where, text) for each text: an argument, stdin, or a line of stdin."""
    from slmguard.core.errors import InputError

    if lines and "-" not in args:
        raise InputError("--lines reads stdin: pass '-' as the text")
    out = []
    for i, arg in enumerate(args):
        if arg != "-":
            out.append((f"text {i + 1}", arg))
        elif lines:
            rows = [(f"stdin line {n}", row) for n, row in enumerate(sys.stdin.read().splitlines(), 1) if row.strip()]
            if not rows:
                raise InputError("stdin: no text (every line is empty)")
            out += rows
        else:
            out.append(("stdin", sys.stdin.read()))
    return out
