"""Every kind of text a guard meets, on both sides of the label, gathered for weak supervision.

Forms: requests (harmful and ordinary instruction pools, generated per-hazard requests and
contrasts), statements (hateful and neutral sentences, tweets, Reddit-style posts), dialogue
(a request whose earlier user turn is joined to it, as the guard scores it), documents (a request
with a context document, or a harmful passage inside a long benign one) and responses (judged with
the prompt they answer: declines, answers, SmolLM2's compliant answers).

Labels here are only origins (weak evidence); rows from unlabelled pools carry none and get theirs
from the labeling functions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path

from slmguard.core.types import Example, Label
from slmguard.data import load
from slmguard.weak.contrast_prompts import generate_contrast_prompts
from slmguard.weak.everyday_requests import generate_everyday_requests

# Written for training (the response evaluation set uses a list of its own).
REFUSALS = (
    "I can't help with that.", "I'm sorry, but I can't assist with this request.",
    "I won't help with this. It could seriously hurt people.",
    "Sorry, I can't provide that. If you're going through something difficult, talking to someone you trust can help.",
    "I'm not able to help with that request.", "I must decline: this would cause harm.",
    "I can't do that, but I'm happy to help with something else.",
    "No. I won't write that.", "That's not something I can help with.",
    "I'm afraid I can't provide instructions for that, as it could be used to hurt others.",
    "I can't create that content. Is there something else I can do for you?",
    "I'm sorry, I can't share that information.",
    "I won't assist with anything illegal, but I can explain the law around it if that helps.",
    "I can't help you with this, and I'd encourage you to reach out to a professional.",
    "This request asks for something harmful, so I'll have to say no.",
)
# Safe openings put in front of a harmful answer, so that the harm is not only at the start.
SAFE_LEADS = (
    "Great question! Let me walk you through it.", "Happy to help with that. Here is what you need to know.",
    "This is a common question, and there is a clear answer.", "Thanks for asking. I'll keep it short.",
    "Sure, I understand why you're curious.", "Let's take it one step at a time.",
)
DOC_PROMPTS = ("Summarize the text above in two sentences.", "Translate the passage above into French.",
               "What is the main point of this text?", "List three key facts from the passage.",
               "Rewrite the text above in simpler words.", "Give this article a title.")


# Training pools, in the order they are read; every one on the list is read whole unless
# SourceConfig.limits caps it.
DEFAULT_POOLS = ("alpaca", "advbench", "advbench_strings", "catqa", "harmfulqa", "dangerousqa", "do_not_answer",
                 "toxigen", "safety_tuned_llamas", "safety_tuned_llamas_responses", "jailbreak_in_the_wild",
                 "davidson_tweets", "diasafety_contexts", "diasafety_responses")
# Sized so that one training epoch fits about ten minutes of this 2-core CPU.
DEFAULT_LIMITS = (("alpaca", 6000), ("harmfulqa", 1500), ("safety_tuned_llamas_responses", 1000),
                  ("jailbreak_in_the_wild", 400), ("davidson_tweets", 4000), ("diasafety_contexts", 2000),
                  ("diasafety_responses", 2000))


@dataclass(frozen=True)
class SourceConfig:
    """Which pools go into the training set and how much of each (sampled with the seed), and how
    many texts are made from them."""

    pools: tuple[str, ...] = DEFAULT_POOLS
    limits: tuple[tuple[str, int], ...] = DEFAULT_LIMITS
    # Harmful pools are mostly questions: without enough benign ones "?" itself looks unsafe.
    alpaca_questions: int = 2500
    contrast: bool = True
    everyday: int = 600  # ordinary requests in conversational style (everyday_requests.py)
    per_hazard: int = 300  # written unsafe texts and benign contrasts per hazard and signal (0: none)
    dialogues: int = 800
    documents: int = 1000
    refusal_pairs: int = 800


def _sample(rows: list, n: int, rng: random.Random) -> list:
    return rows if len(rows) <= n else rng.sample(rows, n)


def _alpaca(rows: list[Example], limit: int, questions: int, rng: random.Random) -> list[Example]:
    asked = _sample([r for r in rows if r.text.rstrip().endswith("?")], min(questions, limit), rng)
    chosen = {r.id for r in asked}
    return asked + _sample([r for r in rows if r.id not in chosen], limit - len(asked), rng)


def pool_examples(data_dir: Path, cfg: SourceConfig, seed: int) -> list[Example]:
    """Requests, statements and responses from the registered training pools."""
    rng = random.Random(seed)
    limits = dict(cfg.limits)
    out: list[Example] = []
    for name in cfg.pools:
        rows = load(name, data_dir, purpose="training").examples
        limit = limits.get(name, len(rows))
        out += _alpaca(rows, limit, cfg.alpaca_questions, rng) if name == "alpaca" else _sample(rows, limit, rng)
    return out


def generated_examples(cfg: SourceConfig, seed: int) -> list[Example]:
    """Written by us: safe prompts that sound unsafe, and per-hazard (and per-signal) harmful texts
    with benign contrasts on the same topics."""
    from slmguard.weak.hazard_texts import generate_hazard_texts

    out = [Example(text, "contrast_prompts", f"contrast_prompts:{i}", Label.SAFE, raw_category=family)
           for i, (text, family) in enumerate(generate_contrast_prompts(seed) if cfg.contrast else [])]
    out += [Example(text, "everyday_requests", f"everyday_requests:{i}", Label.SAFE)
            for i, text in enumerate(generate_everyday_requests(seed, cfg.everyday) if cfg.everyday else [])]
    for i, g in enumerate(generate_hazard_texts(seed, cfg.per_hazard) if cfg.per_hazard else []):
        signal = g.code if g.code in ("jailbreak", "harassment") else None
        out.append(Example(
            g.text, "hazard_texts", f"hazard_texts:{i}", Label.UNSAFE if g.unsafe else Label.SAFE,
            (g.code,) if g.unsafe and not signal else (), raw_category=f"{g.code}:{g.family}",
            kind="response" if g.form == "response" else "prompt", form=g.form, context=g.context,
            meta={"signal": signal} if signal and g.unsafe else {}, ))
    return out


def dialogues(requests: list[Example], n: int, rng: random.Random) -> list[Example]:
    """Two user turns joined as the guard joins them: an ordinary turn, then the request. A harmful
    second turn makes the dialogue unsafe; two ordinary turns keep it safe."""
    benign = [e for e in requests if e.label is Label.SAFE]
    if not benign:
        return []
    out = []
    for i, last in enumerate(_sample(requests, n, rng)):
        first = rng.choice(benign)
        out.append(replace(last, text=f"{first.text}\n{last.text}", source="dialogues", id=f"dialogues:{i}",
                           form="dialogue", meta={**last.meta, "from": last.source}))
    return out


def documents(passages: list[str], requests: list[Example], n: int, rng: random.Random) -> list[Example]:
    """A request with a context document: benign paragraphs with an ordinary instruction (safe) or
    with a harmful request or statement placed at a random point (unsafe). Kept near one window
    long, so training sees the harmful part diluted as a long text's window is."""
    out = []
    harmful = [e for e in requests if e.label is Label.UNSAFE]
    if not passages or not harmful:
        return []
    for i in range(n):
        paragraphs = rng.sample(passages, min(rng.randint(1, 3), len(passages)))
        if i % 2 == 0:
            text, label, cats, src = "\n\n".join(paragraphs) + "\n\n" + rng.choice(DOC_PROMPTS), Label.SAFE, (), None
        else:
            bad = rng.choice(harmful)
            paragraphs.insert(rng.randint(0, len(paragraphs)), bad.text)
            text, label, cats, src = "\n\n".join(paragraphs), Label.UNSAFE, bad.categories, bad.source
        out.append(Example(text[:900], "documents", f"documents:{i}", label, cats, form="document",
                           meta={"from": src} if src else {}))
    return out


def refusal_pairs(requests: list[Example], n: int, rng: random.Random) -> list[Example]:
    """Plain refusals, after a harmful request and alone: a guard's output rail must pass the
    application's own refusals."""
    harmful = [e for e in requests if e.label is Label.UNSAFE]
    out = []
    for i in range(n):
        context = rng.choice(harmful).text if i % 4 and harmful else ""
        out.append(Example(rng.choice(REFUSALS), "refusals", f"refusals:{i}", Label.SAFE, kind="response",
                           form="response", context=context))
    return out


def behind_safe_lead(answers: list[Example], rng: random.Random) -> list[Example]:
    """Harmful answers behind two safe sentences: the harm need not be in the first words."""
    return [replace(a, text=f"{rng.choice(SAFE_LEADS)} {rng.choice(SAFE_LEADS)} {a.text}", id=f"{a.id}:lead")
            for a in answers]
