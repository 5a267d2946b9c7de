"""Response bodies in the shapes the OpenAI API returns, each with our own `slmguard` field."""

from __future__ import annotations

import json
import time
from typing import Any

from slmguard.core.types import Verdict
from slmguard.respond.guard import Guard
from slmguard.respond.prompts import CONCERNS
from slmguard.taxonomy.mappings import OPENAI_CATEGORIES, to_openai_categories

FAIL_CLOSED_TEXT = ("I'm sorry, but I can't respond to this right now: the safety check could not run, and this "
                    "service is set to refuse when that happens. Please try again later.")


def moderation_result(verdict: Verdict) -> dict[str, Any]:
    """One `results[]` item. A category is flagged when a code that implies it reaches its own
    threshold (both hte and vcr for the threatening ones); our codes are in `slmguard`."""
    hits = to_openai_categories({c: 1.0 for c in [*verdict.categories, *verdict.signals]})
    scores = to_openai_categories({**verdict.category_scores, **verdict.signal_scores})
    return {
        "flagged": verdict.unsafe,
        "categories": {name: hits[name] > 0 for name in OPENAI_CATEGORIES},
        "category_scores": {k: round(v, 6) for k, v in scores.items()},
        "category_applied_input_types": {name: ["text"] for name in OPENAI_CATEGORIES},
        "slmguard": verdict.to_dict(),
    }


def failed_moderation_result(fail_mode: str, error: str) -> dict[str, Any]:
    """The model could not score the input: flagged when failing closed, not when failing open."""
    return {
        "flagged": fail_mode == "closed",
        "categories": {name: False for name in OPENAI_CATEGORIES},
        "category_scores": {name: 0.0 for name in OPENAI_CATEGORIES},
        "category_applied_input_types": {name: ["text"] for name in OPENAI_CATEGORIES},
        "slmguard": {"fail_mode": fail_mode, "error": error},
    }


def safe_ending(verdict: Verdict | None) -> str:
    """What replaces an answer (or the rest of a stream) that turned unsafe."""
    if verdict is None:
        return FAIL_CLOSED_TEXT
    concern = CONCERNS[Guard.top_hazard(verdict)]
    return f"I'm sorry, but I can't continue with this response because it involves {concern}."


def chat_completion(request_id: str, model: str, content: str, finish_reason: str,
                    guard_info: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{request_id}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "logprobs": None,
                     "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "slmguard": guard_info,
    }


def chunk(chunk_id: str, model: str, created: int, delta: dict[str, Any], finish_reason: str | None = None,
          guard_info: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": chunk_id, "object": "chat.completion.chunk", "created": created, "model": model,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }
    if guard_info is not None:
        out["slmguard"] = guard_info
    return out


def sse(data: dict[str, Any] | str) -> bytes:
    return f"data: {data if isinstance(data, str) else json.dumps(data)}\n\n".encode()


def completion_as_stream(completion: dict[str, Any]) -> list[bytes]:
    """A whole completion (a safeguard response) as the chunks a streaming client expects."""
    created, cid, model = completion["created"], completion["id"], completion["model"]
    choice = completion["choices"][0]
    return [
        sse(chunk(cid, model, created, {"role": "assistant", "content": ""})),
        sse(chunk(cid, model, created, {"content": choice["message"]["content"]})),
        sse(chunk(cid, model, created, {}, choice["finish_reason"], completion["slmguard"])),
        sse("[DONE]"),
    ]
