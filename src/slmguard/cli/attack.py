"""`slmguard attack`: the durability suite (how much safety survives attacks)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from slmguard.attacks.harden import HardenConfig
from slmguard.cli.options import DataDir, Seed
from slmguard.eval.weight_durability import WeightSuiteConfig

attack_app = typer.Typer(help="Durability suite: attack a safeguard and measure what survives.", no_args_is_help=True)
MAX_TEMPLATE_CHARS = 2000
WEIGHT_DEFAULTS = WeightSuiteConfig()
HARDEN_DEFAULTS = HardenConfig()


def _csv(values) -> str:
    return ",".join(f"{v:g}" for v in values)


def register(app: typer.Typer) -> None:
    app.add_typer(attack_app, name="attack")


@attack_app.command("detector")
def detector(
    artifact: Optional[Path] = typer.Option(None, help="Detector artifact folder (default: the shipped one)."),
    attacks: str = typer.Option("all", help="Comma-separated attack names, or 'all'."),
    limit: Optional[int] = typer.Option(None, min=1, help="Prompts per set (spread over the set; default: all)."),
    benign_limit: int = typer.Option(200, min=1, help="Safe prompts per benign set, for the false-positive rate."),
    out: Path = typer.Option(Path("reports/attack-detector"), help="Run folder; an existing one is resumed."),
    seed: Seed = 0,
    data_dir: DataDir = None,
) -> None:
    """Recall of a detector on the harmful evaluation sets under every prompt-level attack and three
    defences (none, decoding, decoding + parts); false-positive rate on safe prompts under the same attacks."""
    from rich.progress import Progress

    from slmguard.core.config import Settings
    from slmguard.core.types import Label
    from slmguard.eval.durability import BENIGN_SETS, DEFENCES, HARMFUL_SETS, run_detector_suite, write_detector_report
    from slmguard.respond.guard import Guard

    names = _attack_names(attacks)
    root = Settings.resolve(data_dir=data_dir).require_data_dir()
    harmful = {s: _prompts(root, s, Label.UNSAFE, limit) for s in HARMFUL_SETS}
    benign = {s: _prompts(root, s, Label.SAFE, benign_limit) for s in BENIGN_SETS}
    templates = _templates(root)
    guard = Guard.load(artifact)
    out.mkdir(parents=True, exist_ok=True)
    with Progress() as progress:
        task = progress.add_task("attacks", total=len(DEFENCES) * (len(names) + 1))
        rows = run_detector_suite(guard, harmful, benign, names, templates, out, seed,
                                  on_step=lambda step: progress.update(task, advance=1, description=step))
    notes = [f"Detector: `{guard.model_id}` ({artifact or 'shipped'}); {len(templates)} in-the-wild templates of at "
             f"most {MAX_TEMPLATE_CHARS} characters; seed {seed}. Reproduce: `slmguard attack detector`."]
    path = write_detector_report(rows, out, "Detector durability under prompt-level attacks", notes)
    typer.echo(f"report: {path}")


@attack_app.command("model")
def model(
    target: str = typer.Option("default", "--model", help="'default' (SmolLM2-135M-Instruct), 'guardian' (the "
                                                          "shipped guardian's respond task) or a model folder."),
    adapter: Optional[Path] = typer.Option(None, help="A LoRA adapter on the model (e.g. runs/align/adapter)."),
    name: Optional[str] = typer.Option(None, help="The system's name in reports [default: from --model]."),
    attacks: str = typer.Option("all", help="Comma-separated attack names, or 'all'."),
    limit: int = typer.Option(20, min=1, help="Harmful prompts per evaluation set (spread over the set)."),
    max_tokens: int = typer.Option(64, min=1, max=512, help="Longest response, in tokens (greedy)."),
    guardian_judge: bool = typer.Option(True, "--guardian-judge/--no-guardian-judge",
                                        help="Also judge responses with the SLM guardian."),
    out: Optional[Path] = typer.Option(None, help="Run folder [default: reports/attack-model/NAME]; resumed."),
    compare: Optional[List[Path]] = typer.Option(None, help="Other runs' folders, side by side in the report."),
    seed: Seed = 0,
    data_dir: DataDir = None,
) -> None:
    """Attack success rate of a chat model on the harmful evaluation sets under every prompt-level attack."""
    from rich.progress import Progress

    from slmguard.align.policy import Policy
    from slmguard.core.config import Settings
    from slmguard.core.types import Label
    from slmguard.eval.durability import HARMFUL_SETS
    from slmguard.eval.model_durability import run_model_suite, write_model_report, write_model_summary
    from slmguard.judges.response import ResponseJudges
    from slmguard.models.generation import GEN_BATCH, GenerationConfig
    from slmguard.respond.guard import Guard
    from slmguard.respond.prompts import chat_text

    names = _attack_names(attacks)
    system = name or (f"{target}+{adapter.parent.name}" if adapter else target)
    out = out or Path("reports/attack-model") / system.replace("/", "_")
    root = Settings.resolve(data_dir=data_dir).require_data_dir()
    harmful = {s: _prompts(root, s, Label.UNSAFE, limit) for s in HARMFUL_SETS}
    templates = _templates(root)
    policy = Policy.load(target, adapter=adapter)
    cfg = GenerationConfig(max_new_tokens=max_tokens, batch_size=GEN_BATCH)

    def respond(conversations: list[list[dict]]) -> list[str]:
        head = [{"role": "system", "content": policy.system}] if policy.system else []
        return policy.generate([chat_text(policy.tokenizer, head + c) for c in conversations], cfg)

    guard = Guard.load()
    with Progress() as progress:
        task = progress.add_task("attacks", total=len(names) + 1)
        rows = run_model_suite(respond, ResponseJudges.default(guard), guard.threshold, harmful, names, templates,
                               out, seed, _guardian_judge() if guardian_judge else None,
                               lambda step: progress.update(task, advance=1, description=step))
    write_model_summary(system, rows, out)
    notes = [f"{sum(map(len, harmful.values()))} harmful prompts ({limit} per set from {', '.join(HARMFUL_SETS)}); "
             f"greedy, {max_tokens} tokens; seed {seed}."]
    path = write_model_report([out, *(compare or [])], out, "Chat model durability under prompt-level attacks", notes)
    typer.echo(f"report: {path}")


@attack_app.command("weights")
def weights(
    target: str = typer.Option("guardian", "--model", help="'guardian' (the shipped guardian's respond task), "
                                                           "'default' (SmolLM2-135M-Instruct) or a model folder."),
    adapter: Optional[Path] = typer.Option(None, help="A LoRA adapter merged into the model before the attack "
                                                      "(e.g. runs/align/adapter for Self-MOA)."),
    name: Optional[str] = typer.Option(None, help="The system's name in reports [default: from --model]."),
    base: str = typer.Option("default", help="The base model: it writes the attack data, and interpolation goes "
                                             "toward it [default: SmolLM2-135M-Instruct]."),
    attacks: str = typer.Option(",".join(WEIGHT_DEFAULTS.attacks), help="Comma-separated weight attacks."),
    ks: str = typer.Option(_csv(WEIGHT_DEFAULTS.ks), help="Harmful examples per run, comma-separated."),
    shift_k: int = typer.Option(WEIGHT_DEFAULTS.shift_k, min=1, help="Examples of identity-shift and benign runs."),
    lrs: str = typer.Option(_csv(WEIGHT_DEFAULTS.lrs), help="Learning rates, comma-separated."),
    steps: str = typer.Option(_csv(WEIGHT_DEFAULTS.steps), help="Checkpoints measured along each run."),
    alphas: str = typer.Option(_csv(WEIGHT_DEFAULTS.alphas), help="Interpolation ratios toward the base "
                                                                  "(1 = aligned); '' for none."),
    batch_size: int = typer.Option(WEIGHT_DEFAULTS.batch_size, min=1),
    limit: int = typer.Option(WEIGHT_DEFAULTS.eval_limit, min=1, help="Evaluation prompts per set."),
    max_tokens: int = typer.Option(WEIGHT_DEFAULTS.max_tokens, min=1, max=512, help="Longest response (greedy)."),
    out: Optional[Path] = typer.Option(None, help="Run folder [default: reports/attack-weights/NAME]; resumed."),
    seed: int = typer.Option(WEIGHT_DEFAULTS.seed),
    data_dir: DataDir = None,
) -> None:
    """Fine-tuning and interpolation attacks on a model's weights: attack success against the
    attacker's cost, safety half-life, worst case, and the general ability kept."""
    from rich.progress import Progress

    from slmguard.align.policy import Policy
    from slmguard.attacks.finetune import WEIGHT_ATTACKS
    from slmguard.core.config import Settings
    from slmguard.eval.policy_eval import eval_prompts
    from slmguard.eval.weight_durability import (
        run_weight_suite,
        summarise_weights,
        write_weight_report,
        write_weight_summary,
    )
    from slmguard.judges.bundle import JudgeModels
    from slmguard.judges.response import ResponseJudges
    from slmguard.models.causal_lm import load_causal_lm, resolve_base
    from slmguard.respond.guard import Guard
    from slmguard.training.slm_train import TARGET_MODULES

    names = [a.strip() for a in attacks.split(",") if a.strip()]
    unknown = [a for a in names if a not in WEIGHT_ATTACKS]
    if unknown:
        raise typer.BadParameter(f"unknown weight attack(s) {unknown}; known: {WEIGHT_ATTACKS.names()}",
                                 param_hint="--attacks")
    cfg = WeightSuiteConfig(tuple(names), _numbers(ks, int, "--ks", minimum=1), shift_k, _numbers(lrs, float, "--lrs"),
                            _numbers(steps, int, "--steps", minimum=1), batch_size, WEIGHT_DEFAULTS.lora_r,
                            _numbers(alphas, float, "--alphas", allow_empty=True), limit, max_tokens, seed)
    system = name or (f"{target}+{adapter.parent.name}" if adapter else target)
    out = out or Path("reports/attack-weights") / system.replace("/", "_")
    settings = Settings.resolve(data_dir=data_dir)
    root = settings.require_data_dir()
    guard = Guard.load()
    response_judges = ResponseJudges.default(guard)
    judges = JudgeModels.of(response_judges, guard.threshold)
    prompts = eval_prompts(root, limit)
    policy = Policy.load(target, adapter=adapter, merge_adapter=True, lora_r=cfg.lora_r)
    base_model, base_tokenizer = load_causal_lm(base, settings.cache_dir)
    written = _written(out / "data" / "written.jsonl", root, cfg, base_model, base_tokenizer, prompts,
                       response_judges.embed)
    # Interpolating a model toward itself changes nothing.
    same = resolve_base(target, settings.cache_dir) == resolve_base(base, settings.cache_dir) and adapter is None
    base_state = base_model.state_dict() if cfg.alphas and not same else None
    out.mkdir(parents=True, exist_ok=True)
    with Progress() as progress:
        task = progress.add_task("weight attacks", total=1 + len(cfg.runs()) * len(cfg.steps) +
                                 (len(cfg.alphas) if base_state is not None else 0))
        points = run_weight_suite(policy, base_state, written, prompts, judges, cfg, out,
                                  lambda step: progress.update(task, advance=1, description=step))
    summary = summarise_weights(system, points)
    write_weight_summary(summary, out)
    notes = [f"System: `{system}`. {sum(map(len, prompts.values()))} evaluation prompts ({limit} per set); greedy, "
             f"{max_tokens} tokens. LoRA r={cfg.lora_r} on {', '.join(TARGET_MODULES)}, batch {batch_size}, constant "
             f"learning rate, seed {seed}; attack data written by the base model (`{base}`) "
             f"({len(written['harmful'])} harmful, {len(written['benign'])} ordinary examples, `data/written.jsonl`). "
             f"Sweep: {'; '.join(f'{r.name}' for r in cfg.runs())}, measured at steps {{{_csv(cfg.steps)}}}; "
             f"interpolation alphas {{{_csv(cfg.alphas) if base_state is not None else 'none'}}}. "
             f"Reproduce: `slmguard attack weights --model {target}"
             f"{f' --adapter {adapter}' if adapter else ''}{f' --name {name}' if name else ''}"
             f"{f' --base {base}' if base != 'default' else ''}`."]
    path = write_weight_report(points, summary, out, "Durability under weight-level attacks", notes)
    typer.echo(f"report: {path}")


