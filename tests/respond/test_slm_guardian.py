import numpy as np
import pytest

from conftest import SAFE, UNSAFE
from slmguard.core.errors import ArtifactError
from slmguard.models.artifacts import verify_manifest
from slmguard.models.generation import GenerationConfig
from slmguard.respond.slm_guardian import GuardianConfig, SlmGuardian


def _load(tiny_guardian, tiny_slm):
    return SlmGuardian.load(tiny_guardian[0], base=str(tiny_slm), backend="transformers")


def test_training_writes_a_verified_small_safetensors_artifact(tiny_guardian):
    folder, result = tiny_guardian
    verify_manifest(folder)
    assert (folder / "adapter" / "adapter_model.safetensors").is_file()
    assert not list(folder.rglob("*.bin")) and not list(folder.rglob("*.pt"))
    config = GuardianConfig.read(folder)
    assert config.tasks == ("detect", "respond") and config.training["rows"] == 24
    assert all(np.isfinite(result.losses))


def test_training_lowers_the_loss(tiny_guardian):
    losses = tiny_guardian[1].losses
    assert np.mean(losses[-3:]) < np.mean(losses[:3])


def test_detection_reads_label_and_category_tokens_in_one_pass(tiny_guardian, tiny_slm):
    slm = _load(tiny_guardian, tiny_slm)
    scores = slm.score(UNSAFE[:6] + SAFE[:6])
    assert scores.probs.shape == (12,) and ((scores.probs >= 0) & (scores.probs <= 1)).all()
    assert np.allclose(scores.categories.sum(1), 1.0, atol=1e-5)
    # Trained on these very texts, the tiny model separates them and names the trained hazard.
    assert scores.probs[:6].mean() > scores.probs[6:].mean()
    assert slm.config.codes[int(scores.categories[:6].mean(0).argmax())] == "ncr"


def test_batched_and_single_scores_agree(tiny_guardian, tiny_slm):
    slm = _load(tiny_guardian, tiny_slm)
    texts = [UNSAFE[0], SAFE[1] + " with a much longer tail of words to force padding"]
    together = slm.score(texts).probs
    alone = np.array([slm.score([t]).probs[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_respond_generates_text(tiny_guardian, tiny_slm):
    out = _load(tiny_guardian, tiny_slm).respond([UNSAFE[0], SAFE[0]], GenerationConfig(max_new_tokens=5))
    assert len(out) == 2 and all(isinstance(o, str) for o in out)


def test_loading_a_folder_that_is_not_a_guardian_fails_clearly(tmp_path):
    with pytest.raises(ArtifactError, match="guardian.json"):
        SlmGuardian.load(tmp_path, backend="transformers")


def test_tampered_adapter_is_refused(tiny_guardian, tiny_slm, tmp_path):
    import shutil

    copy = tmp_path / "g"
    shutil.copytree(tiny_guardian[0], copy)
    with (copy / "adapter" / "adapter_model.safetensors").open("ab") as fh:
        fh.write(b"x")
    with pytest.raises(ArtifactError):
        SlmGuardian.load(copy, base=str(tiny_slm), backend="transformers")


def test_llama_cpp_backend_refuses_other_bases(tiny_guardian, tiny_slm):
    with pytest.raises(ArtifactError, match="llama.cpp"):
        SlmGuardian.load(tiny_guardian[0], base=str(tiny_slm), backend="llama.cpp")
