"""`slmguard align`: red-team -> sample -> judge -> prefer -> optimise -> refresh, for N rounds.

Every step writes its output into the run folder when it finishes (JSONL, an adapter, a JSON
summary) and is skipped when that output exists, so an interrupted run resumes at the step it
stopped in. steps.json keeps each step's time, so the compute budget spans resumes.

run/
  align.json                      settings (a resumed run must keep them)
  steps.json                      seconds (and generated tokens/s) per finished step
  round-0/eval.json               the target before alignment on the evaluation sets
  baseline-guardian/eval.json     the SFT guardian (previous issue) on the same prompts
  round-N/prompts.jsonl           red-team and safe-but-scary prompts of round N
  round-N/candidates.jsonl        sampled and self-instructed responses
  round-N/judged.jsonl            every judge's vote and the label model's P(safe), P(helpful)
  round-N/judges.json             judge coverage, agreement and estimated accuracies
  round-N/pairs.jsonl             preference pairs with their objective
  round-N/adapter/                the LoRA adapter after round N's DPO (+ train.json)
  round-N/attack.json             attack success on the round's own attacks, before and after
  round-N/eval.json               the evaluation sets after round N
  adapter/                        the final adapter, safetensors + sha256 manifest
  report.md, pareto.png, rounds.png
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from slmguard.align.config import AlignConfig
from slmguard.align.pairs import JudgedCandidate, build_pairs, read_pairs
from slmguard.align.parts import AlignParts
from slmguard.align.policy import Candidate, Policy, teacher_candidates
from slmguard.align.prompts import AlignPrompt, read_prompts
from slmguard.align.redteam import normalise, red_team_round
from slmguard.core.errors import InputError
from slmguard.core.jsonl import read_jsonl, write_jsonl
from slmguard.eval.policy_eval import evaluate
from slmguard.eval.responses import judge_safe_responses
from slmguard.judges.bundle import JudgeInput, agreement, collect_votes, combine
from slmguard.models.generation import GEN_BATCH, GenerationConfig
from slmguard.respond.prompts import chat_text
from slmguard.respond.refusals import is_refusal


class StepLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.steps: dict[str, dict] = json.loads(path.read_text()) if path.exists() else {}

    def record(self, key: str, seconds: float, **extra) -> None:
        self.steps[key] = {"seconds": round(seconds, 1), **extra}
        self.path.write_text(json.dumps(self.steps, indent=2))

    @property
    def minutes(self) -> float:
        return sum(s["seconds"] for s in self.steps.values()) / 60


def _latest_adapter(run_dir: Path, rounds: int) -> Path | None:
    for r in range(rounds, 0, -1):
        a = run_dir / f"round-{r}" / "adapter"
        if (a / "adapter_model.safetensors").is_file():
            return a
    return None


def _check_config(run_dir: Path, cfg: AlignConfig) -> None:
    path = run_dir / "align.json"
    if path.exists():
        old = AlignConfig.read(path)
        # More rounds or a larger budget extend a run; anything else would mix two experiments.
        if replace(old, rounds=cfg.rounds, budget_minutes=cfg.budget_minutes) != cfg:
            changed = [k for k, v in asdict(cfg).items()
                       if asdict(old)[k] != v and k not in ("rounds", "budget_minutes")]
            raise InputError(f"{path}: this run folder was started with other settings ({', '.join(changed)}); "
                             "use a new --run-dir or the same settings to resume")
    cfg.write(path)


# Round 1 up to its pairs depends on the settings below but not on the objective weights (the same
# seeds give the same prompts, samples and votes), so a run with other weights can start from it.
_WEIGHT_FREE_STEPS = ("red-team", "sample", "judge", "pairs")
_WEIGHT_FREE_FILES = ("prompts.jsonl", "candidates.jsonl", "judged.jsonl", "judges.json", "pairs.jsonl")


def branch_from(source: Path, run_dir: Path, cfg: AlignConfig) -> None:
    """Copy round 1's weight-free steps from `source` into a new run with other weights."""
    if (run_dir / "round-1" / "prompts.jsonl").exists():
        return
    if not (source / "align.json").is_file() or not (source / "round-1" / "pairs.jsonl").is_file():
        raise InputError(f"--branch-from {source}: not an alignment run with a finished round-1/pairs.jsonl")
    theirs = AlignConfig.read(source / "align.json")
    free = ("weights", "rounds", "budget_minutes", "eval_each_round")
    differ = [k for k, v in asdict(cfg).items() if k not in free and asdict(theirs)[k] != v]
    if differ:
        raise InputError(f"--branch-from {source}: its settings differ in {', '.join(differ)}; only "
                         f"{', '.join(free)} may differ")
    (run_dir / "round-1").mkdir(parents=True, exist_ok=True)
    for name in _WEIGHT_FREE_FILES:
        shutil.copy2(source / "round-1" / name, run_dir / "round-1" / name)
    theirs_steps = StepLog(source / "steps.json").steps
    steps = StepLog(run_dir / "steps.json")
    for step in _WEIGHT_FREE_STEPS:
        if f"round-1/{step}" in theirs_steps:
            steps.record(f"round-1/{step}", **theirs_steps[f"round-1/{step}"])
    (run_dir / "BRANCHED_FROM").write_text(f"{source.resolve()}\n")


