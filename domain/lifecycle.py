"""The incident loop: which action may move an incident from which state, by whom.

After DOMAIN.md and GB/T 30428: 上报 → (村内办结) or 上报镇级 → 受理 / 不予受理 → 派遣 →
处置 → 处置反馈 → 核查 → 结案 → 评价, with 退回, 延期, 挂账, 升级, 重新派遣 (reopen)
and 合并 on the side.
`apply()` is the only way a state changes, in the backend and in replay; it is a pure function
of (incident, command, time, rules), so replaying the action log reproduces the incident.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from domain.deadlines import DeadlineRules, Duration, Stage
from domain.incident import Channel, FieldReport, Incident, IncidentState, Level
from domain.township import Role, Township

S = IncidentState


class Action(StrEnum):
    PASS_UP = "pass_up"  # 上报镇级
    SETTLE = "settle"  # 村内办结
    ACCEPT = "accept"  # 受理
    REJECT = "reject"  # 不予受理
    DISPATCH = "dispatch"  # 派遣 (and 重新派遣 after a return)
    RETURN = "return"  # 退回
    START = "start"  # 开始处置
    REQUEST_EXTENSION = "request_extension"  # 申请延期
    APPROVE_EXTENSION = "approve_extension"
    DENY_EXTENSION = "deny_extension"
    REPLY = "reply"  # 处置反馈
    VERIFY = "verify"  # 核查通过
    REOPEN = "reopen"  # 核查不通过 / 重新办理
    CLOSE = "close"  # 结案
    EVALUATE = "evaluate"  # 评价
    PARK = "park"  # 挂账
    UNPARK = "unpark"
    ESCALATE = "escalate"  # 升级
    URGE = "urge"  # 督办: the command room presses the department, on the record
    MERGE = "merge"  # 合并重复件
    OVERDUE = "overdue"  # recorded by the backend's deadline sweep, never sent by a client
    REPORT = "report"  # the log's first row, written by intake; never a command


class ErrorCode(StrEnum):
    ILLEGAL_TRANSITION = "illegal_transition"
    NOT_ALLOWED = "not_allowed"
    STALE_VERSION = "stale_version"
    INVALID = "invalid"
    UNKNOWN_INCIDENT = "unknown_incident"


class LifecycleError(ValueError):
    def __init__(self, code: ErrorCode, detail: str) -> None:
        super().__init__(f"{code.value}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Rule:
    from_states: frozenset[IncidentState]
    to_state: IncidentState | None  # None: the state stays
    roles: frozenset[Role]
    needs: tuple[str, ...] = ()


def _r(froms: set[IncidentState], to: IncidentState | None, roles: set[Role], *needs: str) -> Rule:
    return Rule(frozenset(froms), to, frozenset(roles), needs)


R = Role
WORKING = {S.DISPATCHED, S.IN_PROGRESS}
OPEN_AT_TOWN = {
    S.PASSED_UP,
    S.ACCEPTED,
    S.RETURNED,
    S.DISPATCHED,
    S.IN_PROGRESS,
    S.REPLIED,
    S.VERIFIED,
    S.PARKED,
}
RULES: dict[Action, Rule] = {
    Action.PASS_UP: _r({S.REPORTED}, S.PASSED_UP, {R.GRID_LEADER}),
    Action.SETTLE: _r({S.REPORTED}, S.CLOSED, {R.GRID_LEADER}, "note"),
    Action.ACCEPT: _r({S.REPORTED, S.PASSED_UP}, S.ACCEPTED, {R.SUPERVISOR}),
    Action.REJECT: _r({S.REPORTED, S.PASSED_UP}, S.REJECTED, {R.SUPERVISOR}, "reason"),
    Action.DISPATCH: _r({S.ACCEPTED, S.RETURNED}, S.DISPATCHED, {R.SUPERVISOR}, "department"),
    Action.RETURN: _r({S.DISPATCHED}, S.RETURNED, {R.DEPARTMENT_HANDLER}, "reason"),
    Action.START: _r({S.DISPATCHED}, S.IN_PROGRESS, {R.DEPARTMENT_HANDLER}),
    Action.REQUEST_EXTENSION: _r(WORKING, None, {R.DEPARTMENT_HANDLER}, "duration", "reason"),
    Action.APPROVE_EXTENSION: _r(WORKING, None, {R.SUPERVISOR}),
    Action.DENY_EXTENSION: _r(WORKING, None, {R.SUPERVISOR}, "reason"),
    Action.REPLY: _r({S.IN_PROGRESS}, S.REPLIED, {R.DEPARTMENT_HANDLER}, "note"),
    Action.VERIFY: _r({S.REPLIED}, S.VERIFIED, {R.GRID_WORKER, R.GRID_LEADER, R.SUPERVISOR}),
    Action.REOPEN: _r(
        {S.REPLIED, S.VERIFIED, S.CLOSED},
        S.DISPATCHED,
        {R.GRID_WORKER, R.GRID_LEADER, R.SUPERVISOR},
        "reason",
    ),
    Action.CLOSE: _r({S.VERIFIED}, S.CLOSED, {R.SUPERVISOR}),
    Action.EVALUATE: _r({S.CLOSED}, S.EVALUATED, {R.SUPERVISOR}, "score"),
    Action.PARK: _r(
        {S.ACCEPTED, S.RETURNED, S.DISPATCHED, S.IN_PROGRESS}, S.PARKED, {R.SUPERVISOR}, "reason"
    ),
    Action.UNPARK: _r({S.PARKED}, S.ACCEPTED, {R.SUPERVISOR}),
    Action.ESCALATE: _r(OPEN_AT_TOWN, None, {R.SUPERVISOR}, "reason"),
    Action.URGE: _r(WORKING, None, {R.SUPERVISOR}, "note"),
    Action.MERGE: _r({S.REPORTED, S.PASSED_UP, S.ACCEPTED}, S.MERGED, {R.SUPERVISOR}, "target"),
    Action.OVERDUE: _r(set(S) - {S.REJECTED, S.EVALUATED, S.MERGED}, None, {R.SYSTEM}),
}
CLIENT_ACTIONS = frozenset(set(Action) - {Action.OVERDUE, Action.REPORT})
CLOSING_ACTIONS = frozenset({Action.CLOSE, Action.SETTLE})
"""The actions that close a case: at the command room (结案) or in the village (村内办结)."""
MERGE_TARGET_STATES = frozenset({S.REPORTED, S.PASSED_UP, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS})
"""A duplicate is merged into a case still being worked: the desk offers these, the store
accepts only these."""


def merge_targets(
    duplicate: Incident, incidents: Iterable[Incident], most: int = 50
) -> list[Incident]:
    """Cases a duplicate may be merged into: of its category, still being worked, newest last."""
    return [
        i
        for i in incidents
        if i.id != duplicate.id and i.category == duplicate.category
        and i.state in MERGE_TARGET_STATES
    ][-most:]  # fmt: skip


def merge_target_refusal(duplicate: Incident, target: Incident | None) -> LifecycleError | None:
    """Why `target` cannot take `duplicate` in, or None."""
    if target is None or target.id == duplicate.id:
        return LifecycleError(ErrorCode.INVALID, "merge target is not another incident")
    if target.state not in MERGE_TARGET_STATES:
        return LifecycleError(
            ErrorCode.ILLEGAL_TRANSITION,
            f"cannot merge into an incident that is {target.state.value}",
        )
    return None


@dataclass(frozen=True, slots=True)
class Command:
    """What a console or terminal asks for; `version` is the incident version it saw. The
    actor and role are the logged-in session's, set by the backend: the wire carries neither."""

    incident: str
    action: Action
    version: int
    actor: str
    role: Role
    args: dict[str, Any] = field(default_factory=dict)

    def to_wire(self) -> dict[str, Any]:
        return {
            "incident": self.incident,
            "action": self.action.value,
            "version": self.version,
            "args": self.args,
        }

    @classmethod
    def from_wire(cls, body: Any, actor: str, role: Role) -> Command:
        if not isinstance(body, dict):
            raise LifecycleError(ErrorCode.INVALID, "command body must be an object")
        try:
            action = Action(str(body.get("action")))
        except ValueError:
            raise LifecycleError(
                ErrorCode.INVALID, f"unknown action {body.get('action')!r}"
            ) from None
        version, incident = body.get("version"), body.get("incident")
        args = body.get("args", {})
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise LifecycleError(ErrorCode.INVALID, "version must be a positive integer")
        if not isinstance(incident, str) or not incident:
            raise LifecycleError(ErrorCode.INVALID, "incident must be an incident id")
        if not isinstance(args, dict):
            raise LifecycleError(ErrorCode.INVALID, "args must be an object")
        return cls(incident, action, version, actor, role, args)


