"""``LlmClient``: what features call. It wraps one provider with masking of personal data (for
external providers), retries with backoff, the circuit breaker, structured output and token
accounting. Features never talk to a provider directly."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from lingxi.ai.llm.providers import NoneProvider, Provider
from lingxi.ai.llm.resilience import CircuitBreaker, RetryPolicy, call_with_retries
from lingxi.ai.llm.types import (
    ChatResult,
    LlmError,
    LlmOutputInvalid,
    LlmUnavailable,
    Message,
    StreamEvent,
    ToolCall,
    ToolSpec,
    Usage,
)
from lingxi.ai.masking import Masker

M = TypeVar("M", bound=BaseModel)
# (usage, model, ok, latency_ms) -> None; writes the ai_usage row.
UsageRecorder = Callable[[Usage, str, bool, int], Awaitable[None]]


async def _no_record(usage: Usage, model: str, ok: bool, latency_ms: int) -> None:
    return None


class LlmClient:
    def __init__(
        self,
        provider: Provider,
        *,
        feature: str,
        policy: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
        mask: bool = True,
        recorder: UsageRecorder | None = None,
    ):
        self.provider = provider
        self.feature = feature
        self.policy = policy or RetryPolicy()
        self.breaker = breaker or CircuitBreaker()
        self.mask = mask and provider.external
        self.recorder = recorder or _no_record

    @property
    def available(self) -> bool:
        return not isinstance(self.provider, NoneProvider)

    def _masked(self, messages: list[Message]) -> tuple[list[Message], Masker | None]:
        if not self.mask:
            return messages, None
        masker = Masker()
        out = [
            Message(role=m.role, content=masker.mask(m.content), tool_calls=m.tool_calls, tool_call_id=m.tool_call_id)
            for m in messages
        ]
        return out, masker

    @staticmethod
    def _unmask_result(result: ChatResult, masker: Masker | None) -> ChatResult:
        if masker is None:
            return result
        result.text = masker.unmask(result.text)
        calls = []
        for c in result.tool_calls:
            raw = masker.unmask(c.arguments_json)
            try:
                args = json.loads(raw)
            except json.JSONDecodeError:
                args = c.arguments
            calls.append(ToolCall(id=c.id, name=c.name, arguments=args, arguments_json=raw))
        result.tool_calls = calls
        return result

    async def complete(
        self,
        messages: list[Message],
        *,
        tools: list[ToolSpec] | None = None,
        tool_choice: str | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> ChatResult:
        """One answer (text and/or tool calls), retried on transient failures."""
        if not self.available:
            raise LlmUnavailable("no LLM provider is configured")
        sent, masker = self._masked(messages)
        started = time.perf_counter()
        try:
            result = await call_with_retries(
                lambda: self.provider.complete(
                    sent, tools=tools, tool_choice=tool_choice, json_schema=json_schema,
                    temperature=temperature, max_tokens=max_tokens,
                ),
                self.policy,
                self.breaker,
            )
        except LlmError:
            await self.recorder(Usage(), self.provider.model, False, int((time.perf_counter() - started) * 1000))
            raise
        await self.recorder(result.usage, result.model or self.provider.model, True, int((time.perf_counter() - started) * 1000))
        return self._unmask_result(result, masker)

    async def structured(self, messages: list[Message], schema: type[M], *, temperature: float | None = 0) -> M:
        """An answer parsed into ``schema``. Asks for JSON that matches the schema; when the reply
        does not validate, shows the model its error once before giving up."""
        json_schema = schema.model_json_schema()
        instruction = Message(
            role="system",
            content="Reply with one JSON object that matches this JSON schema, and nothing else:\n"
            + json.dumps(json_schema, ensure_ascii=False),
        )
        convo = [instruction, *messages]
        last_error = ""
        for _ in range(2):
            result = await self.complete(convo, json_schema=json_schema, temperature=temperature)
            text = _strip_fences(result.text)
            try:
                return schema.model_validate_json(text)
            except ValidationError as exc:
                last_error = str(exc)[:1000]
                convo = [*convo, Message("assistant", result.text), Message("user", f"That JSON is invalid: {last_error}. Reply with corrected JSON only.")]
        raise LlmOutputInvalid(f"the model's output does not match {schema.__name__}: {last_error}")

    async def stream(
        self, messages: list[Message], *, temperature: float | None = None, max_tokens: int | None = None
    ) -> AsyncIterator[StreamEvent]:
        """Text as it arrives. A failure before the first piece is retried like ``complete``;
        after text was sent it is raised (the caller has shown part of an answer)."""
        if not self.available:
            raise LlmUnavailable("no LLM provider is configured")
        sent, masker = self._masked(messages)
        started = time.perf_counter()
        attempt = 0
        while True:
            self.breaker.before_call()
            produced = False
            pending = ""
            try:
                async for event in self.provider.stream(sent, temperature=temperature, max_tokens=max_tokens):
                    if event.done:
                        if pending:
                            yield StreamEvent(delta=masker.unmask(pending) if masker else pending)
                        self.breaker.record_success()
                        usage = event.usage or Usage()
                        await self.recorder(usage, self.provider.model, True, int((time.perf_counter() - started) * 1000))
                        yield StreamEvent(done=True, usage=usage, finish_reason=event.finish_reason)
                        return
                    produced = True
                    if masker is None:
                        yield event
                        continue
                    # A placeholder may be split across pieces: hold back a trailing "[..." until it closes.
                    pending += event.delta
                    cut = pending.rfind("[")
                    if cut != -1 and "]" not in pending[cut:] and len(pending) - cut < 16:
                        ready, pending = pending[:cut], pending[cut:]
                    else:
                        ready, pending = pending, ""
                    if ready:
                        yield StreamEvent(delta=masker.unmask(ready))
            except LlmError as exc:
                if exc.retryable:
                    self.breaker.record_failure()
                if produced or not exc.retryable or attempt >= self.policy.max_retries:
                    await self.recorder(Usage(), self.provider.model, False, int((time.perf_counter() - started) * 1000))
                    raise
                import asyncio

                await asyncio.sleep(self.policy.delay(attempt))
                attempt += 1


def _strip_fences(text: str) -> str:
    text = text.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text.strip()
