"""LLM providers: ``none`` (the default), any OpenAI-compatible endpoint through the official
``openai`` SDK, and a local GGUF file through llama-cpp-python (an optional install).

A provider does one attempt per call; retries, the circuit breaker, masking and token accounting
are added around it by ``lingxi.ai.llm.client.LlmClient``.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import AsyncIterator
from typing import Any, Protocol

from lingxi.ai.llm.types import (
    ChatResult,
    LlmError,
    LlmTimeout,
    LlmUnavailable,
    Message,
    StreamEvent,
    ToolCall,
    ToolSpec,
    Usage,
)


class Provider(Protocol):
    kind: str
    model: str
    external: bool  # text leaves this machine: personal data is masked first

    async def complete(
        self,
        messages: list[Message],
        *,
        tools: list[ToolSpec] | None = None,
        tool_choice: str | None = None,
        json_schema: dict[str, Any] | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> ChatResult: ...

    def stream(
        self, messages: list[Message], *, temperature: float | None = None, max_tokens: int | None = None
    ) -> AsyncIterator[StreamEvent]: ...

    async def embed(self, texts: list[str]) -> list[list[float]]: ...


def _parse_tool_calls(raw: Any) -> list[ToolCall]:
    calls = []
    for c in raw or []:
        fn = c["function"] if isinstance(c, dict) else c.function
        name = fn["name"] if isinstance(fn, dict) else fn.name
        args_json = (fn["arguments"] if isinstance(fn, dict) else fn.arguments) or "{}"
        try:
            args = json.loads(args_json)
        except json.JSONDecodeError:
            args = {"_raw": args_json}
        call_id = (c["id"] if isinstance(c, dict) else c.id) or f"call_{uuid.uuid4().hex[:12]}"
        calls.append(ToolCall(id=call_id, name=name, arguments=args if isinstance(args, dict) else {"value": args}, arguments_json=args_json))
    return calls


def _response_format(json_schema: dict[str, Any] | None) -> dict[str, Any] | None:
    if json_schema is None:
        return None
    name = str(json_schema.get("title") or "result").replace(" ", "_")[:64]
    return {"type": "json_schema", "json_schema": {"name": name, "schema": json_schema}}


class NoneProvider:
    """No LLM: every feature falls back to its offline path."""

    kind = "none"
    model = ""
    external = False

    async def complete(self, messages: list[Message], **_: Any) -> ChatResult:
        raise LlmUnavailable("no LLM provider is configured")

    async def stream(self, messages: list[Message], **_: Any) -> AsyncIterator[StreamEvent]:
        raise LlmUnavailable("no LLM provider is configured")
        yield StreamEvent()  # pragma: no cover - makes this an async generator

    async def embed(self, texts: list[str]) -> list[list[float]]:
        raise LlmUnavailable("no LLM provider is configured")


class OpenAICompatibleProvider:
    """Qwen/DashScope, DeepSeek, GLM, Kimi, OpenAI, Azure, Ollama, vLLM, a llama.cpp server..."""

    kind = "openai"

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str | None,
        model: str,
        embedding_model: str | None = None,
        timeout: float = 60.0,
        external: bool = True,
    ):
        import httpx
        from openai import AsyncOpenAI

        self.model = model
        self.embedding_model = embedding_model
        self.external = external
        self.timeout = timeout
        # Our own retries and breaker wrap each call, so the SDK makes exactly one attempt.
        self._client = AsyncOpenAI(
            base_url=base_url,
            api_key=api_key or "none",
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            max_retries=0,
        )

    @staticmethod
    def _error(exc: Exception) -> LlmError:
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return LlmTimeout(f"the LLM provider did not answer in time: {exc}", retryable=True)
        if isinstance(exc, openai.APIConnectionError):
            return LlmError(f"cannot reach the LLM provider: {exc}", retryable=True)
        if isinstance(exc, openai.APIStatusError):
            status = exc.status_code
            retryable = status == 429 or status >= 500 or status == 408
            return LlmError(f"the LLM provider answered {status}: {exc.message}"[:500], retryable=retryable, status=status)
        if isinstance(exc, openai.OpenAIError):
            return LlmError(f"LLM provider error: {exc}"[:500], retryable=False)
        return LlmError(f"{type(exc).__name__}: {exc}"[:500], retryable=False)

    async def complete(
        self,
        messages: list[Message],
        *,
        tools: list[ToolSpec] | None = None,
        tool_choice: str | None = None,
        json_schema: dict[str, Any] | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> ChatResult:
        kwargs: dict[str, Any] = {"model": self.model, "messages": [m.to_openai() for m in messages]}
        if tools:
            kwargs["tools"] = [t.to_openai() for t in tools]
            if tool_choice:
                kwargs["tool_choice"] = tool_choice
        if (fmt := _response_format(json_schema)) is not None:
            kwargs["response_format"] = fmt
        if temperature is not None:
            kwargs["temperature"] = temperature
        if max_tokens is not None:
            kwargs["max_tokens"] = max_tokens
        try:
            resp = await self._client.chat.completions.create(**kwargs)
        except Exception as exc:  # noqa: BLE001 - mapped to LlmError with a retry verdict
            raise self._error(exc) from exc
        if not resp.choices:
            raise LlmError("the LLM provider returned no choices", retryable=True)
        choice = resp.choices[0]
        usage = Usage(resp.usage.prompt_tokens or 0, resp.usage.completion_tokens or 0) if resp.usage else Usage()
        return ChatResult(
            text=choice.message.content or "",
            tool_calls=_parse_tool_calls(choice.message.tool_calls),
            usage=usage,
            model=resp.model or self.model,
            finish_reason=choice.finish_reason,
        )

    async def stream(
        self, messages: list[Message], *, temperature: float | None = None, max_tokens: int | None = None
    ) -> AsyncIterator[StreamEvent]:
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": [m.to_openai() for m in messages],
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if temperature is not None:
            kwargs["temperature"] = temperature
        if max_tokens is not None:
            kwargs["max_tokens"] = max_tokens
        usage: Usage | None = None
        finish: str | None = None
        try:
            stream = await self._client.chat.completions.create(**kwargs)
            async for chunk in stream:
                if chunk.usage:
                    usage = Usage(chunk.usage.prompt_tokens or 0, chunk.usage.completion_tokens or 0)
                for choice in chunk.choices or []:
                    if choice.finish_reason:
                        finish = choice.finish_reason
                    if choice.delta and choice.delta.content:
                        yield StreamEvent(delta=choice.delta.content)
        except LlmError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc) from exc
        yield StreamEvent(done=True, usage=usage, finish_reason=finish)

    async def embed(self, texts: list[str]) -> list[list[float]]:
        if not self.embedding_model:
            raise LlmUnavailable("this provider has no embedding model configured")
        try:
            resp = await self._client.embeddings.create(model=self.embedding_model, input=texts)
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc) from exc
        return [list(d.embedding) for d in sorted(resp.data, key=lambda d: d.index)]


class LocalGgufProvider:
    """A GGUF model file run in this process by llama-cpp-python (``pip install llama-cpp-python``;
    see the README for the CPU build flags). Nothing leaves the machine, so nothing is masked."""

    kind = "local_gguf"
    external = False
    _models: dict[str, Any] = {}
    _models_lock = threading.Lock()

    def __init__(self, *, model_path: str, n_ctx: int = 4096, n_threads: int | None = None, timeout: float = 120.0):
        self.model = model_path
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.timeout = timeout
        self._call_lock = threading.Lock()  # a llama.cpp context serves one call at a time

    def _llama(self) -> Any:
        with self._models_lock:
            llm = self._models.get(self.model)
            if llm is None:
                try:
                    from llama_cpp import Llama  # type: ignore[import-not-found]
                except ImportError as exc:
                    raise LlmUnavailable("llama-cpp-python is not installed; see the README") from exc
                llm = self._models[self.model] = Llama(
                    model_path=self.model, n_ctx=self.n_ctx, n_threads=self.n_threads, verbose=False
                )
            return llm

    def _run(self, **kwargs: Any) -> Any:
        with self._call_lock:
            return self._llama().create_chat_completion(**kwargs)

    async def complete(
        self,
        messages: list[Message],
        *,
        tools: list[ToolSpec] | None = None,
        tool_choice: str | None = None,
        json_schema: dict[str, Any] | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> ChatResult:
        kwargs: dict[str, Any] = {"messages": [m.to_openai() for m in messages]}
        if tools:
            kwargs["tools"] = [t.to_openai() for t in tools]
            kwargs["tool_choice"] = tool_choice or "auto"
        if json_schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": json_schema}
        if temperature is not None:
            kwargs["temperature"] = temperature
        if max_tokens is not None:
            kwargs["max_tokens"] = max_tokens
        try:
            resp = await asyncio.wait_for(asyncio.to_thread(self._run, **kwargs), self.timeout)
        except TimeoutError as exc:
            raise LlmTimeout("the local model did not answer in time", retryable=False) from exc
        choice = resp["choices"][0]
        u = resp.get("usage") or {}
        return ChatResult(
            text=choice["message"].get("content") or "",
            tool_calls=_parse_tool_calls(choice["message"].get("tool_calls")),
            usage=Usage(u.get("prompt_tokens", 0), u.get("completion_tokens", 0)),
            model=self.model,
            finish_reason=choice.get("finish_reason"),
        )

    async def stream(
        self, messages: list[Message], *, temperature: float | None = None, max_tokens: int | None = None
    ) -> AsyncIterator[StreamEvent]:
        result = await self.complete(messages, temperature=temperature, max_tokens=max_tokens)
        yield StreamEvent(delta=result.text)
        yield StreamEvent(done=True, usage=result.usage, finish_reason=result.finish_reason)

    async def embed(self, texts: list[str]) -> list[list[float]]:
        raise LlmUnavailable("the local GGUF provider does not embed; the offline encoder does")
