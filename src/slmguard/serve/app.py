"""The HTTP app: `/v1/moderations`, `/v1/guard`, `/v1/chat/completions`, `/healthz`, `/v1/status`,
`/metrics`.

Every response to a POST carries `X-Request-Id` and `X-Slmguard-Action` (what the guard did:
allowed, flagged, input_blocked, output_blocked, stream_cut, failed_open, failed_closed), plus
`X-Slmguard-Fail-Mode` when the model could not decide. Errors use the OpenAI error shape.
"""

from __future__ import annotations

import asyncio
import copy
import gc
import json
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, Callable, TypeVar

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response, StreamingResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException

from slmguard.respond.guard import Guard
from slmguard.serve.auth import KeyRing
from slmguard.serve.config import ApiKey, ServeConfig
from slmguard.serve.errors import ApiError, api_error_handler, read_json
from slmguard.serve.judging import Planner, answer_pieces, request_pieces
from slmguard.serve.metrics import Metrics, MetricsMiddleware
from slmguard.serve.openai_shapes import (chat_completion, completion_as_stream, failed_moderation_result,
                                          moderation_result, safe_ending, sse)
from slmguard.serve.proxy import StreamOutcome, Upstream, guarded_stream
from slmguard.serve.schemas import MODERATION_MODELS, ChatRequest, GuardRequest, ModerationRequest
from slmguard.serve.service import Decision, Failure, GuardService, riskiest