@attack_app.command("compare")
def compare(
    prompt_level: List[Path] = typer.Option([], "--prompt-level", help="`attack model` run folders."),
    weight_level: List[Path] = typer.Option([], "--weight-level", help="`attack weights` run folders."),
    out: Path = typer.Option(Path("reports/durability"), help="Folder for the side-by-side report."),
) -> None:
    """The durability table: systems side by side over both suites (matched by system name)."""
    from slmguard.eval.weight_durability import write_durability_table

    missing = [str(d) for d in [*prompt_level, *weight_level] if not (d / "summary.json").is_file()]
    if missing:
        raise typer.BadParameter(f"no summary.json in {', '.join(missing)}: run the suite there first")
    if not prompt_level and not weight_level:
        raise typer.BadParameter("give at least one --prompt-level or --weight-level run folder")
    path = write_durability_table(prompt_level, weight_level, out)
    typer.echo(path.read_text())


@attack_app.command("harden")
def harden(
    target: str = typer.Option("guardian", "--model", help="'guardian', 'default' or a model folder."),
    adapter: Optional[Path] = typer.Option(None, help="A LoRA adapter merged into the model first."),
    base: str = typer.Option("default", help="The base model: it writes the attack data, and interpolation goes "
                                             "toward it [default: SmolLM2-135M-Instruct]."),
    out: Path = typer.Option(Path("runs/harden"), help="Folder for the hardening adapter and its record."),
    steps: int = typer.Option(HARDEN_DEFAULTS.steps, min=1),
    lr: float = typer.Option(HARDEN_DEFAULTS.lr, min=0.0),
    lam: float = typer.Option(HARDEN_DEFAULTS.lam, min=0.0, help="Weight of the harmful-perturbation term."),
    alpha: float = typer.Option(HARDEN_DEFAULTS.alpha, min=0.0, help="Length of the simulated harmful step."),
    harmful: int = typer.Option(HARDEN_DEFAULTS.harmful, min=1, help="Harmful requests written for hardening."),
    benign: int = typer.Option(HARDEN_DEFAULTS.benign, min=1, help="Ordinary requests written for hardening."),
    seed: int = typer.Option(HARDEN_DEFAULTS.seed),
    data_dir: DataDir = None,
) -> None:
    """Defence: harden a model against harmful fine-tuning (Booster). Attack the result with
    `slmguard attack weights --adapter OUT/adapter` and compare with the model as it was."""
    import json
    import time
    from dataclasses import asdict, replace

    from slmguard.align.policy import Policy
    from slmguard.attacks.harden import aligned_examples, booster_finetune
    from slmguard.core.config import Settings
    from slmguard.eval.policy_eval import eval_prompts
    from slmguard.judges.response import ResponseJudges
    from slmguard.models.artifacts import write_manifest
    from slmguard.models.causal_lm import load_causal_lm
    from slmguard.models.generation import GEN_BATCH, GenerationConfig
    from slmguard.respond.prompts import chat_text
    from slmguard.weak.written_answers import attacker_requests, messages, write_examples

    cfg = replace(HARDEN_DEFAULTS, steps=steps, lr=lr, lam=lam, alpha=alpha, harmful=harmful, benign=benign,
                  seed=seed)
    settings = Settings.resolve(data_dir=data_dir)
    root = settings.require_data_dir()
    start = time.perf_counter()
    policy = Policy.load(target, adapter=adapter, merge_adapter=True, lora_r=cfg.lora_r)
    tok = policy.tokenizer
    base_model, base_tokenizer = load_causal_lm(base, settings.cache_dir)
    eval_texts = [e.text for es in eval_prompts(root, None).values() for e in es]
    harmful_rows, benign_rows = attacker_requests(root, cfg.harmful, cfg.benign, eval_texts,
                                                  ResponseJudges.default().embed, cfg.seed)
    written = write_examples(base_model, base_tokenizer, harmful_rows, benign_rows, progress="write harmful answers")

    def fmt(request: str) -> str:
        return chat_text(tok, messages(policy.system, request))

    requests = [r for _, r in harmful_rows] + [r for _, r in benign_rows]
    own = aligned_examples(lambda texts: policy.generate([fmt(t) for t in texts],
                                                         GenerationConfig(max_new_tokens=96, batch_size=GEN_BATCH),
                                                         "the model's own answers"),
                           requests, [True] * len(harmful_rows) + [False] * len(benign_rows))
    history = booster_finetune(policy.model, tok, [(fmt(r), a) for r, a in own],
                               [(fmt(x.request), x.target) for x in written["harmful"]], cfg, "harden (Booster)")
    folder = out / "adapter"
    policy.model.save_pretrained(str(folder), safe_serialization=True)
    write_manifest(folder)
    record = {"target": target, "adapter": str(adapter) if adapter else None, "config": asdict(cfg),
              "aligned_examples": len(own), "harmful_examples": len(written["harmful"]),
              "seconds": round(time.perf_counter() - start, 1), "steps": [asdict(h) for h in history]}
    (out / "harden.json").write_text(json.dumps(record, indent=2) + "\n")
    first, last = history[:10], history[-10:]
    typer.echo(f"hardening adapter: {folder} ({len(own)} aligned, {len(written['harmful'])} harmful examples); "
               f"harmful-step loss drop {sum(h.harm_drop for h in first) / len(first):.3f} -> "
               f"{sum(h.harm_drop for h in last) / len(last):.3f} (first and last 10 steps)")


