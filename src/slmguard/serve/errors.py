"""Errors in the OpenAI shape, `{"error": {"message", "type", "param", "code"}}`, which the
official clients turn into their typed exceptions."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Sequence, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from slmguard.core.yaml_lines import dotted
from slmguard.serve.text_leaves import first_surrogate

M = TypeVar("M", bound=BaseModel)


class ApiError(Exception):
    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error", param: str | None = None,
                 code: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = status, message, type, param, code
        self.headers = headers

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


async def api_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    response = exc.response()
    request_id = getattr(request.state, "request_id", None)
    if request_id:
        response.headers["X-Request-Id"] = request_id
    return response


MAX_DEPTH = 64


async def read_json(request: Request, model: type[M], max_bytes: int, timeout_s: float = 10.0) -> M:
    """The request body as `model`, checked in order: media type, size, deadline, UTF-8, JSON, nesting,
    Unicode, fields. Each failure is a 4xx saying what was wrong and where."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        # A web page can send text/plain to any origin without asking first; JSON needs the browser's consent.
        raise ApiError(415, f"the request body must be sent as application/json, not {media_type or 'no type'}",
                       code="unsupported_media_type")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise ApiError(413, f"request body is {declared} bytes; the limit is {max_bytes}", code="body_too_large")
    try:
        body = await asyncio.wait_for(_read_body(request, max_bytes), timeout_s)
    except asyncio.TimeoutError:
        raise ApiError(408, f"the request body did not arrive within {timeout_s:g} s", code="body_timeout") from None
    if not body:
        raise ApiError(400, "the request body is empty: send a JSON object", code="invalid_json")
    request.state.body_bytes = len(body)
    try:
        text = bytes(body).decode("utf-8")
    except UnicodeDecodeError as e:
        raise ApiError(400, f"the request body is not valid UTF-8 (byte {e.start})", code="invalid_utf8") from None
    data = _parse(text)
    where = first_surrogate(data)
    if where is not None:
        raise ApiError(400, f"{where or 'body'}: a lone surrogate (\\ud800-\\udfff) is not a Unicode character",
                       param=where or None, code="invalid_unicode")
    try:
        return model.model_validate(data)
    except ValidationError as e:
        # In a union (text or list of messages) pydantic reports every branch; the deepest error is
        # the one in the branch the input was meant for.
        problem = max(e.errors(include_url=False), key=lambda p: len(p["loc"]))
        where = dotted([part for part in problem["loc"] if not _is_branch_tag(part)])
        message = "unknown field" if problem["type"] == "extra_forbidden" else \
            problem["msg"].removeprefix("Value error, ")
        raise ApiError(400, f"{where}: {message}" if where else message, param=where or None,
                       code="invalid_value") from None


async def _read_body(request: Request, max_bytes: int) -> bytearray:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise ApiError(413, f"request body is over the limit of {max_bytes} bytes", code="body_too_large")
    return body


def check_model(model: str, known: Sequence[str]) -> None:
    """404 `model_not_found` unless `model` is one of `known` (an empty list accepts any)."""
    if known and model not in known:
        raise ApiError(404, f"the model '{model}' does not exist here; use one of {list(known)}", param="model",
                       code="model_not_found")


def _parse(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ApiError(400, f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}",
                       code="invalid_json") from None
    except RecursionError:
        raise ApiError(400, f"the JSON is nested too deeply (the limit is {MAX_DEPTH} levels)",
                       code="invalid_json") from None
    except ValueError as e:  # an integer of more than 4,300 digits
        raise ApiError(400, f"invalid JSON: {e}", code="invalid_json") from None
    if not isinstance(data, dict):
        raise ApiError(400, f"the request body must be a JSON object, not {type(data).__name__}", code="invalid_json")
    if _depth(data) > MAX_DEPTH:
        raise ApiError(400, f"the JSON is nested too deeply (the limit is {MAX_DEPTH} levels)", code="invalid_json")
    return data


def _depth(data: Any) -> int:
    """Nesting depth, without recursion (the parsed value may be as deep as the parser allowed)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _is_branch_tag(part: str | int) -> bool:
    """Union branch names in an error location (`str`, `list[GuardMessage]`), not field names."""
    return isinstance(part, str) and (part in {"str", "int", "float", "bool", "dict", "list"} or "[" in part)
