"""The indicator charts, the camera health and the evaluation view of the real console, against
a real backend process on 127.0.0.1."""

from __future__ import annotations

import collections
import contextlib
import csv
import datetime as dt
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from backend.demo.day import replay
from backend.store import Store
from console.app import Console
from console.models.evaluation_model import COLUMNS, PATROL_COLUMNS, title_of
from console.video.stream_status import StreamState
from console.widgets.indicator_charts import HistoryChart, ReportsByChannel
from console.widgets.indicator_pages import IndicatorPages
from domain.deadlines import DeadlineRules
from domain.patrol import PatrolReport
from domain.township import load_demo_township
from domain.wire import MsgType
from tests.helpers import demo_reports, start_live
from tests.processes import BackendProcess
from tests.services import staff_client


@pytest.mark.slow
def test_a_chart_draws_the_backends_figures_when_its_page_is_shown(
    qtbot: QtBot, backend: BackendProcess, console: Console
) -> None:
    start_live(qtbot, console, backend.router)
    reports = demo_reports(12, seed=21)
    with staff_client(backend.router) as client:
        for r in reports:
            client.submit_report(r)
    metrics = console.window.metrics
    qtbot.waitUntil(
        lambda: metrics.figures is not None and metrics.figures["today"]["received"] == 12,
        timeout=5000,
    )
    chart = metrics.pages.charts["by_channel"]
    assert isinstance(chart, ReportsByChannel)
    assert not chart.isVisible() and chart.draws == 0  # its page is not shown: nothing drawn
    metrics.pages.setCurrentIndex(1)
    qtbot.waitUntil(lambda: chart.draws > 0, timeout=3000)
    shown = sorted(np.asarray(chart._bars.opts["width"]).tolist(), reverse=True)
    by_channel = collections.Counter(r.channel.value for r in reports)
    assert shown == sorted(by_channel.values(), reverse=True)
    labels = [label for _, label in chart.getAxis("bottom")._tickLevels[0]]
    assert labels and all(label.isdigit() for label in labels), labels  # counts: no 1.25
    _next_figures(qtbot, console)  # laid out: a chart that learns its height draws the rows
    draws = chart.draws  # that fit, once
    _next_figures(qtbot, console)  # figures keep coming (every 5 s at least): nothing changed,
    assert chart.draws == draws  # nothing drawn
    # The history was asked for on connecting, for both of its steps.
    for name in ("open_overdue_24h", "reports_30d"):
        history = metrics.pages.charts[name]
        assert isinstance(history, HistoryChart) and history.loaded


def test_the_tiles_lost_cameras_reach_the_backends_camera_health(
    qtbot: QtBot, backend: BackendProcess, console: Console
) -> None:
    """The demo township's camera addresses lead nowhere: every tile loses its camera."""
    start_live(qtbot, console, backend.router)
    window = console.window
    qtbot.waitUntil(lambda: any(t.feed is not None for t in window.video_wall.tiles), timeout=5000)
    lost = {StreamState.RECONNECTING, StreamState.NO_SIGNAL, StreamState.BAD_URL}
    qtbot.waitUntil(
        lambda: any(t.status.state in lost for t in window.video_wall.tiles), timeout=20_000
    )
    window.report_camera_health()
    with staff_client(backend.router) as client:
        qtbot.waitUntil(
            lambda: client.request(MsgType.INDICATORS_REQUEST).body["cameras"]["offline"] != [],
            timeout=5000,
        )
        cameras = client.request(MsgType.INDICATORS_REQUEST).body["cameras"]
    on_tiles = {t.feed.camera.code for t in window.video_wall.tiles if t.feed is not None}
    assert {e["camera"] for e in cameras["offline"]} <= on_tiles
    assert cameras["online"] == 0
    # Of all the township's cameras, not "0/12" of the watched as if that were all of them.
    assert window.township is not None
    total = len(window.township.cameras)
    tile = window.metrics.cameras

    def shown() -> bool:  # "0/40" also stands before the report's figures come: wait for both
        return tile.value.text() == f"0/{total}" and str(cameras["watched"]) in tile.name.text()

    qtbot.waitUntil(shown, timeout=10_000)
    assert str(cameras["watched"]) in tile.name.text()


