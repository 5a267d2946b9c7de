"""Cutting a long text into overlapping pieces of a bounded number of tokens, on word starts.

The guard server judges long texts piece by piece (a piece's cost is known before it is queued),
and the cascade gives the SLM the riskiest piece of a long text instead of all of it.
"""

from __future__ import annotations

from typing import Any

Span = tuple[int, int, int]  # start and end character, tokens


def word_spans(tokenizer: Any, text: str, size: int, overlap: int) -> tuple[list[Span], int]:
    """(spans, tokens in the text). Pieces begin and end where a word begins, so a piece reads as the
    detector would read those words anyway, and each next piece begins at least `overlap` tokens
    before the previous one ends: any passage that long lies whole in one piece."""
    encoding = tokenizer(text, add_special_tokens=False, truncation=False, verbose=False,
                         return_offsets_mapping=True)
    offsets, words = encoding["offset_mapping"], encoding.word_ids()
    n = len(offsets)
    if n <= size:
        return [(0, len(text), n)], n

    def word_start(i: int, low: int) -> int:
        """The last token at or before i that begins a word, if it is above `low`; else i."""
        j = i
        while j > low and words[j] == words[j - 1]:
            j -= 1
        return j if j > low else i

    spans, start = [], 0
    while True:
        end = n if start + size >= n else word_start(start + size, start + overlap)
        spans.append((offsets[start][0], offsets[end - 1][1], end - start))
        if end == n:
            return spans, n
        start = word_start(end - overlap, start)
