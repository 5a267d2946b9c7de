"""`slmguard serve`: the guard server; `slmguard serve-key`: a new API key and its hash;
`slmguard upstream-stub`: a scripted OpenAI-compatible chat server to put behind the proxy."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("serve-key")(serve_key)
    app.command("upstream-stub")(upstream_stub)


def serve(
    config: Optional[Path] = typer.Option(None, "--config", "-c",
                                          help="YAML config file \\[default: $SLMGUARD_SERVE_CONFIG, else built-in]."),
    host: Optional[str] = typer.Option(None, help="Bind address (overrides the config)."),
    port: Optional[int] = typer.Option(None, help="Port (overrides the config)."),
    upstream: Optional[str] = typer.Option(None, help="OpenAI-compatible upstream base URL for the chat proxy."),
    guardian: Optional[bool] = typer.Option(None, "--guardian/--no-guardian",
                                            help="Load the SLM guardian to write safeguard responses."),
    fail_mode: Optional[str] = typer.Option(None, help="On a model error: closed (refuse) or open (let through)."),
    audit_url: Optional[str] = typer.Option(None, help="SQLAlchemy URL of the audit database."),
    log_level: str = typer.Option("info", help="uvicorn log level."),
) -> None:
    """Serve /v1/moderations, /v1/guard, the guarded /v1/chat/completions proxy, /healthz, /v1/status and /metrics."""
    import uvicorn

    from slmguard.core.errors import SlmguardError
    from slmguard.serve.app import create_app
    from slmguard.serve.config import load_config

    overrides = {"host": host, "port": port, "upstream.url": upstream, "model.guardian": guardian,
                 "fail_mode": fail_mode, "audit.url": audit_url}
    try:
        cfg = load_config(config, overrides=overrides)
        app = create_app(cfg)
    except SlmguardError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    uvicorn.run(app, host=cfg.host, port=cfg.port, log_level=log_level, access_log=False)


def serve_key(name: str = typer.Argument("default", help="The key's name in the config.")) -> None:
    """Print a new API key (give it to the client) and the config entry with its hash (the key is not stored)."""
    from slmguard.serve.auth import new_key

    key, digest = new_key()
    typer.echo(f"key (shown once): {key}")
    typer.echo(f"config entry:\n  auth:\n    keys:\n      - name: {name}\n        sha256: {digest}")


def upstream_stub(
    port: int = typer.Option(8081, help="Port."),
    reply: str = typer.Option("Here is a short, friendly answer to your question.", help="The answer it gives."),
) -> None:
    """A scripted OpenAI-compatible chat server (no model): stands in for an LLM app behind the proxy."""
    import uvicorn

    from slmguard.serve.upstream_stub import create_upstream_app

    uvicorn.run(create_upstream_app(default_reply=reply), host="127.0.0.1", port=port, log_level="warning")
