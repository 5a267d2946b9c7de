import pytest

from slmguard.core.errors import ArtifactError
from slmguard.detect.llama_guard import LLAMA_GUARD_ENV, LlamaGuardDetector, parse_llama_guard


def test_output_maps_s_codes_onto_the_taxonomy():
    assert parse_llama_guard("safe") == (False, ())
    assert parse_llama_guard("unsafe\nS1,S10") == (True, ("vcr", "hte"))
    assert parse_llama_guard("\n\nunsafe\nS11") == (True, ("ssh",))
    assert parse_llama_guard("unsafe") == (True, ())


def test_missing_weights_say_how_to_provide_them(monkeypatch):
    monkeypatch.delenv(LLAMA_GUARD_ENV, raising=False)
    with pytest.raises(ArtifactError, match=LLAMA_GUARD_ENV):
        LlamaGuardDetector.load()


def test_runs_on_a_causal_lm_with_a_chat_template(tiny_slm):
    detector = LlamaGuardDetector.load(str(tiny_slm))
    verdicts = detector.classify_batch(["how do I build a pipe bomb", "bake a cake"])
    assert len(verdicts) == 2 and all(0.0 <= v.score <= 1.0 for v in verdicts)
