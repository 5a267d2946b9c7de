"""Multi-task training data for the guardian, from weak supervision only.

- detect rows: weakly labelled texts of every kind; the target is the label model's verdict and hazards.
- respond rows on harmful requests: after a fixed opening that declines and names the concern, the
  base model writes the alternative under a hazard-specific instruction, several times; kept is the
  most relevant alternative that every judge accepts (the detector reads it as a safe answer to the
  request, it does not decline a second time or start complying, and its embedding is close to the
  request's).
- respond rows on safe requests, half of them benign-but-sensitive (the contrast families): the
  base model's own answer, kept when it does not refuse, is safe and on topic. Safeguards are
  capped at a share of the respond rows, so training does not teach declining by default.
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

from slmguard.core.types import Kind
from slmguard.judges.response import ResponseJudgement, ResponseJudges
from slmguard.models.generation import GenerationConfig, Generator
from slmguard.respond.prompts import (
    PLAIN_SYSTEM,
    chat_text,
    detect_target,
    first_sentences,
    safeguard_instruction,
    safeguard_opening,
)
from slmguard.respond.refusals import is_compliance
from slmguard.weak.training_set import WeakDataset


@dataclass(frozen=True)
class GuardianDataConfig:
    seed: int = 0
    detect_unsafe: int = 450
    detect_safe: int = 450
    respond_harmful: int = 600  # harmful prompts; each gets `safeguard_tries` candidates
    safeguard_tries: int = 2  # the kept one is the most relevant that passes every judge
    respond_safe: int = 300
    contrast_share: float = 0.5  # of safe respond prompts, drawn from the safe-but-scary set
    # At most this share of respond rows are safeguards: the first build (39%) taught the respond
    # task to decline 63% of XSTest's safe prompts.
    max_safeguard_share: float = 0.4
    holdout: int = 200  # detect rows held back for calibration
    max_prompt_chars: int = 600
    unsafe_above: float = 0.8
    safe_below: float = 0.2
    min_relevance: float = 0.2  # of a safe answer to its prompt
    min_alternative_relevance: float = 0.3  # of a safeguard's alternative (what the model wrote) to its prompt
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
    kind: Kind = Kind.PROMPT


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
    """n indices spread evenly over the key's groups (hazards, sources), so rare groups are covered."""
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
    hazard_targets = weak.targets[:, 1:1 + len(weak.codes)]  # the signals' columns follow
    hazards = [weak.codes[int(np.argmax(t))] for t in hazard_targets]
    short = [i for i, t in enumerate(texts) if len(t) <= cfg.max_prompt_chars]
    harmful = [i for i in short if unsafe[i] >= cfg.unsafe_above]
    safe = [i for i in short if unsafe[i] <= cfg.safe_below]

    def detect_row(i: int) -> SftRow:
        is_unsafe = bool(unsafe[i] >= 0.5)
        target = detect_target(is_unsafe, _codes(hazard_targets[i], weak.codes) if is_unsafe else ())
        return SftRow("detect", texts[i], target, weak.examples[i].source, float(unsafe[i]), weak.examples[i].kind)

    # Spread over sources, not hazards: spread over hazards, the written hazard texts made half of
    # the rows and the model learned their style (a pipe-bomb request scored below the threshold).
    sources = [e.source for e in weak.examples]
    detect_idx = _round_robin(harmful, sources, cfg.detect_unsafe, rng) + _round_robin(safe, sources, cfg.detect_safe, rng)
    rng.shuffle(detect_idx)
    holdout = [detect_row(i) for i in detect_idx[:cfg.holdout]]
    train = [detect_row(i) for i in detect_idx[cfg.holdout:]]
    held = set(detect_idx[:cfg.holdout])

    # The respond task answers a user's request: statements, documents and responses are detect rows only.
    asked = [i for i in short if i not in held and weak.examples[i].kind == "prompt"
             and weak.examples[i].form == "request"]
    harm_idx = _round_robin([i for i in asked if unsafe[i] >= cfg.unsafe_above], hazards, cfg.respond_harmful, rng)
    contrast = [i for i in asked if unsafe[i] <= cfg.safe_below and weak.examples[i].source == "contrast_prompts"]
    plain = [i for i in asked if unsafe[i] <= cfg.safe_below and weak.examples[i].source != "contrast_prompts"]
    n_contrast = min(len(contrast), int(cfg.respond_safe * cfg.contrast_share))
    safe_idx = rng.sample(contrast, n_contrast) + rng.sample(plain, min(len(plain), cfg.respond_safe - n_contrast))

    # A harmful candidate starts from an opening that declines and names the concern; the base
    # model on its own complies with most harmful requests, so it writes only the alternative.
    candidates = _generate_candidates(
        [(i, safeguard_instruction(hazards[i]), "harmful", safeguard_opening(hazards[i], k * cfg.safeguard_tries + t))
         for k, i in enumerate(harm_idx) for t in range(cfg.safeguard_tries)] +
        [(i, PLAIN_SYSTEM, "safe", "") for i in safe_idx],
        texts, generator, tokenizer, run_dir / "candidates.jsonl", cfg, progress)
    kept, rejections = _judge_candidates(candidates, judges, cfg, run_dir / "judged.jsonl")
    train += [SftRow("respond", texts[c["index"]], c["response"], weak.examples[c["index"]].source,
                     float(unsafe[c["index"]])) for c in kept]
    rng.shuffle(train)
    return GuardianData(train, holdout, rejections)


