"""Console figures (issue 4), each beside a reference measured in the same run.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/console.py [burst|sort|all]

burst: the real console (link thread, model, view, every panel) takes 10,000 new incidents
published in one second by bench/burst_publisher.py. Measured: whether every update reaches the
model, the longest stall of the GUI thread (a 5 ms timer's lateness), and the console process's
CPU time per 1,000 updates, against decoding alone (the least any console must spend).

sort: 100,000 incidents in the model behind a shown table; the time from asking for a sort or
a filter to the view having been told, against a plain Python `sorted` of the same keys.

--quick: 1,000 updates and 5,000 incidents, the same code path in a few seconds (figures printed,
not meaningful; tests/test_bench_quick.py runs it so that the bench cannot rot).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from console.app import Console  # noqa: E402
from console.link import LinkState  # noqa: E402
from console.models.dispatch_queue_model import Column, DispatchQueueModel  # noqa: E402
from console.models.queue_order import QueueFilter  # noqa: E402
from console.widgets.dispatch_queue import DispatchQueuePanel  # noqa: E402
from domain.incident import Incident, IncidentState, Urgency  # noqa: E402
from domain.wire import Message, MsgType, decode, encode  # noqa: E402
from tests.queue_data import TOWNSHIP, changed, incidents  # noqa: E402

APP = QApplication.instance() or QApplication([])


def row(figure: str, ours: str, reference: str, ratio: str) -> None:
    print(f"| {figure} | {ours} | {reference} | {ratio} |", flush=True)


def wait(predicate: Callable[[], bool], timeout: float) -> bool:
    """Run the real event loop until `predicate` holds (checked every 10 ms) or time is up."""
    loop = QEventLoop()
    check = QTimer()
    check.timeout.connect(lambda: loop.quit() if predicate() else None)
    check.start(10)
    QTimer.singleShot(int(timeout * 1000), loop.quit)
    loop.exec()
    check.stop()
    return predicate()


def bench_burst(count: int = 10_000, seconds: float = 1.0) -> None:
    publisher = subprocess.Popen(
        [sys.executable, str(REPO / "bench" / "burst_publisher.py"), str(count), str(seconds)],
        stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert publisher.stdout is not None
    ready = json.loads(publisher.stdout.readline().removeprefix("READY "))
    console = Console(mode="desk", login=("duty", "any: the stand-in backend takes it"))
    console.window.resize(1600, 900)
    console.window.show()
    console.start(ready["router"])
    model = console.window.queue_model
    assert wait(lambda: console.window.link_status.state == LinkState.LIVE, 20), "not live"
    assert publisher.stdout.readline().strip() == "BURST"
    # The GUI thread's stalls: a 5 ms timer that notes how late each tick is.
    lag: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def on_tick() -> None:
        now = clock.nsecsElapsed()
        lag.append((now - last[0]) / 1e6 - 5)
        if os.environ.get("BENCH_TRACE") and lag[-1] > 30:
            print(f"stall {lag[-1]:.0f} ms at {now / 1e9:.3f} s, rows {model.rowCount()}")
        last[0] = now

    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.timeout.connect(on_tick)
    ticker.start(5)
    cpu, wall = time.process_time(), time.perf_counter()
    reached = wait(lambda: model.rowCount() == count, 30)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    ticker.stop()
    sent = publisher.stdout.readline().strip()
    publisher.kill()
    console.shutdown()
    # Reference: what decoding the same updates costs, and nothing else.
    payloads = [
        encode(Message(MsgType.INCIDENT_REPORTED, {"incident": i.to_wire()}, seq=n))
        for n, i in enumerate(incidents(count, seed=1))
    ]
    start = time.process_time()
    for p in payloads:
        Incident.from_wire(decode(p).body["incident"])
    decode_cpu = time.process_time() - start
    row(
        f"burst of {count:,} new incidents published in {seconds:.0f} s ({sent}): in the model",
        f"**{model.updates_applied:,}** of {count:,}, all shown {reached} after {wall:.2f} s",
        "",
        "",
    )
    row(
        "  longest GUI-thread stall during the burst (5 ms timer lateness), max / p99",
        f"**{max(lag):.0f} ms** / {sorted(lag)[int(len(lag) * 0.99)]:.0f} ms "
        f"({len(lag)} ticks; {sum(1 for x in lag if x > 50)} over 50 ms)",
        "",
        "aim ≤ 50 ms",
    )
    per_k = cpu / count * 1000 * 1000
    row(
        "  console CPU time per 1,000 updates (all threads)",
        f"**{per_k:.0f} ms**",
        f"{decode_cpu / count * 1e6:.0f} ms decode + build `Incident` alone",
        f"{cpu / decode_cpu:.1f}×",
    )


def bench_sort(n: int = 100_000) -> None:
    rng = random.Random(1)
    book = [changed(i, rng) if rng.random() < 0.7 else i for i in incidents(n, seed=1)]
    model = DispatchQueueModel()
    model.set_township(TOWNSHIP)
    view = DispatchQueuePanel(model)  # the console's own table, as configured there
    view.resize(1400, 800)
    view.show()
    start = time.perf_counter()
    model.replace_all(book, n)
    APP.processEvents()
    load = time.perf_counter() - start
    everything = frozenset(IncidentState)
    steps = [
        ("sort by time left", lambda: model.sort(Column.TIME_LEFT)),
        (
            "sort by category, descending",
            lambda: model.sort(Column.CATEGORY, Qt.SortOrder.DescendingOrder),
        ),
        ("sort by place", lambda: model.sort(Column.PLACE)),
        ("filter: all states", lambda: model.set_filter(QueueFilter(states=everything))),
        ("filter: urgent", lambda: model.set_filter(QueueFilter(urgency=Urgency.URGENT))),
        ("filter: overdue", lambda: model.set_filter(QueueFilter(overdue_only=True))),
        (
            "filter: search text",
            lambda: model.set_filter(QueueFilter(states=everything, text="王坞")),
        ),
        ("filter: none (open cases)", lambda: model.set_filter(QueueFilter())),
    ]
    times = []
    by_kind: dict[str, list[float]] = {}
    for _round in range(3):
        for name, step in steps:
            start = time.perf_counter()
            step()  # type: ignore[no-untyped-call]
            APP.processEvents()
            times.append(time.perf_counter() - start)
            by_kind.setdefault(name, []).append(times[-1] * 1000)
    keys = [(i.urgency.value, i.stage_due or 0.0, i.number) for i in book]
    start = time.perf_counter()
    for _ in range(3):
        sorted(keys)
    plain = (time.perf_counter() - start) / 3
    row(
        f"sort or filter **{n:,}** incidents in the model behind a shown table, median / max of "
        f"{len(times)} ({len(steps)} kinds × 3)",
        f"**{statistics.median(times) * 1000:.0f} / {max(times) * 1000:.0f} ms**",
        f"{plain * 1000:.0f} ms a plain Python `sorted` of the keys alone",
        f"max {max(times) / plain:.1f}×; aim < 100 ms",
    )
    for name, ms in by_kind.items():
        row(f"  {name}", " / ".join(f"{t:.0f}" for t in ms) + " ms", "", "")
    row(f"  loading {n:,} incidents (a snapshot) into the model", f"{load * 1000:.0f} ms", "", "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", nargs="?", default="all", choices=["burst", "sort", "all"])
    parser.add_argument("--quick", action="store_true", help="a few seconds a part")
    args = parser.parse_args()
    print("| figure | ours | reference (same run) | ratio |\n|---|---|---|---|", flush=True)
    if args.what in ("burst", "all"):
        bench_burst(count=1_000) if args.quick else bench_burst()
    if args.what in ("sort", "all"):
        bench_sort(n=5_000) if args.quick else bench_sort()


if __name__ == "__main__":
    main()
