"""Word lists shipped beside the public data sets (used as keyword lists, never as labels)."""

from __future__ import annotations

import csv
from pathlib import Path

from slmguard.core.errors import DataFormatError

HATE_LEXICON = Path("davidson_tweets") / "hate_ngram_lexicon.csv"


def hate_ngrams(data_dir: Path) -> list[str]:
    """The n-grams of Davidson et al.'s refined hate lexicon, lower-cased, in file order, without repeats.

    Only the `ngram` column is read: its `prophate` probabilities were estimated from crowd
    labels, and the project trains without human safety labels. Strict: a bad row raises
    DataFormatError naming the file, line and field.
    """
    path = Path(data_dir) / HATE_LEXICON
    if not path.is_file():
        raise FileNotFoundError(f"hate n-gram lexicon: missing file {path}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFormatError(f"invalid UTF-8 at byte {exc.start}", path=path) from None
    # The upstream file ends its lines with a bare carriage return (old Mac style), which the
    # line-based CSV reader does not split; splitlines() takes \r, \n and \r\n alike.
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise DataFormatError("empty file, no header", path=path, line=1)
    header = next(csv.reader([lines[0]]))
    if "ngram" not in header:
        raise DataFormatError(f"header lacks column 'ngram'; has {header}", path=path, line=1, field="ngram")
    column = header.index("ngram")
    out: dict[str, None] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            cells = next(csv.reader([line]))
        except csv.Error as exc:
            raise DataFormatError(f"bad CSV: {exc}", path=path, line=number) from None
        if len(cells) != len(header):
            raise DataFormatError(f"expected {len(header)} columns, found {len(cells)}", path=path, line=number)
        ngram = " ".join(cells[column].lower().split())
        if not ngram:
            raise DataFormatError("empty text", path=path, line=number, field="ngram")
        out[ngram] = None
    return list(out)
