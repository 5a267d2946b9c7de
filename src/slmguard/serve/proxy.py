"""The guarded chat proxy: input rail, upstream call, output rail, and the streaming window.

Streaming: the proxy holds back what the upstream sends until `check_every_chars` new characters
have come, then judges the last `window_chars` of the answer (a whole answer is judged in the same
overlapping windows). If it is safe, the held chunks go to the client; if not, they are dropped
and the stream ends with a safe ending and finish_reason `content_filter`. The client therefore
never sees text that failed a check; at most one window of text is held back.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable

import httpx

from slmguard.serve.config import UpstreamConfig
from slmguard.serve.errors import ApiError
from slmguard.serve.openai_shapes import chunk, safe_ending, sse
from slmguard.serve.service import Decision

def text_windows(text: str, size: int, stride: int) -> list[str]:
    """Overlapping windows that cover `text`. A short harmful passage inside a long safe answer is
    diluted when the whole answer is scored at once (0.85 alone, 0.12 behind two safe sentences),
    so answers are judged window by window, the same windows a stream is judged in."""
    if len(text) <= size:
        return [text]
    starts = list(range(0, len(text) - size, stride)) + [len(text) - size]
    return [text[i:i + size] for i in starts]


def riskiest(decisions: list[Decision]) -> Decision:
    """The decision that counts for a text judged in windows: a flag if any window is flagged."""
    return max(decisions, key=lambda d: (d.flagged, d.verdict.score if d.verdict else 1.0))


class Upstream:
    def __init__(self, config: UpstreamConfig, on_error: Callable[[str], None]) -> None:
        self.config, self.on_error = config, on_error
        headers = {"Authorization": f"Bearer {config.api_key.get_secret_value()}"} if config.api_key else {}
        self.client = httpx.AsyncClient(base_url=(config.url or "").rstrip("/"), headers=headers,
                                        timeout=httpx.Timeout(config.timeout_s),
                                        limits=httpx.Limits(max_connections=256, max_keepalive_connections=64))

    async def close(self) -> None:
        await self.client.aclose()

    def _fail(self, status: int, reason: str, message: str) -> ApiError:
        self.on_error(reason)
        return ApiError(status, message, type="upstream_error", code=f"upstream_{reason}")

    async def complete(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A non-streamed completion, checked to be one."""
        response = await self._send(payload, stream=False)
        try:
            data = response.json()
            if not isinstance(data, dict) or not data.get("choices") or not all(
                    isinstance(c.get("message"), dict) for c in data["choices"]):
                raise ValueError("no choices with a message")
        except (ValueError, AttributeError) as e:
            raise self._fail(502, "invalid", f"the upstream's answer is not a chat completion: {e}") from None
        return data

    async def open_stream(self, payload: dict[str, Any]) -> httpx.Response:
        """The upstream's streamed response, opened (its status known) but not read."""
        return await self._send(payload, stream=True)

    async def _send(self, payload: dict[str, Any], stream: bool) -> httpx.Response:
        request = self.client.build_request("POST", "/chat/completions", json=payload)
        try:
            response = await self.client.send(request, stream=stream)
        except httpx.TimeoutException:
            raise self._fail(504, "timeout", f"the upstream did not answer within {self.config.timeout_s} s") from None
        except httpx.HTTPError as e:
            raise self._fail(502, "unavailable", f"cannot reach the upstream: {type(e).__name__}") from None
        if response.status_code >= 400:
            body = await response.aread()
            await response.aclose()
            raise self._relay_error(response.status_code, body)
        return response

    def _relay_error(self, status: int, body: bytes) -> ApiError:
        """An upstream error in the OpenAI shape is passed on as it is (a 400 for a bad parameter is
        the client's to fix); anything else becomes a 502."""
        try:
            error = json.loads(body)["error"]
            if isinstance(error, dict) and isinstance(error.get("message"), str):
                return ApiError(status, error["message"], type=error.get("type") or "upstream_error",
                                param=error.get("param"), code=error.get("code"))
        except (ValueError, KeyError, TypeError):
            pass
        return self._fail(502, "error", f"the upstream answered {status} without an OpenAI error body")


@dataclass
class StreamOutcome:
    action: str = "allowed"
    decision: Decision | None = None
    text: str = ""
    error: str | None = None


async def guarded_stream(response: httpx.Response, judge: Callable[[str], Any], window: int, every: int,
                         outcome: StreamOutcome, upstream: Upstream) -> AsyncIterator[bytes]:
    """Pass the upstream's SSE chunks through the sliding-window check. `judge(text)` returns the
    Decision for a window; `outcome` says afterwards what happened, for the audit. The caller sends
    the final `[DONE]` once the decision is stored."""
    held: list[dict[str, Any]] = []
    held_chars = 0
    cut = False
    last: dict[str, Any] = {}

    async def check() -> bool:
        decision = await judge(outcome.text[-window:])
        outcome.decision = decision
        return not decision.flagged

    try:
        async for line in response.aiter_lines():
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                break
            try:
                event = json.loads(data)
                choice = event["choices"][0] if event.get("choices") else {}
                delta = (choice.get("delta") or {}).get("content") or ""
                if not isinstance(delta, str):
                    raise TypeError("delta.content is not text")
            except (ValueError, KeyError, TypeError, AttributeError, IndexError) as e:
                yield _broken(outcome, upstream, "invalid", f"the upstream sent an invalid chunk: {e}")
                return
            last = event
            held.append(event)
            outcome.text += delta
            held_chars += len(delta)
            if held_chars >= every:
                if not await check():
                    cut = True
                    break
                for e in held:
                    yield sse(e)
                held, held_chars = [], 0
        if not cut and held_chars:  # the tail that never filled a whole check
            cut = not await check()
        if not cut:
            for e in held:
                yield sse(e)
            return
        outcome.action = "stream_cut"
        decision = outcome.decision
        assert decision is not None
        created = last.get("created", int(time.time()))
        yield sse(chunk(last.get("id", "chatcmpl-slmguard"), last.get("model", ""), created,
                        {"content": "\n\n" + safe_ending(decision.verdict)}, "content_filter",
                        decision.info("stream_cut")))
    except httpx.TimeoutException:
        yield _broken(outcome, upstream, "timeout", "the upstream stalled mid-stream")
    except httpx.HTTPError as e:
        yield _broken(outcome, upstream, "unavailable", f"the upstream stream broke: {type(e).__name__}")
    finally:
        await response.aclose()


def _broken(outcome: StreamOutcome, upstream: Upstream, reason: str, message: str) -> bytes:
    """The SSE error event that ends a stream the upstream broke (the openai client raises it)."""
    upstream.on_error(reason)
    outcome.action, outcome.error = "upstream_error", message
    return sse(ApiError(502, message, type="upstream_error", code=f"upstream_{reason}").body())

