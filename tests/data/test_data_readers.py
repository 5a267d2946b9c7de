"""CSV / JSONL / JSON readers: good files, malformed files, strict and lenient modes."""

from pathlib import Path

import pytest

from slmguard.core.errors import DataFormatError
from slmguard.data.readers import ReadReport, read_csv, read_json_array, read_jsonl


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def read(reader, path: Path, required, lenient: bool = False, **kw):
    report = ReadReport(str(path))
    rows = list(reader(path, required, report, lenient, **kw))
    return rows, report


# ---- good files ---------------------------------------------------------------------------

def test_csv_rows_carry_the_line_where_they_start(tmp_path):
    path = write(tmp_path, "good.csv",
                 "id,prompt\n"               # 1
                 "1,plain\n"                 # 2
                 '2,"a, quoted, comma"\n'    # 3
                 '3,"spans\n'                # 4
                 'two lines"\n'              # 5
                 "\n"                        # 6 blank: skipped
                 "4,after blank\n")          # 7
    rows, report = read(read_csv, path, ["prompt"])
    assert [r.line for r in rows] == [2, 3, 4, 7]
    assert [r.values["prompt"] for r in rows] == ["plain", "a, quoted, comma", "spans\ntwo lines", "after blank"]
    assert rows[0].values == {"id": "1", "prompt": "plain"}
    assert report.skipped == []


def test_csv_with_byte_order_mark_and_crlf(tmp_path):
    path = write(tmp_path, "bom.csv", b"\xef\xbb\xbfgoal,target\r\nfirst,x\r\nsecond,y\r\n")
    rows, _ = read(read_csv, path, ["goal"])
    assert [(r.line, r.values["goal"]) for r in rows] == [(2, "first"), (3, "second")]


def test_jsonl_rows_keep_extra_fields_and_skip_blank_lines(tmp_path):
    path = write(tmp_path, "good.jsonl", '\ufeff{"instruction": "one", "extra": 1}\n\n  \n{"instruction": "two"}\n')
    rows, report = read(read_jsonl, path, ["instruction"])
    assert [(r.line, r.values["instruction"]) for r in rows] == [(1, "one"), (4, "two")]
    assert rows[0].values["extra"] == 1
    assert report.skipped == []


def test_json_array_of_objects_and_of_texts(tmp_path):
    path = write(tmp_path, "good.json", '[{"instruction": "a"},\n {"instruction": "b", "x": 2}]')
    rows, _ = read(read_json_array, path, ["instruction"])
    assert [(r.line, r.values["instruction"]) for r in rows] == [(1, "a"), (2, "b")]

    path = write(tmp_path, "texts.json", '["first", "second"]')
    rows, _ = read(read_json_array, path, [], text_items=True)
    assert [(r.line, r.values) for r in rows] == [(1, {"text": "first"}), (2, {"text": "second"})]


# ---- strict mode: the first bad row raises with file, line and field -----------------------

CSV_HEADER = "id,prompt\n1,fine\n"  # lines 1-2

