"""The incident loop: every rule, every illegal move, and a state machine that tries them all."""

from __future__ import annotations

import collections
import dataclasses
import random

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from backend.demo.reporter import make_demo_report
from domain.deadlines import DeadlineRules, Stage
from domain.incident import Incident, IncidentState, Level
from domain.lifecycle import (
    CLIENT_ACTIONS,
    RULES,
    Action,
    Change,
    Command,
    ErrorCode,
    LifecycleError,
    allowed_actions,
    apply,
    new_incident,
)
from domain.township import Role, load_demo_township

S = IncidentState
TOWNSHIP = load_demo_township()
DEADLINES = DeadlineRules.load()
T0 = 1_795_000_000.0  # a Tuesday, 2026-11-17 14:13 in the township
GOOD_ARGS: dict[Action, dict[str, object]] = {
    Action.SETTLE: {"note": "村里调解好了"},
    Action.REJECT: {"reason": "不属于受理范围"},
    Action.DISPATCH: {"department": "sifasuo"},
    Action.RETURN: {"reason": "不属本部门职责"},
    Action.REQUEST_EXTENSION: {"duration": "1wd", "reason": "需要协调"},
    Action.DENY_EXTENSION: {"reason": "时限足够"},
    Action.REPLY: {"note": "已处置"},
    Action.REOPEN: {"reason": "现场核查未解决"},
    Action.EVALUATE: {"score": 4},
    Action.PARK: {"reason": "长期问题"},
    Action.ESCALATE: {"reason": "跨平台协调"},
    Action.URGE: {"note": "请今日内办结"},
    Action.MERGE: {"target": "other"},
}
NO_CLOCK = {S.VERIFIED, S.CLOSED, S.REJECTED, S.EVALUATED, S.PARKED, S.MERGED}


def fresh(seed: int = 0) -> Incident:
    report = make_demo_report(random.Random(seed), TOWNSHIP, {}, now=T0)
    return new_incident(report, seed + 1, T0, DEADLINES)


def run(incident: Incident, action: Action, role: Role, now: float = T0 + 60) -> Incident:
    command = Command(
        incident.id, action, incident.version, "测试", role, GOOD_ARGS.get(action, {})
    )
    return apply(incident, command, now, DEADLINES, TOWNSHIP)[0]


def replay(first: Incident, changes: list[Change]) -> Incident:
    incident = first
    for c in changes:
        command = Command(
            c.incident, Action(c.action), c.version - 1, c.actor, Role(c.role), c.args
        )
        incident, again = apply(incident, command, c.at, DEADLINES, TOWNSHIP)
        assert again == c
    return incident


def test_the_main_path_through_the_loop() -> None:
    i = fresh()
    assert (i.state, i.stage, i.level) == (S.REPORTED, "accept", Level.VILLAGE)
    path = [
        (Action.PASS_UP, Role.GRID_LEADER, S.PASSED_UP),
        (Action.ACCEPT, Role.SUPERVISOR, S.ACCEPTED),
        (Action.DISPATCH, Role.SUPERVISOR, S.DISPATCHED),
        (Action.START, Role.DEPARTMENT_HANDLER, S.IN_PROGRESS),
        (Action.REPLY, Role.DEPARTMENT_HANDLER, S.REPLIED),
        (Action.VERIFY, Role.GRID_WORKER, S.VERIFIED),
        (Action.CLOSE, Role.SUPERVISOR, S.CLOSED),
        (Action.EVALUATE, Role.SUPERVISOR, S.EVALUATED),
    ]
    for n, (action, role, state) in enumerate(path, start=2):
        i = run(i, action, role)
        assert i.state == state and i.version == n
    assert i.department == "sifasuo" and i.platform == "zongzhi" and i.score == 4
    assert i.level == Level.TOWN_PLATFORM and i.closed_at is not None


def test_small_matters_stay_in_the_village() -> None:
    i = run(fresh(), Action.SETTLE, Role.GRID_LEADER)
    assert i.state == S.CLOSED and i.settled_in_village and i.level == Level.VILLAGE
    reopened = run(i, Action.REOPEN, Role.GRID_WORKER)
    assert reopened.state == S.ACCEPTED and reopened.stage == "dispatch"
    assert not reopened.settled_in_village and reopened.reopened == 1


@pytest.mark.parametrize("action", sorted(CLIENT_ACTIONS))
@pytest.mark.parametrize("state", list(S))
def test_every_action_is_illegal_outside_its_states(action: Action, state: S) -> None:
    rule = RULES[action]
    if state in rule.from_states:
        return
    incident = dataclasses.replace(fresh(), state=state)
    role = next(iter(rule.roles))
    with pytest.raises(LifecycleError) as info:
        run(incident, action, role)
    assert info.value.code == ErrorCode.ILLEGAL_TRANSITION
    assert state.value in info.value.detail


