"""Text generation backends for the small generative model.

`transformers` always works (batched, KV cache, any causal LM and any peft adapter).
`llama.cpp` (llama-cpp-python, compiled by the set-up command) runs the packaged GGUF with the
adapter exported to GGUF and is about ten times faster for one stream on a 2-core CPU.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

from slmguard.core.registry import Registry

# Batched generation of a torch model: 32 sequences give ~200 tokens/s on 2 cores.
GEN_BATCH = 32


@dataclass(frozen=True)
class GenerationConfig:
    max_new_tokens: int = 80
    temperature: float = 0.0  # 0 = greedy
    top_p: float = 0.95
    seed: int = 0
    batch_size: int = 16
    repetition_penalty: float = 1.1


class Generator(Protocol):
    name: str

    def generate(self, prompts: Sequence[str], cfg: GenerationConfig = GenerationConfig(),
                 progress: str | None = None) -> list[str]:
        """Continue each fully formatted chat prompt; returns the new text only."""


GENERATORS: Registry[type] = Registry("generation backend")


@GENERATORS.register("transformers")
class TransformersGenerator:
    name = "transformers"

    def __init__(self, model, tokenizer, threads: int | None = None) -> None:
        self.model, self.tokenizer, self.threads = model, tokenizer, threads

    def generate(self, prompts: Sequence[str], cfg: GenerationConfig = GenerationConfig(),
                 progress: str | None = None) -> list[str]:
        import torch

        torch.manual_seed(cfg.seed)
        previous = torch.get_num_threads()
        if self.threads:
            torch.set_num_threads(self.threads)  # torch's setting is per process: restored below
        try:
            return self._generate(prompts, cfg, progress)
        finally:
            torch.set_num_threads(previous)

    def _generate(self, prompts: Sequence[str], cfg: GenerationConfig, progress: str | None) -> list[str]:
        import torch
        from tqdm.auto import tqdm

        out: list[str] = [""] * len(prompts)
        # Similar lengths share a batch so little time goes to padding.
        order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
        batches = [order[i:i + cfg.batch_size] for i in range(0, len(order), cfg.batch_size)]
        for batch in tqdm(batches, desc=progress, disable=progress is None):
            enc = self.tokenizer([prompts[i] for i in batch], return_tensors="pt", padding=True,
                                 add_special_tokens=False)
            sampling = cfg.temperature > 0
            with torch.inference_mode():
                ids = self.model.generate(
                    **enc, max_new_tokens=cfg.max_new_tokens, do_sample=sampling,
                    temperature=cfg.temperature if sampling else None, top_p=cfg.top_p if sampling else None,
                    top_k=None, repetition_penalty=cfg.repetition_penalty,
                    pad_token_id=self.tokenizer.pad_token_id)
            new = ids[:, enc["input_ids"].shape[1]:]
            for i, row in zip(batch, new):
                out[i] = self.tokenizer.decode(row, skip_special_tokens=True).strip()
        return out


def llama_cpp_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("llama_cpp") is not None


@GENERATORS.register("llama.cpp")
class LlamaCppGenerator:
    name = "llama.cpp"

    def __init__(self, gguf: Path, lora_gguf: Path | None = None, n_ctx: int = 1024, n_threads: int | None = None,
                 stop: Sequence[str] = ("<|im_end|>",)) -> None:
        import os

        from llama_cpp import Llama

        self.llm = Llama(model_path=str(gguf), lora_path=str(lora_gguf) if lora_gguf else None, n_ctx=n_ctx,
                         n_threads=n_threads or os.cpu_count(), n_batch=512, verbose=False, seed=0)
        self.stop = list(stop)

    def generate(self, prompts: Sequence[str], cfg: GenerationConfig = GenerationConfig(),
                 progress: str | None = None) -> list[str]:
        from tqdm.auto import tqdm

        out = []
        for i, prompt in enumerate(tqdm(prompts, desc=progress, disable=progress is None)):
            tokens = self.llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
            res = self.llm.create_completion(
                tokens, max_tokens=cfg.max_new_tokens, temperature=cfg.temperature, top_p=cfg.top_p,
                top_k=0 if cfg.temperature > 0 else 1, repeat_penalty=cfg.repetition_penalty,
                seed=cfg.seed + i, stop=self.stop)
            out.append(res["choices"][0]["text"].strip())
        return out

    def logits_at(self, tokens: Sequence[int], positions: Sequence[int]):
        """Next-token logits at the given positions, from one decode call.

        The KV cache keeps the longest prefix shared with the previous call (the task's system
        prompt), so only the new tokens are computed.
        """
        import llama_cpp
        import numpy as np

        llm = self.llm
        cached = llm.input_ids[:llm.n_tokens].tolist()
        n = min(llm.longest_token_prefix(cached, tokens), min(positions))
        rest = list(tokens[n:])
        if len(rest) > llm.n_batch:
            raise ValueError(f"input of {len(tokens)} tokens is longer than the scoring batch ({llm.n_batch})")
        llm._ctx.kv_cache_seq_rm(-1, n, -1)
        llm._batch.set_batch(batch=rest, n_past=n, logits_all=False)
        for p in positions:
            llm._batch.batch.logits[p - n] = True
        llm._ctx.decode(llm._batch)
        llm.input_ids[n:n + len(rest)] = rest
        llm.n_tokens = n + len(rest)
        vocab = llm.n_vocab()
        return np.stack([np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm._ctx.ctx, p - n), shape=(vocab,)).copy()
                         for p in positions])
