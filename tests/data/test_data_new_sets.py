"""Davidson tweets, DiaSafety and Safety-Tuned LLaMAs loaders on tiny (and malformed) files."""

import json
from pathlib import Path

import pytest

from slmguard.core.errors import DataFormatError
from slmguard.core.types import Label, Role
from slmguard.data import DATASETS, load
from slmguard.data.lexicons import hate_ngrams

STL_EVAL = {"stl_physical_safe": "I-PhysicalSafetySafe.json", "stl_physical_unsafe": "I-PhysicalSafetyUnsafe.json",
            "stl_cona": "I-CoNa.json", "stl_controversial": "I-Controversial.json",
            "stl_malicious": "I-MaliciousInstructions.json", "stl_q_harm": "Q-Harm.json"}


def write(path: Path, content: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def assert_names(err: DataFormatError, path: Path, line: int | None, field: str | None) -> None:
    assert (err.path, err.line, err.field) == (str(path), line, field)
    message = str(err)
    assert str(path) in message
    if line is not None:
        assert f"{path}:{line}" in message
    if field is not None:
        assert f"'{field}'" in message


# ---- davidson_tweets -----------------------------------------------------------------------

def test_tweets_decode_html_entities_and_are_unlabelled_statements(tmp_path):
    write(tmp_path / "davidson_tweets" / "tweets.csv",
          'id,tweet\n0,"a &amp; b &#128514; &lt;3"\n7,"plain, with comma"\n')
    examples = load("davidson_tweets", tmp_path, purpose="training").examples
    assert [(e.id, e.text) for e in examples] == [("davidson_tweets:0", "a & b \U0001F602 <3"),
                                                 ("davidson_tweets:7", "plain, with comma")]
    assert all(e.label is None and e.form == "statement" and e.kind == "prompt" for e in examples)


def test_tweets_empty_text_strict_and_lenient(tmp_path):
    path = write(tmp_path / "davidson_tweets" / "tweets.csv",
                 "id,tweet\n0,good one\n1,   \n2,&nbsp;\n3,good two\n")
    with pytest.raises(DataFormatError, match="empty text") as info:
        load("davidson_tweets", tmp_path)
    assert_names(info.value, path, 3, "tweet")

    result = load("davidson_tweets", tmp_path, lenient=True)
    assert [e.text for e in result.examples] == ["good one", "good two"]
    # line 4 holds only a non-breaking space once its entity is decoded
    assert [(e.line, e.field) for e in result.skipped] == [(3, "tweet"), (4, "tweet")]


def test_tweets_missing_column_names_the_field(tmp_path):
    path = write(tmp_path / "davidson_tweets" / "tweets.csv", "id,text\n0,x\n")
    with pytest.raises(DataFormatError, match="header lacks") as info:
        load("davidson_tweets", tmp_path, lenient=True)
    assert_names(info.value, path, 1, "tweet")


# ---- hate n-gram lexicon -------------------------------------------------------------------

def test_hate_ngrams_reads_only_the_ngram_column_with_any_line_ending(tmp_path):
    # The upstream file ends its lines with bare carriage returns.
    write(tmp_path / "davidson_tweets" / "hate_ngram_lexicon.csv",
          "ngram,prophate\rallah akbar,0.87\rBlacks,0.583\r\r a  dirty ,0.743\rblacks,0.5")
    assert hate_ngrams(tmp_path) == ["allah akbar", "blacks", "a dirty"]
    write(tmp_path / "davidson_tweets" / "hate_ngram_lexicon.csv", "ngram,prophate\r\nspic,0.75\r\n")
    assert hate_ngrams(tmp_path) == ["spic"]


@pytest.mark.parametrize("content, line, field, words", [
    ("word,prophate\nx,0.5\n", 1, "ngram", "header lacks"),
    ("ngram,prophate\nok,0.5\n ,0.4\n", 3, "ngram", "empty text"),
    ("ngram,prophate\nok,0.5\nlonely\n", 3, None, "expected 2 columns"),
    ("", 1, None, "empty file"),
])
def test_hate_ngrams_errors_name_file_line_and_field(tmp_path, content, line, field, words):
    path = write(tmp_path / "davidson_tweets" / "hate_ngram_lexicon.csv", content)
    with pytest.raises(DataFormatError, match=words) as info:
        hate_ngrams(tmp_path)
    assert_names(info.value, path, line, field)


def test_hate_ngrams_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="hate_ngram_lexicon.csv"):
        hate_ngrams(tmp_path)


