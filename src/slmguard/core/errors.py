"""Errors that say what was wrong and where."""

from __future__ import annotations

from pathlib import Path


class SlmguardError(Exception):
    """Base class of every error slmguard raises on purpose."""


class InputError(SlmguardError, ValueError):
    """An input the caller gave cannot be scored (empty text, wrong type, ...)."""


class DataFormatError(SlmguardError, ValueError):
    """A malformed row or file; carries the file, the 1-based line and the field."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        self.reason = message
        where = []
        if self.path:
            where.append(self.path if line is None else f"{self.path}:{line}")
        elif line is not None:
            where.append(f"line {line}")
        if field:
            where.append(f"field '{field}'")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class PolicyError(DataFormatError):
    """An invalid custom policy file."""


class RoleError(SlmguardError):
    """An evaluation set was handed to code that trains or tunes."""


class ArtifactError(SlmguardError):
    """A shipped or trained artifact is missing, altered or inconsistent."""
