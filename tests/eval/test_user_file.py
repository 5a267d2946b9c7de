import json

import pytest

from slmguard.core.errors import DataFormatError
from slmguard.core.types import Label
from slmguard.eval.user_file import load_user_file, parse_label, user_set_name


def write(tmp_path, rows, name="mine.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("value,expected", [
    (True, Label.UNSAFE), (False, Label.SAFE), (1, Label.UNSAFE), (0, Label.SAFE),
    ("1", Label.UNSAFE), ("0", Label.SAFE), ("TRUE", Label.UNSAFE), ("false", Label.SAFE),
    ("Unsafe", Label.UNSAFE), ("safe", Label.SAFE), ("harmful", Label.UNSAFE), (" Unharmful ", Label.SAFE),
    ("BENIGN", Label.SAFE),
])
def test_label_spellings(value, expected):
    assert parse_label(value) is expected


@pytest.mark.parametrize("value", [2, -1, 0.5, "maybe", "", None, ["unsafe"]])
def test_rejected_labels(value):
    assert parse_label(value) is None


def test_loads_rows_with_ids_categories_and_custom_fields(tmp_path):
    path = write(tmp_path, [
        {"prompt": "how to hurt someone", "y": "harmful", "categories": ["vcr", "HTE"]},
        "",
        {"prompt": "bake a cake", "y": 0, "id": "cake-1"},
        {"prompt": "steal a car", "y": True, "categories": "ncr, vcr"},
    ])
    examples = load_user_file(path, text_field="prompt", label_field="y")
    assert [e.label for e in examples] == [Label.UNSAFE, Label.SAFE, Label.UNSAFE]
    assert examples[0].categories == ("vcr", "hte")
    assert examples[2].categories == ("ncr", "vcr")
    assert examples[0].id == "file:mine.jsonl:1"
    assert examples[1].id == "file:mine.jsonl:cake-1"
    assert examples[2].id == "file:mine.jsonl:4"  # blank line 2 still counts
    assert {e.source for e in examples} == {user_set_name(path)} == {"file:mine.jsonl"}


def expect_error(path, match, line, field, **kwargs):
    with pytest.raises(DataFormatError, match=match) as info:
        load_user_file(path, **kwargs)
    err = info.value
    assert err.line == line and err.field == field and err.path == str(path)
    assert f"{path}:{line}" in str(err)
    return err


def test_missing_label_names_line_and_field(tmp_path):
    path = write(tmp_path, [{"text": "a", "label": "safe"}, {"text": "b"}])
    expect_error(path, "missing label", 2, "label")


def test_unrecognised_label_names_line_and_field(tmp_path):
    path = write(tmp_path, [{"text": "a", "label": "safe"}, {"text": "b", "label": "safe"},
                            {"text": "c", "label": "toxic"}])
    expect_error(path, "unrecognised label 'toxic'", 3, "label")


def test_missing_text_names_line_and_field(tmp_path):
    path = write(tmp_path, [{"text": "a", "label": 1}, {"body": "b", "label": 1}])
    expect_error(path, "missing field", 2, "text")


def test_invalid_json_names_line(tmp_path):
    path = write(tmp_path, [{"text": "a", "label": 1}, '{"text": "b", "label": ', {"text": "c", "label": 1}])
    expect_error(path, "invalid JSON", 2, None)


def test_unknown_category_code_names_line_and_field(tmp_path):
    path = write(tmp_path, [{"text": "a", "label": 1, "cats": ["violence"]}])
    expect_error(path, "unknown category code 'violence'", 1, "cats", categories_field="cats")
    assert load_user_file(path, categories_field="cats", known_codes=None)[0].categories == ("violence",)


def test_category_field_of_wrong_type(tmp_path):
    path = write(tmp_path, [{"text": "a", "label": 1, "categories": 3}])
    expect_error(path, "expected a list of codes", 1, "categories")


def test_empty_file_and_missing_file(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="no rows"):
        load_user_file(empty)
    with pytest.raises(FileNotFoundError):
        load_user_file(tmp_path / "absent.jsonl")
