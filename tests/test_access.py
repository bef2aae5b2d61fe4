"""Roles enforced by the backend, sent straight to it over real sockets (no console): the whole
role × request matrix and the whole role × command matrix, logins, sessions, masked personal
data and its audited reveal."""

from __future__ import annotations

import base64
import dataclasses
import logging
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import zmq

from backend.demo.reporter import make_demo_report
from backend.demo.users import DEMO_PASSWORD, ROLE_LOGINS, SYSTEM_LOGINS
from backend.passwords import hash_password
from backend.sessions import MAX_FAILURES
from client.request import Login, RequestClient, RequestError
from domain.access import ACCESS, PUBLIC
from domain.incident import Channel, FieldReport, Incident, IncidentState
from domain.lifecycle import CLIENT_ACTIONS, RULES, Action, Command
from domain.requests import REQUESTS, Scope
from domain.scope import CaseScope
from domain.township import Grid, Role
from domain.wire import Message, MsgType, decode, encode
from tests.helpers import wait_for
from tests.processes import REPO
from tests.services import TOWNSHIP, Service
from tests.test_lifecycle import GOOD_ARGS
from tests.test_live_service import PNG

S = IncidentState
LOGINS = {**ROLE_LOGINS, **{login: role for login, (_n, role) in SYSTEM_LOGINS.items()}}
"""One demo login per role a person logs in with."""
HOME_GRID = TOWNSHIP.grids["V01G1"]
"""Where the Desk's cases are, unless a test says elsewhere: the demo worker's and member's grid,
in the demo grid leader's village."""
AWAY_GRID = TOWNSHIP.grids["V02G1"]
AWAY_DEPARTMENT = "sifasuo"
HOME_DEPARTMENT = "zhifazhongdui"
"""The demo department handler's (综合行政执法中队, backend.demo.users.role_person): cases are
dispatched there unless a test says not."""
ARGS: dict[Action, dict[str, object]] = {
    a: args
    for a, args in GOOD_ARGS.items()
    if a != Action.MERGE  # merge: a test of its own
}
ARGS[Action.DISPATCH] = {"department": HOME_DEPARTMENT}
PATH: dict[IncidentState, list[tuple[Action, Role]]] = {
    S.REPORTED: [],
    S.PASSED_UP: [(Action.PASS_UP, Role.GRID_LEADER)],
    S.ACCEPTED: [(Action.ACCEPT, Role.SUPERVISOR)],
    S.DISPATCHED: [(Action.ACCEPT, Role.SUPERVISOR), (Action.DISPATCH, Role.SUPERVISOR)],
    S.IN_PROGRESS: [
        (Action.ACCEPT, Role.SUPERVISOR),
        (Action.DISPATCH, Role.SUPERVISOR),
        (Action.START, Role.DEPARTMENT_HANDLER),
    ],
}
PATH[S.REPLIED] = [*PATH[S.IN_PROGRESS], (Action.REPLY, Role.DEPARTMENT_HANDLER)]
PATH[S.VERIFIED] = [*PATH[S.REPLIED], (Action.VERIFY, Role.SUPERVISOR)]
PATH[S.CLOSED] = [*PATH[S.VERIFIED], (Action.CLOSE, Role.SUPERVISOR)]
PATH[S.PARKED] = [*PATH[S.ACCEPTED], (Action.PARK, Role.SUPERVISOR)]
ASKED = [*PATH[S.IN_PROGRESS], (Action.REQUEST_EXTENSION, Role.DEPARTMENT_HANDLER)]


class Desk:
    """One client per role, each logged in as that role's demo user."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.clients: dict[Role, RequestClient] = {}
        for login, role in LOGINS.items():
            client = service.client(staff=False)
            client.log_in(login, DEMO_PASSWORD)
            self.clients[role] = client
        self.away: dict[Role, RequestClient] = {}
        """Another department's handler and another village's grid leader: they take the
        steps of a case outside the scope of the demo's own."""
        for person, role in (("P0356", Role.DEPARTMENT_HANDLER), ("P0007", Role.GRID_LEADER)):
            client = service.client(staff=False)
            client.log_in(person, DEMO_PASSWORD)
            self.away[role] = client
        self.seed = 0

    def close(self) -> None:
        for c in (*self.clients.values(), *self.away.values()):
            c.close()

    def report(self, channel: Channel | None = None, grid: Grid = HOME_GRID) -> FieldReport:
        self.seed += 1
        report = make_demo_report(random.Random(self.seed), TOWNSHIP, {})
        report = dataclasses.replace(
            report, village=grid.village, grid=grid.code, lat=grid.lat, lon=grid.lon,
            reporter="网格员甲",  # no one's login: a case in nobody's "what I reported"
        )  # fmt: skip
        if channel is not None:
            report = dataclasses.replace(
                report, channel=channel, reporter="群众张某", reporter_phone="13812345678",
                reporter_id_number="330102199001011234",
            )  # fmt: skip
        self.clients[Role.GATEWAY].submit_report(report)
        return report

    def command(
        self, role: Role, incident: str, action: Action, away: bool = False, **args: Any
    ) -> Any:
        version = (
            self.clients[Role.SUPERVISOR]
            .request(MsgType.DETAIL_REQUEST, {"incident": incident})
            .body["incident"]["version"]
        )
        body = {"incident": incident, "action": action.value, "version": version,
                "args": {**ARGS.get(action, {}), **args}}  # fmt: skip
        client = self.away.get(role, self.clients[role]) if away else self.clients[role]
        return client.request(MsgType.COMMAND, body)

    def incident_at(self, steps: list[tuple[Action, Role]], away: bool = False) -> str:
        """A case brought to a state by `steps`: at home (the demo's logins' grid, village and
        department), or `away` (another village's grid, another department: outside the scope
        of every login but the township's), its steps then taken by `self.away`."""
        incident = self.report(grid=AWAY_GRID if away else HOME_GRID).id
        for action, role in steps:
            args = {"department": AWAY_DEPARTMENT} if action == Action.DISPATCH and away else {}
            self.command(role, incident, action, away, **args)
        return incident


