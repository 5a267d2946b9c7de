"""Multi-objective DPO with LoRA, on trl's DPOTrainer.

The loss is a weighted sum of per-objective DPO losses, L = sum_o w_o * mean_{pairs of o} L_DPO,
the linear scalarisation that MODPO and the Self-MOA paper start from: it is the simplest
multi-objective form whose weights a user can read, and sweeping the weights traces the
safety/helpfulness front. It is realised by stratified sampling rather than a patched loss: each
training example is drawn from objective o with probability w_o (then uniformly among o's
pairs, harmful and safe prompts half each, and a pair in proportion to its judge gap: MODPO-style
margin weights, so a pair the judges barely separate counts less than a safeguard against outright
compliance). The intent balance matters: safe prompts give two pairs each (answer over refusal, in
both objectives), and without it three quarters of a round's draws taught answering and the
target's own attacks did not move (docs/self_moa.md). So the expected loss of
every step is exactly the weighted sum and trl's trainer stays unchanged. An objective with no
pairs this round passes its weight to the others. With `sft_weight` > 0 the NLL of the chosen
response is added (RPO, trl's "sft" loss term).
The reference is the model at the start of the round (trl keeps a frozen copy of the adapter, as
in iterative DPO); its log-probs are computed once per round.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from slmguard.align.config import AlignConfig
from slmguard.align.pairs import PreferencePair
from slmguard.align.policy import Policy


@dataclass(frozen=True)
class DpoStats:
    pairs: dict[str, int]  # objective -> distinct pairs available
    drawn: dict[str, int]  # objective -> training examples drawn
    steps: int
    seconds: float
    steps_per_s: float
    tokens_per_s: float
    loss: float | None
    reward_accuracy: float | None


def weighted_draw(pairs: Sequence[PreferencePair], weights: dict[str, float], n: int,
                  rng: random.Random) -> list[PreferencePair]:
    """Objective o with probability w_o; within it, harmful and safe prompts' pairs half each (when
    both exist); within those, a pair in proportion to its judge gap."""
    by_obj: dict[str, dict[str, list[PreferencePair]]] = {}
    for p in pairs:
        by_obj.setdefault(p.objective, {}).setdefault(p.intent, []).append(p)
    present = {o: w for o, w in weights.items() if by_obj.get(o) and w > 0}
    if not present:
        return []
    objectives = sorted(present)
    out = []
    for o in rng.choices(objectives, weights=[present[o] for o in objectives], k=n):
        group = by_obj[o][rng.choice(sorted(by_obj[o]))]
        out.append(rng.choices(group, weights=[max(p.gap, 1e-3) for p in group])[0])
    return out


def train_dpo(policy: Policy, prompts: dict[str, str], pairs: Sequence[PreferencePair], cfg: AlignConfig,
              work_dir: Path, round_no: int, progress: bool = True) -> DpoStats:
    """`prompts`: prompt id -> chat text the pair's responses continue."""
    from datasets import Dataset
    from trl import DPOConfig, DPOTrainer

    counts = {o: sum(p.objective == o for p in pairs) for o in cfg.weight}
    rng = random.Random(cfg.seed * 1000 + round_no)
    drawn = weighted_draw(pairs, cfg.weight, cfg.epochs * len(pairs), rng)
    drawn_counts = {o: sum(p.objective == o for p in drawn) for o in cfg.weight}
    if not drawn:
        return DpoStats(counts, drawn_counts, 0, 0.0, 0.0, 0.0, None, None)
    ds = Dataset.from_list([{"prompt": prompts[p.prompt_id], "chosen": p.chosen, "rejected": p.rejected}
                            for p in drawn])
    args = DPOConfig(
        output_dir=str(work_dir / "trainer"), per_device_train_batch_size=cfg.batch_size, num_train_epochs=1,
        learning_rate=cfg.lr, lr_scheduler_type="cosine", warmup_steps=1, beta=cfg.beta,
        loss_type=["sigmoid", "sft"] if cfg.sft_weight > 0 else ["sigmoid"],
        loss_weights=[1.0, cfg.sft_weight] if cfg.sft_weight > 0 else None,
        max_length=cfg.max_length, precompute_ref_log_probs=True, bf16=True, use_cpu=True, seed=cfg.seed,
        logging_steps=1, save_strategy="no", report_to=[], disable_tqdm=not progress, dataloader_num_workers=0)
    policy.model.train()
    if "ref" in policy.model.peft_config:  # last round's frozen copy
        policy.model.delete_adapter("ref")
    trainer = DPOTrainer(model=policy.model, args=args, train_dataset=ds, processing_class=policy.tokenizer)
    start = time.perf_counter()
    result = trainer.train()
    seconds = time.perf_counter() - start
    policy.model.delete_adapter("ref")
    policy.model.set_adapter("default")
    policy.model.eval()
    logs = [h for h in trainer.state.log_history if "loss" in h]
    tokens = max((h.get("num_tokens", 0) for h in logs), default=0)
    acc = [h["rewards/accuracies"] for h in logs if "rewards/accuracies" in h]
    return DpoStats(counts, drawn_counts, int(result.global_step), round(seconds, 1),
                    round(result.global_step / seconds, 4), round(tokens / seconds, 1),
                    round(float(result.training_loss), 4), round(sum(acc[-5:]) / len(acc[-5:]), 3) if acc else None)
