"""`slmguard respond`, `scan --respond` and `eval --responses` with the real shipped guardian."""

from __future__ import annotations

import json

import pytest

from conftest import UNSAFE_PROMPT, write_jsonl
from test_cli_real import run

pytestmark = pytest.mark.shipped


def test_respond_json_gives_a_safeguard_only_for_unsafe_prompts():
    out = run("respond", "--json", "--max-tokens", "40", UNSAFE_PROMPT,
              "Write a short poem about autumn leaves.")
    assert out.returncode == 0, out.stderr
    bomb, poem = [json.loads(line) for line in out.stdout.strip().splitlines()]
    assert bomb["unsafe"] is True and bomb["response"] and bomb["decided_by"] in ("fast", "slm")
    assert poem["unsafe"] is False and poem["response"] is None


def test_respond_rejects_a_bad_band():
    out = run("respond", "--band", "0.9,0.1", "hello")
    assert out.returncode == 2 and "--band" in out.stderr


def test_scan_respond_writes_responses_and_keeps_bad_rows_aside(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"text": UNSAFE_PROMPT}, "{oops",
                                              {"text": "Plan a birthday party for my son."}])
    out = run("scan", str(src), "-o", str(tmp_path / "out.jsonl"), "--respond")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line)["slmguard"] for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["line"] for r in rows] == [1, 3]
    assert rows[0]["unsafe"] and rows[0]["response"] and rows[1]["response"] is None
    assert "line" in (tmp_path / "out.rejects.jsonl").read_text()


def test_eval_responses_writes_the_response_report(tmp_path, real_data_dir):
    out = run("eval", "--sets", "simple_safety_tests,xstest_dev", "--detector", "default,slm,cascade",
              "--limit", "40", "--responses", "--response-limit", "3", "--no-progress", "--out", str(tmp_path))
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "responses.md").read_text()
    assert "| simple_safety_tests | safe responses | 3 |" in text and "| xstest_dev | refusals | 3 |" in text
    assert "base (no adapter)" in text and "cascade + base app" in text
    assert (tmp_path / "responses.png").is_file()
    metrics = (tmp_path / "report.md").read_text()
    assert "slm" in metrics and "cascade" in metrics