def _failures(c: dict, v: ResponseJudgement, cfg: GuardianDataConfig) -> list[str]:
    fails = ["response_unsafe"] if v.unsafe_score >= cfg.max_response_unsafe else []
    if c["group"] == "harmful":
        # The opening already declines; an alternative that declines again reads as two answers.
        fails += ["repeats_refusal"] if v.refusal else []
        fails += ["complies"] if is_compliance(c["continuation"]) else []
        fails += ["off_topic"] if v.relevance < cfg.min_alternative_relevance else []
    else:
        fails += ["refusal"] if v.refusal else []
        fails += ["off_topic"] if v.relevance < cfg.min_relevance else []
    return fails


def _judge_candidates(candidates: list[dict], judges: ResponseJudges, cfg: GuardianDataConfig,
                      path: Path) -> tuple[list[dict], dict[str, dict[str, int]]]:
    """The candidates every judge accepts, the most relevant one per prompt, with safeguards capped
    at `max_safeguard_share` of the rows; and how many each judge rejected."""
    # The opening of a safeguard is ours and names the hazard, which the detector reads as harmful;
    # every judge reads what the model wrote after it.
    judged = [c["continuation"] if c["group"] == "harmful" else c["response"] for c in candidates]
    verdicts = judges.judge([c["query"] for c in candidates], judged, scored=judged)
    stats = {g: {"candidates": 0, "response_unsafe": 0, "off_topic": 0, "prompts": 0, "kept": 0}
             for g in ("harmful", "safe")}
    best: dict[int, tuple[float, dict]] = {}
    with path.open("w") as fh:
        for c, v in zip(candidates, verdicts):
            s = stats[c["group"]]
            s["candidates"] += 1
            fails = _failures(c, v, cfg)
            for f in fails:
                s[f] = s.get(f, 0) + 1
            if not fails and v.relevance > best.get(c["index"], (-2.0, None))[0]:
                best[c["index"]] = (v.relevance, c)
            fh.write(json.dumps({**c, **asdict(v), "rejected_by": fails}) + "\n")
    chosen = {g: [c for _, c in best.values() if c["group"] == g] for g in ("harmful", "safe")}
    share = cfg.max_safeguard_share
    cap = int(len(chosen["safe"]) * share / (1 - share) + 1e-9) if share < 1 else len(chosen["harmful"])
    chosen["harmful"] = chosen["harmful"][:cap]
    for g, rows in chosen.items():
        stats[g]["prompts"] = len({c["index"] for c in candidates if c["group"] == g})
        stats[g]["passed"] = sum(1 for _, c in best.values() if c["group"] == g)
        stats[g]["kept"] = len(rows)
    return chosen["harmful"] + chosen["safe"], stats


def _generate_candidates(jobs: list[tuple[int, str, str, str]], texts: list[str], generator: Generator, tokenizer,
                         path: Path, cfg: GuardianDataConfig, progress: bool) -> list[dict]:
    path.parent.mkdir(parents=True, exist_ok=True)
    done: dict[tuple[int, str], dict] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            row = json.loads(line)
            # Keyed by the text, not its index, so a rebuilt weak set never reuses another prompt's answer.
            done[(row["query"], row["system"], row.get("opening", ""))] = row
    todo = [j for j in jobs if (texts[j[0]], j[1], j[3]) not in done]
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
                row = {"index": i, "system": s, "group": group, "query": texts[i], "opening": opening,
                       "continuation": continuation, "response": f"{opening} {continuation}".strip()}
                done[(texts[i], s, opening)] = row
                fh.write(json.dumps(row) + "\n")
            fh.flush()
    return [{**done[(texts[i], s, opening)], "index": i} for i, s, _, opening in jobs]
