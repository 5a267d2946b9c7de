"""Options several commands share, declared once (name, type, help)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

DataDir = Annotated[Optional[Path], typer.Option(
    "--data-dir", help="Folder of the public data sets (default: $SLMGUARD_DATA_DIR or ../shared/data).")]
Progress = Annotated[bool, typer.Option("--progress/--no-progress", help="Show progress bars on stderr.")]
Seed = Annotated[int, typer.Option("--seed", help="Random seed (sampling, shuffles, training).")]
