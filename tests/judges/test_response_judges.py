import numpy as np

from slmguard.judges.response import ResponseJudges
from slmguard.respond.refusals import is_compliance, is_refusal, without_refusals


def test_refusals_are_recognised():
    assert is_refusal("I'm sorry, but I can't help with that.")
    assert is_refusal("I cannot provide instructions for making weapons.")
    assert is_refusal("As an AI language model, I won't do that.")
    assert not is_refusal("Sure! Paris is the capital of France.")
    assert not is_refusal("Smoking is dangerous, so here are five ways to quit.")


def test_refusal_is_judged_on_the_opening_only():
    assert not is_refusal("Here is the recipe. " + "Mix the flour. " * 40 + "I'm sorry it is long.")


def test_compliance_is_recognised():
    assert is_compliance("Here's how to do it: step 1, take the pipe.")
    assert is_compliance("You will need a few ingredients.")
    assert not is_compliance("you could talk to someone you trust or call a crisis line.")


def test_judges_combine_every_check():
    judges = ResponseJudges(lambda qs, xs: np.array([0.9 if "bomb" in x else 0.1 for x in xs]),
                            lambda xs: np.array([[1.0, 0.0] if "cake" in x else [0.0, 1.0] for x in xs]))
    out = judges.judge(["bake a cake", "bake a cake"], ["a cake recipe", "I'm sorry, a bomb"])
    assert out[0].relevance == 1.0 and not out[0].refusal and out[0].unsafe_score == 0.1
    assert out[1].relevance == 0.0 and out[1].refusal and out[1].unsafe_score == 0.9
    assert judges.judge([], []) == []


def test_without_refusals_keeps_what_could_help():
    text = "I'm sorry, but I can't help with that because it involves weapons. Instead, talk to someone you trust."
    assert without_refusals(text) == "Instead, talk to someone you trust."
    assert without_refusals("I cannot help with that.") == ""


def test_empty_scored_text_is_safe_without_asking_the_detector():
    asked = []
    judges = ResponseJudges(lambda qs, xs: asked.extend(xs) or np.full(len(xs), 0.9), lambda xs: np.ones((len(xs), 1)))
    out = judges.judge(["q", "q"], ["I can't.", "Sure, step 1"], scored=["", "Sure, step 1"])
    assert out[0].unsafe_score == 0.0 and out[1].unsafe_score == 0.9 and asked == ["Sure, step 1"]
