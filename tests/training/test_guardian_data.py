import json

import numpy as np
from conftest import tiny_weak_dataset

from slmguard.judges.response import ResponseJudges
from slmguard.models.causal_lm import load_causal_lm
from slmguard.models.generation import TransformersGenerator
from slmguard.training.guardian_data import GuardianDataConfig, build_guardian_data


class CountingGenerator(TransformersGenerator):
    calls = 0

    def generate(self, prompts, cfg, progress=None):
        CountingGenerator.calls += len(prompts)
        return super().generate(prompts, cfg, progress)


def test_build_writes_judged_candidates_and_resumes(tiny_slm, tmp_path):
    model, tok = load_causal_lm(str(tiny_slm), tmp_path)
    gen = CountingGenerator(model, tok)
    # Stand-in scorers keep the test fast; the real judges are tested on their own.
    judges = ResponseJudges(lambda qs, xs: np.full(len(xs), 0.1), lambda xs: np.ones((len(xs), 2)) / np.sqrt(2))
    cfg = GuardianDataConfig(detect_unsafe=4, detect_safe=4, respond_harmful=3, respond_safe=3, holdout=2,
                             response_tokens=6, alternative_tokens=6, min_relevance=0.5, max_safeguard_share=1.0)
    weak = tiny_weak_dataset()
    weak.targets[:, 1 + len(weak.codes):] = 1.0  # signals follow the hazards and are never a hazard
    data = build_guardian_data(weak, gen, tok, judges, tmp_path, cfg, progress=False)
    assert CountingGenerator.calls == 3 * 2 + 3  # two tries per harmful prompt
    assert len(data.holdout) == 2 and all(r.task == "detect" for r in data.holdout)
    detect = [r for r in data.train if r.task == "detect"]
    assert len(detect) == 6
    assert all(r.target in ("safe", "unsafe: ncr") for r in detect)
    assert {r.text for r in data.holdout}.isdisjoint({r.text for r in detect})
    stats = data.judge_rejections
    assert stats["harmful"]["candidates"] == 6 and stats["safe"]["candidates"] == 3
    assert stats["harmful"]["prompts"] == 3
    kept = [r for r in data.train if r.task == "respond"]
    assert len(kept) == stats["harmful"]["kept"] + stats["safe"]["kept"]
    # Every harmful candidate starts with the opening that declines and names the concern.
    judged = [json.loads(line) for line in (tmp_path / "judged.jsonl").read_text().splitlines()]
    assert all(j["response"].startswith(("I'm sorry", "I can't", "I won't")) for j in judged if j["group"] == "harmful")
    # A second build reuses the written candidates instead of generating again.
    build_guardian_data(tiny_weak_dataset(), gen, tok, judges, tmp_path, cfg, progress=False)
    assert CountingGenerator.calls == 9


def _candidate(index: int, group: str, continuation: str) -> dict:
    opening = "I can't help with that. Instead," if group == "harmful" else ""
    return {"index": index, "group": group, "query": f"q{index}", "opening": opening,
            "continuation": continuation, "response": f"{opening} {continuation}".strip()}


def test_judging_keeps_the_most_relevant_passing_safeguard_and_caps_their_share(tmp_path):
    from slmguard.training.guardian_data import _judge_candidates

    relevance = {"fits the request": 0.9, "fits less": 0.5, "beside the point": 0.1, "I'm sorry, I can't do that.": 0.9,
                 "an answer": 0.8}

    def embed(texts):
        # The query embeds to (1, 0); a text with relevance r to (r, sqrt(1 - r^2)).
        return np.array([[1.0, 0.0] if t.startswith("q") else [relevance[t], np.sqrt(1 - relevance[t] ** 2)]
                         for t in texts])

    judges = ResponseJudges(lambda qs, xs: np.full(len(xs), 0.1), embed)
    candidates = [_candidate(0, "harmful", "fits less"), _candidate(0, "harmful", "fits the request"),
                  _candidate(1, "harmful", "beside the point"), _candidate(2, "harmful", "I'm sorry, I can't do that."),
                  _candidate(3, "harmful", "fits less")] + [_candidate(8, "safe", "an answer"), _candidate(9, "safe", "an answer")]
    cfg = GuardianDataConfig(min_alternative_relevance=0.3, max_safeguard_share=0.5)
    kept, stats = _judge_candidates(candidates, judges, cfg, tmp_path / "judged.jsonl")
    assert [c["continuation"] for c in kept if c["group"] == "harmful"] == ["fits the request", "fits less"]
    assert stats["harmful"]["off_topic"] == 1 and stats["harmful"]["repeats_refusal"] == 1
    assert stats["harmful"]["passed"] == 2
    # Two safe answers allow two safeguards at a share of 0.5, one at 0.4, none at 0.
    for share, n in ((0.4, 1), (0.0, 0)):
        kept, _ = _judge_candidates(candidates, judges, GuardianDataConfig(max_safeguard_share=share), tmp_path / "j.jsonl")
        assert sum(c["group"] == "harmful" for c in kept) == n
