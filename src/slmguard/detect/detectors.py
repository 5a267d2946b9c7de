"""Registers every detector by name; importing this module fills DETECTORS."""

from __future__ import annotations

from slmguard.detect.base import DETECTORS, Detector


@DETECTORS.register("default")
def _default() -> Detector:
    from slmguard.respond.guard import Guard

    return Guard.load()


@DETECTORS.register("keyword")
def _keyword() -> Detector:
    from slmguard.detect.baselines import KeywordDetector

    return KeywordDetector()


@DETECTORS.register("embedding-similarity")
def _embedding_similarity() -> Detector:
    from slmguard.detect.baselines import EmbeddingSimilarityDetector

    return EmbeddingSimilarityDetector()


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
