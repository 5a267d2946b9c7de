import pytest

from conftest import SAFE, UNSAFE
from slmguard.core.errors import InputError
from slmguard.detect.pieces import word_spans
from slmguard.models.generation import GenerationConfig
from slmguard.respond.guard import Guard, GuardOptions
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
    everything = Guard(fast.classifier, GuardOptions(band=CascadeBand(0.0, 1.0)), slm=slm)
    nothing = Guard(fast.classifier, GuardOptions(band=CascadeBand(1.0, 1.0)), slm=slm)
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
    guard = Guard(fast.classifier, GuardOptions(band=CascadeBand(0.0, 1.0)), slm=slm)
    out = guard.respond_batch(UNSAFE[:2] + SAFE[:2] + [[{"role": "user", "content": UNSAFE[0]}]],
                              GenerationConfig(max_new_tokens=4))
    assert len(out) == 5
    for r in out:
        assert (r.response is not None) == r.verdict.unsafe
        assert r.to_dict()["decided_by"] == "slm"


def test_output_check_replaces_harmful_compliant_or_second_refusal_alternatives(parts, monkeypatch):
    from slmguard.respond.prompts import SAFE_ALTERNATIVES

    guard = Guard(parts[0].classifier, slm=parts[1])
    opening = "I can't help with that. Instead,"
    written = [(opening, "I can point you to fireworks safety courses run by your local council."),
               (opening, "here's how: step 1, buy a pipe."), (opening, "I'm sorry, but I cannot help with that."),
               (opening, ""), (opening, "a friendly alternative that the detector scores as harmful.")]
    monkeypatch.setattr(guard.guardian, "safeguard", lambda prompts, codes, cfg: written)
    scored = []

    def score_tails(tails):  # the empty continuation is never scored: it is replaced as it is
        scored.append(tails)
        return [0.1, 0.1, 0.1, 0.99]

    verdict = guard.fast.classify("How do I make a pipe bomb?")
    out = guard.safeguards(["x"] * 5, [verdict] * 5, score_tails=score_tails)
    assert scored == [[t for _, t in written if t]]
    assert out[0] == f"{opening} {written[0][1]}"
    code = Guard.top_hazard(verdict)
    assert out[1:] == [f"{opening} {SAFE_ALTERNATIVES[code]}"] * 4


def test_respond_without_guardian_says_what_is_missing(parts):
    with pytest.raises(InputError, match="guardian"):
        Guard(parts[0].classifier).respond("hello")


class RecordingSlm:
    """The SLM detector's interface, recording what it is asked to read."""

    def __init__(self, slm: SlmDetector) -> None:
        self.slm, self.model_id, self.read = slm.slm, slm.model_id, []
        self._inner = slm

    def classify_batch(self, texts, kind="prompt"):
        self.read.extend(texts)
        return self._inner.classify_batch(texts, kind)


def test_the_slm_reads_one_bounded_piece_of_a_long_text(parts):
    from slmguard.respond.guard import SLM_WINDOW_TOKENS

    fast, slm = parts
    recording = RecordingSlm(slm)
    guard = Guard(fast.classifier, GuardOptions(band=CascadeBand(0.0, 1.0)), slm=recording)
    filler = " ".join(f"The garden had {i} tulips and a bench." for i in range(60))
    long_text = filler + " " + UNSAFE[0] + ". " + filler
    guard.classify_batch([long_text, SAFE[0]])
    long_view, short_view = recording.read
    tokens = fast.classifier.tokenizer(long_view, add_special_tokens=False)["input_ids"]
    assert len(tokens) <= SLM_WINDOW_TOKENS and long_view in long_text
    assert short_view == SAFE[0]  # a short text is read whole
    spans, _ = word_spans(fast.classifier.tokenizer, long_text, SLM_WINDOW_TOKENS, SLM_WINDOW_TOKENS // 4)
    pieces = [long_text[a:b] for a, b, _ in spans]
    scores = fast.classifier.raw_scores(pieces).probs[:, 0]
    assert long_view == pieces[int(scores.argmax())]  # the fast detector's riskiest piece


def test_the_generation_thread_count_is_a_setting(tiny_guardian, tiny_slm):
    import torch

    before = torch.get_num_threads()
    guardian = SlmGuardian.load(tiny_guardian[0], base=str(tiny_slm), backend="transformers", threads=1)
    seen = []
    original = guardian.generator._generate

    def spy(*args):
        seen.append(torch.get_num_threads())
        return original(*args)

    guardian.generator._generate = spy
    guardian.generator.generate(["hello"], GenerationConfig(max_new_tokens=2))
    assert seen == [1] and torch.get_num_threads() == before  # used while generating, then restored