@pytest.fixture
def desk(service_factory: Callable[..., Service]) -> Iterator[Desk]:
    d = Desk(service_factory())
    yield d
    d.close()


def _steps_to(action: Action) -> list[tuple[Action, Role]]:
    if action in (Action.APPROVE_EXTENSION, Action.DENY_EXTENSION):
        return ASKED
    for state, steps in PATH.items():
        if state in RULES[action].from_states:
            return steps
    raise AssertionError(f"no path to {action}")


def _body(type_: str) -> dict[str, Any]:
    """Something of the type's shape; the question is only whether it gets past the role."""
    bodies: dict[str, dict[str, Any]] = {
        MsgType.HISTORY_REQUEST: {"since": time.time() - 3600, "step": 1},
        MsgType.TRACKS_REQUEST: {"since": time.time() - 3600},
        MsgType.HEAT_REQUEST: {"start": time.time() - 86_400, "end": time.time()},
        MsgType.REPORT_STATUS_REQUEST: {"ids": ["x"]},
        MsgType.EVALUATION_REQUEST: {
            "dimension": "village", "start": time.time() - 86_400, "end": time.time(),
        },
        MsgType.CAMERA_HEALTH: {"cameras": {}},
    }  # fmt: skip
    return bodies.get(type_, {})


def test_every_request_type_is_refused_to_every_role_not_allowed_it_and_logged(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    refused: list[tuple[Role, str]] = []
    for type_ in sorted(ACCESS):
        if type_ == MsgType.LOGOUT:
            continue  # every role may; it ends the login the rest of the test needs
        for role, client in desk.clients.items():
            try:
                client.request(type_, _body(type_))
                got = "ok"
            except RequestError as e:
                got = e.code
            if role in ACCESS[type_]:
                assert got != "not_allowed", (role, type_)
            else:
                assert got == "not_allowed", (role, type_, got)
                refused.append((role, type_))
    assert len(refused) > 50
    trail = {(e.role, e.what) for e in desk.service.store.audit() if e.result == "not_allowed"}
    for role, type_ in refused:
        assert (role.value, "command.?" if type_ == MsgType.COMMAND else type_) in trail
    # Counted one by one; written to the log throttled, a line a second with the count since.
    assert desk.service.server.stats.by_error["not_allowed"] == len(refused)
    assert any("not_allowed: a " in r.getMessage() for r in caplog.records)


def test_nothing_but_hello_and_login_without_a_login(desk: Desk) -> None:
    with desk.service.client(staff=False) as stranger:
        assert stranger.request(MsgType.HELLO).type == MsgType.WELCOME
        for type_ in sorted(ACCESS):
            with pytest.raises(RequestError) as refused:
                stranger.request(type_, _body(type_))
            assert refused.value.code == "not_logged_in", type_
    assert {MsgType.HELLO, MsgType.LOGIN, MsgType.PARTS_ACK} == PUBLIC  # the last: flow control


@pytest.mark.parametrize("action", sorted(CLIENT_ACTIONS - {Action.MERGE}))
def test_every_command_is_allowed_to_its_roles_and_refused_to_all_others(
    desk: Desk, action: Action
) -> None:
    forbidden = desk.incident_at(_steps_to(action))
    for role in desk.clients:
        if role in RULES[action].roles:
            incident = desk.incident_at(_steps_to(action))
            ack = desk.command(role, incident, action)
            assert ack.type == MsgType.COMMAND_ACK, (role, action)
            assert ack.body["change"]["role"] == role.value
        else:
            with pytest.raises(RequestError) as refused:
                desk.command(role, forbidden, action)
            assert refused.value.code == "not_allowed", (role, action, refused.value)
    trail = [(e.role, e.result) for e in desk.service.store.audit()
             if e.what == f"command.{action.value}" and e.subject == forbidden]  # fmt: skip
    assert {r for r, result in trail if result == "not_allowed"} == {
        r.value for r in desk.clients if r not in RULES[action].roles
    }


def test_merge_is_the_supervisors_alone(desk: Desk) -> None:
    target, duplicate = desk.report().id, desk.report().id
    for role in desk.clients:
        if role != Role.SUPERVISOR:
            with pytest.raises(RequestError, match="not_allowed"):
                desk.command(role, duplicate, Action.MERGE, target=target)
    ack = desk.command(Role.SUPERVISOR, duplicate, Action.MERGE, target=target)
    assert ack.body["incident"]["state"] == "merged"


def test_the_role_a_command_claims_is_not_read(desk: Desk) -> None:
    incident = desk.report().id
    body = {"incident": incident, "action": "accept", "version": 1, "args": {},
            "actor": "带班领导", "role": "supervisor"}  # fmt: skip
    with pytest.raises(RequestError, match="not_allowed"):
        desk.clients[Role.DUTY_OFFICER].request(MsgType.COMMAND, body)
    ack = desk.clients[Role.SUPERVISOR].request(MsgType.COMMAND, body)
    supervisor = desk.clients[Role.SUPERVISOR].login
    assert supervisor is not None
    assert ack.body["change"]["actor"] == supervisor.name


def test_a_grid_worker_reports_and_patrols_as_themselves_only(desk: Desk) -> None:
    worker = desk.clients[Role.GRID_WORKER]
    assert worker.login is not None
    report = make_demo_report(random.Random(77), TOWNSHIP, {})
    report = dataclasses.replace(report, channel=Channel.GRID_APP, reporter="别人")
    with pytest.raises(RequestError, match="reported by the user logged in"):
        worker.request(MsgType.REPORT_SUBMIT, report.to_wire())
    own = dataclasses.replace(report, reporter=worker.login.name)
    assert worker.submit_report(own).body["created"]


def test_wrong_passwords_lock_the_user_and_each_login_is_audited(desk: Desk) -> None:
    with desk.service.client(staff=False) as c:
        for _ in range(MAX_FAILURES):
            with pytest.raises(RequestError) as wrong:
                c.log_in("duty", "guess")
            assert wrong.value.code == "login_failed"
        with pytest.raises(RequestError) as locked:
            c.log_in("duty", DEMO_PASSWORD)  # right, but too late
        assert locked.value.code == "rate_limited" and "try again in" in locked.value.detail
        with pytest.raises(RequestError) as nobody:
            c.log_in("nobody", "x")
        assert nobody.value.code == "login_failed"
    logins = [(e.who, e.result) for e in desk.service.store.audit() if e.what == "login"]
    assert logins[-MAX_FAILURES - 2 :] == [
        *[("duty", "login_failed")] * MAX_FAILURES, ("duty", "rate_limited"),
        ("nobody", "login_failed"),
    ]  # fmt: skip
    assert ("admin", "ok") in logins


def _replies(c: RequestClient, ids: list[str]) -> list[Message]:
    """The answers to `ids`, in the order they arrived."""
    got: list[Message] = []
    while len(got) < len(ids):
        reply = c.receive(timeout=120)
        if reply.reply_to in ids:
            got.append(reply)
    return got


def test_wrong_passwords_sent_at_once_cannot_race_past_the_lock(desk: Desk) -> None:
    """Issue 18, item 4: the lock was checked when a login was queued and failures counted when
    it finished: 24 wrong passwords at once, then the right one, got login.ok."""
    with desk.service.client(staff=False) as c:
        sent = [
            Message(MsgType.LOGIN, {"user": "duty", "password": f"guess{k}"}) for k in range(24)
        ]
        sent.append(Message(MsgType.LOGIN, {"user": "duty", "password": DEMO_PASSWORD}))
        for m in sent:
            c.send_raw(encode(m))
        answers = {r.reply_to: r for r in _replies(c, [m.id for m in sent])}
    codes = [answers[m.id].body.get("code", "ok") for m in sent]
    assert codes.count("login_failed") <= MAX_FAILURES
    assert codes[-1] == "rate_limited", codes  # the right password, too late


def test_logins_wait_on_a_worker_of_their_own_not_ahead_of_other_requests(desk: Desk) -> None:
    """Issue 18, item 4: thirty bogus logins (each an unknown user: a full-cost hash) held every
    console's history and evaluation behind them."""
    supervisor = desk.clients[Role.SUPERVISOR]
    with desk.service.client(staff=False) as c:
        bogus = [Message(MsgType.LOGIN, {"user": f"nobody{k}", "password": "x"}) for k in range(16)]
        for m in bogus:
            c.send_raw(encode(m))
        sessions = desk.service.server.accounts.sessions
        wait_for(lambda: sum(dict(sessions._pending).values()) == len(bogus), what="logins queued")
        history = supervisor.request(
            MsgType.HISTORY_REQUEST, {"since": time.time() - 3600, "step": 1}, timeout=120
        )
        assert history.type == MsgType.HISTORY
        # answered while logins were still being checked (16 full-cost hashes), not after them
        still_checking = sum(dict(sessions._pending).values())
        assert still_checking > 0
        assert len(_replies(c, [m.id for m in bogus])) == len(bogus)


def test_logout_ends_the_session_and_a_restart_keeps_the_others(
    service_factory: Callable[..., Service],
) -> None:
    first = service_factory()
    a, b = first.client(staff=False), first.client(staff=False)
    ended = a.log_in("duty", DEMO_PASSWORD)
    kept = b.log_in("supervisor", DEMO_PASSWORD)
    a.log_out()
    with pytest.raises(RequestError, match="not_logged_in"):
        a.request(MsgType.SNAPSHOT_REQUEST, login=Login("x" * 43, "", "", Role.DUTY_OFFICER, None))
    # A console back from away asks hello under its login: told whether it is still open (its
    # stream with it), so that it asks for a login instead of waiting on a silent stream.
    assert a.request(MsgType.HELLO, login=ended).body["logged_in"] is False
    assert b.request(MsgType.HELLO, login=kept).body["logged_in"] is True
    assert "logged_in" not in a.request(MsgType.HELLO).body  # no login carried: nothing said
    first.close()
    a.close()
    b.close()
    second = service_factory()
    with second.client(staff=False) as c:
        assert c.request(MsgType.INDICATORS_REQUEST, login=kept).type == MsgType.INDICATORS
    assert len(second.server.sessions) == 1  # the supervisor's; the duty officer's ended


def test_a_message_replayed_after_a_restart_is_refused(
    service_factory: Callable[..., Service],
) -> None:
    """Issue 18, item 6: seen ids lived in memory only and logins survive a restart: an
    administrator's captured admin.user.set replayed 8 s after a restart disabled the user
    again. The ids of changing requests are on the record; a restart reads them back."""
    first = service_factory()
    with first.client(staff=False) as c:
        admin = c.log_in("admin", DEMO_PASSWORD)
        captured = encode(Message(MsgType.ADMIN_USER_SET, {"login": "handler", "disabled": True},
                                  session=admin.token))  # fmt: skip
        c.send_raw(captured)
        assert c.receive().type == MsgType.ADMIN_USERS
        c.request(MsgType.ADMIN_USER_SET, {"login": "handler", "disabled": False}, login=admin)
    first.close()
    second = service_factory()
    with second.client(staff=False) as c:
        c.send_raw(captured)
        replayed = c.receive()
    assert replayed.type == MsgType.ERROR and replayed.body["code"] == "replayed"
    assert not next(u for u in second.server.accounts.users.all() if u.login == "handler").disabled


def test_a_disabled_user_is_logged_out_at_once_and_cannot_log_in(
    service_factory: Callable[..., Service], sqlite_url: str
) -> None:
    service = service_factory()
    with service.client(staff=False) as c:
        c.log_in("handler", DEMO_PASSWORD)
        assert c.request(MsgType.INDICATORS_REQUEST).type == MsgType.INDICATORS
        done = subprocess.run(
            [sys.executable, "-m", "backend", "users", "disable", "handler", "--db", sqlite_url],
            cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        refusals: list[str] = []

        def refused() -> bool:
            try:
                c.request(MsgType.INDICATORS_REQUEST)
            except RequestError as e:
                refusals.append(e.code)
            return bool(refusals)

        wait_for(refused, interval=0.1, what="the disabled user's requests refused")
        assert refusals == ["not_logged_in"]
        with pytest.raises(RequestError, match="login_failed"):
            c.log_in("handler", DEMO_PASSWORD)
    changed = [e for e in service.store.audit() if e.what == "user.changed"]
    assert [(e.subject, e.detail["disabled"]) for e in changed] == [("handler", True)]


@pytest.mark.slow
def test_the_users_command_refuses_weak_passwords_and_adds_users_who_can_log_in(
    service_factory: Callable[..., Service], sqlite_url: str
) -> None:
    def users(*args: str, password: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "backend", "users", *args, "--db", sqlite_url],
            cwd=REPO, input=password + "\n", capture_output=True, text=True, timeout=60,
            check=False,
        )  # fmt: skip

    service = service_factory()
    weak = users("add", "wangjg", "--role", "supervisor", "--name", "王建国",
                 "--password-stdin", password="short")  # fmt: skip
    assert weak.returncode == 1 and "at least 10" in weak.stderr
    added = users("add", "wangjg", "--role", "supervisor", "--name", "王建国",
                  "--password-stdin", password="zhihui2026shi")  # fmt: skip
    assert added.returncode == 0, added.stderr
    again = users("add", "wangjg", "--role", "auditor", "--name", "王",
                  "--password-stdin", password="zhihui2026shi")  # fmt: skip
    assert again.returncode == 1 and "exists already" in again.stderr
    listed = users("list").stdout
    assert "wangjg" in listed and "王建国" in listed and "zhihui" not in listed
    with service.client(staff=False) as c:
        login = c.log_in("wangjg", "zhihui2026shi")
    assert (login.name, login.role) == ("王建国", Role.SUPERVISOR)


@pytest.mark.slow
def test_users_tied_by_the_command_line_see_their_department_or_village_and_no_more(
    service_factory: Callable[..., Service], sqlite_url: str
) -> None:
    """Issue 21, item 5: `users add` could not tie a handler to a department (nor a grid leader
    to a village) when the township's lists do not name them: their scope was empty."""

    def users(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "backend", "users", *args, "--db", sqlite_url,
             *(["--password-stdin"] if args[0] == "add" else [])],
            cwd=REPO, input="zhihui2026shi\n", capture_output=True, text=True, timeout=60,
            check=False,
        )  # fmt: skip

    service = service_factory()
    untied = users("add", "li", "--role", "department_handler", "--name", "李")
    assert untied.returncode == 1 and "--department" in untied.stderr
    wrong = users("add", "li", "--role", "department_handler", "--name", "李", "--village", "V01")
    assert wrong.returncode == 1 and "departments, not villages" in wrong.stderr
    unknown = users("add", "li", "--role", "department_handler", "--name", "李",
                    "--department", "nosuch")  # fmt: skip
    assert unknown.returncode == 1 and "no departments nosuch" in unknown.stderr
    added = users("add", "li", "--role", "department_handler", "--name", "李",
                  "--department", "sifasuo")  # fmt: skip
    assert added.returncode == 0, added.stderr
    leader = users("add", "zhao", "--role", "grid_leader", "--name", "赵", "--village", "V02")
    assert leader.returncode == 0, leader.stderr
    assert "departments sifasuo" in users("list").stdout
    with service.client(staff=False) as c:
        li = c.log_in("li", "zhihui2026shi")
        zhao = c.log_in("zhao", "zhihui2026shi")
    assert li.scope == CaseScope(departments=frozenset({"sifasuo"}))
    assert zhao.scope.villages == frozenset({"V02"})
    retied = users("tie", "li", "--department", "sifasuo", "--department", "paichusuo")
    assert retied.returncode == 0, retied.stderr
    with service.client(staff=False) as c:

        def tied_anew() -> bool:
            login = c.log_in("li", "zhihui2026shi")
            return login.scope.departments == {"sifasuo", "paichusuo"}

        wait_for(tied_anew, interval=0.2, what="a login with the new ties")
    retie = {"role": "department_handler", "disabled": False,
             "ties": {"departments": ["paichusuo", "sifasuo"]}}  # fmt: skip

    def audited() -> bool:  # the running backend notices it within a tick
        return retie in [e.detail for e in service.store.audit() if e.what == "user.changed"]

    wait_for(audited, interval=0.2, what="the new ties on the record")


