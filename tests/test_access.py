"""Roles enforced by the backend, sent straight to it over real sockets (no console): the whole
role × request matrix and the whole role × command matrix, logins, sessions, masked personal
data and its audited reveal."""

from __future__ import annotations

import logging
import random
import subprocess
import sys
import time
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
from domain.incident import Channel, FieldReport, IncidentState
from domain.lifecycle import CLIENT_ACTIONS, RULES, Action
from domain.township import Role
from domain.wire import Message, MsgType, encode
from tests.helpers import wait_for
from tests.processes import REPO
from tests.services import TOWNSHIP, Service
from tests.test_lifecycle import GOOD_ARGS

S = IncidentState
LOGINS = {**ROLE_LOGINS, **{login: role for login, (_n, role) in SYSTEM_LOGINS.items()}}
"""One demo login per role a person logs in with."""
ARGS: dict[Action, dict[str, object]] = {
    a: args
    for a, args in GOOD_ARGS.items()
    if a != Action.MERGE  # merge: a test of its own
}
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
        self.seed = 0

    def close(self) -> None:
        for c in self.clients.values():
            c.close()

    def report(self, channel: Channel | None = None) -> FieldReport:
        self.seed += 1
        report = make_demo_report(random.Random(self.seed), TOWNSHIP, {})
        if channel is not None:
            import dataclasses

            report = dataclasses.replace(
                report, channel=channel, reporter="群众张某", reporter_phone="13812345678",
                reporter_id_number="330102199001011234",
            )  # fmt: skip
        self.clients[Role.GATEWAY].submit_report(report)
        return report

    def command(self, role: Role, incident: str, action: Action, **args: Any) -> Any:
        version = (
            self.clients[Role.SUPERVISOR]
            .request(MsgType.DETAIL_REQUEST, {"incident": incident})
            .body["incident"]["version"]
        )
        body = {"incident": incident, "action": action.value, "version": version,
                "args": {**ARGS.get(action, {}), **args}}  # fmt: skip
        return self.clients[role].request(MsgType.COMMAND, body)

    def incident_at(self, steps: list[tuple[Action, Role]]) -> str:
        incident = self.report().id
        for action, role in steps:
            self.command(role, incident, action)
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
    assert {MsgType.HELLO, MsgType.LOGIN} == PUBLIC


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
    import dataclasses

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
    a.log_in("duty", DEMO_PASSWORD)
    kept = b.log_in("supervisor", DEMO_PASSWORD)
    a.log_out()
    with pytest.raises(RequestError, match="not_logged_in"):
        a.request(MsgType.SNAPSHOT_REQUEST, login=Login("x" * 43, "", "", Role.DUTY_OFFICER, None))
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


def test_personal_data_is_masked_everywhere_and_revealed_only_by_an_audited_request(
    desk: Desk,
) -> None:
    sub = desk.service.subscriber()
    sub.setsockopt(zmq.SUBSCRIBE, b"metric.")
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
    with pytest.raises(RequestError, match="cannot disable themselves"):
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
