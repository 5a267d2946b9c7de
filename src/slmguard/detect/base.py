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


# name -> factory returning a ready detector; the factory takes no required arguments, and some
# take one optional string (an artifact folder), given on the command line as `name@argument`.
DETECTORS: Registry[Callable[..., Detector]] = Registry("detector")


def build_detector(spec: str) -> Detector:
    """`name` or `name@argument`."""
    name, _, argument = spec.partition("@")
    factory = DETECTORS.get(name)
    return factory(argument) if argument else factory()
