"""The small protocol every detector follows, and the detector registry."""

from __future__ import annotations

from typing import Callable, Literal, Protocol, Sequence, runtime_checkable

from slmguard.core.registry import Registry
from slmguard.core.types import Verdict


@runtime_checkable
class Detector(Protocol):
    """Scores texts; one Verdict per text, in order. Batches are scored in one call."""

    model_id: str

    def classify_batch(self, texts: Sequence[str], kind: Literal["prompt", "response"] = "prompt") -> list[Verdict]:
        ...


# name -> factory returning a ready detector; the factory takes no required arguments.
DETECTORS: Registry[Callable[[], Detector]] = Registry("detector")