@pytest.mark.parametrize("action", sorted(CLIENT_ACTIONS))
def test_every_action_names_its_roles(action: Action) -> None:
    rule = RULES[action]
    state = next(iter(rule.from_states))
    incident = dataclasses.replace(fresh(), state=state, extension_requested="1wd")
    for role in set(Role) - rule.roles:
        with pytest.raises(LifecycleError) as info:
            run(incident, action, role)
        assert info.value.code == ErrorCode.NOT_ALLOWED, (action, role)


def test_the_backend_alone_records_overdue() -> None:
    with pytest.raises(LifecycleError) as info:
        run(fresh(), Action.OVERDUE, Role.SUPERVISOR)
    assert info.value.code == ErrorCode.NOT_ALLOWED
    assert Action.OVERDUE not in CLIENT_ACTIONS


def test_a_stale_version_is_refused_with_the_reason() -> None:
    i = fresh()
    command = Command(i.id, Action.ACCEPT, i.version + 1, "x", Role.SUPERVISOR)
    with pytest.raises(LifecycleError) as info:
        apply(i, command, T0, DEADLINES)
    assert info.value.code == ErrorCode.STALE_VERSION
    assert "changed since you saw it" in info.value.detail


@pytest.mark.parametrize(
    ("action", "args", "field"),
    [
        (Action.REJECT, {}, "reason"),
        (Action.REJECT, {"reason": "  "}, "reason"),
        (Action.MERGE, {"target": None}, "target"),
    ],
)
def test_required_arguments(action: Action, args: dict[str, object], field: str) -> None:
    i = fresh()
    with pytest.raises(LifecycleError, match=field):
        apply(i, Command(i.id, action, 1, "x", Role.SUPERVISOR, args), T0, DEADLINES)


def test_dispatch_checks_the_department_and_derives_the_platform() -> None:
    i = run(fresh(), Action.ACCEPT, Role.SUPERVISOR)
    bad = Command(i.id, Action.DISPATCH, i.version, "x", Role.SUPERVISOR, {"department": "nasa"})
    with pytest.raises(LifecycleError, match="unknown department"):
        apply(i, bad, T0, DEADLINES, TOWNSHIP)
    town = load_demo_township("1+4")
    good = Command(
        i.id, Action.DISPATCH, i.version, "x", Role.SUPERVISOR, {"department": "sifasuo"}
    )
    assert apply(i, good, T0, DEADLINES, town)[0].platform == "pingan"


def test_an_explicit_dispatch_deadline_wins_over_the_preset() -> None:
    i = run(fresh(), Action.ACCEPT, Role.SUPERVISOR)
    args = {"department": "sifasuo", "deadline": "2h"}
    after, _ = apply(
        i, Command(i.id, Action.DISPATCH, i.version, "x", Role.SUPERVISOR, args), T0, DEADLINES
    )
    assert after.stage == "handle" and after.stage_due == T0 + 7200
    assert after.stage_duration == "2h"


def test_extension_moves_the_deadline_and_needs_a_request() -> None:
    i = run(
        run(run(fresh(), Action.ACCEPT, Role.SUPERVISOR), Action.DISPATCH, Role.SUPERVISOR),
        Action.START,
        Role.DEPARTMENT_HANDLER,
    )
    with pytest.raises(LifecycleError, match="no extension request"):
        run(i, Action.APPROVE_EXTENSION, Role.SUPERVISOR)
    asked = run(i, Action.REQUEST_EXTENSION, Role.DEPARTMENT_HANDLER)
    assert asked.extension_requested == "1wd"
    with pytest.raises(LifecycleError, match="already has an extension request"):
        run(asked, Action.REQUEST_EXTENSION, Role.DEPARTMENT_HANDLER)
    granted = run(asked, Action.APPROVE_EXTENSION, Role.SUPERVISOR)
    assert granted.stage_due is not None and i.stage_due is not None
    assert granted.stage_due > i.stage_due and granted.extension_requested is None


def test_escalation_climbs_one_level_at_a_time_up_to_a_task_force() -> None:
    i = run(fresh(), Action.ACCEPT, Role.SUPERVISOR)
    levels = []
    for _ in range(2):
        i = run(i, Action.ESCALATE, Role.SUPERVISOR)
        levels.append(i.level)
    assert levels == [Level.CROSS_PLATFORM, Level.TASK_FORCE]
    with pytest.raises(LifecycleError, match="task force"):
        run(i, Action.ESCALATE, Role.SUPERVISOR)


def test_overdue_is_noted_once_and_escalates_handling_by_rule() -> None:
    i = run(run(fresh(), Action.ACCEPT, Role.SUPERVISOR), Action.DISPATCH, Role.SUPERVISOR)
    assert i.stage == Stage.HANDLE
    late = run(i, Action.OVERDUE, Role.SYSTEM)
    assert late.overdue_noted and late.level == Level.CROSS_PLATFORM
    with pytest.raises(LifecycleError):
        run(late, Action.OVERDUE, Role.SYSTEM)
    accepting = run(fresh(), Action.OVERDUE, Role.SYSTEM)
    assert accepting.level == Level.VILLAGE, "only the handle stage escalates by default"


