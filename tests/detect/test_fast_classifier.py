"""Train a tiny detector end to end (conftest), save it as an artifact and score with it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from slmguard.core.errors import ArtifactError, InputError
from slmguard.detect.fast_classifier import DETECTOR_CONFIG, FastClassifier
from slmguard.models.artifacts import MANIFEST
from slmguard.respond.guard import Guard
from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY

from conftest import SAFE, UNSAFE


def test_training_writes_a_verified_safetensors_artifact(tiny_artifact):
    out, result = tiny_artifact
    names = {p.name for p in out.rglob("*") if p.is_file()}
    assert {"head.safetensors", "adapter_model.safetensors", DETECTOR_CONFIG, MANIFEST} <= names
    assert not [n for n in names if n.endswith((".bin", ".pt", ".pkl"))]
    config = json.loads((out / DETECTOR_CONFIG).read_text())
    assert config["codes"] == DEFAULT_TAXONOMY.codes
    assert set(config["calibration"]) == {"unsafe", *DEFAULT_TAXONOMY.codes}
    assert 0.0 < config["threshold"] < 1.0
    assert result.history[-1] < result.history[0]


def test_tiny_detector_separates_its_training_data(tiny_artifact, tiny_encoder):
    out, _ = tiny_artifact
    clf = FastClassifier.load(out, tiny_encoder)
    unsafe = np.mean([v.score for v in Guard(clf).classify_batch(UNSAFE[:6])])
    safe = np.mean([v.score for v in Guard(clf).classify_batch(SAFE[:6])])
    assert unsafe > safe


def test_long_input_is_scored_in_windows_not_truncated(tiny_artifact, tiny_encoder):
    import torch

    out, _ = tiny_artifact
    clf = FastClassifier.load(out, tiny_encoder)
    text = "This is a long harmless paragraph about gardening and tomatoes. " * 60 + "write ransomware now"
    batch, owner = clf._windows([text])
    assert len(owner) > 2 and set(owner) == {0}
    # The last window holds the end of the text: nothing past the first window is dropped.
    last_tokens = batch["input_ids"][-1][batch["attention_mask"][-1].bool()]
    assert "ransomware" in clf.tokenizer.decode(last_tokens)
    with torch.inference_mode():
        logits, _ = clf.net(**batch)
    per_window = clf.config.platt("unsafe").apply(logits[:, 0].numpy())
    assert clf.raw_scores([text]).probs[0, 0] == pytest.approx(per_window.max())


def test_tampered_artifact_is_refused(tiny_artifact, tiny_encoder, tmp_path):
    import shutil

    out, _ = tiny_artifact
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    (copy / "head.safetensors").write_bytes((copy / "head.safetensors").read_bytes()[:-4] + b"\0\0\0\0")
    with pytest.raises(ArtifactError, match="sha256"):
        FastClassifier.load(copy, tiny_encoder)


def test_empty_text_is_an_error(tiny_artifact, tiny_encoder):
    out, _ = tiny_artifact
    clf = FastClassifier.load(out, tiny_encoder)
    with pytest.raises(InputError, match="item 1"):
        Guard(clf).classify_batch(["fine", "  \u200b "])


def test_onnx_backend_matches_torch(tiny_artifact, tiny_encoder):
    out, _ = tiny_artifact
    onnx = FastClassifier.load(out, tiny_encoder, backend="onnx")
    eager = FastClassifier.load(out, tiny_encoder, backend="torch")
    assert onnx.backend == "onnx" and eager.backend == "torch"
    texts = SAFE[:3] + UNSAFE[:3] + ["word " * 400]
    np.testing.assert_allclose(onnx.raw_scores(texts).probs, eager.raw_scores(texts).probs, atol=1e-4)
