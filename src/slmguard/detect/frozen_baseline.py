"""`frozen-lr`: frozen all-MiniLM-L6-v2 embeddings + logistic regression on origin labels alone.

The baseline asks what the weak-supervision machinery (labeling functions, label model, LoRA)
buys over the simplest use of the same pools: every row keeps its set's own label (a harmful
set's rows are unsafe, Alpaca and ToxiGen's neutral rows safe), the encoder stays frozen, and a
linear model is fitted on top. As for the trained detector, exact and near duplicates of
evaluation texts are dropped first, and the threshold maximises F1 on a held-back 15% of these
weakly labelled rows, never on an evaluation set.

The fitted model is cached as JSON (coefficients, intercept, threshold), never pickled, under
a key that changes when a pool file, an evaluation file (de-duplication depends on them) or a
setting changes.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from slmguard.core.files import write_text_atomic
from slmguard.core.types import Example, Kind, Label, Role, Verdict
from slmguard.detect.baselines import last_text
from slmguard.detect.normalize import normalize_text
from slmguard.models.encoder import embed

# Pools not registered in this checkout are skipped (and the key records which were used).
POOLS = ("advbench", "advbench_strings", "catqa", "harmfulqa", "dangerousqa", "do_not_answer", "toxigen",
         "jailbreak_in_the_wild", "safety_tuned_llamas", "alpaca")
FORMAT = 1  # bump when the cached file's meaning changes
ENCODER_ID = "sentence-transformers/all-MiniLM-L6-v2"


@dataclass(frozen=True)
class FrozenLRConfig:
    pools: tuple[str, ...] = POOLS
    alpaca_limit: int = 9000  # the same order of benign rows as the trained detector's pool
    held_out: float = 0.15
    seed: int = 0
    near_threshold: float = 0.9  # MiniLM cosine; the trained detector's de-duplication setting
    C: float = 1.0
    max_iter: int = 2000


@dataclass(frozen=True)
class FrozenLRModel:
    """A fitted baseline: P(unsafe) = sigmoid(emb . coef + intercept), unsafe at >= threshold."""

    coef: np.ndarray
    intercept: float
    threshold: float
    key: str
    stats: dict = field(default_factory=dict)

    def proba(self, emb: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(np.asarray(emb, dtype=np.float64) @ self.coef + self.intercept)))

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "key": self.key, "coef": self.coef.tolist(),
                           "intercept": self.intercept, "threshold": self.threshold, "stats": self.stats}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "FrozenLRModel":
        d = json.loads(text)
        if d.get("format") != FORMAT:
            raise ValueError(f"cached baseline has format {d.get('format')}, expected {FORMAT}")
        return cls(np.asarray(d["coef"], dtype=np.float64), float(d["intercept"]), float(d["threshold"]),
                   d["key"], d.get("stats", {}))


def registered_pools(cfg: FrozenLRConfig) -> list[str]:
    from slmguard.data import DATASETS

    return [p for p in cfg.pools if p in DATASETS and DATASETS.get(p).role is Role.TRAINING_POOL]


def pool_examples(data_dir: Path, cfg: FrozenLRConfig) -> list[Example]:
    """Every labelled row of the pools (origin label, rows without one skipped), Alpaca sampled."""
    from slmguard.data import load

    rng = random.Random(cfg.seed)
    out: list[Example] = []
    for name in registered_pools(cfg):
        rows = [e for e in load(name, data_dir, purpose="training").examples if e.label is not None]
        if name == "alpaca" and len(rows) > cfg.alpaca_limit:
            rows = rng.sample(rows, cfg.alpaca_limit)
        out.extend(rows)
    return out


def evaluation_texts(data_dir: Path) -> list[str]:
    from slmguard.data import load, names

    return [e.text for n in names(Role.EVALUATION) for e in load(n, data_dir).examples]


def _file_stats(data_dir: Path, set_names: Sequence[str]) -> list[list]:
    from slmguard.data import DATASETS

    stats = []
    for name in set_names:
        spec = DATASETS.get(name)
        for f in spec.files:
            path = Path(data_dir) / spec.folder / f
            st = path.stat() if path.is_file() else None
            stats.append([name, f, st.st_size if st else None, st.st_mtime_ns if st else None])
    return stats


def cache_key(data_dir: Path, cfg: FrozenLRConfig, encoder_id: str = ENCODER_ID) -> str:
    """Hash of the pool and evaluation files' sizes and mtimes, the settings and the encoder."""
    from slmguard.data import names

    payload = {"format": FORMAT, "encoder": encoder_id, "cfg": asdict(cfg),
               "pools": _file_stats(data_dir, registered_pools(cfg)),
               "evaluation": _file_stats(data_dir, names(Role.EVALUATION))}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class TrainingRows:
    texts: list[str]
    y: np.ndarray  # 1 = unsafe
    emb: np.ndarray
    stats: dict


