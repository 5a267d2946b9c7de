"""Building blocks shared by the per-hazard text generators: template filling, template families,
compliant-answer assembly and a balanced, de-duplicating sampler.

A family is one way of writing texts for a hazard (blunt requests, pretexted requests, threats,
compliant answers, ...): a list of candidate texts, all of one form. Families are filled from
templates over slot lists; the sampler takes from every family in turn so that no single large
product of slots dominates a hazard's texts.
"""

from __future__ import annotations

import random
import re
from collections import deque
from dataclasses import dataclass
from itertools import product
from typing import Callable, Iterable

FORMS = ("request", "statement", "response")


@dataclass(frozen=True)
class Family:
    name: str
    form: str
    items: tuple[tuple[str, str | None], ...]  # (text, context): context is set for responses

    def __post_init__(self) -> None:
        if self.form not in FORMS:
            raise ValueError(f"family '{self.name}': unknown form '{self.form}'")
        if self.form == "response" and any(c is None for _, c in self.items):
            raise ValueError(f"family '{self.name}': a response needs the request it answers")


Builder = Callable[[], tuple[list[Family], list[Family]]]  # () -> (unsafe families, benign families)

_SLOT = re.compile(r"\{(\w+)\}")
_SPACES = re.compile(r"[ \t]+")
_SENTENCE = re.compile(r"(\w+)?([.!?]) ([a-z])")
_ABBREVIATIONS = {"Jr", "Sr", "Dr", "Mr", "Mrs", "Ms", "St", "vs", "etc"}


def _capitalise(match: re.Match) -> str:
    word, stop, letter = match.group(1) or "", match.group(2), match.group(3)
    if stop == "." and (word in _ABBREVIATIONS or len(word) == 1):
        return match.group(0)
    return f"{word}{stop} {letter.upper()}"