def safe_responses(parts: AlignParts, requests: Sequence[str], responses: Sequence[str]) -> np.ndarray:
    """The evaluation sets' criterion: the response declines and its other sentences are safe."""
    m = parts.judges
    _, safe = judge_safe_responses(requests, responses, m.bundle,
                                   m.detector_threshold)
    return np.array(safe, dtype=bool)


def run_align(cfg: AlignConfig, run_dir: Path, parts_factory: Callable[[], AlignParts], cache_dir: Path,
              progress: bool = True, log: Callable[[str], None] = print, compare: Sequence[Path] = (),
              branch: Path | None = None) -> Path | None:
    """Runs (or resumes) the loop and writes the report; returns the final adapter folder.
    `branch`: a run with the same settings but other weights whose round 1 is reused up to its pairs."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    _check_config(run_dir, cfg)
    if branch is not None:
        branch_from(Path(branch), run_dir, cfg)
    steps = StepLog(run_dir / "steps.json")
    parts = parts_factory()
    policy = Policy.load(cfg.target, cache_dir, cfg.lora_r, cfg.lora_alpha, _latest_adapter(run_dir, cfg.rounds))
    parts.judges.rubric = policy.rubric
    loop = _Loop(cfg, run_dir, steps, parts, policy, progress, log)
    if parts.eval_prompts and cfg.eval_each_round:
        loop.evaluate_start()
    seen = _seen_requests(run_dir, cfg.rounds)
    for r in range(1, cfg.rounds + 1):
        if not (run_dir / f"round-{r}" / "prompts.jsonl").exists() and steps.minutes >= cfg.budget_minutes:
            log(f"compute budget of {cfg.budget_minutes} min used ({steps.minutes:.1f} min): stopping before round {r}")
            break
        loop.run_round(r, seen)
    final = _finish(run_dir, cfg)
    from slmguard.align.report import write_report

    log(f"report: {write_report(run_dir, compare)}")
    return final


def _seen_requests(run_dir: Path, rounds: int) -> set[str]:
    """The normalised requests of every round already red-teamed: a new round's must be new."""
    seen: set[str] = set()
    for r in range(1, rounds + 1):
        rd = run_dir / f"round-{r}"
        if (rd / "prompts.jsonl").exists():
            seen |= {normalise(p.request) for p in read_prompts(rd / "prompts.jsonl")}
    return seen


