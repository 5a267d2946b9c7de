"""Train the fast detector on weak labels: LoRA on the encoder, a linear head, calibration."""

from __future__ import annotations

import json
import math
import random
import time
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch

from slmguard.detect.calibration import fit_platt
from slmguard.detect.classifier_net import ClassifierNet
from slmguard.detect.fast_classifier import DetectorConfig, FastClassifier, example_context, token_windows
from slmguard.detect.normalize import normalize_text
from slmguard.weak.training_set import WeakConfig, WeakDataset


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 0
    epochs: int = 1
    batch_size: int = 32
    lr: float = 5e-4
    head_lr: float = 3e-3
    lora_r: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.05
    max_length: int = 128
    holdout: float = 0.15
    hazard_loss_weight: float = 0.5
    # The threshold is the best-F1 one on the weakly labelled held-back split, raised when needed so
    # that at most this share of that split's safe rows is flagged: the split holds about as many
    # unsafe rows as safe ones, far more than real traffic, so best F1 alone sits too low.
    max_weak_fpr: float = 0.05
    bf16: bool = True
    weak: WeakConfig = field(default_factory=WeakConfig)


@dataclass
class TrainResult:
    artifact: Path
    config: DetectorConfig
    holdout_metrics: dict
    seconds: float
    history: list[float]


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def in_holdout(example_id: str, fraction: float, seed: int) -> bool:
    """The held-back split, decided per example id: the same rows stay held back in every
    self-training round, whatever rows a round adds."""
    return zlib.crc32(f"{seed}:{example_id}".encode()) % 10_000 < fraction * 10_000


def split_holdout(data: WeakDataset, fraction: float, seed: int) -> tuple[list[int], list[int]]:
    hold = [in_holdout(e.id, fraction, seed) for e in data.examples]
    return [i for i, h in enumerate(hold) if not h], [i for i, h in enumerate(hold) if h]


def _attach_lora(encoder, cfg: TrainConfig):
    from peft import LoraConfig, get_peft_model

    lora = LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout,
                      target_modules=["query", "key", "value", "dense"], bias="none")
    return get_peft_model(encoder, lora)


def threshold_at_fpr(safe_scores: np.ndarray, budget: float) -> float:
    """The lowest threshold (on a 0.001 grid) that flags at most `budget` of these safe scores."""
    if len(safe_scores) == 0:
        return 0.0
    t = float(np.quantile(safe_scores, 1.0 - budget, method="higher"))
    return min(math.ceil(t * 1000 + 1e-9) / 1000, 1.0)


def best_f1_threshold(probs: np.ndarray, labels: np.ndarray) -> float:
    best, best_t = -1.0, 0.5
    for t in np.linspace(0.2, 0.8, 61):
        pred = probs >= t
        tp = (pred & labels).sum()
        f1 = 2 * tp / max(pred.sum() + labels.sum(), 1)
        if f1 > best + 1e-9:
            best, best_t = f1, float(t)
    return round(best_t, 3)


def encode_examples(data: WeakDataset, tokenizer, cfg: DetectorConfig) -> list[list[int]]:
    """Each example's first token window, as the detector reads it: a response with its prompt as
    context, anything else alone."""
    texts = [normalize_text(e.text) for e in data.examples]
    ids = tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"]  # windowed below
    contexts = [example_context(e) for e in data.examples]
    ctx_ids = tokenizer([c or "" for c in contexts], add_special_tokens=False, verbose=False)["input_ids"]
    return [token_windows(t, None if c is None else ci, cfg, tokenizer.cls_token_id, tokenizer.sep_token_id)[0]
            for t, c, ci in zip(ids, contexts, ctx_ids)]


def _batches(order: list[int], lengths: list[int], size: int, rng: random.Random) -> list[list[int]]:
    """Batches of similar length (less padding, about twice as fast here), in random order."""
    chunk = size * 50
    batches = []
    for s in range(0, len(order), chunk):
        part = sorted(order[s:s + chunk], key=lambda i: lengths[i])
        batches += [part[b:b + size] for b in range(0, len(part), size)]
    rng.shuffle(batches)
    return batches


