"""Rows of a scan: parsing and checking one input row, scoring a batch of them, encoding results.
Shared by the local engine (scan/local.py) and the Ray engine (scan/ray_engine.py), so that both
reject the same rows for the same reasons and score them the same way."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, Protocol, Sequence

from slmguard.core.errors import InputError
from slmguard.core.types import GuardInput, Verdict

OUTPUT_KEY = "slmguard"
# A row longer than this is set aside: one 420,000-character row took 54 s to score.
MAX_CHARS = 100_000


class BatchScorer(Protocol):
    """What the scan needs of a guard (slmguard.respond.guard.Guard fits)."""

    model_id: str

    def classify_batch(self, xs: Sequence[GuardInput]) -> list[Verdict]:
        ...


@dataclass(frozen=True)
class Row:
    line: int
    obj: dict
    value: Any
    raw: str


@dataclass(frozen=True)
class Reject:
    line: int
    error: str
    raw: str

    def encode(self) -> bytes:
        return encode({"line": self.line, "error": self.error, "raw": self.raw})


@dataclass
class Batch:
    rows: list[Row] = dataclass_field(default_factory=list)
    rejects: list[Reject] = dataclass_field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows) + len(self.rejects)


def parse_line(number: int, raw: bytes, field: str, max_chars: int = MAX_CHARS) -> Row | Reject | None:
    """One input line as a row to score, a reject, or None for a blank line."""
    try:
        text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return Reject(number, f"invalid UTF-8 at byte {exc.start} of the line", raw_text(raw))
    if not text.strip():
        return None
    shown = text.rstrip("\r\n")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return Reject(number, f"invalid JSON: {exc.msg} (column {exc.colno})", shown)
    if not isinstance(obj, dict):
        return Reject(number, f"expected a JSON object, got {json_type(obj)}", shown)
    return parse_object(number, obj, field, max_chars, shown)


def parse_object(number: int, obj: dict, field: str, max_chars: int, shown: str) -> Row | Reject:
    """A decoded input object (a JSON line, a Parquet row) as a row to score or a reject."""
    problem = field_problem(obj, field) or length_problem(obj[field], field, max_chars)
    if problem:
        return Reject(number, problem, shown)
    return Row(number, obj, obj[field], shown)


def field_problem(obj: dict, field: str) -> str | None:
    if field not in obj or obj[field] is None:
        return f"missing field '{field}'"
    value = obj[field]
    if isinstance(value, str):
        return None if value.strip() else f"field '{field}' is empty"
    if isinstance(value, list):
        # The guard checks each message; here only what would make the row meaningless.
        return None if value else f"field '{field}' is an empty conversation"
    return f"field '{field}': expected text or a list of messages, got {json_type(value)}"


def length_problem(value: Any, field: str, max_chars: int) -> str | None:
    size = len(value) if isinstance(value, str) else sum(
        len(m.get("content") or "") for m in value if isinstance(m, dict) and isinstance(m.get("content"), str))
    if size > max_chars:
        return f"field '{field}' is {size:,} characters; the limit is {max_chars:,} (--max-chars)"
    return None


def score_batch(guard: BatchScorer, batch: Batch) -> tuple[list[tuple[Row, dict]], list[Reject]]:
    """Each scorable row with its result (the verdict, the batch's timing and the row's line), and
    the batch's rejects in line order."""
    rejects = list(batch.rejects)
    scored: list[tuple[Row, Verdict]] = []
    start = time.perf_counter()
    if batch.rows:
        try:
            scored = list(zip(batch.rows, classify(guard, [r.value for r in batch.rows]), strict=True))
        except InputError:
            # One bad item fails the whole call; score singly so only that item is rejected.
            for row in batch.rows:
                try:
                    scored.append((row, classify(guard, [row.value])[0]))
                except InputError as exc:
                    rejects.append(Reject(row.line, f"guard rejected the input: {exc}", row.raw))
    rejects.sort(key=lambda r: r.line)
    # Rows are scored together, so a row has no latency of its own: the batch's time is reported instead.
    timing = {"batch_ms": round((time.perf_counter() - start) * 1000, 1), "batch_rows": len(batch.rows)}
    results = []
    for row, verdict in scored:
        result = {k: v for k, v in verdict.to_dict().items() if k != "latency_ms"}
        results.append((row, {**result, **timing, "line": row.line}))
    return results, rejects


def classify(guard: BatchScorer, values: list[Any]) -> list[Verdict]:
    verdicts = guard.classify_batch(values)
    if len(verdicts) != len(values):
        raise RuntimeError(f"guard returned {len(verdicts)} verdicts for {len(values)} inputs")
    return verdicts


def encode(obj: dict) -> bytes:
    try:
        return (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates (legal as JSON escapes) cannot be UTF-8; keep them escaped.
        return (json.dumps(obj, ensure_ascii=True) + "\n").encode("ascii")


def raw_text(raw: bytes) -> str:
    return raw.rstrip(b"\r\n").decode("utf-8", errors="backslashreplace")


def json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


class Responder:
    """A scorer whose rows carry the verdict, who decided it, and the safeguard response."""

    def __init__(self, guard) -> None:  # a Guard with the SLM guardian attached
        self.guard = guard
        self.model_id = guard.model_id

    def classify_batch(self, xs):
        return self.guard.respond_batch(xs)
