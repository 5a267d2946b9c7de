"""What an alignment run reads besides the target: the judges' models, the red-team seed pools,
the writer model, the evaluation prompts and the guardian baseline. Tests pass tiny ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np

from slmguard.align.prompts import AlignPrompt
from slmguard.align.redteam import RequestWriter, Seed, SeedPools
from slmguard.core.types import Example
from slmguard.judges.bundle import JudgeModels, Scorer

if TYPE_CHECKING:
    from slmguard.respond.guard import Guard
    from slmguard.respond.slm_guardian import SlmGuardian

HARMFUL_POOLS = ("advbench", "catqa", "dangerousqa", "harmfulqa", "do_not_answer")
MAX_SEED_CHARS = 300
MAX_TEMPLATE_CHARS = 1000
# Pool requests are harmful by origin; the detector must agree, since some pools hold borderline ones.
POOL_HARMFUL_ABOVE = 0.7  # longer in-the-wild templates would not fit the training length


@dataclass
class AlignParts:
    judges: JudgeModels
    pools: SeedPools
    harm_score: Scorer  # fast detector P(unsafe) of a prompt
    writer: RequestWriter | None = None
    eval_prompts: dict[str, list[Example]] = field(default_factory=dict)
    guardian_baseline: Callable[[list[str], int], list[str]] | None = None  # (prompts, max tokens) -> responses
    # Teacher candidates, judged like the target's own: the SFT guardian's safeguard for a harmful
    # prompt as (opening, what it wrote), and the base model's answer to any prompt.
    teacher: Callable[[list[AlignPrompt], int], list[tuple[str, str]]] | None = None
    reference: Callable[[list[AlignPrompt], int], list[str]] | None = None


def seed_pools(data_dir: Path, harm: Callable[[list[str]], list], per_pool: int = 600,
               alpaca: int = 150, seed: int = 0) -> SeedPools:
    """Harmful requests from the training pools, each with the fast detector's top hazard (kept
    when the detector agrees they are harmful); safe-but-scary prompts from the contrast
    generator plus ordinary Alpaca instructions; short jailbreak templates."""
    import random

    from slmguard.data.registry import load
    from slmguard.eval.runner import spread
    from slmguard.weak.contrast_prompts import generate_contrast_prompts

    texts, sources = [], []
    seen: set[str] = set()
    for name in HARMFUL_POOLS:
        pool = [e.text.strip() for e in load(name, data_dir, purpose="training").examples
                if len(e.text) <= MAX_SEED_CHARS and e.label is not None and e.label.value == "unsafe"]
        for t in spread(pool, per_pool):
            if t.lower() not in seen:
                seen.add(t.lower())
                texts.append(t)
                sources.append(name)
    verdicts = harm(texts)
    harmful = [Seed(t, v.categories[0] if v.categories else v.top_categories(1)[0][0], s)
               for t, s, v in zip(texts, sources, verdicts) if v.score >= POOL_HARMFUL_ABOVE]
    safe = [Seed(p, None, family) for p, family in generate_contrast_prompts(seed)]
    rng = random.Random(seed)
    alpaca_rows = [e.text for e in load("alpaca", data_dir, purpose="training").examples
                   if len(e.text) <= MAX_SEED_CHARS]
    safe += [Seed(t, None, "alpaca") for t in rng.sample(alpaca_rows, min(alpaca, len(alpaca_rows)))]
    templates = [e.text for e in load("jailbreak_in_the_wild", data_dir, purpose="training").examples
                 if len(e.text) <= MAX_TEMPLATE_CHARS]
    return SeedPools(harmful, safe, templates)


def default_judges(cache_dir: Path) -> tuple[JudgeModels, "Guard", "SlmGuardian"]:
    """The shipped fast detector (in context) and SLM guardian as safety judges, MiniLM for relevance;
    the detector and the guardian come back too, for the other parts that use them."""
    from slmguard.judges.response import in_context_scorer
    from slmguard.models.encoder import embed as sentence_embed
    from slmguard.models.encoder import sentence_encoder
    from slmguard.respond.guard import Guard
    from slmguard.respond.slm_guardian import SlmGuardian

    guard = Guard.load()
    encoder = sentence_encoder()
    # transformers, not llama.cpp: the baseline answers hundreds of prompts, and batches win there.
    guardian = SlmGuardian.load(cache_dir=cache_dir, backend="transformers")

    def embed(texts: list[str]) -> np.ndarray:
        return sentence_embed(encoder, texts)

    def guardian_unsafe(texts: list[str]) -> np.ndarray:
        return guardian.score(texts, kind="response").probs

    return JudgeModels(in_context_scorer(guard), guard.threshold, guardian_unsafe, embed=embed), guard, guardian


def default_parts(data_dir: Path, cache_dir: Path, eval_limit: int, seed: int = 0,
                  guardian_baseline: bool = True) -> AlignParts:
    """`default_judges`, the base SLM as the red-team writer, the real pools and evaluation sets."""
    from slmguard.eval.policy_eval import eval_prompts
    from slmguard.models.generation import GenerationConfig
    from slmguard.respond.prompts import chat_text
    from slmguard.respond.slm_guardian import SlmGuardian

    judges, guard, guardian = default_judges(cache_dir)
    writer_model = SlmGuardian.load(None, cache_dir=cache_dir)

    def teacher(prompts: list[AlignPrompt], max_tokens: int) -> list[tuple[str, str]]:
        # The underlying request, not the framing: the safeguard should answer what is really asked.
        return guardian.safeguard([p.request for p in prompts], [p.hazard or "ncr" for p in prompts],
                                  GenerationConfig(max_new_tokens=max_tokens, batch_size=32))

    def reference(prompts: list[AlignPrompt], max_tokens: int) -> list[str]:
        texts = [chat_text(writer_model.tokenizer, p.messages(None)) for p in prompts]
        return writer_model.generator.generate(texts, GenerationConfig(max_new_tokens=max_tokens, batch_size=32),
                                               "base model answers")

    def prompt_unsafe(texts: list[str]) -> np.ndarray:
        return np.array([v.score for v in guard.classify_batch(texts, kind="prompt")])

    def guardian_respond(texts: list[str], max_tokens: int) -> list[str]:
        return guardian.respond(texts, GenerationConfig(max_new_tokens=max_tokens, batch_size=32),
                                progress="guardian baseline")

    pools = seed_pools(data_dir, lambda t: guard.classify_batch(t, kind="prompt"), seed=seed)
    return AlignParts(judges, pools, prompt_unsafe, RequestWriter(writer_model.generator, writer_model.tokenizer),
                      eval_prompts(data_dir, eval_limit), guardian_respond if guardian_baseline else None,
                      teacher, reference)
