"""The `slmguard` command: one module per subcommand, each with a `register(app)`."""

from __future__ import annotations

import os

import typer

app = typer.Typer(
    name="slmguard",
    help="A small language model as the safety guardian of an AI application.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
train_app = typer.Typer(help="Rebuild shipped artifacts from the data (fixed seed).", no_args_is_help=True)
app.add_typer(train_app, name="train")


def _version(value: bool) -> None:
    if value:
        from slmguard import __version__

        typer.echo(f"slmguard {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """A small language model as the safety guardian of an AI application."""


def _register_all() -> None:
    from slmguard.cli import align, attack, classify, data_cmd, eval_cmd, respond, scan, serve, train

    for module in (classify, respond, scan, eval_cmd, data_cmd, align, serve, attack):
        module.register(app)
    train.register(train_app)


_register_all()


def main() -> None:
    """The console script. Offline is the command's setting, not the library's: models come from
    local folders, and an application that imports slmguard keeps its own hub settings."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    app()


if __name__ == "__main__":
    main()
