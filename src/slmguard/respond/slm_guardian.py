"""The SLM guardian at run time: one causal LM (+ LoRA adapter) that detects and responds.

Detection reads label-token probabilities from one forward pass over
`prompt + "unsafe:"`: at the end of the prompt, P(first token of "unsafe") against P("safe")
gives the score; at the end, the distribution over the first token of each ` code` gives the
hazards. The log-odds are Platt-calibrated on the weakly labelled held-back split.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal, Sequence

import numpy as np

from slmguard.core.errors import ArtifactError
from slmguard.detect.calibration import Platt
from slmguard.models.artifacts import verify_manifest
from slmguard.models.causal_lm import DEFAULT_BASE, load_causal_lm
from slmguard.models.generation import GenerationConfig, Generator, TransformersGenerator
from slmguard.respond.prompts import (
    CATEGORY_LEAD,
    SAFE_LABEL,
    UNSAFE_LABEL,
    chat_text,
    detect_messages,
    first_sentences,
    respond_messages,
    safeguard_opening,
)
from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY

DEFAULT_GUARDIAN = Path(__file__).resolve().parents[1] / "artifacts" / "guardian"
Backend = Literal["auto", "onnxruntime-genai", "transformers", "llama.cpp"]
BACKENDS = ("auto", "onnxruntime-genai", "llama.cpp", "transformers")


@dataclass(frozen=True)
class GuardianConfig:
    base: str = DEFAULT_BASE
    tasks: tuple[str, ...] = ("detect", "respond")
    codes: tuple[str, ...] = tuple(DEFAULT_TAXONOMY.codes)
    platt: tuple[float, float] = (1.0, 0.0)
    threshold: float = 0.5
    cascade_band: tuple[float, float] = (0.2, 0.9)  # fast-detector scores the SLM re-decides
    max_text_tokens: int = 256
    training: dict = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> "GuardianConfig":
        raw = json.loads((folder / "guardian.json").read_text())
        for key in ("tasks", "codes", "platt", "cascade_band"):
            if key in raw:
                raw[key] = tuple(raw[key])
        return cls(**raw)

    def write(self, folder: Path) -> None:
        (folder / "guardian.json").write_text(json.dumps(asdict(self), indent=2))


@dataclass(frozen=True)
class SlmScores:
    probs: np.ndarray  # (n,) calibrated P(unsafe)
    categories: np.ndarray  # (n, K) distribution over hazard codes given unsafe


class SlmGuardian:
    def __init__(self, model, tokenizer, config: GuardianConfig, generator: Generator | None = None,
                 artifact: Path | None = None) -> None:
        self.model, self.tokenizer, self.config = model, tokenizer, config
        self.generator = generator or TransformersGenerator(model, tokenizer)
        self.backend = self.generator.name
        self.artifact = artifact
        self.platt = Platt(*config.platt)
        tok = tokenizer
        self._safe_id = tok.encode(SAFE_LABEL, add_special_tokens=False)[0]
        self._unsafe_id = tok.encode(UNSAFE_LABEL, add_special_tokens=False)[0]
        if self._safe_id == self._unsafe_id:
            raise ArtifactError("the tokenizer gives 'safe' and 'unsafe' the same first token")
        self._suffix = tok.encode(UNSAFE_LABEL + CATEGORY_LEAD, add_special_tokens=False)
        self._code_ids = [tok.encode(f"{UNSAFE_LABEL}{CATEGORY_LEAD} {c}", add_special_tokens=False)[len(self._suffix)]
                          for c in config.codes]
        if len(set(self._code_ids)) != len(self._code_ids):
            raise ArtifactError("two hazard codes share their first token; category scores would be ambiguous")

    @property
    def model_id(self) -> str:
        return f"slm-guardian:{self.artifact.name if self.artifact else self.config.base + ' (no adapter)'}"

    @classmethod
    def load(cls, artifact: Path | None = DEFAULT_GUARDIAN, base: str | None = None, cache_dir: Path | None = None,
             backend: Backend = "auto", merge: bool = True, threads: int | None = None) -> "SlmGuardian":
        """`artifact=None` loads the base model alone (the no-adapter baseline). `threads` bounds the
        CPU threads a generation uses (default: every core); under contention fewer threads keep one
        response from taking every core, and more make it faster when it runs alone."""
        from slmguard.core.config import Settings

        cache = Path(cache_dir) if cache_dir else Settings.resolve().cache_dir
        config = GuardianConfig()
        if artifact is not None:
            artifact = Path(artifact)
            if not (artifact / "guardian.json").is_file():
                raise ArtifactError(f"{artifact}: not a guardian artifact (guardian.json missing); "
                                    "train one with `slmguard train guardian`")
            verify_manifest(artifact)
            config = GuardianConfig.read(artifact)
        base = base or config.base
        chosen = choose_backend(backend, base)
        if chosen == "transformers":
            model, tokenizer = _torch_model(artifact, base, cache, merge)
            return cls(model, tokenizer, config, TransformersGenerator(model, tokenizer, threads), artifact)
        # llama.cpp and onnxruntime-genai both score and generate, so the torch weights are not
        # loaded (onnxruntime-genai's first use builds its models from them, once).
        from transformers import AutoTokenizer

        from slmguard.models.causal_lm import packaged_gguf, resolve_base

        tokenizer = AutoTokenizer.from_pretrained(resolve_base(base, cache))
        if chosen == "llama.cpp":
            from slmguard.models.generation import LlamaCppGenerator

            lora = _gguf_adapter(artifact, cache) if artifact is not None else None
            return cls(None, tokenizer, config, LlamaCppGenerator(packaged_gguf(), lora, n_threads=threads), artifact)
        from slmguard.models.ort_genai import OrtGenaiGenerator

        folder = _onnx_models(artifact, base, cache)
        return cls(None, tokenizer, config, OrtGenaiGenerator(folder, tokenizer, threads), artifact)

    def _detect_rows(self, texts: Sequence[str], kind: str) -> list[list[int]]:
        tok = self.tokenizer
        rows = []
        for t in texts:
            ids = tok.encode(t, add_special_tokens=False)
            text = tok.decode(ids[: self.config.max_text_tokens]) if len(ids) > self.config.max_text_tokens else t
            rows.append(tok.encode(chat_text(tok, detect_messages(text, kind)), add_special_tokens=False) + self._suffix)
        return rows

    def _readout(self, label_logits, category_logits) -> tuple[np.ndarray, np.ndarray]:
        import torch

        lab = torch.log_softmax(torch.as_tensor(label_logits).float(), dim=-1)
        log_odds = (lab[:, self._unsafe_id] - lab[:, self._safe_id]).numpy()
        cats = torch.softmax(torch.as_tensor(category_logits)[:, self._code_ids].float(), dim=-1).numpy()
        return log_odds, cats

    def _detect_batch(self, texts: Sequence[str], kind: str) -> tuple[np.ndarray, np.ndarray]:
        import torch

        rows = self._detect_rows(texts, kind)
        label_pos = -len(self._suffix) - 1
        if hasattr(self.generator, "logits_at"):
            # llama.cpp scores one sequence at a time, reusing the cached system prompt.
            outs = [self.generator.logits_at(r, [len(r) + label_pos, len(r) - 1]) for r in rows]
            return self._readout(np.stack([o[0] for o in outs]), np.stack([o[1] for o in outs]))
        tok = self.tokenizer
        width = max(map(len, rows))
        pad = tok.pad_token_id
        input_ids = torch.tensor([[pad] * (width - len(r)) + r for r in rows])
        mask = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rows])
        with torch.inference_mode():
            # Only the label and category positions are read: skip the vocabulary projection elsewhere.
            logits = self.model(input_ids=input_ids, attention_mask=mask, logits_to_keep=-label_pos).logits
        return self._readout(logits[:, label_pos, :], logits[:, -1, :])

    def log_odds(self, texts: Sequence[str], kind: str = "prompt", batch_size: int = 16,
                 progress: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        from tqdm.auto import tqdm

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        odds = np.zeros(len(texts))
        cats = np.zeros((len(texts), len(self.config.codes)))
        starts = range(0, len(order), batch_size)
        for s in tqdm(starts, desc=progress, disable=progress is None):
            idx = order[s:s + batch_size]
            o, c = self._detect_batch([texts[i] for i in idx], kind)
            odds[idx], cats[idx] = o, c
        return odds, cats

    def score(self, texts: Sequence[str], kind: str = "prompt", batch_size: int = 16,
              progress: str | None = None) -> SlmScores:
        if not texts:
            return SlmScores(np.zeros(0), np.zeros((0, len(self.config.codes))))
        odds, cats = self.log_odds(texts, kind, batch_size, progress)
        return SlmScores(self.platt.apply(odds), cats)

    def respond(self, texts: Sequence[str], cfg: GenerationConfig = GenerationConfig(),
                progress: str | None = None) -> list[str]:
        """The respond task on its own: the model decides whether to help or decline."""
        prompts = [chat_text(self.tokenizer, respond_messages(t)) for t in texts]
        return self.generator.generate(prompts, cfg, progress)

    def safeguard(self, texts: Sequence[str], codes: Sequence[str], cfg: GenerationConfig = GenerationConfig(),
                  variant: int = 0) -> list[tuple[str, str]]:
        """Safeguard responses for prompts already judged unsafe, as (opening, continuation).

        The verdict is known, so the response starts from the opening that declines and names the
        hazard (the shape of the training targets) and the model writes the safe alternative.
        """
        openings = [safeguard_opening(c, variant) for c in codes]
        prompts = [chat_text(self.tokenizer, respond_messages(t)) + o for t, o in zip(texts, openings)]
        written = self.generator.generate(prompts, cfg)
        return [(o, first_sentences(w)) for o, w in zip(openings, written)]


def choose_backend(backend: Backend, base: str) -> str:
    """`auto` is onnxruntime-genai for the packaged SmolLM2 (llama.cpp only when asked for), and
    transformers for any other base model."""
    from slmguard.models.generation import llama_cpp_available
    from slmguard.models.ort_genai import ort_genai_available

    if backend not in BACKENDS:
        raise ArtifactError(f"unknown SLM backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    if backend == "auto":
        return "onnxruntime-genai" if ort_genai_available() and base == DEFAULT_BASE else "transformers"
    if backend == "llama.cpp":
        if base != DEFAULT_BASE:
            raise ArtifactError("the llama.cpp backend runs the packaged SmolLM2 GGUF only; use --backend transformers")
        if not llama_cpp_available():
            raise ArtifactError("llama-cpp-python is not installed: run `make setup-llama` (it compiles it) or use "
                                "another --backend")
    if backend == "onnxruntime-genai" and not ort_genai_available():
        raise ArtifactError("onnxruntime-genai is not installed: pip install onnxruntime-genai onnx-ir")
    return backend


def _torch_model(artifact: Path | None, base: str, cache: Path, merge: bool = True):
    """(model, tokenizer) in torch: the base with the artifact's adapter (merged unless told not to)."""
    model, tokenizer = load_causal_lm(base, cache)
    if artifact is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(artifact / "adapter"))
        if merge:
            model = model.merge_and_unload()
        model.eval()
    return model, tokenizer


