"""Multi-task training data for the guardian, from weak supervision only.

- detect rows: weakly labelled prompts; the target is the label model's verdict and hazards.
- respond rows on harmful prompts: the base model writes a safeguard response under a
  hazard-specific instruction; a candidate is kept only when every judge accepts it (the fast
  detector finds the response safe, the refusal check sees it decline, and its embedding is
  close enough to the query to address it).
- respond rows on safe prompts: the base model's own answer, kept when it does not refuse,
  is safe and on topic, so training does not teach refusing.
Candidates are written to a JSONL file and reused, so an interrupted build resumes.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from slmguard.models.generation import GenerationConfig, Generator
from slmguard.respond.prompts import (PLAIN_SYSTEM, chat_text, detect_target, first_sentences, safeguard_instruction,
                                      safeguard_opening)
from slmguard.weak.judges import ResponseJudges, is_compliance
from slmguard.weak.training_set import WeakDataset


@dataclass(frozen=True)
class GuardianDataConfig:
    seed: int = 0
    detect_unsafe: int = 450
    detect_safe: int = 450
    # About half of the harmful candidates fail a judge, so twice as many are written.
    respond_harmful: int = 600
    respond_safe: int = 300
    contrast_share: float = 0.35  # of safe respond prompts, drawn from the safe-but-scary set
    holdout: int = 200  # detect rows held back for calibration
    max_prompt_chars: int = 600
    unsafe_above: float = 0.8
    safe_below: float = 0.2
    min_relevance: float = 0.2
    max_response_unsafe: float = 0.5
    response_tokens: int = 96
    alternative_tokens: int = 48


@dataclass(frozen=True)
class SftRow:
    task: Literal["detect", "respond"]
    text: str
    target: str
    source: str
    unsafe: float  # weak probability that the text is harmful
    kind: Literal["prompt", "response"] = "prompt"


@dataclass
class GuardianData:
    train: list[SftRow]
    holdout: list[SftRow]
    judge_rejections: dict[str, dict[str, int]] = field(default_factory=dict)

    def task_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.train:
            key = f"{r.task}/{'unsafe' if r.unsafe >= 0.5 else 'safe'}"
            counts[key] = counts.get(key, 0) + 1
        return counts


def _trim_to_sentence(text: str) -> str:
    """Cut a length-capped answer back to its last full sentence so targets end cleanly."""
    text = text.strip()
    if re.search(r"[.!?)\]\"']\s*$", text):
        return text
    cut = max(text.rfind(". "), text.rfind("! "), text.rfind("? "), text.rfind("\n"))
    return text[:cut + 1].strip() if cut > 40 else text


def _codes(targets: np.ndarray, codes: list[str], k: int = 2, floor: float = 0.3) -> tuple[str, ...]:
    order = np.argsort(-targets)
    chosen = [codes[j] for j in order[:k] if targets[j] >= floor]
    return tuple(chosen or [codes[int(order[0])]])


def _round_robin(indices: list[int], key: list[str], n: int, rng: random.Random) -> list[int]:
    """n indices spread evenly over the key's groups (hazards), so rare hazards are covered."""
    groups: dict[str, list[int]] = {}
    for i in indices:
        groups.setdefault(key[i], []).append(i)
    for g in groups.values():
        rng.shuffle(g)
    out: list[int] = []
    while len(out) < n and any(groups.values()):
        for g in sorted(groups):
            if groups[g] and len(out) < n:
                out.append(groups[g].pop())
    return out


