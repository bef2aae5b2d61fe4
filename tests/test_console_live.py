"""The real console against a real backend process on 127.0.0.1, driven by qtbot."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.app import Console
from console.link import LinkState
from console.models.dispatch_queue_model import INCIDENT_ID_ROLE, Column
from domain.lifecycle import Action, Command
from domain.township import Role, load_demo_township
from domain.wire import MsgType
from tests.helpers import demo_reports, in_home_grid, wait_live
from tests.processes import BackendProcess
from tests.services import staff_client


def test_a_report_appears_in_the_queue(
    qtbot: QtBot, backend: BackendProcess, console: Console
) -> None:
    console.start(backend.router)
    console.window.show()
    wait_live(qtbot, console)
    assert "青溪镇" in console.window.windowTitle()
    model = console.window.queue_model
    assert model.rowCount() == 0
    (report,) = demo_reports(1)
    with staff_client(backend.router) as client:
        client.submit_report(report)
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
    assert model.index(0, 0).data(INCIDENT_ID_ROLE) == report.id
    assert model.index(0, Column.NUMBER).data() == "SJ000001"
    assert model.index(0, Column.DESCRIPTION).data() == report.description
    assert (
        model.index(0, Column.CATEGORY).data()
        == load_demo_township().categories[report.category].name
    )


def test_a_late_joiner_gets_the_snapshot_then_the_stream(
    qtbot: QtBot, backend: BackendProcess, console: Console
) -> None:
    reports = demo_reports(8)
    with staff_client(backend.router) as client:
        for r in reports[:5]:
            client.submit_report(r)
        console.start(backend.router)
        wait_live(qtbot, console)
        for r in reports[5:]:
            client.submit_report(r)
    model = console.window.queue_model
    qtbot.waitUntil(lambda: model.rowCount() == 8, timeout=5000)
    model.sort(Column.NUMBER, Qt.SortOrder.DescendingOrder)
    shown = [model.index(row, 0).data(INCIDENT_ID_ROLE) for row in range(8)]
    assert shown == [r.id for r in reversed(reports)], "newest first, none twice, none missing"


@pytest.mark.slow
def test_a_killed_backend_is_shown_and_the_console_recovers_by_itself(
    qtbot: QtBot, backend: BackendProcess, console: Console
) -> None:
    reports = demo_reports(3, seed=5)
    with staff_client(backend.router) as client:
        client.submit_report(reports[0])
    console.start(backend.router)
    wait_live(qtbot, console)
    banner = console.window.queue.banner
    assert banner.isHidden()

    backend.kill()
    qtbot.waitUntil(
        lambda: console.window.link_status.state in (LinkState.STALE, LinkState.RECONNECTING),
        timeout=5000,
    )
    assert not banner.isHidden(), "the queue says it may be out of date"
    assert not console.window.metrics.banner.isHidden(), "so do the indicators"
    assert not console.window.metrics.reports_today.value.isEnabled()
    assert console.window.queue_model.rowCount() == 1, "what was shown stays, marked stale"

    backend.start()  # same ports, same database, new session
    wait_live(qtbot, console, timeout=30_000)
    assert banner.isHidden()
    assert console.window.metrics.banner.isHidden()
    assert console.window.metrics.reports_today.value.isEnabled()
    with staff_client(backend.router) as client:
        for r in reports[1:]:
            client.submit_report(r)
    model = console.window.queue_model
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=5000)


def test_queue_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: object, backend: BackendProcess, console: Console
) -> None:
    with staff_client(backend.router) as client:
        for r in demo_reports(6, seed=9):
            client.submit_report(r)
    console.start(backend.router)
    model = console.window.queue_model
    qtbot.waitUntil(lambda: model.rowCount() == 6, timeout=15_000)
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]


@pytest.mark.slow
def test_the_indicator_tiles_show_the_backends_figures_and_their_age(
    qtbot: QtBot, backend: BackendProcess, console: Console
) -> None:
    console.start(backend.router)
    console.window.show()
    wait_live(qtbot, console)
    reports = [in_home_grid(r) for r in demo_reports(4, seed=9)]  # the grid leader's village
    with staff_client(backend.router) as client:
        for r in reports:
            client.submit_report(r)
        for r in reports[:3]:  # three settled in the village, one passed up
            client.command(
                Command(r.id, Action.SETTLE, 1, "网格长甲", Role.GRID_LEADER, {"note": "好了"})
            )
        client.command(Command(reports[3].id, Action.PASS_UP, 1, "网格长甲", Role.GRID_LEADER))
        asked = client.request(MsgType.INDICATORS_REQUEST).body
    metrics = console.window.metrics
    # A publication from before the last command may come first: wait for the one after it.
    qtbot.waitUntil(
        lambda: (
            metrics.figures is not None
            and metrics.figures["today"] | {"key": 0} == asked["today"] | {"key": 0}
        ),
        timeout=15_000,
    )
    assert metrics.figures is not None
    assert metrics.figures["today"] | {"key": 0} == asked["today"] | {"key": 0}
    assert metrics.village_share.value.text() == "75%"  # 3 of 4, over the 60 % threshold
    assert metrics.village_share.property("level") == "good"
    assert metrics.overdue_now.value.text() == "0"
    backend.kill()  # figures stop coming: the tiles say how old theirs are
    qtbot.waitUntil(lambda: "s" in metrics.indicators_age.text(), timeout=15_000)
    assert not metrics.closure_rate.isEnabled()
