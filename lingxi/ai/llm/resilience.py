"""Retries with exponential backoff and jitter, and a circuit breaker per provider.

The breaker opens after ``failure_threshold`` consecutive failures and refuses calls for
``reset_after`` seconds; then one trial call goes through (half-open): success closes it, failure
opens it again. Breakers live in the process (one per provider configuration).
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from lingxi.ai.llm.types import LlmCircuitOpen, LlmError

T = TypeVar("T")


@dataclass
class RetryPolicy:
    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0

    def delay(self, attempt: int) -> float:
        """Full jitter: a random delay up to ``base * 2**attempt`` (capped)."""
        return random.uniform(self.base_delay / 2, min(self.max_delay, self.base_delay * (2**attempt)))


@dataclass
class CircuitBreaker:
    failure_threshold: int = 5
    reset_after: float = 30.0
    state: str = "closed"  # closed | open | half_open
    failures: int = 0
    opened_at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    clock: Callable[[], float] = time.monotonic

    def before_call(self) -> None:
        with self._lock:
            if self.state == "open":
                if self.clock() - self.opened_at >= self.reset_after:
                    self.state = "half_open"
                else:
                    raise LlmCircuitOpen("the LLM provider failed repeatedly; calls are paused", retryable=False)

    def record_success(self) -> None:
        with self._lock:
            self.state, self.failures = "closed", 0

    def record_failure(self) -> None:
        with self._lock:
            self.failures += 1
            if self.state == "half_open" or self.failures >= self.failure_threshold:
                self.state, self.opened_at = "open", self.clock()


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(key: str, *, failure_threshold: int = 5, reset_after: float = 30.0) -> CircuitBreaker:
    with _breakers_lock:
        breaker = _breakers.get(key)
        if breaker is None or (breaker.failure_threshold, breaker.reset_after) != (failure_threshold, reset_after):
            breaker = _breakers[key] = CircuitBreaker(failure_threshold=failure_threshold, reset_after=reset_after)
        return breaker


def reset_breakers() -> None:
    with _breakers_lock:
        _breakers.clear()


async def call_with_retries(fn: Callable[[], Awaitable[T]], policy: RetryPolicy, breaker: CircuitBreaker) -> T:
    """Runs ``fn`` through the breaker, retrying retryable ``LlmError``s with backoff. Each failed
    attempt counts against the breaker; an open breaker stops the retries at once."""
    attempt = 0
    while True:
        breaker.before_call()
        try:
            result = await fn()
        except LlmError as exc:
            if exc.retryable:
                breaker.record_failure()
            if not exc.retryable or attempt >= policy.max_retries:
                raise
            await asyncio.sleep(policy.delay(attempt))
            attempt += 1
            continue
        breaker.record_success()
        return result
