"""Dynamic batching: concurrent requests share model calls and get the same verdicts as alone."""

from __future__ import annotations

import asyncio

import pytest
from conftest import SAFE_PROMPT, UNSAFE_PROMPT

from slmguard.core.errors import InputError
from slmguard.serve.batcher import DynamicBatcher, Job

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


class RecordingGuard:
    """Stands in for a Guard: records each batch it is asked to score and takes `delay` per input."""

    def __init__(self, delay: float = 0.0) -> None:
        self.batches: list[list[str]] = []
        self.delay = delay

    def classify_batch(self, xs, kind="prompt"):
        import time

        from slmguard.core.types import Verdict
        self.batches.append(list(xs))
        time.sleep(self.delay * len(xs))
        return [Verdict(False, 0.0, {}, 0.5, {}, "fake", 0.0)] * len(xs)


def test_a_short_request_joins_the_next_batch_behind_a_long_one():
    guard = RecordingGuard(delay=0.005)

    async def go():
        batcher = DynamicBatcher(max_batch=32, max_wait_ms=0, max_cost=300)
        await batcher.start()
        try:
            long = asyncio.create_task(batcher.classify(guard, [Job(f"long {i}", cost=200) for i in range(20)]))
            await asyncio.sleep(0.02)  # the long request's batches are running
            started = len(guard.batches)
            await batcher.classify(guard, [Job("short", cost=10)])
            await long
            return started
        finally:
            await batcher.stop()

    started = asyncio.run(go())
    where = next(i for i, b in enumerate(guard.batches) if "short" in b)
    assert 0 < started < 15 and where <= started + 1  # behind at most the part running and the one taken
    assert all(sum(200 if x.startswith("long") else 10 for x in b) <= 300 or len(b) == 1 for b in guard.batches)


def test_jobs_of_a_request_past_its_deadline_are_dropped():
    guard = RecordingGuard(delay=0.02)

    async def go():
        batcher = DynamicBatcher(max_batch=1, max_wait_ms=0)
        await batcher.start()
        try:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(batcher.classify(guard, [f"t{i}" for i in range(50)]), 0.1)
            await asyncio.sleep(0.1)
            await batcher.classify(guard, ["after"])
        finally:
            await batcher.stop()

    asyncio.run(go())
    assert guard.batches[-1] == ["after"] and len(guard.batches) < 15
