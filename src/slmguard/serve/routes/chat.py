"""`/v1/chat/completions`: the guarded proxy. The input rail judges the request; a flagged request
gets the safeguard answer; otherwise the upstream answers and the output rail judges every choice
(whole answers) or the stream as it arrives (cut at the first flagged span)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from slmguard.respond.guard import Guard
from slmguard.serve.audit import AuditRecord
from slmguard.serve.config import ApiKey
from slmguard.serve.context import ServeContext, action_of, guard_headers
from slmguard.serve.errors import ApiError, check_model, read_json
from slmguard.serve.judging import answer_pieces, request_pieces
from slmguard.serve.openai_shapes import chat_completion, completion_as_stream, safe_ending, sse
from slmguard.serve.proxy import StreamOutcome, guarded_stream
from slmguard.serve.schemas import ChatRequest
from slmguard.serve.service import Action, Decision, Failure, riskiest


@dataclass
class _Turn:
    """One chat request after its input rail: who asked, with which guard, and what was decided."""
    request_id: str
    key: ApiKey | None
    guard: Guard
    input_record: AuditRecord
    decision: Decision
    input_action: Action


def router(ctx: ServeContext) -> APIRouter:
    r = APIRouter()

    @r.post("/v1/chat/completions")
    async def chat(request: Request) -> Response:
        request_id, key = ctx.begin(request)
        body = await read_json(request, ChatRequest, ctx.limits.max_body_bytes, ctx.limits.body_timeout_s)
        _check_model(ctx, body)
        payload = body.model_dump(exclude_unset=True)
        pieces, texts = await ctx.planned(request, lambda p: (request_pieces(p, payload), p.texts))
        if not pieces:
            raise ApiError(400, "messages: there is no text to check", param="messages", code="empty_input")
        guard = await ctx.service.guard_for(key)
        decision = riskiest(await ctx.service.judge(guard, pieces))
        prompt = texts.get(decision.where or "", "")
        input_action = action_of(decision, Action.INPUT_BLOCKED)
        turn = _Turn(request_id, key, guard,
                     ctx.service.record(request_id, "chat.input", key, "prompt", input_action, prompt, decision),
                     decision, input_action)
        if decision.flagged:
            return await _blocked(ctx, turn, prompt, body)
        assert ctx.upstream is not None
        try:
            if body.stream:
                return await _stream(ctx, turn, payload)
            completion = await ctx.upstream.complete(payload)
        except ApiError:
            await ctx.service.audit([turn.input_record])  # the input decision stands, whatever the upstream did
            raise
        return await _answer(ctx, turn, completion)

    return r


def _check_model(ctx: ServeContext, body: ChatRequest) -> None:
    if ctx.upstream is None:
        raise ApiError(503, "the chat proxy has no upstream: set upstream.url in the config", type="server_error",
                       code="no_upstream")
    check_model(body.model, ctx.config.upstream.models)


async def _blocked(ctx: ServeContext, turn: _Turn, prompt: str, body: ChatRequest) -> Response:
    """The input rail flagged the request: the safeguard answers instead of the upstream."""
    verdict = turn.decision.verdict
    text = await ctx.service.safeguard(turn.guard, prompt, verdict) if verdict else safe_ending(None)
    await ctx.service.audit([turn.input_record])
    completion = chat_completion(turn.request_id, body.model, text, "content_filter",
                                 turn.decision.info(turn.input_action))
    headers = guard_headers(turn.request_id, turn.input_action, [turn.decision])
    if body.stream:
        return StreamingResponse(iter(completion_as_stream(completion)), media_type="text/event-stream",
                                 headers=headers)
    return JSONResponse(completion, headers=headers)


async def _answer(ctx: ServeContext, turn: _Turn, completion: dict[str, Any]) -> JSONResponse:
    """The output rail on a whole answer: every text of every choice; a flagged choice is replaced."""
    planner = ctx.planner()
    choices = completion["choices"]
    try:
        groups = [answer_pieces(planner, c, f"choices[{i}]") for i, c in enumerate(choices)]
    except ApiError as e:
        await ctx.service.audit([turn.input_record])
        assert ctx.upstream is not None
        raise ctx.upstream.fail(502, "too_long", f"the upstream's answer cannot be judged: {e.message}") from None
    judged = await ctx.service.judge(turn.guard, [p for g in groups for p in g])
    records, outputs, start = [turn.input_record], [], 0
    for i, group in enumerate(groups):
        if not group:
            continue
        out = riskiest(judged[start:start + len(group)])
        start += len(group)
        action = action_of(out, Action.OUTPUT_BLOCKED)
        if out.flagged:
            choices[i] = {"index": choices[i].get("index", i), "finish_reason": "content_filter", "logprobs": None,
                          "message": {"role": "assistant", "content": safe_ending(out.verdict)}}
        text = "\n".join(t for w, t in planner.texts.items() if w.startswith(f"choices[{i}]."))
        records.append(ctx.service.record(turn.request_id, "chat.output", turn.key, "response", action, text, out))
        outputs.append((action, out))
    await ctx.service.audit(records)
    action = next((a for a, _ in outputs if a != Action.ALLOWED), turn.input_action)
    completion["slmguard"] = {"input": turn.decision.info(turn.input_action),
                              "output": [o.info(a) for a, o in outputs], "action": action}
    return JSONResponse(completion, headers=guard_headers(turn.request_id, action,
                                                          [turn.decision] + [o for _, o in outputs]))


async def _stream(ctx: ServeContext, turn: _Turn, payload: dict[str, Any]) -> StreamingResponse:
    """The output rail on a stream: new text is judged as it arrives and the stream cut when flagged."""
    upstream = ctx.upstream
    assert upstream is not None
    response = await upstream.open_stream(payload)
    outcome = StreamOutcome()

    async def judge(spans: list[tuple[str, str]]) -> Decision:
        try:
            groups = ctx.planner().leaf_pieces(spans, "response")
        except ApiError as e:  # more new text than one check may judge: it is withheld
            return Decision(None, Failure("closed", f"the answer cannot be judged: {e.message}"))
        return riskiest(await ctx.service.judge(turn.guard, groups)) if groups else Decision(None)

    async def body():
        async for part in guarded_stream(response, judge, ctx.config.stream, ctx.config.upstream.stream_timeout_s,
                                         outcome, upstream):
            yield part
        try:
            await _audit_stream(ctx, turn, outcome)
        except ApiError as e:
            yield sse(e.body())
            return
        if outcome.error is None:
            yield sse("[DONE]")

    headers = guard_headers(turn.request_id, turn.input_action, [turn.decision])
    return StreamingResponse(body(), media_type="text/event-stream", headers=headers)


async def _audit_stream(ctx: ServeContext, turn: _Turn, outcome: StreamOutcome) -> None:
    records = [turn.input_record]
    if outcome.decision is not None:
        action = outcome.action
        if action == Action.ALLOWED and outcome.decision.failure:
            action = Action.failed(outcome.decision.failure.fail_mode)
        records.append(ctx.service.record(turn.request_id, "chat.output", turn.key, "response", action, outcome.text,
                                          outcome.decision))
    await ctx.service.audit(records)
