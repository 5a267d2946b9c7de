"""The prompts one round trains on, and which attack framings (`slmguard.attacks.prompts`) each
round's red-team generator wraps requests in.

Difficulty rises over rounds: direct requests, then indirect framings (role-play, fiction,
hypotheticals, "for research"), then wrapped attacks (in-the-wild jailbreak templates, encodings,
persona and system-prompt injection), then multi-turn escalation. The obfuscations of the
durability suite are not used in training rounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from slmguard.core.jsonl import read_jsonl
from slmguard.attacks.prompts import ATTACKS, BRIDGE_REPLY

Intent = Literal["harmful", "safe"]
LEVELS = ("direct", "indirect", "wrapped", "multi-turn")


@dataclass(frozen=True)
class AlignPrompt:
    id: str
    request: str  # the underlying request, which helpfulness is judged against
    turns: tuple[str, ...]  # user turns the target sees; earlier ones are answered with BRIDGE_REPLY
    intent: Intent  # which generator wrote it: a weak label, never a human one
    hazard: str | None
    style: str
    level: str
    source: str  # where the request came from: a pool, a failed prompt of the last round, or the writer model
    round: int

    def messages(self, system: str | None) -> list[dict]:
        out = [{"role": "system", "content": system}] if system else []
        for i, turn in enumerate(self.turns):
            out.append({"role": "user", "content": turn})
            if i < len(self.turns) - 1:
                out.append({"role": "assistant", "content": BRIDGE_REPLY})
        return out


def read_prompts(path: Path) -> list[AlignPrompt]:
    return [AlignPrompt(**{**r, "turns": tuple(r["turns"])}) for r in read_jsonl(path)]


def attacks_for_round(round_no: int) -> list[str]:
    """Framings of this round's new attacks: one difficulty level per round, the last level also
    takes multi-turn escalation, so three rounds reach every level."""
    last = len(LEVELS) - 2
    levels = {LEVELS[min(round_no - 1, last)]}
    if round_no - 1 >= last:
        levels.add(LEVELS[-1])
    return [name for name, a in ATTACKS.items() if a.level in levels]
