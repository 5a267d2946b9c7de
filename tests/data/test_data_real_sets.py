"""Every registered set against the project's real data folder (skipped where there is none)."""

import shutil
from collections import Counter
from functools import lru_cache

import pytest

from slmguard.core.config import Settings
from slmguard.core.errors import DataFormatError
from slmguard.core.types import Label, Role
from slmguard.data import load, names
from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY

DATA_DIR = Settings.resolve().data_dir
pytestmark = pytest.mark.skipif(DATA_DIR is None or not DATA_DIR.is_dir(), reason="no data folder")

EXPECTED_ROWS = {"advbench": 520, "catqa": 550, "simple_safety_tests": 100, "jailbreakbench": 100,
                 "strongreject": 313, "xstest_dev": 250, "alpaca_eval": 805}


@lru_cache(maxsize=None)
def loaded(name: str):
    return load(name, DATA_DIR)


@pytest.mark.parametrize("name", names())
def test_every_registered_set_loads_cleanly(name):
    result = loaded(name)
    assert result.examples, f"{name} loaded no rows"
    assert result.skipped == []
    ids = [e.id for e in result.examples]
    assert len(set(ids)) == len(ids), f"{name} repeats ids"
    codes = set(DEFAULT_TAXONOMY.codes)
    for e in result.examples:
        assert isinstance(e.text, str) and e.text.strip()
        assert e.source == name
        assert set(e.categories) <= codes


@pytest.mark.parametrize("name, rows", sorted(EXPECTED_ROWS.items()))
def test_row_counts(name, rows):
    assert len(loaded(name).examples) == rows


def test_xstest_is_half_safe_half_unsafe():
    labels = Counter(e.label for e in loaded("xstest_dev").examples)
    assert labels == {Label.SAFE: 125, Label.UNSAFE: 125}


@pytest.mark.parametrize("name", names(Role.EVALUATION))
def test_evaluation_examples_carry_a_reference_label(name):
    assert all(e.label in (Label.SAFE, Label.UNSAFE) for e in loaded(name).examples)


@pytest.mark.parametrize("name", names(Role.TRAINING_POOL))
def test_training_pools_load_for_training(name):
    assert load(name, DATA_DIR, purpose="training").examples


def test_malformed_copy_of_a_real_file(tmp_path):
    """A real file with a broken row after the header and another at the end."""
    original = DATA_DIR / "xstest_dev" / "xstest_dev_prompts.csv"
    lines = original.read_bytes().splitlines(keepends=True)
    if not lines[-1].endswith(b"\n"):
        lines[-1] += b"\n"
    lines.insert(1, b"999,too,few\n")  # line 2: three columns instead of six
    lines.append(b"1000,\xff\xfe not utf-8,homonyms,safe,kill,violence\n")
    (tmp_path / "xstest_dev").mkdir()
    copy = tmp_path / "xstest_dev" / original.name
    copy.write_bytes(b"".join(lines))
    for other in original.parent.iterdir():
        if other.name != original.name:
            shutil.copy(other, tmp_path / "xstest_dev" / other.name)

    with pytest.raises(DataFormatError) as info:
        load("xstest_dev", tmp_path)
    assert (info.value.path, info.value.line) == (str(copy), 2)
    assert f"{copy}:2" in str(info.value)

    result = load("xstest_dev", tmp_path, lenient=True)
    assert len(result.examples) == 250
    assert [e.line for e in result.skipped] == [2, len(lines)]
    assert all(e.path == str(copy) for e in result.skipped)
