"""API keys, stored as SHA-256 hashes, and a token bucket per key."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from slmguard.serve.config import ApiKey
from slmguard.serve.errors import ApiError


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> tuple[str, str]:
    """A fresh key and the hash that goes into the config."""
    key = "sg-" + secrets.token_urlsafe(32)
    return key, hash_key(key)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class KeyRing:
    def __init__(self, keys: list[ApiKey]) -> None:
        # Lookup by the hash of what was presented: the stored value is a hash, never the key, and a
        # dict lookup on a SHA-256 digest leaks nothing useful about the key through timing.
        self._by_hash = {k.sha256: k for k in keys}
        self._buckets: dict[str, _Bucket] = {}

    @property
    def enabled(self) -> bool:
        return bool(self._by_hash)

    def authenticate(self, authorization: str | None) -> ApiKey | None:
        """The key named by an `Authorization: Bearer` header; None when no keys are configured."""
        if not self.enabled:
            return None
        if not authorization:
            raise ApiError(401, "missing API key: send 'Authorization: Bearer <key>'", code="invalid_api_key")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "malformed Authorization header: expected 'Bearer <key>'", code="invalid_api_key")
        key = self._by_hash.get(hash_key(token.strip()))
        if key is None:
            raise ApiError(401, "incorrect API key", code="invalid_api_key")
        self._take(key)
        return key

    def _take(self, key: ApiKey) -> None:
        if key.rate_limit_per_minute is None:
            return
        capacity, rate = float(key.rate_limit_per_minute), key.rate_limit_per_minute / 60.0
        now = time.monotonic()
        bucket = self._buckets.setdefault(key.name, _Bucket(capacity, now))
        bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens < 1.0:
            wait = (1.0 - bucket.tokens) / rate
            raise ApiError(429, f"rate limit of {key.rate_limit_per_minute} requests per minute reached for key "
                                f"'{key.name}'; retry in {wait:.1f} s", type="rate_limit_error",
                           code="rate_limit_exceeded", headers={"Retry-After": str(max(1, round(wait)))})
        bucket.tokens -= 1.0
