"""The inputs of a distributed scan cut into parts, and each part read, scored and written.

A part is a run of consecutive rows of one input file (lines of a JSONL file, row groups of a
Parquet file). Its output is written whole or not at all: the rejects first, then the scored rows,
each to a temporary name renamed into place, so a part whose output file exists is finished and a
resumed scan skips it. The plan (the inputs and how they were cut) is stored in the output folder;
a resumed scan must find the same plan, so no row can be scored twice or skipped.
"""

from __future__ import annotations

import glob
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator, Literal

from slmguard.core.errors import InputError
from slmguard.core.files import replacing, write_text_atomic
from slmguard.scan.rows import (
    OUTPUT_KEY,
    Batch,
    BatchScorer,
    Reject,
    Row,
    encode,
    parse_line,
    parse_object,
    score_batch,
)

Format = Literal["jsonl", "parquet"]
PLAN_FILE = "_plan.json"
REJECTS_FILE = "rejects.jsonl"
_SUFFIXES: dict[str, Format] = {".jsonl": "jsonl", ".parquet": "parquet"}


@dataclass(frozen=True)
class Part:
    """Rows `first`..`last` (1-based, inclusive) of `path`; for JSONL `offset` is the byte where line
    `first` starts, for Parquet `groups` are the row groups that hold the rows."""

    index: int
    path: str
    format: Format
    first: int
    last: int
    offset: int = 0
    groups: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}"


@dataclass(frozen=True)
class PartResult:
    index: int
    rows: int  # scored into the part's output
    flagged: int
    rejected: int
    seconds: float


def input_files(spec: str) -> list[Path]:
    """A JSONL or Parquet file, a folder of them, or a glob; every file of one format, in name order."""
    path = Path(spec)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in _SUFFIXES and p.is_file())
    elif path.is_file():
        files = [path]
    else:
        files = sorted(Path(p) for p in glob.glob(spec) if Path(p).is_file())
    if not files:
        raise InputError(f"no input found at {spec} (a .jsonl or .parquet file, a folder or a glob of them)")
    unknown = [p.name for p in files if p.suffix not in _SUFFIXES]
    if unknown:
        raise InputError(f"{unknown[0]}: expected .jsonl or .parquet input files")
    if len({p.suffix for p in files}) > 1:
        raise InputError(f"{spec}: mixes JSONL and Parquet files; scan each format on its own")
    return [p.resolve() for p in files]


def plan_parts(files: list[Path], part_rows: int) -> list[Part]:
    parts: list[Part] = []
    for path in files:
        cut = _jsonl_parts if _SUFFIXES[path.suffix] == "jsonl" else _parquet_parts
        for part in cut(path, part_rows):
            parts.append(Part(len(parts), *part))
    return parts


def _jsonl_parts(path: Path, part_rows: int) -> Iterator[tuple]:
    first, offset, position, number = 1, 0, 0, 0
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            position += len(line)
            if number - first + 1 == part_rows:
                yield str(path), "jsonl", first, number, offset
                first, offset = number + 1, position
    if number >= first:
        yield str(path), "jsonl", first, number, offset


def _parquet_parts(path: Path, part_rows: int) -> Iterator[tuple]:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    groups: list[int] = []
    first = row = 1
    for g in range(meta.num_row_groups):
        groups.append(g)
        row += meta.row_group(g).num_rows
        if row - first >= part_rows or g == meta.num_row_groups - 1:
            if row > first:
                yield str(path), "parquet", first, row - 1, 0, tuple(groups)
            groups, first = [], row


def check_plan(out_dir: Path, parts: list[Part], settings: dict) -> None:
    """Store the plan in a new output folder, or check that an existing one was cut the same way
    from the same inputs (sizes and modification times), with the same settings."""
    plan = {"settings": settings, "inputs": _fingerprints(parts), "parts": [asdict(p) for p in parts]}
    plan = json.loads(json.dumps(plan))  # tuples as lists, as they read back
    stored = out_dir / PLAN_FILE
    if stored.is_file():
        if json.loads(stored.read_text()) != plan:
            raise InputError(f"{out_dir} holds a scan of other inputs or settings; resume with the same "
                             "inputs and options, or write to a new folder")
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(p for p in out_dir.iterdir() if not p.name.startswith(".")):
        raise InputError(f"{out_dir} is not empty and holds no scan plan; write to a new folder")
    write_text_atomic(stored, json.dumps(plan, indent=1) + "\n")


