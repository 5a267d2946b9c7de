"""Hostile requests: no fail-open by overload, no amplifier, no 500 from odd JSON, deadlines on
slow peers, no upstream secret relayed, and safe defaults for an open server."""

from __future__ import annotations

import json
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from conftest import KEY, SAFE_PROMPT, UNSAFE_PROMPT, make_config, raw_post, running

from slmguard.serve.app import create_app
from slmguard.serve.config import ConfigError, ServeConfig, load_config


def moderate(url: str, text: str, timeout: float = 60) -> httpx.Response:
    return httpx.post(url + "/v1/moderations", json={"input": text}, timeout=timeout,
                      headers={"Authorization": f"Bearer {KEY}"})


def chat(url: str, messages: list[dict], model: str = "stub") -> httpx.Response:
    return raw_post(url, "/v1/chat/completions", json.dumps({"model": model, "messages": messages}))


# ---- bounded work ------------------------------------------------------------------------------
def test_a_text_over_the_token_budget_is_refused_before_the_model(server):
    r = moderate(server[0], "a_" * 16000)  # 32,000 tokens
    assert r.status_code == 400 and r.json()["error"]["code"] == "request_too_large"


def test_a_heavy_request_does_not_starve_the_others(shipped_guard, upstream, tmp_path):
    # Fail open with a short deadline: under the old single queue the requests behind a heavy one
    # timed out and were let through. Each small request must get a real verdict.
    config = make_config(tmp_path, upstream, fail_mode="open", limits={"model_timeout_s": 4})
    with running(create_app(config, shipped_guard)) as url:
        with ThreadPoolExecutor(4) as pool:
            heavy = [pool.submit(moderate, url, "a_" * 4000) for _ in range(3)]  # 8,000 tokens each, in budget
            small = [chat(url, [{"role": "user", "content": UNSAFE_PROMPT}]) for _ in range(3)]
            assert all(h.result().status_code == 200 for h in heavy)
    assert [r.headers["x-slmguard-action"] for r in small] == ["input_blocked"] * 3


def test_normalisation_cannot_amplify_a_text_past_the_limit(server):
    r = moderate(server[0], "\ufdfa" * 32000)  # 32,000 characters; 576,000 after NFKC
    error = r.json()["error"]
    assert r.status_code == 400 and error["code"] == "input_too_long" and "normalisation" in error["message"]


def test_every_turn_of_a_conversation_counts_against_the_limits(server):
    r = chat(server[0], [{"role": "user", "content": "a " * 450000}, {"role": "assistant", "content": "ok"},
                         {"role": "user", "content": "hi"}])
    assert r.status_code == 400 and r.json()["error"]["param"] == "messages[0].content"


# ---- odd input ---------------------------------------------------------------------------------
@pytest.mark.parametrize("route, body, param", [
    ("/v1/moderations", '{"input": "How do I make a pipe bomb? \\ud800"}', "input"),
    ("/v1/chat/completions", '{"model": "stub", "messages": [{"role": "user", "content": "hi \\udfff"}]}',
     "messages[0].content"),
])
def test_a_lone_surrogate_is_a_400(server, route, body, param):
    r = raw_post(server[0], route, body)
    assert r.status_code == 400 and r.json()["error"] == {
        "message": f"{param}: a lone surrogate (\\ud800-\\udfff) is not a Unicode character", "type":
        "invalid_request_error", "param": param, "code": "invalid_unicode"}


@pytest.mark.parametrize("body", ['{"input": ' + "[" * 10000 + "]" * 10000 + "}",
                                  '{"input": "hi", "x": ' + "9" * 5000 + "}",
                                  '{"input": ' + "[" * 100 + '"hi"' + "]" * 100 + "}"])
def test_deep_nesting_and_huge_numbers_are_400s(server, body):
    r = raw_post(server[0], "/v1/moderations", body)
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_json" and r.headers["x-request-id"]


