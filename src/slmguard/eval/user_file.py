"""A user's own labelled JSONL file as an evaluation set."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from slmguard.core.errors import DataFormatError
from slmguard.core.types import Example, Kind, Label
from slmguard.data.readers import ReadReport, read_jsonl
from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY

_LABELS = {
    "true": Label.UNSAFE, "1": Label.UNSAFE, "unsafe": Label.UNSAFE, "harmful": Label.UNSAFE,
    "false": Label.SAFE, "0": Label.SAFE, "safe": Label.SAFE, "unharmful": Label.SAFE, "benign": Label.SAFE,
}
ACCEPTED_LABELS = "true/false, 1/0, unsafe/safe, harmful/unharmful/benign"


def user_set_name(path: str | Path) -> str:
    """The set name a user file gets; the prefix keeps it apart from registered set names."""
    return f"file:{Path(path).name}"


def parse_label(value: object) -> Label | None:
    """The label a cell means, or None if it is not one of the accepted spellings."""
    if isinstance(value, bool):
        return Label.UNSAFE if value else Label.SAFE
    if isinstance(value, int) and value in (0, 1):
        return Label.UNSAFE if value else Label.SAFE
    if isinstance(value, str):
        return _LABELS.get(value.strip().lower())
    return None


def _categories(value: object, known: frozenset[str] | None, path: Path, line: int, field: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        items: Iterable[object] = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        raise DataFormatError(f"expected a list of codes or a comma-separated string, got {type(value).__name__}",
                              path=path, line=line, field=field)
    codes = []
    for item in items:
        if not isinstance(item, str):
            raise DataFormatError(f"category codes must be text, got {type(item).__name__}", path=path, line=line,
                                  field=field)
        code = item.strip().lower()
        if not code:
            continue
        if known is not None and code not in known:
            raise DataFormatError(f"unknown category code '{code}' (known: {', '.join(sorted(known))})", path=path,
                                  line=line, field=field)
        codes.append(code)
    return tuple(dict.fromkeys(codes))


def load_user_file(path: str | Path, text_field: str = "text", label_field: str = "label",
                   categories_field: str | None = "categories", kind: Kind = Kind.PROMPT,
                   known_codes: Iterable[str] | None = tuple(DEFAULT_TAXONOMY.codes)) -> list[Example]:
    """Read a labelled JSONL file; the first bad row raises DataFormatError naming file, line and field.

    An `id` field, when present, becomes the example id; otherwise the line number does. The
    categories field is optional on every row; `known_codes=None` accepts any code (custom policies).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    known = frozenset(known_codes) if known_codes is not None else None
    source = user_set_name(path)
    examples: list[Example] = []
    for row in read_jsonl(path, [text_field], ReadReport(str(path))):
        v = row.values
        if label_field not in v or v[label_field] is None:
            raise DataFormatError("missing label", path=path, line=row.line, field=label_field)
        label = parse_label(v[label_field])
        if label is None:
            raise DataFormatError(f"unrecognised label {v[label_field]!r}; accepted: {ACCEPTED_LABELS}", path=path,
                                  line=row.line, field=label_field)
        codes = _categories(v.get(categories_field), known, path, row.line, categories_field) if categories_field else ()
        raw_id = v.get("id")
        ident = f"{source}:{raw_id}" if isinstance(raw_id, (str, int)) and str(raw_id) else f"{source}:{row.line}"
        examples.append(Example(v[text_field], source, ident, label, codes, kind=kind))
    if not examples:
        raise DataFormatError("no rows", path=path)
    return examples
