"""Options several commands share, declared once (name, type, help)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

ArtifactOut = Annotated[Path, typer.Option("--out", help="Artifact folder.")]
AttackBase = Annotated[str, typer.Option(
    "--base", help="The base model: it writes the attack data, and interpolation goes toward it "
                   "[default: SmolLM2-135M-Instruct].")]
BatchSize = Annotated[int, typer.Option("--batch-size", min=1)]
DataDir = Annotated[Optional[Path], typer.Option(
    "--data-dir", help="Folder of the public data sets (default: $SLMGUARD_DATA_DIR or ../shared/data).")]
LearningRate = Annotated[float, typer.Option("--lr", min=0.0)]
Progress = Annotated[bool, typer.Option("--progress/--no-progress", help="Show progress bars on stderr.")]
PromptAttacks = Annotated[str, typer.Option("--attacks", help="Comma-separated attack names, or 'all'.")]
Seed = Annotated[int, typer.Option("--seed", help="Random seed (sampling, shuffles, training).")]
SystemName = Annotated[Optional[str], typer.Option(
    "--name", help="The system's name in reports \\[default: from --model].")]
