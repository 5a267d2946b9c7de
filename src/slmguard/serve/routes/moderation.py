"""`/v1/moderations`: the OpenAI moderation shape, one result per input text."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from slmguard.serve.context import ServeContext, action_of, guard_headers
from slmguard.serve.errors import ApiError, check_model, read_json
from slmguard.serve.judging import Planner
from slmguard.serve.openai_shapes import failed_moderation_result, moderation_result
from slmguard.serve.schemas import MODERATION_MODELS, ModerationRequest
from slmguard.serve.service import Action


def _checked(body: ModerationRequest, max_inputs: int) -> None:
    check_model(body.model, sorted(MODERATION_MODELS))
    if len(body.input) > max_inputs:
        raise ApiError(400, f"input: {len(body.input)} texts; the limit is {max_inputs}", param="input",
                       code="too_many_inputs")


def router(ctx: ServeContext) -> APIRouter:
    r = APIRouter()

    @r.post("/v1/moderations")
    async def moderations(request: Request) -> JSONResponse:
        request_id, key = ctx.begin(request)
        body = await read_json(request, ModerationRequest, ctx.limits.max_body_bytes, ctx.limits.body_timeout_s)
        _checked(body, ctx.limits.max_inputs)

        def plan(planner: Planner) -> list:
            wheres = [f"input[{i}]" if len(body.input) > 1 else "input" for i in range(len(body.input))]
            texts = [planner.normalized(t, w, required=True) or "" for t, w in zip(body.input, wheres)]
            return [planner.pieces(t, "prompt", w) for t, w in zip(texts, wheres)]

        service = ctx.service
        decisions = await service.judge(await service.guard_for(key), await ctx.planned(request, plan))
        actions = [action_of(d, Action.FLAGGED) for d in decisions]
        await service.audit([service.record(request_id, "moderations", key, "prompt", a, t, d)
                             for t, d, a in zip(body.input, decisions, actions)])
        results = [moderation_result(d.verdict) if d.verdict else
                   failed_moderation_result(d.failure.fail_mode, d.failure.error)  # type: ignore[union-attr]
                   for d in decisions]
        action = next((a for a in actions if a.is_failure),
                      Action.FLAGGED if any(d.flagged for d in decisions) else Action.ALLOWED)
        return JSONResponse({"id": f"modr-{request_id}", "model": body.model, "results": results},
                            headers=guard_headers(request_id, action, decisions))

    return r
