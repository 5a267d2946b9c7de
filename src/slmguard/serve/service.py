"""What the routes share: the guards (default, per key, per request policy), the batcher with the
fail-open/closed rule, safeguard responses, and the audit log."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Literal, Sequence

from slmguard.core.errors import InputError, PolicyError, SlmguardError
from slmguard.core.types import GuardInput, Verdict
from slmguard.respond.guard import Guard
from slmguard.respond.prompts import fixed_safeguard
from slmguard.serve.audit import AuditLog, AuditRecord, AuditUnavailable, audit_hash_key
from slmguard.serve.batcher import DynamicBatcher, Job, Kind
from slmguard.serve.config import ApiKey, ServeConfig
from slmguard.serve.errors import ApiError
from slmguard.serve.judging import Piece
from slmguard.serve.metrics import Metrics
from slmguard.taxonomy.policy import load_policy, policy_from_dict

log = logging.getLogger("slmguard.serve")
_REQUEST_GUARDS = 64


class Action(StrEnum):
    """What the guard did with a request or an answer (the X-Slmguard-Action header, the audit log)."""
    ALLOWED = "allowed"
    FLAGGED = "flagged"  # moderation and /v1/guard: judged unsafe, reported, nothing blocked
    INPUT_BLOCKED = "input_blocked"
    OUTPUT_BLOCKED = "output_blocked"
    STREAM_CUT = "stream_cut"
    FAILED_OPEN = "failed_open"  # the model could not decide; the fail mode let the text through
    FAILED_CLOSED = "failed_closed"

    @classmethod
    def failed(cls, fail_mode: str) -> Action:
        return cls(f"failed_{fail_mode}")

    @property
    def is_failure(self) -> bool:
        return self in (Action.FAILED_OPEN, Action.FAILED_CLOSED)


@dataclass(frozen=True)
class Failure:
    """The model could not decide; `fail_mode` says what the server did instead."""

    fail_mode: Literal["closed", "open"]
    error: str

    def to_dict(self) -> dict[str, str]:
        return {"fail_mode": self.fail_mode, "error": self.error}


@dataclass(frozen=True)
class Decision:
    """One input's outcome: a verdict, or a failure and the fail mode applied; `where` names the
    field of the request or answer that decided it, when there were several."""

    verdict: Verdict | None
    failure: Failure | None = None
    where: str | None = None

    @property
    def flagged(self) -> bool:
        return self.verdict.unsafe if self.verdict else self.failure is not None and self.failure.fail_mode == "closed"

    def info(self, action: Action) -> dict[str, Any]:
        out: dict[str, Any] = {"action": str(action), "flagged": self.flagged}
        if self.verdict is not None:
            v = self.verdict
            out.update(score=round(v.score, 6), categories=v.categories, model_id=v.model_id)
        if self.failure is not None:
            out.update(self.failure.to_dict())
        if self.where is not None:
            out["where"] = self.where
        return out


def riskiest(decisions: Sequence[Decision]) -> Decision:
    """The decision that counts for a text judged in pieces: a flag if any piece is flagged."""
    return max(decisions, key=lambda d: (d.flagged, d.verdict.score if d.verdict else 1.0))


class GuardService:
    def __init__(self, config: ServeConfig, guard: Guard | None = None, metrics: Metrics | None = None) -> None:
        self.config = config
        self.metrics = metrics or Metrics()
        m = config.model
        if guard is None:
            guard = Guard.load(m.artifact, threshold=m.threshold, category_thresholds=m.category_thresholds or None,
                               policy=m.policy, backend=m.backend,
                               guardian=(m.guardian_artifact or True) if m.guardian else False, cascade=m.cascade,
                               segment=m.segments, slm_threads=m.threads)
        self.guard = guard
        self._generation = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slmguard-generate")
        self.key_guards = {k.name: self._derive(load_policy(k.policy)) for k in config.auth.keys if k.policy}
        self._request_guards: OrderedDict[str, Guard] = OrderedDict()
        self._policies = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slmguard-policy")
        self.batcher = DynamicBatcher(config.batching.max_batch, config.batching.max_wait_ms,
                                      config.batching.max_cost, config.batching.long_share,
                                      on_batch=self.metrics.observe_batch)
        a = config.audit
        self.audit_log = AuditLog(a.url, a.spool, a.on_failure,
                                  on_error=lambda store: self.metrics.audit_errors.labels(store).inc())
        self._hash_key = audit_hash_key(a.hash_key.get_secret_value() if a.hash_key else None, a.hash_key_file) \
            if a.text == "hash" else b""

    async def start(self) -> None:
        await self.batcher.start()

    async def stop(self) -> None:
        await self.batcher.stop()
        self._generation.shutdown(wait=False, cancel_futures=True)
        self._policies.shutdown(wait=False, cancel_futures=True)
        self.audit_log.close()

    def _derive(self, policy=None, threshold: float | None = None, category_thresholds=None) -> Guard:
        g = self.guard
        # Only explicit overrides are passed on, so a new policy's own category thresholds still apply.
        overrides = {**self.config.model.category_thresholds, **(category_thresholds or {})}
        return g.derive(policy=policy if policy is not None else g.policy, threshold=threshold or g.threshold,
                        category_thresholds=overrides)

    async def guard_for(self, key: ApiKey | None, policy: dict[str, Any] | None = None,
                        threshold: float | None = None, category_thresholds: dict[str, float] | None = None) -> Guard:
        """The key's guard, or one for this request's policy and thresholds (kept in a small LRU
        cache: a custom policy embeds its category descriptions once, on a thread of its own and
        under the model deadline, so the event loop keeps serving meanwhile)."""
        base = self.key_guards.get(key.name) if key else None
        if policy is None and threshold is None and not category_thresholds:
            return base or self.guard
        cache_key = hashlib.sha256(json.dumps([key.name if key else None, policy, threshold, category_thresholds],
                                              sort_keys=True).encode()).hexdigest()
        if cache_key in self._request_guards:
            self._request_guards.move_to_end(cache_key)
            return self._request_guards[cache_key]
        try:
            taxonomy = policy_from_dict(policy, source="policy") if policy is not None else (base or self.guard).policy
        except PolicyError as e:
            raise ApiError(400, str(e), param=f"policy.{e.field}" if e.field else "policy", code="invalid_policy") \
                from None
        loop = asyncio.get_running_loop()
        try:
            derived = loop.run_in_executor(self._policies, self._derive, taxonomy, threshold, category_thresholds)
            guard = await asyncio.wait_for(derived, self.config.limits.model_timeout_s)
        except asyncio.TimeoutError:
            raise ApiError(503, "the policy could not be prepared in time; try again", type="server_error",
                           code="policy_timeout") from None
        self._request_guards[cache_key] = guard
        if len(self._request_guards) > _REQUEST_GUARDS:
            self._request_guards.popitem(last=False)
        return guard

    async def decide(self, guard: Guard, inputs: Sequence[GuardInput | Job], kind: Kind = "prompt") -> list[Decision]:
        """Decisions for `inputs`; a model error or timeout becomes a Failure under the fail mode. At the
        deadline the inputs not yet scored are dropped from the queue."""
        try:
            verdicts = await asyncio.wait_for(self.batcher.classify(guard, list(inputs), kind),
                                              self.config.limits.model_timeout_s)
        except InputError as e:
            raise ApiError(400, str(e), code="invalid_value") from None
        except Exception as e:  # noqa: BLE001 - any model failure is handled by the fail mode
            mode = self.config.fail_mode
            error = "model timed out" if isinstance(e, asyncio.TimeoutError) else f"model error: {type(e).__name__}"
            log.error("%s (failing %s): %s", error, mode, e)
            self.metrics.model_errors.labels(mode).inc()
            return [Decision(None, Failure(mode, error))] * len(inputs)
        return [Decision(v) for v in verdicts]

    async def judge(self, guard: Guard, texts: Sequence[Sequence[Piece]]) -> list[Decision]:
        """One decision per text judged in pieces (the riskiest piece counts), all under one deadline."""
        flat = [p for pieces in texts for p in pieces]
        decisions = await self.decide(guard, [p.job() for p in flat])
        out, start = [], 0
        for pieces in texts:
            scored = [replace(d, where=p.where) for d, p in zip(decisions[start:start + len(pieces)], pieces)]
            out.append(riskiest(scored))
            start += len(pieces)
        return out

    async def safeguard(self, guard: Guard, prompt: str, verdict: Verdict) -> str:
        """The safeguard response for an unsafe prompt. The SLM writes on its own thread, so a
        generation never holds up detector batches; its output check goes through the batcher."""
        from slmguard.models.generation import GenerationConfig

        loop = asyncio.get_running_loop()

        def score_tails(tails: list[str]) -> list[float]:  # called on the generation thread
            checks = asyncio.run_coroutine_threadsafe(self.decide(guard.fast, tails, "response"), loop).result()
            return [c.verdict.score if c.verdict else 1.0 for c in checks]  # unchecked counts as unsafe

        cfg = GenerationConfig(max_new_tokens=self.config.model.max_tokens)
        try:
            written = await loop.run_in_executor(self._generation, guard.safeguards, [prompt], [verdict], cfg,
                                                 score_tails)
        except SlmguardError as e:
            # The verdict stands; the fixed response replaces the one the SLM could not write.
            log.error("safeguard generation failed: %s", e)
            return fixed_safeguard(Guard.top_hazard(verdict))
        return written[0]

    def record(self, request_id: str, endpoint: str, key: ApiKey | None, kind: str, action: Action, text: str,
               decision: Decision) -> AuditRecord:
        v, f = decision.verdict, decision.failure
        self.metrics.decisions.labels(endpoint, str(action), str(decision.flagged).lower()).inc()
        return AuditRecord.make(
            text=text, text_mode=self.config.audit.text, hash_key=self._hash_key, request_id=request_id,
            endpoint=endpoint, api_key=key.name if key else None, kind=kind, action=str(action), flagged=decision.flagged,
            score=v.score if v else None, categories=v.categories if v else [], model_id=v.model_id if v else None,
            fail_mode=f.fail_mode if f else None, error=f.error if f else None)

    async def audit(self, records: list[AuditRecord]) -> None:
        """Store the decisions durably before answering; if that is impossible, answer 503."""
        try:
            await self.audit_log.write(records)
        except AuditUnavailable as e:
            raise ApiError(503, f"{e}; the decision was not recorded, so it is not returned", type="server_error",
                           code="audit_unavailable") from None
