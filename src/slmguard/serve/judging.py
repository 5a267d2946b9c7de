"""What the rails judge, cut into pieces of bounded work.

Every text a request or an upstream answer carries is found (`string_leaves`), normalised the
way the detector reads it, checked against the limits *after* normalisation (NFKC can make one
character eighteen), and cut into pieces of at most `piece_tokens` tokens that overlap by
`overlap_tokens` (`detect.pieces`). A piece is one batcher job whose cost is known before it
reaches the model: a request's work is bounded by its token budget, and a long text cannot hold
the model thread for long, because the batcher serves short requests first.

A harmful passage of up to `overlap_tokens` tokens lies whole inside some piece, and a piece is
one detector window: a harmful sentence anywhere in a long answer is read with at most a window of
safe text around it (docs/server.md has the measurement).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from slmguard.core.errors import InputError
from slmguard.core.types import GuardInput, Message
from slmguard.detect.normalize import normalize_text
from slmguard.detect.pieces import Span, word_spans
from slmguard.serve.batcher import Job, Kind
from slmguard.serve.config import LimitsConfig
from slmguard.serve.errors import ApiError
from slmguard.serve.text_leaves import string_leaves

# Model positions per token: one 128-token window per short text; a long one is read at two scales
# (128-token windows sharing 32, 48-token windows sharing 24), about 3.4 positions per token.
_ONE_WINDOW = 126
_LONG_TEXT_WORK = 3.4
# The earlier user turn read beside the last one (a request split over two turns).
PREVIOUS_TURN_CHARS = 600


def model_work(tokens: int) -> int:
    """Model positions a text of `tokens` tokens costs (the batcher's unit of work)."""
    return tokens + 2 if tokens <= _ONE_WINDOW else int(tokens * _LONG_TEXT_WORK)


@dataclass(frozen=True)
class Piece:
    """One batcher item: a piece of a text, its kind, its cost and where in the request it came from."""

    input: GuardInput
    kind: Kind
    cost: int
    where: str

    def job(self) -> Job:
        return Job(self.input, self.kind, self.cost)


class Planner:
    """Cuts one request's texts into pieces, within the request's limits: characters per text after
    normalisation, tokens over the whole request. One Planner per request."""

    def __init__(self, tokenizer: Any, limits: LimitsConfig) -> None:
        self.tokenizer, self.limits = tokenizer, limits
        self.tokens = 0
        self.texts: dict[str, str] = {}  # every text judged, by where it came from

    def normalized(self, text: str, where: str, *, required: bool = False) -> str | None:
        """The text as the detector reads it; None when nothing is left (an error if `required`)."""
        try:
            clean = normalize_text(text, where=where)
        except InputError:
            if required:
                raise ApiError(400, f"{where}: the text is empty", param=where, code="empty_input") from None
            return None
        if len(clean) > self.limits.max_input_chars:
            raise ApiError(400, f"{where}: the text has {len(clean)} characters after Unicode normalisation; the "
                                f"limit is {self.limits.max_input_chars}", param=where, code="input_too_long")
        return clean

    def pieces(self, text: str, kind: Kind, where: str, previous: str | None = None) -> list[Piece]:
        """`text` (already normalised) in pieces; with `previous` (the user turn before it), each piece
        is read as the last turn of a conversation after that turn: a prompt also joined to it, a
        response in its context."""
        spans = self._spans(text, where)
        self.texts[where] = text
        if previous is None:
            return [Piece(text[a:b], kind, model_work(n), where) for a, b, n in spans]
        before = previous[-PREVIOUS_TURN_CHARS:]
        extra = self._count(before, where)
        role = "assistant" if kind == "response" else "user"
        return [Piece([Message("user", before), Message(role, text[a:b])], kind, 2 * model_work(n + extra), where)
                for a, b, n in spans]

    def leaf_pieces(self, leaves: Iterable[tuple[str, str]], kind: Kind,
                    previous: str | None = None) -> list[list[Piece]]:
        """Each (where, text) normalised and cut into pieces; texts with nothing left are skipped."""
        out = []
        for where, raw in leaves:
            text = self.normalized(raw, where)
            if text is not None:
                out.append(self.pieces(text, kind, where, previous))
        return out

    def _count(self, text: str, where: str) -> int:
        n = len(self.tokenizer(text, add_special_tokens=False, truncation=False, verbose=False)["input_ids"])
        self._spend(n, where)
        return n

    def _spend(self, tokens: int, where: str) -> None:
        self.tokens += tokens
        if self.tokens > self.limits.max_request_tokens:
            raise ApiError(400, f"{where}: the request's texts come to more than {self.limits.max_request_tokens} "
                                f"tokens, the limit of what one request may have judged", param=where,
                           code="request_too_large")

    def _spans(self, text: str, where: str) -> list[Span]:
        spans, tokens = word_spans(self.tokenizer, text, self.limits.piece_tokens, self.limits.overlap_tokens)
        self._spend(tokens, where)  # the overlap is the server's cost, not the caller's
        return spans


def request_pieces(planner: Planner, payload: dict[str, Any]) -> list[list[Piece]]:
    """The input rail's texts: every text of every message the upstream will read (system, developer,
    user, assistant prefill, tool results, tool-call arguments, each content part) and the tool
    definitions. The last user turn is also read after the user turn before it, so that a request
    split over two turns is seen whole. Assistant turns are judged as responses."""
    messages = payload.get("messages") or []
    users = [i for i, m in enumerate(messages) if m.get("role") == "user"]
    previous = _joined(planner, messages[users[-2]], f"messages[{users[-2]}].content") if len(users) > 1 else None
    last_user = users[-1] if users else -1
    out: list[list[Piece]] = []
    for i, message in enumerate(messages):
        kind: Kind = "response" if message.get("role") == "assistant" else "prompt"
        out += planner.leaf_pieces(string_leaves(message, f"messages[{i}]"), kind,
                                   previous if i == last_user else None)
    for field in ("tools", "functions", "prediction"):
        out += planner.leaf_pieces(string_leaves(payload.get(field), field), "prompt")
    return out


def _joined(planner: Planner, message: dict[str, Any], where: str) -> str | None:
    texts = [planner.normalized(raw, w) for w, raw in string_leaves(message.get("content"), where)]
    return "\n".join(t for t in texts if t) or None


def answer_pieces(planner: Planner, answer: dict[str, Any], where: str) -> list[list[Piece]]:
    """The output rail's texts in one choice's message or delta: content (a string or parts), refusal,
    reasoning, tool-call names and arguments, and any other text field."""
    return planner.leaf_pieces(string_leaves(answer, where), "response")