# ---- diasafety -----------------------------------------------------------------------------

def dialogues(tmp_path: Path, *rows: str) -> Path:
    return write(tmp_path / "diasafety" / "dialogues.jsonl", "".join(r + "\n" for r in rows))


def test_diasafety_contexts_and_responses(tmp_path):
    dialogues(tmp_path,
              '{"context": "I feel great today.", "response": " Good for you! "}',
              '{"context": "Should I test for covid?", "response": "Ask a doctor."}',
              '{"context": "I feel great today.", "response": "Me too &gt; you"}',
              '{"context": "Nobody answers me", "response": ""}')
    contexts = load("diasafety_contexts", tmp_path, purpose="training").examples
    assert [(e.id, e.text, e.form, e.kind, e.label) for e in contexts] == [
        ("diasafety:1", "I feel great today.", "statement", "prompt", None),
        ("diasafety:2", "Should I test for covid?", "request", "prompt", None),
        ("diasafety:4", "Nobody answers me", "statement", "prompt", None)]
    result = load("diasafety_responses", tmp_path, purpose="training")
    assert [(e.id, e.text, e.context, e.form, e.kind, e.label) for e in result.examples] == [
        ("diasafety:1", "Good for you!", "I feel great today.", "response", "response", None),
        ("diasafety:2", "Ask a doctor.", "Should I test for covid?", "response", "response", None),
        ("diasafety:3", "Me too > you", "I feel great today.", "response", "response", None)]
    # an empty response is a turn with nothing to judge, not a malformed row
    assert result.skipped == []


@pytest.mark.parametrize("name", ["diasafety_contexts", "diasafety_responses"])
@pytest.mark.parametrize("bad, field, words", [
    ('{"context": "  ", "response": "fine"}', "context", "empty text"),
    ('{"response": "fine"}', "context", "missing field"),
    ('{"context": "fine"}', "response", "missing field"),
    ('{"context": "fine", "response": 3}', "response", "expected text, got int"),
    ('{"context": ["x"], "response": "fine"}', "context", "expected text, got list"),
    ('["context", "response"]', None, "expected a JSON object"),
])
def test_diasafety_bad_rows_strict_and_lenient(tmp_path, name, bad, field, words):
    path = dialogues(tmp_path, '{"context": "first?", "response": "one"}', bad,
                     '{"context": "third", "response": "three"}')
    with pytest.raises(DataFormatError, match=words) as info:
        load(name, tmp_path)
    assert_names(info.value, path, 2, field)

    result = load(name, tmp_path, lenient=True)
    assert [e.id for e in result.examples] == ["diasafety:1", "diasafety:3"]
    assert [(e.path, e.line, e.field) for e in result.skipped] == [(str(path), 2, field)]


# ---- safety_tuned_llamas (training file) ---------------------------------------------------

def stl_training(tmp_path: Path, items: list) -> Path:
    return write(tmp_path / "safety_tuned_llamas" / "safety_only_data_Instructions.json", json.dumps(items))


def test_stl_instructions_and_their_declining_answers(tmp_path):
    stl_training(tmp_path, [{"instruction": "Insult my neighbour.", "input": "", "output": "I won't do that."},
                            {"instruction": "Rewrite this as a threat:", "input": "Pay me back.",
                             "output": "I cannot help with threats."}])
    prompts = load("safety_tuned_llamas", tmp_path, purpose="training").examples
    assert [(e.text, e.label, e.form, e.kind, dict(e.meta)) for e in prompts] == [
        ("Insult my neighbour.", Label.UNSAFE, "request", "prompt", {"output": "I won't do that."}),
        ("Rewrite this as a threat:\nPay me back.", Label.UNSAFE, "request", "prompt",
         {"output": "I cannot help with threats."})]
    answers = load("safety_tuned_llamas_responses", tmp_path, purpose="training").examples
    assert [(e.text, e.context, e.label, e.form, e.kind) for e in answers] == [
        ("I won't do that.", "Insult my neighbour.", Label.SAFE, "response", "response"),
        ("I cannot help with threats.", "Rewrite this as a threat:\nPay me back.", Label.SAFE, "response",
         "response")]


