"""Dynamic batching: concurrent requests share model calls and get the same verdicts as alone."""

from __future__ import annotations

import asyncio

import pytest
from conftest import SAFE_PROMPT, UNSAFE_PROMPT

from slmguard.core.errors import InputError
from slmguard.serve.batcher import DynamicBatcher

TEXTS = [UNSAFE_PROMPT, SAFE_PROMPT, "Write a poem about the sea.", "How do I pick a lock to break into a house?"] * 5


def test_concurrent_requests_are_batched_with_the_same_verdicts(shipped_guard):
    sizes: list[int] = []

    async def go():
        batcher = DynamicBatcher(max_batch=8, max_wait_ms=20, on_batch=lambda n, _: sizes.append(n))
        await batcher.start()
        try:
            # The first lone request primes the batcher; the rest arrive together.
            await batcher.classify(shipped_guard, [TEXTS[0]])
            return await asyncio.gather(*(batcher.classify(shipped_guard, [t]) for t in TEXTS))
        finally:
            await batcher.stop()

    results = asyncio.run(go())
    direct = shipped_guard.classify_batch(TEXTS)
    assert [r[0].score for r in results] == pytest.approx([v.score for v in direct], abs=1e-5)
    assert max(sizes) == 8 and sum(sizes) == len(TEXTS) + 1


def test_a_bad_input_fails_only_itself(shipped_guard):
    async def go():
        batcher = DynamicBatcher(max_batch=16, max_wait_ms=20)
        await batcher.start()
        try:
            texts = [SAFE_PROMPT, "\u200b", UNSAFE_PROMPT]  # the middle one is empty once normalised
            return await asyncio.gather(*(batcher.classify(shipped_guard, [t]) for t in texts), return_exceptions=True)
        finally:
            await batcher.stop()

    good, bad, unsafe = asyncio.run(go())
    assert isinstance(bad, InputError)
    assert not good[0].unsafe and unsafe[0].unsafe