STRICT_CASES = [
    # (id, reader, content, required, line, field, words in the message)
    ("csv too many columns", read_csv, CSV_HEADER + '2,"multi\nline"\n3,a,b\n', ["prompt"], 5, None,
     "expected 2 columns, found 3"),
    ("csv too few columns", read_csv, CSV_HEADER + "2,ok\nlonely\n", ["prompt"], 4, None,
     "expected 2 columns, found 1"),
    ("csv header lacks column", read_csv, "id,text\n1,x\n", ["id", "prompt"], 1, "prompt", "header lacks"),
    ("csv empty field", read_csv, CSV_HEADER + "2,ok\n3,\n", ["prompt"], 4, "prompt", "empty text"),
    ("csv whitespace-only field", read_csv, CSV_HEADER + "3,   \n", ["prompt"], 3, "prompt", "empty text"),
    ("csv invalid utf-8", read_csv, CSV_HEADER.encode() + b"2,ok\n3,bad \xff\xfe bytes\n4,ok\n", ["prompt"], 4,
     None, "invalid UTF-8"),
    ("csv bare carriage return", read_csv, CSV_HEADER + "2,a\rb\n", ["prompt"], 3, None, "bad CSV"),
    ("csv empty file", read_csv, "", ["prompt"], 1, None, "empty file"),
    ("jsonl invalid json", read_jsonl, '{"prompt": "a"}\n\n{"prompt": \n', ["prompt"], 3, None, "invalid JSON"),
    ("jsonl array line", read_jsonl, '{"prompt": "a"}\n["prompt"]\n', ["prompt"], 2, None,
     "expected a JSON object, got list"),
    ("jsonl string line", read_jsonl, '{"prompt": "a"}\n{"prompt": "b"}\n"prompt"\n', ["prompt"], 3, None,
     "got str"),
    ("jsonl missing field", read_jsonl, '{"prompt": "a"}\n{"text": "b"}\n', ["prompt"], 2, "prompt",
     "missing field"),
    ("jsonl null field", read_jsonl, '{"prompt": null}\n', ["prompt"], 1, "prompt", "missing field"),
    ("jsonl empty field", read_jsonl, '{"prompt": "a"}\n{"prompt": " "}\n', ["prompt"], 2, "prompt", "empty text"),
    ("jsonl non-text field", read_jsonl, '{"prompt": "a"}\n{"prompt": 7}\n', ["prompt"], 2, "prompt",
     "expected text, got int"),
    ("jsonl invalid utf-8", read_jsonl, b'{"prompt": "a"}\n{"prompt": "b"}\n{"prompt": "\xc3\x28"}\n', ["prompt"],
     3, None, "invalid UTF-8"),
    ("json array syntax error", read_json_array, '[{"prompt": "a"},\n {"prompt": "b"\n]', ["prompt"], 3, None,
     "invalid JSON"),
    ("json not an array", read_json_array, '{"prompt": "a"}', ["prompt"], 1, None, "expected a JSON array"),
]


@pytest.mark.parametrize("reader, content, required, line, field, words",
                         [c[1:] for c in STRICT_CASES], ids=[c[0] for c in STRICT_CASES])
def test_strict_mode_raises_with_file_line_and_field(tmp_path, reader, content, required, line, field, words):
    path = write(tmp_path, "bad.data", content)
    with pytest.raises(DataFormatError) as info:
        read(reader, path, required)
    err = info.value
    assert err.path == str(path)
    assert err.line == line
    assert err.field == field
    message = str(err)
    assert f"{path}:{line}" in message
    assert words in message
    if field:
        assert f"'{field}'" in message


@pytest.mark.parametrize("item, field, words", [
    ('{"text": "no prompt"}', "prompt", "missing field"),
    ('{"prompt": ""}', "prompt", "empty text"),
    ('{"prompt": ["a"]}', "prompt", "expected text, got list"),
    ('"just text"', None, "expected an object"),
])
def test_strict_json_array_names_the_bad_item(tmp_path, item, field, words):
    path = write(tmp_path, "bad.json", f'[{{"prompt": "ok"}}, {item}, {{"prompt": "ok"}}]')
    with pytest.raises(DataFormatError) as info:
        read(read_json_array, path, ["prompt"])
    err = info.value
    assert err.path == str(path)
    assert err.field == field
    assert str(path) in str(err)
    assert "item 2" in str(err)
    assert words in str(err)


def test_strict_json_array_of_texts_rejects_empty_or_non_text_items(tmp_path):
    for bad in ('"  "', "3", "null"):
        path = write(tmp_path, "texts.json", f'["fine", {bad}]')
        with pytest.raises(DataFormatError, match="item 2: expected non-empty text"):
            read(read_json_array, path, [], text_items=True)


def test_strict_json_array_invalid_utf8_names_the_file(tmp_path):
    path = write(tmp_path, "bad.json", b'["ok", "bad \xff"]')
    with pytest.raises(DataFormatError, match="invalid UTF-8") as info:
        read(read_json_array, path, [], text_items=True)
    assert info.value.path == str(path)


