"""What the demo's staff do next with a case, and when: the township's own people, at the pace
its deadlines set, a few of them late. Plain rules on (incident, time), no clock of its own,
so the replayed day and the live demo behave alike. The model is described in
docs/demo.md.

Each case's fate (settled in the village, sent up, turned away) is drawn from its id and each
step's timing from (id, version): a restarted demo plans the same day again.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from domain.deadlines import DeadlineRules, Duration
from domain.incident import Channel, Incident, IncidentState, Urgency
from domain.lifecycle import Action
from domain.township import Role, Township

S = IncidentState
MINUTE, HOUR = 60.0, 3600.0
VILLAGE_HOURS = (7.0, 21.0)
"""When a village's grid leader answers the app; out of them the command room takes a report
up itself."""
SETTLE_SHARE = {Channel.GRID_APP: 0.55, Channel.CAMERA: 0.3, Channel.ENFORCEMENT: 0.3}
"""Of a channel's normal reports, the share settled in the village (小事不出村); residents'
and the hotline's, 0.2."""
REJECT_SHARE = 0.04
LATE_SHARE = {"accept": 0.015, "dispatch": 0.015, "handle": 0.08, "verify": 0.05}
"""Of the cases at each stage, the share whose step comes after the deadline."""
RETURN_SHARE = 0.03
STUCK_SHARE = (0.04, 0.01)
"""Of the urgent and the normal cases in handling, the share that runs past the whole case's
deadline (an urgent case's is days, not weeks: the tight ones are missed more often)."""
SCORES = {5: 55, 4: 32, 3: 9, 2: 3, 1: 1}
SETTLE_NOTES = (
    "已现场处置完毕", "经村调解,双方达成一致", "已通知责任人整改到位", "网格员已协调解决",
)  # fmt: skip
REPLY_NOTES = (
    "已按要求处置完毕,附现场照片", "已现场整改,群众满意", "已约谈当事人并限期整改", "已修复",
)  # fmt: skip
REJECT_REASON = "不属于本镇受理范围,已告知反映人向有关部门反映"
RETURN_REASON = "非本部门职责,请重新派遣"
DISPATCH_OPINION = "请按时限处置并反馈,附现场照片"
URGE_NOTE = "已超期,请于今日内处置完毕并反馈"


@dataclass(frozen=True, slots=True)
class Step:
    at: float
    action: Action
    person: str  # the person's code: the demo acts under that person's login
    role: Role
    args: dict[str, Any] = field(default_factory=dict)


