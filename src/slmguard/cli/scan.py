"""`slmguard scan`: score a JSONL file in batches (or, with `--engine ray`, JSONL or Parquet files on a
Ray cluster); re-running the same command resumes."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer


def register(app: typer.Typer) -> None:
    app.command("scan")(scan)


def scan(
    in_path: Path = typer.Argument(..., metavar="IN", help="JSONL input, one object per line (with --engine ray: "
                                                          "JSONL or Parquet files, a folder or a glob of them)."),
    out_path: Path = typer.Option(..., "--out", "-o", metavar="OUT",
                                  help="Output: each input object plus a 'slmguard' verdict (with --engine ray: a "
                                       "folder of parts). Resumed if it exists."),
    field: str = typer.Option("text", "--field", help="Key holding the text or the list of {role, content} messages."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="Rows scored per call; OUT is synced after each."),
    rejects: Optional[Path] = typer.Option(None, "--rejects", help="Where bad rows go \\[default: OUT.rejects.jsonl]."),
    threshold: Optional[float] = typer.Option(None, "--threshold", min=0.0, max=1.0,
                                              help="Unsafe threshold on the overall score."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Custom policy file."),
    max_chars: int = typer.Option(100_000, "--max-chars", min=1,
                                  help="Longest text scored; longer rows go to the rejects file."),
    respond: bool = typer.Option(False, "--respond",
                                 help="Cascade with the SLM guardian and write a safeguard response for unsafe rows."),
    engine: str = typer.Option("local", "--engine", help="local (one process) or ray (Ray Data; pip install "
                                                         "'slmguard\\[ray]')."),
    address: Optional[str] = typer.Option(None, "--address", help="Ray cluster: auto, ray://host:port \\[default: a "
                                                                  "local cluster for the run]."),
    workers: int = typer.Option(2, "--workers", min=1, help="Ray workers, each with one loaded guard."),
    part_rows: int = typer.Option(5_000, "--part-rows", min=1, help="Rows per Ray part (the unit of resuming)."),
) -> None:
    """Score every row of IN into OUT; bad rows go to a rejects file with their line."""
    from rich.console import Console

    _check_files(Console(stderr=True), None if engine == "ray" else in_path, policy)
    if engine not in ("local", "ray"):
        raise typer.BadParameter("expected local or ray", param_hint="--engine")
    if engine == "ray":
        _scan_ray(str(in_path), out_path, field, batch_size, threshold, policy, max_chars, respond, address, workers,
                  part_rows)
    else:
        _scan_local(in_path, out_path, field, batch_size, rejects, threshold, policy, max_chars, respond)


def _scan_local(in_path: Path, out_path: Path, field: str, batch_size: int, rejects: Path | None,
                threshold: float | None, policy: Path | None, max_chars: int, respond: bool) -> None:
    from rich.console import Console

    from slmguard.respond.guard import Guard
    from slmguard.scan.local import scan_file
    from slmguard.scan.rows import Responder

    err = Console(stderr=True)
    with _reported(err, f"scored rows are saved in {out_path}"):
        guard = Guard.load(threshold=threshold, policy=policy, guardian=respond)
        summary = scan_file(Responder(guard) if respond else guard, in_path, out_path, field=field,
                            batch_size=batch_size, rejects_path=rejects, max_chars=max_chars)
    out = Console()
    out.print(f"[bold]scored[/] {summary.scored}  [bold]already in output[/] {summary.skipped_existing}  "
              f"[bold]rejected[/] {summary.rejected}")
    out.print(f"output:  {summary.out_path}")
    if summary.rejected:
        out.print(f"[yellow]rejects:[/] {summary.rejects_path} ({summary.rejected} row(s) with line and reason)")
    if summary.interrupted:
        _stopped(err, f"the rows scored so far are saved in {out_path}")


@contextmanager
def _reported(err, saved: str) -> Iterator[None]:
    """A scan's errors as exit 2 with the message, a Ctrl-C as exit 130 with what is kept."""
    from slmguard.core.errors import SlmguardError

    try:
        yield
    except SlmguardError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        _stopped(err, saved)


def _stopped(err, saved: str) -> None:
    err.print(f"interrupted; {saved}. Run the same command again to resume.")
    raise typer.Exit(130)


def _check_files(err, in_path: Path | None, policy: Path | None) -> None:
    for label, path in (("input file", in_path), ("policy file", policy)):
        if path is not None and not path.is_file():
            err.print(f"[red]error:[/] {label} not found: {path}")
            raise typer.Exit(2)


def _scan_ray(inputs: str, out_dir: Path, field: str, batch_size: int, threshold: float | None, policy: Path | None,
              max_chars: int, respond: bool, address: str | None, workers: int, part_rows: int) -> None:
    from rich.console import Console

    err = Console(stderr=True)
    try:
        import ray  # noqa: F401  (a missing extra fails here, before any work)

        from slmguard.scan.ray_engine import GuardSpec, RayScanConfig, scan_ray
    except ImportError:
        err.print("[red]error:[/] --engine ray needs Ray: pip install 'slmguard[ray]'")
        raise typer.Exit(2) from None
    spec = GuardSpec(threshold=threshold, policy=str(policy.resolve()) if policy else None, respond=respond)
    config = RayScanConfig(address=address, workers=workers, batch_size=batch_size, part_rows=part_rows, field=field,
                           max_chars=max_chars)
    with _reported(err, f"finished parts are saved in {out_dir}"):
        summary = scan_ray(spec, inputs, out_dir, config)
    Console().print(f"[bold]rows[/] {summary.rows}  [bold]flagged[/] {summary.flagged}  [bold]rejected[/] "
                    f"{summary.rejected}  [bold]rows/s[/] {summary.rows_per_s:.1f}  [bold]parts[/] {summary.parts} "
                    f"({summary.skipped_parts} already done)\noutput:  {out_dir}\nrejects: {summary.rejects_path}")
    if summary.interrupted:
        _stopped(err, f"finished parts are saved in {out_dir}")
