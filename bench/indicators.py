"""Indicator figures (issue 6), each beside a reference measured in the same run.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/indicators.py [gui|backend|all] [--quick]

gui: the dashboard screen (9 charts and the offline cameras) and the key-indicator panel (11
KPI tiles, its 2 live charts), both shown, loaded with 30 days of minute history and fed new
figures once a second for 30 s, every figure changing and a new minute each time (worse than
life: a minute ends once a minute). Measured: the GUI thread's CPU time per second (aim < 5 %
of one core) and the event loop's lag, a 10 ms timer's lateness (aim p99 < 30 ms).

backend: a township with 10 days of demo traffic (backend.demo.day on a simulated clock), then
1,000 more reports with their follow-up actions arriving at 10 reports a second. Incremental:
the indicator book fed each change, and a snapshot each second. Full recomputation: what a
backend without the book would do each second, rebuild every figure from the store's rows of
the periods shown (read from memory, so the store's own time is left out in its favour).

--quick: the same code path in a few seconds (figures printed, not meaningful;
tests/test_bench_quick.py runs it so that the bench cannot rot).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from backend.demo.day import replay  # noqa: E402
from backend.store import Store  # noqa: E402
from console.models.queue_order import QueueOrder  # noqa: E402
from console.widgets.indicator_pages import DashboardScreen  # noqa: E402
from console.widgets.metrics_panel import MetricsPanel  # noqa: E402
from domain.indicator_history import series  # noqa: E402
from domain.indicators import IndicatorBook  # noqa: E402
from domain.township import load_demo_township  # noqa: E402

TOWNSHIP = load_demo_township()


def _platform_of(category: str) -> str | None:
    return TOWNSHIP.platform_of(category).code


def _store_with_days(days: float, per_minute: float) -> tuple[Store, float]:
    folder = tempfile.mkdtemp(prefix="bench-indicators-")
    store = Store(f"sqlite:///{folder}/bench.sqlite3")
    store.migrate()
    store.seed_township(TOWNSHIP)
    now = time.time()
    replay(store, TOWNSHIP, now - days * 86_400, now, per_minute, seed=1)
    return store, now


def bench_backend(days: float = 10.0, per_minute: float = 1.0) -> dict[str, float]:
    store, now = _store_with_days(days, per_minute)
    incidents = {i.id: i for i in store.incidents()}
    changes = store.changes_since(0)
    reports = [k for k, c in enumerate(changes) if c.action == "report"]
    cut = reports[-min(1000, len(reports) // 2)]  # the last 1,000 reports and what followed
    before, after = changes[:cut], changes[cut:]
    tz = store.rules.calendar.tz
    seconds = 100  # 1,000 reports at 10 a second
    step = max(1, len(after) // seconds)

    book = IndicatorBook(tz, _platform_of)
    book.rebuild(incidents.values(), before, now)
    t0 = time.process_time()
    for k, change in enumerate(after):
        book.record(incidents[change.incident], change)
        book.put(incidents[change.incident], change.at)
        if k % step == 0:
            book.snapshot(change.at)
    incremental = time.process_time() - t0

    # Each second: a new book from the rows of the periods shown (yesterday and this month on).
    today = dt.datetime.fromtimestamp(now, tz).replace(hour=0, minute=0, second=0, microsecond=0)
    since = min(today - dt.timedelta(days=1), today.replace(day=1)).timestamp()
    live = [i for i in incidents.values() if i.is_open or i.updated_at >= since]
    shown = [c for c in changes if c.at >= since]
    samples = 5
    t0 = time.process_time()
    for _ in range(samples):
        fresh = IndicatorBook(tz, _platform_of)
        fresh.rebuild(live, shown, now)
        fresh.snapshot(now)
    full = (time.process_time() - t0) / samples * seconds
    store.close()
    return {
        "reports_in_store": float(len(incidents)),
        "changes_in_store": float(len(changes)),
        "changes_per_1000_reports": float(len(after)),
        "incremental_cpu_s": incremental,
        "full_cpu_s": full,
        "ratio": full / incremental,
    }


def _history(now: float, step_min: int, days: int, rng: random.Random) -> dict[str, Any]:
    """A `metric.history` answer of `days` full days, as the backend's `series` makes it."""
    from domain.indicator_history import MinuteRow  # noqa: PLC0415 - only here

    start = int(now // 60 * 60) - days * 86_400
    rows = [
        MinuteRow(m, rng.randint(0, 3), rng.randint(0, 3), 300 + rng.randint(0, 50),
                  rng.randint(0, 20), rng.randint(0, 100))
        for m in range(start, start + days * 86_400, 60)
    ]  # fmt: skip
    return series(rows, start, int(now // 60 * 60), step_min)


def bench_gui(duration: float = 30.0, days: float = 2.0) -> dict[str, float]:
    app = QApplication.instance() or QApplication([])
    store, now = _store_with_days(days, 1.0)
    book = IndicatorBook(store.rules.calendar.tz, _platform_of)
    book.rebuild(store.incidents(), store.changes_since(0), now)
    figures = book.snapshot(now)
    down = [{"camera": next(iter(TOWNSHIP.cameras)), "since": now - 600}]
    figures["cameras"] = {"total": 40, "watched": 9, "online": 8, "online_rate": 8 / 9,
                          "offline": down}  # fmt: skip
    store.close()
    rng = random.Random(2)
    panel = MetricsPanel(QueueOrder(), text_pt=16)
    panel.set_township(TOWNSHIP)
    panel.resize(900, 700)
    panel.show()
    dashboard = DashboardScreen(16)
    dashboard.resize(1920, 1080)
    dashboard.show()
    for body in (_history(now, 1, 1, rng), _history(now, 10, 30, rng)):
        dashboard.show_history(body)
        panel.pages.show_history(body)
    charts = len(dashboard.charts) + 2
    tiles = len(panel.kpi_tiles) + len(panel.indicator_tiles)

    lags: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def on_tick() -> None:
        t = clock.elapsed()
        lags.append(max(0, t - last[0] - 10))
        last[0] = t

    tick = QTimer()
    tick.setInterval(10)
    tick.timeout.connect(on_tick)
    minute = [int(now // 60 * 60)]

    def feed() -> None:
        f = copy.deepcopy(figures)
        f["at"] = time.time()
        today = f["today"]
        for _ in range(5):
            today["per_slot"][rng.randrange(f["slot"] + 1)] += 1
            channel = rng.choice(list(today["by_channel"]))
            today["by_channel"][channel] += 1
        for row in f["by"]["village"].values():
            row["open"] += rng.randint(0, 1)
        minute[0] += 60
        f["minute"] = {"at": minute[0], "received": rng.randint(0, 3), "closed": rng.randint(0, 3),
                       "open": 300 + rng.randint(0, 50), "overdue": rng.randint(0, 20),
                       "in_progress": 50}  # fmt: skip
        panel.show_indicators(f)
        dashboard.show_figures(f, TOWNSHIP)
        figures.update(f)

    feeder = QTimer()
    feeder.setInterval(1000)
    feeder.timeout.connect(feed)
    for _ in range(20):  # settle the first layout and paint
        app.processEvents()
    tick.start()
    feeder.start()
    cpu0, wall0 = time.thread_time(), time.monotonic()
    end = time.monotonic() + duration
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.002)
    cpu = time.thread_time() - cpu0
    wall = time.monotonic() - wall0
    lags.sort()
    return {
        "charts": float(charts),
        "kpi_tiles": float(tiles),
        "gui_cpu_share": cpu / wall,
        "lag_p50_ms": statistics.median(lags),
        "lag_p99_ms": lags[int(len(lags) * 0.99)],
        "lag_max_ms": lags[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["gui", "backend", "all"], nargs="?", default="all")
    parser.add_argument("--quick", action="store_true", help="a few seconds a part")
    args = parser.parse_args()
    if args.what in ("gui", "all"):
        g = bench_gui(duration=2.0, days=0.2) if args.quick else bench_gui()
        print(
            f"gui: {g['charts']:.0f} charts, {g['kpi_tiles']:.0f} KPI tiles at 1 Hz, 30 days of "
            f"minute history: GUI thread {g['gui_cpu_share']:.1%} of one core; loop lag p50 "
            f"{g['lag_p50_ms']:.0f} ms, p99 {g['lag_p99_ms']:.0f} ms, max {g['lag_max_ms']:.0f} ms"
        )
    if args.what in ("backend", "all"):
        b = bench_backend(days=0.3) if args.quick else bench_backend()
        print(
            f"backend: {b['reports_in_store']:.0f} reports, {b['changes_in_store']:.0f} changes "
            f"in the store; per 1,000 reports ({b['changes_per_1000_reports']:.0f} changes): "
            f"incremental {b['incremental_cpu_s'] * 1000:.0f} ms CPU, full recomputation each "
            f"second {b['full_cpu_s'] * 1000:.0f} ms CPU: {b['ratio']:.0f}x cheaper"
        )


if __name__ == "__main__":
    main()
