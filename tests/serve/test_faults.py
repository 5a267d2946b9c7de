"""Faults: the upstream down, slow or returning garbage; the model raising or hanging; the audit
database unavailable. Each behaves as configured and no acknowledged decision is lost."""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import time
from pathlib import Path

import httpx
import openai
import pytest
from conftest import KEY, SAFE_PROMPT, UNSAFE_PROMPT, free_port, make_config, raw_post, running

from slmguard.respond.guard import Guard
from slmguard.serve.app import create_app
from slmguard.serve.openai_shapes import FAIL_CLOSED_TEXT


def audited(db: Path, request_id: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT endpoint, action, flagged, fail_mode FROM decisions WHERE request_id = ?",
                            (request_id,)).fetchall()


def chat(url: str, model: str = "stub", content: str = SAFE_PROMPT, stream: bool = False) -> httpx.Response:
    return raw_post(url, "/v1/chat/completions",
                    json.dumps({"model": model, "stream": stream, "messages": [{"role": "user", "content": content}]}))


def closed_port() -> str:
    return f"http://127.0.0.1:{free_port()}/v1"


def test_upstream_down_is_502_and_the_input_decision_is_kept(shipped_guard, tmp_path):
    config = make_config(tmp_path, closed_port())
    with running(create_app(config, shipped_guard)) as url:
        r = chat(url)
        assert r.status_code == 502 and r.json()["error"]["code"] == "upstream_unavailable"
        assert audited(tmp_path / "audit.db", r.headers["x-request-id"]) == [("chat.input", "allowed", 0, None)]
        with pytest.raises(openai.InternalServerError):
            openai.OpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0).chat.completions.create(
                model="stub", messages=[{"role": "user", "content": SAFE_PROMPT}])
        # An unsafe input never needed the upstream: it is still answered.
        assert chat(url, content=UNSAFE_PROMPT).status_code == 200
        assert "upstream_errors_total" in httpx.get(url + "/metrics").text


@pytest.mark.parametrize("model, status, code", [
    ("slow", 504, "upstream_timeout"), ("garbage", 502, "upstream_invalid"), ("error", 502, "upstream_error")])
def test_upstream_slow_garbage_or_failing(server, model, status, code):
    r = chat(server[0], model)
    assert r.status_code == status and r.json()["error"]["code"] == code
    assert chat(server[0]).status_code == 200


def test_upstream_broken_stream_raises_in_the_client(server):
    client = openai.OpenAI(base_url=server[0] + "/v1", api_key=KEY, max_retries=0)
    with pytest.raises(openai.APIError, match="invalid chunk"):
        list(client.chat.completions.create(model="bad-chunk", stream=True,
                                            messages=[{"role": "user", "content": SAFE_PROMPT}]))


class BrokenGuard(Guard):
    """The shipped detector with a model that raises (or hangs) on every batch."""

    hang = 0.0

    def classify_batch(self, xs, kind="prompt"):
        if self.hang:
            time.sleep(self.hang)
            return super().classify_batch(xs, kind)
        raise RuntimeError("onnxruntime: out of memory")


@pytest.mark.parametrize("fail_mode", ["closed", "open"])
def test_model_error_fails_as_configured_and_says_so(shipped_guard, upstream, tmp_path, fail_mode):
    broken = BrokenGuard(shipped_guard.classifier)
    config = make_config(tmp_path, upstream, fail_mode=fail_mode)
    with running(create_app(config, broken)) as url:
        r = raw_post(url, "/v1/moderations", json.dumps({"input": [SAFE_PROMPT, UNSAFE_PROMPT]}))
        assert r.status_code == 200
        assert r.headers["x-slmguard-fail-mode"] == fail_mode
        results = r.json()["results"]
        assert [x["flagged"] for x in results] == [fail_mode == "closed"] * 2
        assert results[0]["slmguard"] == {"fail_mode": fail_mode, "error": "model error: RuntimeError"}
        assert len(audited(tmp_path / "audit.db", r.headers["x-request-id"])) == 2

        c = chat(url)
        body = c.json()
        assert c.status_code == 200 and c.headers["x-slmguard-fail-mode"] == fail_mode
        if fail_mode == "closed":
            assert body["choices"][0]["message"]["content"] == FAIL_CLOSED_TEXT
            assert c.headers["x-slmguard-action"] == "failed_closed"
        else:
            assert body["choices"][0]["message"]["content"].startswith("Here is a short")
        g = raw_post(url, "/v1/guard", json.dumps({"input": UNSAFE_PROMPT}))
        assert g.json()["result"]["fail_mode"] == fail_mode
        assert httpx.get(url + "/healthz").status_code == 200


