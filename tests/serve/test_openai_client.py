"""The official `openai` client, unchanged, against the guard server and its proxy."""

from __future__ import annotations

import httpx
import openai
import pytest
from conftest import KEY, SAFE_PROMPT, SAYS_BAD, TURNS_BAD, UNSAFE_PROMPT

from slmguard.serve.upstream_stub import DEFAULT_REPLY


@pytest.fixture(scope="module")
def client(server):
    return openai.OpenAI(base_url=server[0] + "/v1", api_key=KEY, max_retries=0, timeout=10)


def test_moderations_create_with_a_string_and_a_list(client):
    one = client.moderations.create(input=UNSAFE_PROMPT, model="omni-moderation-latest")
    assert len(one.results) == 1 and one.results[0].flagged
    result = one.results[0]
    # Our hazard codes come along in the extra field, mapped to OpenAI's names.
    codes = result.model_extra["slmguard"]["categories"]
    assert "iwp" in codes and result.categories.violence and result.categories.illicit_violent
    assert result.category_scores.illicit_violent == pytest.approx(
        result.model_extra["slmguard"]["category_scores"]["iwp"], abs=1e-5)
    assert not result.categories.sexual_minors

    many = client.moderations.create(input=[SAFE_PROMPT, UNSAFE_PROMPT, "Bake a cake"])
    assert [r.flagged for r in many.results] == [False, True, False]


def test_chat_completion_safe_input_reaches_the_upstream(client):
    r = client.chat.completions.with_raw_response.create(
        model="stub", messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": SAFE_PROMPT}])
    completion = r.parse()
    assert completion.choices[0].message.content == DEFAULT_REPLY
    assert completion.choices[0].finish_reason == "stop"
    assert r.headers["x-slmguard-action"] == "allowed"
    assert completion.model_extra["slmguard"]["input"]["flagged"] is False


def test_chat_completion_unsafe_input_gets_the_safeguard_response(client, server):
    app = server[1]
    before = app.state.service.metrics.decisions.labels("chat.input", "input_blocked", "true")._value.get()
    r = client.chat.completions.with_raw_response.create(model="stub",
                                                         messages=[{"role": "user", "content": UNSAFE_PROMPT}])
    completion = r.parse()
    assert r.headers["x-slmguard-action"] == "input_blocked"
    assert completion.choices[0].finish_reason == "content_filter"
    assert completion.model_extra["slmguard"]["action"] == "input_blocked"
    text = completion.choices[0].message.content
    assert text.startswith("I'm sorry, but I can't help with that") and "weapons" in text
    after = app.state.service.metrics.decisions.labels("chat.input", "input_blocked", "true")._value.get()
    assert after == before + 1


def test_unsafe_input_never_reaches_the_upstream(server, upstream):
    # The stub reports how many requests it has had; the counting call is one of them.
    guarded = openai.OpenAI(base_url=server[0] + "/v1", api_key=KEY, max_retries=0)
    n0 = _upstream_count(upstream)
    guarded.chat.completions.create(model="stub", messages=[{"role": "user", "content": UNSAFE_PROMPT}])
    assert _upstream_count(upstream) == n0
    guarded.chat.completions.create(model="stub", messages=[{"role": "user", "content": SAFE_PROMPT}])
    assert _upstream_count(upstream) == n0 + 1


def _upstream_count(upstream: str) -> int:
    return httpx.get(upstream + "/stats").json()["requests"]


def test_output_rail_replaces_an_unsafe_answer(client):
    r = client.chat.completions.with_raw_response.create(
        model="stub", messages=[{"role": "user", "content": SAYS_BAD}])
    completion = r.parse()
    assert r.headers["x-slmguard-action"] == "output_blocked"
    assert completion.model_extra["slmguard"]["input"]["flagged"] is False
    assert completion.choices[0].finish_reason == "content_filter"
    assert "pipe" not in completion.choices[0].message.content
    assert completion.model_extra["slmguard"]["output"][0]["action"] == "output_blocked"


def test_output_rail_finds_a_harmful_passage_inside_a_long_answer(client):
    completion = client.chat.completions.create(
        model="stub", messages=[{"role": "user", "content": TURNS_BAD}])
    assert completion.model_extra["slmguard"]["input"]["flagged"] is False
    assert completion.choices[0].finish_reason == "content_filter"
    assert "gunpowder" not in completion.choices[0].message.content


def test_streaming_safe_answer_arrives_whole(client):
    stream = client.chat.completions.create(model="stub", stream=True,
                                            messages=[{"role": "user", "content": SAFE_PROMPT}])
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == DEFAULT_REPLY
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_streaming_is_cut_with_a_safe_ending_when_the_text_turns_unsafe(client):
    stream = client.chat.completions.create(model="stub", stream=True,
                                            messages=[{"role": "user", "content": TURNS_BAD}])
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.startswith("Chemistry is a fascinating subject")
    assert "gunpowder" not in text and "fuse" not in text
    assert "I can't continue with this response" in text
    last = chunks[-1]
    assert last.choices[0].finish_reason == "content_filter"
    assert last.model_extra["slmguard"]["action"] == "stream_cut"


def test_streaming_unsafe_input_streams_the_safeguard(client):
    chunks = list(client.chat.completions.create(model="stub", stream=True,
                                                 messages=[{"role": "user", "content": UNSAFE_PROMPT}]))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.startswith("I'm sorry") and chunks[-1].choices[0].finish_reason == "content_filter"


def test_healthz_and_metrics(server):
    url = server[0]
    assert httpx.get(url + "/healthz").json()["status"] == "ok"
    metrics = httpx.get(url + "/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    for name in ("slmguard_requests_total", "slmguard_request_seconds_bucket", "slmguard_decisions_total",
                 "slmguard_batch_size_bucket"):
        assert name in text
    assert 'route="/v1/moderations",status="200"' in text
