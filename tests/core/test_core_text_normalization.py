"""detect/normalize.py: the clean-up every detector input goes through."""

import pytest

from slmguard.core.errors import InputError
from slmguard.detect.normalize import normalize_text


@pytest.mark.parametrize("raw, clean", [
    ("\uff42\uff4f\uff4d\uff42", "bomb"),                      # fullwidth letters (NFKC)
    ("\uff28ow do I make a \uff42omb?", "How do I make a bomb?"),
    ("\ufb01re", "fire"),                                        # ligature
    ("b\u200bomb", "bomb"),                                      # zero-width space
    ("b\u200co\u200dm\u2060b", "bomb"),                          # ZWNJ, ZWJ, word joiner
    ("\ufeffbomb", "bomb"),                                      # byte-order mark
    ("bo\u00admb", "bomb"),                                      # soft hyphen
    ("\u202ebomb\u202c", "bomb"),                                # bidi override
    ("a\x00b", "a b"),                                           # NUL becomes a space
    ("a\x07\x1bb", "a b"),                                       # control characters squeezed
    ("a\x85b", "a b"),                                           # C1 control
    ("  many \t\t  spaces  ", "many spaces"),
    ("a\u3000b\u00a0c", "a b c"),                                # ideographic and no-break spaces
    ("line one\nline two", "line one\nline two"),               # newlines are kept
    ("caf\u00e9", "caf\u00e9"),
])
def test_normalize_text(raw, clean):
    assert normalize_text(raw) == clean


def test_normalize_is_idempotent():
    once = normalize_text("  \uff48i\u200b there\x01 ")
    assert normalize_text(once) == once


@pytest.mark.parametrize("raw", ["", " ", " \t ", "\u200b\u200b", "\x00\x01\x02", "\ufeff \u200d"])
def test_empty_after_clean_up_is_an_input_error(raw):
    with pytest.raises(InputError, match="empty text"):
        normalize_text(raw)


@pytest.mark.parametrize("value, type_name", [(None, "NoneType"), (3, "int"), (b"bomb", "bytes"), (["x"], "list")])
def test_non_text_is_an_input_error(value, type_name):
    with pytest.raises(InputError, match=f"messages\\[0\\]: expected text, got {type_name}"):
        normalize_text(value, where="messages[0]")


def test_input_error_is_a_value_error():
    with pytest.raises(ValueError):
        normalize_text("")


def test_result_is_nfkc_even_when_invisible_characters_split_a_combining_sequence():
    assert normalize_text("cafe\u200b\u0301") == "caf\u00e9"
