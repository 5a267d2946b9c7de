"""Server config: file, then environment, then flags; errors say where the bad value came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from slmguard.serve.auth import hash_key
from slmguard.serve.config import ConfigError, ServeConfig, load_config


def test_defaults_without_a_file():
    cfg = load_config(env={})
    assert cfg == ServeConfig()
    assert cfg.fail_mode == "closed" and cfg.audit.url.startswith("sqlite:///") and cfg.auth.keys == []


def test_file_then_environment_then_flags(tmp_path):
    path = tmp_path / "serve.yaml"
    path.write_text(f"port: 9000\nfail_mode: open\nauth:\n  keys:\n    - name: web\n      sha256: {hash_key('k')}\n"
                    "upstream:\n  url: http://localhost:1/v1\n")
    env = {"SLMGUARD_SERVE__PORT": "9100", "SLMGUARD_SERVE__UPSTREAM__API_KEY": "sk-secret",
           "SLMGUARD_SERVE__BATCHING__MAX_WAIT_MS": "0.5", "OTHER": "x"}
    cfg = load_config(path, env=env, overrides={"host": "0.0.0.0", "port": None})
    assert (cfg.port, cfg.host, cfg.fail_mode) == (9100, "0.0.0.0", "open")
    assert cfg.upstream.api_key.get_secret_value() == "sk-secret" and "sk-secret" not in repr(cfg)
    assert cfg.batching.max_wait_ms == 0.5 and cfg.auth.keys[0].name == "web"


def test_example_config_is_valid():
    example = Path(__file__).resolve().parents[2] / "examples" / "serve.yaml"
    cfg = load_config(example, env={})
    assert cfg.model.guardian and cfg.upstream.url and cfg.audit.text == "hash"


def test_config_file_from_the_environment(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("port: 1234\n")
    assert load_config(env={"SLMGUARD_SERVE_CONFIG": str(path)}).port == 1234


@pytest.mark.parametrize("text, line, field, says", [
    ("port: 8000\nfail_mode: sideways\n", 2, "fail_mode", "'closed' or 'open'"),
    ("port: 8000\nlimits:\n  max_body_bytes: 10\n", 3, "limits.max_body_bytes", "greater than or equal to 1024"),
    ("auth:\n  keys:\n    - name: a\n      sha256: not-a-hash\n", 4, "auth.keys[0].sha256", "pattern"),
    ("audit:\n  txt: store\n", 2, "audit.txt", "unknown setting"),
    ("upstream:\n  url: localhost:8080\n", 2, "upstream.url", "pattern"),
])
def test_bad_file_names_line_and_field(tmp_path, text, line, field, says):
    path = tmp_path / "serve.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as e:
        load_config(path, env={})
    assert (e.value.line, e.value.field) == (line, field)
    assert says in str(e.value) and str(path) in str(e.value)


def test_duplicate_key_names_are_refused(tmp_path):
    path = tmp_path / "serve.yaml"
    keys = "".join(f"    - {{name: a, sha256: {hash_key(k)}}}\n" for k in "12")
    path.write_text(f"auth:\n  keys:\n{keys}")
    with pytest.raises(ConfigError, match="two keys share the name 'a'"):
        load_config(path, env={})


def test_bad_environment_value_names_the_variable():
    with pytest.raises(ConfigError) as e:
        load_config(env={"SLMGUARD_SERVE__LIMITS__MAX_INPUTS": "many"})
    assert "SLMGUARD_SERVE__LIMITS__MAX_INPUTS" in str(e.value) and e.value.field == "limits.max_inputs"
    with pytest.raises(ConfigError, match="unknown setting .*SLMGUARD_SERVE__COLOUR"):
        load_config(env={"SLMGUARD_SERVE__COLOUR": "red"})


@pytest.mark.parametrize("text, says", [("port: [1\n", "YAML syntax error"), ("- 1\n- 2\n", "must be a mapping")])
def test_unreadable_files(tmp_path, text, says):
    path = tmp_path / "serve.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=says):
        load_config(path, env={})
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.yaml", env={})
