"""Every request a client may send, in one table: its typed body, who may send it, and how the
backend treats it (docs/protocol.md, docs/architecture.md "Adding a request type").

A body is read by its `from_wire`, which checks each field's type and bounds and raises
`BodyError` naming the field: whatever a client sends, the answer is `invalid` with the field
named, never a failure deep in the store (an id of 2**63 overflowed SQLite's integer). The
backend's admission step and its handlers read this table and nothing else; the console reads
it to know which requests a role may send.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from domain.camera_health import MAX_CAMERAS_PER_REPORT as MAX_CAMERAS
from domain.camera_urls import as_written_by_an_nvr
from domain.evaluation import DIMENSIONS, MAX_DAYS
from domain.incident import FieldReport
from domain.indicator_history import STEPS
from domain.lifecycle import CLIENT_ACTIONS, RULES, Action
from domain.patrol import PatrolReport
from domain.township import Camera, Role
from domain.township_package import MAX_PACKAGE_BYTES
from domain.wire import MsgType

MAX_ID = 2**53
"""Ids and counters read from a client: what JSON carries exactly and every database stores."""
MAX_EPOCH = 2**33
"""Epoch seconds from a client (the year 2242): a finite time, not an overflow."""
MAX_NAME = 64
MAX_CODE = 32
MAX_URL = 2000
MAX_ATTACHMENT_BYTES = 700_000
"""A photo's bytes; their base64 fits one message under the 1 MiB limit."""


class BodyError(ValueError):
    """A body that cannot be accepted as sent; the message names the field and why."""


# --- field readers: each checks type and bounds, and names the field ----------------------------


def whole(
    body: dict[str, Any], name: str, lo: int = 0, hi: int = MAX_ID, default: int | None = None
) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise BodyError(f"{name} must be a whole number from {lo} to {hi}")
    return value


def epoch(body: dict[str, Any], name: str) -> float:
    value = body.get(name)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 <= value <= MAX_EPOCH
    ):
        raise BodyError(f"{name} must be epoch seconds")
    return float(value)


def text(body: dict[str, Any], name: str, max_chars: int = MAX_NAME, min_chars: int = 1) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not min_chars <= len(value) <= max_chars:
        raise BodyError(f"{name} must be a string of {min_chars} to {max_chars} characters")
    return value


def base64_bytes(body: dict[str, Any], name: str, max_bytes: int) -> bytes:
    """Bytes sent as base64 text, at most `max_bytes` once decoded."""
    encoded = text(body, name, max_bytes * 4 // 3 + 4)
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise BodyError(f"{name} must be base64") from None


def real(body: dict[str, Any], name: str, lo: float, hi: float) -> float:
    value = body.get(name)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not lo <= value <= hi
    ):
        raise BodyError(f"{name} must be a number from {lo} to {hi}")
    return float(value)


def flag(body: dict[str, Any], name: str) -> bool:
    value = body.get(name)
    if not isinstance(value, bool):
        raise BodyError(f"{name} must be true or false")
    return value


# --- bodies --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Empty:
    """A request that carries nothing (what it does not know it ignores)."""

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> Empty:
        return cls()


@dataclass(frozen=True, slots=True)
class LoginBody:
    user: str
    password: str

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> LoginBody:
        return cls(text(body, "user", 32), text(body, "password", 256, min_chars=0))


@dataclass(frozen=True, slots=True)
class PartAck:
    """A large answer read (domain.wire.ACK_ABOVE), by its message id."""

    part: str

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> PartAck:
        return cls(text(body, "part", 64))


@dataclass(frozen=True, slots=True)
class IncidentRef:
    """One incident by id: detail, reveal."""

    incident: str

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> IncidentRef:
        return cls(text(body, "incident"))


@dataclass(frozen=True, slots=True)
class AttachmentRef:
    id: int

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> AttachmentRef:
        return cls(whole(body, "id", lo=1))


@dataclass(frozen=True, slots=True)
class CommandBody:
    """A lifecycle command; who sends it is the login's, never the body's."""

    incident: str
    action: Action
    version: int
    args: dict[str, Any]

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> CommandBody:
        named = body.get("action")
        try:
            action = Action(named if isinstance(named, str) else "")
        except ValueError:
            shown = named[:40] if isinstance(named, str) else type(named).__name__
            raise BodyError(f"action: unknown action {shown!r}") from None
        return cls(text(body, "incident"), action, whole(body, "version", lo=1), _args(body))