def _fingerprints(parts: list[Part]) -> dict[str, list[int]]:
    out = {}
    for path in dict.fromkeys(p.path for p in parts):
        stat = Path(path).stat()
        out[path] = [stat.st_size, stat.st_mtime_ns]
    return out


def output_path(out_dir: Path, part: Part) -> Path:
    return out_dir / f"{part.name}.{part.format}"


def rejects_path(out_dir: Path, part: Part) -> Path:
    return out_dir / f"{part.name}.rejects.jsonl"


def finished(out_dir: Path, part: Part) -> bool:
    return output_path(out_dir, part).is_file()


def score_part(guard: BatchScorer, part: Part, out_dir: Path, field: str, batch_size: int,
               max_chars: int) -> PartResult:
    """Read, score and write one part; the rows keep their file and line."""
    start = time.perf_counter()
    scored: list[tuple[Row, dict]] = []
    rejects: list[Reject] = []
    batch = Batch()
    table = _parquet_table(part) if part.format == "parquet" else None  # read once: rows in, rows out
    for item in _read(part, field, max_chars, table):
        (batch.rejects if isinstance(item, Reject) else batch.rows).append(item)
        if len(batch) >= batch_size:
            _score_into(guard, batch, part, scored, rejects)
            batch = Batch()
    if len(batch):
        _score_into(guard, batch, part, scored, rejects)
    if rejects:
        with replacing(rejects_path(out_dir, part)) as tmp:
            tmp.write_bytes(b"".join(encode({"file": part.path, "line": r.line, "error": r.error, "raw": r.raw})
                                     for r in rejects))
    _write_output(part, output_path(out_dir, part), scored, table)
    flagged = sum(1 for _, result in scored if result["unsafe"])
    return PartResult(part.index, len(scored), flagged, len(rejects), time.perf_counter() - start)


def _score_into(guard: BatchScorer, batch: Batch, part: Part, scored: list, rejects: list) -> None:
    results, bad = score_batch(guard, batch)
    scored += [(row, {**result, "file": part.path}) for row, result in results]
    rejects += bad


def _parquet_table(part: Part):
    import pyarrow.parquet as pq

    return pq.ParquetFile(part.path).read_row_groups(list(part.groups))


def _read(part: Part, field: str, max_chars: int, table) -> Iterator[Row | Reject]:
    if table is None:
        with open(part.path, "rb") as fh:
            fh.seek(part.offset)
            for number in range(part.first, part.last + 1):
                item = parse_line(number, fh.readline(), field, max_chars)
                if item is not None:
                    yield item
        return
    for number, obj in enumerate(table.to_pylist(), start=part.first):
        # Parquet holds types JSON has not (timestamps, bytes): a reject shows them as text.
        yield parse_object(number, obj, field, max_chars, json.dumps(obj, ensure_ascii=False, default=str))


def _write_output(part: Part, path: Path, scored: list[tuple[Row, dict]], table) -> None:
    with replacing(path) as tmp:
        if table is None:
            tmp.write_bytes(b"".join(encode({**row.obj, OUTPUT_KEY: result}) for row, result in scored))
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        kept = table.take(pa.array([row.line - part.first for row, _ in scored], type=pa.int64()))
        # The verdict as one JSON column (its category scores vary with the policy), the decision beside it.
        kept = kept.append_column(OUTPUT_KEY, pa.array([json.dumps(r, ensure_ascii=False) for _, r in scored],
                                                       type=pa.string()))
        kept = kept.append_column(f"{OUTPUT_KEY}_unsafe", pa.array([r["unsafe"] for _, r in scored], pa.bool_()))
        pq.write_table(kept, tmp)


def merge_rejects(out_dir: Path, parts: list[Part]) -> int:
    """Every part's rejects, in input order, in one file; the number of rejected rows."""
    count = 0
    with replacing(out_dir / REJECTS_FILE) as tmp, tmp.open("wb") as fh:
        for part in parts:
            path = rejects_path(out_dir, part)
            if path.is_file():
                data = path.read_bytes()
                count += data.count(b"\n")
                fh.write(data)
    return count
