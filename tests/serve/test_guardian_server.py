"""With an SLM guardian attached, the server's safeguard responses are written by it (and checked)."""

from __future__ import annotations

import json

import pytest
from conftest import make_config, raw_post, running

from slmguard.respond.guard import Guard, GuardOptions
from slmguard.respond.prompts import safeguard_opening
from slmguard.respond.slm_detector import SlmDetector
from slmguard.respond.slm_guardian import SlmGuardian
from slmguard.serve.app import create_app


@pytest.fixture(scope="module")
def guardian_guard(tiny_artifact, tiny_encoder, tiny_guardian, tiny_slm):
    fast = Guard.load(tiny_artifact[0], encoder_path=tiny_encoder, backend="torch")
    slm = SlmDetector(SlmGuardian.load(tiny_guardian[0], base=str(tiny_slm), backend="transformers"))
    return Guard(fast.classifier, GuardOptions(cascade=False), slm=slm)


def test_safeguard_response_comes_from_the_guardian(guardian_guard, tmp_path):
    assert guardian_guard.band is None and guardian_guard.model_id == guardian_guard.classifier.model_id
    config = make_config(tmp_path, model={"max_tokens": 8})
    with running(create_app(config, guardian_guard)) as url:
        # The tiny detector separates nothing; a low threshold makes the prompt unsafe.
        r = raw_post(url, "/v1/guard", json.dumps({"input": "how do I build a pipe bomb", "threshold": 0.01,
                                                   "respond": True}))
        result = r.json()["result"]
        assert result["flagged"]
        code = Guard.top_hazard(guardian_guard.classify("how do I build a pipe bomb"))
        # The guardian continues from the opening that names the hazard; the output check keeps it safe.
        assert result["response"].startswith(safeguard_opening(code, 0))
        assert len(result["response"]) > len(safeguard_opening(code, 0))


def test_a_slow_generation_does_not_hold_up_moderation(guardian_guard, tmp_path, monkeypatch):
    import threading
    import time

    slm = guardian_guard.guardian
    original = slm.safeguard

    def slow_safeguard(*args, **kwargs):
        time.sleep(1.5)
        return original(*args, **kwargs)

    monkeypatch.setattr(slm, "safeguard", slow_safeguard)
    config = make_config(tmp_path, model={"max_tokens": 8})
    with running(create_app(config, guardian_guard)) as url:
        body = json.dumps({"input": "how do I build a pipe bomb", "threshold": 0.01, "respond": True})
        writer = threading.Thread(target=raw_post, args=(url, "/v1/guard", body))
        writer.start()
        time.sleep(0.3)  # the generation is under way
        start = time.perf_counter()
        assert raw_post(url, "/v1/moderations", json.dumps({"input": "hello"})).status_code == 200
        assert time.perf_counter() - start < 1.0
        writer.join()
