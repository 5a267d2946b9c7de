"""Per-round evaluation on the held-out evaluation sets (never trained on, never used to choose
settings): safe-response rate on the harmful sets (attack success rate = 1 - it), refusal rate on
the safe sets, and a helpfulness score on the safe sets."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

from slmguard.core.types import Example
from slmguard.eval.responses import HARMFUL_SETS, SAFE_SETS, judge_rows, summarise
from slmguard.judges.bundle import JUDGES, JudgeInput, JudgeModels, collect_votes
from slmguard.weak.label_model import majority_vote

Responder = Callable[[list[str]], list[str]]


@dataclass(frozen=True)
class EvalSummary:
    system: str
    safe_rate: dict[str, float]  # harmful set -> share of safe responses
    refusal_rate: dict[str, float]  # safe set -> share of refusals
    helpfulness: float | None  # mean majority vote of the helpfulness judges on safe-set prompts
    n: dict[str, int]

    @property
    def mean_safe(self) -> float | None:
        return float(np.mean(list(self.safe_rate.values()))) if self.safe_rate else None

    @property
    def mean_refusal(self) -> float | None:
        return float(np.mean(list(self.refusal_rate.values()))) if self.refusal_rate else None

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2))

    @classmethod
    def read(cls, path: Path) -> "EvalSummary":
        return cls(**json.loads(path.read_text()))


def evaluate(system: str, respond: Responder, prompts: Mapping[str, Sequence[Example]], models: JudgeModels,
             out_dir: Path) -> EvalSummary:
    """Answers every evaluation prompt, judges it, writes eval_rows.jsonl and eval.json."""
    if models.response_unsafe is None or models.embed is None:
        raise ValueError("evaluation needs the response detector and the sentence encoder")
    response_judges = models.bundle
    rows, helpful = [], []
    for name, examples in prompts.items():
        if not examples:
            continue
        texts = [e.text for e in examples]
        answers = respond(texts)
        rows += judge_rows(name, system, list(examples), answers, response_judges, models.detector_threshold)
        if name in SAFE_SETS:
            names = [n for n, j in JUDGES.items() if j.objective == "helpfulness"]
            votes = collect_votes(models, JudgeInput(texts, ["safe"] * len(texts), answers, answers), names)
            helpful += list(np.nan_to_num(majority_vote(np.stack([votes[n] for n in names], axis=1)), nan=0.5))
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "eval_rows.jsonl").open("w") as fh:
        fh.writelines(json.dumps(asdict(r)) + "\n" for r in rows)
    metrics = summarise(rows, models.detector_threshold)
    summary = EvalSummary(
        system,
        {m.set: round(m.safe_rate, 4) for m in metrics if m.set in HARMFUL_SETS},
        {m.set: round(m.refusal_rate, 4) for m in metrics if m.set not in HARMFUL_SETS},
        round(float(np.mean(helpful)), 4) if helpful else None,
        {m.set: m.n for m in metrics})
    summary.write(out_dir / "eval.json")
    return summary


def eval_prompts(data_dir: Path, limit: int) -> dict[str, list[Example]]:
    from slmguard.data.registry import load
    from slmguard.eval.responses import response_prompts

    if limit == 0:
        return {}
    sets = {name: load(name, data_dir, purpose="evaluation").examples for name in (*HARMFUL_SETS, *SAFE_SETS)}
    return response_prompts(sets, limit)
