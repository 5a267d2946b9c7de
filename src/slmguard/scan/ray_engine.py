"""`slmguard scan --engine ray`: the scan on Ray Data, on a laptop (a local cluster) or a cluster.

The inputs are cut into parts (scan/parts.py); a Ray dataset holds one part per block and
`map_batches` hands them to a pool of actors, each holding one loaded Guard (the model loads once
per worker, not per batch). A worker reads its part, scores it in batches exactly as the local
engine does (scan/rows.py), and writes the part's output whole; the driver only counts. So every
input row ends in one part's output (with its file and line) or in the rejects, a resumed scan
skips the parts already written, and a part that was cut short is scored again from its start.

Inputs and the output folder must be on a file system every worker sees (one machine, NFS, a
mounted bucket).
"""

from __future__ import annotations

import json
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

from slmguard.core.errors import InputError
from slmguard.scan.local import progress_bar, stop_on_interrupt
from slmguard.scan.parts import (
    REJECTS_FILE,
    Part,
    PartResult,
    check_plan,
    finished,
    input_files,
    merge_rejects,
    plan_parts,
    score_part,
)
from slmguard.scan.rows import MAX_CHARS, BatchScorer, Responder


@dataclass(frozen=True)
class GuardSpec:
    """What each worker loads (sent to the workers, so it is plain data)."""

    threshold: float | None = None
    policy: str | None = None
    respond: bool = False  # the SLM guardian cascades and writes safeguard responses

    def load(self) -> BatchScorer:
        from slmguard.respond.guard import Guard

        guard = Guard.load(threshold=self.threshold, policy=self.policy, guardian=self.respond)
        return Responder(guard) if self.respond else guard


@dataclass(frozen=True)
class RayScanConfig:
    """`address`: an existing cluster ("auto", "ray://host:port"); None starts a local one for the
    run. `cpus_per_worker` None: the local machine's cores shared out among the workers (1 on a
    cluster). `part_rows`: rows per part, the unit of work and of resuming."""

    address: str | None = None
    workers: int = 2
    cpus_per_worker: float | None = None
    batch_size: int = 64
    part_rows: int = 5_000
    field: str = "text"
    max_chars: int = MAX_CHARS


@dataclass(frozen=True)
class RayScanSummary:
    rows: int  # input rows (blank lines aside) in the parts this run scored
    scored: int
    flagged: int
    rejected: int  # every rejected row, earlier runs included
    parts: int
    skipped_parts: int  # already written by an earlier run
    seconds: float
    out_dir: Path
    interrupted: bool = False

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def rejects_path(self) -> Path:
        return self.out_dir / REJECTS_FILE


class PartScorer:
    """A Ray Data actor: one Guard per worker, one part per call."""

    def __init__(self, spec: GuardSpec, out_dir: str, field: str, batch_size: int, max_chars: int) -> None:
        self.guard = spec.load()
        self.out_dir, self.field, self.batch_size, self.max_chars = Path(out_dir), field, batch_size, max_chars

    def __call__(self, batch: dict) -> dict:
        results = [score_part(self.guard, _part(p), self.out_dir, self.field, self.batch_size, self.max_chars)
                   for p in batch["part"]]
        return {k: [getattr(r, k) for r in results] for k in PartResult.__dataclass_fields__}


def _part(encoded: str) -> Part:
    fields = json.loads(encoded)
    return Part(**{**fields, "groups": tuple(fields["groups"])})


def scan_ray(spec: GuardSpec, inputs: str, out_dir: Path, config: RayScanConfig = RayScanConfig(),
             progress: bool = True) -> RayScanSummary:
    """Scan `inputs` (a JSONL or Parquet file, a folder or a glob) into `out_dir`: one output part per
    input part in the input's format, and `rejects.jsonl`. Running it again resumes."""
    if config.workers < 1 or config.batch_size < 1 or config.part_rows < 1:
        raise InputError("workers, batch size and part rows must each be at least 1")
    out_dir = Path(out_dir)
    parts = plan_parts(input_files(inputs), config.part_rows)
    check_plan(out_dir, parts, {"field": config.field, "part_rows": config.part_rows, "max_chars": config.max_chars,
                                "guard": asdict(spec)})
    for stale in out_dir.glob(".*.tmp"):  # a part cut short by an interruption
        stale.unlink()
    todo = [p for p in parts if not finished(out_dir, p)]
    start = time.perf_counter()
    totals, interrupted = {"rows": 0, "scored": 0, "flagged": 0}, False
    if todo:
        with _cluster(config.address), stop_on_interrupt() as stop, \
                progress_bar(progress, sum(p.last - p.first + 1 for p in todo), out_dir.name) as show:
            for result in _results(spec, todo, out_dir, config):
                totals["rows"] += result["rows"] + result["rejected"]
                totals["scored"] += result["rows"]
                totals["flagged"] += result["flagged"]
                show(totals["rows"])
                if stop.is_set():
                    interrupted = True
                    break
    rejected = merge_rejects(out_dir, parts)
    return RayScanSummary(totals["rows"], totals["scored"], totals["flagged"], rejected, len(parts),
                          len(parts) - len(todo), time.perf_counter() - start, out_dir, interrupted)


def _results(spec: GuardSpec, todo: list[Part], out_dir: Path, config: RayScanConfig) -> Iterator[dict]:
    import ray.data

    # Ours counts rows; Ray Data's bars and its per-operator log lines would count blocks over it.
    ray.data.DataContext.get_current().enable_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    workers = min(config.workers, len(todo))  # no actor loads a model it has no part for
    cpus = config.cpus_per_worker or (1 if config.address else max(1, (os.cpu_count() or 1) // workers))
    items = [{"part": json.dumps(asdict(p))} for p in todo]
    dataset = ray.data.from_items(items, override_num_blocks=len(items)).map_batches(
        PartScorer, batch_size=1, concurrency=workers, num_cpus=cpus,
        fn_constructor_kwargs={"spec": spec, "out_dir": str(out_dir.resolve()), "field": config.field,
                               "batch_size": config.batch_size, "max_chars": config.max_chars})
    yield from dataset.iter_rows()


@contextmanager
def _cluster(address: str | None) -> Iterator[None]:
    """Connect to `address`, or start a local cluster for the run; an application that has already
    called ray.init() keeps its own connection."""
    import ray

    if ray.is_initialized():
        yield
        return
    if address:
        ray.init(address=address, log_to_driver=False, logging_level="WARNING")
    else:
        # A small object store: parts travel as file names, not rows.
        ray.init(num_cpus=os.cpu_count() or 1, include_dashboard=False, log_to_driver=False,
                 logging_level="WARNING", object_store_memory=256 * 1024 * 1024)
    try:
        yield
    finally:
        ray.shutdown()
