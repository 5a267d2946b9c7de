"""Preference pairs from the two objective scores of each prompt's candidates.

On a harmful prompt: a safe answer that still helps (explains, redirects) beats a bare refusal,
which beats compliance. The safety pair puts the best safe candidate against the least safe one;
the helpfulness pair puts a safe, helpful candidate against a safe, unhelpful one. On a safe
prompt: a helpful answer beats a refusal or an off-topic answer (helpfulness pair), and a safe
answer that does not refuse beats an unsafe one (safety pair). A pair needs a gap of at least
`margin` in its objective.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from slmguard.core.jsonl import read_jsonl
from slmguard.weak.judges import is_refusal


@dataclass(frozen=True)
class JudgedCandidate:
    prompt_id: str
    kind: str
    response: str
    safe: float  # P(safe) from the label model
    helpful: float  # P(helpful)


@dataclass(frozen=True)
class PreferencePair:
    prompt_id: str
    objective: str
    chosen: str
    rejected: str
    chosen_kind: str
    rejected_kind: str
    chosen_scores: tuple[float, float]  # (safe, helpful)
    rejected_scores: tuple[float, float]


def _best(cands: Sequence[JudgedCandidate]) -> JudgedCandidate:
    return max(cands, key=lambda c: (c.safe + c.helpful, c.kind == "sample"))


def pairs_for_prompt(intent: str, cands: Sequence[JudgedCandidate], margin: float) -> list[PreferencePair]:
    out = []

    def pair(objective: str, chosen: JudgedCandidate, rejected: JudgedCandidate) -> None:
        gap = (chosen.safe - rejected.safe) if objective == "safety" else (chosen.helpful - rejected.helpful)
        if gap >= margin and chosen.response.strip() and chosen.response != rejected.response:
            out.append(PreferencePair(chosen.prompt_id, objective, chosen.response, rejected.response, chosen.kind,
                                      rejected.kind, (chosen.safe, chosen.helpful), (rejected.safe, rejected.helpful)))

    if not cands:
        return out
    # Scores are relative within a prompt: the judges often tie (P = 0.5), and a clearly safer
    # candidate is worth preferring even when no candidate is judged outright unsafe.
    # On a safe prompt a refusal is never the answer to prefer, however safe it is.
    eligible = [c for c in cands if intent == "harmful" or not is_refusal(c.response)]
    if not eligible:
        return out
    best = _best([c for c in eligible if c.safe >= 0.5] or [max(eligible, key=lambda c: c.safe)])
    if best.safe >= 0.5:
        pair("safety", best, min(cands, key=lambda c: (c.safe, -c.helpful)))
    # Helpfulness is compared among safe candidates on a harmful prompt (a safe answer that still
    # helps beats a bare refusal); on a safe prompt every candidate competes.
    pool = [c for c in cands if c.safe >= 0.5] if intent == "harmful" else list(cands)
    helpful = [c for c in pool if c.helpful >= 0.5 and c.safe >= 0.5]
    if helpful and pool:
        pair("helpfulness", _best(helpful), min(pool, key=lambda c: (c.helpful, c.safe)))
    return out


def build_pairs(intents: dict[str, str], judged: Sequence[JudgedCandidate], margin: float) -> list[PreferencePair]:
    groups: dict[str, list[JudgedCandidate]] = {}
    for c in judged:
        groups.setdefault(c.prompt_id, []).append(c)
    return [p for pid, cands in groups.items() for p in pairs_for_prompt(intents[pid], cands, margin)]


def read_pairs(path: Path) -> list[PreferencePair]:
    return [PreferencePair(**{**r, "chosen_scores": tuple(r["chosen_scores"]),
                              "rejected_scores": tuple(r["rejected_scores"])}) for r in read_jsonl(path)]
