"""A small OpenAI-compatible chat server that answers from a script: the stand-in for a real LLM
application behind the proxy, for tests, the load benchmark and trying the proxy out offline.

The answer is the script's reply for the first trigger found in the last user message (else the
default reply). The requested model picks a behaviour, so that tests can make it misbehave:

- `slow` waits `slow_s` before answering; `trickle` sends its JSON body in six pieces `slow_s / 4` apart
- `garbage` answers 200 with a body that is not JSON; `bad-chunk` streams an invalid chunk
- `error` answers 500 in the OpenAI error shape; `leak-401` answers 401 with a secret in the message;
  `error-event` streams an error event mid-answer
- where the reply goes: `tool-call` (a tool call's arguments), `reasoning` (reasoning_content, with a
  safe content), `refusal`, `parts` (content as a list of parts), `two-choices` (the second choice)
- how it streams: `big-chunk` (the whole reply in one chunk), `surrogate` (a lone surrogate first)
- any other model answers normally.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any, Mapping

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse

DEFAULT_REPLY = "Here is a short, friendly answer to your question."
SECRET_ERROR = "Incorrect API key provided: Bearer sk-UPSTREAM-SECRET-123. Internal host: llm-backend-7.internal:9000"


def message_for(model: str, reply: str) -> dict[str, Any]:
    """The assistant message that carries `reply` where the model name says."""
    if model == "tool-call":
        return {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": json.dumps({"answer": reply})}}]}
    if model == "reasoning":
        return {"role": "assistant", "content": DEFAULT_REPLY, "reasoning_content": reply}
    if model == "refusal":
        return {"role": "assistant", "content": None, "refusal": reply}
    if model == "parts":
        return {"role": "assistant", "content": [{"type": "text", "text": reply}]}
    return {"role": "assistant", "content": reply}


def deltas(message: dict[str, Any], size: int) -> list[dict[str, Any]]:
    """The message as streamed deltas of at most `size` characters of text each."""
    out: list[dict[str, Any]] = [{"role": "assistant", "content": ""}]
    for field in ("reasoning_content", "refusal", "content"):
        value = message.get(field)
        text = value if isinstance(value, str) else "".join(p["text"] for p in value) if value else ""
        out += [{field: text[i:i + size]} for i in range(0, len(text), size)]
    for call in message.get("tool_calls") or []:
        out.append({"tool_calls": [{"index": 0, "id": call["id"], "type": "function",
                                    "function": {"name": call["function"]["name"], "arguments": ""}}]})
        args = call["function"]["arguments"]
        out += [{"tool_calls": [{"index": 0, "function": {"arguments": args[i:i + size]}}]}
                for i in range(0, len(args), size)]
    return out


def create_upstream_app(script: Mapping[str, str] | None = None, default_reply: str = DEFAULT_REPLY,
                        chunk_chars: int = 8, slow_s: float = 5.0) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None)
    app.state.requests = 0
    app.state.script = _Script(script, default_reply, chunk_chars, slow_s)
    app.get("/v1/stats")(stats)
    app.post("/v1/chat/completions")(completions)
    return app


@dataclass(frozen=True)
class _Script:
    """What one stub app answers, and how slowly and in what pieces."""

    replies: Mapping[str, str] | None  # trigger -> reply
    default_reply: str
    chunk_chars: int
    slow_s: float

    def reply_for(self, body: dict[str, Any]) -> str:
        last = next((m.get("content") or "" for m in reversed(body.get("messages", [])) if m.get("role") == "user"), "")
        return next((reply for trigger, reply in (self.replies or {}).items() if trigger in str(last)),
                    self.default_reply)


# The routes keep the names (and the missing docstrings) they had as closures: FastAPI's OpenAPI
# schema is made from them.
async def stats(request: Request) -> dict[str, int]:
    return {"requests": request.app.state.requests}  # lets a test see whether a request got through


async def completions(request: Request) -> Response:
    request.app.state.requests += 1
    script: _Script = request.app.state.script
    body = await request.json()
    model = body.get("model", "stub")
    if model == "slow":
        await asyncio.sleep(script.slow_s)
    if model == "garbage":
        return PlainTextResponse("<html>502 bad gateway</html>")
    if model in ("error", "leak-401"):
        status, message = (500, "upstream exploded") if model == "error" else (401, SECRET_ERROR)
        return JSONResponse({"error": {"message": message, "type": "server_error", "param": None, "code": None}},
                            status_code=status)
    reply = script.reply_for(body)
    head = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": model}
    messages = [message_for(model, reply)] if model != "two-choices" else \
        [message_for(model, script.default_reply), message_for(model, reply)]
    if not body.get("stream"):
        completion = json.dumps({
            "id": head["id"], "object": "chat.completion", "created": head["created"], "model": model,
            "choices": [{"index": i, "message": m, "finish_reason": "stop", "logprobs": None}
                        for i, m in enumerate(messages)],
            "usage": {"prompt_tokens": 10, "completion_tokens": len(reply.split()),
                      "total_tokens": 10 + len(reply.split())}})
        if model != "trickle":
            return Response(completion, media_type="application/json")
        return StreamingResponse(_trickle(completion, script.slow_s / 4), media_type="application/json")
    return StreamingResponse(_stream(head, messages, script.chunk_chars), media_type="text/event-stream")


def _event(head: dict[str, Any], index: int, delta: dict[str, Any], finish: str | None = None) -> str:
    return "data: " + json.dumps({"id": head["id"], "object": "chat.completion.chunk", "created": head["created"],
                                  "model": head["model"], "choices": [{"index": index, "delta": delta,
                                                                       "finish_reason": finish, "logprobs": None}]}) \
        + "\n\n"


async def _stream(head: dict[str, Any], messages: list[dict[str, Any]], chunk_chars: int):
    """The streamed answer; `head` holds the completion's id, creation time and model."""
    model = head["model"]
    size = 10 ** 9 if model == "big-chunk" else chunk_chars
    for index, message in enumerate(messages):
        for n, delta in enumerate(deltas(message, size)):
            if model == "bad-chunk" and n >= 2:
                yield "data: {not json\n\n"
                return
            if model == "error-event" and n >= 2:
                yield "data: " + json.dumps({"error": {"message": SECRET_ERROR, "type": "server_error"}}) + "\n\n"
                return
            if model == "surrogate" and n == 1:
                delta = {"content": "\ud800" + delta["content"]}
            yield _event(head, index, delta)
            await asyncio.sleep(0)
        yield _event(head, index, {}, "stop")
    yield "data: [DONE]\n\n"


async def _trickle(body: str, pause_s: float):
    step = -(-len(body) // 6)
    for i in range(0, len(body), step):
        yield body[i:i + step]
        await asyncio.sleep(pause_s)
