"""What every route of one app shares: the config, the guard service, keys, the upstream, and the
per-request steps (request id and key, cutting a body into pieces) and answer headers."""

from __future__ import annotations

import asyncio
import copy
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from fastapi import Request

from slmguard.serve.auth import KeyRing
from slmguard.serve.config import ApiKey, ServeConfig
from slmguard.serve.errors import ApiError
from slmguard.serve.judging import Planner
from slmguard.serve.metrics import Metrics
from slmguard.serve.proxy import Upstream
from slmguard.serve.service import Action, Decision, GuardService

GUARD_HEADER = "X-Slmguard-Action"

T = TypeVar("T")
# Bodies up to this size are cut into pieces on the event loop; larger ones on a thread of their own.
_PLAN_INLINE_BYTES = 4096


@dataclass
class ServeContext:
    config: ServeConfig
    service: GuardService
    metrics: Metrics
    keys: KeyRing
    upstream: Upstream | None
    tokenizer: Any  # the planner's own copy: the model thread tokenizes at the same time
    planning: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="slmguard-plan"))

    @classmethod
    def build(cls, config: ServeConfig, service: GuardService, metrics: Metrics) -> ServeContext:
        upstream = Upstream(config.upstream, lambda reason: metrics.upstream_errors.labels(reason).inc()) \
            if config.upstream.url else None
        return cls(config, service, metrics, KeyRing(config.auth.keys), upstream,
                   copy.deepcopy(service.guard.classifier.tokenizer))

    @property
    def limits(self):
        return self.config.limits

    def planner(self) -> Planner:
        """A Planner with a fresh budget (one per request or per judged answer)."""
        return Planner(self.tokenizer, self.limits)

    def begin(self, request: Request) -> tuple[str, ApiKey | None]:
        """A request id (on every answer, errors included), the origin check and the caller's key."""
        request.state.request_id = uuid.uuid4().hex
        origin = request.headers.get("origin")
        if origin is not None and origin not in self.config.expose.cors_origins:
            raise ApiError(403, f"requests from the web origin {origin!r} are not allowed (expose.cors_origins)",
                           code="origin_not_allowed")
        return request.state.request_id, self.keys.authenticate(request.headers.get("authorization"))

    async def planned(self, request: Request, build: Callable[[Planner], T]) -> T:
        """`build` run with a fresh Planner; a large body is cut into pieces off the event loop."""
        planner = self.planner()
        if getattr(request.state, "body_bytes", 0) <= _PLAN_INLINE_BYTES:
            return build(planner)
        return await asyncio.get_running_loop().run_in_executor(self.planning, build, planner)


def action_of(decision: Decision, flagged_action: Action) -> Action:
    if decision.failure is not None:
        return Action.failed(decision.failure.fail_mode)
    return flagged_action if decision.flagged else Action.ALLOWED


def guard_headers(request_id: str, action: Action, decisions: list[Decision]) -> dict[str, str]:
    headers = {"X-Request-Id": request_id, GUARD_HEADER: action}
    failed = next((d.failure for d in decisions if d.failure), None)
    if failed:
        headers["X-Slmguard-Fail-Mode"] = failed.fail_mode
    return headers
