"""Score a JSONL file with a guard: streaming, resumable, bad rows set aside with their line.

Each output line is the input object plus a `slmguard` key (the verdict and the 1-based input
line). Rows that cannot be scored go to a rejects file as `{"line", "error", "raw"}`.

Resuming relies on two facts the writer keeps true: both files are append-only and in input
order, and each batch writes its rejects (fsynced) before its scored rows. So after the last
scored line L in OUT, every input line <= L is either in OUT or in the rejects file, and only
rejects above L (at most the rows of the batches after the last scored row) must be remembered.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

from slmguard.core.errors import DataFormatError, InputError
from slmguard.scan.rows import MAX_CHARS, OUTPUT_KEY, Batch, BatchScorer, Reject, encode, parse_line, score_batch


@dataclass(frozen=True)
class ScanSummary:
    """Counts over the whole input: scored + skipped_existing + rejected = its non-blank lines.

    `scored` counts rows scored by this run, `skipped_existing` rows found already scored in OUT,
    `rejected` every row in the rejects file (earlier runs included, so a resumed run still
    reports them).
    """

    scored: int
    skipped_existing: int
    rejected: int
    out_path: Path
    rejects_path: Path
    interrupted: bool = False  # stopped by Ctrl-C after writing the batch it was scoring


@dataclass(frozen=True)
class _Resume:
    scored_rows: int
    last_scored_line: int
    rejected_rows: int
    rejected_after_last: frozenset[int]

    def done(self, line: int) -> bool:
        return line <= self.last_scored_line or line in self.rejected_after_last


def default_rejects_path(out_path: Path) -> Path:
    name = out_path.name
    stem = name[: -len(".jsonl")] if name.endswith(".jsonl") else name
    return out_path.with_name(f"{stem}.rejects.jsonl")


def scan_file(guard: BatchScorer, in_path: Path, out_path: Path, field: str = "text", batch_size: int = 64,
              rejects_path: Path | None = None, progress: bool = True, max_chars: int = MAX_CHARS) -> ScanSummary:
    """Score every row of IN (JSONL) into OUT; re-running after an interruption resumes. A first
    Ctrl-C stops after the batch being scored is written (a second one stops at once)."""
    in_path, out_path = Path(in_path), Path(out_path)
    rejects_path = Path(rejects_path) if rejects_path is not None else default_rejects_path(out_path)
    _check_paths(in_path, out_path, rejects_path)
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, got {batch_size}")

    resume = _resume_state(out_path, rejects_path)
    scored = rejected = 0
    with progress_bar(progress, _count_lines(in_path), in_path.name) as show, stop_on_interrupt() as stop, \
            out_path.open("ab") as out, _LazyAppend(rejects_path) as rejects:

        def flush(batch: Batch) -> None:
            nonlocal scored, rejected
            results, bad = score_batch(guard, batch)
            if bad:
                # Rejects first: see the module docstring for why resuming depends on it.
                _append(rejects.handle(), b"".join(r.encode() for r in bad))
            if results:
                _append(out, b"".join(encode({**row.obj, OUTPUT_KEY: result}) for row, result in results))
            scored += len(results)
            rejected += len(bad)

        batch = Batch()
        number = 0
        for number, raw in _input_lines(in_path):
            if number % 4096 == 0:
                show(number)
            if resume.done(number):
                continue
            parsed = parse_line(number, raw, field, max_chars)
            if parsed is None:
                continue
            (batch.rejects if isinstance(parsed, Reject) else batch.rows).append(parsed)
            if len(batch) >= batch_size:
                flush(batch)
                batch = Batch()
                show(number)
                if stop.is_set():
                    break
        else:
            if len(batch):
                flush(batch)
            show(number)

    return ScanSummary(scored=scored, skipped_existing=resume.scored_rows,
                       rejected=resume.rejected_rows + rejected, out_path=out_path, rejects_path=rejects_path,
                       interrupted=stop.is_set())


@contextmanager
def stop_on_interrupt() -> Iterator[threading.Event]:
    """The first SIGINT only sets the event (the loop stops after writing its batch); the handler
    is then removed, so a second one interrupts at once. Outside the main thread, or in a process
    told to ignore SIGINT (started with nohup or in the background), no handler."""
    stop = threading.Event()
    previous = signal.getsignal(signal.SIGINT) if threading.current_thread() is threading.main_thread() \
        else signal.SIG_IGN
    if previous is signal.SIG_IGN:
        yield stop
        return

    def handler(signum, frame) -> None:
        stop.set()
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, handler)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def _check_paths(in_path: Path, out_path: Path, rejects_path: Path) -> None:
    if not in_path.is_file():
        raise InputError(f"input file not found: {in_path}")
    resolved = {p.resolve() for p in (in_path, out_path, rejects_path)}
    if len(resolved) < 3:
        raise InputError("the input, output and rejects files must be three different files")


def _resume_state(out_path: Path, rejects_path: Path) -> _Resume:
    if not out_path.exists():
        # A fresh scan: a rejects file left from an earlier scan of another input would lie.
        rejects_path.unlink(missing_ok=True)
        return _Resume(0, 0, 0, frozenset())
    scored_rows = last = 0
    for last in _recorded_lines(out_path, lambda obj: obj.get(OUTPUT_KEY, {}).get("line")):
        scored_rows += 1
    rejected_rows = 0
    after: set[int] = set()
    if rejects_path.exists():
        for line in _recorded_lines(rejects_path, lambda obj: obj.get("line")):
            rejected_rows += 1
            if line > last:
                after.add(line)
    return _Resume(scored_rows, last, rejected_rows, frozenset(after))


def _recorded_lines(path: Path, line_of: Callable[[dict], Any]) -> Iterator[int]:
    """Input line numbers recorded in a file this scan appends to, checked to be increasing.

    A last line without its newline is what a crash mid-write leaves; it is cut off (the file
    is truncated to the last complete line) so the row is scored again. Consume fully.
    """
    previous = 0
    good_end = 0
    with path.open("r+b") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.endswith(b"\n"):
                fh.truncate(good_end)
                break
            try:
                obj = json.loads(raw)
                line = line_of(obj) if isinstance(obj, dict) else None
            except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
                line = None
            if not isinstance(line, int) or isinstance(line, bool) or line <= previous:
                raise DataFormatError("not a line this scan wrote (needs increasing input line numbers); "
                                      "move the file away or pick another path", path=path, line=number)
            good_end += len(raw)
            previous = line
            yield line


def _input_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as fh:
        yield from enumerate(fh, start=1)


def _count_lines(path: Path) -> int:
    count = 0
    last = b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def _append(fh: BinaryIO, data: bytes) -> None:
    fh.write(data)
    fh.flush()
    os.fsync(fh.fileno())


class _LazyAppend:
    """Opens its file for appending on first use, so a clean scan leaves no empty rejects file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: BinaryIO | None = None

    def handle(self) -> BinaryIO:
        if self._fh is None:
            self._fh = self.path.open("ab")
        return self._fh

    def __enter__(self) -> _LazyAppend:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self._fh.close()


@contextmanager
def progress_bar(enabled: bool, total: int, label: str) -> Iterator[Callable[[int], None]]:
    """Yields `show(lines_done)`; a no-op when disabled."""
    if not enabled:
        yield lambda done: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("[bold]scan[/] {task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.update(task, completed=done)
