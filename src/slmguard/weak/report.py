"""Report on labeling functions: coverage, overlaps, conflicts and estimated accuracy."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from slmguard.weak.labeling_functions import HAZARD_LFS, UNSAFE_LFS
from slmguard.weak.training_set import WeakDataset


@dataclass(frozen=True)
class LFStats:
    task: str
    name: str
    kind: str
    coverage: float
    overlaps: float
    conflicts: float
    votes_unsafe: int
    votes_safe: int
    estimated_accuracy: float


def lf_stats(task: str, votes: np.ndarray, names: list[str], kinds: list[str], accuracies: dict[str, float]) -> list[LFStats]:
    """For the hazard task, 'votes unsafe' counts votes for any hazard and 'votes safe' stays 0."""
    from snorkel.labeling import LFAnalysis

    summary = LFAnalysis(L=votes).lf_summary()
    binary = task == "unsafe"
    out = []
    for j, name in enumerate(names):
        row = summary.iloc[j]
        positive = (votes[:, j] == 1) if binary else (votes[:, j] >= 0)
        out.append(LFStats(task, name, kinds[j], float(row["Coverage"]), float(row["Overlaps"]), float(row["Conflicts"]),
                           int(positive.sum()), int((votes[:, j] == 0).sum()) if binary else 0,
                           float(accuracies.get(name, float("nan")))))
    return out


def weak_report(data: WeakDataset) -> list[LFStats]:
    stats = lf_stats("unsafe", data.unsafe_votes, UNSAFE_LFS.names(), [lf.kind for _, lf in UNSAFE_LFS.items()],
                     data.unsafe_accuracies)
    return stats + lf_stats("hazard", data.hazard_votes, HAZARD_LFS.names(),
                            [lf.kind for _, lf in HAZARD_LFS.items()], data.hazard_accuracies)


def coverage_by_hazard(data: WeakDataset) -> dict[str, dict[str, dict[str, int]]]:
    """Per hazard (and signal), per side, training texts by form. A text counts as unsafe for its
    top hazard when P(unsafe) >= 0.5; a safe text counts for the hazard its topic is closest to
    when it has a hazard vote or was written as that hazard's contrast."""
    k = len(data.codes)
    out: dict[str, dict[str, dict[str, int]]] = {}
    for i, e in enumerate(data.examples):
        unsafe = data.targets[i, 0] >= 0.5
        hazards = data.targets[i, 1:1 + k]
        topic = e.raw_category.split(":")[0] if e.source == "hazard_texts" and e.raw_category else None
        code = data.codes[int(hazards.argmax())] if hazards.sum() > 0 else topic
        for j, signal in enumerate(data.signals):
            if data.targets[i, 1 + k + j] >= 0.5 or (topic == signal):
                side = out.setdefault(signal, {}).setdefault("unsafe" if unsafe else "safe", {})
                side[e.form] = side.get(e.form, 0) + 1
        if code is None or code in data.signals:
            continue
        side = out.setdefault(code, {}).setdefault("unsafe" if unsafe else "safe", {})
        side[e.form] = side.get(e.form, 0) + 1
    return out


def _coverage_lines(data: WeakDataset) -> list[str]:
    cov = coverage_by_hazard(data)
    forms = ["request", "statement", "dialogue", "document", "response"]
    lines = ["", "## Coverage per hazard and form", "",
             "Unsafe: P(unsafe) >= 0.5 with this top hazard. Safe: benign texts on the hazard's topic (a hazard vote, "
             "or written as its contrast).", "",
             "| hazard | side | total | " + " | ".join(forms) + " |", "|---|---|---|" + "---|" * len(forms)]
    for code in [*data.codes, *data.signals]:
        for side in ("unsafe", "safe"):
            c = cov.get(code, {}).get(side, {})
            lines.append(f"| {code} | {side} | {sum(c.values())} | " + " | ".join(str(c.get(f, 0)) for f in forms) + " |")
    return lines


def _form_lines(data: WeakDataset) -> list[str]:
    lines = ["", "## Kinds of text", "", "| form | n | share unsafe |", "|---|---|---|"]
    forms: dict[str, list[float]] = {}
    for e, t in zip(data.examples, data.targets[:, 0]):
        forms.setdefault(e.form, []).append(float(t >= 0.5))
    lines += [f"| {f} | {len(v)} | {np.mean(v):.3f} |" for f, v in forms.items()]
    return lines


def write_weak_report(data: WeakDataset, out_dir: Path, rounds: list | None = None) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stats = weak_report(data)
    sources: dict[str, list[float]] = {}
    for e, t in zip(data.examples, data.targets[:, 0]):
        sources.setdefault(e.source, []).append(float(t))
    lines = ["# Weak supervision report", "",
             f"{len(data.examples)} training examples after de-duplication against every evaluation set "
             f"(dropped {data.dedup.get('exact', 0)} exact and {data.dedup.get('near', 0)} near duplicates) and after "
             f"dropping {data.dropped_unlabelled} rows with too little evidence.", "",
             "## Labeling functions", "",
             "Accuracy is the label model's estimate from agreements alone (no ground truth).", "",
             "| task | function | kind | coverage | overlaps | conflicts | votes unsafe | votes safe | est. accuracy |",
             "|---|---|---|---|---|---|---|---|---|"]
    for s in stats:
        lines.append(f"| {s.task} | {s.name} | {s.kind} | {s.coverage:.3f} | {s.overlaps:.3f} | {s.conflicts:.3f} | "
                     f"{s.votes_unsafe} | {s.votes_safe} | {s.estimated_accuracy:.3f} |")
    lines += ["", "## Resulting targets per source", "", "| source | n | mean P(unsafe) | share >= 0.5 |", "|---|---|---|---|"]
    for src, vals in sources.items():
        v = np.array(vals)
        lines.append(f"| {src} | {len(v)} | {v.mean():.3f} | {(v >= 0.5).mean():.3f} |")
    lines += _form_lines(data) + _coverage_lines(data)
    if rounds:
        lines += ["", "## Self-training rounds", "",
                  "Validation: the held-back rows, labelled by the first round's label model (P(unsafe) >= 0.5).", "",
                  "| round | labelled rows | trained on | validation AUPRC | validation F1 | threshold | seconds |",
                  "|---|---|---|---|---|---|---|"]
        lines += [f"| {r.round} | {r.n_labelled} | {r.n_train} | {r.val_auprc:.3f} | {r.val_f1:.3f} | {r.threshold} | "
                  f"{r.seconds:.0f} |" for r in rounds]
    lines += ["", "![coverage and accuracy](labeling_functions.png)", ""]
    _plot(stats, out_dir / "labeling_functions.png")
    (out_dir / "weak_supervision.md").write_text("\n".join(lines))
    (out_dir / "labeling_functions.json").write_text(json.dumps([asdict(s) for s in stats], indent=2))
    return out_dir / "weak_supervision.md"


def _plot(stats: list[LFStats], path: Path) -> None:
    from matplotlib.figure import Figure

    unsafe = [s for s in stats if s.task == "unsafe"]
    fig = Figure(figsize=(8, 4))
    ax = fig.subplots()
    x = np.arange(len(unsafe))
    ax.bar(x - 0.2, [s.coverage for s in unsafe], 0.4, label="coverage")
    ax.bar(x + 0.2, [s.estimated_accuracy for s in unsafe], 0.4, label="estimated accuracy")
    ax.set_xticks(x, [s.name for s in unsafe], rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_title("Labeling functions voting on 'unsafe'")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