def _numbers(text: str, kind, option: str, allow_empty: bool = False, minimum: float = 0) -> tuple:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    try:
        values = tuple(kind(p) for p in parts)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a comma-separated list of {kind.__name__} values",
                                 param_hint=option) from None
    if not values and not allow_empty:
        raise typer.BadParameter("needs at least one value", param_hint=option)
    if any(v < minimum for v in values):
        raise typer.BadParameter(f"{text!r}: values must be at least {minimum}", param_hint=option)
    return values


def _written(path: Path, root: Path, cfg, base, tokenizer, prompts: dict, embed) -> dict:
    """The attacker's examples, written by the base model once per run folder and read back after."""
    from slmguard.core.jsonl import read_jsonl, write_jsonl
    from slmguard.weak.written_answers import TrainExample, attacker_requests, write_examples

    if path.exists():
        rows = read_jsonl(path)
        return {pool: [TrainExample(r["id"], r["request"], r["target"]) for r in rows if r["pool"] == pool]
                for pool in ("harmful", "benign")}
    harmful, benign = attacker_requests(root, cfg.harmful_needed, cfg.benign_needed,
                                        [e.text for es in prompts.values() for e in es], embed, cfg.seed)
    written = write_examples(base, tokenizer, harmful, benign, progress="write attack data")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_jsonl(path, [{"pool": pool, "id": x.id, "request": x.request, "target": x.target}
                       for pool, xs in written.items() for x in xs])
    return written


