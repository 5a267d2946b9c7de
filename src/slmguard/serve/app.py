"""The HTTP app: `/v1/moderations`, `/v1/guard`, `/v1/chat/completions`, `/healthz`, `/metrics`.

Every response to a POST carries `X-Request-Id` and `X-Slmguard-Action` (what the guard did:
allowed, flagged, input_blocked, output_blocked, stream_cut, failed_open, failed_closed), plus
`X-Slmguard-Fail-Mode` when the model could not decide. Errors use the OpenAI error shape.
"""

from __future__ import annotations

import gc
import logging
import uuid
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException

from slmguard.respond.guard import Guard
from slmguard.serve.auth import KeyRing
from slmguard.serve.config import ApiKey, ServeConfig
from slmguard.serve.errors import ApiError, api_error_handler, read_json
from slmguard.serve.metrics import Metrics, MetricsMiddleware
from slmguard.serve.openai_shapes import (chat_completion, completion_as_stream, failed_moderation_result,
                                          moderation_result, safe_ending, sse)
from slmguard.serve.proxy import StreamOutcome, Upstream, guarded_stream, riskiest, text_windows
from slmguard.serve.schemas import MODERATION_MODELS, ChatRequest, GuardRequest, ModerationRequest
from slmguard.serve.service import Decision, GuardService

log = logging.getLogger("slmguard.serve")
GUARD_HEADER = "X-Slmguard-Action"
ROUTES = frozenset({"/v1/moderations", "/v1/guard", "/v1/chat/completions", "/healthz", "/metrics"})


def _action(decision: Decision, flagged_action: str) -> str:
    if decision.failure is not None:
        return f"failed_{decision.failure.fail_mode}"
    return flagged_action if decision.flagged else "allowed"


def _headers(request_id: str, action: str, decisions: list[Decision]) -> dict[str, str]:
    headers = {"X-Request-Id": request_id, GUARD_HEADER: action}
    failed = next((d.failure for d in decisions if d.failure), None)
    if failed:
        headers["X-Slmguard-Fail-Mode"] = failed.fail_mode
    return headers