def test_allowed_actions_match_apply() -> None:
    i = fresh()
    for role in Role:
        for action in allowed_actions(i, role):
            run(i, action, role)


class IncidentLoop(RuleBasedStateMachine):
    """Random commands from random roles: the loop never reaches a state it should not."""

    def __init__(self) -> None:
        super().__init__()
        self.first: dict[str, Incident] = {}
        self.current: dict[str, Incident] = {}
        self.log: dict[str, list[Change]] = {}
        self.now = T0

    @rule(seed=st.integers(0, 10_000))
    def report(self, seed: int) -> None:
        i = fresh(seed)
        if i.id not in self.current:
            self.first[i.id] = self.current[i.id] = i
            self.log[i.id] = []

    @precondition(lambda self: bool(self.current))
    @rule(
        pick=st.integers(0, 10_000),
        action=st.sampled_from(sorted(Action)),
        role=st.sampled_from(list(Role)),
        good_args=st.booleans(),
        minutes=st.integers(0, 3 * 24 * 60),
        stale=st.booleans(),
    )
    def command(
        self, pick: int, action: Action, role: Role, good_args: bool, minutes: int, stale: bool
    ) -> None:
        ids = sorted(self.current)
        before = self.current[ids[pick % len(ids)]]
        args = dict(GOOD_ARGS.get(action, {})) if good_args else {}
        self.now += minutes * 60
        version = before.version - 1 if stale else before.version
        command = Command(before.id, action, version, "测试", role, args)
        try:
            after, change = apply(before, command, self.now, DEADLINES, TOWNSHIP)
        except LifecycleError as e:
            assert e.detail  # noqa: PT017 - every refusal says why
            return
        assert not stale
        rule_ = RULES[action]
        assert before.state in rule_.from_states and role in rule_.roles
        assert after.version == before.version + 1
        assert list(Level).index(after.level) >= list(Level).index(before.level)
        self.current[before.id] = after
        self.log[before.id].append(change)

    @precondition(lambda self: bool(self.current))
    @rule(pick=st.integers(0, 10_000), choice=st.integers(0, 100), minutes=st.integers(0, 600))
    def legal_command(self, pick: int, choice: int, minutes: int) -> None:
        """A move the rules allow, so that runs reach the far end of the loop."""
        ids = sorted(self.current)
        before = self.current[ids[pick % len(ids)]]
        options = [(a, r) for r in Role for a in allowed_actions(before, r)]
        if not options:
            return
        action, role = sorted(options)[choice % len(options)]
        args = dict(GOOD_ARGS.get(action, {}))
        self.now += minutes * 60
        command = Command(before.id, action, before.version, "测试", role, args)
        after, change = apply(before, command, self.now, DEADLINES, TOWNSHIP)
        REACHED[after.state] += 1
        self.current[before.id] = after
        self.log[before.id].append(change)

    @invariant()
    def states_are_consistent(self) -> None:
        for i in self.current.values():
            assert (i.stage is None) == (i.state in NO_CLOCK), (i.state, i.stage)
            if i.stage is not None:
                assert i.stage_due is not None and i.stage_started_at is not None
            if i.state in (S.DISPATCHED, S.IN_PROGRESS, S.REPLIED):
                assert i.department is not None and i.platform is not None
            assert (i.state == S.MERGED) == (i.merged_into is not None)
            assert (i.score is not None) == (i.state == S.EVALUATED)
            if i.state == S.CLOSED:
                assert i.closed_at is not None

    @invariant()
    def replaying_the_log_reproduces_the_incident(self) -> None:
        for incident_id, changes in self.log.items():
            assert replay(self.first[incident_id], changes) == self.current[incident_id]


REACHED: collections.Counter[IncidentState] = collections.Counter()
TestIncidentLoop = pytest.mark.slow(IncidentLoop.TestCase)
TestIncidentLoop.settings = settings(max_examples=150, stateful_step_count=60, deadline=None)


@pytest.mark.parametrize(
    ("duration", "kept"),
    [("60wd", True), ("2160h", True), ("61wd", False), ("999wd", False), ("0wd", False)],
)
def test_an_extension_is_at_most_a_quarter(duration: str, kept: bool) -> None:
    case = fresh(3)
    for action, role in ((Action.PASS_UP, Role.GRID_LEADER), (Action.ACCEPT, Role.SUPERVISOR),
                         (Action.DISPATCH, Role.SUPERVISOR),
                         (Action.START, Role.DEPARTMENT_HANDLER)):  # fmt: skip
        case = run(case, action, role)
    wanted = {"duration": duration, "reason": "需要协调"}
    asked = Command(case.id, Action.REQUEST_EXTENSION, case.version, "测试",
                    Role.DEPARTMENT_HANDLER, wanted)  # fmt: skip
    if kept:
        assert apply(case, asked, T0 + 120, DEADLINES, TOWNSHIP)[0].extension_requested
    else:
        with pytest.raises(LifecycleError, match="quarter"):
            apply(case, asked, T0 + 120, DEADLINES, TOWNSHIP)
