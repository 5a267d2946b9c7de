"""The SLM on onnxruntime-genai: a manylinux wheel, so no compiler is needed at set-up.

Two ONNX models come from one build of the merged model (adapter folded in) by
onnxruntime-genai's model builder: **fp32 scores** (its logits equal torch's, so detection scores
match the other backends) and **int4 writes** (4-bit weights write a 60-token answer about three
times faster than fp32; they would move detection scores by up to 0.38, see docs/slm_backends.md).
The build takes about 20 s and is cached per adapter content.

Scoring keeps the KV cache of the last scored text and rewinds to the prefix the next one shares
(the task's system prompt), as the llama.cpp backend does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Sequence

from slmguard.core.errors import ArtifactError
from slmguard.core.files import building
from slmguard.models.generation import GENERATORS, GenerationConfig

PRECISIONS = ("fp32", "int4")
# Longest scored sequence (system prompt + text + label suffix), unless the model's context is
# shorter; longer raises, like llama.cpp's batch.
SCORE_CONTEXT = 1024


def ort_genai_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("onnxruntime_genai") is not None


def is_built(out: Path) -> bool:
    return all((Path(out) / p / "genai_config.json").is_file() for p in PRECISIONS)


def build_onnx_models(model, tokenizer, out: Path) -> Path:
    """Write `out/fp32` and `out/int4` from a merged transformers causal LM (once: a finished
    folder is reused). Built beside `out` and moved into place, so a stopped build leaves nothing."""
    out = Path(out)
    if is_built(out):
        return out
    shutil.rmtree(out, ignore_errors=True)  # an unfinished folder from an older layout
    with building(out) as tmp:
        merged = tmp / "merged"
        model.save_pretrained(merged, safe_serialization=True)
        tokenizer.save_pretrained(merged)
        for precision in PRECISIONS:
            _build(merged, tmp, precision)
        shutil.rmtree(merged)
        shutil.rmtree(tmp / "builder-cache", ignore_errors=True)
    return out


def _build(merged: Path, tmp: Path, precision: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "onnxruntime_genai.models.builder", "-m", str(merged), "-i", str(merged),
         "-o", str(tmp / precision), "-p", precision, "-e", "cpu", "-c", str(tmp / "builder-cache")],
        capture_output=True, text=True)
    if done.returncode != 0:
        raise ArtifactError(f"onnxruntime-genai's model builder failed for {precision}: "
                            f"{(done.stderr or done.stdout).strip()[-800:]}")


def _model(folder: Path, threads: int | None):
    import onnxruntime_genai as og

    config = og.Config(str(folder))
    if threads:
        config.overlay(json.dumps({"model": {"decoder": {"session_options": {"intra_op_num_threads": threads}}}}))
    return og.Model(config)


@GENERATORS.register("onnxruntime-genai")
class OrtGenaiGenerator:
    name = "onnxruntime-genai"

    def __init__(self, folder: Path, tokenizer, threads: int | None = None) -> None:
        self.tokenizer = tokenizer
        self.scorer = _model(Path(folder) / "fp32", threads)
        context = json.loads((Path(folder) / "fp32" / "genai_config.json").read_text())["model"]["context_length"]
        self.context = min(SCORE_CONTEXT, int(context) - 1)
        self.writer = _model(Path(folder) / "int4", threads)
        self._stop = {t for t in (tokenizer.convert_tokens_to_ids("<|im_end|>"), tokenizer.eos_token_id)
                      if isinstance(t, int) and t >= 0}
        self._scoring = None  # generator holding the KV cache of the last scored sequence
        self._scored: list[int] = []
        self._lock = threading.Lock()  # one generator state: a server calls from several threads

    def generate(self, prompts: Sequence[str], cfg: GenerationConfig = GenerationConfig(),
                 progress: str | None = None) -> list[str]:
        from tqdm.auto import tqdm

        with self._lock:
            return [self._write(prompt, cfg, cfg.seed + i)
                    for i, prompt in enumerate(tqdm(prompts, desc=progress, disable=progress is None))]

    def _write(self, prompt: str, cfg: GenerationConfig, seed: int) -> str:
        import onnxruntime_genai as og

        ids = self.tokenizer.encode(prompt, add_special_tokens=False)
        params = og.GeneratorParams(self.writer)
        sampling = cfg.temperature > 0
        options = {"max_length": len(ids) + cfg.max_new_tokens, "do_sample": sampling,
                   "repetition_penalty": cfg.repetition_penalty, "random_seed": seed}
        if sampling:
            options.update(temperature=cfg.temperature, top_p=cfg.top_p, top_k=0)
        params.set_search_options(**options)
        generator = og.Generator(self.writer, params)
        generator.append_tokens(ids)
        new: list[int] = []
        while not generator.is_done() and len(new) < cfg.max_new_tokens:
            generator.generate_next_token()
            token = int(generator.get_next_tokens()[0])
            if token in self._stop:
                break
            new.append(token)
        return self.tokenizer.decode(new, skip_special_tokens=True).strip()

    def logits_at(self, tokens: Sequence[int], positions: Sequence[int]):
        """Next-token logits (fp32 model) at the given positions; only the tokens after the prefix
        shared with the previous call are computed."""
        import numpy as np
        import onnxruntime_genai as og

        tokens = list(tokens)
        if len(tokens) > self.context:
            raise ValueError(f"input of {len(tokens)} tokens is longer than the scoring context ({self.context})")
        with self._lock:
            if self._scoring is None:
                params = og.GeneratorParams(self.scorer)
                params.set_search_options(max_length=self.context + 1)
                self._scoring = og.Generator(self.scorer, params)
            n = 0
            while n < min(len(self._scored), min(positions)) and self._scored[n] == tokens[n]:
                n += 1
            if n < len(self._scored):
                self._scoring.rewind_to(n)
            self._scored = tokens[:n]  # what the cache holds if appending fails
            self._scoring.append_tokens(tokens[n:])
            self._scored = tokens
            logits = np.asarray(self._scoring.get_output("logits"))[0]
            return np.stack([logits[p - n] for p in positions]).astype(np.float32)
