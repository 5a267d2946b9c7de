"""The audit log: committed before the answer, spooled when the database is down, never lost."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import KEY, free_port, wait_healthy

from slmguard.serve.audit import AuditLog, AuditRecord, AuditUnavailable
from slmguard.serve.auth import hash_key


def record(i: int, text: str = "hello") -> AuditRecord:
    return AuditRecord.make(text=text, text_mode="hash", hash_key=b"k", request_id=f"r{i}", endpoint="test", api_key=None,
                            kind="prompt", action="allowed", flagged=False, score=0.1, categories=[], model_id="m",
                            fail_mode=None, error=None)


def rows(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r for (r,) in conn.execute("SELECT request_id FROM decisions ORDER BY request_id")]


def test_written_records_are_committed_before_write_returns(tmp_path):
    log = AuditLog(f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "spool.jsonl")
    try:
        async def go():
            await asyncio.gather(*(log.write([record(i)]) for i in range(20)))
            # A separate connection (another process would see the same) finds every record.
            assert len(rows(tmp_path / "a.db")) == 20
        asyncio.run(go())
        with sqlite3.connect(tmp_path / "a.db") as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        log.close()


def test_reject_mode_and_unwritable_spool_raise(tmp_path):
    missing = tmp_path / "no" / "a.db"
    for log in (AuditLog(f"sqlite:///{missing}", tmp_path / "spool.jsonl", on_failure="reject"),
                AuditLog(f"sqlite:///{missing}", tmp_path / "no" / "spool.jsonl")):
        with pytest.raises(AuditUnavailable):
            asyncio.run(log.write([record(0)]))
        log.close()


def test_replay_skips_records_already_in_the_database(tmp_path):
    db, spool = tmp_path / "a.db", tmp_path / "spool.jsonl"
    log = AuditLog(f"sqlite:///{db}", spool)
    asyncio.run(log.write([record(0)]))
    log.close()
    already = json.loads(json.dumps(record(0).__dict__))
    with sqlite3.connect(db) as conn:
        already["id"] = conn.execute("SELECT id FROM decisions").fetchone()[0]
    # A replay cut short after its commit leaves the record in the spool too; a torn last line was never acked.
    spool.write_text(json.dumps(already) + "\n" + json.dumps(record(1).__dict__) + "\n" + '{"id": "tor')
    log = AuditLog(f"sqlite:///{db}", spool)
    asyncio.run(log.write([record(2)]))
    log.close()
    assert rows(db) == ["r0", "r1", "r2"] and not spool.exists()


@pytest.mark.shipped
def test_a_killed_server_loses_no_acknowledged_decision(tmp_path):
    """SIGKILL the real server under load: every request it answered 200 is in the database."""
    port = free_port()
    db = tmp_path / "audit.db"
    config = {"port": port, "model": {"backend": "torch"},
              "auth": {"keys": [{"name": "t", "sha256": hash_key(KEY), "rate_limit_per_minute": None}]},
              "audit": {"url": f"sqlite:///{db}", "spool": str(tmp_path / "spool.jsonl")}}
    (tmp_path / "serve.yaml").write_text(json.dumps(config))
    slmguard = Path(sys.executable).parent / "slmguard"
    proc = subprocess.Popen([str(slmguard), "serve", "--config", str(tmp_path / "serve.yaml"), "--log-level",
                             "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, proc)

    acked: list[str] = []
    stop = threading.Event()

    def client(n: int) -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {KEY}"}, timeout=5) as c:
            i = 0
            while not stop.is_set():
                try:
                    r = c.post("/v1/moderations", json={"input": f"request {n}-{i}: how do I bake bread?"})
                except httpx.HTTPError:
                    return
                if r.status_code == 200:
                    acked.append(r.headers["x-request-id"])
                i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    time.sleep(3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stop.set()
    for t in threads:
        t.join()
    assert len(acked) > 20
    stored = set(rows(db))
    assert not [a for a in acked if a not in stored]
