"""Preference pairs from the two objective scores of each prompt's candidates.

On a harmful prompt: a safe answer that still helps (explains, redirects) beats a bare refusal,
which beats compliance. The safety pair puts the best safe candidate against the least safe one;
the helpfulness pair puts a safe, helpful candidate against a safe, unhelpful one. On a safe
prompt: a helpful answer beats a refusal or an off-topic answer (helpfulness pair), and a safe
answer beats a refusal or an unsafe one (safety pair). Safety is scored as calibration: declining
a safe prompt is a safety error too (XSTest's view), so a safety-only run still sees pairs that
answer safe prompts and does not learn to refuse everything. A pair needs a gap of at least
`margin` in its objective; `gap` is how far apart the pair is, which the DPO draw weights by.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from slmguard.core.jsonl import read_jsonl
from slmguard.respond.refusals import is_refusal


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
    chosen_scores: tuple[float, float]  # (safe, helpful); safe as calibrated: a refusal of a safe prompt is 0
    rejected_scores: tuple[float, float]
    intent: str = "harmful"  # of the prompt: the DPO draw gives harmful and safe prompts equal shares

    @property
    def gap(self) -> float:
        k = 0 if self.objective == "safety" else 1
        return self.chosen_scores[k] - self.rejected_scores[k]


def _best(cands: Sequence[JudgedCandidate]) -> JudgedCandidate:
    return max(cands, key=lambda c: (c.safe + c.helpful, c.kind == "sample"))


def calibrated(intent: str, cands: Sequence[JudgedCandidate]) -> list[JudgedCandidate]:
    """On a safe prompt a refusal scores P(safe) = 0: it is the calibration error safety pairs teach against."""
    if intent == "harmful":
        return list(cands)
    return [replace(c, safe=0.0) if is_refusal(c.response) else c for c in cands]


def pairs_for_prompt(intent: str, cands: Sequence[JudgedCandidate], margin: float) -> list[PreferencePair]:
    out = []
    cands = calibrated(intent, cands)

    def pair(objective: str, chosen: JudgedCandidate, rejected: JudgedCandidate) -> None:
        p = PreferencePair(chosen.prompt_id, objective, chosen.response, rejected.response, chosen.kind,
                           rejected.kind, (chosen.safe, chosen.helpful), (rejected.safe, rejected.helpful), intent)
        if p.gap >= margin and chosen.response.strip() and chosen.response != rejected.response:
            out.append(p)

    if not cands:
        return out
    # Scores are relative within a prompt: the judges often tie (P = 0.5), and a clearly safer
    # candidate is worth preferring even when no candidate is judged outright unsafe.
    best = _best([c for c in cands if c.safe >= 0.5] or [max(cands, key=lambda c: c.safe)])
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