def build_guardian_data(weak: WeakDataset, generator: Generator, tokenizer, judges: ResponseJudges,
                        run_dir: Path, cfg: GuardianDataConfig = GuardianDataConfig(),
                        progress: bool = True) -> GuardianData:
    rng = random.Random(cfg.seed)
    texts = [e.text for e in weak.examples]
    unsafe = weak.targets[:, 0]
    hazards = [weak.codes[int(np.argmax(t))] for t in weak.targets[:, 1:]]
    short = [i for i, t in enumerate(texts) if len(t) <= cfg.max_prompt_chars]
    harmful = [i for i in short if unsafe[i] >= cfg.unsafe_above]
    safe = [i for i in short if unsafe[i] <= cfg.safe_below]
    contrast = [i for i in safe if weak.examples[i].source == "contrast_prompts"]
    plain_safe = [i for i in safe if weak.examples[i].source != "contrast_prompts"]

    def detect_row(i: int) -> SftRow:
        is_unsafe = bool(unsafe[i] >= 0.5)
        target = detect_target(is_unsafe, _codes(weak.targets[i, 1:], weak.codes) if is_unsafe else ())
        return SftRow("detect", texts[i], target, weak.examples[i].source, float(unsafe[i]))

    detect_idx = _round_robin(harmful, hazards, cfg.detect_unsafe, rng) + rng.sample(safe, min(cfg.detect_safe, len(safe)))
    rng.shuffle(detect_idx)
    holdout = [detect_row(i) for i in detect_idx[:cfg.holdout]]
    train = [detect_row(i) for i in detect_idx[cfg.holdout:]]
    held = set(detect_idx[:cfg.holdout])

    harm_idx = _round_robin([i for i in harmful if i not in held], hazards, cfg.respond_harmful, rng)
    n_contrast = min(len(contrast), int(cfg.respond_safe * cfg.contrast_share))
    safe_pool = [i for i in plain_safe if i not in held]
    safe_idx = rng.sample([i for i in contrast if i not in held], n_contrast) + \
        rng.sample(safe_pool, min(len(safe_pool), cfg.respond_safe - n_contrast))

    # A harmful candidate starts from an opening that declines and names the concern; the base
    # model on its own complies with most harmful requests, so it writes only the alternative.
    candidates = _generate_candidates(
        [(i, safeguard_instruction(hazards[i]), "harmful", safeguard_opening(hazards[i], k))
         for k, i in enumerate(harm_idx)] +
        [(i, PLAIN_SYSTEM, "safe", "") for i in safe_idx],
        texts, generator, tokenizer, run_dir / "candidates.jsonl", cfg, progress)
    verdicts = judges.judge([c["query"] for c in candidates], [c["response"] for c in candidates],
                            # The opening of a safeguard is ours and names the hazard, which the
                            # detector reads as harmful; it judges what the model wrote after it.
                            scored=[c["continuation"] if c["group"] == "harmful" else c["response"]
                                    for c in candidates])
    rejections = {"harmful": {"candidates": 0, "response_unsafe": 0, "no_refusal": 0, "complies": 0, "off_topic": 0,
                              "kept": 0},
                  "safe": {"candidates": 0, "response_unsafe": 0, "refusal": 0, "off_topic": 0, "kept": 0}}
    with (run_dir / "judged.jsonl").open("w") as fh:
        for c, v in zip(candidates, verdicts):
            stats = rejections[c["group"]]
            stats["candidates"] += 1
            fails = []
            if v.unsafe_score >= cfg.max_response_unsafe:
                fails.append("response_unsafe")
            if c["group"] == "harmful" and not v.refusal:
                fails.append("no_refusal")
            if c["group"] == "harmful" and is_compliance(c["continuation"]):
                fails.append("complies")
            if c["group"] == "safe" and v.refusal:
                fails.append("refusal")
            if v.relevance < cfg.min_relevance:
                fails.append("off_topic")
            for f in fails:
                stats[f] += 1
            if not fails:
                stats["kept"] += 1
                i = c["index"]
                train.append(SftRow("respond", texts[i], c["response"], weak.examples[i].source, float(unsafe[i])))
            fh.write(json.dumps({**c, **asdict(v), "rejected_by": fails}) + "\n")
    rng.shuffle(train)
    return GuardianData(train, holdout, rejections)


def _generate_candidates(jobs: list[tuple[int, str, str, str]], texts: list[str], generator: Generator, tokenizer,
                         path: Path, cfg: GuardianDataConfig, progress: bool) -> list[dict]:
    path.parent.mkdir(parents=True, exist_ok=True)
    done: dict[tuple[int, str], dict] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            row = json.loads(line)
            done[(row["index"], row["system"])] = row
    todo = [j for j in jobs if (j[0], j[1]) not in done]
    chunk = 32  # written as it goes, so a stopped build resumes
    steps = range(0, len(todo), chunk)
    if progress:
        from tqdm.auto import tqdm

        steps = tqdm(steps, desc="base model writes candidates", unit=f"x{chunk}")
    with path.open("a") as fh:
        for start in steps:
            part = todo[start:start + chunk]
            prompts = [chat_text(tokenizer, [{"role": "system", "content": s}, {"role": "user", "content": texts[i]}])
                       + opening for i, s, _, opening in part]
            # A safeguard needs only its alternative written (two sentences); answers need more room.
            longest = max(cfg.alternative_tokens if opening else cfg.response_tokens for *_, opening in part)
            gen_cfg = GenerationConfig(max_new_tokens=longest, seed=cfg.seed)
            for (i, s, group, opening), written in zip(part, generator.generate(prompts, gen_cfg)):
                continuation = first_sentences(written) if opening else _trim_to_sentence(written)
                row = {"index": i, "system": s, "group": group, "query": texts[i], "continuation": continuation,
                       "response": f"{opening} {continuation}".strip()}
                done[(i, s)] = row
                fh.write(json.dumps(row) + "\n")
            fh.flush()
    return [done[(i, s)] for i, s, _, _ in jobs]
