"""The real console on a real backend process: it asks who is there, says when the login is
refused, shows what the role may do, masks a resident's contact until asked (audited), and
logs out."""

from __future__ import annotations

import dataclasses
import random
import sqlite3
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from backend.demo.reporter import make_demo_report
from client.request import RequestClient, RequestError
from console.app import Console
from console.embedded_backend import DEMO_PASSWORD
from console.link import LinkState
from console.widgets.audit_view import AuditView
from domain.incident import Channel, Incident
from domain.lifecycle import Action, Command
from domain.township import Role, load_demo_township
from tests.processes import BackendProcess
from tests.services import staff_client


@pytest.fixture
def console(qtbot: QtBot) -> Iterator[Console]:
    """Nobody logged in yet."""
    c = Console(mode="desk")
    qtbot.addWidget(c.window)
    yield c
    c.shutdown()


def _state(console: Console) -> LinkState:
    return console.window.link_status.state


def test_the_console_asks_for_a_login_says_why_it_fails_and_then_goes_live(
    qtbot: QtBot, backend: BackendProcess, console: Console
) -> None:
    from backend.demo import users as demo_users

    assert demo_users.DEMO_PASSWORD == DEMO_PASSWORD  # the console's copy of the demo's
    console.start(backend.router)
    console.window.show()
    dialog = console.login_dialog
    qtbot.waitUntil(lambda: _state(console) == LinkState.LOGIN_NEEDED, timeout=10_000)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert console.window.identity.text() == "Not logged in"
    assert console.window.queue_model.rowCount() == 0 and not console.window.case_actions.buttons
    dialog.user.setText("supervisor")
    dialog.password.setText("wrong")
    dialog.ok.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert "Wrong user name or password" in dialog.error.text()
    assert dialog.password.text() == ""  # never kept
    dialog.password.setText(DEMO_PASSWORD)
    dialog.ok.click()
    qtbot.waitUntil(lambda: _state(console) == LinkState.LIVE, timeout=10_000)
    assert not dialog.isVisible()
    assert console.window.identity.text() == "朱永明 · Supervisor"
    assert Action.DISPATCH in console.window.case_actions.buttons
    with staff_client(backend.router) as client:
        client.submit_report(make_demo_report(random.Random(3), load_demo_township(), {}))
    qtbot.waitUntil(lambda: console.window.queue_model.rowCount() == 1, timeout=5000)
    # Logging out: nobody again, the dialog back, no buttons, no cases left on the screen.
    console.window.logout.click()
    qtbot.waitUntil(lambda: _state(console) == LinkState.LOGIN_NEEDED, timeout=10_000)
    assert dialog.isVisible() and not console.window.case_actions.buttons
    assert console.window.queue_model.rowCount() == 0
    assert console.window.identity.text() == "Not logged in"


