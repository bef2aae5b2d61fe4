"""Rate limits: a token bucket per key (a signed-in token, a client address, an API key).
A phone in a poor signal retries; a script in a loop is told to wait (HTTP 429 with
Retry-After) before it reaches the backend."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

MAX_KEYS = 50_000


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class RateLimit:
    def __init__(self, per_s: float, burst: float) -> None:
        self.per_s = per_s
        self.burst = burst
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """0 if `key` may go on now (one taken), else the seconds until it may."""
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(self.burst, now)
                while len(self._buckets) > MAX_KEYS:
                    self._buckets.popitem(last=False)
            else:
                self._buckets.move_to_end(key)
                bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.per_s)
                bucket.at = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.per_s


WRONG_WINDOW_S = 300.0
WRONG_AT_MOST = 3
"""Wrong passwords for one user at the gateway, from anywhere, before its sign-ins wait out
the window here: the backend locks a user after five from one console (the gateway is one),
so a stranger on the internet never locks a grid worker out of the backend, nor adds to the
twenty that lock a user out of every console."""


class WrongPasswords:
    def __init__(self) -> None:
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, user: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(user, []) if now - t < WRONG_WINDOW_S]
        if kept:
            self._failures[user] = kept
        else:
            self._failures.pop(user, None)
        return kept

    def locked(self, user: str, now: float | None = None) -> float:
        """Seconds until `user` may try again here (0: now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            recent = self._recent(user, now)
            return 0.0 if len(recent) < WRONG_AT_MOST else recent[0] + WRONG_WINDOW_S - now

    def failed(self, user: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._recent(user, now)
            self._failures.setdefault(user, []).append(now)
            if len(self._failures) > MAX_KEYS:
                self._failures.pop(next(iter(self._failures)))