log = logging.getLogger("slmguard.serve")
GUARD_HEADER = "X-Slmguard-Action"
ROUTES = frozenset({"/v1/moderations", "/v1/guard", "/v1/chat/completions", "/healthz", "/v1/status", "/metrics"})
T = TypeVar("T")
# Bodies up to this size are cut into pieces on the event loop; larger ones on a thread of their own.
_PLAN_INLINE_BYTES = 4096


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
    # The planner's own tokenizer: the model thread tokenizes at the same time.
    tokenizer = copy.deepcopy(service.guard.classifier.tokenizer)
    planning = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slmguard-plan")
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
        planning.shutdown(wait=False, cancel_futures=True)
        if upstream:
            await upstream.close()

    app = FastAPI(title="slmguard", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json" if config.exposed("openapi") else None)
    app.state.service = service
    app.add_middleware(MetricsMiddleware, metrics=metrics, routes=ROUTES)
    if config.expose.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=config.expose.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"],
                           expose_headers=["X-Request-Id", GUARD_HEADER])
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
        """A request id (on every answer, errors included), the origin check and the caller's key."""
        request.state.request_id = uuid.uuid4().hex
        origin = request.headers.get("origin")
        if origin is not None and origin not in config.expose.cors_origins:
            raise ApiError(403, f"requests from the web origin {origin!r} are not allowed (expose.cors_origins)",
                           code="origin_not_allowed")
        return request.state.request_id, keys.authenticate(request.headers.get("authorization"))

    async def planned(request: Request, build: Callable[[Planner], T]) -> T:
        """`build` run with a fresh Planner (this request's budget); a large body is cut off the loop."""
        planner = Planner(tokenizer, limits)
        if getattr(request.state, "body_bytes", 0) <= _PLAN_INLINE_BYTES:
            return build(planner)
        return await asyncio.get_running_loop().run_in_executor(planning, build, planner)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}  # liveness only: the detail is at /v1/status, behind the key

    @app.get("/v1/status")
    async def status(request: Request) -> dict[str, Any]:
        begin(request)
        return {"status": "ok", "model": service.guard.model_id, "guardian": service.guard.slm is not None,
                "fail_mode": config.fail_mode, "upstream": bool(upstream),
                "audit_spooled": service.audit_log.spooled()}  # > 0: the audit database is (or was) down

    if config.exposed("metrics"):
        @app.get("/metrics")
        async def prometheus() -> Response:
            return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.post("/v1/moderations")
    async def moderations(request: Request) -> JSONResponse:
        request_id, key = begin(request)
        body = await read_json(request, ModerationRequest, limits.max_body_bytes, limits.body_timeout_s)
        if body.model not in MODERATION_MODELS:
            raise ApiError(404, f"the model '{body.model}' does not exist here; use one of "
                                f"{sorted(MODERATION_MODELS)}", param="model", code="model_not_found")
        if len(body.input) > limits.max_inputs:
            raise ApiError(400, f"input: {len(body.input)} texts; the limit is {limits.max_inputs}", param="input",
                           code="too_many_inputs")

        def plan(planner: Planner) -> list:
            wheres = [f"input[{i}]" if len(body.input) > 1 else "input" for i in range(len(body.input))]
            texts = [planner.normalized(t, w, required=True) or "" for t, w in zip(body.input, wheres)]
            return [planner.pieces(t, "prompt", w) for t, w in zip(texts, wheres)]

        decisions = await service.judge(await service.guard_for(key), await planned(request, plan))
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
        body = await read_json(request, GuardRequest, limits.max_body_bytes, limits.body_timeout_s)
        if body.policy is not None and len(json.dumps(body.policy)) > limits.max_policy_chars:
            raise ApiError(400, f"policy: larger than {limits.max_policy_chars} characters", param="policy",
                           code="policy_too_large")
        kind, prompt, pieces = await planned(request, lambda planner: _guard_pieces(planner, body))
        guard = await service.guard_for(key, body.policy, body.threshold, body.category_thresholds)
        decision = (await service.judge(guard, [pieces]))[0]
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
        body = await read_json(request, ChatRequest, limits.max_body_bytes, limits.body_timeout_s)
        if upstream is None:
            raise ApiError(503, "the chat proxy has no upstream: set upstream.url in the config", type="server_error",
                           code="no_upstream")
        if config.upstream.models and body.model not in config.upstream.models:
            raise ApiError(404, f"the model '{body.model}' does not exist here; use one of "
                                f"{config.upstream.models}", param="model", code="model_not_found")
        payload = body.model_dump(exclude_unset=True)
        pieces, texts = await planned(request, lambda p: (request_pieces(p, payload), p.texts))
        if not pieces:
            raise ApiError(400, "messages: there is no text to check", param="messages", code="empty_input")
        guard = await service.guard_for(key)
        decision = riskiest(await service.judge(guard, pieces))
        prompt = texts.get(decision.where or "", "")
        input_action = _action(decision, "input_blocked")
        input_record = service.record(request_id, "chat.input", key, "prompt", input_action, prompt, decision)
        if decision.flagged:
            text = await service.safeguard(guard, prompt, decision.verdict) if decision.verdict else \
                safe_ending(None)
            await service.audit([input_record])
            completion = chat_completion(request_id, body.model, text, "content_filter", decision.info(input_action))
            headers = _headers(request_id, input_action, [decision])
            if body.stream:
                return StreamingResponse(iter(completion_as_stream(completion)), media_type="text/event-stream",
                                         headers=headers)
            return JSONResponse(completion, headers=headers)
        try:
            if body.stream:
                return await _stream(payload, request_id, key, guard, input_record, decision, input_action)
            completion = await upstream.complete(payload)
        except ApiError:
            await service.audit([input_record])  # the input decision stands, whatever the upstream did
            raise
        return await _answer(completion, request_id, key, guard, input_record, decision, input_action)

    async def _answer(completion: dict[str, Any], request_id: str, key: ApiKey | None, guard: Guard, input_record,
                      decision: Decision, input_action: str) -> JSONResponse:
        """The output rail on a whole answer: every text of every choice; a flagged choice is replaced."""
        planner = Planner(tokenizer, limits)
        choices = completion["choices"]
        try:
            groups = [answer_pieces(planner, c, f"choices[{i}]") for i, c in enumerate(choices)]
        except ApiError as e:
            await service.audit([input_record])
            assert upstream is not None
            raise upstream.fail(502, "too_long", f"the upstream's answer cannot be judged: {e.message}") from None
        judged = await service.judge(guard, [p for g in groups for p in g])
        records, outputs, start = [input_record], [], 0
        for i, group in enumerate(groups):
            if not group:
                continue
            out = riskiest(judged[start:start + len(group)])
            start += len(group)
            action = _action(out, "output_blocked")
            if out.flagged:
                choices[i] = {"index": choices[i].get("index", i), "finish_reason": "content_filter", "logprobs": None,
                              "message": {"role": "assistant", "content": safe_ending(out.verdict)}}
            text = "\n".join(t for w, t in planner.texts.items() if w.startswith(f"choices[{i}]."))
            records.append(service.record(request_id, "chat.output", key, "response", action, text, out))
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

        async def judge(spans: list[tuple[str, str]]) -> Decision:
            planner = Planner(tokenizer, limits)
            try:
                groups = planner.leaf_pieces(spans, "response")
            except ApiError as e:  # more new text than one check may judge: it is withheld
                return Decision(None, Failure("closed", f"the answer cannot be judged: {e.message}"))
            return riskiest(await service.judge(guard, groups)) if groups else Decision(None)

        async def body():
            async for part in guarded_stream(response, judge, config.stream, config.upstream.stream_timeout_s,
                                             outcome, upstream):
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


def _guard_pieces(planner: Planner, body: GuardRequest) -> tuple[str, str, list]:
    """(kind, the judged text, its pieces) for a /v1/guard request: a text, or a conversation's last
    turn read after the user turn before it."""
    x = body.guard_input()
    if isinstance(x, str):
        text = planner.normalized(x, "input", required=True) or ""
        return body.kind, text, planner.pieces(text, body.kind, "input")
    last = len(x) - 1
    if x[last].role == "system":
        raise ApiError(400, f"input[{last}]: the last message must be a user prompt or an assistant response",
                       param=f"input[{last}].role", code="invalid_value")
    kind = "response" if x[last].role == "assistant" else "prompt"
    text = planner.normalized(x[last].content, f"input[{last}].content", required=True) or ""
    before = next((i for i in range(last - 1, -1, -1) if x[i].role == "user"), None)
    previous = planner.normalized(x[before].content, f"input[{before}].content") if before is not None else None
    return kind, text, planner.pieces(text, kind, f"input[{last}].content", previous)
