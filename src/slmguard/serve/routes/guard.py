"""`/v1/guard`: one text or conversation judged, with an optional policy, thresholds and safeguard."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from slmguard.serve.context import ServeContext, action_of, guard_headers
from slmguard.serve.errors import ApiError, read_json
from slmguard.serve.judging import Planner
from slmguard.serve.schemas import GuardRequest
from slmguard.serve.service import Action


def router(ctx: ServeContext) -> APIRouter:
    r = APIRouter()

    @r.post("/v1/guard")
    async def guard_route(request: Request) -> JSONResponse:
        request_id, key = ctx.begin(request)
        limits, service = ctx.limits, ctx.service
        body = await read_json(request, GuardRequest, limits.max_body_bytes, limits.body_timeout_s)
        if body.policy is not None and len(json.dumps(body.policy)) > limits.max_policy_chars:
            raise ApiError(400, f"policy: larger than {limits.max_policy_chars} characters", param="policy",
                           code="policy_too_large")
        kind, prompt, pieces = await ctx.planned(request, lambda planner: guard_pieces(planner, body))
        guard = await service.guard_for(key, body.policy, body.threshold, body.category_thresholds)
        decision = (await service.judge(guard, [pieces]))[0]
        action = action_of(decision, Action.FLAGGED)
        result: dict[str, Any] = {"flagged": decision.flagged, "action": action}
        if decision.verdict:
            result.update(decision.verdict.to_dict())
        if decision.failure:
            result.update(decision.failure.to_dict())
        if body.respond and decision.verdict and decision.verdict.unsafe and kind == "prompt":
            result["response"] = await service.safeguard(guard, prompt, decision.verdict)
        await service.audit([service.record(request_id, "guard", key, kind, action, prompt, decision)])
        return JSONResponse({"id": f"guard-{request_id}", "model": guard.model_id, "result": result},
                            headers=guard_headers(request_id, action, [decision]))

    return r


def guard_pieces(planner: Planner, body: GuardRequest) -> tuple[str, str, list]:
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
