"""JSONL files of run folders (Self-MOA, the durability suite): written atomically (a stopped run
never leaves half a file that would count as a finished step), read back as dicts."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Sequence

from slmguard.core.files import write_text_atomic


def write_jsonl(path: Path, rows: Sequence[object]) -> None:
    write_text_atomic(path, "".join(json.dumps(asdict(r) if is_dataclass(r) else r) + "\n" for r in rows))


def read_jsonl(path: Path) -> list[dict]:
    """The rows of `path`, or none when it does not exist."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
