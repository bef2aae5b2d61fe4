"""Counters a test or a bench reads off a running service."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ServerStats:
    requests: int = 0
    reports_committed: int = 0
    commits: int = 0
    refused: int = 0
    rate_limited: int = 0
    published: int = 0
    indicators_published: int = 0
    subscriptions: int = 0
    """Update-stream subscriptions let in (each names its own login's stream)."""
    subscriptions_refused: int = 0
    handshakes_failed: int = 0
    by_error: dict[str, int] = field(default_factory=dict)