def test_the_evaluation_view_sorts_and_exports_the_backends_figures(
    qtbot: QtBot, backend: BackendProcess, console: Console, tmp_path: Path
) -> None:
    start_live(qtbot, console, backend.router)
    reports = demo_reports(15, seed=22)
    with staff_client(backend.router) as client:
        for r in reports:
            client.submit_report(r)
    view = console.window.evaluation
    first, after = view.bounds()  # this month, by default: the dates say the same
    assert view.first.date().toPython() == first == first.replace(day=1)
    assert view.last.date().toPython() == after - dt.timedelta(days=1)
    view.dimension.setCurrentIndex(view.dimension.findData("village"))  # asks again
    qtbot.waitUntil(lambda: sum(row["received"] for row in view.model.rows) == 15, timeout=10_000)
    by_village = collections.Counter(r.village for r in reports)
    assert {row["value"]: row["received"] for row in view.model.rows} == by_village
    received = [c.key for c in COLUMNS].index("received")
    view.table.sortByColumn(received, Qt.SortOrder.DescendingOrder)
    top = view.proxy.index(0, received).data()
    assert int(top) == max(by_village.values())
    view.export(tmp_path / "考核.csv")
    with (tmp_path / "考核.csv").open(encoding="utf-8-sig") as f:
        lines = list(csv.reader(f))
    assert lines[1] == view.model.table()[1]  # the title, the headers, then one per village
    assert len(lines) == 2 + len(by_village)
    view.export(tmp_path / "考核.xlsx")
    sheet = load_workbook(tmp_path / "考核.xlsx").active
    assert sheet is not None
    assert sheet.max_row == 2 + len(by_village)
    column = [sheet.cell(row=k, column=received + 1).value for k in range(3, sheet.max_row + 1)]
    assert sorted(column) == sorted(by_village.values())  # numbers, not text
    with pytest.raises(ValueError, match=r"csv or \.xlsx"):
        view.export(tmp_path / "考核.pdf")


def test_patrols_reach_the_wall_tile_and_the_grid_workers_evaluation(
    qtbot: QtBot, backend: BackendProcess, console: Console, tmp_path: Path
) -> None:
    start_live(qtbot, console, backend.router)
    township = load_demo_township()
    now = time.time()
    grids = list(township.grids.values())[:3]
    with staff_client(backend.router) as client:
        for k, grid in enumerate(grids):
            start = now - 900 + k
            track = ((grid.lat, grid.lon, start), (grid.lat + 0.002, grid.lon, start + 600))
            patrol = PatrolReport(
                str(uuid.uuid4()), grid.workers[0], grid.code, start, now - 10, None, track, ()
            )
            client.submit_patrol(patrol)
    tile = console.window.metrics.grids_patrolled
    day = dt.datetime.fromtimestamp(now - 900, DeadlineRules.load().calendar.tz).date()
    today = day == dt.datetime.now(DeadlineRules.load().calendar.tz).date()
    expected = f"{3 if today else 0}/{len(township.grids)}"
    qtbot.waitUntil(lambda: tile.value.text().startswith(expected), timeout=8000)
    view = console.window.evaluation
    view.period.setCurrentIndex(view.period.findData("custom"))
    view.first.setDate(view.first.date().addDays(-1))
    view.dimension.setCurrentIndex(view.dimension.findData("grid_worker"))
    qtbot.waitUntil(lambda: sum(r.get("patrols", 0) for r in view.model.rows) == 3, timeout=10_000)
    names = {township.people[g.workers[0]].name for g in grids}
    assert {r["value"] for r in view.model.rows if r["patrols"]} == names
    assert all(0.2 < r["patrol_km"] < 0.25 for r in view.model.rows if r["patrols"])  # 222 m
    headers = [view.model.headerData(k, Qt.Orientation.Horizontal) for k in range(len(COLUMNS) + 6)]
    assert headers[-7:-1] == [title_of(c) for c in PATROL_COLUMNS]
    assert view.table.itemDelegateForColumn(len(headers) - 1) is not None  # the per-day chart
    assert view.table.itemDelegateForColumn(len(COLUMNS) - 1) is None  # now a patrol column
    view.export(tmp_path / "巡查.xlsx")
    sheet = load_workbook(tmp_path / "巡查.xlsx").active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == headers
    view.dimension.setCurrentIndex(view.dimension.findData("department"))  # no patrol columns
    qtbot.waitUntil(lambda: view.model.columnCount() == len(COLUMNS), timeout=10_000)


def test_the_walls_chart_pages_turn_on_a_timer(qtbot: QtBot) -> None:
    pages = IndicatorPages(QWidget(), 10, rotate_s=0.1)
    qtbot.addWidget(pages)
    pages.show()
    qtbot.waitUntil(lambda: pages.currentIndex() == 2, timeout=3000)
    qtbot.waitUntil(lambda: pages.currentIndex() == 0, timeout=3000)  # and round again


def _next_figures(qtbot: QtBot, console: Console) -> None:
    """Wait for the backend's next figures (on a change, or every 5 s regardless)."""
    metrics = console.window.metrics
    assert metrics.figures is not None
    at = metrics.figures["at"]
    qtbot.waitUntil(
        lambda: metrics.figures is not None and metrics.figures["at"] > at, timeout=30_000
    )


