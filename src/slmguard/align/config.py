"""Settings of one alignment run, stored in the run folder so a resumed run keeps them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from slmguard.core.errors import InputError
from slmguard.judges.bundle import OBJECTIVES


@dataclass(frozen=True)
class AlignConfig:
    target: str = "default"  # "default" (SmolLM2-135M-Instruct), "guardian" (its respond task) or a model folder
    # One round by default: a second one gained nothing on either target (docs/self_moa.md), and the
    # time goes to the weighting sweep instead.
    rounds: int = 1
    harmful_per_round: int = 48
    safe_per_round: int = 48
    samples: int = 2  # sampled responses per prompt, besides the self-instructed candidates
    weights: tuple[float, float] = (0.5, 0.5)  # safety, helpfulness
    beta: float = 0.1
    lr: float = 5e-4
    epochs: int = 1  # passes over the round's (weighted) pairs
    batch_size: int = 4
    lora_r: int = 8
    lora_alpha: int = 16
    max_new_tokens: int = 64
    temperature: float = 0.7
    max_length: int = 320  # prompt + response tokens in training
    eval_limit: int = 60  # prompts per evaluation set, spread over the set
    eval_each_round: bool = True  # False: only the last round (and no before-alignment baseline)
    budget_minutes: float = 90.0  # no new round starts once the run has used this much time
    margin: float = 0.2  # smallest difference in an objective's score that makes a pair
    # Weight of the NLL term on each pair's chosen response (RPO): DPO alone moves a 135M model's
    # shared opening tokens back and forth between objectives; the term pulls each prompt towards
    # its own chosen answer. 0 = plain DPO.
    sft_weight: float = 1.0
    # Teacher candidates: the SFT guardian's safeguard on harmful prompts and, for a target other than
    # the base model, the base model's answer to every prompt (what a target that refuses lacks).
    teachers: bool = True
    seed: int = 0

    def __post_init__(self) -> None:
        if len(self.weights) != len(OBJECTIVES) or min(self.weights) < 0 or sum(self.weights) <= 0:
            raise InputError(f"weights: need {len(OBJECTIVES)} non-negative numbers ({', '.join(OBJECTIVES)}) "
                             f"with a positive sum, got {self.weights}")
        for name in ("rounds", "harmful_per_round", "samples", "epochs", "batch_size", "max_new_tokens"):
            if getattr(self, name) < 1:
                raise InputError(f"{name}: must be at least 1, got {getattr(self, name)}")
        if self.safe_per_round < 0 or self.eval_limit < 0 or self.sft_weight < 0:
            raise InputError("safe_per_round, eval_limit and sft_weight must not be negative")

    @property
    def weight(self) -> dict[str, float]:
        total = sum(self.weights)
        return {o: w / total for o, w in zip(OBJECTIVES, self.weights)}

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2))

    @classmethod
    def read(cls, path: Path) -> "AlignConfig":
        raw = json.loads(path.read_text())
        known = {f.name for f in fields(cls)}
        raw = {k: v for k, v in raw.items() if k in known}
        raw["weights"] = tuple(raw.get("weights", cls.weights))
        return cls(**raw)


def parse_weights(text: str) -> tuple[float, float]:
    """'0.5,0.5' -> (0.5, 0.5); the CLI's --weights."""
    try:
        values = tuple(float(x) for x in text.split(","))
    except ValueError:
        raise InputError(f"--weights: expected numbers like '0.5,0.5' (safety,helpfulness), got {text!r}") from None
    if len(values) != len(OBJECTIVES):
        raise InputError(f"--weights: expected {len(OBJECTIVES)} numbers (safety,helpfulness), got {text!r}")
    return values  # type: ignore[return-value]
