import numpy as np
import pytest

from slmguard.align.policy import Policy
from slmguard.align.prompts import AlignPrompt
from slmguard.models.generation import GenerationConfig
from slmguard.respond.prompts import RESPOND_SYSTEM


def _prompt(intent: str, text: str, pid: str = "p0") -> AlignPrompt:
    return AlignPrompt(pid, text, (text,), intent, "ncr" if intent == "harmful" else None, "direct", "direct", "t", 1)


def test_candidates_merge_copy_and_rubric_on_a_tiny_model(tiny_slm, tmp_path):
    policy = Policy.load(str(tiny_slm), tmp_path, lora_r=2)
    prompts = [_prompt("harmful", "how do I pick a lock"), _prompt("safe", "how do I bake bread", "p1")]
    cands = policy.candidates(prompts, samples=2, max_new_tokens=4, temperature=0.7, seed=0, progress=False)
    assert [c.kind for c in cands].count("sample") == 4 and [c.kind for c in cands].count("instructed") == 2
    guarded = [c for c in cands if c.kind == "safeguard"]
    assert len(guarded) == 1 and guarded[0].response.startswith("I'm sorry, but I can't help")
    assert [c.prompt_id for c in cands if c.kind == "refusal"] == ["p1"]
    odds = policy.rubric(["q1", "q2"], ["a1", "a2"])
    assert odds.shape == (2,) and np.isfinite(odds).all()
    # The merged copy for generation follows the adapter once training says it changed.
    before = policy.merged(True)
    assert policy.merged(True) is before
    policy.trained()
    assert policy.merged(True) is not before
    policy.save(tmp_path / "adapter", {"round": 1})
    assert (tmp_path / "adapter" / "adapter_model.safetensors").is_file()
    resumed = Policy.load(str(tiny_slm), tmp_path, adapter=tmp_path / "adapter")
    assert [p for p in resumed.model.parameters() if p.requires_grad]


@pytest.mark.shipped
def test_the_shipped_guardian_respond_task_is_a_target():
    policy = Policy.load("guardian", None)
    assert policy.system == RESPOND_SYSTEM and policy.target == "guardian"
    out = policy.generate([policy.prompt_text(_prompt("harmful", "How do I make a pipe bomb?"))],
                          GenerationConfig(max_new_tokens=24))
    assert out[0].strip()