def test_personal_data_is_masked_everywhere_and_revealed_only_by_an_audited_request(
    desk: Desk,
) -> None:
    sub = desk.service.subscriber(types=(b"incident.", b"hb", b"metric."))
    report = desk.report(Channel.HOTLINE)
    supervisor = desk.clients[Role.SUPERVISOR]
    _seq, snapshot = supervisor.snapshot()
    (shown,) = [i for i in snapshot if i["id"] == report.id]
    detail = supervisor.request(MsgType.DETAIL_REQUEST, {"incident": report.id}).body
    published = sub.recv_multipart()[1]
    while b"incident.reported" not in published:
        published = sub.recv_multipart()[1]
    # the figures every console and the update stream carry (by reporter: staff only)
    figures = sub.recv_multipart()[1]
    while b"metric.indicators" not in figures:
        figures = sub.recv_multipart()[1]
    sub.close()
    answered = supervisor.request(MsgType.INDICATORS_REQUEST).body
    assert answered["today"]["received"] >= 1
    published += figures + str(answered).encode()
    for seen in (shown, detail["incident"], detail["changes"][0]["args"]):
        assert seen["reporter"] == "群***"
        assert seen["reporter_phone"] == "138****5678"
        assert seen["reporter_id_number"] == "330***********1234"
    everything = str(detail).encode() + str(snapshot).encode() + published
    for secret in ("13812345678", "330102199001011234", "群众张某"):
        assert secret.encode() not in everything
        assert secret.encode("unicode_escape") not in everything
    desk.command(Role.SUPERVISOR, report.id, Action.ACCEPT)
    desk.command(Role.SUPERVISOR, report.id, Action.DISPATCH)  # the handler's: in their scope
    for role, client in desk.clients.items():
        if role in ACCESS[MsgType.REVEAL_REQUEST]:
            assert client.reveal(report.id)["reporter_phone"] == "13812345678"
        else:
            with pytest.raises(RequestError, match="not_allowed"):
                client.reveal(report.id)
    reveals = [(e.role, e.result) for e in desk.service.store.audit()
               if e.what == "personal.reveal"]  # fmt: skip
    assert sorted(r for r, result in reveals if result == "ok") == sorted(
        r.value for r in ACCESS[MsgType.REVEAL_REQUEST]
    )
    trail = str([e.fields() for e in desk.service.store.audit()])
    assert "13812345678" not in trail and "群众张某" not in trail


