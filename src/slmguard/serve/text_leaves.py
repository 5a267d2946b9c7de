"""Finding every text in a JSON request or answer, and the Unicode it may not hold."""

from __future__ import annotations

from typing import Any, Iterator

from slmguard.detect.normalize import SURROGATE

# Fields that name or number things rather than carry text someone wrote: skipped when they hold a
# short string or a number (an object or a list under them is read like any other).
SKIP_KEYS = frozenset({"role", "type", "id", "index", "tool_call_id", "finish_reason", "object", "created", "model",
                       "system_fingerprint", "detail", "format"})
# Token log-probabilities repeat the judged content token by token; they are passed on unjudged.
_REPEATS = "logprobs"
_NAME_CHARS = 64
# Parts whose meaning is not text: the detector cannot judge them, so they are refused.
UNJUDGED_PARTS = frozenset({"image_url", "input_image", "input_audio", "audio", "file", "input_file", "image"})


def string_leaves(obj: Any, path: str) -> Iterator[tuple[str, str]]:
    """(field path, text) for every string in `obj` but short SKIP_KEYS fields and `logprobs`. In a
    list of objects that carry an `index` (streamed tool calls, choices) the path uses that index, so
    the pieces of one tool call's arguments, spread over many chunks, share a path."""
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            # A long "id" or "model" is not a name: it is judged like any text.
            named = key in SKIP_KEYS and not isinstance(value, (dict, list)) and \
                not (isinstance(value, str) and len(value) > _NAME_CHARS)
            if key != _REPEATS and not named:
                yield from string_leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            index = value.get("index", i) if isinstance(value, dict) else i
            yield from string_leaves(value, f"{path}[{index}]")


def first_surrogate(obj: Any, path: str = "") -> str | None:
    """The path of the first string (or object key) holding a lone surrogate, SKIP_KEYS included."""
    if isinstance(obj, str):
        return path if SURROGATE.search(obj) else None
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    for key, value in items:
        if isinstance(key, str) and SURROGATE.search(key):
            return path or "body"
        found = first_surrogate(value, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}".lstrip("."))
        if found is not None:
            return found
    return None


def without_surrogates(obj: Any) -> Any:
    """`obj` with every lone surrogate in its strings (keys included) replaced by U+FFFD."""
    if isinstance(obj, str):
        return SURROGATE.sub("\ufffd", obj)
    if isinstance(obj, dict):
        return {without_surrogates(k): without_surrogates(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [without_surrogates(v) for v in obj]
    return obj
