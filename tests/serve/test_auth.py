"""API keys are checked by their hash; each key has its own token bucket."""

from __future__ import annotations

import pytest

from slmguard.serve.auth import KeyRing, hash_key, new_key
from slmguard.serve.config import ApiKey
from slmguard.serve.errors import ApiError


def test_new_key_matches_its_hash():
    key, digest = new_key()
    assert key.startswith("sg-") and hash_key(key) == digest and key not in digest


def test_no_keys_means_no_authentication():
    assert KeyRing([]).authenticate(None) is None


def test_token_bucket_refills(monkeypatch):
    now = [100.0]
    monkeypatch.setattr("slmguard.serve.auth.time.monotonic", lambda: now[0])
    ring = KeyRing([ApiKey(name="a", sha256=hash_key("k"), rate_limit_per_minute=60)])
    for _ in range(60):
        assert ring.authenticate("Bearer k").name == "a"
    with pytest.raises(ApiError) as e:
        ring.authenticate("Bearer k")
    assert e.value.status == 429 and e.value.headers == {"Retry-After": "1"}
    now[0] += 1.0  # one second refills one request at 60/min
    ring.authenticate("Bearer k")
    with pytest.raises(ApiError):
        ring.authenticate("Bearer k")
