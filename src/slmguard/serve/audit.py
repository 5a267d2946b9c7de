"""The audit log: every decision, durable before the client hears of it.

Records go through SQLAlchemy to any database URL (SQLite by default, in WAL mode with
`synchronous=FULL`, so a committed row survives a crash or power loss). A writer thread commits
whatever has queued in one transaction (group commit), and each request waits for its own commit
before it answers: an acknowledged decision is always on disk.

When the database is unavailable, `on_failure="spool"` appends the records to a JSONL spool file
(flushed and fsynced) and replays them into the database once it answers again; "reject" fails
the request (503) instead. If the spool cannot be written either, the request fails: nothing is
acknowledged that is not stored somewhere durable.

Several server processes (replicas behind a load balancer) may share one database: each inserts
its own records (random ids, so none collide), the first write of each creates the table if it is
missing and tolerates another replica creating it at the same moment, and the HMAC key file is
created atomically, so replicas started together on one key file share one key. Each replica needs
its own spool file. PostgreSQL cannot store a NUL character in text: there a NUL in a stored text is
written as U+FFFD (the HMAC is of the text as received).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import queue
import secrets
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Literal

from sqlalchemy import (JSON, Boolean, Column, Float, MetaData, String, Table, Text, create_engine, event, inspect,
                        select)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

log = logging.getLogger("slmguard.serve.audit")
_REPLAY_CHUNK = 1000

metadata = MetaData()
decisions = Table(
    "decisions", metadata,
    Column("id", String(36), primary_key=True),
    Column("created_at", Float, nullable=False, index=True),
    Column("request_id", String(64), nullable=False, index=True),
    Column("endpoint", String(64), nullable=False),
    Column("api_key", String(64)),
    Column("kind", String(16), nullable=False),
    Column("action", String(32), nullable=False),
    Column("flagged", Boolean, nullable=False),
    Column("score", Float),
    Column("categories", JSON, nullable=False),
    Column("model_id", String(200)),
    Column("fail_mode", String(8)),
    Column("error", Text),
    Column("text", Text),
    Column("text_hmac", String(64)),
)


class AuditUnavailable(Exception):
    """The decision could not be stored anywhere durable."""


@dataclass(frozen=True)
class AuditRecord:
    id: str
    created_at: float
    request_id: str
    endpoint: str
    api_key: str | None
    kind: str
    action: str
    flagged: bool
    score: float | None
    categories: list[str]
    model_id: str | None
    fail_mode: str | None
    error: str | None
    text: str | None
    text_hmac: str | None

    @classmethod
    def make(cls, *, text: str, text_mode: Literal["store", "hash", "drop"], hash_key: bytes,
             **fields) -> "AuditRecord":
        # Keyed: with a plain SHA-256 anyone holding the log could confirm a guessed prompt.
        digest = hmac.new(hash_key, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest() \
            if text_mode != "drop" else None
        return cls(id=str(uuid.uuid4()), created_at=time.time(), text=text if text_mode == "store" else None,
                   text_hmac=digest, **fields)


def private_file(path: Path) -> None:
    """Create `path` readable by its owner only (or make it so): the log holds what users wrote."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


def audit_hash_key(configured: str | None, key_file: Path) -> bytes:
    """The audit HMAC key: the configured one, else the one in `key_file` (made on first use)."""
    if configured:
        return configured.encode("utf-8")
    try:
        text = key_file.read_text()
    except FileNotFoundError:
        key = secrets.token_bytes(32)
        if _create_once(key_file, key.hex() + "\n"):
            return key
        text = key_file.read_text()  # another replica made it first: its key is the key
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if not key:
        raise ValueError(f"{key_file}: the audit hash key file does not hold a hex key")
    return key