def _onnx_models(artifact: Path | None, base: str, cache: Path) -> Path:
    """onnxruntime-genai's models of the merged guardian, built once per base and adapter content."""
    import hashlib

    from slmguard.models.artifacts import sha256_file
    from slmguard.models.ort_genai import build_onnx_models, is_built

    adapter = sha256_file(artifact / "adapter" / "adapter_model.safetensors") if artifact is not None else "none"
    key = hashlib.sha256(f"{base}\n{adapter}".encode()).hexdigest()[:16]
    out = cache / "onnx-genai" / key
    if is_built(out):  # checked here too: building needs the torch model loaded
        return out
    model, tokenizer = _torch_model(artifact, base, cache)
    return build_onnx_models(model, tokenizer, out)


def _gguf_adapter(artifact: Path, cache: Path) -> Path:
    """The adapter in GGUF form, written once per adapter content into the cache."""
    from slmguard.core.files import replacing
    from slmguard.models.artifacts import sha256_file
    from slmguard.models.gguf_lora import export_gguf_lora

    digest = sha256_file(artifact / "adapter" / "adapter_model.safetensors")[:16]
    out = cache / "gguf-lora" / f"{digest}.gguf"
    if not out.is_file():
        with replacing(out) as tmp:
            export_gguf_lora(artifact / "adapter", tmp)
    return out
