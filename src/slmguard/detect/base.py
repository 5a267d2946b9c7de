"""The small protocol every detector follows (the registry of detectors is `respond.detectors`)."""

from __future__ import annotations

from typing import Literal, Protocol, Sequence, runtime_checkable

from slmguard.core.types import Verdict


@runtime_checkable
class Detector(Protocol):
    """Scores texts; one Verdict per text, in order. Batches are scored in one call."""

    model_id: str

    def classify_batch(self, texts: Sequence[str], kind: Literal["prompt", "response"] = "prompt") -> list[Verdict]:
        ...