def _swept(db: Path) -> bool:
    """The backend's deadline sweeps have noted every stage that ran past its deadline over a
    second ago (a sweep takes up to 500 a tick)."""
    with contextlib.closing(sqlite3.connect(db)) as c:
        (late,) = c.execute(
            "SELECT count(*) FROM incident WHERE stage_due < ? AND NOT overdue_noted",
            (time.time() - 1.0,),
        ).fetchone()
    return int(late) == 0


def _from_the_store(db: Path, now: float) -> dict[str, Any]:
    """The figures worked out again with plain SQL over the SQLite file: nothing shared with
    domain.indicators but the definitions in docs/indicators.md."""
    tz = DeadlineRules.load().calendar.tz
    today = dt.datetime.fromtimestamp(now, tz).replace(hour=0, minute=0, second=0, microsecond=0)
    day, month = today.timestamp(), today.replace(day=1).timestamp()
    with sqlite3.connect(db) as c:

        def one(sql: str, *args: float) -> int:
            return int(c.execute(sql, args).fetchone()[0])

        received = one("SELECT count(*) FROM action_log WHERE action='report' AND at>=?", day)
        settled = one("SELECT count(*) FROM action_log WHERE action='settle' AND at>=?", day)
        passed = one("SELECT count(*) FROM action_log WHERE action='pass_up' AND at>=?", day)
        overdue = one(
            "SELECT count(*) FROM incident WHERE is_open AND overdue_noted AND stage IS NOT NULL"
            " AND state != 'parked'"
        )
        cohort = """SELECT count(*), sum(closed_at IS NOT NULL),
                           sum(closed_at IS NOT NULL AND closed_at <= coalesce(case_due, closed_at))
                    FROM (SELECT *, CASE WHEN closed_at IS NOT NULL
                                          AND closed_at <= coalesce(case_due, closed_at)
                                     THEN closed_at ELSE case_due END AS due_at FROM incident)
                    WHERE state NOT IN ('rejected', 'merged', 'parked')
                      AND due_at >= ? AND due_at <= ?"""
        due, closed, on_time = c.execute(cohort, (month, now)).fetchone()
        channels = dict(
            c.execute(
                "SELECT i.channel, count(*) FROM action_log a JOIN incident i ON i.id = a.incident"
                " WHERE a.action='report' AND a.at>=? GROUP BY i.channel",
                (day,),
            ).fetchall()
        )
    return {
        "received": received,
        "village_share": settled / (settled + passed) if settled + passed else None,
        "overdue": overdue,
        "closure_rate": closed / due if due else None,
        "on_time_rate": on_time / due if due else None,
        "channels": channels,
    }


@pytest.mark.slow
def test_after_a_replayed_day_the_screen_shows_what_the_store_says(
    qtbot: QtBot, sqlite_url: str, console: Console
) -> None:
    """Six hours of demo traffic to now, replayed on a simulated clock into the
    store; then a real backend started on it and the console's tiles and charts compared
    with figures computed again from the file with SQL."""
    store = Store(sqlite_url)
    store.migrate()
    township = load_demo_township()
    store.seed_township(township)
    now = time.time()
    # Six hours whatever the hour (from midnight, it made 3 reports just after midnight).
    assert replay(store, township, now - 6 * 3600, now, per_minute=1.0, seed=5) > 10
    store.close()
    backend = BackendProcess(sqlite_url, "--no-demo").start()
    try:
        start_live(qtbot, console, backend.router)
        metrics = console.window.metrics
        qtbot.waitUntil(lambda: metrics.figures is not None, timeout=10_000)
        db = Path(sqlite_url.removeprefix("sqlite:///"))
        qtbot.waitUntil(lambda: _swept(db), timeout=30_000)  # what ran overdue meanwhile, noted
        with staff_client(backend.router) as client:
            asked = client.request(MsgType.INDICATORS_REQUEST).body
        qtbot.waitUntil(
            lambda: metrics.figures is not None and metrics.figures["at"] >= asked["at"],
            timeout=10_000,
        )
        truth = _from_the_store(Path(sqlite_url.removeprefix("sqlite:///")), time.time())
    finally:
        backend.kill()
    assert truth["received"] == asked["today"]["received"]
    assert metrics.reports_today.value.text() == str(truth["received"])
    assert metrics.overdue_now.value.text() == str(truth["overdue"])

    def percent(x: float | None) -> str:
        return "–" if x is None else f"{x:.0%}"

    assert metrics.closure_rate.value.text() == percent(truth["closure_rate"])
    assert metrics.on_time_rate.value.text() == percent(truth["on_time_rate"])
    assert metrics.village_share.value.text().split(" ")[0] == percent(truth["village_share"])
    chart = metrics.pages.charts["by_channel"]
    metrics.pages.setCurrentIndex(1)
    qtbot.waitUntil(lambda: chart.draws > 0, timeout=3000)
    shown = sorted(np.asarray(chart._bars.opts["width"]).tolist(), reverse=True)
    assert shown == sorted(truth["channels"].values(), reverse=True)
