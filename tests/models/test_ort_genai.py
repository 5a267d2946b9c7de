"""onnxruntime-genai backend: built from the real guardian code's artifact on the tiny model."""

import numpy as np
import pytest

from conftest import SAFE, UNSAFE
from slmguard.core.errors import ArtifactError
from slmguard.models.generation import GenerationConfig
from slmguard.models.ort_genai import ort_genai_available
from slmguard.respond.slm_guardian import SlmGuardian

pytestmark = pytest.mark.skipif(not ort_genai_available(), reason="onnxruntime-genai not installed")


@pytest.fixture(scope="module")
def pair(tiny_guardian, tiny_slm, tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    ort = SlmGuardian.load(tiny_guardian[0], base=str(tiny_slm), backend="onnxruntime-genai", cache_dir=cache)
    torch_ = SlmGuardian.load(tiny_guardian[0], base=str(tiny_slm), backend="transformers", cache_dir=cache)
    return ort, torch_, cache


def test_scores_equal_the_transformers_backend_in_any_order(pair):
    ort, torch_, _ = pair
    assert ort.backend == "onnxruntime-genai" and ort.model is None  # no torch weights held
    texts = UNSAFE[:5] + SAFE[:5]
    expected = torch_.score(texts).probs
    assert np.abs(ort.score(texts).probs - expected).max() <= 0.02
    # The KV cache of one text must not leak into the next: reversed order, response kind, a repeat.
    assert np.abs(ort.score(texts[::-1]).probs - expected[::-1]).max() <= 0.02
    assert np.abs(ort.score(texts[:3], kind="response").probs -
                  torch_.score(texts[:3], kind="response").probs).max() <= 0.02
    assert np.abs(ort.score([texts[0], texts[0]]).probs - expected[0]).max() <= 0.02
    assert np.allclose(ort.score(texts).categories, torch_.score(texts).categories, atol=0.02)


def test_generates_to_the_token_limit_or_end_of_turn(pair):
    ort, _, _ = pair
    out = ort.respond([SAFE[0], UNSAFE[0]], GenerationConfig(max_new_tokens=6))
    assert len(out) == 2 and all(isinstance(o, str) for o in out)
    assert all(len(ort.tokenizer.encode(o, add_special_tokens=False)) <= 7 for o in out)
    assert "<|im_end|>" not in "".join(out)
    sampled = ort.respond([SAFE[0]], GenerationConfig(max_new_tokens=6, temperature=0.8))
    assert isinstance(sampled[0], str)


def test_models_are_built_once_per_adapter_and_threads_are_a_setting(pair, tiny_guardian, tiny_slm):
    _, _, cache = pair
    built = sorted(p.name for p in (cache / "onnx-genai").iterdir())
    assert len(built) == 1 and not built[0].endswith(".tmp")
    again = SlmGuardian.load(tiny_guardian[0], base=str(tiny_slm), backend="onnxruntime-genai", cache_dir=cache,
                             threads=1)
    assert sorted(p.name for p in (cache / "onnx-genai").iterdir()) == built
    assert again.score(SAFE[:2]).probs.shape == (2,)
    # The base model alone (no adapter) is a different build.
    SlmGuardian.load(None, base=str(tiny_slm), backend="onnxruntime-genai", cache_dir=cache)
    assert len(list((cache / "onnx-genai").iterdir())) == 2


def test_a_sequence_longer_than_the_scoring_context_fails_clearly(pair):
    ort, _, _ = pair
    with pytest.raises(ValueError, match="scoring context"):
        ort.generator.logits_at(list(range(5, 1200)), [1000, 1194])


def test_unknown_backend_is_refused(tiny_guardian, tiny_slm):
    with pytest.raises(ArtifactError, match="unknown SLM backend"):
        SlmGuardian.load(tiny_guardian[0], base=str(tiny_slm), backend="vllm")
