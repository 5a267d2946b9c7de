"""Whole files and folders written atomically: a reader (or a resumed run) never sees half of one,
and two processes writing the same cache entry at once each use their own temporary."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A new temporary file beside `path` to write; it replaces `path` when the block ends without
    error and is removed otherwise."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


@contextmanager
def building(out: Path) -> Iterator[Path]:
    """A private folder beside `out` that becomes `out` when the block ends without error.

    Cache entries (the converted base model, ONNX builds) are built by whichever process first
    needs them; two jobs started together must not write into one shared temporary folder. When
    another process put `out` in place first, its copy is kept and this one is dropped."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        yield tmp
        if not out.exists():
            try:
                tmp.replace(out)
            except OSError:
                if not out.exists():
                    raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
