"""A refusal is seen where the eye is, in the user's language (issue 20, item 5): the backend's
reasons put in Chinese words, a blank required reason never sent, a shortcut for a step that
is not possible now answered with why."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from backend.demo.reporter import make_demo_report
from console.app import Console
from console.embedded_backend import DEMO_PASSWORD
from console.refusal_words import refusal_text
from console.widgets.incident_actions import ActionDialog
from domain.deadlines import DeadlineRules
from domain.incident import Incident
from domain.lifecycle import Action, Command, LifecycleError, apply, new_incident
from domain.township import Role, load_demo_township
from tests.helpers import demo_report, wait_live
from tests.processes import BackendProcess
from tests.services import staff_client

TOWNSHIP = load_demo_township()
RULES = DeadlineRules.load()
NUMBER = re.compile(r"SJ\d+")


def _latin(text: str) -> list[str]:
    """Words in Latin letters, case numbers (SJ000001) aside."""
    return re.findall(r"[A-Za-z]+", NUMBER.sub("", text))


def _refusals() -> list[LifecycleError]:
    """Refusals the rules give, one of each kind a desk meets."""
    import random

    report = make_demo_report(random.Random(1), TOWNSHIP, {}, now=1_796_000_000.0)
    fresh = new_incident(report, 1, report.reported_at, RULES)
    tries = [
        (fresh, Action.CLOSE, Role.SUPERVISOR, {}),  # not in this state
        (fresh, Action.ACCEPT, Role.DUTY_OFFICER, {}),  # not this role
        (fresh, Action.REJECT, Role.SUPERVISOR, {}),  # needs a reason
        (fresh, Action.REJECT, Role.SUPERVISOR, {"reason": "   "}),
        (fresh, Action.MERGE, Role.SUPERVISOR, {"target": fresh.id}),
    ]
    accepted, _ = apply(fresh, Command(fresh.id, Action.ACCEPT, 1, "x", Role.SUPERVISOR), 1, RULES)
    tries += [
        (accepted, Action.PARK, Role.SUPERVISOR, {}),  # the "(park needs reason)"
        (accepted, Action.APPROVE_EXTENSION, Role.SUPERVISOR, {}),
    ]
    found = []
    for incident, action, role, args in tries:
        command = Command(incident.id, action, incident.version, "x", role, args)
        with pytest.raises(LifecycleError) as e:
            apply(incident, command, 2, RULES)
        found.append(e.value)
    stale = Command(fresh.id, Action.ACCEPT, 7, "x", Role.SUPERVISOR)
    with pytest.raises(LifecycleError) as e:
        apply(fresh, stale, 2, RULES)
    return [*found, e.value]


def test_every_refusal_of_the_rules_reads_in_chinese(chinese: None) -> None:
    for error in _refusals():
        text = refusal_text(error.code.value, error.detail)
        assert not _latin(text), (error.detail, text)
    text = refusal_text("invalid", "park needs reason")
    assert "挂账" in text and "原因" in text, text
    scope = refusal_text("not_allowed", "this case is outside your scope (村 V01)")
    assert not _latin(scope), scope


@pytest.mark.parametrize(
    "detail",
    [
        "password too weak: letters and digits both",
        "user 'u1' exists already",
        "an administrator cannot lock themselves out",
        "the only auditor cannot be disabled or given another role: add another first",
        "unknown department 'nowhere'",
        "assisting must list other departments, each once",
        "args.assisting: a list of at most 10 codes",
        "note is longer than 500",
        "park takes no actor",
    ],
)
def test_the_administrators_and_the_dispatchers_refusals_say_why(
    chinese: None, detail: str
) -> None:
    """Found by a fresh pair of eyes: these read only 「操作所需信息缺失或有误。」."""
    text = refusal_text("invalid", detail)
    plain = refusal_text("invalid", "")
    assert text != plain and not _latin(text), text


def test_a_reason_we_cannot_read_is_not_shown_raw(chinese: None) -> None:
    text = refusal_text("invalid", "frobnicator exploded at line 3")
    assert not _latin(text) and text, text


@pytest.mark.parametrize("action", [Action.PARK, Action.REJECT, Action.SETTLE])
def test_a_blank_required_reason_cannot_be_sent(qtbot: QtBot, action: Action) -> None:
    report = demo_report(2)
    incident = new_incident(report, 1, report.reported_at, RULES)
    dialog = ActionDialog(action, incident, TOWNSHIP, [])
    qtbot.addWidget(dialog)
    line = dialog._required[0]
    assert not dialog.ok_button.isEnabled()
    line.setText("   ")
    assert not dialog.ok_button.isEnabled()
    line.setText("等待汛期结束后施工")
    assert dialog.ok_button.isEnabled()
    assert next(iter(dialog.args().values())) == "等待汛期结束后施工"


@pytest.fixture
def desk(qtbot: QtBot, backend: BackendProcess, chinese: None) -> Iterator[Console]:
    console = Console(mode="desk", login=("supervisor", DEMO_PASSWORD))
    qtbot.addWidget(console.window)
    console.window.case_actions.ask_for_args = False
    console.start(backend.router)
    console.window.show()
    wait_live(qtbot, console)
    yield console
    console.shutdown()


def _select(qtbot: QtBot, console: Console, incident_id: str) -> Incident:
    model = console.window.queue_model
    qtbot.waitUntil(lambda: model.row_of(incident_id) is not None, timeout=5000)
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    table = console.window.queue.table
    table.selectionModel().setCurrentIndex(model.index(model.row_of(incident_id) or 0, 0), flags)
    selected = console.window.selected_incident()
    assert selected is not None and selected.id == incident_id
    return selected


def test_a_refusal_from_the_backend_is_shown_in_red_in_chinese(
    qtbot: QtBot, backend: BackendProcess, desk: Console
) -> None:
    report = demo_report(3)
    with staff_client(backend.router) as client:
        client.submit_report(report)
    incident = _select(qtbot, desk, report.id)
    notice = desk.window.detail.notice
    desk.window.case_actions.take(Action.REJECT, incident, {})  # no reason: the backend says no
    qtbot.waitUntil(notice.isVisible, timeout=10_000)
    assert notice.objectName() == "refusal"  # the theme's red banner
    assert "原因" in notice.text() and not _latin(notice.text()), notice.text()


def test_a_shortcut_for_a_step_not_possible_now_says_why(
    qtbot: QtBot, backend: BackendProcess, desk: Console
) -> None:
    window = desk.window
    notice = window.detail.notice
    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # 结案, no case
    qtbot.waitUntil(notice.isVisible, timeout=3000)
    assert "选择" in notice.text() and not _latin(notice.text()), notice.text()
    report = demo_report(4)
    with staff_client(backend.router) as client:
        client.submit_report(report)
    incident = _select(qtbot, desk, report.id)
    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: incident.display_number in notice.text(), timeout=3000)
    assert "已上报" in notice.text() and "结案" in notice.text(), notice.text()
