"""Shared fixtures: a tiny encoder built from a config, a fake data folder, the real data folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory) -> Path:
    """A 2-layer, 32-wide BERT with all-MiniLM-L6-v2's tokenizer, saved as safetensors."""
    import torch
    from transformers import BertConfig, BertModel

    from slmguard.models.encoder import load_tokenizer

    folder = tmp_path_factory.mktemp("tiny-encoder")
    tokenizer = load_tokenizer()
    torch.manual_seed(0)
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=512)
    BertModel(config).save_pretrained(str(folder), safe_serialization=True)
    tokenizer.save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    from slmguard.core.config import Settings

    data_dir = Settings.resolve().data_dir
    if data_dir is None:
        pytest.skip("no data folder (../shared/data or SLMGUARD_DATA_DIR)")
    return data_dir


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path
