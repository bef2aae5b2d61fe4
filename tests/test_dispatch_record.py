"""The dispatch record and 督办 (issue 20, item 6): a dispatch says to whom, by when, with
whom assisting and with which opinion; urging a department is an action of its own, on the
record, shown to the department and counted in its evaluation."""

from __future__ import annotations

import random
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from backend.demo.reporter import make_demo_report
from console.labels import action_label
from console.widgets.incident_detail import IncidentDetail
from domain.deadlines import DeadlineRules
from domain.evaluation import evaluate
from domain.incident import Incident, IncidentState
from domain.lifecycle import Action, Command, ErrorCode, LifecycleError, apply, new_incident
from domain.township import Role, load_demo_township

TOWNSHIP = load_demo_township()
RULES = DeadlineRules.load()
T0 = 1_796_000_000.0


def _step(i: Incident, action: Action, role: Role, at: float, **args: Any) -> Incident:
    after, _change = apply(
        i, Command(i.id, action, i.version, "某人", role, args), at, RULES, TOWNSHIP
    )
    return after


def _accepted() -> Incident:
    report = make_demo_report(random.Random(2), TOWNSHIP, {}, now=T0)
    fresh = new_incident(report, 7, T0, RULES)
    return _step(fresh, Action.ACCEPT, Role.SUPERVISOR, T0 + 60)


def test_a_dispatch_records_its_assisting_departments_and_opinion() -> None:
    i = _accepted()
    args = {"department": "jiansheban", "assisting": ["sifasuo", "paichusuo"],
            "opinion": "请会同司法所、派出所处理", "deadline": "3wd"}  # fmt: skip
    command = Command(i.id, Action.DISPATCH, i.version, "朱永明", Role.SUPERVISOR, args)
    after, change = apply(i, command, T0 + 120, RULES, TOWNSHIP)
    assert after.department == "jiansheban" and after.state == IncidentState.DISPATCHED
    assert change.args["assisting"] == ["sifasuo", "paichusuo"]
    assert change.args["opinion"] == "请会同司法所、派出所处理"


@pytest.mark.parametrize(
    "bad",
    [
        {"assisting": ["jiansheban"]},  # the lead department itself
        {"assisting": ["sifasuo", "sifasuo"]},
        {"assisting": ["nowhere"]},
        {"assisting": "sifasuo"},
        {"opinion": "长" * 501},
        {"opinion": 5},
    ],
)
def test_a_dispatch_record_that_makes_no_sense_is_refused(bad: dict[str, Any]) -> None:
    i = _accepted()
    args = {"department": "jiansheban", **bad}
    with pytest.raises(LifecycleError) as e:
        apply(i, Command(i.id, Action.DISPATCH, i.version, "x", Role.SUPERVISOR, args), 1, RULES,
              TOWNSHIP)  # fmt: skip
    assert e.value.code == ErrorCode.INVALID


@pytest.mark.parametrize(
    ("action", "args"),
    [
        (Action.PARK, {"reason": False}),  # found by a fresh pair of eyes: went through
        (Action.PARK, {"reason": 0}),
        (Action.PARK, {"reason": ["x"]}),
        (Action.PARK, {"reason": "等资金", "actor": "someone-else", "role": "leader"}),
        (Action.DISPATCH, {"department": "jiansheban", "foo": ["x"]}),
        (Action.DISPATCH, {"department": "jiansheban", "opinion": ["x"]}),
    ],
)
def test_a_needed_reason_is_text_and_no_argument_an_action_does_not_take_is_logged(
    action: Action, args: dict[str, Any]
) -> None:
    i = _accepted()
    with pytest.raises(LifecycleError) as e:
        apply(i, Command(i.id, action, i.version, "x", Role.SUPERVISOR, args), 1, RULES, TOWNSHIP)
    assert e.value.code == ErrorCode.INVALID


def test_urging_is_the_supervisors_on_a_case_being_worked_with_a_note() -> None:
    i = _step(_accepted(), Action.DISPATCH, Role.SUPERVISOR, T0 + 120, department="jiansheban")
    urged = _step(i, Action.URGE, Role.SUPERVISOR, T0 + 200, note="请今日内处置完毕")
    assert urged.urged == 1 and urged.state == i.state and urged.stage_due == i.stage_due
    for role, args, code in (
        (Role.DEPARTMENT_HANDLER, {"note": "x"}, ErrorCode.NOT_ALLOWED),
        (Role.SUPERVISOR, {}, ErrorCode.INVALID),
        (Role.SUPERVISOR, {"note": "长" * 501}, ErrorCode.INVALID),
        (Role.SUPERVISOR, {"note": 12345}, ErrorCode.INVALID),
    ):
        with pytest.raises(LifecycleError) as e:
            apply(urged, Command(i.id, Action.URGE, urged.version, "x", role, args), 1, RULES)
        assert e.value.code == code
    with pytest.raises(LifecycleError) as e:
        _step(_accepted(), Action.URGE, Role.SUPERVISOR, T0 + 200, note="x")  # not dispatched
    assert e.value.code == ErrorCode.ILLEGAL_TRANSITION


def test_urging_counts_in_the_departments_evaluation() -> None:
    i = _step(_accepted(), Action.DISPATCH, Role.SUPERVISOR, T0 + 120, department="jiansheban")
    command = Command(i.id, Action.URGE, i.version, "朱永明", Role.SUPERVISOR, {"note": "快"})
    after, change = apply(i, command, T0 + 300, RULES, TOWNSHIP)
    rows = evaluate([after], [change], T0 - 86_400, T0 + 86_400, "department", RULES.calendar.tz,
                    lambda _c: None, T0 + 400)["rows"]  # fmt: skip
    assert [(r["value"], r["urged"]) for r in rows] == [("jiansheban", 1)]


def test_the_timeline_says_to_whom_with_whom_and_by_when(qtbot: QtBot, chinese: None) -> None:
    detail = IncidentDetail(port=None)  # type: ignore[arg-type]  # no request is made here
    qtbot.addWidget(detail)
    detail.set_township(TOWNSHIP)
    change = {"at": T0, "action": "dispatch", "actor": "朱永明", "note": "",
              "args": {"department": "jiansheban", "assisting": ["sifasuo"],
                       "deadline": "3wd", "opinion": "请会同处理"}}  # fmt: skip
    line = detail._log_line(change)
    for words in ("派遣", "朱永明", "村镇建设办", "司法所", "3 个工作日", "请会同处理"):
        assert words in line, line
    urge = {"at": T0, "action": "urge", "actor": "朱永明", "note": "请今日内处置完毕", "args": {}}
    assert action_label("urge") in detail._log_line(urge) and action_label("urge") == "督办"
