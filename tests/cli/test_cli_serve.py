"""`slmguard serve-key` and `slmguard serve` refusing a bad config before it starts."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from slmguard.cli.main import app
from slmguard.serve.auth import hash_key


def test_serve_key_prints_a_key_and_its_hash():
    out = CliRunner().invoke(app, ["serve-key", "web"]).output
    key = re.search(r"key \(shown once\): (\S+)", out).group(1)
    assert f"sha256: {hash_key(key)}" in out and "name: web" in out


def test_serve_refuses_a_bad_config(tmp_path):
    path = tmp_path / "serve.yaml"
    path.write_text("port: 8000\nfail_mode: maybe\n")
    result = CliRunner().invoke(app, ["serve", "--config", str(path)])
    assert result.exit_code == 2
    assert f"{path}:2" in result.output and "fail_mode" in result.output


def test_serve_refuses_a_bad_flag():
    result = CliRunner().invoke(app, ["serve", "--fail-mode", "sideways"], env={})
    assert result.exit_code == 2 and "option fail_mode" in result.output
