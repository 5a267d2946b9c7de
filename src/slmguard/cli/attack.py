"""`slmguard attack`: the durability suite (how much safety survives attacks)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from slmguard.attacks.harden import HardenConfig
from slmguard.cli.options import AttackBase, BatchSize, DataDir, LearningRate, PromptAttacks, Seed, SystemName
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
    attacks: PromptAttacks = "all",
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
    name: SystemName = None,
    attacks: PromptAttacks = "all",
    limit: int = typer.Option(20, min=1, help="Harmful prompts per evaluation set (spread over the set)."),
    max_tokens: int = typer.Option(64, min=1, max=512, help="Longest response, in tokens (greedy)."),
    guardian_judge: bool = typer.Option(True, "--guardian-judge/--no-guardian-judge",
                                        help="Also judge responses with the SLM guardian."),
    out: Optional[Path] = typer.Option(None, help="Run folder \\[default: reports/attack-model/NAME]; resumed."),
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
    name: SystemName = None,
    base: AttackBase = "default",
    attacks: str = typer.Option(",".join(WEIGHT_DEFAULTS.attacks), help="Comma-separated weight attacks."),
    ks: str = typer.Option(_csv(WEIGHT_DEFAULTS.ks), help="Harmful examples per run, comma-separated."),
    shift_k: int = typer.Option(WEIGHT_DEFAULTS.shift_k, min=1, help="Examples of identity-shift and benign runs."),
    lrs: str = typer.Option(_csv(WEIGHT_DEFAULTS.lrs), help="Learning rates, comma-separated."),
    steps: str = typer.Option(_csv(WEIGHT_DEFAULTS.steps), help="Checkpoints measured along each run."),
    alphas: str = typer.Option(_csv(WEIGHT_DEFAULTS.alphas), help="Interpolation ratios toward the base "
                                                                  "(1 = aligned); '' for none."),
    batch_size: BatchSize = WEIGHT_DEFAULTS.batch_size,
    limit: int = typer.Option(WEIGHT_DEFAULTS.eval_limit, min=1, help="Evaluation prompts per set."),
    max_tokens: int = typer.Option(WEIGHT_DEFAULTS.max_tokens, min=1, max=512, help="Longest response (greedy)."),
    out: Optional[Path] = typer.Option(None, help="Run folder \\[default: reports/attack-weights/NAME]; resumed."),
    seed: Seed = WEIGHT_DEFAULTS.seed,
    data_dir: DataDir = None,
) -> None:
    """Fine-tuning and interpolation attacks on a model's weights: attack success against the
    attacker's cost, safety half-life, worst case, and the general ability kept."""
    from slmguard.align.policy import Policy
    from slmguard.attacks.finetune import WEIGHT_ATTACKS
    from slmguard.core.config import Settings
    from slmguard.eval.weight_durability import attack_weights, write_weight_report
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
    run = attack_weights(system, Policy.load, target, adapter, base, settings.require_data_dir(), settings.cache_dir,
                         cfg, out)
    notes = [f"System: `{system}`. {run.n_prompts} evaluation prompts ({limit} per set); greedy, "
             f"{max_tokens} tokens. LoRA r={cfg.lora_r} on {', '.join(TARGET_MODULES)}, batch {batch_size}, constant "
             f"learning rate, seed {seed}; attack data written by the base model (`{base}`) "
             f"({len(run.written['harmful'])} harmful, {len(run.written['benign'])} ordinary examples, "
             f"`data/written.jsonl`). "
             f"Sweep: {'; '.join(f'{r.name}' for r in cfg.runs())}, measured at steps {{{_csv(cfg.steps)}}}; "
             f"interpolation alphas {{{_csv(cfg.alphas) if run.interpolated else 'none'}}}. "
             f"Reproduce: `slmguard attack weights --model {target}"
             f"{f' --adapter {adapter}' if adapter else ''}{f' --name {name}' if name else ''}"
             f"{f' --base {base}' if base != 'default' else ''}`."]
    path = write_weight_report(run.points, run.summary, out, "Durability under weight-level attacks", notes)
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
    base: AttackBase = "default",
    out: Path = typer.Option(Path("runs/harden"), help="Folder for the hardening adapter and its record."),
    steps: int = typer.Option(HARDEN_DEFAULTS.steps, min=1),
    lr: LearningRate = HARDEN_DEFAULTS.lr,
    lam: float = typer.Option(HARDEN_DEFAULTS.lam, min=0.0, help="Weight of the harmful-perturbation term."),
    alpha: float = typer.Option(HARDEN_DEFAULTS.alpha, min=0.0, help="Length of the simulated harmful step."),
    harmful: int = typer.Option(HARDEN_DEFAULTS.harmful, min=1, help="Harmful requests written for hardening."),
    benign: int = typer.Option(HARDEN_DEFAULTS.benign, min=1, help="Ordinary requests written for hardening."),
    seed: Seed = HARDEN_DEFAULTS.seed,
    data_dir: DataDir = None,
) -> None:
    """Defence: harden a model against harmful fine-tuning (Booster). Attack the result with
    `slmguard attack weights --adapter OUT/adapter` and compare with the model as it was."""
    from dataclasses import replace

    from slmguard.align.policy import Policy
    from slmguard.attacks.harden import harden_model
    from slmguard.core.config import Settings
    from slmguard.eval.policy_eval import eval_prompts

    cfg = replace(HARDEN_DEFAULTS, steps=steps, lr=lr, lam=lam, alpha=alpha, harmful=harmful, benign=benign,
                  seed=seed)
    settings = Settings.resolve(data_dir=data_dir)
    root = settings.require_data_dir()
    eval_texts = [e.text for es in eval_prompts(root, None).values() for e in es]
    run = harden_model(Policy.load, target, adapter, base, root, settings.cache_dir, eval_texts, cfg, out)
    first, last = run.steps[:10], run.steps[-10:]
    typer.echo(f"hardening adapter: {run.adapter} ({run.aligned} aligned, {run.harmful} harmful examples); "
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
