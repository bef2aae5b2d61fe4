"""The township map's figures (issue 22), each beside a reference measured in the same run.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/map.py [--quick]

frames: a 1920×1080 map of a township of 2,000 grids (squares over the demo township, in 40
villages) with 100,000 open cases, panned and zoomed frame by frame (each a synchronous repaint,
timed); against the same frames with no case on the map (the territory alone).

stall: 10,000 updates a second for three seconds (cases moving, closing, changing urgency) into
the queue model behind a shown map and queue; the GUI thread's longest stall (a 5 ms timer's
lateness); against the same burst with the map hidden.

--quick: 5,000 cases and 200 grids, a few frames: the same code path in a few seconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QSplitter  # noqa: E402

from console.models.dispatch_queue_model import DispatchQueueModel  # noqa: E402
from console.widgets.dispatch_queue import DispatchQueuePanel  # noqa: E402
from console.widgets.map_panel import MapPanel  # noqa: E402
from domain.incident import Incident, IncidentState, Urgency  # noqa: E402
from domain.township import Grid, Township, Village  # noqa: E402
from tests.queue_data import NOW, TOWNSHIP, incidents  # noqa: E402

APP = QApplication.instance() or QApplication([])


def row(figure: str, ours: str, reference: str, ratio: str) -> None:
    print(f"| {figure} | {ours} | {reference} | {ratio} |", flush=True)


def square(lon0: float, lat0: float, lon1: float, lat1: float) -> dict[str, object]:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


def township_of(n_grids: int) -> Township:
    """The demo township's box cut into about `n_grids` square grids, in 40 villages."""
    lats = [g.lat for g in TOWNSHIP.grids.values()]
    lons = [g.lon for g in TOWNSHIP.grids.values()]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    side = round(n_grids**0.5)
    d_lat, d_lon = (north - south) / side, (east - west) / side
    per_village = max(1, side * side // 40)
    grids: dict[str, Grid] = {}
    villages: dict[str, Village] = {}
    for k in range(side * side):
        r, c = divmod(k, side)
        v = f"V{k // per_village + 1:03d}"
        lat0, lon0 = south + r * d_lat, west + c * d_lon
        code = f"G{k + 1:05d}"
        grids[code] = Grid(code, f"第{k + 1}网格", v, lat0 + d_lat / 2, lon0 + d_lon / 2, "",
                           (), (), square(lon0, lat0, lon0 + d_lon, lat0 + d_lat))  # fmt: skip
        if v not in villages:
            villages[v] = Village(v, f"{v}村", lat0, lon0)
    return dataclasses.replace(TOWNSHIP, grids=grids, villages=villages)


def cases_of(township: Township, n: int, seed: int = 1) -> list[Incident]:
    rng = random.Random(seed)
    base = incidents(200, seed=seed)
    grids = list(township.grids.values())
    out = []
    for k in range(n):
        g = rng.choice(grids)
        out.append(dataclasses.replace(
            base[k % len(base)], id=str(uuid.UUID(int=rng.getrandbits(128))), number=k + 1,
            state=IncidentState.ACCEPTED, grid=g.code, village=g.village,
            lat=g.lat + rng.uniform(-0.001, 0.001), lon=g.lon + rng.uniform(-0.001, 0.001),
            urgency=rng.choices(list(Urgency), (90, 8, 2))[0],
            stage_due=NOW + rng.uniform(-7200, 86_400),
        ))  # fmt: skip
    return out


def frames(panel: MapPanel, count: int) -> list[float]:
    """Milliseconds per synchronous repaint while panning, then zooming in and out again."""
    the_map = panel.map
    the_map.fit()
    spent = []
    for k in range(count):
        if k < count // 2:
            the_map.view.pan(17.0, 9.0)
        else:
            step = 1.08 if k < count * 3 // 4 else 1 / 1.08
            the_map.view.zoom_at(960, 540, step)
        the_map._cluster_key = None
        started = time.perf_counter()
        the_map.repaint()
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def wait(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def burst(
    model: DispatchQueueModel, cases: list[Incident], per_s: int, seconds: float
) -> list[float]:
    """Updates fed as the link hands them over (a batch every 50 ms); the 5 ms timer's lateness."""
    rng = random.Random(3)
    batch = per_s // 20
    lag: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def on_tick() -> None:
        now = clock.nsecsElapsed()
        lag.append((now - last[0]) / 1e6 - 5)
        last[0] = now

    def feed() -> None:
        moved = []
        for k in rng.sample(range(len(cases)), batch):
            i = cases[k]
            cases[k] = dataclasses.replace(
                i, version=i.version + 1, lat=(i.lat or 0) + rng.uniform(-2e-4, 2e-4),
                urgency=rng.choices(list(Urgency), (90, 8, 2))[0],
                state=rng.choice([IncidentState.ACCEPTED, IncidentState.IN_PROGRESS,
                                  IncidentState.CLOSED]),
            )  # fmt: skip
            moved.append(cases[k])
        model.apply_batch(moved)

    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.timeout.connect(on_tick)
    feeder = QTimer()
    feeder.setTimerType(Qt.TimerType.PreciseTimer)
    feeder.timeout.connect(feed)
    ticker.start(5)
    feeder.start(50)
    wait(seconds)
    feeder.stop()
    wait(0.3)
    ticker.stop()
    return lag


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    args = p.parse_args()
    n_cases, n_grids, n_frames, seconds = (
        (5_000, 200, 12, 0.5) if args.quick else (100_000, 2_000, 120, 3.0)
    )
    township = township_of(n_grids)
    cases = cases_of(township, n_cases)
    model = DispatchQueueModel()
    model.set_township(township)
    queue = DispatchQueuePanel(model, wall=False, user="bench")
    panel = MapPanel(model.order)
    window = QSplitter()
    window.addWidget(queue)
    window.addWidget(panel)
    window.resize(3840, 1080)
    window.setSizes([1920, 1920])
    window.show()
    panel.set_township(township)
    model.flushed.connect(lambda _n: panel.refresh())
    wait(0.2)
    empty = frames(panel, n_frames)
    model.replace_all(cases, seq=1)
    panel.map.refresh()
    full = frames(panel, n_frames)
    med, ref = statistics.median(full), statistics.median(empty)
    p95 = sorted(full)[int(len(full) * 0.95)]
    print(f"# {len(panel.map.layers.cases.x):,} cases on a {panel.map.width()}×"
          f"{panel.map.height()} map of {len(township.grids):,} grids")  # fmt: skip
    row(
        f"pan and zoom, {n_cases:,} open cases, {len(township.grids):,} grids: ms a frame, "
        "median / p95 (frames a second)",
        f"**{med:.1f}** / {p95:.1f} ms ({1000 / med:.0f}/s)",
        f"{ref:.1f} ms, the territory alone",
        f"{med / ref:.1f}×; aim ≥ 30/s",
    )
    renders = []
    for _ in range(max(3, n_frames // 10)):
        panel.map._base_key = None  # as after a zoom has settled or a pan went past the margin
        started = time.perf_counter()
        panel.map.repaint()
        renders.append((time.perf_counter() - started) * 1000)
    row(
        "  a frame that renders the territory afresh (a zoom settled, a pan past the margin), "
        "median",
        f"**{statistics.median(renders):.1f} ms**",
        f"{med:.1f} ms, a frame that moves the rendered territory",
        f"{statistics.median(renders) / med:.1f}×",
    )
    shown = burst(model, cases, 10_000, seconds)
    panel.hide()
    wait(0.3)
    hidden = burst(model, cases, 10_000, seconds)
    worst, worst_ref = max(shown), max(hidden)
    row(
        f"longest GUI-thread stall, {n_cases:,} cases and 10,000 updates/s for {seconds:g} s "
        "(5 ms timer lateness), max / p99",
        f"**{worst:.0f} ms** / {sorted(shown)[int(len(shown) * 0.99)]:.0f} ms, map shown",
        f"{worst_ref:.0f} ms / {sorted(hidden)[int(len(hidden) * 0.99)]:.0f} ms, map hidden",
        f"{worst / max(worst_ref, 1):.1f}×; aim ≤ 50 ms",
    )


if __name__ == "__main__":
    main()
