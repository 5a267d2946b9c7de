"""Write an evaluation run to a folder: report.md, metrics.json, scores.jsonl and PNG plots."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Sequence

from slmguard.core.types import Label
from slmguard.eval import plots
from slmguard.eval.baseline_compare import BASELINE, TRAINED, compare_to_baseline, verdict_word
from slmguard.eval.metrics import POOLED, SetMetrics
from slmguard.eval.runner import EvalRun

PLOTS: tuple[tuple[str, str, Callable[[EvalRun, Path], bool]], ...] = (
    ("pr_curves.png", "Precision-recall curves", plots.pr_curves),
    ("category_recall.png", "Recall per hazard category", plots.category_recall),
    ("score_histograms.png", "Score distributions, safe vs unsafe", plots.score_histograms),
)


def set_license(name: str) -> str:
    from slmguard.data import DATASETS

    return DATASETS.get(name).license if name in DATASETS else "user file"


def fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return lines + [""]


def _detection_row(m: SetMetrics) -> list[object]:
    d = m.detection
    return [m.set_name, m.detector, d.n, d.n_unsafe, d.n_safe, fmt(d.precision), fmt(d.recall), fmt(d.f1),
            fmt(d.auprc), fmt(d.fpr), fmt(d.flag_rate), fmt(m.top1_hazard)]


def _all_metrics(run: EvalRun) -> list[SetMetrics]:
    return [run.metrics[(s, d)] for s in run.sets for d in run.detectors] + [run.pooled[d] for d in run.detectors]


def write_scores(run: EvalRun, path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for det in run.detectors:
            for s in run.sets:
                for e, v in run.scored(s, det):
                    fh.write(json.dumps({
                        "set": s, "id": e.id, "detector": det,
                        "label": e.label.value if e.label is not None else None,
                        "score": round(v.score, 6), "unsafe": v.unsafe, "categories": v.categories,
                        "reference_categories": list(e.categories),
                    }, ensure_ascii=False) + "\n")


def write_metrics(run: EvalRun, path: Path, title: str) -> None:
    data = {
        "title": title,
        "started_at": run.started_at,
        "batch_size": run.batch_size,
        "sets": {s: {"n": len(ex), "license": set_license(s)} for s, ex in run.sets.items()},
        "detectors": {d: {"model_id": t.model_id, "n": t.n, "seconds": round(t.seconds, 4),
                          "prompts_per_s": t.prompts_per_s} for d, t in run.timings.items()},
        "results": [asdict(m) for m in _all_metrics(run)],
        "beats_baseline": [{**asdict(c), "beats": c.beats} for c in compare_to_baseline(run)],
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _baseline_lines(run: EvalRun) -> list[str]:
    comparisons = compare_to_baseline(run)
    if not comparisons:
        return []
    lines = ["## Beats baseline?", "",
             f"`{TRAINED}` against `{BASELINE}` (frozen MiniLM + logistic regression on the pools' origin labels) "
             "at a shared operating point, never at each one's own threshold. Sets with both classes and the pooled "
             "row: AUPRC. Harmful-only sets: recall with each detector's threshold set so that its FPR on the safe "
             f"prompts of xstest_dev and alpaca_eval is at most `{BASELINE}`'s there at its own threshold. Safe-only "
             "sets: FPR (lower is better) with each threshold set so that recall on all unsafe examples is at least "
             f"`{BASELINE}`'s.", ""]
    rows = [[c.set_name, c.measure, fmt(c.detector_value), fmt(c.baseline_value), verdict_word(c)] for c in comparisons]
    return lines + table(["set", "measure", TRAINED, BASELINE, "beats baseline?"], rows)


def _markdown(run: EvalRun, title: str, notes: Sequence[str], drawn: list[tuple[str, str]],
              extra: Sequence[str] = ()) -> str:
    lines = [f"# {title}", "", f"Run started {run.started_at}; batch size {run.batch_size}.", ""]
    if notes:
        lines += [f"- {n}" for n in notes] + [""]
    lines += ["## Sets", ""]
    set_rows = []
    for s, ex in run.sets.items():
        unsafe = sum(1 for e in ex if e.label is Label.UNSAFE)
        safe = sum(1 for e in ex if e.label is Label.SAFE)
        set_rows.append([s, len(ex), unsafe, safe, set_license(s)])
    lines += table(["set", "n", "unsafe", "safe", "license"], set_rows)
    lines += ["## Detection", "",
              "Precision, F1 and AUPRC need both classes and read `–` on single-class sets; recall needs "
              "unsafe examples and the false-positive rate (FPR) safe ones; `n` counts labelled examples. "
              "Flagged: share of all the set's examples flagged unsafe, labelled or not: all a set without "
              "reference labels reports. Top-1 hazard: share of the unsafe examples with reference categories whose "
              "top-scored hazard is one of them. The pooled rows concatenate every set's labelled examples, so they "
              "depend on the sets' sizes.", ""]
    lines += table(["set", "detector", "n", "unsafe", "safe", "precision", "recall", "F1", "AUPRC", "FPR",
                    "flagged", "top-1 hazard"],
                    [_detection_row(m) for m in _all_metrics(run)])
    lines += _baseline_lines(run)
    # One row per category, a recall and a hit column per detector: the reference counts are shared.
    per_det = {d: {c.code: c for c in run.pooled[d].categories} for d in run.detectors}
    codes = list(dict.fromkeys(code for d in run.detectors for code in per_det[d]))
    if codes:
        first = {code: next(per_det[d][code] for d in run.detectors if code in per_det[d]) for code in codes}
        cat_rows = [[code, first[code].name, first[code].n_unsafe]
                    + [fmt(per_det[d][code].recall if code in per_det[d] else None) + " / "
                       + fmt(per_det[d][code].hit_rate if code in per_det[d] else None) for d in run.detectors]
                    for code in codes]
        lines += ["## Per category (all sets)", "",
                  "Each cell: recall / category hit. Recall: share of the category's unsafe examples flagged unsafe. "
                  "Category hit: share flagged unsafe whose reference code is among the verdict's categories "
                  "(scores at or above their thresholds).", ""]
        lines += table(["code", "category", "unsafe n", *run.detectors], cat_rows)
    lines += ["## Speed", "", "Time inside `classify_batch` only; loading is not counted. Not a benchmark.", ""]
    lines += table(["detector", "model", "texts", "seconds", "texts/s"],
                    [[d, t.model_id, t.n, f"{t.seconds:.2f}",
                      "–" if t.prompts_per_s is None else f"{t.prompts_per_s:.1f}"] for d, t in run.timings.items()])
    lines += list(extra)  # sections other parts of the run add (response detection)
    if drawn:
        lines += ["## Plots", ""]
        for name, caption in drawn:
            lines += [f"### {caption}", "", f"![{caption}]({name})", ""]
    lines += ["Files: `metrics.json` (every number above), `scores.jsonl` (one line per example per detector).", ""]
    return "\n".join(lines)


def write_report(run: EvalRun, out_dir: Path, title: str = "slmguard evaluation",
                 notes: Sequence[str] = (), extra: Sequence[str] = ()) -> Path:
    """Write the report folder and return the path of report.md; `extra` are Markdown lines of
    further sections, placed before the plots."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_scores(run, out_dir / "scores.jsonl")
    write_metrics(run, out_dir / "metrics.json", title)
    drawn = []
    for name, caption, draw in PLOTS:
        target = out_dir / name
        if draw(run, target):
            drawn.append((name, caption))
        else:
            # A plot left from an earlier run in the same folder would no longer match the report.
            target.unlink(missing_ok=True)
    report = out_dir / "report.md"
    report.write_text(_markdown(run, title, notes, drawn, extra), encoding="utf-8")
    return report


__all__ = ["POOLED", "set_license", "write_report", "write_scores", "write_metrics"]