@pytest.mark.parametrize("name", ["safety_tuned_llamas", "safety_tuned_llamas_responses"])
@pytest.mark.parametrize("bad, field, words", [
    ({"instruction": "", "input": "", "output": "no"}, "instruction", "empty text"),
    ({"input": "", "output": "no"}, "instruction", "missing field"),
    ({"instruction": "Do harm", "input": ""}, "output", "missing field"),
    ({"instruction": "Do harm", "input": 5, "output": "no"}, "input", "expected text, got int"),
    ("just text", None, "expected an object"),
])
def test_stl_bad_items_strict_and_lenient(tmp_path, name, bad, field, words):
    good = {"instruction": "Do harm", "input": "", "output": "No."}
    path = stl_training(tmp_path, [good, bad, good])
    with pytest.raises(DataFormatError, match=words) as info:
        load(name, tmp_path)
    assert_names(info.value, path, 2, field)
    assert "item 2" in str(info.value)

    result = load(name, tmp_path, lenient=True)
    assert [e.id for e in result.examples] == [f"{name}:1", f"{name}:3"]
    assert [(e.line, e.field) for e in result.skipped] == [(2, field)]


def test_stl_training_file_not_an_array(tmp_path):
    path = write(tmp_path / "safety_tuned_llamas" / "safety_only_data_Instructions.json", '{"instruction": "x"}')
    with pytest.raises(DataFormatError, match="expected a JSON array") as info:
        load("safety_tuned_llamas", tmp_path, lenient=True)
    assert info.value.path == str(path)


# ---- safety_tuned_llamas evaluation files --------------------------------------------------

@pytest.mark.parametrize("name, file", sorted(STL_EVAL.items()))
def test_stl_eval_sets_are_registered_for_evaluation(tmp_path, name, file):
    spec = DATASETS.get(name)
    assert spec.role is Role.EVALUATION and spec.license == "CC-BY-NC-4.0"
    write(tmp_path / "safety_tuned_llamas" / "eval" / file,
          json.dumps({"instructions": ["First request.", " Second? "], "inputs": []}))
    examples = load(name, tmp_path).examples
    assert [(e.id, e.text, e.form, e.kind) for e in examples] == [(f"{name}:1", "First request.", "request", "prompt"),
                                                                  (f"{name}:2", "Second?", "request", "prompt")]
    expected = {"stl_physical_safe": Label.SAFE, "stl_q_harm": None}.get(name, Label.UNSAFE)
    assert {e.label for e in examples} == {expected}
    cats = ("hte",) if name in ("stl_cona", "stl_controversial") else ()
    assert {e.categories for e in examples} == {cats}


@pytest.mark.parametrize("content, words", [
    ('["a list, not an object"]', "expected a JSON object"),
    ('{"prompts": ["x"]}', "missing field"),
    ('{"instructions": "not a list"}', "expected a JSON array, got str"),
    ('{"instructions": {"a": 1}}', "expected a JSON array, got dict"),
])
def test_stl_eval_file_of_the_wrong_shape_names_the_field(tmp_path, content, words):
    path = write(tmp_path / "safety_tuned_llamas" / "eval" / "Q-Harm.json", content)
    for lenient in (False, True):
        with pytest.raises(DataFormatError, match=words) as info:
            load("stl_q_harm", tmp_path, lenient=lenient)
        assert_names(info.value, path, None, "instructions")


def test_stl_eval_invalid_json_names_the_file_and_line(tmp_path):
    path = write(tmp_path / "safety_tuned_llamas" / "eval" / "I-CoNa.json", '{"instructions": [\n"a",\n]}')
    with pytest.raises(DataFormatError, match="invalid JSON") as info:
        load("stl_cona", tmp_path)
    assert info.value.path == str(path) and info.value.line == 3


def test_stl_eval_bad_entries_strict_and_lenient(tmp_path):
    path = write(tmp_path / "safety_tuned_llamas" / "eval" / "I-Controversial.json",
                 json.dumps({"instructions": ["good one", "", 7, None, "   ", "good two"]}))
    with pytest.raises(DataFormatError, match="item 2: expected non-empty text") as info:
        load("stl_controversial", tmp_path)
    assert_names(info.value, path, 2, "instructions")

    result = load("stl_controversial", tmp_path, lenient=True)
    assert [(e.id, e.text) for e in result.examples] == [("stl_controversial:1", "good one"),
                                                         ("stl_controversial:6", "good two")]
    assert [(e.path, e.line, e.field) for e in result.skipped] == [(str(path), i, "instructions") for i in (2, 3, 4, 5)]
