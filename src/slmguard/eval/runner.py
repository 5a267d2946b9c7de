"""Score every evaluation set with every detector, keeping each verdict and the time it took."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterator, Mapping, Sequence

from slmguard.core.types import Example, Verdict
from slmguard.detect.base import Detector
from slmguard.eval.metrics import SetMetrics, pooled_metrics, set_metrics
from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY, Taxonomy


@dataclass(frozen=True)
class DetectorTiming:
    detector: str
    model_id: str
    n: int
    seconds: float  # wall time inside classify_batch only, not loading or metrics

    @property
    def prompts_per_s(self) -> float | None:
        return self.n / self.seconds if self.seconds > 0 else None


@dataclass
class EvalRun:
    sets: dict[str, list[Example]]
    detectors: list[str]
    verdicts: dict[tuple[str, str], list[Verdict]]  # (set, detector) -> one verdict per example
    metrics: dict[tuple[str, str], SetMetrics]
    pooled: dict[str, SetMetrics]  # detector -> all sets concatenated
    timings: dict[str, DetectorTiming]
    batch_size: int
    started_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    def scored(self, set_name: str, detector: str) -> Iterator[tuple[Example, Verdict]]:
        return zip(self.sets[set_name], self.verdicts[(set_name, detector)])


def _batches(examples: Sequence[Example], size: int) -> Iterator[list[int]]:
    # Detectors score one kind per call, so a set mixing prompts and responses is split by kind.
    by_kind: dict[str, list[int]] = {}
    for i, e in enumerate(examples):
        by_kind.setdefault(e.kind, []).append(i)
    for indices in by_kind.values():
        for start in range(0, len(indices), size):
            yield indices[start:start + size]


def _score_set(detector: Detector, name: str, examples: Sequence[Example], batch_size: int,
               advance) -> tuple[list[Verdict], float]:
    out: list[Verdict | None] = [None] * len(examples)
    seconds = 0.0
    for indices in _batches(examples, batch_size):
        texts = [examples[i].text for i in indices]
        start = time.perf_counter()
        verdicts = detector.classify_batch(texts, kind=examples[indices[0]].kind)
        seconds += time.perf_counter() - start
        if len(verdicts) != len(texts):
            raise RuntimeError(f"detector '{name}' returned {len(verdicts)} verdicts for {len(texts)} texts")
        for i, v in zip(indices, verdicts):
            out[i] = v
        advance(len(indices))
    return [v for v in out if v is not None], seconds


def run_eval(detectors: Mapping[str, Detector], sets: Mapping[str, list[Example]], batch_size: int = 64,
             progress: bool = True, taxonomy: Taxonomy = DEFAULT_TAXONOMY) -> EvalRun:
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    verdicts: dict[tuple[str, str], list[Verdict]] = {}
    timings: dict[str, DetectorTiming] = {}
    total = sum(len(v) for v in sets.values())

    def score_all(advance_for) -> None:
        for det_name, detector in detectors.items():
            advance = advance_for(det_name)
            seconds = 0.0
            for set_name, examples in sets.items():
                verdicts[(set_name, det_name)], took = _score_set(detector, det_name, examples, batch_size, advance)
                seconds += took
            timings[det_name] = DetectorTiming(det_name, detector.model_id, total, seconds)

    if progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns) as bar:
            def advance_for(det_name: str):
                task = bar.add_task(det_name, total=total)
                return lambda n: bar.advance(task, n)

            score_all(advance_for)
    else:
        score_all(lambda _name: (lambda _n: None))

    metrics = {(s, d): set_metrics(s, d, sets[s], verdicts[(s, d)], taxonomy) for s in sets for d in detectors}
    pooled = {d: pooled_metrics(d, [(sets[s], verdicts[(s, d)]) for s in sets], taxonomy) for d in detectors}
    return EvalRun(dict(sets), list(detectors), verdicts, metrics, pooled, timings, batch_size)


def spread(items: list, limit: int | None) -> list:
    """`limit` items spread evenly over the list: sets are often sorted by label or category,
    so the first N would leave a class or a category out."""
    if limit is None or limit >= len(items):
        return items
    return [items[(i * len(items)) // limit] for i in range(limit)]
