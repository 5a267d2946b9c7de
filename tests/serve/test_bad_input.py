"""Bad input: each gets a 4xx in the OpenAI error shape, and the server keeps serving."""

from __future__ import annotations

import json

import httpx
import openai
import pytest
from conftest import KEY, OTHER_KEY, SAFE_PROMPT, raw_post


def _assert_error(r: httpx.Response, status: int, code: str | None = None, param: str | None = None) -> dict:
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert set(error) == {"message", "type", "param", "code"} and error["message"]
    if code:
        assert error["code"] == code
    if param:
        assert error["param"] == param
    return error


@pytest.mark.parametrize("body, status, code, param, says", [
    (b"{not json", 400, "invalid_json", None, "invalid JSON at line 1"),
    (b"\xff\xfe{}", 400, "invalid_utf8", None, "not valid UTF-8"),
    (b"", 400, "invalid_json", None, "empty"),
    (b"[1, 2]", 400, "invalid_json", None, "JSON object"),
    (json.dumps({"input": 5}).encode(), 400, "invalid_value", "input", "string or a list"),
    (json.dumps({"input": []}).encode(), 400, "invalid_value", "input", "empty"),
    (json.dumps({"input": [SAFE_PROMPT, 3]}).encode(), 400, "invalid_value", "input", "item 1"),
    (json.dumps({"input": "   "}).encode(), 400, "empty_input", "input", "empty"),
    (json.dumps({"input": [SAFE_PROMPT, ""]}).encode(), 400, "empty_input", "input[1]", "empty"),
    (json.dumps({"input": "x" * 40_000}).encode(), 400, "input_too_long", "input", "limit is 32000"),
    (json.dumps({"input": ["hi"] * 65}).encode(), 400, "too_many_inputs", "input", "limit is 64"),
    (json.dumps({"input": "hi", "model": "gpt-9"}).encode(), 404, "model_not_found", "model", "gpt-9"),
    (json.dumps({"input": "hi", "colour": "red"}).encode(), 400, "invalid_value", "colour", "unknown field"),
    (json.dumps({"input": [{"type": "image_url", "image_url": {"url": "x"}}]}).encode(), 400, "invalid_value",
     "input", "only text"),
    (json.dumps({"input": "y" * 2_000_000}).encode(), 413, "body_too_large", None, "limit"),
])
def test_moderation_bad_bodies(server, body, status, code, param, says):
    url = server[0]
    error = _assert_error(raw_post(url, "/v1/moderations", body), status, code, param)
    assert says in error["message"]
    assert raw_post(url, "/v1/moderations", json.dumps({"input": SAFE_PROMPT})).status_code == 200


@pytest.mark.parametrize("body, param, says", [
    ({"input": 3}, "input", "string or a list"),
    ({"input": []}, "input", "at least one message"),
    ({"input": [{"role": "robot", "content": "x"}]}, "input[0].role", "system"),
    ({"input": "hi", "threshold": 2}, "threshold", "less than 1"),
    ({"input": "hi", "category_thresholds": {"vcr": 0}}, "category_thresholds", "strictly between"),
    ({"input": "hi", "policy": {"categories": [{"code": "Bad Code", "description": "x"}]}}, "policy.categories[0].code",
     "lowercase"),
    ({"input": "hi", "kind": "essay"}, "kind", "prompt"),
])
def test_guard_bad_bodies(server, body, param, says):
    error = _assert_error(raw_post(server[0], "/v1/guard", json.dumps(body)), 400, param=param)
    assert says in error["message"]


@pytest.mark.parametrize("body, status, param", [
    ({"messages": [{"role": "user", "content": "hi"}]}, 400, "model"),
    ({"model": "stub", "messages": []}, 400, "messages"),
    ({"model": "stub", "messages": [{"role": "user", "content": ""}]}, 400, "messages"),
    ({"model": "stub", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]},
     400, "messages[0].content"),
    ({"model": "stub", "messages": [{"role": "wizard", "content": "hi"}]}, 400, "messages[0].role"),
    ({"model": "stub", "messages": "hi"}, 400, "messages"),
])
def test_chat_bad_bodies(server, body, status, param):
    _assert_error(raw_post(server[0], "/v1/chat/completions", json.dumps(body)), status, param=param)


@pytest.mark.parametrize("key, says", [(None, "missing API key"), ("sg-wrong", "incorrect API key")])
def test_missing_or_wrong_key_is_401(server, key, says):
    error = _assert_error(raw_post(server[0], "/v1/moderations", json.dumps({"input": "hi"}), key=key), 401,
                          "invalid_api_key")
    assert says in error["message"]


def test_openai_client_with_a_wrong_key_gets_authentication_error(server):
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=server[0] + "/v1", api_key="sg-wrong", max_retries=0).moderations.create(input="hi")


def test_malformed_authorization_header(server):
    r = httpx.post(server[0] + "/v1/moderations", json={"input": "hi"}, headers={"Authorization": f"Basic {KEY}"})
    _assert_error(r, 401, "invalid_api_key")


def test_rate_limit_per_key_is_429_with_retry_after(server):
    body = json.dumps({"input": SAFE_PROMPT})
    statuses = [raw_post(server[0], "/v1/moderations", body, key=OTHER_KEY).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
    r = raw_post(server[0], "/v1/moderations", body, key=OTHER_KEY)
    _assert_error(r, 429, "rate_limit_exceeded")
    assert int(r.headers["retry-after"]) >= 1
    # The limit is per key: the other key is not affected.
    assert raw_post(server[0], "/v1/moderations", body, key=KEY).status_code == 200


def test_unknown_route_and_method(server):
    _assert_error(httpx.get(server[0] + "/v1/nothing"), 404, "not_found")
    _assert_error(httpx.get(server[0] + "/v1/moderations"), 405, "method_not_allowed")


def test_openai_client_gets_typed_errors(server):
    client = openai.OpenAI(base_url=server[0] + "/v1", api_key=KEY, max_retries=0)
    with pytest.raises(openai.NotFoundError) as e:
        client.moderations.create(input="hi", model="gpt-9")
    assert e.value.code == "model_not_found"
    with pytest.raises(openai.BadRequestError):
        client.moderations.create(input="")
    assert client.moderations.create(input=SAFE_PROMPT).results[0].flagged is False
