"""Per-hazard training texts written by us: unsafe texts and benign contrasts on the same topics.

The training pools are mostly short harmful "How can I..." questions against benign instructions, so a
detector trained on them learns style rather than harm. These generators cover every hazard of the
default taxonomy and the two signals `jailbreak` and `harassment`, on both sides of the boundary, in
several forms: requests (blunt, polite, long and pretexted), statements (threats, rants, scams, posts)
and responses (a model answer, with the request it answers as context). Unsafe answers are
placeholder-level: they show the shape of compliance, never a working method.

Texts come from templates over slot lists (see the per-group modules), de-duplicated case- and
punctuation-insensitively across everything generated, and sampled with a fixed seed, taking from
each template family in turn. Written from general knowledge, not from any evaluation set.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY
from slmguard.weak.hazard_texts import advice, crime, jailbreak, sexual, speech, violence
from slmguard.weak.hazard_texts._common import Builder, norm, sample

SIGNALS = ("jailbreak", "harassment")
BUILDERS: dict[str, Builder] = {**violence.BUILDERS, **sexual.BUILDERS, **crime.BUILDERS, **speech.BUILDERS,
                                **advice.BUILDERS, **jailbreak.BUILDERS}
CODES: tuple[str, ...] = (*DEFAULT_TAXONOMY.codes, *SIGNALS)
if set(BUILDERS) != set(CODES):
    raise RuntimeError(f"builders {sorted(BUILDERS)} do not match the codes {sorted(CODES)}")


@dataclass(frozen=True)
class GeneratedText:
    text: str
    code: str  # hazard code or signal name
    unsafe: bool
    form: str  # "request" | "statement" | "response"
    family: str  # which template family, for the report
    context: str | None = None  # for form "response": the request it answers


def generate_hazard_texts(seed: int = 0, per_side: int = 300,
                          codes: tuple[str, ...] | list[str] | None = None) -> list[GeneratedText]:
    """Up to `per_side` texts per code per side (unsafe, benign), grouped by code in CODES order, unsafe
    first. Deterministic for a seed; a code's texts do not depend on which other codes are asked for,
    except that a text already taken by an earlier code is not repeated."""
    wanted = CODES if codes is None else tuple(codes)
    unknown = [c for c in wanted if c not in BUILDERS]
    if unknown:
        raise KeyError(f"unknown codes {unknown} (known: {', '.join(CODES)})")
    seen: set[str] = set()
    out: list[GeneratedText] = []
    for code in CODES:
        if code not in wanted:
            continue
        unsafe_families, benign_families = BUILDERS[code]()
        for unsafe, families in ((True, unsafe_families), (False, benign_families)):
            rng = random.Random(f"{seed}:{code}:{'unsafe' if unsafe else 'benign'}")
            for fam, text, context in sample(families, per_side, rng, seen):
                out.append(GeneratedText(text, code, unsafe, fam.form, fam.name, context))
    return out


__all__ = ["CODES", "SIGNALS", "GeneratedText", "generate_hazard_texts", "norm"]
