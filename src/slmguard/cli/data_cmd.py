"""`slmguard data`: the data set registry and file checks."""

from __future__ import annotations

import typer

from slmguard.cli.options import DataDir

data_app = typer.Typer(help="List and check the registered data sets.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")


@data_app.command("list")
def list_sets(data_dir: DataDir = None) -> None:
    """Every registered set with its role, license and row count."""
    from rich.console import Console
    from rich.table import Table

    from slmguard.core.config import Settings
    from slmguard.data import DATASETS, load

    settings = Settings.resolve(data_dir)
    table = Table("name", "role", "license", "rows", "description")
    for name, spec in DATASETS.items():
        try:
            rows = str(len(load(name, settings.require_data_dir()).examples))
        except (FileNotFoundError, ValueError) as exc:
            rows = f"[red]{exc}[/]"
        table.add_row(name, spec.role.value, spec.license, rows, spec.description)
    Console().print(table)


@data_app.command("check")
def check(name: str, data_dir: DataDir = None, lenient: bool = typer.Option(False)) -> None:
    """Load one set; strict mode stops at the first bad row, lenient mode lists every skipped row."""
    from slmguard.core.config import Settings
    from slmguard.core.errors import DataFormatError
    from slmguard.data import load

    try:
        result = load(name, Settings.resolve(data_dir).require_data_dir(), lenient=lenient)
    except (DataFormatError, FileNotFoundError, KeyError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo(f"{name}: {len(result.examples)} rows, {len(result.skipped)} skipped")
    for err in result.skipped:
        typer.echo(f"  skipped {err}")
