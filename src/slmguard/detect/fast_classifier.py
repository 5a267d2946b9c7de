"""The fast detector: all-MiniLM-L6-v2 with LoRA adapters and a multi-label head.

Output 0 is the overall unsafe logit; outputs 1..K are the taxonomy hazards. Long inputs are
scored in overlapping token windows and the maximum over windows is kept, so nothing is
silently truncated.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Sequence

import numpy as np
import torch
from torch import nn

from slmguard.core.errors import ArtifactError
from slmguard.detect.calibration import Platt
from slmguard.models.artifacts import verify_manifest, write_manifest

if TYPE_CHECKING:
    from slmguard.models.onnx_runtime import OnnxNet

DETECTOR_CONFIG = "detector.json"
HEAD_FILE = "head.safetensors"
ADAPTER_DIR = "adapter"


@dataclass
class DetectorConfig:
    """Everything needed to rebuild the detector around its weights."""

    codes: list[str]
    base_model: str = "sentence-transformers/all-MiniLM-L6-v2"
    max_length: int = 128
    window_stride: int = 32
    threshold: float = 0.5
    category_thresholds: dict[str, float] = field(default_factory=dict)
    calibration: dict[str, list[float]] = field(default_factory=dict)  # output -> [a, b]
    similarity_calibration: list[float] = field(default_factory=lambda: [10.0, -5.0])
    model_id: str = "slmguard-minilm-detector"
    training: dict = field(default_factory=dict)

    def platt(self, output: str) -> Platt:
        a, b = self.calibration.get(output, (1.0, 0.0))
        return Platt(a, b)

    @property
    def platt_similarity(self) -> Platt:
        return Platt(*self.similarity_calibration)

    @property
    def outputs(self) -> list[str]:
        return ["unsafe", *self.codes]


class ClassifierNet(nn.Module):
    """Encoder + mean pooling + linear head (one logit per output)."""

    def __init__(self, encoder: nn.Module, n_outputs: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.head = nn.Linear(encoder.config.hidden_size, n_outputs)

    def pooled(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        pooled = self.pooled(input_ids, attention_mask)
        return self.head(pooled), pooled


@dataclass
class RawScores:
    """Per-text calibrated probabilities and the L2-normalised embedding of its riskiest window."""

    probs: np.ndarray  # (n, 1 + K)
    embeddings: np.ndarray  # (n, hidden)


class FastClassifier:
    """Inference wrapper: windows, batching and calibration. `Guard` turns its scores into Verdicts."""

    def __init__(self, net: ClassifierNet, tokenizer, config: DetectorConfig, onnx: "OnnxNet | None" = None) -> None:
        self.net = net.eval()
        self.tokenizer = tokenizer
        self.config = config
        self.model_id = config.model_id
        self.onnx = onnx
        self._platt = [config.platt(o) for o in config.outputs]

    @property
    def backend(self) -> str:
        return "onnx" if self.onnx is not None else "torch"

    # ---- loading and saving -------------------------------------------------------------
    @classmethod
    def load(cls, folder: Path, encoder_path: Path | None = None, backend: Literal["onnx", "torch"] = "onnx",
             cache_dir: Path | None = None) -> "FastClassifier":
        """Load and verify an artifact. With backend='onnx' the merged model is exported once to
        `cache_dir` (keyed by the artifact's manifest and the base encoder) and run by ONNX Runtime."""
        from peft import PeftModel
        from safetensors.torch import load_file

        from slmguard.models.encoder import load_encoder, load_tokenizer

        folder = Path(folder)
        verify_manifest(folder)
        config = DetectorConfig(**json.loads((folder / DETECTOR_CONFIG).read_text()))
        encoder = load_encoder(encoder_path)
        if (folder / ADAPTER_DIR).is_dir():
            # Merged once at load: inference then costs what the plain encoder costs.
            encoder = PeftModel.from_pretrained(encoder, str(folder / ADAPTER_DIR)).merge_and_unload()
        net = ClassifierNet(encoder, len(config.outputs))
        head = load_file(str(folder / HEAD_FILE))
        if head["weight"].shape[0] != len(config.outputs):
            raise ArtifactError(f"{folder}: head has {head['weight'].shape[0]} outputs, config names {len(config.outputs)}")
        net.head.load_state_dict(head)
        tokenizer = load_tokenizer(encoder_path)
        onnx = _onnx_backend(net, tokenizer, folder, encoder_path, cache_dir) if backend == "onnx" else None
        return cls(net, tokenizer, config, onnx)

    @staticmethod
    def save(folder: Path, net: ClassifierNet, config: DetectorConfig) -> None:
        from safetensors.torch import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        encoder = net.encoder
        if hasattr(encoder, "save_pretrained") and hasattr(encoder, "peft_config"):
            encoder.save_pretrained(str(folder / ADAPTER_DIR), safe_serialization=True)
        save_file({k: v.detach().contiguous() for k, v in net.head.state_dict().items()}, str(folder / HEAD_FILE))
        (folder / DETECTOR_CONFIG).write_text(json.dumps(asdict(config), indent=2) + "\n")
        for stray in (folder / ADAPTER_DIR).glob("README.md"):
            stray.unlink()  # peft writes a model card template; it is not part of the artifact
        write_manifest(folder)

    # ---- scoring -------------------------------------------------------------------------
    def _windows(self, texts: Sequence[str]) -> tuple[dict[str, torch.Tensor], np.ndarray]:
        enc = self.tokenizer(
            list(texts), truncation=True, max_length=self.config.max_length, stride=self.config.window_stride,
            return_overflowing_tokens=True, padding=True, return_tensors="pt",
        )
        owner = enc.pop("overflow_to_sample_mapping").numpy()
        return {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"]}, owner

    def _forward(self, batch: dict[str, torch.Tensor]) -> tuple[np.ndarray, np.ndarray]:
        """Logits and L2-normalised pooled embeddings for a batch of windows."""
        if self.onnx is not None:
            logits, pooled = self.onnx(batch["input_ids"].numpy(), batch["attention_mask"].numpy())
        else:
            logits_t, pooled_t = self.net(**batch)
            logits, pooled = logits_t.float().numpy(), pooled_t.float().numpy()
        pooled = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return logits, pooled

    @torch.inference_mode()
    def raw_scores(self, texts: Sequence[str], batch_size: int = 64) -> RawScores:
        """Calibrated probabilities per output, max over windows; texts must be normalised."""
        n_out = len(self.config.outputs)
        probs = np.zeros((len(texts), n_out))
        hidden = self.net.encoder.config.hidden_size
        embeddings = np.zeros((len(texts), hidden), dtype=np.float32)
        best = np.full(len(texts), -1.0)
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            batch, owner = self._windows([texts[i] for i in idx])
            logits, pooled = self._forward(batch)
            window_probs = np.stack([p.apply(logits[:, j]) for j, p in enumerate(self._platt)], axis=1)
            for w, local in enumerate(owner):
                i = idx[local]
                probs[i] = np.maximum(probs[i], window_probs[w])
                if window_probs[w, 0] > best[i]:
                    best[i], embeddings[i] = window_probs[w, 0], pooled[w]
        return RawScores(probs, embeddings)


def _onnx_backend(net: ClassifierNet, tokenizer, folder: Path, encoder_path: Path | None, cache_dir: Path | None):
    from slmguard.core.config import Settings
    from slmguard.models.artifacts import MANIFEST
    from slmguard.models.onnx_runtime import OnnxNet, cache_key, export_onnx

    key = cache_key((folder / MANIFEST).read_text(), str(encoder_path or "packaged-minilm"), torch.__version__)
    path = (cache_dir or Settings.resolve().cache_dir) / "onnx" / f"detector-{key}.onnx"
    if not path.is_file():
        export_onnx(net, tokenizer, path)
    return OnnxNet(path, threads=torch.get_num_threads())
