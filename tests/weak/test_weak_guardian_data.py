import json

import numpy as np

from conftest import tiny_weak_dataset
from slmguard.models.causal_lm import load_causal_lm
from slmguard.models.generation import TransformersGenerator
from slmguard.weak.guardian_data import GuardianDataConfig, build_guardian_data
from slmguard.weak.judges import ResponseJudges


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
                             response_tokens=6, alternative_tokens=6, min_relevance=0.5)
    data = build_guardian_data(tiny_weak_dataset(), gen, tok, judges, tmp_path, cfg, progress=False)
    assert CountingGenerator.calls == 6
    assert len(data.holdout) == 2 and all(r.task == "detect" for r in data.holdout)
    detect = [r for r in data.train if r.task == "detect"]
    assert len(detect) == 6
    assert all(r.target == "safe" or r.target.startswith("unsafe: ") for r in detect)
    assert {r.text for r in data.holdout}.isdisjoint({r.text for r in detect})
    stats = data.judge_rejections
    assert stats["harmful"]["candidates"] == 3 and stats["safe"]["candidates"] == 3
    kept = [r for r in data.train if r.task == "respond"]
    assert len(kept) == stats["harmful"]["kept"] + stats["safe"]["kept"]
    # Every harmful candidate starts with the opening that declines and names the concern.
    judged = [json.loads(line) for line in (tmp_path / "judged.jsonl").read_text().splitlines()]
    assert all(j["response"].startswith(("I'm sorry", "I can't", "I won't")) for j in judged if j["group"] == "harmful")
    # A second build reuses the written candidates instead of generating again.
    build_guardian_data(tiny_weak_dataset(), gen, tok, judges, tmp_path, cfg, progress=False)
    assert CountingGenerator.calls == 6
