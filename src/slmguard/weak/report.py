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


def write_weak_report(data: WeakDataset, out_dir: Path) -> Path:
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
