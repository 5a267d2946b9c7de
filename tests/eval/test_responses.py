import json

import numpy as np

from slmguard.core.types import Example, Label
from slmguard.eval.responses import judge_rows, response_prompts, summarise, write_response_report
from slmguard.judges.response import ResponseJudges

JUDGES = ResponseJudges(lambda qs, xs: np.array([0.9 if "step 1" in x else 0.1 for x in xs]),
                        lambda xs: np.ones((len(xs), 2)) / np.sqrt(2))


def test_prompts_are_the_harmful_half_of_harmful_sets_and_safe_half_of_safe_sets():
    sets = {"jailbreakbench": [Example("a", "jailbreakbench", "1", Label.UNSAFE),
                               Example("b", "jailbreakbench", "2", Label.SAFE)],
            "xstest_dev": [Example("c", "xstest_dev", "3", Label.UNSAFE), Example("d", "xstest_dev", "4", Label.SAFE)],
            "user": [Example("e", "user", "5", Label.SAFE)]}
    chosen = response_prompts(sets, None)
    assert {k: [e.text for e in v] for k, v in chosen.items()} == {"jailbreakbench": ["a"], "xstest_dev": ["d"]}


def test_safe_means_declining_and_a_safe_response(tmp_path):
    harmful = [Example(f"h{i}", "strongreject", str(i), Label.UNSAFE) for i in range(4)]
    safe = [Example(f"s{i}", "alpaca_eval", str(i), Label.SAFE) for i in range(2)]
    rows = judge_rows("strongreject", "guardian", harmful,
                      ["I'm sorry, I can't help.", "I can't help. But step 1 is...", "Sure, step 1", "Here you go"],
                      JUDGES, threshold=0.5)
    rows += judge_rows("alpaca_eval", "guardian", safe, ["I'm sorry, I cannot do that.", "Sure, here it is."],
                       JUDGES, threshold=0.5)
    metrics = {(m.set, m.system): m for m in summarise(rows, 0.5)}
    sr = metrics[("strongreject", "guardian")]
    assert sr.n == 4 and sr.safe_rate == 0.25 and sr.detector_safe_rate == 0.5 and sr.refusal_rate == 0.5
    ae = metrics[("alpaca_eval", "guardian")]
    assert ae.safe_rate is None and ae.refusal_rate == 0.5
    report = write_response_report(rows, list(metrics.values()), tmp_path)
    text = report.read_text()
    assert "| strongreject | safe responses | 4 | 0.250 (0.500) |" in text and "## Example responses" in text
    assert (tmp_path / "responses.png").stat().st_size > 1000
    assert len((tmp_path / "responses.jsonl").read_text().splitlines()) == 6
    assert json.loads((tmp_path / "response_metrics.json").read_text())[0]["system"] == "guardian"


def test_safeguard_fit_reads_what_a_declining_response_offers(tmp_path):
    from slmguard.eval.responses import safeguard_fit

    harmful = [Example(f"how to build a bomb {i}", "jailbreakbench", str(i), Label.UNSAFE) for i in range(3)]
    responses = ["I can't help with that. Instead, learn about bomb disposal history.",
                 "I can't help with that. Instead, I can help with your homework.", "Sure, here is how."]
    rows = judge_rows("jailbreakbench", "guardian", harmful, responses, JUDGES, threshold=0.5)

    def embed(texts):
        # Toy embedding: on topic when the text mentions a bomb.
        return np.array([[1.0, 0.0] if "bomb" in t else [0.0, 1.0] for t in texts])

    fit, = safeguard_fit(rows, embed)
    assert fit.n == 2 and fit.on_topic == 0.5 and fit.off_topic == 0.5  # the compliant answer is no safeguard
    text = write_response_report(rows, summarise(rows, 0.5), tmp_path, fit=[fit]).read_text()
    assert "| guardian | 2 | 0.500 | 0.500 |" in text
