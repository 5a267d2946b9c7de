import pytest

from conftest import SAFE, UNSAFE
from slmguard.core.errors import InputError
from slmguard.models.generation import GenerationConfig
from slmguard.respond.guard import Guard
from slmguard.respond.slm_detector import CascadeBand, SlmDetector
from slmguard.respond.slm_guardian import SlmGuardian


@pytest.fixture(scope="module")
def parts(tiny_artifact, tiny_encoder, tiny_guardian, tiny_slm):
    fast = Guard.load(tiny_artifact[0], encoder_path=tiny_encoder, backend="torch")
    slm = SlmDetector(SlmGuardian.load(tiny_guardian[0], base=str(tiny_slm), backend="transformers"))
    return fast, slm


def test_band_decides_who_judges(parts):
    fast, slm = parts
    texts = UNSAFE[:3] + SAFE[:3]
    everything = Guard(fast.classifier, slm=slm, band=CascadeBand(0.0, 1.0))
    nothing = Guard(fast.classifier, slm=slm, band=CascadeBand(1.0, 1.0))
    assert {everything.decided_by(v) for v in everything.classify_batch(texts)} == {"slm"}
    assert {nothing.decided_by(v) for v in nothing.classify_batch(texts)} == {"fast"}
    slm_alone = slm.classify_batch(texts)
    assert [v.score for v in everything.classify_batch(texts)] == pytest.approx([v.score for v in slm_alone], abs=1e-6)
    assert [v.score for v in nothing.classify_batch(texts)] == [v.score for v in fast.classify_batch(texts)]


def test_band_is_validated():
    with pytest.raises(ValueError, match="band"):
        CascadeBand(0.8, 0.2)


def test_respond_writes_responses_only_for_unsafe_inputs(parts):
    fast, slm = parts
    guard = Guard(fast.classifier, slm=slm, band=CascadeBand(0.0, 1.0))
    out = guard.respond_batch(UNSAFE[:2] + SAFE[:2] + [[{"role": "user", "content": UNSAFE[0]}]],
                              GenerationConfig(max_new_tokens=4))
    assert len(out) == 5
    for r in out:
        assert (r.response is not None) == r.verdict.unsafe
        assert r.to_dict()["decided_by"] == "slm"


def test_respond_without_guardian_says_what_is_missing(parts):
    with pytest.raises(InputError, match="guardian"):
        Guard(parts[0].classifier).respond("hello")
