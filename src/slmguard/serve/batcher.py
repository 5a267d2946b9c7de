"""Dynamic batching: concurrent requests to the detector are scored together.

One worker takes the first waiting item, waits at most `max_wait_ms` for more (up to `max_batch`),
and scores them in one call on a single model thread. While a batch runs, new items queue, so under
load batches fill without waiting at all; when the last batch held a single item (no concurrent
load) the worker does not wait.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Literal

from slmguard.core.types import GuardInput, Verdict
from slmguard.respond.guard import Guard

Kind = Literal["prompt", "response"]


@dataclass
class _Item:
    guard: Guard
    kind: Kind
    input: GuardInput
    future: asyncio.Future = field(repr=False)


class DynamicBatcher:
    def __init__(self, max_batch: int = 32, max_wait_ms: float = 2.0,
                 on_batch: Callable[[int, float], None] | None = None) -> None:
        self.max_batch, self.max_wait = max_batch, max_wait_ms / 1000
        self.on_batch = on_batch
        # One thread: the ONNX session already uses every core, and batches must not interleave.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slmguard-model")
        self._queue: asyncio.Queue[_Item] | None = None
        self._worker: asyncio.Task | None = None

    async def start(self) -> None:
        self._queue = asyncio.Queue()
        self._worker = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def classify(self, guard: Guard, inputs: list[GuardInput], kind: Kind = "prompt") -> list[Verdict]:
        """Verdicts for `inputs`, scored in whatever batch they join; raises what the model raised."""
        assert self._queue is not None, "start() the batcher first"
        loop = asyncio.get_running_loop()
        items = [_Item(guard, kind, x, loop.create_future()) for x in inputs]
        for item in items:
            self._queue.put_nowait(item)
        return list(await asyncio.gather(*(i.future for i in items)))

    async def _run(self) -> None:
        assert self._queue is not None
        loop = asyncio.get_running_loop()
        last_size = 1
        while True:
            batch = [await self._queue.get()]
            # Waiting pays only under concurrent load; a lone request (the last batch held one) goes at once.
            deadline = loop.time() + (self.max_wait if last_size > 1 else 0.0)
            while len(batch) < self.max_batch:
                if not self._queue.empty():
                    batch.append(self._queue.get_nowait())
                    continue
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    batch.append(await asyncio.wait_for(self._queue.get(), remaining))
                except asyncio.TimeoutError:
                    break
            last_size = len(batch)
            live = [i for i in batch if not i.future.done()]  # a caller that timed out has gone
            if live:
                start = time.perf_counter()
                outcomes = await loop.run_in_executor(self._executor, _score, live)
                if self.on_batch:
                    self.on_batch(len(live), time.perf_counter() - start)
                for item, outcome in zip(live, outcomes):
                    if item.future.done():
                        continue
                    if isinstance(outcome, BaseException):
                        item.future.set_exception(outcome)
                    else:
                        item.future.set_result(outcome)


def _score(items: list[_Item]) -> list[Verdict | BaseException]:
    """Score items grouped by guard and kind; when a group fails, its items are retried one by one so
    that one bad input fails only itself."""
    out: list[Verdict | BaseException | None] = [None] * len(items)
    groups: dict[tuple[int, str], list[int]] = {}
    for i, item in enumerate(items):
        groups.setdefault((id(item.guard), item.kind), []).append(i)
    for idx in groups.values():
        guard, kind = items[idx[0]].guard, items[idx[0]].kind
        try:
            for i, v in zip(idx, guard.classify_batch([items[i].input for i in idx], kind)):
                out[i] = v
        except Exception:
            for i in idx:
                try:
                    out[i] = guard.classify_batch([items[i].input], kind)[0]
                except Exception as e:  # noqa: BLE001 - handed to the caller that sent this input
                    out[i] = e
    return out  # type: ignore[return-value]
