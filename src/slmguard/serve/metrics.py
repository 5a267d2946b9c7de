"""Prometheus metrics (one registry per app, so several apps in one process stay apart) and the
ASGI middleware that counts requests and times them."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Histogram

_LATENCY_BUCKETS = (.001, .0025, .005, .0075, .01, .015, .02, .03, .05, .075, .1, .15, .25, .5, 1, 2.5, 5, 10)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("slmguard_requests", "HTTP requests by route and status", ["route", "status"],
                                registry=r)
        self.latency = Histogram("slmguard_request_seconds", "Request latency by route", ["route"],
                                 buckets=_LATENCY_BUCKETS, registry=r)
        self.decisions = Counter("slmguard_decisions", "Decisions by route, action and whether flagged",
                                 ["route", "action", "flagged"], registry=r)
        self.batch_size = Histogram("slmguard_batch_size", "Inputs per detector batch",
                                    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256), registry=r)
        self.batch_seconds = Histogram("slmguard_batch_seconds", "Detector time per batch",
                                       buckets=_LATENCY_BUCKETS, registry=r)
        self.model_errors = Counter("slmguard_model_errors", "Model errors and timeouts, by fail mode applied",
                                    ["fail_mode"], registry=r)
        self.upstream_errors = Counter("slmguard_upstream_errors", "Upstream failures by reason", ["reason"],
                                       registry=r)
        self.audit_errors = Counter("slmguard_audit_errors", "Audit writes that failed, by store", ["store"],
                                    registry=r)

    def observe_batch(self, size: int, seconds: float) -> None:
        self.batch_size.observe(size)
        self.batch_seconds.observe(seconds)


class MetricsMiddleware:
    """Pure ASGI (no per-request task, and streaming responses are timed to their last byte)."""

    def __init__(self, app, metrics: Metrics, routes: frozenset[str]) -> None:
        self.app, self.metrics, self.routes = app, metrics, routes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = scope["path"] if scope["path"] in self.routes else "other"
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            self.metrics.requests.labels(route, str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - start)
