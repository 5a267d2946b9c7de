"""The model being aligned: the target's weights, frozen, plus one LoRA adapter that every round
continues to train. With the adapter disabled it is the target before alignment, which is the
DPO reference and the rubric judge."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from slmguard.align.prompts import AlignPrompt
from slmguard.models.generation import GEN_BATCH, GenerationConfig, TransformersGenerator
from slmguard.respond.prompts import RESPOND_SYSTEM, chat_text, first_sentences, safeguard_opening
from slmguard.training.slm_train import TARGET_MODULES

# The instruction a candidate is written under besides the plain samples: the model's own best
# attempt at a safe and helpful answer (it is judged like any other candidate).
SELF_INSTRUCTION = ("Answer helpfully and honestly. If a request could cause real harm, do not give harmful details: "
                    "briefly say why, then offer a safe and useful alternative. Answer ordinary requests fully, even "
                    "when they use words that sound dangerous.")
# On a safe prompt the target rarely refuses before training, so there would be no refusal for a
# helpful answer to beat; one of these is added as a candidate (the judges score it like any other).
REFUSALS = ("I'm sorry, but I can't help with that.", "I can't help with this request.",
            "I'm afraid I can't assist with that.")
RUBRIC_QUESTION = "Does the answer address the question in a helpful way? Reply yes or no."


@dataclass(frozen=True)
class Candidate:
    prompt_id: str
    kind: str  # "sample", "instructed" (under SELF_INSTRUCTION), "safeguard" (after a declining opening), "refusal",
    # "teacher" (the SFT guardian's safeguard), "reference" (the base model's answer)
    response: str
    scored: str  # the part the safety judges read: what the model wrote itself


class Policy:
    def __init__(self, model, tokenizer, system: str | None, target: str) -> None:
        self.model, self.tokenizer, self.system, self.target = model, tokenizer, system, target
        self._frozen: dict[bool, object] = {}

    def trained(self) -> None:
        """Call after the adapter changed: the merged copy used for generation is stale."""
        self._frozen.pop(True, None)

    def merged(self, adapter: bool = True):
        """A plain copy with the adapter merged in (or left out): generating through peft's LoRA
        layers is several times slower on CPU, and generation is most of a round's time."""
        import copy

        if adapter not in self._frozen:
            twin = copy.deepcopy(self.model)
            self._frozen[adapter] = (twin.merge_and_unload() if adapter else twin.unload()).eval()
        return self._frozen[adapter]

    @classmethod
    def load(cls, target: str, cache_dir: Path | None = None, lora_r: int = 8, lora_alpha: int = 16,
             adapter: Path | None = None, merge_adapter: bool = False) -> "Policy":
        """`target`: 'default', 'guardian' (the shipped guardian's respond task, adapter merged) or a
        model folder; `adapter`: a saved round to continue from, or with `merge_adapter` one merged
        into the weights, under a fresh adapter (what an attacker fine-tunes)."""
        from peft import LoraConfig, PeftModel, get_peft_model

        from slmguard.core.config import Settings
        from slmguard.models.causal_lm import load_causal_lm

        cache_dir = Path(cache_dir) if cache_dir else Settings.resolve().cache_dir
        if target == "guardian":
            from slmguard.respond.slm_guardian import SlmGuardian

            g = SlmGuardian.load(backend="transformers", cache_dir=cache_dir, merge=True)
            model, tokenizer, system = g.model, g.tokenizer, RESPOND_SYSTEM
        else:
            model, tokenizer = load_causal_lm(None if target == "default" else target, cache_dir)
            system = None  # the model's own chat template supplies its usual system prompt
        if adapter is not None and merge_adapter:
            model, adapter = PeftModel.from_pretrained(model, str(adapter)).merge_and_unload(), None
        if adapter is not None:
            model = PeftModel.from_pretrained(model, str(adapter), is_trainable=True)
        else:
            model = get_peft_model(model, LoraConfig(r=lora_r, lora_alpha=lora_alpha, lora_dropout=0.0,
                                                     target_modules=list(TARGET_MODULES), bias="none",
                                                     task_type="CAUSAL_LM"))
        model.eval()
        return cls(model, tokenizer, system, target)

    def prompt_text(self, prompt: AlignPrompt, system: str | None = None) -> str:
        return chat_text(self.tokenizer, prompt.messages(system or self.system))

    def generate(self, texts: Sequence[str], cfg: GenerationConfig, progress: str | None = None,
                 adapter: bool = True) -> list[str]:
        """`adapter=False`: the target before alignment."""
        self.tokenizer.padding_side = "left"
        return TransformersGenerator(self.merged(adapter), self.tokenizer).generate(texts, cfg, progress)

    def candidates(self, prompts: Sequence[AlignPrompt], samples: int, max_new_tokens: int, temperature: float,
                   seed: int, progress: bool = True) -> list[Candidate]:
        """`samples` sampled responses per prompt, one written under SELF_INSTRUCTION; for
        harmful-intent prompts one that starts from an opening that declines and names the hazard,
        for safe-intent prompts a plain refusal."""
        sampled = self.generate([self.prompt_text(p) for p in prompts for _ in range(samples)],
                                GenerationConfig(max_new_tokens=max_new_tokens, temperature=temperature, seed=seed,
                                                 batch_size=GEN_BATCH),
                                "sample responses" if progress else None)
        harmful = [p for p in prompts if p.intent == "harmful"]
        openings = [safeguard_opening(p.hazard or "ncr", k) for k, p in enumerate(harmful)]
        guided = self.generate([self.prompt_text(p, SELF_INSTRUCTION) for p in prompts] +
                               [self.prompt_text(p) + o for p, o in zip(harmful, openings)],
                               GenerationConfig(max_new_tokens=max_new_tokens, seed=seed, batch_size=GEN_BATCH),
                               "self-instructed responses" if progress else None)
        out = [Candidate(p.id, "sample", r, r) for p, r in zip((p for p in prompts for _ in range(samples)), sampled)]
        out += [Candidate(p.id, "instructed", r, r) for p, r in zip(prompts, guided)]
        for p, o, w in zip(harmful, openings, guided[len(prompts):]):
            alternative = first_sentences(w)
            out.append(Candidate(p.id, "safeguard", f"{o} {alternative}".strip(), alternative))
        safe = [p for p in prompts if p.intent == "safe"]
        out += [Candidate(p.id, "refusal", REFUSALS[k % len(REFUSALS)], REFUSALS[k % len(REFUSALS)])
                for k, p in enumerate(safe)]
        return out

    def rubric(self, requests: Sequence[str], responses: Sequence[str], batch_size: int = 16) -> np.ndarray:
        """Log-odds of 'yes' against 'no' when the target before alignment (adapter off) is asked
        whether the answer addresses the question: the small-model rubric judge."""
        import torch

        tok = self.tokenizer
        yes = [tok.encode(w, add_special_tokens=False)[0] for w in ("yes", "Yes")]
        no = [tok.encode(w, add_special_tokens=False)[0] for w in ("no", "No")]
        texts = [chat_text(tok, [{"role": "user",
                                  "content": f"Question: {q[:600]}\nAnswer: {r[:600]}\n{RUBRIC_QUESTION}"}])
                 for q, r in zip(requests, responses)]
        out = np.zeros(len(texts))
        tok.padding_side = "left"
        model = self.merged(adapter=False)
        with torch.inference_mode():
            for s in range(0, len(texts), batch_size):
                enc = tok(texts[s:s + batch_size], return_tensors="pt", padding=True, add_special_tokens=False)
                logp = torch.log_softmax(model(**enc, logits_to_keep=1).logits[:, -1].float(), dim=-1)
                out[s:s + batch_size] = (torch.logsumexp(logp[:, yes], -1) - torch.logsumexp(logp[:, no], -1)).numpy()
        return out

    def save(self, folder: Path, extra: dict | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(str(folder), safe_serialization=True)
        (folder / "align_target.json").write_text(json.dumps({"target": self.target, "system": self.system,
                                                               **(extra or {})}, indent=2))


def teacher_candidates(prompts: Sequence[AlignPrompt], max_new_tokens: int,
                       teacher: Callable[[list[AlignPrompt], int], list[tuple[str, str]]] | None,
                       reference: Callable[[list[AlignPrompt], int], list[str]] | None) -> list[Candidate]:
    """Candidates the target cannot write itself: a safeguard that names the hazard and offers an
    alternative on every harmful prompt (the small base model rarely declines), and the base
    model's answer on every prompt (a target that declines safe prompts has no answer to prefer)."""
    out = []
    harmful = [p for p in prompts if p.intent == "harmful"]
    if teacher is not None and harmful:
        for p, (opening, alternative) in zip(harmful, teacher(harmful, max_new_tokens)):
            out.append(Candidate(p.id, "teacher", f"{opening} {alternative}".strip(), alternative))
    if reference is not None and prompts:
        out += [Candidate(p.id, "reference", r, r) for p, r in zip(prompts, reference(list(prompts), max_new_tokens))]
    return out
