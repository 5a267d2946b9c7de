"""The server's settings: a YAML file, then `SLMGUARD_SERVE__SECTION__FIELD` environment variables,
validated at start. Errors name the file and line, or the environment variable, and the field.

```yaml
fail_mode: closed            # on a model error: closed refuses (flags), open lets the input through
model: {guardian: true}      # the SLM guardian writes safeguard responses (otherwise a fixed one)
auth:
  keys:                      # none: no authentication (the server says so at start)
    - name: web-app
      sha256: 9f86d0...      # `slmguard serve-key` makes a key and its hash; the key itself is never stored
      rate_limit_per_minute: 600
      policy: examples/policies/gambling.yaml
upstream: {url: "http://127.0.0.1:8080/v1", timeout_s: 60}
audit: {url: "sqlite:///slmguard-audit.db", text: hash}
```
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal, Mapping

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator

from slmguard.core.errors import DataFormatError
from slmguard.core.types import Backend
from slmguard.core.yaml_lines import dotted, node_line

ENV_PREFIX = "SLMGUARD_SERVE__"
CONFIG_ENV = "SLMGUARD_SERVE_CONFIG"


class ConfigError(DataFormatError):
    """An invalid server configuration (file or environment)."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelConfig(_Section):
    artifact: Path | None = Field(None, description="Detector artifact folder (default: the shipped one).")
    threshold: float | None = Field(None, gt=0.0, lt=1.0)
    category_thresholds: dict[str, float] = Field(default_factory=dict)
    policy: Path | None = Field(None, description="Default custom policy file for every request.")
    guardian: bool = Field(False, description="Load the SLM guardian to write safeguard responses.")
    guardian_artifact: Path | None = None
    cascade: bool = Field(False, description="Let the SLM re-decide the fast detector's uncertain band (slower).")
    segments: bool = Field(False, description="Also score every sentence or quoted part alone: catches wrapped "
                                              "requests, about twice the false positives.")
    max_tokens: int = Field(80, ge=1, le=512, description="Longest safeguard response the SLM writes.")
    threads: int | None = Field(None, ge=1, description="CPU threads the SLM uses for a response (default: every "
                                                        "core); fewer bound how much of the CPU one response takes.")
    backend: Backend = Field(Backend.ONNX_INT8, description="onnx-int8 (default), onnx (fp32) or torch.")


class BatchingConfig(_Section):
    max_batch: int = Field(32, ge=1, le=1024)
    max_cost: int = Field(128, ge=16, description="Model positions (tokens read): a request served less is short "
                                                  "and joins the next batch; beyond one job per short request, a "
                                                  "batch is filled up to this. Bounds how long a short request "
                                                  "waits behind a long one.")
    long_share: float = Field(0.25, gt=0.0, le=1.0, description="Share of the model's time long requests get "
                                                                 "while short ones wait.")
    max_wait_ms: float = Field(2.0, ge=0.0, le=1000.0,
                               description="How long a batch waits to fill once it has one item (only under load).")


class LimitsConfig(_Section):
    max_body_bytes: int = Field(1_000_000, ge=1024)
    body_timeout_s: float = Field(10.0, gt=0.0, description="Deadline for reading a request body.")
    max_input_chars: int = Field(32_000, ge=1, description="Characters in one text, after Unicode normalisation.")
    max_inputs: int = Field(64, ge=1, description="Texts in one moderation request.")
    max_request_tokens: int = Field(8192, ge=64, description="Tokens judged for one request, all its texts "
                                                             "together (every message of a conversation).")
    max_policy_chars: int = Field(20_000, ge=100, description="Size of an inline policy (JSON characters).")
    piece_tokens: int = Field(120, ge=32, le=126, description="A long text is judged in pieces of this many tokens "
                                                             "(one detector window each).")
    overlap_tokens: int = Field(48, ge=8, description="Tokens neighbouring pieces share: a harmful passage this "
                                                      "long lies whole inside one piece.")
    model_timeout_s: float = Field(10.0, gt=0.0, description="Deadline for a request's judging; past it the "
                                                             "fail mode applies and its unscored pieces are dropped.")

    @model_validator(mode="after")
    def _overlap(self) -> "LimitsConfig":
        if self.overlap_tokens >= self.piece_tokens:
            raise ValueError("overlap_tokens must be smaller than piece_tokens")
        return self


class ApiKey(_Section):
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="Hex SHA-256 of the key; the key is never stored.")
    rate_limit_per_minute: int | None = Field(600, ge=1, description="None: unlimited.")
    policy: Path | None = None


class AuthConfig(_Section):
    keys: list[ApiKey] = Field(default_factory=list)
    allow_remote_without_keys: bool = Field(False, description="Serve beyond loopback with no keys (not advised).")

    @model_validator(mode="after")
    def _unique(self) -> "AuthConfig":
        for field in ("name", "sha256"):
            seen: set[str] = set()
            for key in self.keys:
                value = getattr(key, field)
                if value in seen:
                    raise ValueError(f"two keys share the {field} {value!r}")
                seen.add(value)
        return self


