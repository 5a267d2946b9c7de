import random

from slmguard.align.dpo import weighted_draw
from slmguard.align.pairs import PreferencePair


def pair(objective, i):
    return PreferencePair(f"p{i}", objective, "good", "bad", "sample", "sample", (1.0, 1.0), (0.0, 0.0))


PAIRS = [pair("safety", i) for i in range(30)] + [pair("helpfulness", i) for i in range(5)]


def test_draw_follows_the_objective_weights_not_the_pair_counts():
    drawn = weighted_draw(PAIRS, {"safety": 0.5, "helpfulness": 0.5}, 4000, random.Random(0))
    share = sum(p.objective == "helpfulness" for p in drawn) / len(drawn)
    assert 0.45 < share < 0.55


def test_within_an_objective_pairs_are_drawn_by_their_judge_gap():
    wide = PreferencePair("w", "safety", "good", "bad", "sample", "sample", (0.9, 0.5), (0.0, 0.5))
    narrow = PreferencePair("n", "safety", "ok", "meh", "sample", "sample", (0.6, 0.5), (0.3, 0.5))
    drawn = weighted_draw([wide, narrow], {"safety": 1.0, "helpfulness": 0.0}, 3000, random.Random(0))
    assert 0.70 < sum(p.prompt_id == "w" for p in drawn) / len(drawn) < 0.80  # 0.9 / (0.9 + 0.3)


def test_harmful_and_safe_prompts_share_an_objective_equally():
    safe = [PreferencePair(f"s{i}", "safety", "answer", "I can't.", "sample", "refusal", (0.9, 0.9), (0.0, 0.0),
                           "safe") for i in range(30)]
    harmful = [pair("safety", i) for i in range(5)]
    drawn = weighted_draw(safe + harmful, {"safety": 1.0, "helpfulness": 0.0}, 4000, random.Random(0))
    assert 0.45 < sum(p.intent == "harmful" for p in drawn) / len(drawn) < 0.55


def test_zero_weight_drops_an_objective_and_a_missing_one_passes_its_weight_on():
    assert all(p.objective == "safety" for p in weighted_draw(PAIRS, {"safety": 1.0, "helpfulness": 0.0}, 200,
                                                               random.Random(0)))
    only_safety = [p for p in PAIRS if p.objective == "safety"]
    assert len(weighted_draw(only_safety, {"safety": 0.2, "helpfulness": 0.8}, 50, random.Random(0))) == 50
    assert weighted_draw(only_safety, {"safety": 0.0, "helpfulness": 1.0}, 50, random.Random(0)) == []
