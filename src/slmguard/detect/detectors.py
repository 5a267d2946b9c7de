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