MAX_ARGS = 16
MAX_ARG_CODES = 10
MAX_ARG_CHARS = 2000
"""A command's argument (a reason, a note, a comment) at most: its update and its case's
detail stay far under the 1 MiB a message may carry."""


def _args(body: dict[str, Any]) -> dict[str, Any]:
    """Flat: names to strings, numbers, true/false or null, or a short list of codes (a
    dispatch's assisting departments); nested values once killed the serve loop when their
    update was encoded."""
    args = body.get("args", {})
    if not isinstance(args, dict) or len(args) > MAX_ARGS:
        raise BodyError(f"args must be an object of at most {MAX_ARGS} arguments")
    for name, value in args.items():
        if len(name) > MAX_NAME:
            raise BodyError(f"args: a name is longer than {MAX_NAME} characters")
        if isinstance(value, str):
            if len(value) > MAX_ARG_CHARS:
                raise BodyError(f"args.{name} is longer than {MAX_ARG_CHARS} characters")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise BodyError(f"args.{name} must be a finite number")
        elif isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > MAX_ID:
                raise BodyError(f"args.{name} is out of bounds")
        elif isinstance(value, list):
            if len(value) > MAX_ARG_CODES or not all(
                isinstance(v, str) and len(v) <= MAX_NAME for v in value
            ):
                raise BodyError(f"args.{name}: a list of at most {MAX_ARG_CODES} codes")
        elif value is not None and not isinstance(value, bool):
            raise BodyError(f"args.{name} must be a string, a number, true, false or null")
    return args


@dataclass(frozen=True, slots=True)
class AttachmentAddBody:
    incident: str
    media_type: str
    data: bytes

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> AttachmentAddBody:
        data = base64_bytes(body, "data", MAX_ATTACHMENT_BYTES)
        return cls(text(body, "incident"), text(body, "media_type", 32), data)


@dataclass(frozen=True, slots=True)
class AuditPage:
    """`{after, limit}` or `{last}`: a page of the audit trail."""

    after: int
    limit: int
    last: int

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> AuditPage:
        return cls(
            whole(body, "after", default=0),
            whole(body, "limit", default=MAX_AUDIT_PAGE),
            whole(body, "last", default=0),
        )


MAX_AUDIT_PAGE = 1000


@dataclass(frozen=True, slots=True)
class UserSetBody:
    """What an administrator changes of a user, one thing or more: let in or kept out
    (`disabled`), a new `role`, a new `password` (a reset: the user's sessions end)."""

    login: str
    disabled: bool | None = None
    role: Role | None = None
    password: str | None = None

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> UserSetBody:
        login = text(body, "login", 32)
        disabled = flag(body, "disabled") if "disabled" in body else None
        role = _role(body) if "role" in body else None
        password = text(body, "password", MAX_PASSWORD) if "password" in body else None
        if disabled is None and role is None and password is None:
            raise BodyError("give disabled, role or password")
        return cls(login, disabled, role, password)


@dataclass(frozen=True, slots=True)
class UserAddBody:
    login: str
    name: str
    role: Role
    password: str
    person: str | None

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> UserAddBody:
        person = text(body, "person", 32) if body.get("person") is not None else None
        return cls(
            text(body, "login", 32), text(body, "name", 64), _role(body),
            text(body, "password", MAX_PASSWORD), person,
        )  # fmt: skip


MAX_PASSWORD = 128


def _role(body: dict[str, Any]) -> Role:
    """A role a user may be given (not the system's own)."""
    value = text(body, "role", 32)
    if value not in {r.value for r in PEOPLE}:
        raise BodyError("role must be one of: " + ", ".join(sorted(r.value for r in PEOPLE)))
    return Role(value)


@dataclass(frozen=True, slots=True)
class KeyRef:
    name: str

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> KeyRef:
        return cls(text(body, "name"))


@dataclass(frozen=True, slots=True)
class CameraTestBody:
    """An address to try as typed (its user and password in it), or a camera's code (its
    stored address)."""

    url: str | None
    camera: str | None

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> CameraTestBody:
        if ("url" in body) == ("camera" in body):
            raise BodyError("give url or camera, one of them")
        if "url" in body:
            return cls(as_written_by_an_nvr(text(body, "url", MAX_URL)), None)
        return cls(None, text(body, "camera", MAX_CODE))


