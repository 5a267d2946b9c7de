"""`slmguard eval`: score evaluation sets (and a user file) with detectors and write a report."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, NoReturn, Sequence

import typer

from slmguard.cli.options import BatchSize, DataDir, Progress

DEFAULT_DETECTORS = ("default", "frozen-lr", "keyword", "embedding-similarity")


def _split(values: Sequence[str] | None) -> list[str]:
    """Repeated options and comma lists alike, order kept, duplicates dropped."""
    items = [part.strip() for v in values or () for part in v.split(",")]
    return list(dict.fromkeys(i for i in items if i))


def _fail(message: str, code: int = 2) -> NoReturn:
    from rich.console import Console

    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def _exit_on(*errors: type[Exception], prefix: str = "", code: int = 2) -> Iterator[None]:
    """These errors end the command with their message on stderr instead of a traceback."""
    try:
        yield
    except errors as exc:
        _fail(f"{prefix}{exc}", code)


def _summary(run) -> None:
    from rich.console import Console
    from rich.table import Table

    from slmguard.eval.report import fmt

    table = Table(title="Detection")
    for col in ("set", "detector", "n", "precision", "recall", "F1", "AUPRC", "FPR", "flagged"):
        text = col in ("set", "detector")
        table.add_column(col, justify="left" if text else "right", overflow="fold" if text else "ellipsis")
    rows = [run.metrics[(s, d)] for s in run.sets for d in run.detectors] + [run.pooled[d] for d in run.detectors]
    last_per_set = len(rows) - len(run.detectors) - 1
    for i, m in enumerate(rows):
        d = m.detection
        table.add_row(m.set_name, m.detector, str(d.n), fmt(d.precision), fmt(d.recall), fmt(d.f1), fmt(d.auprc),
                      fmt(d.fpr), fmt(d.flag_rate), end_section=i == last_per_set)
    console = Console()
    console.print(table)
    for name, t in run.timings.items():
        speed = "–" if t.prompts_per_s is None else f"{t.prompts_per_s:.1f}"
        console.print(f"{name} ({t.model_id}): {t.n} texts in {t.seconds:.2f}s, {speed} texts/s")


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)


def eval_command(
    sets: Annotated[list[str] | None, typer.Option(
        "--sets", help="Evaluation sets (repeat or comma list). Default: every evaluation set, or none "
                       "when --file is given.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Your own labelled JSONL file.")] = None,
    text_field: Annotated[str, typer.Option("--text-field", help="Text field of --file.")] = "text",
    label_field: Annotated[str, typer.Option(
        "--label-field", help="Label field of --file: true/false, 1/0, unsafe/safe, harmful/unharmful/benign."
    )] = "label",
    categories_field: Annotated[str, typer.Option(
        "--categories-field", help="Optional hazard codes field of --file (list or comma list).")] = "categories",
    detector: Annotated[list[str] | None, typer.Option(
        "--detector", help=f"Detectors (repeat or comma list). Default: {', '.join(DEFAULT_DETECTORS)}.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Report folder.")] = Path("reports/eval"),
    data_dir: DataDir = None,
    limit: Annotated[int | None, typer.Option(
        "--limit", min=1, help="At most N examples per set, spread evenly over it (quick runs).")] = None,
    batch_size: BatchSize = 64,
    responses: Annotated[bool, typer.Option(
        "--responses", help="Also generate and judge responses (base model, guardian, cascade).")] = False,
    response_limit: Annotated[int, typer.Option(
        "--response-limit", min=1, help="Prompts per set for --responses, spread evenly.")] = 60,
    response_detection: Annotated[bool, typer.Option(
        "--response-detection/--no-response-detection",
        help="Also score each detector on responses labelled by construction (compliant answers, "
             "safeguards, refusals, ordinary answers) to evaluation prompts; generated once, then cached."
    )] = False,
    response_set_limit: Annotated[int, typer.Option(
        "--response-set-limit", min=1, help="Prompts per set for --response-detection, spread evenly.")] = 40,
    progress: Progress = True,
) -> None:
    """Score evaluation sets with detectors; write report.md, metrics.json, scores.jsonl and plots."""
    from slmguard.core.errors import DataFormatError, InputError, SlmguardError
    from slmguard.eval.report import write_report
    from slmguard.eval.runner import run_eval
    from slmguard.eval.selection import build_detectors, chosen_sets, load_sets

    detector_names = _split(detector) or list(DEFAULT_DETECTORS)
    with _exit_on(InputError):
        set_names = chosen_sets(_split(sets) if sets else None, detector_names, file is not None)
    with _exit_on(FileNotFoundError, DataFormatError):
        loaded = load_sets(set_names, data_dir, limit, file, text_field, label_field, categories_field)
    # FileNotFoundError: frozen-lr fits on the data folder
    with _exit_on(SlmguardError, FileNotFoundError, prefix="could not build a detector: ", code=1):
        detectors = build_detectors(detector_names, data_dir)
    run = run_eval(detectors, loaded, batch_size=batch_size, progress=progress)
    notes = _notes(detectors, limit, file, text_field, label_field)
    extra = _response_detection(detectors, data_dir, out, response_set_limit, batch_size, progress) \
        if response_detection else []
    report = write_report(run, out, title="slmguard evaluation", notes=notes, extra=extra)
    _summary(run)
    _beats_summary(run)
    typer.echo(f"report: {report}")
    if responses:
        _responses(loaded, detectors, out, response_limit, progress)


def _notes(detectors: dict, limit: int | None, file: Path | None, text_field: str, label_field: str) -> list[str]:
    """The report's account of what was scored: the detectors' models, a --limit, a user file."""
    notes = [f"detectors: {', '.join(f'{d} = {det.model_id}' for d, det in detectors.items())}"]
    if limit is not None:
        notes.append(f"--limit {limit}: at most {limit} examples per set, spread evenly; not the full sets")
    if file is not None:
        notes.append(f"user file: {file} (text field '{text_field}', label field '{label_field}')")
    return notes


def _beats_summary(run) -> None:
    from slmguard.eval.baseline_compare import BASELINE, TRAINED, compare_to_baseline, verdict_word
    from slmguard.eval.report import fmt

    for c in compare_to_baseline(run):
        typer.echo(f"{TRAINED} beats {BASELINE} on {c.set_name}? {verdict_word(c)} "
                   f"({c.measure}: {fmt(c.detector_value)} vs {fmt(c.baseline_value)})")


def _response_detection(detectors: dict, data_dir: Path | None, out: Path, limit: int, batch_size: int,
                        progress: bool) -> list[str]:
    """Score the response set; print a short table; the report section."""
    from rich.console import Console
    from rich.table import Table

    from slmguard.core.config import Settings
    from slmguard.eval.report import fmt
    from slmguard.eval.response_detection import run_response_detection

    try:
        root = Settings.resolve(data_dir=data_dir).require_data_dir()
    except FileNotFoundError as exc:
        _fail(str(exc))
    result = run_response_detection(detectors, root, out, limit, batch_size, progress)
    table = Table(title=f"Response detection ({len(result.items)} responses)")
    for col in ("detector", "rows", "n", "precision", "recall", "F1", "AUPRC", "FPR"):
        table.add_column(col, justify="left" if col in ("detector", "rows") else "right")
    for m in result.metrics:
        d = m.detection
        table.add_row(m.detector, m.rows, str(d.n), fmt(d.precision), fmt(d.recall), fmt(d.f1), fmt(d.auprc),
                      fmt(d.fpr))
    Console().print(table)
    return result.report_lines


def _responses(loaded: dict, detectors: dict, out: Path, limit: int, progress: bool) -> None:
    from slmguard.eval.responses import (
        response_prompts,
        run_response_eval,
        safeguard_fit,
        summarise,
        write_response_report,
    )
    from slmguard.judges.response import ResponseJudges
    from slmguard.respond.guard import Guard
    from slmguard.respond.slm_detector import SlmDetector
    from slmguard.respond.slm_guardian import SlmGuardian

    chosen = response_prompts(loaded, limit)
    if not chosen:
        _fail("--responses needs at least one of the harmful or safe evaluation sets")
    fast = detectors.get("default") or Guard.load()
    slm = detectors["slm"].slm if "slm" in detectors else SlmGuardian.load()
    guard = Guard(fast.classifier, slm=SlmDetector(slm))
    base = SlmGuardian.load(None)
    judges = ResponseJudges.default(Guard(fast.classifier))
    # Every further `slm@FOLDER` detector answers too: the ablation models, or a user's own guardian.
    extra = {name: det.slm for name, det in detectors.items() if name.startswith("slm@")}
    rows = run_response_eval(chosen, guard, base, judges, extra=extra, progress=progress)
    metrics = summarise(rows, guard.threshold)
    notes = [f"guardian: {slm.model_id} ({slm.backend}); base: {base.model_id}; cascade band {guard.band}; "
             f"at most {limit} prompts per set, spread evenly; greedy decoding"]
    report = write_response_report(rows, metrics, out, notes, fit=safeguard_fit(rows, judges.embed))
    typer.echo(f"responses: {report}")
