"""How long the console's link waits, and for what: one place for its clocks."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LinkTiming:
    request_timeout: float = 2.0
    login_timeout: float = 10.0
    """A login's password hash takes ~0.4 s on the backend, and may queue behind another."""
    keepalive: float = 300.0
    """A hello under the login this often, so that a wall that only watches stays logged in
    (the backend ends a session idle for 12 h)."""
    stale_after: float = 3.0
    """No heartbeat or update for this long: the data on screen may be out of date."""
    reconnect_after: float = 8.0
    max_backoff: float = 10.0
    starting_retry: float = 0.5
    """A backend answering `starting` is asked again this often (it is there, only busy)."""
    batch_window: float = 0.04
    """Updates arriving within this window reach the GUI as one batch (one signal)."""
    decode_slice: float = 0.003
    decode_rest: float = 0.001
    """Decoding a burst, the link rests this long after each slice. While it holds the GIL,
    every call the GUI thread makes into Python (a repaint makes hundreds) waits for a switch
    interval; a rest lets a whole repaint through."""


def pacer(timing: LinkTiming) -> Callable[[], None]:
    """Decoding a burst, rest `decode_rest` after every `decode_slice` of work: the GUI
    thread's turn, GIL and all."""
    rest, slice_ = timing.decode_rest, timing.decode_slice
    rested = time.perf_counter()

    def pause() -> None:
        nonlocal rested
        if time.perf_counter() - rested > slice_:
            time.sleep(rest)
            rested = time.perf_counter()

    return pause
