"""Helpers shared by the tests: waiting on a condition, the demo's reports, a live console.

Tests wait on conditions, never on fixed sleeps: a timeout here is a generous give-up for a
loaded machine, not a performance limit (those are measured in bench/)."""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from backend.demo.reporter import make_demo_report
from console.app import Console
from console.link import LinkState
from domain.incident import FieldReport, Urgency
from domain.township import load_demo_township

TOWNSHIP = load_demo_township()

GIVE_UP = 30.0
"""Seconds a condition may take on a busy 2-core machine before a test gives up on it."""


def wait_for(
    condition: Callable[[], object],
    timeout: float = GIVE_UP,
    interval: float = 0.02,
    what: str = "",
) -> None:
    """Return as soon as `condition()` is true; fail after `timeout` seconds. For tests without
    a Qt event loop (Qt tests use qtbot.waitUntil, which keeps the loop running)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what or condition}")
        time.sleep(interval)


def demo_reports(n: int, seed: int = 0, **shares: float) -> list[FieldReport]:
    """`n` reports as the demo reporter makes them, the same ones for the same seed; `shares`
    (`urgent_share`, `very_urgent_share`) override the demo's defaults."""
    rng = random.Random(seed)
    return [make_demo_report(rng, TOWNSHIP, dict(shares)) for _ in range(n)]


def in_home_grid(report: FieldReport) -> FieldReport:
    """The report placed in the demo grid leader's and grid worker's own grid (V01G1): in the
    scope of the staff client's grid logins (domain.scope)."""
    grid = TOWNSHIP.grids["V01G1"]
    return dataclasses.replace(
        report, village=grid.village, grid=grid.code, lat=grid.lat, lon=grid.lon
    )


def demo_report(seed: int = 1, urgency: Urgency | None = None) -> FieldReport:
    """The first report of `demo_reports(1, seed)`, of `urgency` if given."""
    (report,) = demo_reports(1, seed)
    return dataclasses.replace(report, urgency=urgency) if urgency else report


def is_live(console: Console) -> bool:
    return console.window.link_status.state == LinkState.LIVE


def wait_live(qtbot: QtBot, console: Console, timeout: int = 15_000) -> None:
    qtbot.waitUntil(lambda: is_live(console), timeout=timeout)


def start_live(qtbot: QtBot, console: Console, router: str, timeout: int = 15_000) -> None:
    """Start `console` against the backend at `router`, show it, and wait until it is live."""
    console.start(router)
    console.window.show()
    wait_live(qtbot, console, timeout)