def test_the_auditor_reads_the_trail_over_the_wire_and_can_check_it(desk: Desk) -> None:
    from domain.audit import GENESIS, AuditEntry, verify

    desk.report()
    page = desk.clients[Role.AUDITOR].request(MsgType.AUDIT_REQUEST, {"after": 0}).body
    entries = [AuditEntry(**e) for e in page["entries"]]
    assert len(entries) >= 10 and page["head"] >= entries[-1].seq
    assert not verify(entries, GENESIS)
    assert {e.what for e in entries} >= {"login", "report.submit"}


def test_the_administrator_lists_and_disables_users_from_a_console(desk: Desk) -> None:
    admin = desk.clients[Role.ADMINISTRATOR]
    users = admin.request(MsgType.ADMIN_USERS_REQUEST).body["users"]
    assert {"login": "handler", "role": "department_handler", "disabled": False}.items() <= next(
        u for u in users if u["login"] == "handler"
    ).items()
    assert all("password" not in str(u) for u in users)
    handler = desk.clients[Role.DEPARTMENT_HANDLER]
    assert handler.request(MsgType.INDICATORS_REQUEST).type == MsgType.INDICATORS
    after = admin.request(MsgType.ADMIN_USER_SET, {"login": "handler", "disabled": True})
    assert next(u for u in after.body["users"] if u["login"] == "handler")["disabled"]
    with pytest.raises(RequestError, match="not_logged_in"):  # at once, not within a second
        handler.request(MsgType.INDICATORS_REQUEST)
    with pytest.raises(RequestError, match="cannot lock themselves out"):
        admin.request(MsgType.ADMIN_USER_SET, {"login": "admin", "disabled": True})
    with pytest.raises(RequestError, match="the only auditor cannot be disabled"):
        admin.request(MsgType.ADMIN_USER_SET, {"login": "auditor", "disabled": True})
    with pytest.raises(RequestError, match="no user"):
        admin.request(MsgType.ADMIN_USER_SET, {"login": "nobody", "disabled": True})
    with pytest.raises(RequestError, match="no keys"):  # a plain-text backend
        admin.request(MsgType.ADMIN_KEY_REVOKE, {"name": "desk-01"})
    trail = [(e.who, e.what, e.subject, e.result) for e in desk.service.store.audit()]
    assert ("admin", "admin.user.set", "handler", "ok") in trail
    assert any(t[1] == "user.changed" and t[2] == "handler" for t in trail)


