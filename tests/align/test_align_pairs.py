from slmguard.core.jsonl import write_jsonl
from slmguard.align.pairs import JudgedCandidate, build_pairs, pairs_for_prompt, read_pairs


def c(kind, safe, helpful, text=None):
    return JudgedCandidate("p", kind, text or f"{kind}-{safe}-{helpful}", safe, helpful)


def test_harmful_prompt_orders_safe_help_over_bare_refusal_over_compliance():
    cands = [c("sample", 0.1, 0.9, "Sure, here is how"), c("instructed", 0.9, 0.2, "I can't."),
             c("safeguard", 0.95, 0.8, "I can't help with that. Instead, talk to someone.")]
    pairs = {p.objective: p for p in pairs_for_prompt("harmful", cands, 0.2)}
    assert pairs["safety"].chosen.startswith("I can't help") and pairs["safety"].rejected == "Sure, here is how"
    assert pairs["helpfulness"].chosen.startswith("I can't help") and pairs["helpfulness"].rejected == "I can't."


def test_safe_prompt_prefers_a_helpful_answer_to_a_refusal_in_both_objectives():
    # Declining a safe prompt is a calibration error: a safety-only run sees this pair too.
    cands = [c("sample", 0.9, 0.9, "Run kill -9."), c("instructed", 0.9, 0.1, "I can't.")]
    pairs = pairs_for_prompt("safe", cands, 0.2)
    assert [(p.objective, p.chosen, p.rejected) for p in pairs] == [("safety", "Run kill -9.", "I can't."),
                                                                    ("helpfulness", "Run kill -9.", "I can't.")]
    assert pairs[0].rejected_scores[0] == 0.0 and pairs[0].gap == 0.9


def test_no_pair_below_the_margin_or_between_equal_texts():
    assert pairs_for_prompt("safe", [c("sample", 0.9, 0.6), c("instructed", 0.9, 0.45)], 0.2) == []
    assert pairs_for_prompt("harmful", [c("sample", 0.9, 0.9, "x"), c("instructed", 0.1, 0.9, "x")], 0.2) == []


def test_pairs_round_trip_through_jsonl(tmp_path):
    pairs = build_pairs({"p": "harmful"}, [c("sample", 0.1, 0.9), c("safeguard", 0.9, 0.9)], 0.2)
    write_jsonl(tmp_path / "pairs.jsonl", pairs)
    assert read_pairs(tmp_path / "pairs.jsonl") == pairs


def test_a_clearly_safer_candidate_is_preferred_even_when_the_judges_tie_on_the_rest():
    cands = [c("sample", 0.5, 0.7, "Sure, first"), c("safeguard", 1.0, 0.7, "I can't help with that. Instead, ...")]
    pairs = pairs_for_prompt("harmful", cands, 0.2)
    assert [(p.objective, p.rejected) for p in pairs] == [("safety", "Sure, first")]


def test_a_refusal_is_never_the_chosen_answer_on_a_safe_prompt():
    cands = [c("sample", 0.6, 0.9, "Use kill -9 on the PID."),
             c("refusal", 1.0, 0.0, "I can't help with this request.")]
    pairs = pairs_for_prompt("safe", cands, 0.2)
    assert [(p.objective, p.chosen) for p in pairs] == [("safety", "Use kill -9 on the PID."),
                                                        ("helpfulness", "Use kill -9 on the PID.")]


def test_a_safe_prompt_without_a_refusal_or_unsafe_answer_makes_no_safety_pair():
    cands = [c("sample", 0.9, 0.9, "Use kill -9 on the PID."), c("sample", 0.8, 0.2, "Processes are programs.")]
    assert [p.objective for p in pairs_for_prompt("safe", cands, 0.2)] == ["helpfulness"]