def _attack_names(attacks: str) -> list[str]:
    from slmguard.attacks.prompts import ATTACKS

    names = ATTACKS.names() if attacks == "all" else [a.strip() for a in attacks.split(",") if a.strip()]
    unknown = [a for a in names if a not in ATTACKS]
    if unknown:
        raise typer.BadParameter(f"unknown attack(s) {unknown}; known: {ATTACKS.names()}", param_hint="--attacks")
    return names


def _guardian_judge():
    """The shipped SLM guardian's response verdicts, as a judge of attack success."""
    from slmguard.respond.slm_detector import SlmDetector
    from slmguard.respond.slm_guardian import SlmGuardian

    slm = SlmDetector(SlmGuardian.load())
    return lambda responses: [v.unsafe for v in slm.classify_batch(responses, "response")]


def _prompts(root: Path, set_name: str, label, limit: int | None) -> list:
    """The prompts of one label in an evaluation set, `limit` spread over it."""
    from slmguard.data.registry import load
    from slmguard.eval.runner import spread

    return spread([e for e in load(set_name, root).examples if e.label == label and e.kind == "prompt"], limit)


def _templates(root: Path) -> list[str]:
    from slmguard.data.registry import load

    return [e.text for e in load("jailbreak_in_the_wild", root).examples if len(e.text) <= MAX_TEMPLATE_CHARS]