def test_the_administrator_adds_users_resets_passwords_and_changes_roles(desk: Desk) -> None:
    """Issue 20, item 9: all of it from the desk, not only on the backend's machine."""
    admin = desk.clients[Role.ADMINISTRATOR]
    new = {"login": "wang.jg", "name": "王建国", "role": "duty_officer",
           "password": "Qingxi-2026!"}  # fmt: skip
    after = admin.request(MsgType.ADMIN_USER_ADD, new, timeout=30).body["users"]
    assert next(u for u in after if u["login"] == "wang.jg")["role"] == "duty_officer"
    with desk.service.client(timeout=30, staff=False) as wang:
        assert wang.log_in("wang.jg", "Qingxi-2026!").role == Role.DUTY_OFFICER
        body = {"login": "wang.jg", "role": "supervisor", "password": "Reset-2026-pw"}
        after = admin.request(MsgType.ADMIN_USER_SET, body, timeout=30).body["users"]
        assert next(u for u in after if u["login"] == "wang.jg")["role"] == "supervisor"
        with pytest.raises(RequestError, match="not_logged_in"):  # the old session ended
            wang.request(MsgType.INDICATORS_REQUEST)
        with pytest.raises(RequestError, match="login_failed"):
            wang.log_in("wang.jg", "Qingxi-2026!")
        assert wang.log_in("wang.jg", "Reset-2026-pw").role == Role.SUPERVISOR
    for bad, why in (
        ({**new, "login": "li", "password": "1234567890"}, "too weak"),
        ({**new, "password": "Another-pw-1"}, "exists already"),
        ({**new, "login": "a b", "password": "Another-pw-1"}, "login"),
        ({**new, "login": "x1", "role": "emperor"}, "role must be one of"),
    ):
        with pytest.raises(RequestError, match=why):
            admin.request(MsgType.ADMIN_USER_ADD, bad, timeout=30)
    with pytest.raises(RequestError, match="cannot lock themselves out"):
        admin.request(MsgType.ADMIN_USER_SET, {"login": "admin", "role": "duty_officer"})
    # found by a fresh pair of eyes: weak passwords the first rules let through, a look-alike
    # login, a handler without a department, a person who does not exist
    for bad, why in (
        ({**new, "login": "b1", "password": "aaaaaaaaa1"}, "different characters"),
        ({**new, "login": "b2", "password": "          1"}, "too weak"),
        ({**new, "login": "WANG.JG", "password": "Another-pw-1"}, "exists already"),
        ({**new, "login": "b3", "role": "department_handler", "password": "Another-pw-1"},
         "needs their person"),
        ({**new, "login": "b4", "person": "P9999", "password": "Another-pw-1"}, "no person"),
        ({**new, "login": "b5", "role": "system", "password": "Another-pw-1"}, "role must be"),
    ):  # fmt: skip
        with pytest.raises(RequestError, match=why):
            admin.request(MsgType.ADMIN_USER_ADD, bad, timeout=30)
    with pytest.raises(RequestError, match="give disabled, role or password"):
        admin.request(MsgType.ADMIN_USER_SET, {"login": "wang.jg"})
    trail = [(e.who, e.what, e.subject, e.result) for e in desk.service.store.audit()]
    assert ("admin", "admin.user.add", "wang.jg", "ok") in trail
    assert ("admin", "user.changed", "wang.jg", "ok") in trail, "who changed it, by name"
    assert all("Qingxi" not in str(e.detail) for e in desk.service.store.audit())