@dataclass(frozen=True, slots=True)
class CameraSetBody:
    """A camera as the administrator's dialog sends it; its places are the handler's to check
    against the township."""

    camera: Camera

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> CameraSetBody:
        c = body.get("camera")
        if not isinstance(c, dict):
            raise BodyError("camera must be an object")
        main = as_written_by_an_nvr(text(c, "main_url", MAX_URL))
        village = c.get("village")
        coverage = c.get("coverage_km")
        return cls(
            Camera(
                code=text(c, "code", MAX_CODE),
                name=text(c, "name"),
                kind=text(c, "kind") if "kind" in c else "other",
                group=text(c, "group") if "group" in c else "其他",
                phase=whole(c, "phase", 0, 99, default=9),
                village=None if village is None else text(c, "village", MAX_CODE),
                lat=real(c, "lat", -90, 90),
                lon=real(c, "lon", -180, 180),
                main_url=main,
                sub_url=as_written_by_an_nvr(text(c, "sub_url", MAX_URL))
                if c.get("sub_url")
                else main,
                coverage_km=None if coverage is None else real(c, "coverage_km", 0, 100),
                direction=None if c.get("direction") is None else real(c, "direction", 0, 360),
            )
        )


@dataclass(frozen=True, slots=True)
class TownshipPackageBody:
    """A township's files from the desk, zipped (domain.township_package): checked, or applied
    over the version the administrator checked against (`version`; a newer one is stale)."""

    package: bytes
    version: int | None

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> TownshipPackageBody:
        package = base64_bytes(body, "package", MAX_PACKAGE_BYTES)
        version = None if body.get("version") is None else whole(body, "version")
        return cls(package, version)


@dataclass(frozen=True, slots=True)
class CameraRef:
    code: str

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> CameraRef:
        return cls(text(body, "camera", MAX_CODE))


@dataclass(frozen=True, slots=True)
class HistoryBody:
    """`{since, step}`; how far back `since` may go is the handler's (it depends on now)."""

    since: float
    step: int

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> HistoryBody:
        step = body.get("step", 1)
        if not isinstance(step, int) or isinstance(step, bool) or step not in STEPS:
            raise BodyError(f"step must be one of {STEPS}")
        return cls(epoch(body, "since"), int(step))


@dataclass(frozen=True, slots=True)
class TracksBody:
    """`{since}`: patrols ended since then (at most a day back, the handler's rule)."""

    since: float

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> TracksBody:
        return cls(epoch(body, "since"))


