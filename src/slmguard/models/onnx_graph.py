"""The detector's ONNX graph shipped without its weights, so a runtime-only install (ONNX Runtime,
tokenizers, numpy; no torch) can build the ONNX model it serves.

At export (where torch is), every large initializer of the exported graph is matched to the
tensor of the merged model it copies (torch stores Linear weights transposed for MatMul) and
removed; the graph (a few hundred KB) and that map ship with the artifact. At load, the weights
come from the packaged base encoder's safetensors, the artifact's LoRA adapter (merged with numpy:
W + alpha/r * B @ A, as peft merges it) and its head, and go back into the graph.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from slmguard.core.files import replacing

GRAPH_FILE = "graph.onnx"
GRAPH_MAP = "graph.json"
_MIN_SIZE = 256  # smaller initializers (shapes, constants) stay in the graph
_LORA_PREFIX = "base_model.model."


def _fingerprint(a: np.ndarray) -> tuple:
    return a.dtype.str, a.shape, hashlib.sha1(np.ascontiguousarray(a).tobytes()).hexdigest()


def strip_weights(onnx_path: Path, state: dict[str, np.ndarray], out_dir: Path) -> None:
    """Write `out_dir/graph.onnx` without the initializers that copy a tensor of `state` (the merged
    model's state dict), and `graph.json`: initializer name -> [state key, transposed]."""
    import onnx

    index: dict[tuple, tuple[str, bool]] = {}
    for key, a in state.items():
        index.setdefault(_fingerprint(a), (key, False))
        if a.ndim == 2:
            index.setdefault(_fingerprint(a.T), (key, True))
    model = onnx.load(str(onnx_path))
    keep, mapping = [], {}
    for init in model.graph.initializer:
        a = onnx.numpy_helper.to_array(init)
        found = index.get(_fingerprint(a)) if a.size >= _MIN_SIZE else None
        if found is None:
            keep.append(init)
        else:
            mapping[init.name] = list(found)
    del model.graph.initializer[:]
    model.graph.initializer.extend(keep)
    out_dir.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(out_dir / GRAPH_FILE))
    (out_dir / GRAPH_MAP).write_text(json.dumps(mapping, indent=1, sort_keys=True) + "\n")


def merged_weights(encoder_dir: Path, adapter_dir: Path | None, head_file: Path) -> dict[str, np.ndarray]:
    """The classifier's state dict (`encoder.*`, `head.*`) from safetensors files, LoRA merged."""
    from safetensors.numpy import load_file

    state = {f"encoder.{k}": v.astype(np.float32) if v.dtype.kind == "f" else v
             for k, v in load_file(str(encoder_dir / "model.safetensors")).items()}
    if adapter_dir is not None and (adapter_dir / "adapter_model.safetensors").is_file():
        cfg = json.loads((adapter_dir / "adapter_config.json").read_text())
        if cfg.get("use_dora") or cfg.get("use_rslora") or cfg.get("fan_in_fan_out"):
            raise ValueError(f"{adapter_dir}: only plain LoRA adapters can be merged without torch")
        scale = cfg["lora_alpha"] / cfg["r"]
        lora = load_file(str(adapter_dir / "adapter_model.safetensors"))
        for key, a in lora.items():
            if key.endswith(".lora_A.weight"):
                module = key[len(_LORA_PREFIX):-len(".lora_A.weight")]
                b = lora[key.replace(".lora_A.", ".lora_B.")]
                state[f"encoder.{module}.weight"] = state[f"encoder.{module}.weight"] + scale * (b @ a)
    state.update({f"head.{k}": v for k, v in load_file(str(head_file)).items()})
    return state


def build_model(graph_dir: Path, state: dict[str, np.ndarray], out: Path) -> Path:
    """Put the weights back into the shipped graph and write the ONNX model to `out` (atomically)."""
    import onnx

    model = onnx.load(str(graph_dir / GRAPH_FILE))
    for name, (key, transposed) in json.loads((graph_dir / GRAPH_MAP).read_text()).items():
        a = state[key].T if transposed else state[key]
        model.graph.initializer.append(onnx.numpy_helper.from_array(np.ascontiguousarray(a), name))
    with replacing(out) as tmp:
        onnx.save(model, str(tmp))
    return out
