"""Custom policy files: valid ones load; invalid ones name the file, line and field path."""

from __future__ import annotations

from pathlib import Path

import pytest

from slmguard.core.errors import DataFormatError, PolicyError
from slmguard.taxonomy import DEFAULT_TAXONOMY, load_policy, policy_from_dict

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "policies" / "gambling.yaml"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> PolicyError:
    path = _write(tmp_path, text)
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert str(path) in str(info.value)
    return info.value


def test_shipped_example_extends_the_default() -> None:
    taxonomy = load_policy(EXAMPLE)
    assert taxonomy.codes == [*DEFAULT_TAXONOMY.codes, "gambling"]
    gambling = taxonomy.get("gambling")
    assert gambling.name == "Gambling" and gambling.threshold == 0.4 and len(gambling.examples) == 5


def test_without_extends_the_policy_replaces_the_default(tmp_path: Path) -> None:
    taxonomy = load_policy(_write(tmp_path, """\
name: only-mine
categories:
  - code: gambling
    description: Promotes gambling.
  - code: crypto_scams
    name: Crypto scams
    description: Promotes fraudulent crypto schemes.
    examples: ["Which coin will 100x tomorrow?"]
"""))
    assert taxonomy.name == "only-mine" and taxonomy.codes == ["gambling", "crypto_scams"]
    assert taxonomy.get("gambling").name == "Gambling"  # defaults to the code
    assert taxonomy.get("gambling").threshold is None and taxonomy.get("gambling").examples == ()
    assert taxonomy.get("crypto_scams").examples == ("Which coin will 100x tomorrow?",)


def test_extending_may_override_a_default_code_in_place(tmp_path: Path) -> None:
    taxonomy = load_policy(_write(tmp_path, """\
extends: default
categories:
  - code: spc
    name: Specialized advice (strict)
    description: Any financial, medical or legal advice at all.
    threshold: 0.3
"""))
    assert taxonomy.name == "policy"  # the file stem when no name is given
    assert taxonomy.codes == DEFAULT_TAXONOMY.codes
    assert taxonomy.get("spc").threshold == 0.3 and taxonomy.get("spc").name.endswith("(strict)")
    assert taxonomy.get("vcr") == DEFAULT_TAXONOMY.get("vcr")


def test_policy_error_is_a_data_format_error(tmp_path: Path) -> None:
    assert isinstance(_error(tmp_path, "- a\n- b\n"), DataFormatError)


@pytest.mark.parametrize(("text", "line", "field", "reason"), [
    pytest.param("- just\n- a list\n", 1, None, "must be a mapping", id="not-a-mapping"),
    pytest.param("name: x\nextends: default\n", 1, "categories", "missing", id="missing-categories"),
    pytest.param("name: x\n\ncategories: []\n", 3, "categories", "at least one", id="empty-categories"),
    pytest.param("name: x\ncategories:\n  - code: ok_code\n    description: fine\n  - name: No code\n"
                 "    description: d\n", 5, "categories[1].code", "missing", id="missing-code"),
    pytest.param("categories:\n  - code: gambling\n    name: G\n", 2, "categories[0].description", "missing",
                 id="missing-description"),
    pytest.param("categories:\n  - code: gambling\n    description: '   '\n", 3, "categories[0].description",
                 "at least 1", id="blank-description"),
    pytest.param("categories:\n  - code: ok\n    description: d\n  - code: Bad-Code\n    description: d\n",
                 4, "categories[1].code", "lowercase", id="bad-code"),
    pytest.param("categories:\n  - code: x\n    description: d\n", 2, "categories[0].code", "lowercase",
                 id="one-letter-code"),
    pytest.param("categories:\n  - code: gambling\n    description: d\n  - code: gambling\n    description: e\n",
                 4, "categories[1].code", "repeats categories[0]", id="duplicate-code"),
    pytest.param("categories:\n  - code: aa\n    description: d\n  - code: bb\n    description: d\n"
                 "    threshold: 1.5\n", 6, "categories[1].threshold", "less than 1", id="threshold-high"),
    pytest.param("categories:\n  - code: aa\n    description: d\n    threshold: 0\n", 4,
                 "categories[0].threshold", "greater than 0", id="threshold-zero"),
    pytest.param("categories:\n  - code: aa\n    description: d\n    threshold: high\n", 4,
                 "categories[0].threshold", "valid number", id="threshold-not-number"),
    pytest.param("categories:\n  - code: aa\n    description: d\n    examples: one example\n", 4,
                 "categories[0].examples", "valid list", id="examples-not-list"),
    pytest.param("categories:\n  - code: aa\n    description: d\n    examples:\n      - fine\n      - 42\n", 6,
                 "categories[0].examples[1]", "valid string", id="example-not-string"),
    pytest.param("categories:\n  - code: aa\n    description: d\n    colour: red\n", 4, "categories[0].colour",
                 "unknown field", id="unknown-category-key"),
    pytest.param("name: x\nversion: 2\ncategories:\n  - code: aa\n    description: d\n", 2, "version",
                 "unknown field", id="unknown-top-key"),
    pytest.param("extends: everything\ncategories:\n  - code: aa\n    description: d\n", 1, "extends",
                 "must be 'default'", id="bad-extends"),
    pytest.param("categories:\n  - code: aa\n    description: d\n    description: again\n", 4,
                 "categories[0].description", "twice", id="duplicate-key"),
])
def test_invalid_policy_names_line_and_field(tmp_path: Path, text: str, line: int, field: str | None,
                                             reason: str) -> None:
    error = _error(tmp_path, text)
    assert (error.line, error.field) == (line, field)
    assert f"policy.yaml:{line}" in str(error)
    if field:
        assert f"field '{field}'" in str(error)
    assert reason in str(error)


def test_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    error = _error(tmp_path, "name: x\ncategories:\n  - code: aa\n    description: [unclosed\n  - code: bb\n")
    assert "YAML syntax error" in str(error) and error.line is not None and error.line >= 4


def test_yaml_bad_indentation_names_its_line(tmp_path: Path) -> None:
    error = _error(tmp_path, "name: x\ncategories:\n  - code: aa\n   description: d\n")
    assert error.line == 4 and "YAML syntax error" in str(error)


def test_empty_file(tmp_path: Path) -> None:
    error = _error(tmp_path, "# nothing here\n")
    assert "empty" in str(error)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="not found") as info:
        load_policy(tmp_path / "absent.yaml")
    assert info.value.path == str(tmp_path / "absent.yaml") and info.value.line is None


def test_several_problems_are_all_reported_first_by_line(tmp_path: Path) -> None:
    error = _error(tmp_path, "categories:\n  - code: aa\n    description: d\n    threshold: 2\n"
                             "    examples: [1]\n  - code: B\n    description: d\n")
    assert error.line == 4 and error.field == "categories[0].threshold"
    assert "categories[0].examples[0] (line 5)" in str(error) and "categories[1].code (line 6)" in str(error)


def test_policy_from_dict() -> None:
    taxonomy = policy_from_dict({"name": "mem", "extends": "default",
                                 "categories": [{"code": "gambling", "description": "Promotes gambling."}]})
    assert taxonomy.name == "mem" and "gambling" in taxonomy and "vcr" in taxonomy
    with pytest.raises(PolicyError) as info:
        policy_from_dict({"categories": [{"code": "ok", "description": "d", "threshold": 3}]}, source="inline")
    assert info.value.field == "categories[0].threshold" and info.value.line is None
    assert str(info.value).startswith("inline, field 'categories[0].threshold'")
    with pytest.raises(PolicyError, match="mapping"):
        policy_from_dict(["not", "a", "mapping"])
