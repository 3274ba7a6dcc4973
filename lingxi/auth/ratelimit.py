"""An in-process sliding-window counter, used to slow down password guessing from one address.

Only failed sign-in attempts are counted, so many people signing in from behind one NAT (or a load test
from one machine) are not blocked; once an address passes the limit every attempt from it is refused
until the window slides past. Per-account guessing is stopped separately by the lockout policy.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque


class SlidingWindowLimiter:
    def __init__(self, limit: int, window_seconds: float, *, max_keys: int = 100_000):
        self.limit = limit
        self.window = window_seconds
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _trim(self, key: str, now: float) -> deque[float] | None:
        hits = self._hits.get(key)
        if hits is None:
            return None
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if not hits:
            del self._hits[key]
            return None
        return hits

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may try again; 0 when it is under the limit."""
        now = time.monotonic()
        with self._lock:
            hits = self._trim(key, now)
            if hits is None or len(hits) < self.limit:
                return 0
            return max(1, math.ceil(hits[0] + self.window - now))

    def hit(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            if key not in self._hits and len(self._hits) >= self.max_keys:
                for old in list(self._hits):
                    self._trim(old, now)
                if len(self._hits) >= self.max_keys:
                    self._hits.pop(next(iter(self._hits)))
            hits = self._hits.setdefault(key, deque())
            hits.append(now)
            while len(hits) > self.limit:
                hits.popleft()

    def reset(self, key: str | None = None) -> None:
        with self._lock:
            if key is None:
                self._hits.clear()
            else:
                self._hits.pop(key, None)