class UpstreamConfig(_Section):
    url: str | None = Field(None, pattern=r"^https?://", description="OpenAI-compatible base URL, up to /v1.")
    api_key: SecretStr | None = Field(None, description="Sent upstream; set it through the environment.")
    timeout_s: float = Field(60.0, gt=0.0, description="Deadline for a whole answer, or for a stream's first byte.")
    stream_timeout_s: float = Field(300.0, gt=0.0, description="Deadline for a whole streamed answer.")
    models: list[str] = Field(default_factory=list, description="Models the proxy accepts (empty: any).")


class StreamConfig(_Section):
    """How a streamed answer is judged: text is held back until `check_every_chars` new characters
    have come; then the new text, with the `overlap_chars` before it, is judged before any is sent."""

    overlap_chars: int = Field(200, ge=16, description="Characters before the new text that each check reads "
                                                      "again, so that a passage split by a check is seen whole.")
    check_every_chars: int = Field(80, ge=1, description="New characters held back before a check.")


class AuditConfig(_Section):
    url: str = Field("sqlite:///slmguard-audit.db", description="SQLAlchemy database URL.")
    text: Literal["store", "hash", "drop"] = "hash"
    hash_key: SecretStr | None = Field(None, description="HMAC key for `text: hash` (default: a random key kept "
                                                         "in `hash_key_file`); set it through the environment.")
    hash_key_file: Path = Path("slmguard-audit.key")
    on_failure: Literal["spool", "reject"] = Field(
        "spool", description="Database down: spool records durably to a file and replay them later, or refuse.")
    spool: Path = Path("slmguard-audit.spool.jsonl")


class ExposeConfig(_Section):
    """Endpoints that tell a caller about the server. None: on when the server listens on loopback only."""

    metrics: bool | None = Field(None, description="GET /metrics (Prometheus).")
    openapi: bool | None = Field(None, description="GET /openapi.json.")
    cors_origins: list[str] = Field(default_factory=list, description="Web origins allowed to call the API from a "
                                                                      "browser; requests from any other origin: 403.")


LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


class ServeConfig(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    fail_mode: Literal["closed", "open"] = "closed"
    model: ModelConfig = ModelConfig()
    batching: BatchingConfig = BatchingConfig()
    limits: LimitsConfig = LimitsConfig()
    auth: AuthConfig = AuthConfig()
    upstream: UpstreamConfig = UpstreamConfig()
    stream: StreamConfig = StreamConfig()
    expose: ExposeConfig = ExposeConfig()
    audit: AuditConfig = AuditConfig()

    @property
    def loopback(self) -> bool:
        return self.host in LOOPBACK or self.host.startswith("127.")

    @model_validator(mode="after")
    def _no_open_remote(self) -> "ServeConfig":
        if not self.auth.keys and not self.loopback and not self.auth.allow_remote_without_keys:
            raise ValueError(f"host {self.host!r} would serve beyond this machine with no API keys: add auth.keys, "
                             "bind to 127.0.0.1, or set auth.allow_remote_without_keys: true")
        return self

    def exposed(self, endpoint: Literal["metrics", "openapi"]) -> bool:
        value = getattr(self.expose, endpoint)
        return self.loopback if value is None else value


def load_config(path: str | Path | None = None, env: Mapping[str, str] | None = None,
                overrides: Mapping[str, Any] | None = None) -> ServeConfig:
    """File (or $SLMGUARD_SERVE_CONFIG), then environment overrides, then `overrides` (CLI flags, as
    dotted field names); raises ConfigError naming where the bad value came from."""
    env = os.environ if env is None else env
    path = Path(path) if path else Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else None
    data: dict[str, Any] = {}
    root = None
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
            root = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text) or {}
        except FileNotFoundError:
            raise ConfigError("config file not found", path=path) from None
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"cannot read config file: {e}", path=path) from None
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            raise ConfigError(f"YAML syntax error: {e.problem}", path=path,
                              line=mark.line + 1 if mark else None) from None
        if not isinstance(data, dict):
            raise ConfigError(f"the config must be a mapping, not a {type(data).__name__}", path=path, line=1)
    sources: dict[tuple, str] = {}
    for name, raw in sorted(env.items()):
        if name.startswith(ENV_PREFIX):
            loc = tuple(part.lower() for part in name[len(ENV_PREFIX):].split("__"))
            _set(data, loc, _env_value(raw))
            sources[loc] = f"environment variable {name}"
    for field, value in (overrides or {}).items():
        if value is not None:
            loc = tuple(field.split("."))
            _set(data, loc, value)
            sources[loc] = f"option {field}"
    try:
        return ServeConfig.model_validate(data)
    except ValidationError as e:
        problem = e.errors(include_url=False)[0]
        loc = tuple(problem["loc"])
        source = next((s for n in range(len(loc), 0, -1) if (s := sources.get(tuple(map(str, loc[:n]))))), None)
        message = f"{problem['msg']} (from {source})" if source else str(problem["msg"])
        if problem["type"] == "extra_forbidden":
            message = "unknown setting" + (f" (from {source})" if source else "")
        raise ConfigError(message, path=None if source else path, line=None if source else node_line(root, loc),
                          field=dotted(loc) or None) from None


def _env_value(raw: str) -> Any:
    # YAML scalars give environment values their types (8000, true, 0.5); anything else stays text.
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw
    return value if isinstance(value, (int, float, bool, list)) else raw


def _set(data: dict, loc: tuple[str, ...], value: Any) -> None:
    node = data
    for part in loc[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[loc[-1]] = value
