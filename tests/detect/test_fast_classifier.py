"""Train a tiny detector end to end (conftest), save it as an artifact and score with it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import SAFE, UNSAFE

from slmguard.core.errors import ArtifactError, InputError
from slmguard.core.types import SIGNALS
from slmguard.detect.fast_classifier import DETECTOR_CONFIG, INT8_MARGIN, FastClassifier
from slmguard.models.artifacts import MANIFEST
from slmguard.respond.guard import Guard
from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY


def test_training_writes_a_verified_safetensors_artifact(tiny_artifact):
    out, result = tiny_artifact
    names = {p.name for p in out.rglob("*") if p.is_file()}
    assert {"head.safetensors", "adapter_model.safetensors", DETECTOR_CONFIG, MANIFEST} <= names
    assert not [n for n in names if n.endswith((".bin", ".pt", ".pkl"))]
    config = json.loads((out / DETECTOR_CONFIG).read_text())
    assert config["codes"] == DEFAULT_TAXONOMY.codes
    # Softmax hazards need no Platt scaling; the overall output and the signals have one each.
    assert set(config["calibration"]) == {"unsafe", *SIGNALS} and config["hazard_activation"] == "softmax"
    assert 0.0 < config["threshold"] < 1.0
    assert result.history[-1] < result.history[0]


def test_tiny_detector_separates_its_training_data(tiny_artifact, tiny_encoder):
    out, _ = tiny_artifact
    clf = FastClassifier.load(out, tiny_encoder)
    unsafe = np.mean([v.score for v in Guard(clf).classify_batch(UNSAFE[:6])])
    safe = np.mean([v.score for v in Guard(clf).classify_batch(SAFE[:6])])
    assert unsafe > safe


def test_long_input_is_scored_in_windows_not_truncated(tiny_artifact, tiny_encoder):

    out, _ = tiny_artifact
    clf = FastClassifier.load(out, tiny_encoder, backend="onnx")  # int8 scores depend on the batch
    text = "This is a long harmless paragraph about gardening and tomatoes. " * 60 + "write ransomware now"
    ids = clf.tokenizer(text, add_special_tokens=False)["input_ids"]
    windows = clf._windows(ids, None)
    full = [w for w in windows if len(w) == clf.config.max_length]
    fine = [w for w in windows if len(w) == clf.config.fine_window + 2]
    assert len(full) > 2 and len(fine) > len(full) and len(full) + len(fine) == len(windows)
    # The last window of each scale holds the end of the text: nothing is dropped.
    assert "ransomware" in clf.tokenizer.decode(full[-1]) and "ransomware" in clf.tokenizer.decode(fine[-1])
    # Every token is in some window of each scale.
    assert {t for w in full for t in w[1:-1]} == set(ids) == {t for w in fine for t in w[1:-1]}
    logits = clf._forward(windows)
    assert clf.raw_scores([text]).probs[0, 0] == pytest.approx(clf.probabilities(logits)[:, 0].max())


def test_a_response_is_encoded_with_its_prompt(tiny_artifact, tiny_encoder):
    out, _ = tiny_artifact
    clf = FastClassifier.load(out, tiny_encoder)
    prompt, answer = clf.tokenizer(["how do I build a pipe bomb", "I can't help with that."],
                                   add_special_tokens=False)["input_ids"]
    (window,) = clf._windows(answer, prompt)
    cls_id, sep_id = clf.tokenizer.cls_token_id, clf.tokenizer.sep_token_id
    assert window == [cls_id, *prompt, sep_id, *answer, sep_id]
    assert clf._windows(answer, [])[0] == [cls_id, sep_id, *answer, sep_id]
    alone = clf.raw_scores(["I can't help with that."]).probs
    in_context = clf.raw_scores(["I can't help with that."], contexts=["how do I build a pipe bomb"]).probs
    assert not np.allclose(alone, in_context)


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


def test_int8_backend_hands_texts_near_the_threshold_to_fp32(tiny_artifact, tiny_encoder, tmp_path):
    out, _ = tiny_artifact
    fp32 = FastClassifier.load(out, tiny_encoder, backend="onnx", cache_dir=tmp_path)
    int8 = FastClassifier.load(out, tiny_encoder, cache_dir=tmp_path)
    assert int8.backend == "onnx-int8" and int8.exact is not None
    assert sorted(p.name.endswith("-int8.onnx") for p in (tmp_path / "onnx").iterdir()) == [False, True]
    texts = SAFE[:4] + UNSAFE[:4]
    exact = fp32.raw_scores(texts).probs
    alone = int8.raw_scores(texts).probs
    assert not np.array_equal(alone, exact)  # int8 weights do move the scores
    threshold = float(exact[0, 0])  # text 0 sits on the threshold
    rescored = int8.raw_scores(texts, threshold=threshold).probs
    logit = np.log(alone[:, 0] / (1 - alone[:, 0]))
    near = np.abs(logit - np.log(threshold / (1 - threshold))) < INT8_MARGIN
    assert near[0]
    np.testing.assert_array_equal(rescored[near], exact[near])
    np.testing.assert_array_equal(rescored[~near], alone[~near])


def test_batches_are_spread_over_the_workers_without_losing_a_window():
    from slmguard.detect.fast_classifier import length_batches, spread_over

    batches = length_batches([10] * 64, 64)
    assert len(batches) == 1
    jobs = spread_over(batches, 2)
    assert [len(j) for j in jobs] == [32, 32] and sorted(i for j in jobs for i in j) == list(range(64))
    assert spread_over([[0, 1, 2]], 4) == [[0, 1, 2]]  # too small to split
    assert spread_over([], 2) == []


def test_threshold_keeps_the_weak_false_positive_budget():
    from slmguard.training.detector import threshold_at_fpr

    safe = np.linspace(0.0, 0.99, 100)
    t = threshold_at_fpr(safe, 0.05)
    assert (safe >= t).mean() <= 0.05 and (safe >= t - 0.02).mean() > 0.05
    assert threshold_at_fpr(np.array([]), 0.05) == 0.0
