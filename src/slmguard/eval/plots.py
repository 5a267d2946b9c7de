"""PNG plots of an evaluation run.

Figures are built with matplotlib's object API on the Agg canvas, never pyplot, so plotting
touches no global backend state and works headless. Each function returns False and writes
nothing when the run holds no data it could draw.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Callable, Mapping, Sequence

from slmguard.core.types import Label
from slmguard.eval.metrics import POOLED
from slmguard.eval.runner import EvalRun


def figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def grouped_bars(labels: Sequence[str], series: Mapping[str, Sequence[float]], ylabel: str, path: Path,
                 decorate: Callable | None = None) -> None:
    """One group of bars per label, one bar per series, rates on a 0-1 axis; `decorate(ax)` adds
    reference lines before the legend is drawn."""
    fig = figure(max(7.0, 0.7 * len(labels) + 3), 4.2)
    ax = fig.add_subplot(1, 1, 1)
    width = 0.8 / max(len(series), 1)
    for j, (name, values) in enumerate(series.items()):
        ax.bar([x - 0.4 + width * (j + 0.5) for x in range(len(labels))], list(values), width, label=name)
    if decorate:
        decorate(ax)
    ax.set_xticks(list(range(len(labels))))
    ax.set_xticklabels(list(labels), rotation=40, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    fig.savefig(path)


def _labels_scores(run: EvalRun, set_names: list[str], detector: str) -> tuple[list[bool], list[float]]:
    labels, scores = [], []
    for s in set_names:
        for e, v in run.scored(s, detector):
            if e.label is not None:
                labels.append(e.label is Label.UNSAFE)
                scores.append(v.score)
    return labels, scores


def pr_curves(run: EvalRun, path: Path) -> bool:
    """One panel per set with both classes, plus the pooled sets; one curve per detector."""
    from sklearn.metrics import average_precision_score, precision_recall_curve

    def has_both(names: list[str]) -> bool:
        labels = [e.label for s in names for e in run.sets[s] if e.label is not None]
        return Label.UNSAFE in labels and Label.SAFE in labels

    panels = [(s, [s]) for s in run.sets if has_both([s])]
    if has_both(list(run.sets)):
        panels.append((POOLED, list(run.sets)))
    if not panels or not run.detectors:
        return False
    cols = min(3, len(panels))
    rows = math.ceil(len(panels) / cols)
    fig = figure(4.2 * cols, 3.8 * rows)
    for i, (title, names) in enumerate(panels):
        ax = fig.add_subplot(rows, cols, i + 1)
        for det in run.detectors:
            labels, scores = _labels_scores(run, names, det)
            precision, recall, _ = precision_recall_curve(labels, scores)
            ap = average_precision_score(labels, scores)
            ax.step(recall, precision, where="post", label=f"{det} (AP {ap:.2f})")
        base = sum(labels) / len(labels)
        ax.axhline(base, color="grey", linestyle=":", linewidth=1, label=f"chance ({base:.2f})")
        ax.set(title=title, xlabel="recall", ylabel="precision", xlim=(0, 1), ylim=(0, 1.02))
        ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    fig.savefig(path)
    return True


def category_recall(run: EvalRun, path: Path) -> bool:
    """Detection recall per reference category, all sets pooled, one bar per detector."""
    per_det = {d: {c.code: c for c in run.pooled[d].categories} for d in run.detectors}
    codes = list(dict.fromkeys(code for d in run.detectors for code in per_det[d]))
    if not codes:
        return False
    fig = figure(min(14.0, max(6.0, 1.0 * len(codes) + 2)), 4.2)
    ax = fig.add_subplot(1, 1, 1)
    width = 0.8 / len(run.detectors)
    for j, det in enumerate(run.detectors):
        heights = [(per_det[det][c].recall or 0.0) if c in per_det[det] else 0.0 for c in codes]
        ax.bar([i + (j - (len(run.detectors) - 1) / 2) * width for i in range(len(codes))], heights, width,
               label=det)
    n = {c: next(per_det[d][c].n_unsafe for d in run.detectors if c in per_det[d]) for c in codes}
    ax.set_xticks(range(len(codes)), [f"{c}\n(n={n[c]})" for c in codes], fontsize=8)
    ax.set(ylabel="detection recall", ylim=(0, 1.05), title="Recall per hazard category (all sets)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    return True


def score_histograms(run: EvalRun, path: Path) -> bool:
    """Score distributions of safe and unsafe references per detector, all sets pooled."""
    if not run.detectors:
        return False
    cols = min(3, len(run.detectors))
    rows = math.ceil(len(run.detectors) / cols)
    fig = figure(4.2 * cols, 3.4 * rows)
    drawn = False
    bins = [i / 25 for i in range(26)]
    for i, det in enumerate(run.detectors):
        labels, scores = _labels_scores(run, list(run.sets), det)
        if not labels:
            continue
        ax = fig.add_subplot(rows, cols, i + 1)
        safe = [s for s, unsafe in zip(scores, labels) if not unsafe]
        unsafe = [s for s, u in zip(scores, labels) if u]
        # Scores outside [0, 1] would fall off fixed bins; clip so every example is counted.
        for values, name, color in ((safe, "safe", "tab:blue"), (unsafe, "unsafe", "tab:red")):
            if values:
                ax.hist([min(1.0, max(0.0, x)) for x in values], bins=bins, alpha=0.55, color=color,
                        label=f"{name} (n={len(values)})")
        thresholds = {v.threshold for s in run.sets for v in run.verdicts[(s, det)]}
        if len(thresholds) == 1:
            ax.axvline(thresholds.pop(), color="black", linestyle="--", linewidth=1, label="threshold")
        ax.set(title=det, xlabel="score", ylabel="examples", xlim=(0, 1))
        ax.legend(fontsize=7)
        drawn = True
    if not drawn:
        return False
    fig.tight_layout()
    fig.savefig(path)
    return True
