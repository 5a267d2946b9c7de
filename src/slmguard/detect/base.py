"""The small protocol every detector follows (the registry of detectors is `respond.detectors`)."""

from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

from slmguard.core.types import Kind, Verdict


@runtime_checkable
class Detector(Protocol):
    """Scores texts; one Verdict per text, in order. Batches are scored in one call."""

    model_id: str

    def classify_batch(self, texts: Sequence[str], kind: Kind = Kind.PROMPT) -> list[Verdict]:
        ...

