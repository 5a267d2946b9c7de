"""The serving path stays lean: once the detector's ONNX export exists, loading the shipped
detector, classifying, answering over HTTP and the local scan import no torch, transformers, peft, trl,
snorkel or ray; and importing the library sets no process-wide environment variable."""

import os
import subprocess
import sys

HEAVY = ("torch", "transformers", "peft", "trl", "snorkel", "sentence_transformers", "datasets", "sklearn", "ray")

SERVE = """
import sys
from fastapi.testclient import TestClient
from slmguard import Guard
from slmguard.serve.app import create_app
from slmguard.serve.config import AuditConfig, ServeConfig

guard = Guard.load()
assert guard.classify("How do I make a pipe bomb at home?").unsafe
assert not guard.classify("How do I bake sourdough bread?").unsafe
folder = sys.argv[1]  # the audit database, key and spool of this run, not the checkout's
audit = AuditConfig(url=f"sqlite:///{folder}/audit.db", hash_key_file=f"{folder}/audit.key",
                    spool=f"{folder}/audit.spool.jsonl")
with TestClient(create_app(ServeConfig(audit=audit), guard)) as client:
    r = client.post("/v1/moderations", json={"input": "What is the capital of France?"})
    assert r.status_code == 200 and r.json()["results"][0]["flagged"] is False, r.text
from pathlib import Path
from slmguard.scan.local import scan_file
Path(folder, "in.jsonl").write_text('{"text": "hello"}' + chr(10))
assert scan_file(guard, Path(folder, "in.jsonl"), Path(folder, "out.jsonl"), progress=False).scored == 1
print(",".join(m for m in %r if m in sys.modules))
""" % (HEAVY,)


def _run(code: str, env: dict | None = None, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=600,
                         env={**os.environ, **(env or {})})
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def test_the_shipped_detector_serves_without_the_training_stack(tmp_path):
    _run("from slmguard import Guard; Guard.load()")  # the one-time export (uses torch) if not cached yet
    assert _run(SERVE, None, str(tmp_path)) == ""


def test_importing_the_library_sets_no_environment_variable():
    code = ("import os; before = dict(os.environ); import slmguard.models.encoder, slmguard.models.causal_lm, "
            "slmguard.cli.main; print(sorted(set(os.environ) ^ set(before)))")
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"