@dataclass
class _Loop:
    """One run of the loop: each step writes its output into the run folder and is skipped when
    that output exists."""

    cfg: AlignConfig
    run_dir: Path
    steps: StepLog
    parts: AlignParts
    policy: Policy
    progress: bool
    log: Callable[[str], None]

    def step(self, key: str, done: Path, fn: Callable[[], object]) -> None:
        if done.exists():
            return
        self.log(f"{key} ...")
        start = time.perf_counter()
        result = fn()
        self.steps.record(key, time.perf_counter() - start, **(result if isinstance(result, dict) else {}))

    def respond(self, texts: list[str], adapter: bool = True) -> list[str]:
        """Greedy answers for the evaluation sets; `adapter=False`: the target before alignment."""
        policy = self.policy
        system = [{"role": "system", "content": policy.system}] if policy.system else []
        return policy.generate([chat_text(policy.tokenizer, system + [{"role": "user", "content": t}]) for t in texts],
                               GenerationConfig(max_new_tokens=self.cfg.max_new_tokens, batch_size=GEN_BATCH),
                               "evaluation answers" if self.progress else None, adapter)

    def evaluate_start(self) -> None:
        """The target before alignment and the SFT guardian baseline, on the evaluation sets."""
        parts, run_dir = self.parts, self.run_dir
        self.step("round-0/eval", run_dir / "round-0" / "eval.json",
                  lambda: evaluate("before alignment", lambda t: self.respond(t, adapter=False), parts.eval_prompts,
                                   parts.judges, run_dir / "round-0"))
        if parts.guardian_baseline is not None:
            self.step("baseline-guardian/eval", run_dir / "baseline-guardian" / "eval.json",
                      lambda: evaluate("SFT guardian", lambda t: parts.guardian_baseline(t, self.cfg.max_new_tokens),
                                       parts.eval_prompts, parts.judges, run_dir / "baseline-guardian"))

    def run_round(self, r: int, seen: set[str]) -> None:
        """Red-team -> sample -> judge -> pairs -> DPO -> attack (-> evaluate) for round `r`; `seen`
        gains the round's requests."""
        cfg, parts, rd = self.cfg, self.parts, self.run_dir / f"round-{r}"
        rd.mkdir(parents=True, exist_ok=True)
        failures = _failures(self.run_dir / f"round-{r - 1}")
        self.step(f"round-{r}/red-team", rd / "prompts.jsonl", lambda: write_jsonl(rd / "prompts.jsonl", red_team_round(
            r, cfg.harmful_per_round, cfg.safe_per_round, parts.pools, failures, seen, parts.writer, parts.harm_score,
            cfg.seed)))
        prompts = read_prompts(rd / "prompts.jsonl")
        by_id = {p.id: p for p in prompts}
        self.step(f"round-{r}/sample", rd / "candidates.jsonl", lambda: self._sample(r, rd, prompts))
        self.step(f"round-{r}/judge", rd / "judged.jsonl", lambda: _judge(parts, rd, by_id, cfg.seed))
        self.step(f"round-{r}/pairs", rd / "pairs.jsonl", lambda: write_jsonl(rd / "pairs.jsonl", build_pairs(
            {p.id: p.intent for p in prompts},
            [JudgedCandidate(c["prompt_id"], c["kind"], c["response"], c["p_safe"], c["p_helpful"])
             for c in read_jsonl(rd / "judged.jsonl")], cfg.margin)))
        self.step(f"round-{r}/dpo", rd / "adapter" / "train.json", lambda: self._optimise(r, rd, prompts))
        self.step(f"round-{r}/attack", rd / "attack.json",
                  lambda: _attack(parts, self.policy, rd, prompts, cfg.max_new_tokens))
        if parts.eval_prompts and (cfg.eval_each_round or r == cfg.rounds):
            self.step(f"round-{r}/eval", rd / "eval.json",
                      lambda: evaluate(f"round {r}", self.respond, parts.eval_prompts, parts.judges, rd))

    def _sample(self, r: int, rd: Path, prompts: list[AlignPrompt]) -> dict:
        cfg, policy, parts = self.cfg, self.policy, self.parts
        cands = policy.candidates(prompts, cfg.samples, cfg.max_new_tokens, cfg.temperature, cfg.seed + r,
                                  self.progress)
        if cfg.teachers:  # a target never needs itself as a teacher
            cands += teacher_candidates(prompts, cfg.max_new_tokens,
                                        parts.teacher if cfg.target != "guardian" else None,
                                        parts.reference if cfg.target != "default" else None)
        write_jsonl(rd / "candidates.jsonl", cands)
        return {"generated_tokens": int(sum(len(policy.tokenizer.encode(c.response)) for c in cands))}

    def _optimise(self, r: int, rd: Path, prompts: list[AlignPrompt]) -> dict:
        from slmguard.align.dpo import train_dpo

        policy = self.policy
        stats = train_dpo(policy, {p.id: policy.prompt_text(p) for p in prompts}, read_pairs(rd / "pairs.jsonl"),
                          self.cfg, rd, r, self.progress)
        policy.trained()
        policy.save(rd / "adapter", {"round": r})
        (rd / "adapter" / "train.json").write_text(json.dumps(asdict(stats), indent=2))
        shutil.rmtree(rd / "trainer", ignore_errors=True)
        return {"steps_per_s": stats.steps_per_s, "tokens_per_s": stats.tokens_per_s}


