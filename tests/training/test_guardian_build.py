import json

import numpy as np
from conftest import tiny_weak_dataset

from slmguard.judges.response import ResponseJudges
from slmguard.training.guardian_build import GuardianBuildConfig, build_guardian
from slmguard.training.guardian_data import GuardianDataConfig
from slmguard.training.slm_train import GuardianTrainConfig


def test_build_reads_what_each_stage_wrote_and_trains_the_ablations(tiny_slm, tmp_path):
    judges = ResponseJudges(lambda qs, xs: np.full(len(xs), 0.1), lambda xs: np.ones((len(xs), 2)) / np.sqrt(2))
    cfg = GuardianBuildConfig(
        data=GuardianDataConfig(detect_unsafe=4, detect_safe=4, respond_harmful=2, respond_safe=2, holdout=4,
                                response_tokens=4, alternative_tokens=4),
        train=GuardianTrainConfig(base=str(tiny_slm), batch_size=4, lora_r=2, bf16=False),
        ablation=True, backend="transformers")
    out = build_guardian(tiny_weak_dataset(), tmp_path / "artifact", tmp_path / "run", cfg, judges=judges,
                         progress=False)
    run = tmp_path / "run"
    for name in ("candidates.jsonl", "judged.jsonl", "train.jsonl", "holdout.jsonl", "report.md", "loss.png"):
        assert (run / name).is_file(), name
    assert len((run / "train.jsonl").read_text().splitlines()) == len(out.data.train)
    assert set(out.ablations) == {"detect-only", "respond-only"}
    assert (run / "ablation" / "respond-only" / "guardian.json").is_file()
    build = json.loads((run / "build.json").read_text())
    assert build["runs"]["detect-only"]["tasks"] == ["detect"]
    assert "| harmful (2) | 4 |" in out.report.read_text()  # two prompts, two tries each
