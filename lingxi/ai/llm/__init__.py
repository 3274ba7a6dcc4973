"""LLM providers behind one client: ``get_llm(session, actor, feature)`` returns an ``LlmClient``
whose ``available`` is False when the tenant configured none (the default)."""

from lingxi.ai.llm.client import LlmClient
from lingxi.ai.llm.service import get_llm
from lingxi.ai.llm.types import ChatResult, LlmError, LlmUnavailable, Message, StreamEvent, ToolCall, ToolSpec, Usage

__all__ = ["ChatResult", "LlmClient", "LlmError", "LlmUnavailable", "Message", "StreamEvent", "ToolCall", "ToolSpec", "Usage", "get_llm"]
