"""Commands, the action log and the queue query on a real SQLite file and a real PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command as alembic
from alembic.config import Config

from backend.store import MIGRATIONS, Store
from domain.incident import FieldReport, IncidentState, Urgency
from domain.lifecycle import Action, Command, ErrorCode, LifecycleError
from domain.township import Role, load_demo_township
from tests.helpers import demo_reports

TOWNSHIP = load_demo_township()


@pytest.fixture
def store(db_url: str) -> Store:
    s = Store(db_url)
    s.migrate()
    s.seed_township(TOWNSHIP)
    return s


def _reports(n: int, seed: int = 0) -> list[FieldReport]:
    """More urgent ones than the demo sends: the deadline rules differ by urgency."""
    return demo_reports(n, seed, urgent_share=0.3)


def _do(store: Store, incident_id: str, action: Action, role: Role, **args: object) -> None:
    current = store.get(incident_id)
    assert current is not None
    store.execute(Command(incident_id, action, current.version, "测试员", role, args), TOWNSHIP)


def test_a_command_changes_state_and_logs_in_one_transaction(store: Store) -> None:
    (report,) = _reports(1)
    incident, _ = store.intake(report)
    after, change = store.execute(
        Command(incident.id, Action.ACCEPT, 1, "带班领导", Role.SUPERVISOR), TOWNSHIP
    )
    assert after.state == IncidentState.ACCEPTED and after.version == 2
    assert store.get(incident.id) == after
    log = store.changes(incident.id)
    assert [c.action for c in log] == ["report", "accept"]
    assert log[-1] == change and change.from_state == "reported" and change.to_state == "accepted"


def test_stale_versions_and_illegal_moves_change_nothing(store: Store) -> None:
    (report,) = _reports(1)
    incident, _ = store.intake(report)
    _do(store, incident.id, Action.ACCEPT, Role.SUPERVISOR)
    with pytest.raises(LifecycleError) as stale:
        store.execute(Command(incident.id, Action.REJECT, 1, "x", Role.SUPERVISOR, {"reason": "r"}))
    assert stale.value.code == ErrorCode.STALE_VERSION
    with pytest.raises(LifecycleError) as illegal:
        store.execute(Command(incident.id, Action.CLOSE, 2, "x", Role.SUPERVISOR))
    assert illegal.value.code == ErrorCode.ILLEGAL_TRANSITION
    with pytest.raises(LifecycleError) as unknown:
        store.execute(Command("no-such-id", Action.ACCEPT, 1, "x", Role.SUPERVISOR))
    assert unknown.value.code == ErrorCode.UNKNOWN_INCIDENT
    assert store.action_count(incident.id) == 2
    current = store.get(incident.id)
    assert current is not None and current.state == IncidentState.ACCEPTED


def test_merge_needs_a_living_target(store: Store) -> None:
    a, b = (store.intake(r)[0] for r in _reports(2))
    with pytest.raises(LifecycleError, match="not another incident"):
        _do(store, a.id, Action.MERGE, Role.SUPERVISOR, target=a.id)
    _do(store, a.id, Action.MERGE, Role.SUPERVISOR, target=b.id)
    with pytest.raises(LifecycleError, match="cannot merge into"):
        _do(store, b.id, Action.MERGE, Role.SUPERVISOR, target=a.id)


def test_the_whole_loop_with_an_evaluation_and_replay(store: Store) -> None:
    (report,) = _reports(1, seed=4)
    incident, _ = store.intake(report)
    steps: list[tuple[Action, Role, dict[str, object]]] = [
        (Action.PASS_UP, Role.GRID_LEADER, {}),
        (Action.ACCEPT, Role.SUPERVISOR, {}),
        (Action.DISPATCH, Role.SUPERVISOR, {"department": "zhifazhongdui", "deadline": "2wd"}),
        (Action.RETURN, Role.DEPARTMENT_HANDLER, {"reason": "不属本部门"}),
        (
            Action.DISPATCH,
            Role.SUPERVISOR,
            {"department": "jiansheban", "assisting": ["sifasuo"], "opinion": "请会同司法所处理"},
        ),
        (Action.START, Role.DEPARTMENT_HANDLER, {}),
        (Action.URGE, Role.SUPERVISOR, {"note": "请今日内处置完毕"}),
        (
            Action.REQUEST_EXTENSION,
            Role.DEPARTMENT_HANDLER,
            {"duration": "1wd", "reason": "等材料"},
        ),
        (Action.APPROVE_EXTENSION, Role.SUPERVISOR, {}),
        (Action.ESCALATE, Role.SUPERVISOR, {"reason": "需要跨平台协调"}),
        (Action.REPLY, Role.DEPARTMENT_HANDLER, {"note": "已修复"}),
        (Action.REOPEN, Role.GRID_WORKER, {"reason": "现场未修好"}),
        (Action.START, Role.DEPARTMENT_HANDLER, {}),
        (Action.REPLY, Role.DEPARTMENT_HANDLER, {"note": "已再次修复"}),
        (Action.VERIFY, Role.GRID_WORKER, {}),
        (Action.CLOSE, Role.SUPERVISOR, {}),
        (Action.EVALUATE, Role.SUPERVISOR, {"score": 5, "satisfaction": 4, "comment": "满意"}),
    ]
    for action, role, args in steps:
        _do(store, incident.id, action, role, **args)
    final = store.get(incident.id)
    assert final is not None and final.state == IncidentState.EVALUATED
    assert final.department == "jiansheban" and final.reopened == 1 and final.score == 5
    assert final.urged == 1
    assert store.replay(incident.id, TOWNSHIP) == final
    assert store.action_count(incident.id) == len(steps) + 1


def test_group_commit_is_idempotent_within_and_across_batches(store: Store) -> None:
    reports = _reports(50)
    first = store.intake_many(reports + reports[:5])
    assert all(not isinstance(r, Exception) for r in first)
    assert sum(1 for r in first if not isinstance(r, Exception) and r[1]) == 50
    again = store.intake_many(reports[10:20])
    assert all(not isinstance(r, Exception) and not r[1] for r in again)
    assert len(store.incidents()) == 50
    assert sorted(i.number for i in store.incidents()) == list(range(1, 51))


def test_dispatch_queue_is_most_urgent_first_then_nearest_deadline(store: Store) -> None:
    for r in _reports(40, seed=7):
        store.intake(r)
    queue = store.dispatch_queue(limit=40)
    ranks = {Urgency.VERY_URGENT: 0, Urgency.URGENT: 1, Urgency.NORMAL: 2}
    keys = [(ranks[i.urgency], i.stage_due) for i in queue]
    assert keys == sorted(keys) and len(queue) == 40
    done = queue[0]
    _do(store, done.id, Action.REJECT, Role.SUPERVISOR, reason="重复")
    assert done.id not in {i.id for i in store.dispatch_queue(limit=40)}


def test_overdue_finds_late_stages_once(store: Store) -> None:
    (report,) = _reports(1)
    incident, _ = store.intake(report)
    assert incident.stage_due is not None
    assert store.overdue(incident.stage_due - 1) == []
    (late,) = store.overdue(incident.stage_due + 1)
    store.execute(Command(late.id, Action.OVERDUE, late.version, "system", Role.SYSTEM))
    assert store.overdue(incident.stage_due + 1) == []


def test_upgrading_a_0001_database_keeps_its_incidents(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old = Store(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with old.engine.begin() as connection:
        config.attributes["connection"] = connection
        alembic.upgrade(config, "0001")
    raw = sqlite3.connect(tmp_path / "old.sqlite3")
    raw.execute("INSERT INTO township VALUES ('t', '镇', 0, 0, '{}')")
    raw.execute("INSERT INTO village VALUES ('V01', '村', 0, 0)")
    raw.execute("INSERT INTO department VALUES ('d', '部门', '{}', '[]')")
    raw.execute("INSERT INTO category VALUES ('c', '类', '{}', 'd', 0, '[]')")
    raw.execute(
        "INSERT INTO incident VALUES ('a', 1, 'c', 'urgent', 'hotline', 'reported', '描述',"
        " 'V01', NULL, NULL, NULL, '某', 100.0, 101.0, 'digest', 1)"
    )
    raw.commit()
    raw.close()
    Store(url).migrate()
    incident = Store(url).get("a")
    assert incident is not None and incident.urgency == Urgency.URGENT and incident.version == 1
    (queued,) = Store(url).dispatch_queue()
    assert queued.id == "a"
