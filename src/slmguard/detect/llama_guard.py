"""Llama Guard 3 as a detector backend, for users who have its weights (a local folder or hub id in
`$SLMGUARD_LLAMA_GUARD`). Its own chat template builds the prompt with the S1-S14 list; the score
is P("unsafe") against P("safe") at the first answer token (one forward pass), and the S-codes of a
short greedy continuation map onto our taxonomy."""

from __future__ import annotations

import os
import re
import time
from typing import Sequence

from slmguard.core.errors import ArtifactError
from slmguard.core.types import Kind, Verdict
from slmguard.taxonomy.mappings import map_categories

LLAMA_GUARD_ENV = "SLMGUARD_LLAMA_GUARD"
_S_CODE = re.compile(r"\bS(1[0-4]|[1-9])\b")


def parse_llama_guard(output: str) -> tuple[bool, tuple[str, ...]]:
    """'unsafe\\nS1,S10' -> (True, ('vcr', 'hte')); our codes via the llama_guard_3 mapping."""
    text = output.strip().lower()
    unsafe = text.startswith("unsafe")
    raws = [f"S{m}" for m in _S_CODE.findall(output)] if unsafe else []
    return unsafe, map_categories("llama_guard_3", raws).codes if raws else ()


class LlamaGuardDetector:
    def __init__(self, model, tokenizer, model_id: str, threshold: float = 0.5) -> None:
        self.model, self.tokenizer, self.model_id, self.threshold = model, tokenizer, model_id, threshold
        self._safe = tokenizer.encode("safe", add_special_tokens=False)[0]
        self._unsafe = tokenizer.encode("unsafe", add_special_tokens=False)[0]

    @classmethod
    def load(cls, name_or_path: str | None = None) -> "LlamaGuardDetector":
        from transformers import AutoModelForCausalLM, AutoTokenizer

        path = name_or_path or os.environ.get(LLAMA_GUARD_ENV)
        if not path:
            raise ArtifactError(f"Llama Guard 3 weights are not bundled: set {LLAMA_GUARD_ENV} to a local folder "
                                "(e.g. Llama-Guard-3-1B) or a hub id")
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = AutoModelForCausalLM.from_pretrained(path).eval()
        return cls(model, tokenizer, f"llama-guard-3:{path}")

    def _prompt(self, text: str, kind: str) -> list[int]:
        conversation = [{"role": "user", "content": [{"type": "text", "text": text}]}]
        if kind == "response":
            conversation = [{"role": "user", "content": [{"type": "text", "text": "(not shown)"}]},
                            {"role": "assistant", "content": [{"type": "text", "text": text}]}]
        try:
            text = self.tokenizer.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)
        except Exception:  # older templates take plain-string content
            plain = [{"role": m["role"], "content": m["content"][0]["text"]} for m in conversation]
            text = self.tokenizer.apply_chat_template(plain, tokenize=False, add_generation_prompt=True)
        return self.tokenizer.encode(text, add_special_tokens=False)

    def classify_batch(self, texts: Sequence[str], kind: Kind = Kind.PROMPT) -> list[Verdict]:
        import torch

        out = []
        for text in texts:
            start = time.perf_counter()
            ids = torch.tensor([self._prompt(text, kind)])
            with torch.inference_mode():
                gen = self.model.generate(ids, max_new_tokens=10, do_sample=False, output_scores=True,
                                          return_dict_in_generate=True, pad_token_id=self.tokenizer.eos_token_id)
            first = torch.log_softmax(gen.scores[0][0].float(), dim=-1)
            p = float(torch.sigmoid(first[self._unsafe] - first[self._safe]))
            _, codes = parse_llama_guard(self.tokenizer.decode(gen.sequences[0, ids.shape[1]:], skip_special_tokens=True))
            scores = {c: p for c in codes}
            out.append(Verdict(p >= self.threshold, p, scores, self.threshold, {c: 0.5 for c in scores},
                               self.model_id, (time.perf_counter() - start) * 1000, kind))
        return out
