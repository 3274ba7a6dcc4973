"""What callers of an LLM provider send and get back, independent of any vendor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["system", "user", "assistant", "tool"]


@dataclass
class Message:
    role: Role
    content: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)  # on assistant messages
    tool_call_id: str | None = None  # on tool messages

    def to_openai(self) -> dict[str, Any]:
        out: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.tool_calls:
            out["tool_calls"] = [
                {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments_json}}
                for c in self.tool_calls
            ]
        if self.tool_call_id:
            out["tool_call_id"] = self.tool_call_id
        return out


@dataclass
class ToolSpec:
    """A function the model may call: name, description and JSON schema of its arguments."""

    name: str
    description: str
    parameters: dict[str, Any]

    def to_openai(self) -> dict[str, Any]:
        return {"type": "function", "function": {"name": self.name, "description": self.description, "parameters": self.parameters}}


@dataclass
class ToolCall:
    id: str
    name: str
    arguments: dict[str, Any]
    arguments_json: str = "{}"


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens


@dataclass
class ChatResult:
    text: str
    tool_calls: list[ToolCall] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    model: str = ""
    finish_reason: str | None = None
    parsed: Any = None  # the validated object when a response schema was asked for


@dataclass
class StreamEvent:
    """One piece of a streamed reply: text as it arrives, then a final event with usage."""

    delta: str = ""
    done: bool = False
    usage: Usage | None = None
    finish_reason: str | None = None


class LlmError(Exception):
    """The provider could not answer. ``retryable`` says whether trying again may help."""

    code = "llm_error"

    def __init__(self, message: str, *, retryable: bool = False, status: int | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status


class LlmUnavailable(LlmError):
    """No provider is configured (the ``none`` provider) or the circuit is open."""

    code = "llm_unavailable"


class LlmCircuitOpen(LlmUnavailable):
    code = "llm_circuit_open"


class LlmTimeout(LlmError):
    code = "llm_timeout"


class LlmOutputInvalid(LlmError):
    """Structured output that does not match the schema asked for, even after a repair attempt."""

    code = "llm_output_invalid"
