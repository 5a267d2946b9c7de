"""Baselines shown beside the trained detector: what training bought."""

from __future__ import annotations

import time
from typing import Mapping, Sequence

import numpy as np

from slmguard.core.errors import InputError
from slmguard.core.types import Kind, Message, Verdict
from slmguard.detect.normalize import normalize_text
from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY, Taxonomy
from slmguard.taxonomy.keywords import hazard_hits


def last_text(item: object, where: str = "input") -> str:
    """The text a baseline judges: the item itself, or a conversation's last message.

    Baselines have no notion of turns, so a response is judged on its own words; the trained
    detector is the one that reads it in context."""
    if isinstance(item, str):
        return item
    if isinstance(item, Sequence) and item:
        last = item[-1]
        if isinstance(last, Message):
            return last.content
        if isinstance(last, Mapping) and isinstance(last.get("content"), str):
            return last["content"]
    raise InputError(f"{where}: expected a text or a non-empty list of messages with 'content'")


class KeywordDetector:
    """Flags a text when any hazard keyword pattern matches (score 1) and not otherwise (0)."""

    model_id = "keyword-filter"
    accepts_conversations = True  # judges the last message (see last_text)

    def __init__(self, taxonomy: Taxonomy = DEFAULT_TAXONOMY) -> None:
        self.codes = taxonomy.codes

    def classify_batch(self, texts: Sequence[str], kind: Kind = Kind.PROMPT) -> list[Verdict]:
        out = []
        for i, text in enumerate(texts):
            start = time.perf_counter()
            hits = set(hazard_hits(normalize_text(last_text(text, f"item {i}"), where=f"item {i}")))
            cats = {c: float(c in hits) for c in self.codes}
            out.append(Verdict(bool(hits), float(bool(hits)), cats, 0.5, {c: 0.5 for c in self.codes}, self.model_id,
                               (time.perf_counter() - start) * 1000, kind))
        return out


class EmbeddingSimilarityDetector:
    """Untrained: cosine similarity of all-MiniLM-L6-v2 embeddings to the hazard definitions.

    The score is the highest similarity; the threshold is a fixed prior choice, not tuned.
    """

    model_id = "minilm-definition-similarity"
    threshold = 0.3
    accepts_conversations = True  # judges the last message (see last_text)

    def __init__(self, taxonomy: Taxonomy = DEFAULT_TAXONOMY, encoder=None) -> None:
        from slmguard.models.encoder import sentence_encoder

        self.encoder = encoder or sentence_encoder()
        self.codes = taxonomy.codes
        self.definitions = self._embed([h.text for h in taxonomy.hazards])

    def _embed(self, texts: list[str]) -> np.ndarray:
        from slmguard.models.encoder import embed

        return embed(self.encoder, texts)

    def classify_batch(self, texts: Sequence[str], kind: Kind = Kind.PROMPT) -> list[Verdict]:
        start = time.perf_counter()
        clean = [normalize_text(last_text(t, f"item {i}"), where=f"item {i}") for i, t in enumerate(texts)]
        sims = np.clip(self._embed(clean) @ self.definitions.T, 0.0, 1.0)
        latency = (time.perf_counter() - start) * 1000 / max(len(texts), 1)
        thresholds = {c: self.threshold for c in self.codes}
        return [Verdict(bool(row.max() >= self.threshold), float(row.max()), dict(zip(self.codes, map(float, row))),
                        self.threshold, thresholds, self.model_id, latency, kind) for row in sims]