class DemoStaff:
    """The township's people who move the demo's cases: never the people behind the desk's
    logins (`desk`), whose cases wait for the person at the desk or are taken up by the
    command room a while after their deadline."""

    def __init__(
        self, township: Township, rules: DeadlineRules, desk: Iterable[str], speed: float = 1.0
    ) -> None:
        """`speed`: the staff act this many times sooner than the deadlines make them (a
        quick demo, a test)."""
        self.township = township
        self.rules = rules
        self.desk = frozenset(desk)
        self.speed = speed
        people = sorted(township.people.values(), key=lambda p: p.code)
        self.supervisors = [p.code for p in people if p.role == Role.SUPERVISOR]
        self.supervisors = [c for c in self.supervisors if c not in self.desk] or self.supervisors

    def next_step(self, incident: Incident) -> Step | None:
        """The next step of a case, or None when the demo leaves it (done, parked, or waiting
        for the person at the desk)."""
        rng = random.Random(f"{incident.id}:{incident.version}")
        step = self._plan(incident, rng)
        if step is None or self.speed == 1.0:
            return step
        start = incident.updated_at
        return Step(start + (step.at - start) / self.speed, *_rest(step))

    def name(self, person: str) -> str:
        return self.township.people[person].name

    # --- the plan ----------------------------------------------------------------------------

    def _plan(self, i: Incident, rng: random.Random) -> Step | None:
        fate = random.Random(i.id).random()
        supervisor = self.supervisors[int(fate * 1000) % len(self.supervisors)]
        match i.state:
            case S.REPORTED:
                return self._first_look(i, rng, fate, supervisor)
            case S.PASSED_UP:
                if fate < REJECT_SHARE:
                    return self._on_stage(i, rng, "accept", Action.REJECT, supervisor,
                                          reason=REJECT_REASON)  # fmt: skip
                return self._on_stage(i, rng, "accept", Action.ACCEPT, supervisor)
            case S.ACCEPTED | S.RETURNED:
                department = self.township.categories[i.category].department
                if i.state == S.RETURNED:  # the other department the category may go to
                    department = self._other_department(department, rng)
                return self._on_stage(i, rng, "dispatch", Action.DISPATCH, supervisor,
                                      department=department, opinion=DISPATCH_OPINION)  # fmt: skip
            case S.DISPATCHED:
                return self._take_up(i, rng)
            case S.IN_PROGRESS:
                return self._handling(i, rng, supervisor)
            case S.REPLIED:
                return self._on_stage(i, rng, "verify", Action.VERIFY, self._verifier(i))
            case S.VERIFIED:
                return self._step(i.updated_at + rng.uniform(10, 90) * MINUTE, Action.CLOSE,
                                  supervisor)  # fmt: skip
            case S.CLOSED:
                score = rng.choices(list(SCORES), weights=list(SCORES.values()))[0]
                return self._step(i.updated_at + rng.uniform(1, 20) * HOUR, Action.EVALUATE,
                                  supervisor, score=score)  # fmt: skip
        return None

    def _first_look(
        self, i: Incident, rng: random.Random, fate: float, supervisor: str
    ) -> Step | None:
        """A report: settled or sent up by its village, or, at night or when the village is
        the desk's, taken up by the command room."""
        grid = self.township.grids.get(i.grid or "")
        leader = grid.leader if grid else None
        awake = _in_hours(i.received_at, self.rules, VILLAGE_HOURS)
        if leader is None or leader in self.desk or not awake:
            late = leader in self.desk
            return self._on_stage(i, rng, "accept", Action.ACCEPT, supervisor, chased=late)
        settle = SETTLE_SHARE.get(i.channel, 0.2) if i.urgency == Urgency.NORMAL else 0.0
        if fate >= 1 - settle:
            return self._step(i.received_at + rng.uniform(4, 25) * MINUTE, Action.SETTLE, leader,
                              note=rng.choice(SETTLE_NOTES))  # fmt: skip
        if fate < REJECT_SHARE:
            return self._on_stage(i, rng, "accept", Action.REJECT, supervisor,
                                  reason=REJECT_REASON)  # fmt: skip
        return self._on_stage(i, rng, "accept", Action.PASS_UP, leader)

    def _handling(self, i: Incident, rng: random.Random, supervisor: str) -> Step | None:
        """The reply; a late one is urged on (督办) by the command room first, and comes a
        few hours after the urging."""
        handler = self._handler(i.department)
        if handler is None:
            return None
        note = rng.choice(REPLY_NOTES)
        due = i.stage_due or i.updated_at
        stuck = STUCK_SHARE[i.urgency == Urgency.NORMAL]
        if random.Random(f"{i.id}:stuck").random() < stuck and i.case_due is not None:
            late = max(due, i.case_due) + rng.uniform(12, 72) * HOUR  # urging does not help
            reply = self._step(late, Action.REPLY, handler, note=note)
        elif i.urged and i.updated_at > due:
            return self._step(i.updated_at + rng.uniform(0.5, 6) * HOUR, Action.REPLY, handler,
                              note=note)  # fmt: skip
        else:
            reply = self._on_stage(i, rng, "handle", Action.REPLY, handler, note=note)
        urge_at = due + rng.uniform(1, 4) * HOUR
        if reply.at > urge_at and i.urged < 2:
            return self._step(urge_at, Action.URGE, supervisor, note=URGE_NOTE)
        return reply

    def _take_up(self, i: Incident, rng: random.Random) -> Step | None:
        handler = self._handler(i.department)
        if handler is None:
            return None
        if rng.random() < RETURN_SHARE and i.reopened == 0:
            return self._at_fraction(i, rng.uniform(0.02, 0.1), Action.RETURN, handler,
                                     reason=RETURN_REASON)  # fmt: skip
        return self._at_fraction(i, rng.uniform(0.01, 0.1), Action.START, handler)

    def _on_stage(
        self,
        i: Incident,
        rng: random.Random,
        stage: str,
        action: Action,
        person: str,
        chased: bool = False,
        **args: Any,
    ) -> Step:
        late = chased or rng.random() < LATE_SHARE[stage]
        longest = 3.0 if stage == "handle" else 1.8  # a stuck case, or a slow pick-up
        fraction = rng.uniform(1.1, longest) if late else rng.uniform(0.1, 0.75)
        return self._at_fraction(i, fraction, action, person, **args)

    def _at_fraction(
        self, i: Incident, fraction: float, action: Action, person: str, **args: Any
    ) -> Step:
        """At `fraction` of the running stage's time (working time if the stage counts it)."""
        start = i.stage_started_at if i.stage_started_at is not None else i.updated_at
        due = i.stage_due if i.stage_due is not None else start + HOUR
        working = i.stage_duration is not None and Duration.parse(i.stage_duration).working
        if working:
            span = self.rules.calendar.working_minutes_between(start, due)
            at = self.rules.calendar.add_working_minutes(start, fraction * span)
        else:
            at = start + fraction * (due - start)
        return self._step(max(at, i.updated_at + 30), action, person, **args)

    def _step(self, at: float, action: Action, person: str, **args: Any) -> Step:
        return Step(at, action, person, self.township.people[person].role, dict(args))

    def _handler(self, department: str | None) -> str | None:
        dept = self.township.departments.get(department or "")
        if dept is None:
            return None
        return next((h for h in dept.handlers if h not in self.desk), None)

    def _verifier(self, i: Incident) -> str:
        grid = self.township.grids.get(i.grid or "")
        candidates = [*(grid.workers if grid else ()), *([grid.leader] if grid else [])]
        for person in candidates:
            if person not in self.desk:
                return person
        return self.supervisors[0]

    def _other_department(self, department: str, rng: random.Random) -> str:
        others = sorted(d for d in self.township.departments if d != department)
        return rng.choice(others) if others else department


def _rest(step: Step) -> tuple[Action, str, Role, dict[str, Any]]:
    return step.action, step.person, step.role, step.args


def _in_hours(t: float, rules: DeadlineRules, hours: tuple[float, float]) -> bool:
    local = dt.datetime.fromtimestamp(t, rules.calendar.tz)
    hour = local.hour + local.minute / 60
    return hours[0] <= hour < hours[1]
