"""Dynamic batching with fair shares: concurrent requests are scored together, and a long one
cannot starve the rest.

Each `classify` call is one request's list of jobs (a text or a piece of one, with its cost in model
positions). One worker builds each batch in two parts: one job from each request that has been
served less than `max_cost` positions so far (oldest first), answered first; then up to `max_cost`
positions more from the least served requests, unless that second part has lately taken more than
`long_share` of the model's time while short requests were waiting. A short request arriving
behind a long one therefore joins the very next batch and waits for at most one piece of it, and
the long one still moves on, in a quarter of the time (all of it when nothing else waits). A batch
waits at most `max_wait_ms` to fill, and only under load: after a batch of one the worker does not
wait.
Jobs of a request that gave up (its deadline passed) are dropped before they reach the model.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Sequence

from slmguard.core.types import GuardInput, Kind, Verdict
from slmguard.respond.guard import Guard

# How fast the batcher forgets where model time went (per batch): about the last 20 batches count.
_DECAY = 0.95


@dataclass(frozen=True)
class Job:
    input: GuardInput
    kind: Kind = "prompt"
    cost: int = 1


@dataclass
class _Item:
    guard: Guard
    job: Job
    future: asyncio.Future = field(repr=False)


@dataclass
class _Request:
    items: deque[_Item]
    served: int = 0


class DynamicBatcher:
    def __init__(self, max_batch: int = 32, max_wait_ms: float = 2.0, max_cost: int = 128, long_share: float = 0.25,
                 on_batch: Callable[[int, float], None] | None = None) -> None:
        self.max_batch, self.max_wait = max_batch, max_wait_ms / 1000
        self.max_cost, self.long_share = max_cost, long_share
        self._seconds = {"first": 0.0, "rest": 0.0}  # recent model time per part, decaying
        self.on_batch = on_batch
        # One thread: the ONNX session already uses every core, and batches must not interleave.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slmguard-model")
        self._waiting: dict[int, _Request] = {}
        self._ids = itertools.count()
        self._arrived: asyncio.Event | None = None
        self._worker: asyncio.Task | None = None

    async def start(self) -> None:
        self._arrived = asyncio.Event()
        self._worker = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def classify(self, guard: Guard, inputs: Sequence[GuardInput | Job], kind: Kind = "prompt") -> list[Verdict]:
        """Verdicts for `inputs` (texts, conversations or Jobs), scored in whatever batches they join;
        raises what the model raised. Cancelling the call drops the jobs not yet scored."""
        assert self._arrived is not None, "start() the batcher first"
        loop = asyncio.get_running_loop()
        jobs = [x if isinstance(x, Job) else Job(x, kind) for x in inputs]
        items = [_Item(guard, j, loop.create_future()) for j in jobs]
        self._waiting[next(self._ids)] = _Request(deque(items))
        self._arrived.set()
        return list(await asyncio.gather(*(i.future for i in items)))

    def _pending(self) -> int:
        return sum(len(r.items) for r in self._waiting.values())

    def _take(self) -> tuple[list[_Item], list[_Item]]:
        """One batch, in two parts scored one after the other: one job from each short request
        (served less than `max_cost` so far), oldest first; then up to `max_cost` more positions from
        the least served requests. The first part's callers have their answers before the second part
        runs, so a long request's piece delays only the batch after it, and by one piece."""
        for rid in [rid for rid, r in self._waiting.items() if not self._live(r)]:
            del self._waiting[rid]
        first: list[_Item] = []
        for request in [r for r in self._waiting.values() if r.served < self.max_cost][: self.max_batch]:
            self._move(request, first)
        rest: list[_Item] = []
        cost = 0
        recent = self._seconds["first"] + self._seconds["rest"]
        if first and self._seconds["rest"] > self.long_share * recent:
            return first, rest  # long work has had its share while short requests wait
        while len(first) + len(rest) < self.max_batch:
            fits = [r for r in self._waiting.values()
                    if self._live(r) and (not rest or cost + r.items[0].job.cost <= self.max_cost)]
            if not fits:
                break
            cost += self._move(min(fits, key=lambda r: r.served), rest)
        return first, rest

    @staticmethod
    def _live(request: _Request) -> bool:
        while request.items and request.items[0].future.done():
            request.items.popleft()  # its caller has gone
        return bool(request.items)

    @staticmethod
    def _move(request: _Request, batch: list[_Item]) -> int:
        item = request.items.popleft()
        batch.append(item)
        request.served += item.job.cost
        return item.job.cost

    async def _run(self) -> None:
        assert self._arrived is not None
        loop = asyncio.get_running_loop()
        last_size = 1
        while True:
            if not self._pending():
                self._arrived.clear()
                await self._arrived.wait()
            # Waiting pays only under concurrent load; a lone request (the last batch held one) goes at once.
            deadline = loop.time() + (self.max_wait if last_size > 1 else 0.0)
            while self._pending() < self.max_batch and (remaining := deadline - loop.time()) > 0:
                self._arrived.clear()
                try:
                    await asyncio.wait_for(self._arrived.wait(), remaining)
                except asyncio.TimeoutError:
                    break
            first, rest = self._take()
            last_size = max(len(first) + len(rest), 1)
            for name, part in (("first", first), ("rest", rest)):
                self._seconds[name] *= _DECAY
                if part:
                    self._seconds[name] += await self._score(loop, part)

    async def _score(self, loop: asyncio.AbstractEventLoop, batch: list[_Item]) -> float:
        """Score `batch`, hand each caller its outcome, and say how long the model took."""
        start = time.perf_counter()
        outcomes = await loop.run_in_executor(self._executor, _score, batch)
        seconds = time.perf_counter() - start
        if self.on_batch:
            self.on_batch(len(batch), seconds)
        for item, outcome in zip(batch, outcomes):
            if item.future.done():
                continue
            if isinstance(outcome, BaseException):
                item.future.set_exception(outcome)
            else:
                item.future.set_result(outcome)
        return seconds


def _score(items: list[_Item]) -> list[Verdict | BaseException]:
    """Score items grouped by guard and kind; when a group fails, its items are retried one by one so
    that one bad input fails only itself."""
    out: list[Verdict | BaseException | None] = [None] * len(items)
    groups: dict[tuple[int, str], list[int]] = {}
    for i, item in enumerate(items):
        groups.setdefault((id(item.guard), item.job.kind), []).append(i)
    for idx in groups.values():
        guard, kind = items[idx[0]].guard, items[idx[0]].job.kind
        try:
            for i, v in zip(idx, guard.classify_batch([items[i].job.input for i in idx], kind)):
                out[i] = v
        except Exception:
            for i in idx:
                try:
                    out[i] = guard.classify_batch([items[i].job.input], kind)[0]
                except Exception as e:  # noqa: BLE001 - handed to the caller that sent this input
                    out[i] = e
    return out  # type: ignore[return-value]
