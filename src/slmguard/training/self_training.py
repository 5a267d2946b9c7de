"""Self-training: the detector trained on the label model's targets becomes a voter, the labels
are refitted, and the detector is trained again; rounds stop when the weakly labelled validation
split (the held-back rows, labelled by the first round's label model) stops improving."""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from slmguard.training.detector import TrainConfig, TrainResult, in_holdout, train_detector
from slmguard.weak.training_set import WeakDataset, WeakPool, label_pool


@dataclass(frozen=True)
class RoundResult:
    round: int
    n_train: int
    n_labelled: int
    val_auprc: float
    val_f1: float
    threshold: float
    seconds: float


def score_pool(artifact: Path, pool: WeakPool, cache_dir: Path,
               encoder_path: Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """P(unsafe) and P(hazard | unsafe) of every pool row by a trained artifact."""
    from slmguard.detect.fast_classifier import FastClassifier, example_context
    from slmguard.detect.normalize import normalize_text

    clf = FastClassifier.load(artifact, encoder_path, "onnx", cache_dir=cache_dir)  # fp32: pseudo-labels as trained
    texts = [normalize_text(e.text) for e in pool.examples]
    probs = clf.raw_scores(texts, contexts=[example_context(e) for e in pool.examples]).probs
    k = len(clf.config.codes)
    return probs[:, 0], probs[:, 1:1 + k] / np.maximum(probs[:, :1], 1e-9)


def _validation(data0: WeakDataset, scores: np.ndarray, threshold: float, cfg: TrainConfig) -> tuple[float, float]:
    from sklearn.metrics import average_precision_score, f1_score

    hold = [i for i, e in enumerate(data0.examples) if in_holdout(e.id, cfg.holdout, cfg.seed)]
    labels = data0.targets[hold, 0] >= 0.5
    s = scores[data0.pool_index[hold]]
    return float(average_precision_score(labels, s)), float(f1_score(labels, s >= threshold))


def self_train(pool: WeakPool, cfg: TrainConfig, out_dir: Path, work_dir: Path, rounds: int = 2,
               progress: bool = True, log=print,
               encoder_path: Path | None = None) -> tuple[TrainResult, list[RoundResult], WeakDataset]:
    """Train up to `rounds` rounds; the best round by validation AUPRC is written to `out_dir`.
    Returns its result, every round's numbers, and the dataset it was trained on."""
    data0 = label_pool(pool, cfg.weak)
    history: list[RoundResult] = []
    best: tuple[float, TrainResult, WeakDataset] | None = None
    data = data0
    for r in range(rounds):
        started = time.time()
        round_dir = Path(work_dir) / f"round-{r}"
        result = train_detector(data, round_dir, cfg, encoder_path, progress)
        scores, hazards = score_pool(round_dir, pool, Path(work_dir) / "cache", encoder_path)
        auprc, f1 = _validation(data0, scores, result.config.threshold, cfg)
        history.append(RoundResult(r, result.config.training["n_train"], len(data.examples), auprc, f1,
                                   result.config.threshold, round(time.time() - started, 1)))
        log(f"round {r}: {history[-1]}")
        if best is not None and auprc <= best[0] + 1e-3:
            break
        best = (auprc, result, data)
        if r + 1 < rounds:
            confident = hazards.max(axis=1) >= 0.8
            top = [data0.codes[j] if ok else None for j, ok in zip(hazards.argmax(axis=1), confident)]
            data = label_pool(pool, cfg.weak, data0.codes, model_scores=scores, model_hazards=top)
    assert best is not None
    _, result, data = best
    if Path(out_dir).resolve() != result.artifact.resolve():
        shutil.rmtree(out_dir, ignore_errors=True)
        shutil.copytree(result.artifact, out_dir)
    return TrainResult(Path(out_dir), result.config, result.holdout_metrics, result.seconds, result.history), \
        history, data


def self_train_and_report(pool: WeakPool, cfg: TrainConfig, out_dir: Path, work_dir: Path, report_dir: Path,
                          rounds: int = 2, progress: bool = True, log=print, encoder_path: Path | None = None,
                          started: float | None = None) -> TrainResult:
    """`self_train`, then the weak supervision report and training.json in `report_dir`.
    `started`: when the build began (time.time()), so that the total time counts gathering the pool."""
    from slmguard.weak.report import write_weak_report

    started = time.time() if started is None else started
    result, history, data = self_train(pool, cfg, out_dir, work_dir, rounds, progress, log=log,
                                       encoder_path=encoder_path)
    log(f"weak report: {write_weak_report(data, report_dir, history)}")
    (report_dir / "training.json").write_text(json.dumps(
        {"holdout_metrics": result.holdout_metrics, "threshold": result.config.threshold,
         "rounds": [r.__dict__ for r in history], "seconds_total": round(time.time() - started, 1),
         "n_examples": len(data.examples)}, indent=2))
    return result
