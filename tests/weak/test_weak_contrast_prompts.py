"""The generator of safe prompts that sound unsafe."""

from collections import Counter

from slmguard.weak.contrast_prompts import generate_contrast_prompts

FAMILIES = {"homonym", "safe_target", "figurative", "context_game", "context_fiction", "context_sport",
            "context_professional", "definition", "history", "protective", "public_or_fictional", "sensitive_topic"}


def test_same_seed_same_list_other_seed_same_set_other_order():
    a, b, c = generate_contrast_prompts(0), generate_contrast_prompts(0), generate_contrast_prompts(1)
    assert a == b
    assert a != c
    assert sorted(a) == sorted(c)


def test_prompts_are_unique_non_empty_and_fully_formatted():
    items = generate_contrast_prompts(0)
    assert len(items) > 300
    prompts = [p for p, _ in items]
    assert len({p.lower() for p in prompts}) == len(prompts)
    for p in prompts:
        assert isinstance(p, str) and p.strip() == p and p
        assert "{" not in p and "}" not in p


def test_every_family_is_represented():
    families = Counter(f for _, f in generate_contrast_prompts(0))
    assert set(families) == FAMILIES
    assert families["homonym"] > 50 and families["definition"] > 50


def test_limit_is_a_prefix_of_the_full_list():
    full = generate_contrast_prompts(3)
    assert generate_contrast_prompts(3, limit=10) == full[:10]
    assert generate_contrast_prompts(3, limit=None) == full
