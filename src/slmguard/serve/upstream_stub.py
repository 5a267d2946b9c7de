"""A small OpenAI-compatible chat server that answers from a script: the stand-in for a real LLM
application behind the proxy, for tests, the load benchmark and trying the proxy out offline.

The answer is the script's reply for the first trigger found in the last user message (else the
default reply). The requested model picks a behaviour: `slow` waits `slow_s` before answering,
`garbage` answers 200 with a body that is not JSON, `bad-chunk` streams an invalid chunk, `error`
answers 500 in the OpenAI error shape; any other model answers normally.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any, Mapping

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse

DEFAULT_REPLY = "Here is a short, friendly answer to your question."


def create_upstream_app(script: Mapping[str, str] | None = None, default_reply: str = DEFAULT_REPLY,
                        chunk_chars: int = 8, slow_s: float = 5.0) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None)
    app.state.requests = 0

    def reply_for(body: dict[str, Any]) -> str:
        last = next((m.get("content") or "" for m in reversed(body.get("messages", [])) if m.get("role") == "user"), "")
        return next((reply for trigger, reply in (script or {}).items() if trigger in str(last)), default_reply)

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> Response:
        app.state.requests += 1
        body = await request.json()
        model = body.get("model", "stub")
        if model == "slow":
            await asyncio.sleep(slow_s)
        if model == "garbage":
            return PlainTextResponse("<html>502 bad gateway</html>")
        if model == "error":
            return JSONResponse({"error": {"message": "upstream exploded", "type": "server_error", "param": None,
                                           "code": None}}, status_code=500)
        reply, cid, created = reply_for(body), f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        if not body.get("stream"):
            return JSONResponse({
                "id": cid, "object": "chat.completion", "created": created, "model": model,
                "requests": app.state.requests,  # lets a test see whether a request got through
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop",
                             "logprobs": None}],
                "usage": {"prompt_tokens": 10, "completion_tokens": len(reply.split()),
                          "total_tokens": 10 + len(reply.split())}})

        def event(delta: dict[str, Any], finish: str | None = None) -> str:
            return "data: " + json.dumps({"id": cid, "object": "chat.completion.chunk", "created": created,
                                          "model": model, "choices": [{"index": 0, "delta": delta,
                                                                       "finish_reason": finish, "logprobs": None}]}) \
                + "\n\n"

        async def stream():
            yield event({"role": "assistant", "content": ""})
            for i in range(0, len(reply), chunk_chars):
                if model == "bad-chunk" and i >= chunk_chars:
                    yield "data: {not json\n\n"
                    return
                yield event({"content": reply[i:i + chunk_chars]})
                await asyncio.sleep(0)
            yield event({}, "stop")
            yield "data: [DONE]\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream")

    return app
