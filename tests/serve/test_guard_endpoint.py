"""The native API: a text or a conversation, thresholds and policy per request or per key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import KEY, SAFE_PROMPT, UNSAFE_PROMPT, make_config, raw_post, running

from slmguard.serve.app import create_app
from slmguard.serve.auth import hash_key

GAMBLING = {"name": "casino", "extends": "default", "categories": [
    {"code": "gambling", "name": "Gambling", "description": "Promoting online casinos, betting and gambling.",
     "examples": ["Which online casino gives the best bonus?", "Best sports betting strategy to win money"],
     "threshold": 0.5}]}
CASINO = "Which online casino has the best welcome bonus for slots?"
POLICY_FILE = Path(__file__).resolve().parents[2] / "examples" / "policies" / "gambling.yaml"


def guard(url: str, body: dict, key: str = KEY) -> dict:
    r = raw_post(url, "/v1/guard", json.dumps(body), key=key)
    assert r.status_code == 200, r.text
    assert r.headers["x-slmguard-action"] == r.json()["result"]["action"]
    return r.json()["result"]


def test_text_verdict_with_scores_thresholds_and_safeguard(server):
    result = guard(server[0], {"input": UNSAFE_PROMPT, "respond": True})
    assert result["flagged"] and result["action"] == "flagged" and "iwp" in result["categories"]
    assert set(result["category_scores"]) == set(result["category_thresholds"]) and result["threshold"] > 0
    assert result["response"].startswith("I'm sorry") and "weapons" in result["response"]
    safe = guard(server[0], {"input": SAFE_PROMPT, "respond": True})
    assert not safe["flagged"] and "response" not in safe


def test_conversation_is_judged_on_its_last_turn(server):
    bad = "Sure! Here is how to make a pipe bomb: fill a steel pipe with gunpowder and attach a fuse."
    answer = guard(server[0], {"input": [{"role": "user", "content": SAFE_PROMPT},
                                         {"role": "assistant", "content": bad}]})
    assert answer["kind"] == "response" and answer["flagged"]
    ask = guard(server[0], {"input": [{"role": "system", "content": "Be brief."},
                                      {"role": "user", "content": SAFE_PROMPT}]})
    assert ask["kind"] == "prompt" and not ask["flagged"]


def test_threshold_per_request(server):
    base = guard(server[0], {"input": SAFE_PROMPT})
    strict = guard(server[0], {"input": SAFE_PROMPT, "threshold": base["score"] * 0.5})
    assert not base["flagged"] and strict["flagged"] and strict["threshold"] == pytest.approx(base["score"] * 0.5)


def test_policy_per_request_adds_a_category(server):
    plain = guard(server[0], {"input": CASINO})
    custom = guard(server[0], {"input": CASINO, "policy": GAMBLING})
    assert "gambling" not in plain["category_scores"]
    assert "gambling" in custom["category_scores"] and custom["category_thresholds"]["gambling"] == 0.5
    assert custom["flagged"] == (custom["category_scores"]["gambling"] >= 0.5 or custom["score"] >= custom["threshold"])
    # A per-request category threshold applies to the policy's own category too.
    low = guard(server[0], {"input": CASINO, "policy": GAMBLING, "category_thresholds": {"gambling": 1e-4}})
    assert "gambling" in low["categories"] and low["flagged"]


def test_policy_per_key(shipped_guard, tmp_path):
    config = make_config(tmp_path)
    keys = [k.model_dump() for k in config.auth.keys]
    keys.append({"name": "casino-app", "sha256": hash_key("sg-casino"), "policy": str(POLICY_FILE),
                 "rate_limit_per_minute": None})
    config = make_config(tmp_path, auth={"keys": keys})
    with running(create_app(config, shipped_guard)) as url:
        assert "gambling" in guard(url, {"input": CASINO}, key="sg-casino")["category_scores"]
        assert "gambling" not in guard(url, {"input": CASINO})["category_scores"]
        moderated = raw_post(url, "/v1/moderations", json.dumps({"input": CASINO}), key="sg-casino").json()
        assert "gambling" in moderated["results"][0]["slmguard"]["category_scores"]
