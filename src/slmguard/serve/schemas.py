"""Request bodies of the three POST endpoints. The OpenAI ones accept what the official client
sends (unknown chat parameters are passed upstream untouched); the native one is strict."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from slmguard.core.types import Kind, Message
from slmguard.serve.text_leaves import UNJUDGED_PARTS

MODERATION_MODELS = frozenset({"slmguard", "omni-moderation-latest", "omni-moderation-2024-09-26",
                               "text-moderation-latest", "text-moderation-stable", "text-moderation-007"})


def _text_of(part: Any, where: str) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str):
        return part["text"]
    if isinstance(part, dict) and part.get("type") in ("image_url", "input_audio", "file"):
        raise ValueError(f"{where}: only text is supported, not {part['type']}")
    raise ValueError(f"{where}: expected a string or a {{'type': 'text', 'text': ...}} part")


class ModerationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input: list[str]
    model: str = "omni-moderation-latest"

    @field_validator("input", mode="before")
    @classmethod
    def _texts(cls, value: Any) -> list[str]:
        if isinstance(value, (str, dict)):
            value = [value]
        if not isinstance(value, list):
            raise ValueError("expected a string or a list of strings")
        if not value:
            raise ValueError("the list of inputs is empty")
        return [_text_of(v, f"item {i}") for i, v in enumerate(value)]


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None

    @field_validator("content")
    @classmethod
    def _judgeable(cls, value: Any) -> Any:
        # An image or a sound cannot be judged by a text detector; passing it on unjudged would
        # open a way around the rail.
        for i, part in enumerate(value if isinstance(value, list) else []):
            if part.get("type") in UNJUDGED_PARTS:
                raise ValueError(f"part {i}: only text can be judged, not {part['type']}")
        return value


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = Field(min_length=1)
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    modalities: list[str] | None = None

    @field_validator("modalities")
    @classmethod
    def _text_out(cls, value: list[str] | None) -> list[str] | None:
        if value and any(m != "text" for m in value):
            raise ValueError("only text answers can be judged; ask for modalities ['text']")
        return value


class GuardMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["system", "user", "assistant"]
    content: str


class GuardRequest(BaseModel):
    """The native API: one text or one conversation; thresholds and policy per request."""

    model_config = ConfigDict(extra="forbid")

    input: str | list[GuardMessage]
    kind: Kind = Kind.PROMPT
    threshold: float | None = Field(None, gt=0.0, lt=1.0)
    category_thresholds: dict[str, float] = Field(default_factory=dict)
    policy: dict[str, Any] | None = Field(None, description="A custom policy, as in a policy file.")
    respond: bool = Field(False, description="Add a safeguard response when the input is an unsafe prompt.")

    @field_validator("input", mode="before")
    @classmethod
    def _non_empty(cls, value: Any) -> Any:
        if isinstance(value, list) and not value:
            raise ValueError("a conversation needs at least one message")
        if not isinstance(value, (str, list)):
            raise ValueError("expected a string or a list of {role, content} messages")
        return value

    @field_validator("category_thresholds")
    @classmethod
    def _in_range(cls, value: dict[str, float]) -> dict[str, float]:
        for code, t in value.items():
            if not 0.0 < t < 1.0:
                raise ValueError(f"threshold of {code!r} must be strictly between 0 and 1, got {t}")
        return value

    def guard_input(self) -> str | list[Message]:
        if isinstance(self.input, str):
            return self.input
        return [Message(m.role, m.content) for m in self.input]
