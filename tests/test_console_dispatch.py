"""Supervisors at real consoles acting on real incidents through a real backend."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot

from console.app import Console
from console.embedded_backend import DEMO_PASSWORD
from console.labels import channel_label
from console.link import LinkState
from console.main_window import MainWindow
from domain.incident import Incident, IncidentState, Urgency
from domain.lifecycle import Action, Command
from domain.township import Role
from domain.wire import MsgType
from tests.helpers import demo_report, wait_live
from tests.processes import BackendProcess
from tests.services import staff_client


@pytest.fixture
def consoles(qtbot: QtBot, backend: BackendProcess) -> Iterator[list[Console]]:
    made = [Console(mode="desk", login=(code, DEMO_PASSWORD)) for code in ("P0378", "P0379")]
    for c in made:
        qtbot.addWidget(c.window)
        c.window.case_actions.ask_for_args = False
        c.start(backend.router)
        c.window.show()
    for c in made:
        wait_live(qtbot, c)
    yield made
    for c in made:
        c.shutdown()


def _seen(console: Console, incident_id: str) -> Incident:
    incident = console.window.queue_model.book.get(incident_id)
    assert incident is not None
    return incident


def _has_version(console: Console, incident_id: str, version: int) -> bool:
    incident = console.window.queue_model.book.get(incident_id)
    return incident is not None and incident.version == version


def _select(qtbot: QtBot, window: MainWindow, incident_id: str) -> None:
    model = window.queue_model
    qtbot.waitUntil(lambda: model.row_of(incident_id) is not None, timeout=5000)
    row = model.row_of(incident_id)
    assert row is not None
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    window.queue.table.selectionModel().setCurrentIndex(model.index(row, 0), flags)
    selected = window.selected_incident()
    assert selected is not None and selected.id == incident_id


def test_a_dispatch_from_the_desk_comes_back_as_the_new_state(
    qtbot: QtBot, backend: BackendProcess, consoles: list[Console]
) -> None:
    window = consoles[0].window
    report = demo_report(1)
    with staff_client(backend.router) as client:
        client.submit_report(report)
    _select(qtbot, window, report.id)
    actions = window.case_actions
    assert actions.buttons[Action.ACCEPT].isEnabled()
    assert not actions.buttons[Action.DISPATCH].isEnabled()  # not before it is accepted
    actions.buttons[Action.ACCEPT].click()
    assert "…" in window.queue_model.index(window.queue_model.row_of(report.id) or 0, 7).data()
    book = window.queue_model.book
    me = consoles[0]
    qtbot.waitUntil(lambda: _seen(me, report.id).state == IncidentState.ACCEPTED, timeout=5000)
    qtbot.waitUntil(actions.buttons[Action.DISPATCH].isEnabled, timeout=5000)
    incident = book.get(report.id)
    assert incident is not None
    actions.take(Action.DISPATCH, incident, {"department": "sifasuo", "deadline": "2h"})
    qtbot.waitUntil(lambda: _seen(me, report.id).state == IncidentState.DISPATCHED, timeout=5000)
    dispatched = book.get(report.id)
    assert dispatched is not None
    assert dispatched.department == "sifasuo" and dispatched.last_actor == "朱永明"
    # The update and the command's ack come by different sockets: either may be first.
    qtbot.waitUntil(lambda: window.queue_model.in_flight == {}, timeout=5000)
    # The timeline in the case panel is the backend's action log.
    qtbot.waitUntil(lambda: window.detail.timeline.count() == 3, timeout=5000)
    assert "朱永明" in window.detail.timeline.item(0).text()
    reported = window.detail.timeline.item(2).text()  # the oldest: how the report came in
    assert report.channel.value not in reported, reported
    assert channel_label(report.channel) in reported, reported


def test_two_supervisors_dispatch_the_same_case_one_wins_the_other_is_told(
    qtbot: QtBot, backend: BackendProcess, consoles: list[Console]
) -> None:
    report = demo_report(2)
    with staff_client(backend.router) as client:
        client.submit_report(report)
        client.command(Command(report.id, Action.ACCEPT, 1, "带班领导", Role.SUPERVISOR))
    for c in consoles:
        _select(qtbot, c.window, report.id)
        qtbot.waitUntil(partial(_has_version, c, report.id, 2), timeout=5000)
    answers: list[tuple[str, str]] = []
    for c in consoles:
        c.window.case_actions.command_answered.connect(lambda i, text: answers.append((i, text)))
    for c, department in zip(consoles, ("sifasuo", "zhifazhongdui"), strict=True):
        seen = c.window.queue_model.book.get(report.id)
        assert seen is not None
        c.window.case_actions.take(Action.DISPATCH, seen, {"department": department})
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=5000)
    refusals = [text for _i, text in answers if text]
    assert len(refusals) == 1, answers
    assert "changed this case after you looked at it" in refusals[0]
    loser = next(c for c in consoles if c.window.detail.notice.text() == refusals[0])
    assert loser.window.detail.notice.isVisibleTo(loser.window)
    # Both consoles converge on the winner's dispatch.
    for c in consoles:
        qtbot.waitUntil(partial(_has_version, c, report.id, 3), timeout=5000)
        assert _seen(c, report.id).state == IncidentState.DISPATCHED
    departments = {_seen(c, report.id).department for c in consoles}
    assert len(departments) == 1


@pytest.mark.slow
def test_a_command_without_a_backend_is_refused_at_once_not_held_back(
    qtbot: QtBot, backend: BackendProcess, consoles: list[Console]
) -> None:
    window = consoles[0].window
    report = demo_report(3)
    with staff_client(backend.router) as client:
        client.submit_report(report)
    _select(qtbot, window, report.id)
    backend.stop()
    qtbot.waitUntil(lambda: window.link_status.state != LinkState.LIVE, timeout=15_000)
    incident = window.selected_incident()
    assert incident is not None
    answers: list[str] = []
    window.case_actions.command_answered.connect(lambda _i, text: answers.append(text))
    window.case_actions.take(Action.ACCEPT, incident, {})
    qtbot.waitUntil(lambda: answers != [], timeout=6000)
    assert "backend" in answers[0]
    assert window.queue_model.in_flight == {}


def test_a_new_urgent_case_raises_an_alert_until_acknowledged(
    qtbot: QtBot, backend: BackendProcess, consoles: list[Console]
) -> None:
    window = consoles[0].window
    alert = window.queue.alert
    assert not alert.active
    with staff_client(backend.router) as client:
        client.submit_report(demo_report(4, Urgency.NORMAL))
        client.submit_report(demo_report(5, Urgency.VERY_URGENT))
    qtbot.waitUntil(lambda: alert.active, timeout=5000)
    assert len(alert.waiting) == 1 and "SJ000002" in alert.text.text()
    # Its cameras (the high point covering it, the nearest) took the wall's first tiles.
    wall, urgent = window.video_wall, alert.waiting[0]
    assert wall.alarm_label.startswith("SJ000002") and urgent.lat is not None
    assert window.township is not None and urgent.lon is not None
    expected = window.township.cameras_for_incident(urgent.lat, urgent.lon)
    shown = [t.feed.camera for t in wall.tiles[: len(expected)] if t.feed]
    assert shown == expected and all(t.alarm for t in wall.tiles[: len(expected)])
    alert.button.click()
    assert not alert.active and alert.waiting == []
    assert wall.alarm_label == "" and not any(t.alarm for t in wall.tiles), "one acknowledgement"


def test_the_case_panel_shows_a_photo_once_even_as_the_case_changes(
    qtbot: QtBot, backend: BackendProcess, consoles: list[Console]
) -> None:
    from tests.test_live_service import PNG

    window = consoles[0].window
    report = demo_report(6)
    with staff_client(backend.router) as client:
        client.submit_report(report)
        client.add_attachment(report.id, "image/png", PNG)
        _select(qtbot, window, report.id)
        photos = window.detail.photos
        qtbot.waitUntil(lambda: photos.count() == 2, timeout=5000)  # the photo and a stretch
        client.command(Command(report.id, Action.ACCEPT, 1, "带班领导", Role.SUPERVISOR))
    qtbot.waitUntil(lambda: window.detail.timeline.count() == 2, timeout=5000)
    assert photos.count() == 2  # the new version did not fetch or show it again


def test_a_snapshot_of_a_tile_is_attached_to_the_selected_case_or_saved(
    qtbot: QtBot,
    backend: BackendProcess,
    consoles: list[Console],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = consoles[0].window
    with staff_client(backend.router) as client:
        client.submit_report(demo_report(7))
    qtbot.waitUntil(lambda: window.queue_model.rowCount() >= 1, timeout=5000)
    window.queue.table.selectRow(0)
    incident = window.selected_incident()
    assert incident is not None
    tile = window.video_wall.tiles[0]
    tile.snapshot_requested.emit(tile, True)  # what the tile's menu does
    qtbot.waitUntil(lambda: "attached" in window.statusBar().currentMessage(), timeout=5000)
    assert "not attached" not in window.statusBar().currentMessage()
    with staff_client(backend.router) as client:
        detail = client.request(MsgType.DETAIL_REQUEST, {"incident": incident.id})
    photos = detail.body["attachments"]
    assert [p["media_type"] for p in photos] == ["image/jpeg"] and photos[0]["added_by"] == "朱永明"

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_PICTURES_DIR", str(tmp_path / "Pictures"))
    tile.snapshot_requested.emit(tile, False)
    saved = list(tmp_path.rglob("*.png"))
    assert len(saved) == 1 and saved[0].stat().st_size > 1000, window.statusBar().currentMessage()