def _create_once(path: Path, text: str) -> bool:
    """Write `path` (owner-only) whole, unless it exists: False then. A reader never sees it half
    written, and of two processes creating it at once exactly one succeeds."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)
        return True
    except FileExistsError:
        return False
    finally:
        os.unlink(tmp)


def _sqlite_durable(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(conn, _record) -> None:  # noqa: ANN001 - DBAPI connection
        cur = conn.cursor()
        cur.execute("PRAGMA busy_timeout=5000")  # first: another replica may hold the lock WAL mode needs
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()


class AuditLog:
    def __init__(self, url: str, spool: Path, on_failure: Literal["spool", "reject"] = "spool",
                 on_error: Callable[[str], None] | None = None) -> None:
        self.url, self.spool, self.on_failure = url, Path(spool), on_failure
        self.on_error = on_error or (lambda _: None)
        self.engine = create_engine(url, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            _sqlite_durable(self.engine)
        self._ready = False
        self._pending: queue.Queue[tuple[list[AuditRecord], Callable[[BaseException | None], None]] | None] = \
            queue.Queue()
        self._thread = threading.Thread(target=self._writer, name="slmguard-audit", daemon=True)
        self._thread.start()

    async def write(self, records: list[AuditRecord]) -> None:
        """Returns once the records are durable; raises AuditUnavailable otherwise."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future = loop.create_future()

        def finish(error: BaseException | None) -> None:
            loop.call_soon_threadsafe(_settle, done, error)

        self._pending.put((records, finish))
        await done

    def close(self) -> None:
        self._pending.put(None)
        self._thread.join(timeout=10)
        self.engine.dispose()

    def spooled(self) -> int:
        try:
            with self.spool.open("rb") as fh:
                return sum(1 for line in fh if line.strip())
        except FileNotFoundError:
            return 0

    def _writer(self) -> None:
        while True:
            first = self._pending.get()
            if first is None:
                return
            jobs = [first]
            while True:
                try:
                    job = self._pending.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    self._pending.put(None)
                    break
                jobs.append(job)
            rows = [r for records, _ in jobs for r in records]
            error = self._store(rows)
            for _, finish in jobs:
                finish(error)

    def _store(self, rows: list[AuditRecord]) -> BaseException | None:
        try:
            self._insert(rows)
            return None
        except Exception as db_error:  # noqa: BLE001 - any database failure counts as unavailable
            self._ready = False
            self.on_error("database")
            log.warning("audit database unavailable (%s): %s", self.url, db_error)
            if self.on_failure == "reject":
                return AuditUnavailable(f"audit database unavailable: {type(db_error).__name__}")
            try:
                self._append_spool(rows)
                return None
            except OSError as spool_error:
                self.on_error("spool")
                return AuditUnavailable(f"audit database and spool file unavailable: {spool_error}")

    def _insert(self, rows: list[AuditRecord]) -> None:
        if not self._ready:
            self._private_database()
            self._create_table()
            self._ready = True
            self._replay_spool()
        with self.engine.begin() as conn:
            conn.execute(decisions.insert(), [self._row(asdict(r)) for r in rows])

    def _create_table(self) -> None:
        """Create the table if it is missing. Replicas started together on a new database all find
        it missing; one CREATE wins and the others fail ("already exists", or on PostgreSQL a unique
        violation in its catalog), which is no failure once the table is there."""
        try:
            metadata.create_all(self.engine)
        except DBAPIError:
            if not inspect(self.engine).has_table(decisions.name):
                raise

    def _row(self, row: dict) -> dict:
        if self.engine.dialect.name == "postgresql":  # its text type cannot hold NUL
            for field in ("text", "error"):
                if row[field] and "\x00" in row[field]:
                    row[field] = row[field].replace("\x00", "\ufffd")
        return row

    def _private_database(self) -> None:
        """An SQLite file is created owner-only before SQLite opens it (SQLite gives its -wal and
        -shm files the database file's mode); one made by an earlier version is made so."""
        database = self.engine.url.database if self.engine.dialect.name == "sqlite" else None
        if database and database != ":memory:":
            for path in (Path(database), Path(database + "-wal"), Path(database + "-shm")):
                if path == Path(database) or path.exists():
                    private_file(path)

    def _append_spool(self, rows: list[AuditRecord]) -> None:
        private_file(self.spool)
        with self.spool.open("a", encoding="utf-8") as fh:
            fh.write("".join(json.dumps(asdict(r)) + "\n" for r in rows))
            fh.flush()
            os.fsync(fh.fileno())

    def _replay_spool(self) -> None:
        """Move spooled records into the database; a record already there (a replay cut short after
        its commit) is skipped, so none is stored twice."""
        if not self.spool.exists():
            return
        rows = []
        for line in self.spool.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line torn by a crash mid-append was never acknowledged
        with self.engine.begin() as conn:
            # In chunks: one IN list for a long outage's spool passes PostgreSQL's limit of 65,535
            # parameters (SQLite's is 32,766 in some builds), and then every replay failed.
            for start in range(0, len(rows), _REPLAY_CHUNK):
                chunk = rows[start:start + _REPLAY_CHUNK]
                ids = [r["id"] for r in chunk]
                present = {i for (i,) in conn.execute(select(decisions.c.id).where(decisions.c.id.in_(ids)))}
                fresh = [self._row(r) for r in chunk if r["id"] not in present]
                if fresh:
                    conn.execute(decisions.insert(), fresh)
        self.spool.unlink()
        log.info("replayed %d spooled audit records", len(rows))


def _settle(future: asyncio.Future, error: BaseException | None) -> None:
    if future.done():
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)