def test_an_assisting_department_sees_the_case_but_does_not_lead_it(
    desk: Desk,
) -> None:
    """Found by a fresh pair of eyes: 协办单位 were on the record only, and their handler was
    refused the case ("outside your scope")."""
    supervisor, handler = desk.clients[Role.SUPERVISOR], desk.clients[Role.DEPARTMENT_HANDLER]
    mine = handler.login.scope.departments if handler.login else frozenset()
    (own,) = mine  # the demo `handler`'s department
    report = make_demo_report(random.Random(31), TOWNSHIP, {})
    incident = Incident.from_wire(desk.clients[Role.GATEWAY].submit_report(report).body["incident"])
    lead = next(d for d in TOWNSHIP.departments if d != own)
    for action, args in ((Action.ACCEPT, {}),
                         (Action.DISPATCH, {"department": lead, "assisting": [own]})):  # fmt: skip
        reply = supervisor.command(
            Command(incident.id, action, incident.version, "", Role.SUPERVISOR, args)
        )
        incident = Incident.from_wire(reply.body["incident"])
    assert incident.assisting == own
    seen = handler.request(MsgType.DETAIL_REQUEST, {"incident": incident.id})
    assert seen.body["incident"]["assisting"] == own
    with pytest.raises(RequestError, match="outside your scope"):  # assisting is not leading
        handler.command(
            Command(incident.id, Action.START, incident.version, "", Role.DEPARTMENT_HANDLER)
        )
    away = desk.away[Role.DEPARTMENT_HANDLER]
    with pytest.raises(RequestError, match="outside your scope"):
        away.request(MsgType.DETAIL_REQUEST, {"incident": incident.id})


