"""Errors in the OpenAI shape, `{"error": {"message", "type", "param", "code"}}`, which the
official clients turn into their typed exceptions."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from slmguard.core.yaml_lines import dotted

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


async def read_json(request: Request, model: type[M], max_bytes: int) -> M:
    """The request body as `model`, checked in order: size, UTF-8, JSON, fields. Each failure is a
    4xx saying what was wrong and where."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise ApiError(413, f"request body is {declared} bytes; the limit is {max_bytes}", code="body_too_large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise ApiError(413, f"request body is over the limit of {max_bytes} bytes", code="body_too_large")
    if not body:
        raise ApiError(400, "the request body is empty: send a JSON object", code="invalid_json")
    try:
        text = bytes(body).decode("utf-8")
    except UnicodeDecodeError as e:
        raise ApiError(400, f"the request body is not valid UTF-8 (byte {e.start})", code="invalid_utf8") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ApiError(400, f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}",
                       code="invalid_json") from None
    if not isinstance(data, dict):
        raise ApiError(400, f"the request body must be a JSON object, not {type(data).__name__}", code="invalid_json")
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


def _is_branch_tag(part: str | int) -> bool:
    """Union branch names in an error location (`str`, `list[GuardMessage]`), not field names."""
    return isinstance(part, str) and (part in {"str", "int", "float", "bool", "dict", "list"} or "[" in part)
