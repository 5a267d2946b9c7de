"""Pieces and text leaves: what the rails judge, and in what bounded pieces."""

from __future__ import annotations

import pytest

from slmguard.core.types import Message
from slmguard.serve.config import LimitsConfig
from slmguard.serve.errors import ApiError
from slmguard.serve.judging import Planner, answer_pieces, model_work, request_pieces
from slmguard.serve.text_leaves import first_surrogate, string_leaves, without_surrogates


@pytest.fixture(scope="module")
def tokenizer():
    from slmguard.models.encoder import load_tokenizer

    return load_tokenizer()


def planner(tokenizer, **limits) -> Planner:
    return Planner(tokenizer, LimitsConfig(**limits))


def test_string_leaves_name_every_text_and_skip_short_names():
    delta = {"role": "assistant", "content": "hi", "tool_calls": [
        {"index": 3, "id": "call_1", "type": "function", "function": {"name": "search", "arguments": "{\"q\": 1}"}}],
        "id": "x" * 65}
    assert list(string_leaves(delta, "d")) == [
        ("d.content", "hi"), ("d.tool_calls[3].function.name", "search"),
        ("d.tool_calls[3].function.arguments", "{\"q\": 1}"), ("d.id", "x" * 65)]


def test_surrogates_are_found_and_replaced():
    data = {"a": [{"b": "ok"}, {"c": "bad \ud800"}]}
    assert first_surrogate(data) == "a[1].c"
    assert first_surrogate(without_surrogates(data)) is None
    assert without_surrogates(data)["a"][1]["c"] == "bad \ufffd"


def test_every_passage_of_overlap_tokens_lies_whole_inside_a_piece(tokenizer):
    p = planner(tokenizer, piece_tokens=40, overlap_tokens=16)
    text = " ".join(f"word{i}" for i in range(300))
    pieces = p.pieces(text, "response", "x")
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    assert len(pieces) > 5 and all(p.cost <= model_work(40) for p in pieces)
    covered = [tokenizer(piece.input, add_special_tokens=False)["input_ids"] for piece in pieces]
    for start in range(0, len(ids) - 16):
        window = ids[start:start + 16]
        assert any(_contains(c, window) for c in covered), start
    assert p.tokens == len(ids)  # the overlap is not charged to the caller


def _contains(haystack: list[int], needle: list[int]) -> bool:
    return any(haystack[i:i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1))


def test_a_short_text_is_one_piece_and_an_earlier_turn_is_read_beside_it(tokenizer):
    p = planner(tokenizer)
    [alone] = p.pieces("How do I bake bread?", "prompt", "x")
    assert alone.input == "How do I bake bread?"
    [joined] = p.pieces("and then?", "prompt", "y", previous="How do I bake bread?")
    assert joined.input == [Message("user", "How do I bake bread?"), Message("user", "and then?")]
    [answer] = p.pieces("Knead it.", "response", "z", previous="How do I bake bread?")
    assert answer.input[-1] == Message("assistant", "Knead it.")


def test_limits_hold_after_normalisation_and_over_the_request(tokenizer):
    with pytest.raises(ApiError, match="after Unicode normalisation"):
        planner(tokenizer, max_input_chars=1000).normalized("\ufdfa" * 100, "input")  # 1,800 after NFKC
    p = planner(tokenizer, max_request_tokens=100)
    p.pieces("word " * 60, "prompt", "messages[0].content")
    with pytest.raises(ApiError) as error:
        p.pieces("word " * 60, "prompt", "messages[1].content")
    assert error.value.code == "request_too_large" and error.value.param == "messages[1].content"
    assert planner(tokenizer).normalized(" \u200b ", "x") is None


def test_request_and_answer_texts(tokenizer):
    payload = {"messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "first"}, {"type": "input_text", "text": "second"}]},
        {"role": "assistant", "content": "ok", "tool_calls": [{"id": "c", "type": "function",
                                                               "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "user", "content": "third"}],
        "tools": [{"type": "function", "function": {"name": "f", "description": "Finds things."}}]}
    groups = request_pieces(planner(tokenizer), payload)
    where = [(g[0].where, g[0].kind) for g in groups]
    assert where == [("messages[0].content", "prompt"), ("messages[1].content[0].text", "prompt"),
                     ("messages[1].content[1].text", "prompt"), ("messages[2].content", "response"),
                     ("messages[2].tool_calls[0].function.name", "response"),
                     ("messages[2].tool_calls[0].function.arguments", "response"),
                     ("messages[3].content", "prompt"), ("tools[0].function.name", "prompt"),
                     ("tools[0].function.description", "prompt")]
    assert groups[6][0].input == [Message("user", "first\nsecond"), Message("user", "third")]
    choice = {"index": 0, "finish_reason": "stop", "logprobs": {"content": [{"token": "x"}]},
              "message": {"role": "assistant", "content": None, "refusal": "No.", "reasoning_content": "Hmm."}}
    assert [g[0].where for g in answer_pieces(planner(tokenizer), choice, "choices[0]")] == [
        "choices[0].message.refusal", "choices[0].message.reasoning_content"]


def test_text_hidden_under_a_name_field_is_still_read():
    message = {"role": "user", "content": "hi", "format": {"note": "hidden text"}, "model": ["more hidden text"],
               "logprobs": {"content": [{"token": "x"}]}}
    assert [w for w, _ in string_leaves(message, "m")] == ["m.content", "m.format.note", "m.model[0]"]
