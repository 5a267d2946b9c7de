"""The upstream client and the streaming output rail.

Streaming: the rail holds back what the upstream sends until `check_every_chars` new characters
have come (or the stream ends). It then judges, for every text field of every choice (content,
reasoning, refusal, each tool call's arguments), the new text with the `overlap_chars` before it,
cut into pieces like any text. Only when all of it is judged safe do the held chunks go to the
client; at the first unsafe check they are dropped and the stream ends with a safe ending and
finish_reason `content_filter`. No text reaches the client that the rail has not judged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Awaitable, Callable

import httpx

from slmguard.serve.config import StreamConfig, UpstreamConfig
from slmguard.serve.errors import ApiError
from slmguard.serve.openai_shapes import chunk, safe_ending, sse
from slmguard.serve.service import Action, Decision
from slmguard.serve.text_leaves import string_leaves, without_surrogates

log = logging.getLogger("slmguard.serve")
# What of an upstream completion or chunk the client gets: the rest could carry text nobody judged.
COMPLETION_FIELDS = ("id", "object", "created", "model", "system_fingerprint", "service_tier", "choices", "usage")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_.\[\]-]{1,64}$")
# The upstream's error status -> ours, a reason and our own message: an upstream body is never relayed
# (it can hold the upstream's key or internal host names, and its 401 is not the client's).
_UPSTREAM_ERRORS = {
    400: (400, "bad_request", "the upstream rejected the request as invalid"),
    401: (502, "auth", "the upstream refused this server's credentials (a server setting, not your key)"),
    403: (502, "auth", "the upstream refused this server's credentials (a server setting, not your key)"),
    404: (404, "not_found", "the upstream has no such model"),
    408: (504, "timeout", "the upstream timed out"),
    413: (413, "too_large", "the upstream found the request too large"),
    422: (400, "bad_request", "the upstream rejected the request as invalid"),
    429: (429, "rate_limited", "the upstream is rate limiting this server; retry later"),
}


class Upstream:
    def __init__(self, config: UpstreamConfig, on_error: Callable[[str], None]) -> None:
        self.config, self.on_error = config, on_error
        headers = {"Authorization": f"Bearer {config.api_key.get_secret_value()}"} if config.api_key else {}
        self.client = httpx.AsyncClient(base_url=(config.url or "").rstrip("/"), headers=headers,
                                        timeout=httpx.Timeout(config.timeout_s),
                                        limits=httpx.Limits(max_connections=256, max_keepalive_connections=64))

    async def close(self) -> None:
        await self.client.aclose()

    def fail(self, status: int, reason: str, message: str, param: str | None = None) -> ApiError:
        self.on_error(reason)
        return ApiError(status, message, type="upstream_error", param=param, code=f"upstream_{reason}")

    async def complete(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A non-streamed completion, checked to be one, within the total deadline `timeout_s`."""
        try:
            return await asyncio.wait_for(self._complete(payload), self.config.timeout_s)
        except asyncio.TimeoutError:
            raise self.fail(504, "timeout", f"the upstream did not answer within {self.config.timeout_s:g} s") \
                from None

    async def _complete(self, payload: dict[str, Any]) -> dict[str, Any]:
        response = await self._send(payload, stream=False)
        try:
            data = json.loads(await response.aread())
            if not isinstance(data, dict) or not data.get("choices") or not all(
                    isinstance(c, dict) and isinstance(c.get("message"), dict) for c in data["choices"]):
                raise ValueError("no choices with a message")
        except (ValueError, RecursionError, httpx.HTTPError) as e:
            raise self.fail(502, "invalid", f"the upstream's answer is not a chat completion: "
                                            f"{type(e).__name__}") from None
        return {k: v for k, v in without_surrogates(data).items() if k in COMPLETION_FIELDS}

    async def open_stream(self, payload: dict[str, Any]) -> httpx.Response:
        """The upstream's streamed response, opened (its status known) but not read."""
        try:
            return await asyncio.wait_for(self._send(payload, stream=True), self.config.timeout_s)
        except asyncio.TimeoutError:
            raise self.fail(504, "timeout", f"the upstream did not start answering within "
                                            f"{self.config.timeout_s:g} s") from None

    async def _send(self, payload: dict[str, Any], stream: bool) -> httpx.Response:
        request = self.client.build_request("POST", "/chat/completions", json=payload)
        try:
            response = await self.client.send(request, stream=stream)
        except httpx.TimeoutException:
            raise self.fail(504, "timeout", f"the upstream did not answer within {self.config.timeout_s:g} s") \
                from None
        except httpx.HTTPError as e:
            raise self.fail(502, "unavailable", f"cannot reach the upstream: {type(e).__name__}") from None
        if response.status_code >= 400:
            body = await response.aread()
            await response.aclose()
            raise self._mapped_error(response.status_code, body)
        return response

    def _mapped_error(self, status: int, body: bytes) -> ApiError:
        """Our own error for an upstream one; its body goes to the log, not to the client. Only a
        `param` that is a plain field name is kept (the client's to fix)."""
        log.warning("upstream answered %d: %s", status, body[:500].decode("utf-8", "replace"))
        ours, reason, message = _UPSTREAM_ERRORS.get(status, (502, "error", f"the upstream failed ({status})"))
        param = None
        try:
            error = json.loads(body)["error"]
            param = error.get("param") if _IDENTIFIER.match(str(error.get("param") or "")) else None
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            pass
        return self.fail(ours, reason, message, param)