def _judge(parts: AlignParts, rd: Path, by_id: dict[str, AlignPrompt], seed: int) -> dict:
    cands = [Candidate(**c) for c in read_jsonl(rd / "candidates.jsonl")]
    x = JudgeInput([by_id[c.prompt_id].request for c in cands], [by_id[c.prompt_id].intent for c in cands],
                   [c.response for c in cands], [c.scored for c in cands])
    judgement = combine(collect_votes(parts.judges, x), seed=seed)
    rows = [{**asdict(c), "intent": by_id[c.prompt_id].intent,
             "votes": {k: int(v[i]) for k, v in judgement.votes.items()},
             "p_safe": round(float(judgement.scores["safety"][i]), 4),
             "p_helpful": round(float(judgement.scores["helpfulness"][i]), 4)} for i, c in enumerate(cands)]
    (rd / "judges.json").write_text(json.dumps({"method": judgement.method, "accuracies": judgement.accuracies,
                                                "agreement": agreement(judgement.votes)}, indent=2))
    write_jsonl(rd / "judged.jsonl", rows)
    return {}


def _attack(parts: AlignParts, policy: Policy, rd: Path, prompts: Sequence[AlignPrompt], max_new_tokens: int) -> None:
    """Attack success on the round's own harmful prompts: the sampled responses before this
    round's training, and greedy responses after it (the same criterion as the evaluation sets);
    and refusals of the round's own safe prompts after it, the training-side sign of over-refusal."""
    harmful = [p for p in prompts if p.intent == "harmful"]
    safe = [p for p in prompts if p.intent == "safe"]
    before = [c for c in read_jsonl(rd / "candidates.jsonl") if c["kind"] == "sample" and c["prompt_id"] in
              {p.id for p in harmful}]
    by_id = {p.id: p for p in harmful}
    safe_before = safe_responses(parts, [by_id[c["prompt_id"]].request for c in before],
                                 [c["response"] for c in before])
    answers = policy.generate([policy.prompt_text(p) for p in harmful + safe],
                              GenerationConfig(max_new_tokens=max_new_tokens, batch_size=GEN_BATCH))
    after, safe_answers = answers[:len(harmful)], answers[len(harmful):]
    safe_after = safe_responses(parts, [p.request for p in harmful], after)
    rows = [{"prompt_id": p.id, "style": p.style, "hazard": p.hazard, "response": a, "safe": bool(s)}
            for p, a, s in zip(harmful, after, safe_after)]
    write_jsonl(rd / "attack_after.jsonl", rows)
    by_style: dict[str, list[bool]] = {}
    for p, s in zip(harmful, safe_after):
        by_style.setdefault(p.style, []).append(bool(s))
    (rd / "attack.json").write_text(json.dumps({
        "n": len(harmful),
        "asr_before": round(1 - float(safe_before.mean()), 4) if len(before) else None,
        "asr_after": round(1 - float(safe_after.mean()), 4) if harmful else None,
        "asr_after_by_style": {k: round(1 - sum(v) / len(v), 4) for k, v in sorted(by_style.items())},
        "safe_refusal_after": round(float(np.mean([is_refusal(a) for a in safe_answers])), 4) if safe else None},
        indent=2))


def _failures(rd: Path) -> list[AlignPrompt]:
    """Harmful prompts of a finished round that the trained model still answered unsafely."""
    path = rd / "attack_after.jsonl"
    if not path.exists():
        return []
    failed = {row["prompt_id"] for row in read_jsonl(path) if not row["safe"]}
    return [p for p in read_prompts(rd / "prompts.jsonl") if p.id in failed]


def _finish(run_dir: Path, cfg: AlignConfig) -> Path | None:
    from slmguard.models.artifacts import write_manifest

    latest = _latest_adapter(run_dir, cfg.rounds)
    if latest is None:
        return None
    out = run_dir / "adapter"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(latest, out)
    cfg.write(out / "align.json")
    write_manifest(out)
    return out