@dataclass(frozen=True, slots=True)
class Change:
    """One row of the append-only action log; enough to replay the change."""

    incident: str
    action: str
    actor: str
    role: str
    at: float
    from_state: str | None
    to_state: str
    version: int
    args: dict[str, Any]
    note: str = ""

    def to_wire(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def reporter_role(channel: Channel) -> Role:
    """Who made a report, as the log's first row records it: a grid worker's app is the grid
    worker's, a case seen on the video the duty officer's; a resident's app, the hotline and an
    enforcement officer's phone come in through the gateway (a hotline report once read as a
    grid worker's)."""
    if channel == Channel.GRID_APP:
        return Role.GRID_WORKER
    return Role.DUTY_OFFICER if channel == Channel.CAMERA else Role.GATEWAY


def allowed_actions(incident: Incident, role: Role) -> list[Action]:
    """What a user in `role` may do with `incident` now (for enabling buttons)."""
    return [
        a
        for a in CLIENT_ACTIONS
        if incident.state in RULES[a].from_states
        and role in RULES[a].roles
        and _precondition(incident, a) is None
    ]


def new_incident(
    report: FieldReport, number: int, received_at: float, rules: DeadlineRules
) -> Incident:
    """The incident a report creates: 上报, with the acceptance clock and the case clock running."""
    accept = rules.stage_deadline(Stage.ACCEPT, report.urgency, report.category, received_at)
    case = rules.case_deadline(report.urgency, received_at)
    return Incident(
        id=report.id,
        number=number,
        category=report.category,
        urgency=report.urgency,
        channel=report.channel,
        state=S.REPORTED,
        description=report.description,
        village=report.village,
        grid=report.grid,
        lat=report.lat,
        lon=report.lon,
        reporter=report.reporter,
        reported_at=report.reported_at,
        received_at=received_at,
        version=1,
        stage=Stage.ACCEPT.value,
        stage_started_at=received_at,
        stage_due=accept.due,
        stage_duration=_text(accept.duration),
        case_due=case.due,
        updated_at=received_at,
        last_actor=report.reporter,
        reporter_phone=report.reporter_phone,
        reporter_id_number=report.reporter_id_number,
    )


def apply(
    incident: Incident,
    command: Command,
    now: float,
    rules: DeadlineRules,
    township: Township | None = None,
) -> tuple[Incident, Change]:
    """Check and carry out one command; raise LifecycleError saying plainly why not."""
    rule = RULES.get(command.action)
    if rule is None:  # a report: intake writes it, no command does
        raise LifecycleError(ErrorCode.NOT_ALLOWED, f"{command.action.value} is not a command")
    if command.version != incident.version:
        raise LifecycleError(
            ErrorCode.STALE_VERSION,
            f"{incident.display_number} changed since you saw it (version {command.version}, "
            f"now {incident.version}); look again and retry",
        )
    if incident.state not in rule.from_states:
        raise LifecycleError(
            ErrorCode.ILLEGAL_TRANSITION,
            f"cannot {command.action.value} {incident.display_number}: "
            f"it is {incident.state.value}",
        )
    if command.role not in rule.roles:
        allowed = ", ".join(sorted(r.value for r in rule.roles))
        raise LifecycleError(
            ErrorCode.NOT_ALLOWED,
            f"{with_article(command.role.value)} may not "
            f"{command.action.value}; allowed: {allowed}",
        )
    _check_args(command.action, rule, command.args)
    problem = _precondition(incident, command.action)
    if problem:
        raise LifecycleError(ErrorCode.ILLEGAL_TRANSITION, problem)
    changes = _effects(incident, command, now, rules, township)
    to_state = changes.get("state", rule.to_state or incident.state)
    changes["state"] = to_state
    after = dataclasses.replace(
        incident, **changes, version=incident.version + 1, updated_at=now, last_actor=command.actor
    )
    note = str(command.args.get("reason") or command.args.get("note") or "")
    change = Change(
        incident=incident.id,
        action=command.action.value,
        actor=command.actor,
        role=command.role.value,
        at=now,
        from_state=incident.state.value,
        to_state=to_state.value,
        version=after.version,
        args=dict(command.args),
        note=note,
    )
    return after, change


OPTIONAL_ARGS: dict[Action, frozenset[str]] = {
    Action.DISPATCH: frozenset({"deadline", "opinion", "assisting", "platform"}),
    Action.EVALUATE: frozenset({"satisfaction", "comment"}),
}
"""What an action may take besides what it needs; anything else is refused, not logged (an
"actor" or "role" among a park's arguments was written to the log as sent)."""
TEXT_ARGS = frozenset({"reason", "note", "department", "target", "duration", "deadline",
                       "opinion", "comment", "platform"})  # fmt: skip


def _check_args(action: Action, rule: Rule, args: dict[str, Any]) -> None:
    """Each needed argument there (text not blank: a reason of `false` or `0` went through),
    every text argument text, and none the action does not take."""
    for name in rule.needs:
        value = args.get(name)
        text = isinstance(value, str) and bool(value.strip())
        if value is None or (name in TEXT_ARGS and not text):
            raise LifecycleError(ErrorCode.INVALID, f"{action.value} needs {name}")
    for name, value in args.items():
        if name not in rule.needs and name not in OPTIONAL_ARGS.get(action, ()):
            raise LifecycleError(ErrorCode.INVALID, f"{action.value} takes no {name[:32]}")
        if name in TEXT_ARGS and value is not None and not isinstance(value, str):
            raise LifecycleError(ErrorCode.INVALID, f"{name} must be text")


def _precondition(incident: Incident, action: Action) -> str | None:
    if action in (Action.APPROVE_EXTENSION, Action.DENY_EXTENSION):
        if incident.extension_requested is None:
            return f"{incident.display_number} has no extension request"
    elif action == Action.REQUEST_EXTENSION:
        if incident.extension_requested is not None:
            return f"{incident.display_number} already has an extension request"
    elif action == Action.ESCALATE:
        if incident.level.next() is None:
            return f"{incident.display_number} is already with a task force"
    elif action == Action.OVERDUE and (
        incident.overdue_noted or incident.stage is None or incident.stage_due is None
    ):
        return f"{incident.display_number} has no running clock to be overdue"
    return None


def _effects(  # noqa: PLR0912 - one branch per action, side by side on purpose
    incident: Incident,
    command: Command,
    now: float,
    rules: DeadlineRules,
    township: Township | None,
) -> dict[str, Any]:
    """The fields an action changes besides state, version and time."""
    args, a = command.args, command.action

    def stage(s: Stage, duration: Duration | None = None) -> dict[str, Any]:
        d = duration or rules.duration(s, incident.urgency, incident.category)
        return {
            "stage": s.value,
            "stage_started_at": now,
            "stage_due": rules.add(now, d),
            "stage_duration": _text(d),
            "overdue_noted": False,
        }

    no_clock: dict[str, Any] = {
        "stage": None,
        "stage_started_at": None,
        "stage_due": None,
        "stage_duration": None,
        "overdue_noted": False,
        "extension_requested": None,
    }
    town = {"level": max(incident.level, Level.TOWN_PLATFORM, key=list(Level).index)}
    match a:
        case Action.PASS_UP:
            return town
        case Action.SETTLE:
            return {**no_clock, "settled_in_village": True, "closed_at": now}
        case Action.ACCEPT:
            return {**town, **stage(Stage.DISPATCH)}
        case Action.REJECT | Action.MERGE:
            target = args.get("target")
            if a == Action.MERGE and (not isinstance(target, str) or target == incident.id):
                raise LifecycleError(ErrorCode.INVALID, "merge needs another incident as target")
            return {**no_clock, "merged_into": target if a == Action.MERGE else None}
        case Action.DISPATCH:
            return {
                **town,
                **_dispatch(incident, args, township),
                **stage(Stage.HANDLE, _duration_arg(args, "deadline")),
            }
        case Action.RETURN:
            return {**stage(Stage.DISPATCH), "extension_requested": None}
        case Action.START:
            return {}
        case Action.REQUEST_EXTENSION:
            return {"extension_requested": _text(_required_duration(args, "duration"))}
        case Action.APPROVE_EXTENSION:
            assert incident.extension_requested is not None
            assert incident.stage_due is not None
            extra = Duration.parse(incident.extension_requested)
            return {
                "stage_due": rules.add(incident.stage_due, extra),
                "extension_requested": None,
                "overdue_noted": False,
            }
        case Action.DENY_EXTENSION:
            return {"extension_requested": None}
        case Action.REPLY:
            return {**stage(Stage.VERIFY), "extension_requested": None}
        case Action.VERIFY:
            return no_clock
        case Action.REOPEN:
            if incident.department is None:  # settled in the village: the command room decides
                return {
                    **no_clock,
                    **town,
                    **stage(Stage.DISPATCH),
                    "state": S.ACCEPTED,
                    "closed_at": None,
                    "reopened": incident.reopened + 1,
                    "settled_in_village": False,
                }
            return {**stage(Stage.HANDLE), "closed_at": None, "reopened": incident.reopened + 1}
        case Action.CLOSE:
            return {**no_clock, "closed_at": now}
        case Action.EVALUATE:
            score = args.get("score")
            if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
                raise LifecycleError(ErrorCode.INVALID, "score must be a whole number from 1 to 5")
            return {"score": score}
        case Action.PARK:
            return no_clock
        case Action.UNPARK:
            return stage(Stage.DISPATCH)
        case Action.ESCALATE:
            return {"level": incident.level.next()}
        case Action.URGE:
            if len(str(args.get("note"))) > NOTE_LIMIT:
                raise LifecycleError(ErrorCode.INVALID, f"note is longer than {NOTE_LIMIT}")
            return {"urged": incident.urged + 1}
        case Action.OVERDUE:
            escalate = (
                incident.stage is not None
                and Stage(incident.stage) in rules.escalate_when_overdue
                and incident.level.next() is not None
            )
            return {"overdue_noted": True, **({"level": incident.level.next()} if escalate else {})}
    raise AssertionError(a)


def _dispatch(
    incident: Incident, args: dict[str, Any], township: Township | None
) -> dict[str, Any]:
    """The lead department, and the dispatch record's optional parts: `opinion` (派遣意见)
    and `assisting` (协办单位, other departments), checked here so the log holds only sense."""
    department = args.get("department")
    if not isinstance(department, str):
        raise LifecycleError(ErrorCode.INVALID, "department must be a department code")
    opinion, assisting = args.get("opinion", ""), args.get("assisting", [])
    if not isinstance(opinion, str) or len(opinion) > NOTE_LIMIT:
        raise LifecycleError(ErrorCode.INVALID, f"opinion must be text of {NOTE_LIMIT} at most")
    if (
        not isinstance(assisting, list)
        or not all(isinstance(a, str) for a in assisting)
        or department in assisting
        or len(set(assisting)) != len(assisting)
        or len(assisting) > 10
    ):
        raise LifecycleError(ErrorCode.INVALID, "assisting must list other departments, each once")
    platform = args.get("platform")
    if township is not None:
        for code in (department, *assisting):
            if code not in township.departments:
                raise LifecycleError(ErrorCode.INVALID, f"unknown department {code!r}")
        platform = township.departments[department].platform_by_set.get(township.platform_set)
    joined = ",".join(assisting) or None
    return {"department": department, "platform": platform, "assisting": joined}


NOTE_LIMIT = 500
"""A note, a reason or an opinion: a few sentences, not a document."""


def _duration_arg(args: dict[str, Any], name: str) -> Duration | None:
    value = args.get(name)
    if value is None:
        return None
    return _required_duration(args, name)


def _required_duration(args: dict[str, Any], name: str) -> Duration:
    try:
        duration = Duration.parse(str(args.get(name)))
    except ValueError as e:
        raise LifecycleError(ErrorCode.INVALID, f"{name}: {e}") from None
    if not 0 < duration.amount <= LONGEST[duration.unit]:
        raise LifecycleError(ErrorCode.INVALID, f"{name} must be positive and at most a "
                             "quarter's worth (90 days, 60 working days)")  # fmt: skip
    return duration


LONGEST = {"m": 90 * 24 * 60, "h": 90 * 24, "wh": 60 * 8, "wd": 60}
"""A deadline or an extension a command sets, at most: a quarter (a case parked longer is
挂账, not extended)."""


def _text(duration: Duration) -> str:
    amount = int(duration.amount) if duration.amount == int(duration.amount) else duration.amount
    return f"{amount}{duration.unit}"


def with_article(word: str) -> str:
    """`an auditor`, `a supervisor`: a role named in a refusal."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"
