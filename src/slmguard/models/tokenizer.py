"""The detector's WordPiece tokenizer on the `tokenizers` library alone: the serving path needs
neither transformers nor torch to turn text into ids.

It answers the calls the runtime makes of a Hugging Face fast tokenizer (ids of many texts without
special tokens; one text's offsets and word ids; the vocabulary; the special ids), from the same
`tokenizer.json`, so the ids are the same (tested against transformers' tokenizer).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence


class Encoded(dict):
    """One text's encoding: `["input_ids"]`, `["offset_mapping"]` and `word_ids()`, as in transformers."""

    def __init__(self, encoding, offsets: bool) -> None:
        super().__init__(input_ids=list(encoding.ids))
        if offsets:
            self["offset_mapping"] = list(encoding.offsets)
        self._words = encoding.word_ids

    def word_ids(self) -> list[int | None]:
        return list(self._words)


class RuntimeTokenizer:
    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        self._tok = Tokenizer.from_file(str(Path(folder) / "tokenizer.json"))
        # The detector cuts texts into windows itself; tokenizer.json's 128-token cut and padding would lose text.
        self._tok.no_truncation()
        self._tok.no_padding()
        self.cls_token_id = self._tok.token_to_id("[CLS]")
        self.sep_token_id = self._tok.token_to_id("[SEP]")
        self.pad_token_id = self._tok.token_to_id("[PAD]")

    def __call__(self, text: str | Sequence[str], add_special_tokens: bool = False, truncation: bool = False,
                 verbose: bool = False, return_offsets_mapping: bool = False):
        if truncation:
            raise ValueError("RuntimeTokenizer does not truncate: the detector windows long texts itself")
        if isinstance(text, str):
            return Encoded(self._tok.encode(text, add_special_tokens=add_special_tokens), return_offsets_mapping)
        encodings = self._tok.encode_batch(list(text), add_special_tokens=add_special_tokens)
        return {"input_ids": [list(e.ids) for e in encodings]}

    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False) -> str:
        return self._tok.decode(list(ids), skip_special_tokens=skip_special_tokens)

    def get_vocab(self) -> dict[str, int]:
        return self._tok.get_vocab()

    def __deepcopy__(self, memo) -> "RuntimeTokenizer":
        # The server gives its planner thread its own copy: a Tokenizer is not safe to share across threads.
        twin = object.__new__(RuntimeTokenizer)
        twin.__dict__.update(self.__dict__)
        from tokenizers import Tokenizer

        twin._tok = Tokenizer.from_str(self._tok.to_str())
        return twin