def _pad(windows: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(w) for w in windows)
    ids = torch.full((len(windows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(windows), width), dtype=torch.long)
    for r, w in enumerate(windows):
        ids[r, :len(w)] = torch.tensor(w)
        mask[r, :len(w)] = 1
    return ids, mask


def detector_loss(logits: torch.Tensor, targets: torch.Tensor, weights: torch.Tensor, k: int,
                  hazard_weight: float) -> torch.Tensor:
    """Soft BCE on unsafe and the signals; soft cross-entropy over the hazards on the rows that have
    hazard evidence, weighted by P(unsafe): the hazard head answers "which hazard, if unsafe"."""
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    binary = torch.cat([logits[:, :1], logits[:, 1 + k:]], 1)
    binary_t = torch.cat([targets[:, :1], targets[:, 1 + k:]], 1)
    loss = bce(binary, binary_t, reduction="none").sum(1)
    hazard_t = targets[:, 1:1 + k]
    has = hazard_t.sum(1) > 0
    if has.any():
        log_p = torch.log_softmax(logits[:, 1:1 + k], dim=1)
        ce = -(hazard_t * log_p).sum(1) / hazard_t.sum(1).clamp(min=1e-6)
        loss = loss + hazard_weight * torch.where(has, ce * targets[:, 0], torch.zeros_like(ce))
    return (loss * weights).sum() / weights.sum()


def train_detector(data: WeakDataset, out_dir: Path, cfg: TrainConfig = TrainConfig(),
                   encoder_path: Path | None = None, progress: bool = True) -> TrainResult:
    from rich.progress import Progress

    from slmguard.models.encoder import load_encoder, load_tokenizer

    seed_everything(cfg.seed)
    started = time.time()
    tokenizer = load_tokenizer(encoder_path)
    encoder = _attach_lora(load_encoder(encoder_path), cfg)
    k = len(data.codes)
    config = DetectorConfig(codes=list(data.codes), signals=list(data.signals), max_length=cfg.max_length,
                            hazard_activation="softmax")
    net = ClassifierNet(encoder, len(config.outputs))
    train_idx, hold_idx = split_holdout(data, cfg.holdout, cfg.seed)
    windows = encode_examples(data, tokenizer, config)
    lengths = [len(w) for w in windows]
    targets = torch.tensor(data.targets, dtype=torch.float32)
    weights = torch.tensor(data.weights, dtype=torch.float32)

    params = [{"params": [p for p in encoder.parameters() if p.requires_grad], "lr": cfg.lr},
              {"params": net.head.parameters(), "lr": cfg.head_lr}]
    optim = torch.optim.AdamW(params, weight_decay=0.01)
    steps = cfg.epochs * math.ceil(len(train_idx) / cfg.batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(optim, max_lr=[cfg.lr, cfg.head_lr], total_steps=max(steps, 1),
                                                pct_start=0.1)
    rng = random.Random(cfg.seed)
    history: list[float] = []
    with Progress(disable=not progress) as bar:
        task = bar.add_task("training detector", total=steps)
        for _ in range(cfg.epochs):
            net.train()
            for idx in _batches(train_idx[:], lengths, cfg.batch_size, rng):
                ids, mask = _pad([windows[i] for i in idx], tokenizer.pad_token_id)
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
                    logits, _ = net(ids, mask)
                loss = detector_loss(logits.float(), targets[idx], weights[idx], k, cfg.hazard_loss_weight)
                optim.zero_grad()
                loss.backward()
                optim.step()
                sched.step()
                history.append(float(loss.detach()))
                bar.advance(task)
    return _finish(net, tokenizer, data, config, cfg, windows, hold_idx, train_idx, out_dir, started, history,
                   encoder_path)


def _finish(net, tokenizer, data: WeakDataset, config: DetectorConfig, cfg: TrainConfig, windows, hold_idx,
            train_idx, out_dir: Path, started: float, history: list[float],
            encoder_path: Path | None = None) -> TrainResult:
    """Calibrate on the held-back split, choose thresholds there, save."""
    k = len(data.codes)
    hold_logits = window_logits(net, [windows[i] for i in hold_idx], tokenizer.pad_token_id)
    hold_targets = data.targets[hold_idx]
    binary = [0, *range(1 + k, len(config.outputs))]  # softmax hazards need no Platt scaling
    config.calibration = {config.outputs[j]: list(asdict(fit_platt(hold_logits[:, j], hold_targets[:, j])).values())
                          for j in binary}
    probs = FastClassifier(net, tokenizer, config).probabilities(hold_logits)
    weak_unsafe = hold_targets[:, 0] >= 0.5
    config.threshold = max(best_f1_threshold(probs[:, 0], weak_unsafe),
                           threshold_at_fpr(probs[~weak_unsafe, 0], cfg.max_weak_fpr))
    config.training = {"train_config": _jsonable(asdict(cfg)), "n_train": len(train_idx), "n_holdout": len(hold_idx),
                       "seconds": round(time.time() - started, 1), "final_loss": float(np.mean(history[-20:]))}
    FastClassifier.save(out_dir, net, config, encoder_path)
    metrics = _holdout_metrics(probs, hold_targets, config.threshold)
    return TrainResult(Path(out_dir), config, metrics, time.time() - started, history)


def window_logits(net: ClassifierNet, windows: list[list[int]], pad_id: int, batch: int = 128) -> np.ndarray:
    net.eval()
    order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
    out = np.zeros((len(windows), net.head.out_features), dtype=np.float32)
    with torch.inference_mode():
        for s in range(0, len(order), batch):
            idx = order[s:s + batch]
            ids, mask = _pad([windows[i] for i in idx], pad_id)
            out[idx] = net(ids, mask)[0].float().numpy()
    return out


def _holdout_metrics(probs: np.ndarray, targets: np.ndarray, threshold: float) -> dict:
    from sklearn.metrics import average_precision_score

    from slmguard.detect.calibration import expected_calibration_error

    labels = targets[:, 0] >= 0.5
    pred = probs[:, 0] >= threshold
    tp = int((pred & labels).sum())
    return {
        "n": int(len(labels)), "weak_unsafe": int(labels.sum()),
        "precision": tp / max(int(pred.sum()), 1), "recall": tp / max(int(labels.sum()), 1),
        "auprc": float(average_precision_score(labels, probs[:, 0])) if 0 < labels.sum() < len(labels) else None,
        "ece": expected_calibration_error(probs[:, 0], targets[:, 0]),
    }


def _jsonable(obj):
    return json.loads(json.dumps(obj, default=str))
