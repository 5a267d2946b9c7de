"""The fast detector's torch module, for training and for the one-time ONNX export; the serving
path never imports it (it runs the export with ONNX Runtime)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import torch
from torch import nn

from slmguard.core.errors import ArtifactError

if TYPE_CHECKING:
    from slmguard.detect.fast_classifier import DetectorConfig


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


def build_net(folder: Path, config: "DetectorConfig", encoder_path: Path | None = None) -> ClassifierNet:
    """The artifact's encoder (LoRA merged: inference then costs what the plain encoder costs) and head."""
    from peft import PeftModel
    from safetensors.torch import load_file

    from slmguard.detect.fast_classifier import ADAPTER_DIR, HEAD_FILE
    from slmguard.models.encoder import load_encoder

    encoder = load_encoder(encoder_path)
    if (folder / ADAPTER_DIR).is_dir():
        encoder = PeftModel.from_pretrained(encoder, str(folder / ADAPTER_DIR)).merge_and_unload()
    net = ClassifierNet(encoder, len(config.outputs))
    head = load_file(str(folder / HEAD_FILE))
    if head["weight"].shape[0] != len(config.outputs):
        raise ArtifactError(f"{folder}: head has {head['weight'].shape[0]} outputs, config names {len(config.outputs)}")
    net.head.load_state_dict(head)
    return net.eval()


def write_graph(folder: Path, config: "DetectorConfig", encoder_path: Path | None = None) -> None:
    """Export the artifact's merged model once and ship its graph without weights (models/onnx_graph.py),
    so a runtime-only install rebuilds the ONNX model from safetensors."""
    import tempfile

    from slmguard.models.encoder import load_tokenizer
    from slmguard.models.onnx_graph import strip_weights
    from slmguard.models.onnx_runtime import export_onnx

    net = build_net(folder, config, encoder_path)
    with tempfile.TemporaryDirectory() as tmp:
        exported = export_onnx(net, load_tokenizer(encoder_path), Path(tmp) / "detector.onnx")
        strip_weights(exported, {k: v.detach().numpy() for k, v in net.state_dict().items()}, folder)