def create_app(config: ServeConfig, guard: Guard | None = None) -> FastAPI:
    """The app for `config`; `guard` replaces the one the config would load (tests, embedding)."""
    metrics = Metrics()
    service = GuardService(config, guard, metrics)
    keys = KeyRing(config.auth.keys)
    upstream = Upstream(config.upstream, lambda reason: metrics.upstream_errors.labels(reason).inc()) \
        if config.upstream.url else None
    limits = config.limits
    if not keys.enabled:
        log.warning("no API keys configured: every request is accepted without authentication")

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        # The loaded models leave a large heap; freezing it keeps full GC passes (pauses of
        # 100+ ms that showed as p99 spikes) from walking it again and again.
        gc.collect()
        gc.freeze()
        await service.start()
        yield
        await service.stop()
        if upstream:
            await upstream.close()

    app = FastAPI(title="slmguard", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.service = service
    app.add_middleware(MetricsMiddleware, metrics=metrics, routes=ROUTES)
    app.add_exception_handler(ApiError, api_error_handler)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code)
        return ApiError(exc.status_code, str(exc.detail), code=code).response()

    @app.exception_handler(Exception)
    async def internal_error(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return ApiError(500, f"internal error: {type(exc).__name__}", type="server_error").response()

    def begin(request: Request) -> tuple[str, ApiKey | None]:
        """A request id (on every answer, errors included) and the caller's key."""
        request.state.request_id = uuid.uuid4().hex
        return request.state.request_id, keys.authenticate(request.headers.get("authorization"))

    def check_text(text: str, param: str) -> None:
        if not text.strip():
            raise ApiError(400, f"{param}: the text is empty", param=param, code="empty_input")
        if len(text) > limits.max_input_chars:
            raise ApiError(400, f"{param}: the text has {len(text)} characters; the limit is "
                                f"{limits.max_input_chars}", param=param, code="input_too_long")

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "model": service.guard.model_id, "guardian": service.guard.slm is not None,
                "fail_mode": config.fail_mode, "upstream": bool(upstream),
                "audit_spooled": service.audit_log.spooled()}  # > 0: the audit database is (or was) down

    @app.get("/metrics")
    async def prometheus() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.post("/v1/moderations")
    async def moderations(request: Request) -> JSONResponse:
        request_id, key = begin(request)
        body = await read_json(request, ModerationRequest, limits.max_body_bytes)
        if body.model not in MODERATION_MODELS:
            raise ApiError(404, f"the model '{body.model}' does not exist here; use one of "
                                f"{sorted(MODERATION_MODELS)}", param="model", code="model_not_found")
        if len(body.input) > limits.max_inputs:
            raise ApiError(400, f"input: {len(body.input)} texts; the limit is {limits.max_inputs}", param="input",
                           code="too_many_inputs")
        for i, text in enumerate(body.input):
            check_text(text, f"input[{i}]" if len(body.input) > 1 else "input")
        decisions = await service.decide(service.guard_for(key), body.input)
        actions = [_action(d, "flagged") for d in decisions]
        await service.audit([service.record(request_id, "moderations", key, "prompt", a, t, d)
                             for t, d, a in zip(body.input, decisions, actions)])
        results = [moderation_result(d.verdict) if d.verdict else
                   failed_moderation_result(d.failure.fail_mode, d.failure.error)  # type: ignore[union-attr]
                   for d in decisions]
        action = next((a for a in actions if a.startswith("failed")), "flagged" if any(d.flagged for d in decisions)
                      else "allowed")
        return JSONResponse({"id": f"modr-{request_id}", "model": body.model, "results": results},
                            headers=_headers(request_id, action, decisions))

    @app.post("/v1/guard")
    async def guard_route(request: Request) -> JSONResponse:
        request_id, key = begin(request)
        body = await read_json(request, GuardRequest, limits.max_body_bytes)
        x = body.guard_input()
        if isinstance(x, str):
            check_text(x, "input")
            kind, prompt = body.kind, x
        else:
            for i, m in enumerate(x):
                check_text(m.content, f"input[{i}].content")
            kind, prompt = ("response" if x[-1].role == "assistant" else "prompt"), x[-1].content
        guard = service.guard_for(key, body.policy, body.threshold, body.category_thresholds)
        decision = (await service.decide(guard, [x], kind))[0]
        action = _action(decision, "flagged")
        result: dict[str, Any] = {"flagged": decision.flagged, "action": action}
        if decision.verdict:
            result.update(decision.verdict.to_dict())
        if decision.failure:
            result.update(decision.failure.to_dict())
        if body.respond and decision.verdict and decision.verdict.unsafe and kind == "prompt":
            result["response"] = await service.safeguard(guard, prompt, decision.verdict)
        await service.audit([service.record(request_id, "guard", key, kind, action, prompt, decision)])
        return JSONResponse({"id": f"guard-{request_id}", "model": guard.model_id, "result": result},
                            headers=_headers(request_id, action, [decision]))

    @app.post("/v1/chat/completions")
    async def chat(request: Request) -> Response:
        request_id, key = begin(request)
        body = await read_json(request, ChatRequest, limits.max_body_bytes)
        if upstream is None:
            raise ApiError(503, "the chat proxy has no upstream: set upstream.url in the config", type="server_error",
                           code="no_upstream")
        if config.upstream.models and body.model not in config.upstream.models:
            raise ApiError(404, f"the model '{body.model}' does not exist here; use one of "
                                f"{config.upstream.models}", param="model", code="model_not_found")
        turns = body.guarded_turns()
        if not turns:
            raise ApiError(400, "messages: there is no user message to check", param="messages", code="invalid_value")
        last_user = max(i for i, m in enumerate(body.messages) if m.role == "user")
        check_text(turns[-1].content, f"messages[{last_user}].content")
        guard = service.guard_for(key)
        prompt = turns[-1].content

        decision = (await service.decide(guard, [turns]))[0]
        input_action = _action(decision, "input_blocked")
        if decision.flagged:
            text = await service.safeguard(guard, prompt, decision.verdict) if decision.verdict else \
                safe_ending(None)
            await service.audit([service.record(request_id, "chat.input", key, "prompt", input_action, prompt,
                                                decision)])
            completion = chat_completion(request_id, body.model, text, "content_filter", decision.info(input_action))
            headers = _headers(request_id, input_action, [decision])
            if body.stream:
                return StreamingResponse(iter(completion_as_stream(completion)), media_type="text/event-stream",
                                         headers=headers)
            return JSONResponse(completion, headers=headers)

        input_record = service.record(request_id, "chat.input", key, "prompt", input_action, prompt, decision)
        payload = body.model_dump(exclude_unset=True)
        try:
            if body.stream:
                return await _stream(payload, request_id, key, guard, input_record, decision, input_action)
            completion = await upstream.complete(payload)
        except ApiError:
            await service.audit([input_record])  # the input decision stands, whatever the upstream did
            raise
        records, outputs = [input_record], []
        for choice in completion["choices"]:
            content = choice["message"].get("content")
            if not isinstance(content, str) or not content.strip():
                continue
            windows = text_windows(content, config.output.window_chars, config.output.check_every_chars)
            out = riskiest(await service.decide(guard, windows, "response"))
            action = _action(out, "output_blocked")
            if out.flagged:
                choice["message"]["content"] = safe_ending(out.verdict)
                choice["finish_reason"] = "content_filter"
            records.append(service.record(request_id, "chat.output", key, "response", action, content, out))
            outputs.append((action, out))
        await service.audit(records)
        action = next((a for a, _ in outputs if a != "allowed"), input_action)
        completion["slmguard"] = {"input": decision.info(input_action),
                                  "output": [o.info(a) for a, o in outputs], "action": action}
        return JSONResponse(completion, headers=_headers(request_id, action, [decision] + [o for _, o in outputs]))

    async def _stream(payload: dict[str, Any], request_id: str, key: ApiKey | None, guard: Guard,
                      input_record, decision: Decision, input_action: str) -> StreamingResponse:
        assert upstream is not None
        response = await upstream.open_stream(payload)
        outcome = StreamOutcome()

        async def judge(text: str) -> Decision:
            return (await service.decide(guard, [text], "response"))[0]

        async def body():
            async for part in guarded_stream(response, judge, config.output.window_chars,
                                             config.output.check_every_chars, outcome, upstream):
                yield part
            try:
                await _audit_stream(outcome, request_id, key, input_record)
            except ApiError as e:
                yield sse(e.body())
                return
            if outcome.error is None:
                yield sse("[DONE]")

        headers = _headers(request_id, input_action, [decision])
        return StreamingResponse(body(), media_type="text/event-stream", headers=headers)

    async def _audit_stream(outcome: StreamOutcome, request_id: str, key: ApiKey | None, input_record) -> None:
        records = [input_record]
        if outcome.decision is not None:
            action = outcome.action
            if action == "allowed" and outcome.decision.failure:
                action = f"failed_{outcome.decision.failure.fail_mode}"
            records.append(service.record(request_id, "chat.output", key, "response", action, outcome.text,
                                          outcome.decision))
        await service.audit(records)

    return app
