"""The app factory: `/v1/moderations`, `/v1/guard`, `/v1/chat/completions`, `/healthz`,
`/v1/status`, `/metrics` (route modules in `serve/routes/`).

Every response to a POST carries `X-Request-Id` and `X-Slmguard-Action` (what the guard did:
allowed, flagged, input_blocked, output_blocked, stream_cut, failed_open, failed_closed), plus
`X-Slmguard-Fail-Mode` when the model could not decide. Errors use the OpenAI error shape.
"""

from __future__ import annotations

import gc
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from slmguard.respond.guard import Guard
from slmguard.serve.config import ServeConfig
from slmguard.serve.context import GUARD_HEADER, ServeContext
from slmguard.serve.errors import ApiError, api_error_handler
from slmguard.serve.metrics import Metrics, MetricsMiddleware
from slmguard.serve.routes import chat, health, moderation
from slmguard.serve.routes import guard as guard_route
from slmguard.serve.service import GuardService

log = logging.getLogger("slmguard.serve")
ROUTES = frozenset({"/v1/moderations", "/v1/guard", "/v1/chat/completions", "/healthz", "/v1/status", "/metrics"})


def create_app(config: ServeConfig, guard: Guard | None = None) -> FastAPI:
    """The app for `config`; `guard` replaces the one the config would load (tests, embedding)."""
    metrics = Metrics()
    ctx = ServeContext.build(config, GuardService(config, guard, metrics), metrics)
    if not ctx.keys.enabled:
        log.warning("no API keys configured: every request is accepted without authentication")
    app = FastAPI(title="slmguard", version="0.1.0", lifespan=_lifespan(ctx), docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json" if config.exposed("openapi") else None)
    app.state.service = ctx.service
    app.add_middleware(MetricsMiddleware, metrics=metrics, routes=ROUTES)
    if config.expose.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=config.expose.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"],
                           expose_headers=["X-Request-Id", GUARD_HEADER])
    app.add_exception_handler(ApiError, api_error_handler)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
    for module in (health, moderation, guard_route, chat):
        app.include_router(module.router(ctx))
    return app


def _lifespan(ctx: ServeContext):
    @asynccontextmanager
    async def lifespan(_: FastAPI):
        # The loaded models leave a large heap; freezing it keeps full GC passes (pauses of
        # 100+ ms that showed as p99 spikes) from walking it again and again.
        gc.collect()
        gc.freeze()
        await ctx.service.start()
        yield
        await ctx.service.stop()
        ctx.planning.shutdown(wait=False, cancel_futures=True)
        if ctx.upstream:
            await ctx.upstream.close()

    return lifespan


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code)
    return ApiError(exc.status_code, str(exc.detail), code=code).response()


async def _internal_error(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error")
    return ApiError(500, f"internal error: {type(exc).__name__}", type="server_error").response()
