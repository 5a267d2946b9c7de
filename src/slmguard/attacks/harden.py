"""A defence against the fine-tuning attacks of `finetune`: Booster (Huang et al., 2024).

Harmful fine-tuning works because a few steps on harmful examples lower the loss on harmful
answers fast. Booster trains an adapter on the aligned behaviour while penalising how much one
normalised step along the harmful gradient would lower that loss:

    L_align(w) + lambda * (L_harm(w) - L_harm(w - alpha * g / |g|)),   g = grad L_harm(w)

The aligned behaviour is the model's own (self-distillation): its answers to harmful requests
that decline, and its answers to ordinary ones, so hardening teaches nothing new. The harmful
examples are written like the attacker's, from other pool rows (another seed). The adapter is
then merged into the weights, which is what an attacker fine-tunes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence


@dataclass(frozen=True)
class HardenConfig:
    steps: int = 100
    batch_size: int = 4
    lr: float = 3e-4
    lam: float = 5.0  # weight of the harmful-perturbation term
    alpha: float = 0.1  # length of the simulated harmful step
    harmful: int = 100  # harmful requests (for both refusals and compliant answers)
    benign: int = 100
    lora_r: int = 8
    max_length: int = 256
    seed: int = 1  # not the attack suite's seed 0: the defender does not know the attacker's rows


@dataclass(frozen=True)
class HardenStep:
    step: int
    align_loss: float
    harm_loss: float
    harm_drop: float  # how much the simulated harmful step lowered the harmful loss


def booster_finetune(model, tokenizer, align_pairs: Sequence[tuple[str, str]], harm_pairs: Sequence[tuple[str, str]],
                     cfg: HardenConfig, progress: str | None = None) -> list[HardenStep]:
    """Train the peft model's adapter with Booster's update on (formatted prompt, target) pairs."""
    import torch
    from tqdm.auto import tqdm

    from slmguard.training.slm_train import causal_lm_loss, encode_example

    if not align_pairs or not harm_pairs:
        raise ValueError("hardening needs both aligned and harmful examples")
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    align = [encode_example(tokenizer, p, t, cfg.max_length) for p, t in align_pairs]
    harm = [encode_example(tokenizer, p, t, cfg.max_length) for p, t in harm_pairs]
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=0.0)
    pad = tokenizer.pad_token_id

    def loss_and_grads(batch):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = causal_lm_loss(model, batch, pad)
        return float(loss.detach()), torch.autograd.grad(loss, params)

    model.train()
    history = []
    bar = tqdm(range(1, cfg.steps + 1), desc=progress, disable=progress is None)
    for step in bar:
        a_batch = rng.sample(align, min(cfg.batch_size, len(align)))
        h_batch = rng.sample(harm, min(cfg.batch_size, len(harm)))
        harm_loss, g_harm = loss_and_grads(h_batch)
        norm = torch.sqrt(sum((g.float() ** 2).sum() for g in g_harm)).clamp(min=1e-12)
        with torch.no_grad():
            for p, g in zip(params, g_harm):
                p.sub_(cfg.alpha * g / norm)
        perturbed_loss, g_perturbed = loss_and_grads(h_batch)
        with torch.no_grad():
            for p, g in zip(params, g_harm):
                p.add_(cfg.alpha * g / norm)
        align_loss, g_align = loss_and_grads(a_batch)
        for p, ga, gh, gp in zip(params, g_align, g_harm, g_perturbed):
            p.grad = ga + cfg.lam * (gh - gp)
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        history.append(HardenStep(step, round(align_loss, 4), round(harm_loss, 4),
                                  round(harm_loss - perturbed_loss, 4)))
        bar.set_postfix(align=f"{align_loss:.3f}", harm_drop=f"{harm_loss - perturbed_loss:.3f}")
    model.eval()
    return history


def aligned_examples(generate, requests: Sequence[str], harmful: Sequence[bool]) -> list[tuple[str, str]]:
    """(request, the model's own answer) where that answer is what we want kept: a harmful
    request's answer declines, an ordinary request's does not, and neither is under eight words."""
    from slmguard.respond.refusals import is_refusal

    answers = generate(list(requests))
    return [(r, a) for r, a, h in zip(requests, answers, harmful)
            if len(a.split()) >= 8 and is_refusal(a) == h]


@dataclass(frozen=True)
class HardenRun:
    adapter: Path  # safetensors + sha256 manifest
    aligned: int  # the model's own answers trained on as the aligned behaviour
    harmful: int  # the base model's compliant answers behind the simulated harmful step
    steps: list[HardenStep]


def harden_model(load_policy: Callable[..., Any], target: str, adapter: Path | None, base: str, data_dir: Path,
                 cache_dir: Path, eval_texts: Sequence[str], cfg: HardenConfig, out_dir: Path) -> HardenRun:
    """Booster on `target` (with `adapter` merged first): writes the hardening adapter to
    out_dir/adapter and the run's record to out_dir/harden.json. `load_policy` is
    `align.policy.Policy.load`, which this layer cannot import; `eval_texts` are kept out of the
    requests the attacker's examples are written for."""
    import json
    import time
    from dataclasses import asdict

    from slmguard.judges.response import ResponseJudges
    from slmguard.models.artifacts import write_manifest
    from slmguard.models.causal_lm import load_causal_lm
    from slmguard.models.generation import GEN_BATCH, GenerationConfig
    from slmguard.respond.prompts import chat_text
    from slmguard.weak.written_answers import attacker_requests, messages, write_examples

    start = time.perf_counter()
    policy = load_policy(target, adapter=adapter, merge_adapter=True, lora_r=cfg.lora_r)
    tok = policy.tokenizer
    base_model, base_tokenizer = load_causal_lm(base, cache_dir)
    harmful_rows, benign_rows = attacker_requests(data_dir, cfg.harmful, cfg.benign, eval_texts,
                                                  ResponseJudges.default().embed, cfg.seed)
    written = write_examples(base_model, base_tokenizer, harmful_rows, benign_rows, progress="write harmful answers")

    def fmt(request: str) -> str:
        return chat_text(tok, messages(policy.system, request))

    requests = [r for _, r in harmful_rows] + [r for _, r in benign_rows]
    own = aligned_examples(lambda texts: policy.generate([fmt(t) for t in texts],
                                                         GenerationConfig(max_new_tokens=96, batch_size=GEN_BATCH),
                                                         "the model's own answers"),
                           requests, [True] * len(harmful_rows) + [False] * len(benign_rows))
    history = booster_finetune(policy.model, tok, [(fmt(r), a) for r, a in own],
                               [(fmt(x.request), x.target) for x in written["harmful"]], cfg, "harden (Booster)")
    folder = out_dir / "adapter"
    policy.model.save_pretrained(str(folder), safe_serialization=True)
    write_manifest(folder)
    record = {"target": target, "adapter": str(adapter) if adapter else None, "config": asdict(cfg),
              "aligned_examples": len(own), "harmful_examples": len(written["harmful"]),
              "seconds": round(time.perf_counter() - start, 1), "steps": [asdict(h) for h in history]}
    (out_dir / "harden.json").write_text(json.dumps(record, indent=2) + "\n")
    return HardenRun(folder, len(own), len(written["harmful"]), history)