def test_a_residents_contact_is_masked_until_asked_for_and_the_asking_is_audited(
    qtbot: QtBot, backend: BackendProcess, console: Console, sqlite_url: str
) -> None:
    report = dataclasses.replace(
        make_demo_report(random.Random(5), load_demo_township(), {}),
        channel=Channel.HOTLINE, reporter="群众李某", reporter_phone="13987654321",
    )  # fmt: skip
    other = make_demo_report(random.Random(6), load_demo_township(), {})
    with staff_client(backend.router) as client:
        client.submit_report(report)
        client.submit_report(other)  # not the handler's department's: never on their desk
        client.command(Command(report.id, Action.ACCEPT, 1, "带班领导", Role.SUPERVISOR))
        client.command(Command(report.id, Action.DISPATCH, 2, "带班领导", Role.SUPERVISOR,
                               {"department": "zhifazhongdui"}))  # fmt: skip
    console.link.log_in("handler", DEMO_PASSWORD)  # 执法中队's handler calls residents back
    console.start(backend.router)
    console.window.show()
    qtbot.waitUntil(
        lambda: console.window.queue_model.row_of(report.id) is not None, timeout=10_000
    )
    assert console.window.queue_model.rowCount() == 1  # their department's case only
    assert console.window.identity.text().endswith(" · 综合行政执法中队")  # whose cases, said
    assert not console.window.case_actions.buttons.get(Action.ACCEPT)  # not a handler's
    assert not console.window.evaluation.isEnabled()  # nor the evaluation
    assert console.window.evaluation.status.text() == ""  # not asked, so no "not evaluated"
    model = console.window.queue_model
    row = model.row_of(report.id)
    assert row is not None
    console.window.queue.table.selectionModel().setCurrentIndex(
        model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    detail = console.window.detail
    contact = detail._values["contact"]
    assert contact.text() == "139****4321"
    assert "群***" in detail._values["reported"].text()
    assert detail.reveal_button.isVisible()
    detail.reveal_button.click()
    qtbot.waitUntil(lambda: "13987654321" in contact.text(), timeout=5000)
    assert "群众李某" in contact.text() and not detail.reveal_button.isVisible()
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as db:
        seen = db.execute(
            "SELECT who, role, subject, result FROM audit_log WHERE what = 'personal.reveal'"
        ).fetchall()
    assert seen == [("handler", "department_handler", report.id, "ok")]


def test_a_duty_officer_sees_the_wall_but_no_case_actions_and_no_contact(
    qtbot: QtBot, backend: BackendProcess
) -> None:
    console = Console(mode="desk", login=("duty", DEMO_PASSWORD))
    qtbot.addWidget(console.window)
    try:
        console.start(backend.router)
        qtbot.waitUntil(lambda: _state(console) == LinkState.LIVE, timeout=10_000)
        assert not console.window.case_actions.buttons
        assert not console.window.detail.may_reveal
        assert not console.login_dialog.isVisible()
    finally:
        console.shutdown()


def test_the_administrator_disables_a_user_from_the_desk(
    qtbot: QtBot, backend: BackendProcess
) -> None:
    console = Console(mode="desk", login=("admin", DEMO_PASSWORD))
    qtbot.addWidget(console.window)
    try:
        console.start(backend.router)
        console.window.show()
        admin = console.window.administration
        admin.confirm = False
        qtbot.waitUntil(lambda: admin.users.rowCount() > 300, timeout=10_000)
        assert console.window.docks["administration"].isVisibleTo(console.window)
        assert not console.window.evaluation.isEnabled()  # an administrator's is not to read
        logins = [admin.users.item(r, 0) for r in range(admin.users.rowCount())]
        (row,) = [r for r, item in enumerate(logins) if item and item.text() == "duty"]
        admin.users.selectRow(row)
        admin.toggle_user.click()

        def disabled() -> bool:
            state = admin.users.item(row, 3)
            return state is not None and state.text() == "disabled"

        qtbot.waitUntil(disabled, timeout=5000)
        assert "Plain text" in admin.keys_note.text()  # no keys on this backend, and it says so
        with RequestClient(backend.router) as client, pytest.raises(RequestError, match="failed"):
            client.log_in("duty", DEMO_PASSWORD)
    finally:
        console.shutdown()


def test_the_administrator_finds_adds_and_changes_users_from_the_desk(
    qtbot: QtBot, backend: BackendProcess
) -> None:
    """Issue 20, item 9: 389 users and only 停用/启用: now a search, a new user, a new
    password and a new role, each from a form."""
    console = Console(mode="desk", login=("admin", DEMO_PASSWORD))
    qtbot.addWidget(console.window)
    try:
        console.start(backend.router)
        console.window.show()
        admin = console.window.administration
        qtbot.waitUntil(lambda: admin.users.rowCount() > 300, timeout=10_000)
        admin.search.setText("朱永明")
        shown = [r for r in range(admin.users.rowCount()) if not admin.users.isRowHidden(r)]
        assert {admin.users.item(r, 1).text() for r in shown} == {"朱永明"}  # type: ignore[union-attr]
        admin.search.clear()
        admin.add_user.click()
        form = admin.dialog
        assert form is not None and not form.ok_button.isEnabled()
        form.login.setText("li.hua")
        form.name.setText("李华")
        form.role.setCurrentIndex(form.role.findData("supervisor"))
        form.password.setText("Qingxi-2026!")
        form.again.setText("Qingxi-2026?")
        assert not form.ok_button.isEnabled() and "differ" in form.problem.text()
        form.again.setText("Qingxi-2026!")
        form.ok_button.click()

        def row_of(login: str) -> int | None:
            items = (admin.users.item(r, 0) for r in range(admin.users.rowCount()))
            return next((r for r, i in enumerate(items) if i and i.text() == login), None)

        qtbot.waitUntil(lambda: row_of("li.hua") is not None, timeout=30_000)
        with RequestClient(backend.router, timeout=30) as client:
            assert client.log_in("li.hua", "Qingxi-2026!").role == Role.SUPERVISOR
        admin.users.selectRow(row_of("li.hua") or 0)
        admin.change_role.click()
        assert admin.dialog is not None
        admin.dialog.role.setCurrentIndex(admin.dialog.role.findData("duty_officer"))
        admin.dialog.ok_button.click()

        def role() -> object:
            item = admin.users.item(row_of("li.hua") or 0, 2)
            return None if item is None else item.data(Qt.ItemDataRole.UserRole)

        qtbot.waitUntil(lambda: role() == "duty_officer", timeout=30_000)
        admin.users.selectRow(row_of("li.hua") or 0)
        admin.reset_password.click()
        assert admin.dialog is not None
        admin.dialog.password.setText("Another-pw-9")
        admin.dialog.again.setText("Another-pw-9")
        admin.dialog.ok_button.click()
        with RequestClient(backend.router, timeout=30) as client:
            qtbot.waitUntil(lambda: _logs_in(client, "li.hua", "Another-pw-9"), timeout=30_000)
    finally:
        console.shutdown()


def _logs_in(client: RequestClient, login: str, password: str) -> bool:
    try:
        return client.log_in(login, password).role == Role.DUTY_OFFICER
    except RequestError:
        return False


def test_the_administration_is_not_offered_to_a_supervisor(qtbot: QtBot, console: Console) -> None:
    console.window.set_identity("朱永明", Role.SUPERVISOR)
    assert not console.window.docks["administration"].isVisibleTo(console.window)


def test_the_auditor_reads_the_newest_entries_checked_and_a_gateway_cannot_use_a_console(
    qtbot: QtBot, backend: BackendProcess, console: Console
) -> None:
    report = make_demo_report(random.Random(9), load_demo_township(), {})
    with staff_client(backend.router) as client:
        incident = Incident.from_wire(client.submit_report(report).body["incident"])
        accept = Command(incident.id, Action.ACCEPT, incident.version, "", Role.SUPERVISOR)
        client.command(accept)
    auditor = Console(mode="desk", login=("auditor", DEMO_PASSWORD))
    qtbot.addWidget(auditor.window)
    try:
        auditor.start(backend.router)
        auditor.window.show()
        view = auditor.window.audit
        qtbot.waitUntil(lambda: view.table.rowCount() > 0, timeout=10_000)
        assert auditor.window.docks["audit"].isVisibleTo(auditor.window)
        assert not auditor.window.docks["administration"].isVisibleTo(auditor.window)
        assert "hold together" in view.check.text()
        newest = view.table.item(0, 5)
        assert newest is not None and newest.text() == "Log in"  # the auditor's own, on top
        assert newest.toolTip() == "login"  # the code, for whoever needs it
        rows = [[_cell(view, r, c) for c in range(8)] for r in range(view.table.rowCount())]
        accepted = next(r for r in rows if r[5] == "Accept")
        assert accepted[3] == "Supervisor" and accepted[6] == incident.display_number
        assert accepted[4] == "This machine (plain link)" and accepted[7] == "Done"
        before = view.table.rowCount()
        with staff_client(backend.router) as client:  # a new entry: the view refreshes itself
            client.submit_report(make_demo_report(random.Random(10), load_demo_township(), {}))
        qtbot.waitUntil(lambda: view.table.rowCount() > before, timeout=30_000)
    finally:
        auditor.shutdown()
    console.link.log_in("gateway", DEMO_PASSWORD)
    console.start(backend.router)
    console.window.show()
    qtbot.waitUntil(console.login_dialog.error.isVisible, timeout=10_000)
    assert "cannot use a console" in console.login_dialog.error.text()
    assert console.window.identity.text() == "Not logged in"


def _cell(view: AuditView, row: int, column: int) -> str:
    item = view.table.item(row, column)
    return "" if item is None else item.text()