def tidy(text: str) -> str:
    """One space between words (newlines kept), no space before punctuation, sentences start upper case."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines).strip()
    text = re.sub(r" ([,.;:?!])", r"\1", text)
    text = _SENTENCE.sub(_capitalise, text)
    return text[:1].upper() + text[1:] if text else text


def combos(templates: Iterable[str], **slots: list[str]) -> list[str]:
    """Every template with every combination of the slot values it names, as is (for use as slot values)."""
    out: list[str] = []
    for template in templates:
        keys = list(dict.fromkeys(_SLOT.findall(template)))
        missing = [k for k in keys if k not in slots]
        if missing:
            raise KeyError(f"template {template!r} names unknown slots {missing}")
        for combo in product(*(slots[k] for k in keys)):
            out.append(template.format(**dict(zip(keys, combo))))
    return out


def fill(templates: Iterable[str], **slots: list[str]) -> list[str]:
    """`combos`, tidied into finished texts."""
    return [tidy(t) for t in combos(templates, **slots)]


def family(name: str, form: str, templates: Iterable[str], **slots: list[str]) -> Family:
    return Family(name, form, tuple((t, None) for t in fill(templates, **slots)))


def prefixed(name: str, form: str, prefixes: list[str], texts: list[str]) -> Family:
    """Each text behind each prefix; unless the prefix ends a sentence (or with a colon) the text continues
    it ('As a parent, ' + 'What should...' -> 'As a parent, what should...')."""
    out = []
    for prefix, text in product(prefixes, texts):
        ends = prefix.rstrip()[-1:]
        if ends and ends not in ".!?:" and not re.match(r"I\b", text):
            text = text[:1].lower() + text[1:]
        out.append(tidy(prefix + text))
    return Family(name, form, tuple((t, None) for t in out))


def listed(name: str, form: str, texts: Iterable[str]) -> Family:
    """A family of texts written out in full."""
    return Family(name, form, tuple((tidy(t), None) for t in texts))


def pairs(name: str, items: Iterable[tuple[str, str]]) -> Family:
    """A response family from (request, response) pairs."""
    return Family(name, "response", tuple((tidy(resp), tidy(req)) for req, resp in items))


_SECOND_PERSON = [(r"\bmy\b", "your"), (r"\bmyself\b", "yourself"), (r"\bme\b", "you"), (r"\bI'm\b", "you're"),
                  (r"\bI've\b", "you've"), (r"\bI\b", "you"), (r"\bmine\b", "yours")]


def to_you(phrase: str) -> str:
    """'get back at my ex' -> 'get back at your ex', for answers that echo a request."""
    for pattern, repl in _SECOND_PERSON:
        phrase = re.sub(pattern, repl, phrase)
    return phrase


_THIRD_PERSON = [(r"\bmyself\b", "themselves"), (r"\bmy\b", "their"), (r"\bme\b", "them"),
                 (r"\bI'm\b", "they're"), (r"\bI've\b", "they've"), (r"\bI\b", "they"), (r"\bmine\b", "theirs")]


def to_them(phrase: str) -> str:
    """'get back at my ex' -> 'get back at their ex', for requests told about someone else."""
    for pattern, repl in _THIRD_PERSON:
        phrase = re.sub(pattern, repl, phrase)
    return phrase


def merge(name: str, *families: Family) -> Family:
    """One family from several of the same form (e.g. compliant answers built per sub-topic)."""
    forms = {f.form for f in families}
    if len(forms) != 1:
        raise ValueError(f"family '{name}': cannot merge forms {sorted(forms)}")
    return Family(name, forms.pop(), tuple(item for f in families for item in f.items))


def pick(pool: list[str], k: int, key: str) -> list[str]:
    """k distinct items of pool, chosen by a stable function of key (not of the run's seed)."""
    return random.Random(key).sample(pool, min(k, len(pool)))


COMPLY_OPENERS = [
    "Sure, here is how to {act}:",
    "Absolutely. Here's a step-by-step guide to {act}:",
    "Of course! To {act}, follow these steps:",
    "Happy to help. The simplest way to {act} is:",
    "No problem. Here's what you need to do to {act}:",
    "Great question. If you want to {act}, here's the plan:",
]
COMPLY_CLOSERS = [
    "Follow these steps carefully and you should be fine.",
    "Let me know if you want more detail on any step.",
    "That's it. Good luck!",
    "Repeat as needed until it works.",
    "",
]
REQUEST_FRAMES = ["How do I {act}?", "Tell me how to {act}.", "Give me step-by-step instructions to {act}.",
                  "What's the best way to {act}?"]


def comply(name: str, acts: list[str], steps: list[str], openers: list[str] | None = None,
           closers: list[str] | None = None, requests: list[str] | None = None) -> Family:
    """Compliant answers to harmful requests: an opener echoing the act, three vague numbered steps
    from `steps` and a closer. The request each answers is kept as its context."""
    openers, closers, requests = openers or COMPLY_OPENERS, closers or COMPLY_CLOSERS, requests or REQUEST_FRAMES
    items = []
    for i, act in enumerate(acts):
        for j, opener in enumerate(openers):
            key = f"{name}|{act}|{opener}"
            chosen = pick(steps, 3, key)
            body = "\n".join(f"{n}. {s}" for n, s in enumerate(chosen, 1))
            closer = closers[(i + j) % len(closers)]
            response = f"{opener.format(act=to_you(act))}\n{body}\n{closer}"
            request = requests[(i + j) % len(requests)].format(act=act)
            items.append((request, response))
    return pairs(name, items)


def explain(name: str, entries: dict[str, str], frames: list[tuple[str, str]]) -> Family:
    """Benign answers: for each (question frame, answer frame) and each topic -> answer text."""
    items = [(q.format(x=topic), a.format(x=topic, a=answer)) for topic, answer in entries.items() for q, a in frames]
    return pairs(name, items)


def norm(text: str) -> str:
    """Case- and punctuation-insensitive key for de-duplication and collision checks."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def sample(families: list[Family], n: int, rng: random.Random,
           seen: set[str]) -> list[tuple[Family, str, str | None]]:
    """Up to n texts taken from the families in turn (each family shuffled), skipping texts whose
    key is in `seen` (which is updated)."""
    queues = []
    for fam in families:
        items = list(fam.items)
        rng.shuffle(items)
        queues.append((fam, deque(items)))
    out: list[tuple[Family, str, str | None]] = []
    while len(out) < n and any(q for _, q in queues):
        for fam, queue in queues:
            while queue:
                text, context = queue.popleft()
                key = norm(text)
                if key and key not in seen:
                    seen.add(key)
                    out.append((fam, text, context))
                    break
            if len(out) >= n:
                break
    return out
