"""The registry of detectors, every one by name: the shipped guard (`default`, `cascade`, `slm`) and
the baselines it is compared with. Above `respond` because the cascade is a Guard."""

from __future__ import annotations

from typing import Callable

from slmguard.core.registry import Registry
from slmguard.detect.base import Detector

# name -> factory returning a ready detector; the factory takes no required arguments, and some
# take one optional string (an artifact folder), given on the command line as `name@argument`.
DETECTORS: Registry[Callable[..., Detector]] = Registry("detector")


def build_detector(spec: str) -> Detector:
    """`name` or `name@argument`."""
    name, _, argument = spec.partition("@")
    factory = DETECTORS.get(name)
    return factory(argument) if argument else factory()


@DETECTORS.register("default")
def _default(artifact: str | None = None) -> Detector:
    """`default@FOLDER` scores with another detector artifact (a self-training round, say)."""
    from pathlib import Path

    from slmguard.respond.guard import Guard

    return Guard.load(Path(artifact) if artifact else None)


@DETECTORS.register("keyword")
def _keyword() -> Detector:
    from slmguard.detect.baselines import KeywordDetector

    return KeywordDetector()


@DETECTORS.register("embedding-similarity")
def _embedding_similarity() -> Detector:
    from slmguard.detect.baselines import EmbeddingSimilarityDetector

    return EmbeddingSimilarityDetector()


@DETECTORS.register("frozen-lr")
def _frozen_lr(data_dir: str | None = None) -> Detector:
    """Frozen MiniLM + logistic regression on the pools' origin labels; `frozen-lr@DATA_DIR` fits on
    another data folder (default: the configured one). Fitted once, then cached."""
    from slmguard.detect.frozen_baseline import FrozenLRDetector

    return FrozenLRDetector.load(data_dir)


@DETECTORS.register("slm")
def _slm(artifact: str | None = None) -> Detector:
    """`slm@FOLDER` scores with another guardian artifact (an ablation, say)."""
    from pathlib import Path

    from slmguard.respond.slm_detector import SlmDetector
    from slmguard.respond.slm_guardian import DEFAULT_GUARDIAN, SlmGuardian

    return SlmDetector(SlmGuardian.load(Path(artifact) if artifact else DEFAULT_GUARDIAN))


@DETECTORS.register("slm-base")
def _slm_base() -> Detector:
    """SmolLM2 without the adapter, prompted the same way: the zero-shot baseline."""
    from slmguard.respond.slm_detector import SlmDetector
    from slmguard.respond.slm_guardian import SlmGuardian

    return SlmDetector(SlmGuardian.load(None))


@DETECTORS.register("cascade")
def _cascade(artifact: str | None = None) -> Detector:
    from pathlib import Path

    from slmguard.respond.guard import Guard

    return Guard.load(guardian=Path(artifact) if artifact else True)


@DETECTORS.register("llama-guard-3")
def _llama_guard() -> Detector:
    from slmguard.detect.llama_guard import LlamaGuardDetector

    return LlamaGuardDetector.load()