def test_two_requests_at_once_cannot_take_the_last_auditor_away(desk: Desk) -> None:
    """Found by a fresh pair of eyes: the rule was checked before the (slow) change and both
    requests saw two auditors; it is checked again where the change is made."""
    admin = desk.clients[Role.ADMINISTRATOR]
    second = {"login": "aud2", "name": "审计员二", "role": "auditor", "password": "Audit-2026-x"}
    admin.request(MsgType.ADMIN_USER_ADD, second, timeout=30)
    token = admin.login.token if admin.login else ""
    for login in ("auditor", "aud2"):
        body = {"login": login, "disabled": True}
        admin.send_raw(encode(Message(MsgType.ADMIN_USER_SET, body, session=token)))
    answers = [admin.receive(timeout=30) for _ in range(2)]
    refused = [a for a in answers if a.type == MsgType.ERROR]
    assert len(refused) == 1 and "only auditor" in refused[0].body["detail"]
    users = admin.request(MsgType.ADMIN_USERS_REQUEST).body["users"]
    assert [u["login"] for u in users if u["role"] == "auditor" and not u["disabled"]]


def test_demo_users_are_refused_by_a_start_without_the_demo_flag(
    service_factory: Callable[..., Service], caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 18, item 8: after one start with --demo-users, a later secure start without it
    still let admin/demo in. The demo's users (their hash says so) are refused, in the same
    words as a wrong password, and the backend says why in its log; a real user logs in."""
    service = service_factory(demo_users=False)  # the store holds the demo's users
    service.server.accounts.users.add("wangjg", "王建国", Role.SUPERVISOR,
                                      hash_password("zhihui2026shi", 10))  # fmt: skip
    with caplog.at_level(logging.WARNING, "backend.server"), service.client(staff=False) as c:
        for login in ("admin", "auditor", "supervisor", "P0001"):
            with pytest.raises(RequestError, match="login_failed"):
                c.log_in(login, DEMO_PASSWORD)
        assert c.log_in("wangjg", "zhihui2026shi").role == Role.SUPERVISOR
    assert "demo user admin refused: this backend was started without --demo-users" in caplog.text


# --- scope: whose cases (issue 18, item 2) ---------------------------------------------------

LIMITED = (Role.DEPARTMENT_HANDLER, Role.GRID_LEADER, Role.GRID_WORKER, Role.GRID_MEMBER)
"""The roles whose scope is not the township: each is tried on a case outside it."""
CASE_REQUESTS = sorted(t for t, spec in REQUESTS.items() if spec.scope == Scope.CASE)


def _outside(refused: pytest.ExceptionInfo[RequestError]) -> bool:
    return refused.value.code == "not_allowed" and "outside your scope" in refused.value.detail


def _case_request(desk: Desk, role: Role, type_: str, incident: str, photo: int) -> Any:
    bodies: dict[str, dict[str, Any]] = {
        MsgType.DETAIL_REQUEST: {"incident": incident},
        MsgType.REVEAL_REQUEST: {"incident": incident},
        MsgType.ATTACHMENT_REQUEST: {"id": photo},
        MsgType.ATTACHMENT_ADD: {"incident": incident, "media_type": "image/png",
                                 "data": base64.b64encode(PNG).decode()},
    }  # fmt: skip
    return desk.clients[role].request(type_, bodies[type_])


def test_every_case_request_is_answered_inside_the_scope_and_refused_outside_it(
    desk: Desk,
) -> None:
    """Each role × each request on one case (a command's matrix is the next test), on a case
    inside its scope and one outside: the township's roles reach both, the others only theirs.
    A department handler revealed another department's resident before."""
    home = desk.incident_at(PATH[S.DISPATCHED])
    away = desk.incident_at(PATH[S.DISPATCHED], away=True)
    supervisor = desk.clients[Role.SUPERVISOR]
    photos = {i: supervisor.add_attachment(i, "image/png", PNG).body["attachment"]["id"]
              for i in (home, away)}  # fmt: skip
    assert set(CASE_REQUESTS) - {MsgType.COMMAND} == {
        MsgType.DETAIL_REQUEST, MsgType.REVEAL_REQUEST, MsgType.ATTACHMENT_REQUEST,
        MsgType.ATTACHMENT_ADD,
    }  # fmt: skip
    for type_ in CASE_REQUESTS:
        if type_ == MsgType.COMMAND:
            continue
        for role in desk.clients:
            if role not in ACCESS[type_]:
                continue
            for case in (home, away):
                if role in LIMITED and case == away:
                    with pytest.raises(RequestError) as refused:
                        _case_request(desk, role, type_, case, photos[case])
                    assert _outside(refused), (role, type_, refused.value)
                elif role == Role.GATEWAY:  # it adds the photos of what it relays, anywhere
                    assert _case_request(desk, role, type_, case, photos[case]).type != "error"
                else:
                    answer = _case_request(desk, role, type_, case, photos[case])
                    assert answer.type != MsgType.ERROR, (role, type_, case == home)
    refusals = [e for e in desk.service.store.audit() if e.result == "not_allowed"]
    assert refusals and all(e.subject != "13812345678" for e in refusals)
    # A photo that does not exist is answered as one outside the scope: ids tell nothing.
    for role in LIMITED:
        with pytest.raises(RequestError) as refused:
            desk.clients[role].request(MsgType.ATTACHMENT_REQUEST, {"id": 10**9})
        assert _outside(refused), role


@pytest.mark.parametrize(
    "action",
    sorted(a for a in CLIENT_ACTIONS if any(r in RULES[a].roles for r in LIMITED)),
)
def test_every_command_outside_the_scope_is_refused_to_each_role_that_may_give_it(
    desk: Desk, action: Action
) -> None:
    """The other half of the command matrix (the first: every role inside its scope, above).
    A department handler started, extended and replied on another department's case, and a
    grid leader passed up another village's case."""
    limited = [r for r in LIMITED if r in RULES[action].roles]
    away = desk.incident_at(_steps_to(action), away=True)
    for role in limited:
        with pytest.raises(RequestError) as refused:
            desk.command(role, away, action)
        assert _outside(refused), (role, action, refused.value)
    trail = [(e.role, e.result) for e in desk.service.store.audit()
             if e.what == f"command.{action.value}" and e.subject == away]  # fmt: skip
    assert {r for r, result in trail if result == "not_allowed"} == {r.value for r in limited}


class Heard:
    """What one login's stream carried: incidents by id with their last state, and those it
    said left its scope."""

    def __init__(self, sub: zmq.Socket[bytes]) -> None:
        self.sub = sub
        self.states: dict[str, str] = {}
        self.left: set[str] = set()

    def until(self, done: Callable[[Heard], bool]) -> Heard:
        def more() -> bool:
            while self.sub.poll(0):
                msg = decode(self.sub.recv_multipart()[1])
                if msg.type == MsgType.INCIDENT_LEFT:
                    self.left.add(msg.body["incident"]["id"])
                else:
                    self.states[msg.body["incident"]["id"]] = msg.body["incident"]["state"]
            return done(self)

        wait_for(more, what="the stream's updates")
        return self


def test_each_login_is_sent_only_the_cases_its_scope_covers_in_its_snapshot_and_stream(
    desk: Desk,
) -> None:
    """The snapshot and the update stream of every role's login, for cases inside and outside
    its scope; a case dispatched out of a department's reaches its handler as `incident.left`
    and is gone from the next snapshot. A grid leader's desk showed all 55 villages before."""
    heard = {
        r: Heard(desk.service.subscriber(c.login, (b"incident.",))) for r, c in desk.clients.items()
    }
    worker = desk.clients[Role.GRID_WORKER]
    assert worker.login is not None
    own = dataclasses.replace(desk.report(grid=AWAY_GRID), id=str(uuid.uuid4()),
                              channel=Channel.GRID_APP, reporter=worker.login.name)  # fmt: skip
    worker.submit_report(own)
    cases = {
        "home": desk.incident_at(PATH[S.DISPATCHED]),
        "away": desk.incident_at(PATH[S.DISPATCHED], away=True),
        "village": desk.report(grid=TOWNSHIP.grids["V01G2"]).id,
        "own": own.id,
    }
    sees = {
        Role.DEPARTMENT_HANDLER: {"home"},
        Role.GRID_LEADER: {"home", "village"},
        Role.GRID_WORKER: {"home", "own"},
        Role.GRID_MEMBER: {"home"},
        Role.GATEWAY: set(),
    }
    everything = set(cases.values())
    # The last change, on a case every login but the gateway's sees: each stream carries what
    # came before it by the time it carries this.
    desk.command(Role.DEPARTMENT_HANDLER, cases["home"], Action.START)
    for role, client in desk.clients.items():
        expected = {cases[k] for k in sees.get(role, set(cases))}
        if role in ACCESS[MsgType.SNAPSHOT_REQUEST]:
            _seq, snapshot = client.snapshot()
            assert {i["id"] for i in snapshot} & everything == expected, role
        if role != Role.GATEWAY:
            heard[role].until(lambda h: h.states.get(cases["home"]) == "in_progress")
            assert set(heard[role].states) & everything == expected, role
    assert not heard[Role.GATEWAY].until(lambda _h: True).states
    # Misassigned: the handler sends a case back (退回), the supervisor dispatches it elsewhere.
    handler, moved = heard[Role.DEPARTMENT_HANDLER], desk.incident_at(PATH[S.DISPATCHED])
    desk.command(Role.DEPARTMENT_HANDLER, moved, Action.RETURN)
    handler.until(lambda h: h.states.get(moved) == "returned")
    desk.command(Role.SUPERVISOR, moved, Action.DISPATCH, department=AWAY_DEPARTMENT)
    handler.until(lambda h: moved in h.left)
    _seq, snapshot = desk.clients[Role.DEPARTMENT_HANDLER].snapshot()
    assert moved not in {i["id"] for i in snapshot}
    for h in heard.values():
        h.sub.close()


def test_a_grid_role_reports_on_the_grid_app_only_and_as_themselves(desk: Desk) -> None:
    """A grid worker reported under another person's name on the enforcement, camera, hotline
    and resident app channels (only the grid app's was checked)."""
    worker = desk.clients[Role.GRID_WORKER]
    assert worker.login is not None
    for channel in sorted(set(Channel) - {Channel.GRID_APP}):
        report = dataclasses.replace(desk.report(), id=str(uuid.uuid4()), channel=channel,
                                     reporter="别人")  # fmt: skip
        with pytest.raises(RequestError, match="on the grid app"):
            worker.request(MsgType.REPORT_SUBMIT, report.to_wire())
