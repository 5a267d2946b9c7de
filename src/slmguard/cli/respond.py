"""`slmguard respond TEXT`: the cascade verdict and, for an unsafe prompt, the safeguard response."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def respond(
        texts: list[str] = typer.Argument(..., help="Prompt(s), or '-' to read one from stdin."),
        guardian: Optional[Path] = typer.Option(None, help="Guardian artifact folder (default: shipped)."),
        backend: str = typer.Option("auto", help="SLM backend: auto (onnxruntime-genai), onnxruntime-genai, llama.cpp or transformers."),
        band: Optional[str] = typer.Option(None, help="Cascade band LOW,HIGH of fast-detector scores the SLM "
                                                      "re-decides (default: the artifact's)."),
        max_tokens: int = typer.Option(80, min=1, max=512, help="Longest safeguard response, in tokens."),
        threads: Optional[int] = typer.Option(None, min=1, help="CPU threads for the SLM (default: every core)."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object per prompt."),
    ) -> None:
        """Decide with the cascade (fast detector, SLM for the uncertain band); write safeguard responses."""
        from rich.console import Console

        from slmguard.core.errors import SlmguardError
        from slmguard.models.generation import GenerationConfig
        from slmguard.respond.guard import Guard
        from slmguard.respond.slm_detector import CascadeBand
        from slmguard.respond.slm_guardian import BACKENDS

        if backend not in BACKENDS:
            raise typer.BadParameter(f"expected one of {', '.join(BACKENDS)}", param_hint="--backend")
        cascade = None
        if band is not None:
            try:
                low, high = (float(x) for x in band.split(","))
                cascade = CascadeBand(low, high)
            except ValueError as exc:
                raise typer.BadParameter(f"expected LOW,HIGH between 0 and 1 ({exc})", param_hint="--band")
        texts = [sys.stdin.read() if t == "-" else t for t in texts]
        try:
            guard = Guard.load(guardian=guardian or True, band=cascade, slm_backend=backend, slm_threads=threads)
            results = guard.respond_batch(texts, GenerationConfig(max_new_tokens=max_tokens))
        except SlmguardError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2)
        if as_json:
            for r in results:
                typer.echo(json.dumps(r.to_dict()))
            return
        console = Console()
        for text, r in zip(texts, results):
            v = r.verdict
            label = "[bold red]UNSAFE[/]" if v.unsafe else "[green]safe[/]"
            cats = ", ".join(v.categories) or "–"
            console.print(f"{label} {v.score:.3f} (decided by {r.decided_by}; categories {cats})  {text}")
            if r.response:
                console.print(f"  [italic]{r.response}[/]")
