"""The provider layer against a real local OpenAI-compatible server: replies, streaming, tool
calls, structured output, retries, timeouts, the circuit breaker and masking of personal data."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from llm_fake_server import FakeOpenAI, completion
from pydantic import BaseModel

from lingxi.ai.llm.client import LlmClient
from lingxi.ai.llm.providers import NoneProvider, OpenAICompatibleProvider
from lingxi.ai.llm.resilience import CircuitBreaker, RetryPolicy
from lingxi.ai.llm.types import (
    LlmCircuitOpen,
    LlmError,
    LlmOutputInvalid,
    LlmTimeout,
    LlmUnavailable,
    Message,
    ToolSpec,
    Usage,
)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture
def server(fake: FakeOpenAI) -> FakeOpenAI:
    fake.reset()
    return fake


def _client(server: FakeOpenAI, *, retries: int = 2, timeout: float = 5.0, breaker: CircuitBreaker | None = None,
            recorded: list | None = None) -> LlmClient:
    async def record(usage: Usage, model: str, ok: bool, latency_ms: int) -> None:
        if recorded is not None:
            recorded.append((usage, model, ok))

    provider = OpenAICompatibleProvider(base_url=server.base_url, api_key="sk-test", model="fake-model", timeout=timeout)
    return LlmClient(provider, feature="test", policy=RetryPolicy(max_retries=retries, base_delay=0.01, max_delay=0.05),
                     breaker=breaker or CircuitBreaker(), recorder=record)


async def test_complete_returns_text_and_usage(server):
    server.then(json=completion("你好，有什么可以帮您？", prompt_tokens=20, completion_tokens=9))
    recorded: list = []
    result = await _client(server, recorded=recorded).complete([Message("user", "你好")])
    assert result.text == "你好，有什么可以帮您？" and result.usage.total_tokens == 29
    assert recorded[0][0].prompt_tokens == 20 and recorded[0][2] is True
    assert server.requests[0]["model"] == "fake-model" and server.requests[0]["messages"][0]["content"] == "你好"


async def test_streaming_yields_pieces_then_usage(server):
    server.then(sse=["华鼎", "科技", "的报价", "已发送。"])
    events = [e async for e in _client(server).stream([Message("user", "进展？")])]
    assert "".join(e.delta for e in events) == "华鼎科技的报价已发送。"
    assert events[-1].done and events[-1].usage is not None and events[-1].usage.completion_tokens == 4
    assert server.requests[0]["stream"] is True


async def test_stream_is_retried_when_it_fails_before_any_text(server):
    server.then(status=503).then(sse=["ok"])
    events = [e async for e in _client(server).stream([Message("user", "hi")])]
    assert "".join(e.delta for e in events) == "ok" and len(server.requests) == 2


async def test_tool_calls_are_parsed(server):
    server.then(json=completion(tool_calls=[{"name": "create_task", "arguments": {"title": "回访华鼎", "due": "2026-12-01"}}]))
    tools = [ToolSpec("create_task", "Create a follow-up task", {"type": "object", "properties": {"title": {"type": "string"}, "due": {"type": "string"}}})]
    result = await _client(server).complete([Message("user", "提醒我下周回访华鼎")], tools=tools, tool_choice="auto")
    assert result.tool_calls[0].name == "create_task" and result.tool_calls[0].arguments == {"title": "回访华鼎", "due": "2026-12-01"}
    assert server.requests[0]["tools"][0]["function"]["name"] == "create_task"


class Deal(BaseModel):
    company: str
    amount: float


async def test_structured_output_is_validated_and_repaired_once(server):
    server.then(json=completion("```json\n{\"company\": \"华鼎\"}\n```")).then(json=completion('{"company": "华鼎", "amount": 500000}'))
    deal = await _client(server).structured([Message("user", "华鼎 50 万")], Deal)
    assert deal == Deal(company="华鼎", amount=500000)
    assert server.requests[0]["response_format"]["type"] == "json_schema"
    assert "invalid" in server.requests[1]["messages"][-1]["content"]
    server.reset()
    server.then(json=completion("not json")).then(json=completion("still not json"))
    with pytest.raises(LlmOutputInvalid):
        await _client(server).structured([Message("user", "x")], Deal)


async def test_retries_transient_errors_with_backoff(server):
    server.then(status=500).then(status=429).then(json=completion("third time lucky"))
    result = await _client(server, retries=2).complete([Message("user", "hi")])
    assert result.text == "third time lucky" and len(server.requests) == 3


async def test_client_errors_are_not_retried(server):
    server.then(status=400)
    with pytest.raises(LlmError) as err:
        await _client(server, retries=3).complete([Message("user", "hi")])
    assert err.value.status == 400 and not err.value.retryable and len(server.requests) == 1


async def test_timeout(server):
    server.then(sleep=1.5).then(sleep=1.5)
    recorded: list = []
    with pytest.raises(LlmTimeout):
        await _client(server, retries=1, timeout=0.3, recorded=recorded).complete([Message("user", "hi")])
    assert len(server.requests) == 2 and recorded[-1][2] is False


async def test_circuit_breaker_opens_then_half_opens(server):
    now = [1000.0]
    breaker = CircuitBreaker(failure_threshold=3, reset_after=30, clock=lambda: now[0])
    client = _client(server, retries=0, breaker=breaker)
    for _ in range(3):
        server.then(status=502)
        with pytest.raises(LlmError):
            await client.complete([Message("user", "hi")])
    assert breaker.state == "open"
    with pytest.raises(LlmCircuitOpen):
        await client.complete([Message("user", "hi")])
    assert len(server.requests) == 3  # the open breaker did not call the server
    now[0] += 31
    server.then(status=502)
    with pytest.raises(LlmError):
        await client.complete([Message("user", "hi")])  # the half-open trial fails: open again
    assert breaker.state == "open" and len(server.requests) == 4
    now[0] += 31
    server.then(json=completion("back"))
    assert (await client.complete([Message("user", "hi")])).text == "back"
    assert breaker.state == "closed"


async def test_personal_data_is_masked_before_it_leaves_and_restored_after(server):
    server.then(json=completion("已记录 [PHONE_1] 和 [EMAIL_1]。", tool_calls=[{"name": "call", "arguments": {"to": "[PHONE_1]"}}]))
    text = "客户张伟，手机 13812345678，邮箱 zhang.wei@huading.cn，身份证 11010519491231002X，座机 021-62345678。"
    result = await _client(server).complete([Message("system", "You are helpful."), Message("user", text)])
    sent = json.dumps(server.requests[0], ensure_ascii=False)
    for secret in ("13812345678", "zhang.wei@huading.cn", "11010519491231002X", "62345678"):
        assert secret not in sent
    assert "[PHONE_1]" in sent and "[EMAIL_1]" in sent and "[ID_1]" in sent and "[PHONE_2]" in sent
    assert "张伟" in sent  # names are not personal identifiers of this kind; they go as they are
    assert result.text == "已记录 13812345678 和 zhang.wei@huading.cn。"
    assert result.tool_calls[0].arguments == {"to": "13812345678"}


async def test_streamed_placeholders_are_restored_even_when_split(server):
    server.then(sse=["请拨打 [PHO", "NE_1", "] 联系"])
    events = [e async for e in _client(server).stream([Message("user", "电话 13812345678")])]
    assert "".join(e.delta for e in events) == "请拨打 13812345678 联系"


async def test_none_provider_is_unavailable():
    client = LlmClient(NoneProvider(), feature="x")
    assert not client.available
    with pytest.raises(LlmUnavailable):
        await client.complete([Message("user", "hi")])


async def test_breaker_state_is_shared_by_concurrent_calls(server):
    breaker = CircuitBreaker(failure_threshold=2, reset_after=60)
    for _ in range(4):
        server.then(status=500)
    client = _client(server, retries=0, breaker=breaker)
    results = await asyncio.gather(*(client.complete([Message("user", "hi")]) for _ in range(4)), return_exceptions=True)
    assert all(isinstance(r, LlmError) for r in results) and breaker.state == "open"
