"""Row readers for CSV, JSONL and JSON files that know the line of every row.

Strict by default: the first bad row raises DataFormatError with file and line. In lenient
mode bad rows are collected in `Skipped` records and reading goes on.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from slmguard.core.errors import DataFormatError

csv.field_size_limit(10_000_000)


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line where the row starts; for JSON arrays (and their errors), the item's 1-based index
    values: dict


@dataclass
class ReadReport:
    path: str
    skipped: list[DataFormatError] = field(default_factory=list)

    @property
    def skipped_lines(self) -> list[int | None]:
        return [e.line for e in self.skipped]


def _decoded_lines(path: Path, report: ReadReport, lenient: bool) -> Iterator[tuple[int, str]]:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                err = DataFormatError(f"invalid UTF-8 at byte {exc.start} of the line", path=path, line=number)
                if not lenient:
                    raise err from None
                report.skipped.append(err)


def _check_fields(values: dict, required: Sequence[str], path: Path, line: int) -> None:
    for name in required:
        value = values.get(name)
        if value is None:
            raise DataFormatError("missing field", path=path, line=line, field=name)
        if not isinstance(value, str):
            raise DataFormatError(f"expected text, got {type(value).__name__}", path=path, line=line, field=name)
        if not value.strip():
            raise DataFormatError("empty text", path=path, line=line, field=name)


def read_csv(path: Path, required: Sequence[str], report: ReadReport, lenient: bool = False) -> Iterator[Row]:
    lines = _decoded_lines(path, report, lenient)
    numbers: list[int] = []

    def feed() -> Iterator[str]:
        for number, text in lines:
            numbers.append(number)
            yield text

    reader = csv.reader(feed())
    try:
        header = next(reader)
    except StopIteration:
        raise DataFormatError("empty file, no header", path=path, line=1) from None
    missing = [f for f in required if f not in header]
    if missing:
        raise DataFormatError(f"header lacks column(s) {missing}; has {header}", path=path, line=1, field=missing[0])
    consumed = len(numbers)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            err = DataFormatError(f"bad CSV: {exc}", path=path, line=numbers[-1] if numbers else None)
            if not lenient:
                raise err from None
            report.skipped.append(err)
            consumed = len(numbers)
            continue
        start = numbers[consumed] if consumed < len(numbers) else numbers[-1]
        consumed = len(numbers)
        if not cells:
            continue
        try:
            if len(cells) != len(header):
                raise DataFormatError(f"expected {len(header)} columns, found {len(cells)}", path=path, line=start)
            values = dict(zip(header, cells))
            _check_fields(values, required, path, start)
        except DataFormatError as err:
            if not lenient:
                raise
            report.skipped.append(err)
            continue
        yield Row(start, values)


def read_jsonl(path: Path, required: Sequence[str], report: ReadReport, lenient: bool = False) -> Iterator[Row]:
    for number, text in _decoded_lines(path, report, lenient):
        if not text.strip():
            continue
        try:
            try:
                values = json.loads(text)
            except json.JSONDecodeError as exc:
                raise DataFormatError(f"invalid JSON: {exc.msg} (column {exc.colno})", path=path, line=number) from None
            if not isinstance(values, dict):
                raise DataFormatError(f"expected a JSON object, got {type(values).__name__}", path=path, line=number)
            _check_fields(values, required, path, number)
        except DataFormatError as err:
            if not lenient:
                raise
            report.skipped.append(err)
            continue
        yield Row(number, values)


def read_json_array(path: Path, required: Sequence[str], report: ReadReport, lenient: bool = False,
                    text_items: bool = False, key: str | None = None) -> Iterator[Row]:
    """A JSON file holding one array; `line` is then the item's 1-based index.

    With `key` the file is an object whose field `key` holds the array ({"instructions": [...]});
    a file of another shape raises naming that field, even in lenient mode.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise DataFormatError(f"invalid UTF-8 at byte {exc.start}", path=path) from None
    except json.JSONDecodeError as exc:
        raise DataFormatError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno) from None
    if key is not None:
        if not isinstance(data, dict):
            raise DataFormatError(f"expected a JSON object with an array '{key}', got {type(data).__name__}",
                                  path=path, field=key)
        if key not in data:
            raise DataFormatError(f"missing field; has {sorted(data)}", path=path, field=key)
        data = data[key]
        if not isinstance(data, list):
            raise DataFormatError(f"expected a JSON array, got {type(data).__name__}", path=path, field=key)
    elif not isinstance(data, list):
        raise DataFormatError("expected a JSON array at the top level", path=path, line=1)
    for index, item in enumerate(data, start=1):
        try:
            if text_items:
                if not isinstance(item, str) or not item.strip():
                    raise DataFormatError(f"item {index}: expected non-empty text", path=path, line=index, field=key)
                item = {"text": item}
            elif not isinstance(item, dict):
                raise DataFormatError(f"item {index}: expected an object", path=path, line=index)
            else:
                try:
                    _check_fields(item, required, path, index)
                except DataFormatError as err:
                    raise DataFormatError(f"item {index}: {err.reason}", path=path, line=index, field=err.field) from None
        except DataFormatError as err:
            if not lenient:
                raise
            report.skipped.append(err)
            continue
        yield Row(index, item)
