"""Write a peft LoRA adapter as a GGUF LoRA adapter that llama.cpp loads next to the base GGUF.

llama.cpp's own converter needs its source tree; the format is small (names, A and B matrices,
alpha), so the `gguf` package writes it directly. q_proj and k_proj are stored permuted in
llama-architecture GGUF files, so adapters that target them are refused rather than silently
mis-applied: the guardian's LoRA targets the other linear layers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from safetensors.numpy import load_file

from slmguard.core.errors import ArtifactError

_GGUF_NAMES = {
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
_KEY = re.compile(r"layers\.(\d+)\.(.+)\.lora_([AB])\.weight$")


def export_gguf_lora(adapter_dir: Path, out: Path, architecture: str = "llama") -> Path:
    import gguf
    import numpy as np

    adapter_dir = Path(adapter_dir)
    config = json.loads((adapter_dir / "adapter_config.json").read_text())
    tensors = load_file(str(adapter_dir / "adapter_model.safetensors"))
    writer = gguf.GGUFWriter(str(out), architecture)
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(config["lora_alpha"]))
    for key in sorted(tensors):
        m = _KEY.search(key)
        if not m or m.group(2) not in _GGUF_NAMES:
            raise ArtifactError(f"{adapter_dir}: adapter tensor '{key}' has no GGUF equivalent "
                                f"(supported: {', '.join(_GGUF_NAMES)})")
        layer, module, ab = m.groups()
        name = f"blk.{layer}.{_GGUF_NAMES[module]}.weight.lora_{ab.lower()}"
        writer.add_tensor(name, np.ascontiguousarray(tensors[key], dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return out
