"""Input clean-up applied before every detector sees a text."""

from __future__ import annotations

import re
import unicodedata

from slmguard.core.errors import InputError

# Zero-width and bidi controls are used to split words past filters; they carry no meaning.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u00ad\u180e]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t]+")
SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """Lone surrogates (JSON allows `\\ud800`; no encoding can carry it) become U+FFFD."""
    return SURROGATE.sub("\ufffd", text)


def normalize_text(text: object, *, where: str = "input") -> str:
    """NFKC, drop zero-width and control characters, replace lone surrogates, squeeze spaces; empty input is an
    error."""
    if not isinstance(text, str):
        raise InputError(f"{where}: expected text, got {type(text).__name__}")
    # Invisible characters go first so that NFKC can compose what they separated.
    cleaned = unicodedata.normalize("NFKC", _INVISIBLE.sub("", replace_surrogates(text)))
    cleaned = _CONTROL.sub(" ", cleaned)
    cleaned = _SPACES.sub(" ", cleaned).strip()
    if not cleaned:
        raise InputError(f"{where}: empty text (nothing left after removing whitespace and control characters)")
    return cleaned