def test_strict_mode_yields_good_rows_before_the_bad_one(tmp_path):
    path = write(tmp_path, "bad.csv", CSV_HEADER + "2,also fine\n3\n4,never reached\n")
    report = ReadReport(str(path))
    rows = read_csv(path, ["prompt"], report)
    assert next(rows).values["prompt"] == "fine"
    assert next(rows).values["prompt"] == "also fine"
    with pytest.raises(DataFormatError):
        next(rows)


# ---- lenient mode: good rows kept, bad rows reported with their line -----------------------

def test_lenient_csv_keeps_good_rows_and_reports_each_bad_line(tmp_path):
    path = write(tmp_path, "mixed.csv", (
        "id,prompt\n"             # 1
        "1,good one\n"            # 2
        "2,a,b\n"                 # 3 too many columns
        '3,"good\nspanning"\n'    # 4-5
        "4,\n"                    # 6 empty field
    ).encode() + b"5,\xff\n"      # 7 invalid UTF-8
      + b"6,x\ry\n"               # 8 bad CSV
      + b"7,good last\n")         # 9
    rows, report = read(read_csv, path, ["prompt"], lenient=True)
    assert [(r.line, r.values["prompt"]) for r in rows] == [(2, "good one"), (4, "good\nspanning"), (9, "good last")]
    assert len(report.skipped) == 4
    assert sorted(report.skipped_lines) == [3, 6, 7, 8]
    assert all(isinstance(e, DataFormatError) and e.path == str(path) for e in report.skipped)
    assert [e.field for e in report.skipped if e.line == 6] == ["prompt"]


def test_lenient_csv_still_refuses_a_header_without_the_required_column(tmp_path):
    path = write(tmp_path, "header.csv", "id,text\n1,x\n")
    with pytest.raises(DataFormatError, match="header lacks"):
        read(read_csv, path, ["prompt"], lenient=True)


def test_lenient_jsonl_keeps_good_rows_and_reports_each_bad_line(tmp_path):
    path = write(tmp_path, "mixed.jsonl", (
        '{"prompt": "one"}\n'     # 1
        "\n"                      # 2 blank
        '{"prompt": \n'           # 3 invalid JSON
        "[1, 2]\n"                # 4 not an object
        '{"other": "x"}\n'        # 5 missing field
        '{"prompt": ""}\n'        # 6 empty field
    ).encode() + b'{"prompt": "\xff"}\n'  # 7 invalid UTF-8
      + b'{"prompt": "two"}\n')   # 8
    rows, report = read(read_jsonl, path, ["prompt"], lenient=True)
    assert [(r.line, r.values["prompt"]) for r in rows] == [(1, "one"), (8, "two")]
    assert len(report.skipped) == 5
    assert sorted(report.skipped_lines) == [3, 4, 5, 6, 7]
    assert {e.line: e.field for e in report.skipped} == {3: None, 4: None, 5: "prompt", 6: "prompt", 7: None}


def test_lenient_json_array_keeps_good_items_and_counts_bad_ones(tmp_path):
    path = write(tmp_path, "mixed.json", '[{"prompt": "a"}, {"x": 1}, 3, {"prompt": " "}, {"prompt": "b"}]')
    rows, report = read(read_json_array, path, ["prompt"], lenient=True)
    assert [(r.line, r.values["prompt"]) for r in rows] == [(1, "a"), (5, "b")]
    assert len(report.skipped) == 3
    for index, err in zip((2, 3, 4), report.skipped):
        assert err.path == str(path)
        assert f"item {index}:" in str(err)


def test_lenient_json_array_reports_a_position_for_each_bad_item(tmp_path):
    path = write(tmp_path, "mixed.json", '[{"prompt": "a"}, {"x": 1}, 3, {"prompt": "b"}]')
    _, report = read(read_json_array, path, ["prompt"], lenient=True)
    assert None not in report.skipped_lines
