"""Views of a text that undo disguises; the detector scores them beside the text and the riskiest
counts.

`segments`: a request wrapped in a story, a persona, a code block or a translation task is diluted
when the whole text is scored (recall fell from 0.82 to 0.05-0.14 under such wrappers), so the
sentences and quoted or fenced parts are also scored one by one.

`decoded_view` undoes character-level disguises.

Each decoder fires only on its own signs, so plain text has no second view and costs nothing
extra:
- base64 blobs (16+ characters that decode to readable UTF-8) are replaced by their text;
- Cyrillic and Greek letters that look like Latin ones are mapped back;
- leetspeak: when two or more words have digits between letters ("b0mb", "h4ck"), the digits of
  every word that mixes them with letters, and the short all-digit words ("1", "4"), become letters;
- letters spelled apart ("b.o.m.b", "b o m b", "b-o-m-b") are joined;
- rot13: when few words are English and their rot13 mostly are, the rot13 of the text.
Zero-width characters are already removed by `normalize_text`.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from functools import lru_cache
from typing import AbstractSet

_B64 = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])")
_HOMOGLYPHS = str.maketrans({
    "\u0430": "a", "\u0441": "c", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0445": "x", "\u0443": "y",
    "\u0456": "i", "\u0455": "s", "\u0458": "j", "\u04bb": "h", "\u0501": "d", "\u051b": "q", "\u051d": "w",
    "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K", "\u041c": "M", "\u041d": "H", "\u041e": "O",
    "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X", "\u03bf": "o", "\u03b1": "a", "\u03b5": "e",
    "\u03b9": "i", "\u03ba": "k", "\u03bd": "v", "\u03c1": "p", "\u03c4": "t", "\u03c5": "u", "\u0391": "A",
    "\u0392": "B", "\u0395": "E", "\u0397": "H", "\u0399": "I", "\u039a": "K", "\u039c": "M", "\u039d": "N",
    "\u039f": "O", "\u03a1": "P", "\u03a4": "T", "\u03a7": "X", "\u0396": "Z",
})
_TOKEN = re.compile(r"[\w@$]+")
# A leet digit between letters ("b0mb", "m4k3"); ordinals, units and names ("7th", "mp3", "A1") have none.
_LEET_INSIDE = re.compile(r"[A-Za-z][0-9@$]+[A-Za-z]")
_LEET = str.maketrans({"4": "a", "@": "a", "3": "e", "1": "i", "0": "o", "5": "s", "$": "s", "7": "t", "8": "b"})
# One separator kind per run, so "b.o.m.b i.s" stays two words.
_SPELLED = re.compile(r"\b[A-Za-z](?P<sep>[.\-_*]| )(?:[A-Za-z](?P=sep)){2,}[A-Za-z]\b")
_SEGMENT = re.compile(r"[^.:!?\n]+[.:!?\n]*")
_WORD = re.compile(r"[A-Za-z]{3,}")
# Sentence ends, line breaks, colons, quotes and code fences bound the parts a wrapper hides a request in.
_SPLIT = re.compile(r"(?<=[.!?;:])\s+|\n+|```\w*|[\"\u201c\u201d]")
MIN_SEGMENT_WORDS = 3
MAX_SEGMENTS = 24


def segments(text: str) -> list[str]:
    """The parts of a text worth scoring alone (at least 3 words); none when the text is one part.
    A long text keeps its last MAX_SEGMENTS parts: wrappers put the request at the end."""
    parts = [p.strip() for p in _SPLIT.split(text) if p and len(p.split()) >= MIN_SEGMENT_WORDS]
    if len(parts) <= 1:
        return []
    return parts[-MAX_SEGMENTS:]


@lru_cache(maxsize=8)
def english_vocabulary(tokenizer) -> frozenset[str]:
    """Lowercase whole words of a (WordPiece) tokenizer's vocabulary: the English test of the rot13
    decoder. Cached per tokenizer, so every guard that shares a detector shares it."""
    return frozenset(w for w in tokenizer.get_vocab() if w.isalpha() and w.islower())


def decoded_view(text: str, vocabulary: AbstractSet[str]) -> str | None:
    """The text with its disguises undone, or None when it shows none. `vocabulary` is a set of
    lowercase English words (the detector tokenizer's whole-word pieces), for the rot13 test."""
    out = _B64.sub(_decode_b64, text)
    out = out.translate(_HOMOGLYPHS)
    if len(_LEET_INSIDE.findall(out)) >= 2:  # leetspeak: then short all-digit tokens ("1", "47") are letters too
        out = _TOKEN.sub(lambda m: m.group(0).translate(_LEET) if _is_mixed(m.group(0)) or
                         (len(m.group(0)) <= 2 and m.group(0).isdigit()) else m.group(0), out)
    out = _SPELLED.sub(lambda m: m.group(0).replace(m.group("sep"), ""), out)
    out = _SEGMENT.sub(lambda m: _unrot(m.group(0), vocabulary), out)
    return out if out != text else None


def _is_mixed(token: str) -> bool:
    """A word written with leetspeak digits: letters and digits (or @, $) together."""
    return any(c.isalpha() for c in token) and any(c.isdigit() or c in "@$" for c in token)


def _unrot(segment: str, vocabulary: AbstractSet[str]) -> str:
    """A sentence or clause in rot13 (few English words, many once flipped) is flipped back; the
    test is per segment, so an English instruction around an encoded payload stays as it is."""
    if _english(segment, vocabulary) >= 0.5:  # the common case: English, nothing to flip
        return segment
    flipped = codecs.encode(segment, "rot13")
    return flipped if _english(flipped, vocabulary) >= 0.7 else segment


def _decode_b64(match: re.Match) -> str:
    blob = match.group(0)
    try:
        decoded = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return blob
    readable = sum(c.isprintable() or c.isspace() for c in decoded) / max(len(decoded), 1)
    return decoded if readable > 0.95 and any(c.isalpha() for c in decoded) else blob


def _english(text: str, vocabulary: AbstractSet[str]) -> float:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 3:
        return 1.0  # too little to judge: never flip
    return sum(w in vocabulary for w in words) / len(words)
