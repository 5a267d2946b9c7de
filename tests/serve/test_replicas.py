"""Several replicas behind a load balancer, one audit database: two real `slmguard serve` processes
share the audit database (SQLite in WAL mode; PostgreSQL when SLMGUARD_TEST_POSTGRES_URL is set) and
every request either of them acknowledged is stored exactly once: none lost, none twice, no spool.

They start together on a database with no table yet, so both create it at once, and share one
audit HMAC key file that neither finds: the races a fleet's first start runs into."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from conftest import KEY, SAFE_PROMPT, UNSAFE_PROMPT, free_port, wait_healthy

from slmguard.serve.auth import hash_key

POSTGRES_ENV = "SLMGUARD_TEST_POSTGRES_URL"
REQUESTS = 200
CLIENTS = 8
# A few texts, each sent many times through both replicas (their stored HMACs must agree); one with a
# NUL character, which PostgreSQL's text type cannot hold.
TEXTS = [SAFE_PROMPT, UNSAFE_PROMPT, "How do I bake sourdough bread?", "Write a haiku about the sea.",
         "Tips for a job interview\x00 please."]


@pytest.fixture(scope="module")
def model_cache() -> None:
    """Build the shipped detector's ONNX files in the session's model cache before the replicas start.
    Two processes building them at once in one cache race: onnxruntime's quantiser writes a
    fixed-name `-inferred.onnx` beside the source, and one of them fails to start."""
    subprocess.run([sys.executable, "-c", "from slmguard.respond.guard import Guard; Guard.load()"], check=True,
                   timeout=300, env={**os.environ, "HF_HUB_OFFLINE": "1"})


@pytest.fixture(params=["sqlite", "postgresql"])
def audit_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'audit.db'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"no PostgreSQL: set {POSTGRES_ENV}=postgresql+psycopg://USER@HOST:PORT/DB (a role that may "
                    "CREATE DATABASE; .ci/run starts a throwaway cluster and sets it when PostgreSQL is installed)")
    pytest.importorskip("psycopg", reason="the PostgreSQL driver is missing: pip install 'psycopg[binary]'")
    from sqlalchemy import create_engine, make_url, text

    # A fresh database per run: the test never touches what the URL's own database holds.
    name = f"slmguard_replicas_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def replica(tmp_path: Path, name: str, audit_url: str) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """A real server process with its own port and spool file, the shared database and key file."""
    port = free_port()
    folder = tmp_path / name
    folder.mkdir()
    config = {"port": port,
              "auth": {"keys": [{"name": "app", "sha256": hash_key(KEY), "rate_limit_per_minute": None}]},
              "audit": {"url": audit_url, "text": "store", "spool": str(folder / "spool.jsonl"),
                        "hash_key_file": str(tmp_path / "audit.key")}}
    (folder / "serve.yaml").write_text(json.dumps(config))
    log = (folder / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "slmguard.cli.main", "serve", "--config", str(folder / "serve.yaml"),
                             "--log-level", "warning"], stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    try:
        yield f"http://127.0.0.1:{port}", proc, folder
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _audit_errors(url: str) -> float:
    metrics = httpx.get(url + "/metrics", timeout=5).text
    return sum(float(v) for v in re.findall(r"^slmguard_audit_errors_total\{[^}]*\} (\S+)$", metrics, re.M))


def _stored(audit_url: str) -> list[tuple[str, str, str]]:
    from sqlalchemy import create_engine, select

    from slmguard.serve.audit import decisions

    engine = create_engine(audit_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(select(decisions.c.request_id, decisions.c.text,
                                                          decisions.c.text_hmac))]
    finally:
        engine.dispose()


@pytest.mark.shipped
def test_two_replicas_store_every_acknowledged_decision_once(tmp_path, audit_url, model_cache):
    with ExitStack() as stack:
        servers = [stack.enter_context(replica(tmp_path, f"replica-{i}", audit_url)) for i in range(2)]
        deadline = time.time() + 120  # for both together
        for url, proc, folder in servers:
            wait_healthy(url, proc, folder / "server.log", timeout=deadline - time.time())
        urls = [url for url, _, _ in servers]

        acked: dict[str, int] = {}  # request id -> the replica that answered it
        failures: list[str] = []
        lock = threading.Lock()
        start = threading.Barrier(CLIENTS)  # every client's first request at once: both replicas' first writes race

        def client(n: int) -> None:
            clients = [httpx.Client(base_url=u, headers={"Authorization": f"Bearer {KEY}"}, timeout=30) for u in urls]
            start.wait()
            try:
                for i in range(n, REQUESTS, CLIENTS):  # round robin over the replicas, as a load balancer would
                    r = clients[i % 2].post("/v1/moderations", json={"input": TEXTS[i % len(TEXTS)]})
                    with lock:
                        if r.status_code == 200:
                            acked[r.headers["x-request-id"]] = i % 2
                        else:
                            failures.append(f"replica-{i % 2}: {r.status_code} {r.text[:200]}")
            finally:
                for c in clients:
                    c.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        errors = [_audit_errors(url) for url in urls]
        logs = "\n".join(f"--- {f.name}\n{(f / 'server.log').read_text()[-2000:]}" for _, _, f in servers)

    assert not failures, failures[:5]
    assert len(acked) == REQUESTS and sorted(acked.values()).count(0) == REQUESTS // 2
    rows = _stored(audit_url)
    ids = [request_id for request_id, _, _ in rows]
    assert len(ids) == len(set(ids)), "a decision was stored twice"
    assert set(ids) == set(acked), f"{len(set(acked) - set(ids))} acknowledged decisions are missing"
    # No write failed over to the spool (the replicas' concurrent first writes included) ...
    assert errors == [0, 0], logs
    assert not [f for _, _, f in servers if (f / "spool.jsonl").exists()]
    # ... and both replicas keyed their text HMACs alike: a text has one HMAC, whoever logged it.
    hmacs = defaultdict(set)
    for _, stored_text, digest in rows:
        hmacs[stored_text].add(digest)
    assert len(hmacs) == len(TEXTS) and all(len(d) == 1 for d in hmacs.values()), dict(hmacs)
