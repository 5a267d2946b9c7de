"""Does the int8 fast detector (the default backend) decide as the fp32 one does?

Scores every evaluation set with both and prints, per set, the share of verdicts that flip and how
recall and the false-positive rate move; the targets are at most 0.5% flips and at most one point
of recall, FPR or flag rate (for unlabelled sets) per set.

`--calibrate` measures instead how far int8 alone moves the calibrated unsafe logit on training-pool
texts (250 of every pool, every kind of text): the source of INT8_MARGIN in detect/fast_classifier.py,
within which the default backend re-scores a text in fp32. A check of the quantisation, not a tuning step: nothing here is chosen by
these numbers.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

MAX_FLIPS, MAX_MOVE = 0.005, 0.01


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None, help="Also write the rows as JSON here.")
    parser.add_argument("--calibrate", action="store_true", help="Measure int8's error on training pools.")
    args = parser.parse_args()
    if args.calibrate:
        calibrate(args.data_dir)
        return

    from slmguard.core.config import Settings
    from slmguard.core.types import Backend, Role
    from slmguard.data import load, names
    from slmguard.eval.runner import run_eval
    from slmguard.respond.guard import Guard

    data_dir = args.data_dir or Settings.resolve().require_data_dir()
    sets = {n: load(n, data_dir).examples for n in names(Role.EVALUATION)}
    guards = {b.value: Guard.load(backend=b) for b in (Backend.ONNX, Backend.ONNX_INT8)}
    run = run_eval(guards, sets, progress=False)
    rows = []
    for name in sets:
        ref, new = run.verdicts[(name, "onnx")], run.verdicts[(name, "onnx-int8")]
        a, b = run.metrics[(name, "onnx")].detection, run.metrics[(name, "onnx-int8")].detection
        flips = sum(r.unsafe != n.unsafe for r, n in zip(ref, new)) / len(ref)
        moves = [abs(x - y) for x, y in ((a.recall, b.recall), (a.fpr, b.fpr), (a.flag_rate, b.flag_rate)) if x is not None and y is not None]
        rows.append({"set": name, "n": len(ref), "flips": round(flips, 4),
                     "recall_fp32": a.recall, "recall_int8": b.recall, "fpr_fp32": a.fpr, "fpr_int8": b.fpr,
                     "flagged_fp32": a.flag_rate, "flagged_int8": b.flag_rate,
                     "ok": flips <= MAX_FLIPS and all(m <= MAX_MOVE + 1e-9 for m in moves)})
    speed = {d: round(t.prompts_per_s or 0.0, 1) for d, t in run.timings.items()}
    _print(rows, speed)
    if args.out:
        args.out.write_text(json.dumps({"rows": rows, "prompts_per_s": speed}, indent=2) + "\n")


def calibrate(data_dir: Path | None, per_pool: int = 250, seed: int = 0) -> None:
    import random

    import numpy as np

    from slmguard.core.config import Settings
    from slmguard.core.types import Backend, Role
    from slmguard.data import load, names
    from slmguard.detect.calibration import logit
    from slmguard.detect.fast_classifier import FastClassifier, example_context
    from slmguard.detect.normalize import normalize_text
    from slmguard.respond.guard import DEFAULT_ARTIFACT

    data_dir = data_dir or Settings.resolve().require_data_dir()
    examples = []
    for name in names(Role.TRAINING_POOL):
        pool = load(name, data_dir, purpose="training").examples
        examples += random.Random(seed).sample(pool, min(per_pool, len(pool)))
    texts = [normalize_text(e.text) for e in examples]
    contexts = [example_context(e) for e in examples]
    logits = [logit(FastClassifier.load(DEFAULT_ARTIFACT, backend=b).raw_scores(texts, contexts=contexts).probs[:, 0])
              for b in (Backend.ONNX, Backend.ONNX_INT8)]  # no threshold: int8 alone
    moved = np.abs(logits[0] - logits[1])
    quantiles = {q: round(float(np.quantile(moved, q)), 3) for q in (0.5, 0.9, 0.99, 0.999, 1.0)}
    print(f"{len(texts)} training-pool texts; |unsafe logit int8 - fp32| at quantiles {quantiles}")


def _print(rows: list[dict], speed: dict[str, float]) -> None:
    def pct(x: float | None) -> str:
        return "-" if x is None else f"{100 * x:.1f}"

    print(f"{'set':24s} {'n':>5s} {'flips%':>7s} {'recall fp32->int8':>18s} {'FPR fp32->int8':>15s} {'flagged fp32->int8':>19s}  ok")
    for r in rows:
        print(f"{r['set']:24s} {r['n']:5d} {100 * r['flips']:7.2f} "
              f"{pct(r['recall_fp32']):>8s} -> {pct(r['recall_int8']):>5s} {pct(r['fpr_fp32']):>6s} -> "
              f"{pct(r['fpr_int8']):>5s} {pct(r['flagged_fp32']):>10s} -> {pct(r['flagged_int8']):>5s}  {'yes' if r['ok'] else 'NO'}")
    print(f"all sets within targets: {all(r['ok'] for r in rows)}; prompts/s while scoring: {speed}")


if __name__ == "__main__":
    main()
