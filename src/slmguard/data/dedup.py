"""De-duplication of training data against evaluation sets: exact and near-duplicate."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

_NON_WORD = re.compile(r"[^\w]+")


def canonical(text: str) -> str:
    """Lower-case NFKC text with punctuation and spacing removed, for exact matching."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


@dataclass
class DedupReport:
    exact: list[int] = field(default_factory=list)
    near: list[tuple[int, float]] = field(default_factory=list)  # (index, similarity)

    @property
    def dropped(self) -> set[int]:
        return set(self.exact) | {i for i, _ in self.near}


def find_contaminated(train_texts: list[str], eval_texts: list[str], train_emb: np.ndarray | None = None,
                      eval_emb: np.ndarray | None = None, near_threshold: float = 0.9,
                      chunk: int = 2048) -> DedupReport:
    """Indices of training texts that equal, or nearly equal, an evaluation text.

    Embeddings must be L2-normalised; without them only exact duplicates are found.
    """
    report = DedupReport()
    eval_keys = {canonical(t) for t in eval_texts}
    report.exact = [i for i, t in enumerate(train_texts) if canonical(t) in eval_keys]
    if train_emb is None or eval_emb is None or len(eval_texts) == 0:
        return report
    exact = set(report.exact)
    for start in range(0, len(train_texts), chunk):
        sims = train_emb[start:start + chunk] @ eval_emb.T
        best = sims.max(axis=1)
        for offset in np.nonzero(best >= near_threshold)[0]:
            i = start + int(offset)
            if i not in exact:
                report.near.append((i, float(best[offset])))
    return report


def drop_exact_repeats(texts: list[str]) -> list[int]:
    """Indices to keep so that each canonical text appears once (first occurrence wins)."""
    seen: set[str] = set()
    keep = []
    for i, t in enumerate(texts):
        key = canonical(t)
        if key not in seen:
            seen.add(key)
            keep.append(i)
    return keep