def training_rows(data_dir: Path, cfg: FrozenLRConfig, encoder, progress: bool) -> TrainingRows:
    """The pools' labelled rows without repeats and without (near) copies of evaluation texts."""
    from slmguard.data.dedup import drop_exact_repeats, find_contaminated

    examples = pool_examples(data_dir, cfg)
    examples = [examples[i] for i in drop_exact_repeats([e.text for e in examples])]
    texts = [e.text for e in examples]
    eval_texts = evaluation_texts(data_dir)
    emb = embed(encoder, texts, progress)
    eval_emb = embed(encoder, eval_texts, progress) if eval_texts else None
    report = find_contaminated(texts, eval_texts, emb, eval_emb, cfg.near_threshold)
    keep = [i for i in range(len(examples)) if i not in report.dropped]
    per_source: dict[str, dict[str, int]] = {}
    for i in keep:
        counts = per_source.setdefault(examples[i].source, {"unsafe": 0, "safe": 0})
        counts["unsafe" if examples[i].label is Label.UNSAFE else "safe"] += 1
    y = np.array([examples[i].label is Label.UNSAFE for i in keep], dtype=int)
    stats = {"pools": per_source, "dropped_exact": len(report.exact), "dropped_near": len(report.near)}
    return TrainingRows([texts[i] for i in keep], y, emb[keep], stats)


def choose_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) with the highest F1 on these labels; unsafe means p >= threshold."""
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(y, p)
    # The last precision/recall pair has no threshold (recall 0); leave it out.
    p_, r_ = precision[:-1], recall[:-1]
    f1 = np.where(p_ + r_ > 0, 2 * p_ * r_ / np.maximum(p_ + r_, 1e-12), 0.0)
    best = int(np.argmax(f1))
    return float(thresholds[best]), float(f1[best])


def fit_frozen_lr(rows: TrainingRows, cfg: FrozenLRConfig, key: str) -> FrozenLRModel:
    """Fit on 85% of the rows; pick the threshold on the stratified 15% held back (seed 0)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    if len(set(rows.y.tolist())) < 2:
        raise ValueError("frozen-lr needs both unsafe and safe rows in its pools")
    idx = np.arange(len(rows.y))
    fit_idx, held_idx = train_test_split(idx, test_size=cfg.held_out, stratify=rows.y, random_state=cfg.seed)
    lr = LogisticRegression(C=cfg.C, max_iter=cfg.max_iter, random_state=cfg.seed)
    lr.fit(rows.emb[fit_idx], rows.y[fit_idx])
    model = FrozenLRModel(lr.coef_[0].astype(np.float64), float(lr.intercept_[0]), 0.5, key)
    threshold, f1 = choose_threshold(rows.y[held_idx], model.proba(rows.emb[held_idx]))
    stats = {**rows.stats, "n_fit": len(fit_idx), "n_held": len(held_idx), "held_f1": round(f1, 4),
             "n_unsafe": int(rows.y.sum()), "n_safe": int(len(rows.y) - rows.y.sum())}
    return FrozenLRModel(model.coef, model.intercept, threshold, key, stats)


def cache_path(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / "baselines" / f"frozen-lr-{key}.json"


def load_or_fit(data_dir: Path, cache_dir: Path, cfg: FrozenLRConfig = FrozenLRConfig(), encoder=None,
                encoder_id: str = ENCODER_ID, progress: bool = True) -> tuple[FrozenLRModel, object]:
    """(model, encoder): the cached model when the pools are unchanged, else a fresh fit (cached)."""
    from slmguard.models.encoder import sentence_encoder

    key = cache_key(data_dir, cfg, encoder_id)
    path = cache_path(cache_dir, key)
    encoder = encoder or sentence_encoder()
    if path.is_file():
        try:
            return FrozenLRModel.from_json(path.read_text(encoding="utf-8")), encoder
        except (ValueError, KeyError):
            pass  # an older or damaged file: fit again and overwrite it
    model = fit_frozen_lr(training_rows(data_dir, cfg, encoder, progress), cfg, key)
    write_text_atomic(path, model.to_json())
    return model, encoder


class FrozenLRDetector:
    """The `frozen-lr` detector: LR probability as the score, no hazard categories."""

    accepts_conversations = True  # judges the last message (see baselines.last_text)

    def __init__(self, model: FrozenLRModel, encoder, progress_over: int = 256) -> None:
        self.model, self.encoder = model, encoder
        self.threshold = model.threshold
        self.model_id = f"frozen-minilm-lr:{model.key[:8]}"
        self.progress_over = progress_over  # batches this large show a bar while embedding

    @classmethod
    def load(cls, data_dir: str | Path | None = None, cfg: FrozenLRConfig = FrozenLRConfig(),
             progress: bool = True) -> "FrozenLRDetector":
        from slmguard.core.config import Settings

        settings = Settings.resolve(data_dir=data_dir)
        model, encoder = load_or_fit(settings.require_data_dir(), settings.cache_dir, cfg, progress=progress)
        return cls(model, encoder)

    def classify_batch(self, texts: Sequence[object], kind: Kind = Kind.PROMPT) -> list[Verdict]:
        if not texts:
            return []
        start = time.perf_counter()
        clean = [normalize_text(last_text(t, f"item {i}"), where=f"item {i}") for i, t in enumerate(texts)]
        probs = self.model.proba(embed(self.encoder, clean, len(clean) >= self.progress_over))
        latency = (time.perf_counter() - start) * 1000 / len(texts)
        return [Verdict(bool(p >= self.threshold), float(p), {}, self.threshold, {}, self.model_id, latency, kind)
                for p in probs]