@dataclass(frozen=True, slots=True)
class ReportIds:
    """`{ids}`: reports by the ids their senders made (at most MAX_STATUS_IDS)."""

    ids: tuple[str, ...]

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> ReportIds:
        ids = body.get("ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= MAX_STATUS_IDS:
            raise BodyError(f"ids must be a list of 1 to {MAX_STATUS_IDS} report ids")
        if not all(isinstance(i, str) and 0 < len(i) <= 64 for i in ids):
            raise BodyError("ids must be report ids (strings)")
        return cls(tuple(dict.fromkeys(ids)))


MAX_STATUS_IDS = 100


@dataclass(frozen=True, slots=True)
class HeatBody:
    """`{start, end, category?}`: the reports received in [start, end) (at most MAX_DAYS), of
    one category or all, for the map's heat layer."""

    start: float
    end: float
    category: str | None

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> HeatBody:
        start, end = epoch(body, "start"), epoch(body, "end")
        if not 0 < end - start <= MAX_DAYS * 86_400:
            raise BodyError(f"start and end: end after start, at most {MAX_DAYS} days")
        category = body.get("category")
        return cls(start, end, None if category is None else text(body, "category", MAX_CODE))


@dataclass(frozen=True, slots=True)
class EvaluationBody:
    dimension: str
    start: float
    end: float

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> EvaluationBody:
        dimension = body.get("dimension")
        if dimension not in DIMENSIONS:
            raise BodyError(f"dimension must be one of {', '.join(DIMENSIONS)}")
        start, end = epoch(body, "start"), epoch(body, "end")
        if not 0 < end - start <= MAX_DAYS * 86_400:
            raise BodyError(f"start and end: end after start, at most {MAX_DAYS} days")
        return cls(str(dimension), start, end)


@dataclass(frozen=True, slots=True)
class CameraStates:
    """A console's `{camera: {state, since}}`; each entry is checked by domain.camera_health."""

    cameras: dict[str, Any]

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> CameraStates:
        cameras = body.get("cameras")
        if not isinstance(cameras, dict) or len(cameras) > MAX_CAMERAS:
            raise BodyError(f"cameras must be an object of at most {MAX_CAMERAS} cameras")
        if any(len(code) > MAX_NAME for code in cameras):
            raise BodyError(f"cameras: a camera code is longer than {MAX_NAME} characters")
        return cls(cameras)


# --- who may send what ---------------------------------------------------------------------------

R = Role
STAFF = frozenset({R.DUTY_OFFICER, R.SUPERVISOR, R.DEPARTMENT_HANDLER})
GRID = frozenset({R.GRID_WORKER, R.GRID_MEMBER, R.GRID_LEADER})
PEOPLE = STAFF | GRID | {R.ADMINISTRATOR, R.AUDITOR, R.GATEWAY}
"""Every role one logs in with (not `system`, which is the backend itself). A gateway is a
system of the township's (the grid app's server, the hotline's), trusted to say which of the
people it has logged in reports: a grid worker logged in here reports as themselves only."""
VIEWERS = STAFF | GRID | {R.ADMINISTRATOR, R.AUDITOR}
"""What the wall shows, personal data masked: an auditor reads the trail beside the cases it
names. Not a gateway's: it is a machine that reports, not a console."""
COMMAND_ROOM = frozenset({R.SUPERVISOR, R.DUTY_OFFICER})
"""The room itself: the whole township's field work (where each grid worker walked today)."""
WATCHERS = STAFF | {R.ADMINISTRATOR}
"""Who has a video wall: the command room, its departments and the administrator."""
COMMANDERS = frozenset(role for a in CLIENT_ACTIONS for role in RULES[a].roles)
ANYONE: frozenset[Role] = frozenset()
"""With `public`: no login needed."""


class Scope(StrEnum):
    """On what a request acts, beyond its role: checked by its handler."""

    NONE = "none"  # the backend itself (hello, login)
    TOWNSHIP = "township"  # the whole township's data
    OWN = "own"  # a grid role's own reports and patrols only; a gateway's for anyone
    CASE = "case"  # one incident, as the lifecycle rules allow the role
    SELF = "self"  # the sender's own login


B = TypeVar("B")


@dataclass(frozen=True, slots=True)
class RequestSpec(Generic[B]):
    """One row of the table. `changing`: refused when stale or replayed (domain.replay_guard);
    `audited`: recorded in the trail with its result; `slow`: answered off the serve loop,
    so that updates and commands go on meanwhile."""

    type: MsgType
    body: Callable[[dict[str, Any]], B]
    roles: frozenset[Role]
    scope: Scope = Scope.TOWNSHIP
    public: bool = False
    changing: bool = False
    audited: bool = False
    slow: bool = False


def _spec(
    type_: MsgType, body: Callable[[dict[str, Any]], Any], roles: frozenset[Role], **how: Any
) -> RequestSpec[Any]:
    return RequestSpec(type_, body, roles, **how)


T = MsgType
_CHANGES = {"changing": True, "audited": True}
ADMINS = frozenset({R.ADMINISTRATOR})
REQUESTS: dict[str, RequestSpec[Any]] = {
    spec.type: spec
    for spec in (
        _spec(T.HELLO, Empty.from_wire, ANYONE, scope=Scope.NONE, public=True),
        _spec(T.LOGIN, LoginBody.from_wire, ANYONE, scope=Scope.NONE, public=True, slow=True),
        # flow control: a large answer read (domain.wire.ACK_ABOVE); never answered
        _spec(T.PARTS_ACK, PartAck.from_wire, ANYONE, scope=Scope.NONE, public=True),
        _spec(T.LOGOUT, Empty.from_wire, PEOPLE, scope=Scope.SELF, audited=True),
        # a gateway too: it places the field's reports in villages and lists the categories
        _spec(T.TOWNSHIP_REQUEST, Empty.from_wire, VIEWERS | {R.GATEWAY}),
        _spec(T.SNAPSHOT_REQUEST, Empty.from_wire, VIEWERS),
        _spec(T.DETAIL_REQUEST, IncidentRef.from_wire, VIEWERS, scope=Scope.CASE),
        _spec(T.ATTACHMENT_REQUEST, AttachmentRef.from_wire, VIEWERS, scope=Scope.CASE),
        _spec(T.INDICATORS_REQUEST, Empty.from_wire, VIEWERS),
        _spec(T.HISTORY_REQUEST, HistoryBody.from_wire, VIEWERS, slow=True),
        # the map's patrol tracks: the command room's, of the whole township
        _spec(T.TRACKS_REQUEST, TracksBody.from_wire, COMMAND_ROOM, slow=True),
        # what became of the reports a gateway filed (Open311's GET requests): public words only
        _spec(T.REPORT_STATUS_REQUEST, ReportIds.from_wire, frozenset({R.GATEWAY}), slow=True),
        # the map's heat layer over a period: where the reports came from, binned
        _spec(T.HEAT_REQUEST, HeatBody.from_wire, COMMAND_ROOM, slow=True),
        # a video wall's decoders' findings
        _spec(T.CAMERA_HEALTH, CameraStates.from_wire, STAFF | {R.ADMINISTRATOR}, **_CHANGES),
        # the user and password of the cameras' addresses: who watches video, on the record
        _spec(T.CAMERA_CREDENTIALS_REQUEST, Empty.from_wire, WATCHERS, audited=True),
        _spec(
            T.EVALUATION_REQUEST,
            EvaluationBody.from_wire,
            frozenset({R.SUPERVISOR, R.DUTY_OFFICER}),
            slow=True,
        ),
        _spec(T.COMMAND, CommandBody.from_wire, COMMANDERS, scope=Scope.CASE, **_CHANGES),
        _spec(
            T.REPORT_SUBMIT, FieldReport.from_wire, GRID | {R.GATEWAY}, scope=Scope.OWN, **_CHANGES
        ),
        _spec(
            T.PATROL_SUBMIT, PatrolReport.from_wire, GRID | {R.GATEWAY}, scope=Scope.OWN, **_CHANGES
        ),
        # a duty officer's camera snapshot too
        _spec(
            T.ATTACHMENT_ADD,
            AttachmentAddBody.from_wire,
            STAFF | GRID | {R.GATEWAY},
            scope=Scope.CASE,
            slow=True,  # decoded before it is kept (backend/pictures.py): tens of ms
            **_CHANGES,
        ),
        _spec(
            T.REVEAL_REQUEST,
            IncidentRef.from_wire,
            frozenset({R.SUPERVISOR, R.DEPARTMENT_HANDLER, R.GRID_LEADER}),
            scope=Scope.CASE,
            audited=True,
        ),
        _spec(T.AUDIT_REQUEST, AuditPage.from_wire, frozenset({R.AUDITOR}), audited=True),
        _spec(T.ADMIN_USERS_REQUEST, Empty.from_wire, frozenset({R.ADMINISTRATOR})),
        # a new password is hashed (scrypt, a second or so): off the serve loop
        _spec(T.ADMIN_USER_SET, UserSetBody.from_wire, ADMINS, slow=True, **_CHANGES),
        _spec(T.ADMIN_USER_ADD, UserAddBody.from_wire, ADMINS, slow=True, **_CHANGES),
        _spec(T.ADMIN_KEYS_REQUEST, Empty.from_wire, frozenset({R.ADMINISTRATOR})),
        _spec(T.ADMIN_KEY_REVOKE, KeyRef.from_wire, frozenset({R.ADMINISTRATOR}), **_CHANGES),
        # cameras while the room runs: tried from the backend's machine, added, changed, removed
        _spec(
            T.CAMERA_TEST,
            CameraTestBody.from_wire,
            frozenset({R.ADMINISTRATOR}),
            audited=True,
            slow=True,
        ),
        _spec(T.CAMERA_SET, CameraSetBody.from_wire, frozenset({R.ADMINISTRATOR}), **_CHANGES),
        _spec(T.CAMERA_REMOVE, CameraRef.from_wire, frozenset({R.ADMINISTRATOR}), **_CHANGES),
        # the township's own files from the desk: checked, then applied as a new version
        _spec(
            T.TOWNSHIP_CHECK,
            TownshipPackageBody.from_wire,
            frozenset({R.ADMINISTRATOR}),
            audited=True,
            slow=True,
        ),
        _spec(
            T.TOWNSHIP_APPLY,
            TownshipPackageBody.from_wire,
            frozenset({R.ADMINISTRATOR}),
            slow=True,
            **_CHANGES,
        ),
    )
}
"""Request type → its row. A type missing here is answered `unknown_type`, to everybody."""

PUBLIC = frozenset(t for t, spec in REQUESTS.items() if spec.public)
"""Before login: the backend's session and update port, and the login itself."""
ACCESS: dict[str, frozenset[Role]] = {t: s.roles for t, s in REQUESTS.items() if not s.public}
"""Request type → the roles that may send it (logged in); deny by default."""


def may_send(role: Role, request_type: str) -> bool:
    spec = REQUESTS.get(request_type)
    return spec is not None and (spec.public or role in spec.roles)


def read_body(spec: RequestSpec[B], body: dict[str, Any]) -> B:
    """The typed body, or BodyError naming the field (a domain error of the same kind, a
    field report's or a patrol's, says so too)."""
    try:
        return spec.body(body)
    except BodyError:
        raise
    except ValueError as e:  # ReportError, PatrolError: already name the field
        raise BodyError(str(e)) from None
