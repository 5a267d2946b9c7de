"""`/healthz` (liveness, open), `/v1/status` (behind the key) and `/metrics` (when exposed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from slmguard.serve.context import ServeContext


def router(ctx: ServeContext) -> APIRouter:
    r = APIRouter()

    @r.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}  # liveness only: the detail is at /v1/status, behind the key

    @r.get("/v1/status")
    async def status(request: Request) -> dict[str, Any]:
        ctx.begin(request)
        guard = ctx.service.guard
        return {"status": "ok", "model": guard.model_id, "guardian": guard.slm is not None,
                "fail_mode": ctx.config.fail_mode, "upstream": bool(ctx.upstream),
                "audit_spooled": ctx.service.audit_log.spooled()}  # > 0: the audit database is (or was) down

    if ctx.config.exposed("metrics"):
        @r.get("/metrics")
        async def prometheus() -> Response:
            return Response(generate_latest(ctx.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return r