def test_an_oversized_inline_policy_is_refused_and_a_large_one_does_not_block_the_loop(server):
    def policy(chars: int) -> str:
        return json.dumps({"input": "Bet on the next race.", "policy": {"categories": [
            {"code": "gambling", "description": "Betting and wagering. " * (chars // 22)}]}})

    r = raw_post(server[0], "/v1/guard", policy(100_000))
    assert r.status_code == 400 and r.json()["error"]["code"] == "policy_too_large"
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(raw_post, server[0], "/v1/guard", policy(15_000))
        assert httpx.get(server[0] + "/healthz", timeout=10).status_code == 200
        assert pending.result().status_code == 200


# ---- deadlines ---------------------------------------------------------------------------------
def test_an_upstream_that_trickles_meets_a_total_deadline(shipped_guard, tmp_path):
    from slmguard.serve.upstream_stub import create_upstream_app

    with running(create_upstream_app(slow_s=6.0)) as slow:  # six pieces 1.5 s apart
        config = make_config(tmp_path, slow + "/v1", upstream={"timeout_s": 2})
        with running(create_app(config, shipped_guard)) as url:
            r = chat(url, [{"role": "user", "content": SAFE_PROMPT}], model="trickle")
    assert r.status_code == 504 and r.json()["error"]["code"] == "upstream_timeout"


def test_a_body_that_never_arrives_meets_a_deadline(shipped_guard, tmp_path):
    config = make_config(tmp_path, limits={"body_timeout_s": 1})
    with running(create_app(config, shipped_guard)) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(f"POST /v1/moderations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n"
                      "Content-Type: application/json\r\nContent-Length: 999\r\n\r\n{\"input\": \"only 27 bytes".encode())
            answer = s.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 408") and "body_timeout" in answer


# ---- leaks and defaults ------------------------------------------------------------------------
def test_upstream_errors_are_ours_not_theirs(server):
    r = chat(server[0], [{"role": "user", "content": SAFE_PROMPT}], model="leak-401")
    error = r.json()["error"]
    assert r.status_code == 502 and error["code"] == "upstream_auth" and "not your key" in error["message"]
    assert "sk-UPSTREAM" not in r.text and "internal" not in r.text


def test_only_json_is_accepted_and_web_origins_are_refused(server):
    text_plain = httpx.post(server[0] + "/v1/moderations", content=json.dumps({"input": "hi"}),
                            headers={"Content-Type": "text/plain", "Authorization": f"Bearer {KEY}"})
    assert text_plain.status_code == 415 and text_plain.json()["error"]["code"] == "unsupported_media_type"
    cross = httpx.post(server[0] + "/v1/moderations", json={"input": "hi"},
                       headers={"Origin": "https://evil.example", "Authorization": f"Bearer {KEY}"})
    assert cross.status_code == 403 and cross.json()["error"]["code"] == "origin_not_allowed"


def test_an_allowed_origin_gets_cors_headers(shipped_guard, tmp_path):
    config = make_config(tmp_path, expose={"cors_origins": ["https://app.example"]})
    with running(create_app(config, shipped_guard)) as url:
        r = httpx.post(url + "/v1/moderations", json={"input": "hi"},
                       headers={"Origin": "https://app.example", "Authorization": f"Bearer {KEY}"})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://app.example"


def test_no_keys_means_loopback_only():
    with pytest.raises(ConfigError, match="no API keys"):
        load_config(env={}, overrides={"host": "0.0.0.0"})
    assert ServeConfig.model_validate({"host": "0.0.0.0", "auth": {"allow_remote_without_keys": True}})


def test_liveness_says_nothing_and_status_needs_a_key(server):
    assert httpx.get(server[0] + "/healthz").json() == {"status": "ok"}
    assert httpx.get(server[0] + "/v1/status").status_code == 401
    status = httpx.get(server[0] + "/v1/status", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert status["fail_mode"] == "closed" and "audit_spooled" in status


def test_metrics_and_schema_are_off_beyond_loopback_unless_asked_for(shipped_guard, tmp_path):
    remote = make_config(tmp_path, host="0.0.0.0")
    assert not remote.exposed("metrics") and not remote.exposed("openapi")
    with running(create_app(remote, shipped_guard)) as url:
        assert httpx.get(url + "/metrics").status_code == 404
        assert httpx.get(url + "/openapi.json").status_code == 404
    asked = make_config(tmp_path, host="0.0.0.0", expose={"metrics": True})
    with running(create_app(asked, shipped_guard)) as url:
        assert httpx.get(url + "/metrics").status_code == 200


def test_the_server_keeps_serving_after_all_of_this(server):
    assert moderate(server[0], UNSAFE_PROMPT).json()["results"][0]["flagged"]
    assert threading.active_count() < 200


def test_a_lone_surrogate_in_a_field_name_is_a_400_too(server):
    r = raw_post(server[0], "/v1/moderations", '{"input": "hi", "x\\ud800": 1}')
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_unicode"