@dataclass
class _Channel:
    """One text field of one choice, as it grows chunk by chunk."""

    text: str = ""
    checked: int = 0  # characters judged so far


@dataclass
class StreamOutcome:
    action: Action = Action.ALLOWED
    decision: Decision | None = None
    text: str = ""
    error: str | None = None
    checks: int = 0
    channels: dict[str, _Channel] = field(default_factory=dict)


Judge = Callable[[list[tuple[str, str]]], Awaitable[Decision]]


async def guarded_stream(response: httpx.Response, judge: Judge, config: StreamConfig, deadline_s: float,
                         outcome: StreamOutcome, upstream: Upstream) -> AsyncIterator[bytes]:
    """Pass the upstream's SSE chunks through the output rail. `judge([(where, text), ...])` returns
    the riskiest Decision over those texts; `outcome` says afterwards what happened, for the audit.
    The caller sends the final `[DONE]` once the decision is stored."""
    held: list[dict[str, Any]] = []
    unchecked, cut = 0, False
    last: dict[str, Any] = {}
    try:
        async with asyncio.timeout(deadline_s):
            async for line in response.aiter_lines():
                if not line.startswith("data:"):
                    continue
                if line[5:].strip() == "[DONE]":
                    break
                event = _event(line[5:])
                if isinstance(event, str):
                    yield _broken(outcome, upstream, "invalid", event)
                    return
                last = event
                held.append(event)
                for where, text in string_leaves(event.get("choices"), "choices"):
                    outcome.channels.setdefault(where, _Channel()).text += text
                    unchecked += len(text)
                if unchecked >= config.check_every_chars:
                    if cut := not await _check(judge, config, outcome):
                        break
                    for e in held:
                        yield sse(e)
                    held, unchecked = [], 0
            if not cut and unchecked:  # the tail that never filled a whole check
                cut = not await _check(judge, config, outcome)
        if not cut:
            for e in held:
                yield sse(e)
            return
        yield _safe_end(outcome, last)
    except TimeoutError:
        yield _broken(outcome, upstream, "timeout", f"the upstream's answer took longer than {deadline_s:g} s")
    except httpx.TimeoutException:
        yield _broken(outcome, upstream, "timeout", "the upstream stalled mid-stream")
    except httpx.HTTPError as e:
        yield _broken(outcome, upstream, "unavailable", f"the upstream stream broke: {type(e).__name__}")
    finally:
        outcome.text = "\n".join(c.text for c in outcome.channels.values())
        await response.aclose()


def _event(data: str) -> dict[str, Any] | str:
    """A chunk, cleaned (lone surrogates replaced, fields outside COMPLETION_FIELDS dropped), or why
    it is not one."""
    try:
        event = json.loads(data)
    except (ValueError, RecursionError) as e:
        return f"the upstream sent an invalid chunk: {type(e).__name__}"
    if not isinstance(event, dict):
        return "the upstream sent an invalid chunk: not an object"
    if "error" in event:
        log.warning("upstream error mid-stream: %s", data[:500])
        return "the upstream reported an error mid-stream"
    choices = event.get("choices", [])
    if not isinstance(choices, list) or not all(isinstance(c, dict) for c in choices):
        return "the upstream sent an invalid chunk: choices is not a list of objects"
    return {k: v for k, v in without_surrogates(event).items() if k in COMPLETION_FIELDS}


async def _check(judge: Judge, config: StreamConfig, outcome: StreamOutcome) -> bool:
    """Judge every channel's new text with the overlap before it; True when all of it is safe."""
    spans = [(where, c.text[max(0, c.checked - config.overlap_chars):])
             for where, c in outcome.channels.items() if len(c.text) > c.checked]
    if not spans:
        return True
    decision = await judge(spans)
    outcome.checks += 1
    for c in outcome.channels.values():
        c.checked = len(c.text)
    if outcome.decision is None or decision.flagged or (
            decision.verdict and outcome.decision.verdict and decision.verdict.score > outcome.decision.verdict.score):
        outcome.decision = decision
    return not decision.flagged


def _safe_end(outcome: StreamOutcome, last: dict[str, Any]) -> bytes:
    outcome.action = Action.STREAM_CUT
    decision = outcome.decision
    assert decision is not None
    created = last.get("created", int(time.time()))
    return sse(chunk(str(last.get("id", "chatcmpl-slmguard")), str(last.get("model", "")), created,
                     {"content": "\n\n" + safe_ending(decision.verdict)}, "content_filter",
                     decision.info(Action.STREAM_CUT)))


def _broken(outcome: StreamOutcome, upstream: Upstream, reason: str, message: str) -> bytes:
    """The SSE error event that ends a stream the upstream broke (the openai client raises it)."""
    outcome.action, outcome.error = "upstream_error", message
    return sse(upstream.fail(502, reason, message).body())
