"""Train the fast detector on weak labels: LoRA on the encoder, a linear head, calibration."""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch

from slmguard.detect.calibration import fit_platt
from slmguard.detect.fast_classifier import ClassifierNet, DetectorConfig, FastClassifier
from slmguard.detect.normalize import normalize_text
from slmguard.weak.training_set import WeakConfig, WeakDataset


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 0
    epochs: int = 3
    batch_size: int = 32
    lr: float = 5e-4
    head_lr: float = 3e-3
    lora_r: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.05
    max_length: int = 128
    holdout: float = 0.15
    hazard_loss_weight: float = 0.5
    contrast_weight: float = 2.0
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


def split_holdout(data: WeakDataset, fraction: float, seed: int) -> tuple[list[int], list[int]]:
    """Held-back split, stratified by source so every pool is represented in calibration."""
    rng = random.Random(seed)
    by_source: dict[str, list[int]] = {}
    for i, e in enumerate(data.examples):
        by_source.setdefault(e.source, []).append(i)
    train, hold = [], []
    for idx in by_source.values():
        rng.shuffle(idx)
        k = max(1, int(round(len(idx) * fraction))) if len(idx) > 1 else 0
        hold += idx[:k]
        train += idx[k:]
    return sorted(train), sorted(hold)


def _attach_lora(encoder, cfg: TrainConfig):
    from peft import LoraConfig, get_peft_model

    lora = LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout,
                      target_modules=["query", "key", "value", "dense"], bias="none")
    return get_peft_model(encoder, lora)


def _logits(net: ClassifierNet, tokenizer, texts: list[str], max_length: int, batch: int = 64):
    net.eval()
    outs, pooled = [], []
    with torch.inference_mode():
        for s in range(0, len(texts), batch):
            enc = tokenizer(texts[s:s + batch], truncation=True, max_length=max_length, padding=True,
                            return_tensors="pt")
            logit, pool = net(enc["input_ids"], enc["attention_mask"])
            outs.append(logit.float().numpy())
            pooled.append(torch.nn.functional.normalize(pool.float(), dim=-1).numpy())
    return np.concatenate(outs), np.concatenate(pooled)


def best_f1_threshold(probs: np.ndarray, labels: np.ndarray) -> float:
    best, best_t = -1.0, 0.5
    for t in np.linspace(0.2, 0.8, 61):
        pred = probs >= t
        tp = (pred & labels).sum()
        f1 = 2 * tp / max(pred.sum() + labels.sum(), 1)
        if f1 > best + 1e-9:
            best, best_t = f1, float(t)
    return round(best_t, 3)


def train_detector(data: WeakDataset, out_dir: Path, cfg: TrainConfig = TrainConfig(),
                   encoder_path: Path | None = None, progress: bool = True) -> TrainResult:
    from rich.progress import Progress

    from slmguard.models.encoder import load_encoder, load_tokenizer

    seed_everything(cfg.seed)
    started = time.time()
    tokenizer = load_tokenizer(encoder_path)
    encoder = _attach_lora(load_encoder(encoder_path), cfg)
    n_out = 1 + len(data.codes)
    net = ClassifierNet(encoder, n_out)
    train_idx, hold_idx = split_holdout(data, cfg.holdout, cfg.seed)
    texts = [normalize_text(e.text) for e in data.examples]
    targets = torch.tensor(data.targets, dtype=torch.float32)
    weights = torch.tensor([cfg.contrast_weight if e.source == "contrast_prompts" else 1.0 for e in data.examples])
    out_weight = torch.tensor([1.0] + [cfg.hazard_loss_weight] * len(data.codes))

    params = [{"params": [p for p in encoder.parameters() if p.requires_grad], "lr": cfg.lr},
              {"params": net.head.parameters(), "lr": cfg.head_lr}]
    optim = torch.optim.AdamW(params, weight_decay=0.01)
    steps = cfg.epochs * math.ceil(len(train_idx) / cfg.batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(optim, max_lr=[cfg.lr, cfg.head_lr], total_steps=max(steps, 1),
                                                pct_start=0.1)
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")
    rng = random.Random(cfg.seed)
    history: list[float] = []
    with Progress(disable=not progress) as bar:
        task = bar.add_task("training detector", total=steps)
        for _ in range(cfg.epochs):
            net.train()
            order = train_idx[:]
            rng.shuffle(order)
            for s in range(0, len(order), cfg.batch_size):
                idx = order[s:s + cfg.batch_size]
                enc = tokenizer([texts[i] for i in idx], truncation=True, max_length=cfg.max_length, padding=True,
                                return_tensors="pt")
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
                    logits, _ = net(enc["input_ids"], enc["attention_mask"])
                loss = loss_fn(logits.float(), targets[idx]) * out_weight
                loss = (loss.sum(1) * weights[idx]).sum() / weights[idx].sum()
                optim.zero_grad()
                loss.backward()
                optim.step()
                sched.step()
                history.append(float(loss.detach()))
                bar.advance(task)

    hold_texts = [texts[i] for i in hold_idx]
    hold_logits, hold_pooled = _logits(net, tokenizer, hold_texts, cfg.max_length)
    hold_targets = data.targets[hold_idx]
    outputs = ["unsafe", *data.codes]
    calibration = {o: list(asdict(fit_platt(hold_logits[:, j], hold_targets[:, j])).values())
                   for j, o in enumerate(outputs)}
    config = DetectorConfig(codes=list(data.codes), max_length=cfg.max_length, calibration=calibration)
    probs = np.column_stack([config.platt(o).apply(hold_logits[:, j]) for j, o in enumerate(outputs)])
    weak_unsafe = hold_targets[:, 0] >= 0.5
    config.threshold = best_f1_threshold(probs[:, 0], weak_unsafe)
    for j, code in enumerate(data.codes, start=1):
        positives = hold_targets[:, j] >= 0.5
        if positives.sum() >= 5:
            config.category_thresholds[code] = best_f1_threshold(probs[:, j], positives)
    config.similarity_calibration = _fit_similarity_calibration(net, tokenizer, data, hold_pooled, hold_targets)
    config.training = {"train_config": _jsonable(asdict(cfg)), "n_train": len(train_idx), "n_holdout": len(hold_idx),
                       "seconds": round(time.time() - started, 1), "final_loss": float(np.mean(history[-20:]))}
    FastClassifier.save(out_dir, net, config)
    metrics = _holdout_metrics(probs, hold_targets, config.threshold)
    return TrainResult(Path(out_dir), config, metrics, time.time() - started, history)


def _fit_similarity_calibration(net: ClassifierNet, tokenizer, data: WeakDataset, pooled: np.ndarray, targets: np.ndarray) -> list[float]:
    """Map cosine similarity to a category description onto a probability, fitted on the default
    hazards; custom policy categories reuse the mapping without retraining."""
    from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY

    descriptions = [DEFAULT_TAXONOMY.get(c).text for c in data.codes]
    _, desc_pooled = _logits(net, tokenizer, descriptions, 256)
    sims = pooled @ desc_pooled.T
    platt = fit_platt(sims.reshape(-1), targets[:, 1:].reshape(-1))
    return [platt.a, platt.b]


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
