"""Whole-file writes: a reader (or a resumed run) never sees half a file, and two processes
writing the same cache file at once each use their own temporary file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def temp_beside(path: Path) -> Path:
    """A new, unique temporary file name in `path`'s folder (created, empty)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    return Path(tmp)


def write_text_atomic(path: Path, text: str) -> None:
    tmp = temp_beside(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
