import json

import pytest
import torch
from safetensors.torch import save_file

from slmguard.core.errors import ArtifactError
from slmguard.models.gguf_lora import export_gguf_lora


def _adapter(folder, modules):
    folder.mkdir()
    (folder / "adapter_config.json").write_text(json.dumps({"lora_alpha": 16, "r": 4}))
    tensors = {}
    for m in modules:
        tensors[f"base_model.model.model.layers.0.{m}.lora_A.weight"] = torch.randn(4, 64)
        tensors[f"base_model.model.model.layers.0.{m}.lora_B.weight"] = torch.randn(128, 4)
    save_file(tensors, str(folder / "adapter_model.safetensors"))
    return folder


def test_export_writes_llama_cpp_names_shapes_and_alpha(tmp_path):
    import gguf

    out = export_gguf_lora(_adapter(tmp_path / "a", ["mlp.up_proj", "self_attn.v_proj"]), tmp_path / "a.gguf")
    reader = gguf.GGUFReader(str(out))
    names = {t.name: t for t in reader.tensors}
    assert set(names) == {"blk.0.ffn_up.weight.lora_a", "blk.0.ffn_up.weight.lora_b",
                          "blk.0.attn_v.weight.lora_a", "blk.0.attn_v.weight.lora_b"}
    # GGUF lists dimensions innermost first: A is (in=64, r=4), B is (r=4, out=128).
    assert list(names["blk.0.ffn_up.weight.lora_a"].shape) == [64, 4]
    assert list(names["blk.0.ffn_up.weight.lora_b"].shape) == [4, 128]
    alpha = reader.fields["adapter.lora.alpha"]
    assert float(alpha.parts[alpha.data[0]][0]) == 16.0


def test_export_refuses_permuted_projections(tmp_path):
    with pytest.raises(ArtifactError, match="q_proj"):
        export_gguf_lora(_adapter(tmp_path / "q", ["self_attn.q_proj"]), tmp_path / "q.gguf")
