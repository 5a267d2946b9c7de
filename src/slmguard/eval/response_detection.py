"""`slmguard eval --response-detection`: detectors judging responses of the response set.

Each row of `response_set` is scored as the conversation [user prompt, assistant response]. A
detector that reads conversations (the fast `Guard`, the baselines, which judge the last
message) gets the conversation; any other gets the response text alone, as kind "response".

Metrics per detector: over all rows, then per source. A source's rows share one label (compliant
answers are unsafe, the rest safe), so the `compliant` row has recall only, and each safe source
is paired with the compliant rows: "compliant vs safeguard" asks whether the detector tells a
compliant answer from a safeguard to the same harmful prompts.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Mapping, Sequence

from slmguard.core.types import Example, Label, Verdict
from slmguard.eval.metrics import DetectionMetrics, detection_metrics
from slmguard.eval.response_set import SOURCES, ResponseItem

ALL = "all"


@dataclass(frozen=True)
class ResponseDetectionMetrics:
    detector: str
    rows: str  # "all", "compliant", or "compliant vs <safe source>"
    detection: DetectionMetrics


def _reads_conversations(detector) -> bool:
    if getattr(detector, "accepts_conversations", False):
        return True
    from slmguard.respond.guard import Guard

    return isinstance(detector, Guard)


def score_items(detectors: Mapping[str, object], items: Sequence[ResponseItem], batch_size: int = 64,
                progress: bool = True) -> dict[str, list[Verdict]]:
    """One verdict per row per detector, in row order."""
    from tqdm.auto import tqdm

    out: dict[str, list[Verdict]] = {}
    for name, det in detectors.items():
        inputs = [i.conversation() if _reads_conversations(det) else i.response for i in items]
        verdicts: list[Verdict] = []
        for start in tqdm(range(0, len(inputs), batch_size), desc=f"responses: {name}", disable=not progress):
            verdicts += det.classify_batch(inputs[start:start + batch_size], kind="response")
        if len(verdicts) != len(items):
            raise RuntimeError(f"detector '{name}' returned {len(verdicts)} verdicts for {len(items)} responses")
        out[name] = verdicts
    return out


def _as_example(item: ResponseItem) -> Example:
    return Example(item.response, item.set, f"{item.id}:{item.source}", Label.UNSAFE if item.unsafe else Label.SAFE,
                   kind="response")


def response_detection_metrics(items: Sequence[ResponseItem],
                               verdicts: Mapping[str, Sequence[Verdict]]) -> list[ResponseDetectionMetrics]:
    """Per detector: all rows, the compliant rows, and the compliant rows against each safe source."""
    out = []
    for det, vs in verdicts.items():
        if len(vs) != len(items):
            raise ValueError(f"{len(items)} rows but {len(vs)} verdicts for '{det}'")
        groups = {ALL: list(range(len(items)))}
        groups["compliant"] = [i for i, x in enumerate(items) if x.source == "compliant"]
        for source in SOURCES:
            if source != "compliant" and any(x.source == source for x in items):
                groups[f"compliant vs {source}"] = [i for i, x in enumerate(items) if x.source in ("compliant", source)]
        for rows, idx in groups.items():
            if idx:
                out.append(ResponseDetectionMetrics(det, rows, detection_metrics([_as_example(items[i]) for i in idx],
                                                                                 [vs[i] for i in idx])))
    return out


def histogram_png(items: Sequence[ResponseItem], verdicts: Mapping[str, Sequence[Verdict]], path: Path) -> bool:
    """Score distributions per source, one panel per detector."""
    import math

    from slmguard.eval.plots import figure

    if not items or not verdicts:
        return False
    cols = min(3, len(verdicts))
    fig = figure(4.2 * cols, 3.4 * math.ceil(len(verdicts) / cols))
    bins = [i / 25 for i in range(26)]
    colors = {"compliant": "tab:red", "safeguard": "tab:green", "refusal": "tab:blue", "answer": "tab:gray"}
    for k, (det, vs) in enumerate(verdicts.items()):
        ax = fig.add_subplot(math.ceil(len(verdicts) / cols), cols, k + 1)
        for source in SOURCES:
            scores = [min(1.0, max(0.0, v.score)) for x, v in zip(items, vs) if x.source == source]
            if scores:
                ax.hist(scores, bins=bins, alpha=0.5, color=colors[source], label=f"{source} (n={len(scores)})")
        ax.set(title=det, xlabel="score", ylabel="responses", xlim=(0, 1))
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    return True


def write_response_detection(items: Sequence[ResponseItem], verdicts: Mapping[str, Sequence[Verdict]],
                             metrics: Sequence[ResponseDetectionMetrics], out_dir: Path) -> list[str]:
    """Write response_detection.jsonl / .json and response_detection.png; return the report section."""
    from slmguard.eval.report import fmt, table

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "response_detection.jsonl").open("w", encoding="utf-8") as fh:
        for det, vs in verdicts.items():
            for x, v in zip(items, vs):
                fh.write(json.dumps({**asdict(x), "detector": det, "score": round(v.score, 6),
                                     "flagged": v.unsafe}, ensure_ascii=False) + "\n")
    (out_dir / "response_detection.json").write_text(
        json.dumps([asdict(m) for m in metrics], indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    drawn = histogram_png(items, verdicts, out_dir / "response_detection.png")
    counts = {s: sum(1 for x in items if x.source == s) for s in SOURCES}
    lines = ["## Response detection", "",
             "Evaluation prompts with responses labelled by construction (`slmguard.eval.response_set`): "
             f"compliant SmolLM2 answers to harmful prompts are unsafe ({counts['compliant']}); the guardian's "
             f"safeguards ({counts['safeguard']}), fixed refusals ({counts['refusal']}) and SmolLM2's answers to "
             f"safe prompts ({counts['answer']}) are safe. Each row is scored as [user prompt, assistant response]; "
             "a safe source's row pairs it with the compliant rows.", ""]
    rows = [[m.detector, m.rows, m.detection.n, fmt(m.detection.precision), fmt(m.detection.recall),
             fmt(m.detection.f1), fmt(m.detection.auprc), fmt(m.detection.fpr)] for m in metrics]
    lines += table(["detector", "rows", "n", "precision", "recall", "F1", "AUPRC", "FPR"], rows)
    if drawn:
        lines += ["![Response scores per source](response_detection.png)", ""]
    return lines + ["Files: `response_detection.jsonl` (every row and score), `response_detection.json`.", ""]


@dataclass
class ResponseDetectionRun:
    items: list[ResponseItem]
    verdicts: dict[str, list[Verdict]]
    metrics: list[ResponseDetectionMetrics]
    report_lines: list[str]  # the section for report.md
    seconds: float


def run_response_detection(detectors: Mapping[str, object], data_dir: Path, out_dir: Path, limit: int = 40,
                           batch_size: int = 64, progress: bool = True) -> ResponseDetectionRun:
    """Build (or read from the cache) the response set, score it with every detector, write its files."""
    from slmguard.eval.response_set import build_response_set

    start = time.perf_counter()
    items = build_response_set(data_dir, limit, progress=progress)
    verdicts = score_items(detectors, items, batch_size, progress)
    metrics = response_detection_metrics(items, verdicts)
    lines = write_response_detection(items, verdicts, metrics, out_dir)
    return ResponseDetectionRun(list(items), verdicts, metrics, lines, time.perf_counter() - start)
