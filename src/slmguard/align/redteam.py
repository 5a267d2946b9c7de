"""Red-team generation: new attack prompts aimed at the target's current weaknesses, and safe
prompts that sound unsafe, from training pools, last round's failures and a small writer model.

- Hazards are drawn in proportion to 1 + the number of last round's prompts of that hazard the
  target still failed, so rounds concentrate where the model is weak.
- Requests come from three places: last round's failed requests (refresh), the writer model
  (sampling; few-shot from pool requests of the same hazard), and unused pool requests.
- Every request is wrapped in a framing of this round's difficulty level (see `prompts`).
- Generated requests are filtered (the fast detector must still find a written attack harmful)
  and de-duplicated against every earlier round.
No evaluation set is read here: seeds come from training pools only.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from slmguard.align.prompts import LEVELS, AlignPrompt, attacks_for_round
from slmguard.attacks.prompts import ATTACKS
from slmguard.models.generation import GenerationConfig, Generator
from slmguard.respond.prompts import CONCERNS, chat_text
from slmguard.respond.refusals import is_refusal


@dataclass(frozen=True)
class Seed:
    text: str
    hazard: str | None
    source: str


@dataclass
class SeedPools:
    harmful: list[Seed]
    safe: list[Seed]
    templates: list[str] = field(default_factory=list)  # jailbreak templates


# A written attack is kept only when the fast detector is fairly sure it is still harmful: a
# benign request trained as an attack teaches over-refusal.
WRITTEN_HARMFUL_ABOVE = 0.8


def normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


_NUMBERING = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s*")


def _clean_written(text: str) -> str:
    line = next((ln for ln in text.strip().splitlines() if ln.strip()), "")
    return _NUMBERING.sub("", line).strip().strip('"').strip()


class RequestWriter:
    """A small model writes new requests like a few examples (sampling, so each call differs)."""

    def __init__(self, generator: Generator, tokenizer, temperature: float = 1.0) -> None:
        self.generator, self.tokenizer, self.temperature = generator, tokenizer, temperature

    def write(self, examples: Sequence[Sequence[str]], topics: Sequence[str], seed: int) -> list[str]:
        prompts = []
        for ex, topic in zip(examples, topics):
            shots = "\n".join(f"{i + 1}. {e}" for i, e in enumerate(ex))
            prompts.append(chat_text(self.tokenizer, [{"role": "user", "content": (
                f"Here are questions people ask about {topic}:\n{shots}\n"
                f"Write one new question of the same kind. Reply with the question only.")}]))
        cfg = GenerationConfig(max_new_tokens=40, temperature=self.temperature, top_p=0.95, seed=seed,
                               repetition_penalty=1.05)
        return [_clean_written(t) for t in self.generator.generate(prompts, cfg)]


_REQUEST_START = re.compile(
    r"^(how|what|why|when|where|who|which|can|could|would|should|is|are|do|does|did|will|"
    r"write|explain|give|tell|describe|list|show|help|create|make|find|suggest|i need|i want)\b", re.IGNORECASE)


def _valid_written(text: str) -> bool:
    """A request, not chatter: 4-40 words, no refusal, reads as a question or an instruction."""
    words = text.split()
    return 4 <= len(words) <= 40 and not is_refusal(text) and (text.endswith("?") or bool(_REQUEST_START.match(text)))


def _weighted_hazards(hazards: Sequence[str], failures: Sequence[AlignPrompt], n: int,
                      rng: random.Random) -> list[str]:
    weight = {h: 1.0 for h in hazards}
    for p in failures:
        if p.hazard in weight:
            weight[p.hazard] += 1.0
    names = sorted(weight)
    return rng.choices(names, weights=[weight[h] for h in names], k=n)


def red_team_round(round_no: int, n_harmful: int, n_safe: int, pools: SeedPools, failures: Sequence[AlignPrompt],
                   seen: set[str], writer: RequestWriter | None, harm_score: Callable[[list[str]], np.ndarray],
                   seed: int = 0) -> list[AlignPrompt]:
    """This round's prompts. `seen` (normalised requests of earlier rounds) is updated in place.
    `harm_score` is the fast detector's P(unsafe), used to keep written attacks that stayed harmful."""
    rng = random.Random(seed * 1000 + round_no)
    by_hazard: dict[str, list[Seed]] = {}
    for s in pools.harmful:
        if s.hazard:
            by_hazard.setdefault(s.hazard, []).append(s)
    for group in by_hazard.values():
        rng.shuffle(group)
    hazard_plan = _weighted_hazards(list(by_hazard), failures, n_harmful, rng)

    requests: list[Seed] = []

    def take(seed_: Seed) -> bool:
        key = normalise(seed_.text)
        if not key or key in seen:
            return False
        seen.add(key)
        requests.append(seed_)
        return True

    # 1. Refresh: requests the target still failed last round come back (they are not new, so
    # `seen` does not block them), under this round's harder framings.
    refresh = list(failures)
    rng.shuffle(refresh)
    for p in refresh[: n_harmful // 3]:
        requests.append(Seed(p.request, p.hazard, f"refresh:{p.id}"))
    # 2. Written by the small model, few-shot from pool requests of the planned hazard.
    n_written = (n_harmful - len(requests)) // 2
    if writer is not None and n_written:
        plan = hazard_plan[:n_written]
        shots = [[s.text for s in rng.sample(by_hazard[h], min(3, len(by_hazard[h])))] for h in plan]
        written = writer.write(shots, [CONCERNS.get(h, h) for h in plan], seed=seed * 1000 + round_no)
        cand = [(w, h) for w, h in zip(written, plan) if _valid_written(w)]
        scores = harm_score([w for w, _ in cand]) if cand else np.zeros(0)
        for (w, h), s in zip(cand, scores):
            if s >= WRITTEN_HARMFUL_ABOVE:
                take(Seed(w, h, "writer"))
    # 3. Pool requests fill the rest, following the hazard plan.
    cursor = {h: 0 for h in by_hazard}
    for h in hazard_plan * 3:
        if len(requests) >= n_harmful:
            break
        group = by_hazard[h]
        while cursor[h] < len(group) and not take(group[cursor[h]]):
            cursor[h] += 1
        cursor[h] += 1

    out = _framed(round_no, requests[:n_harmful], rng, pools.templates)
    out += _safe_round(round_no, n_safe, pools, seen, writer, harm_score, rng, seed)
    return out


def _framed(round_no: int, requests: Sequence[Seed], rng: random.Random, templates: Sequence[str]) -> list[AlignPrompt]:
    """The harmful prompts: each request wrapped in a framing of this round's level."""
    framings = attacks_for_round(round_no)
    below = _levels_below(round_no)
    easier = [name for name, a in ATTACKS.items() if a.level in below]
    out: list[AlignPrompt] = []
    for k, s in enumerate(requests):
        # A quarter of the prompts revisit easier framings, so earlier lessons are not forgotten.
        name = rng.choice(easier) if easier and rng.random() < 0.25 else rng.choice(framings)
        a = ATTACKS.get(name)
        out.append(AlignPrompt(f"r{round_no}-h{k}", s.text, a.wrap(s.text, rng, templates), "harmful",
                               s.hazard, name, a.level, s.source, round_no))
    return out


def _levels_below(round_no: int) -> set[str]:
    return set(LEVELS[: max(0, min(round_no - 1, len(LEVELS) - 2))])


def _safe_round(round_no: int, n_safe: int, pools: SeedPools, seen: set[str], writer: RequestWriter | None,
                harm_score: Callable[[list[str]], np.ndarray], rng: random.Random, seed: int) -> list[AlignPrompt]:
    """Safe prompts that sound unsafe (homonyms, safe contexts, definitions, history, fiction), half
    written by the small model from examples of one family, half from the pool."""
    by_family: dict[str, list[Seed]] = {}
    for s in pools.safe:
        by_family.setdefault(s.source, []).append(s)
    families = sorted(by_family)
    chosen: list[Seed] = []

    def take(s: Seed) -> None:
        key = normalise(s.text)
        if key and key not in seen:
            seen.add(key)
            chosen.append(s)

    if writer is not None and families and n_safe:
        plan = [rng.choice(families) for _ in range(n_safe // 2)]
        shots = [[s.text for s in rng.sample(by_family[f], min(3, len(by_family[f])))] for f in plan]
        written = writer.write(shots, ["everyday topics that only sound dangerous"] * len(plan),
                               seed=seed * 1000 + round_no + 500)
        cand = [(w, f) for w, f in zip(written, plan) if _valid_written(w)]
        scores = harm_score([w for w, _ in cand]) if cand else np.zeros(0)
        # A written prompt the detector is sure is harmful is not a safe prompt any more.
        for (w, f), sc in zip(cand, scores):
            if sc < 0.9:
                take(Seed(w, None, f"writer:{f}"))
    pool = list(pools.safe)
    rng.shuffle(pool)
    for s in pool:
        if len(chosen) >= n_safe:
            break
        take(s)
    return [AlignPrompt(f"r{round_no}-s{k}", s.text, (s.text,), "safe", None, "direct", "direct", s.source, round_no)
            for k, s in enumerate(chosen[:n_safe])]
