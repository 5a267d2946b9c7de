import numpy as np

from slmguard.weak.judges import ResponseJudges, is_compliance, is_refusal


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
    judges = ResponseJudges(lambda xs: np.array([0.9 if "bomb" in x else 0.1 for x in xs]),
                            lambda xs: np.array([[1.0, 0.0] if "cake" in x else [0.0, 1.0] for x in xs]))
    out = judges.judge(["bake a cake", "bake a cake"], ["a cake recipe", "I'm sorry, a bomb"])
    assert out[0].relevance == 1.0 and not out[0].refusal and out[0].unsafe_score == 0.1
    assert out[1].relevance == 0.0 and out[1].refusal and out[1].unsafe_score == 0.9
    assert judges.judge([], []) == []
