"""The per-hazard generator of unsafe texts and benign contrasts."""

from collections import Counter, defaultdict
from functools import lru_cache

import pytest

from slmguard.core.config import Settings
from slmguard.core.types import Role
from slmguard.data import load, names
from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY
from slmguard.weak.hazard_texts import CODES, SIGNALS, GeneratedText, generate_hazard_texts, norm
from slmguard.weak.hazard_texts._common import FORMS, tidy, to_them, to_you

PER_SIDE = 300


@lru_cache(maxsize=None)
def generated(seed: int = 0, per_side: int = PER_SIDE) -> tuple[GeneratedText, ...]:
    return tuple(generate_hazard_texts(seed=seed, per_side=per_side))


def by_code_side(items) -> dict[tuple[str, bool], list[GeneratedText]]:
    groups: dict[tuple[str, bool], list[GeneratedText]] = defaultdict(list)
    for item in items:
        groups[(item.code, item.unsafe)].append(item)
    return groups


def test_codes_are_the_taxonomy_and_the_signals():
    assert CODES == (*DEFAULT_TAXONOMY.codes, *SIGNALS)
    assert SIGNALS == ("jailbreak", "harassment")
    assert {item.code for item in generated()} == set(CODES)


def test_same_seed_same_texts_other_seed_other_sample():
    assert generate_hazard_texts(0) == list(generated(0))
    assert generated(1) != generated(0)
    assert {(t.code, t.unsafe) for t in generated(1)} == {(t.code, t.unsafe) for t in generated(0)}


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("unsafe", [True, False])
def test_every_code_reaches_per_side_distinct_texts_in_two_forms(code, unsafe):
    texts = by_code_side(generated())[(code, unsafe)]
    assert len(texts) == PER_SIDE
    assert len({norm(t.text) for t in texts}) == PER_SIDE
    forms = Counter(t.form for t in texts)
    assert len(forms) >= 2, forms
    assert len({t.family for t in texts}) >= 3


def test_texts_are_distinct_across_codes_and_sides():
    keys = [norm(t.text) for t in generated()]
    assert len(set(keys)) == len(keys)


def test_fields_are_well_formed():
    for t in generated():
        assert t.form in FORMS
        assert t.text and t.text == t.text.strip()
        assert "{" not in t.text and "}" not in t.text
        assert t.family
        if t.form == "response":
            assert t.context and "{" not in t.context and norm(t.context) != norm(t.text)
        else:
            assert t.context is None


def test_smaller_per_side_is_honoured_and_still_mixes_forms():
    groups = by_code_side(generated(0, 40))
    assert set(groups) == {(c, u) for c in CODES for u in (True, False)}
    for texts in groups.values():
        assert len(texts) == 40
        assert len({t.form for t in texts}) >= 2


def test_asking_for_more_than_exists_returns_what_exists():
    groups = by_code_side(generate_hazard_texts(0, per_side=10**6))
    assert all(len(texts) >= PER_SIDE for texts in groups.values())


def test_child_sexual_exploitation_has_no_compliant_answers():
    assert not [t for t in generated() if t.code == "cse" and t.unsafe and t.form == "response"]


def test_unknown_code_is_refused():
    with pytest.raises(KeyError):
        generate_hazard_texts(codes=["nope"])
    only = generate_hazard_texts(codes=["ipv"], per_side=10)
    assert {t.code for t in only} == {"ipv"} and len(only) == 20


def test_helpers():
    assert tidy("  hello ,  world .  then  more ") == "Hello, world. Then more"
    assert tidy("Dr. who? yes") == "Dr. who? Yes"
    assert to_you("get back at my ex, who hurt me") == "get back at your ex, who hurt you"
    assert to_them("hide my scars from myself") == "hide their scars from themselves"


DATA_DIR = Settings.resolve().data_dir


@pytest.mark.skipif(DATA_DIR is None or not DATA_DIR.is_dir(), reason="no data folder")
def test_no_text_repeats_an_evaluation_text():
    evaluation = {norm(e.text): name for name in names(Role.EVALUATION) for e in load(name, DATA_DIR).examples}
    ours = generate_hazard_texts(0, per_side=10**6)
    hits = [(t.code, t.text, evaluation[norm(t.text)]) for t in ours if norm(t.text) in evaluation]
    hits += [(t.code, t.context, evaluation[norm(t.context)]) for t in ours
             if t.context and norm(t.context) in evaluation]
    assert not hits