def test_model_timeout_counts_as_a_model_error(shipped_guard, tmp_path):
    slow = BrokenGuard(shipped_guard.classifier)
    slow.hang = 1.0
    config = make_config(tmp_path, limits={"model_timeout_s": 0.2})
    with running(create_app(config, slow)) as url:
        r = raw_post(url, "/v1/moderations", json.dumps({"input": SAFE_PROMPT}))
        assert r.json()["results"][0]["slmguard"]["error"] == "model timed out"
        assert r.json()["results"][0]["flagged"] is True


def test_audit_database_down_spools_then_replays(shipped_guard, tmp_path):
    db = tmp_path / "later" / "audit.db"  # the folder does not exist yet: the database cannot open
    config = make_config(tmp_path, audit={"url": f"sqlite:///{db}", "spool": str(tmp_path / "spool.jsonl")})
    with running(create_app(config, shipped_guard)) as url:
        ids = []
        for text in (SAFE_PROMPT, UNSAFE_PROMPT):
            r = raw_post(url, "/v1/moderations", json.dumps({"input": text}))
            assert r.status_code == 200
            ids.append(r.headers["x-request-id"])
        spooled = [json.loads(line) for line in (tmp_path / "spool.jsonl").read_text().splitlines()]
        assert [s["request_id"] for s in spooled] == ids
        assert 'slmguard_audit_errors_total{store="database"}' in httpx.get(url + "/metrics").text
        assert httpx.get(url + "/v1/status", headers={"Authorization": f"Bearer {KEY}"}).json()["audit_spooled"] == 2

        db.parent.mkdir()  # the database is back
        r = raw_post(url, "/v1/moderations", json.dumps({"input": SAFE_PROMPT}))
        ids.append(r.headers["x-request-id"])
        for request_id in ids:
            assert len(audited(db, request_id)) == 1
        assert not (tmp_path / "spool.jsonl").exists()


def test_audit_database_down_with_reject_answers_503_and_keeps_serving(shipped_guard, tmp_path):
    config = make_config(tmp_path, audit={"url": f"sqlite:///{tmp_path / 'missing' / 'a.db'}",
                                          "on_failure": "reject"})
    with running(create_app(config, shipped_guard)) as url:
        r = raw_post(url, "/v1/moderations", json.dumps({"input": SAFE_PROMPT}))
        assert r.status_code == 503 and r.json()["error"]["code"] == "audit_unavailable"
        assert httpx.get(url + "/healthz").status_code == 200
        (tmp_path / "missing").mkdir()
        assert raw_post(url, "/v1/moderations", json.dumps({"input": SAFE_PROMPT})).status_code == 200


def test_audit_text_setting(shipped_guard, tmp_path):
    for mode in ("store", "hash", "drop"):
        folder = tmp_path / mode
        folder.mkdir()
        config = make_config(folder, audit={"text": mode})
        with running(create_app(config, shipped_guard)) as url:
            raw_post(url, "/v1/moderations", json.dumps({"input": SAFE_PROMPT}))
        with sqlite3.connect(folder / "audit.db") as conn:
            text, digest = conn.execute("SELECT text, text_hmac FROM decisions").fetchone()
        assert (text == SAFE_PROMPT) == (mode == "store")
        assert (digest is not None) == (mode != "drop")
        if mode == "hash":
            # Keyed: the plain SHA-256 of a guessed prompt does not match; the key file's HMAC does.
            key = bytes.fromhex((folder / "audit.key").read_text().strip())
            assert digest != hashlib.sha256(SAFE_PROMPT.encode()).hexdigest()
            assert digest == hmac.new(key, SAFE_PROMPT.encode(), hashlib.sha256).hexdigest()
        for path in folder.iterdir():  # the database, its WAL and SHM files, the key
            assert path.stat().st_mode & 0o777 == 0o600, path
