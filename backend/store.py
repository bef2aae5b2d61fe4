"""The durable store: one SQLAlchemy engine, a session per unit of work, migrations at start.

SQLite runs in WAL mode with synchronous=FULL so that a report acknowledged after its commit
survives a power cut; PostgreSQL is used as it comes (`--db postgresql+psycopg://…`).
All methods run on the caller's thread and open their own session: never share one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import (
    Engine,
    Select,
    Table,
    and_,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, sessionmaker

from backend.schema import (
    ActionRow,
    AttachmentRow,
    AuditRow,
    CameraRow,
    CategoryRow,
    DepartmentRow,
    EvaluationRow,
    GridDutyRow,
    GridRow,
    IncidentRow,
    IndicatorMinuteRow,
    PatrolRow,
    PersonRow,
    TownshipRow,
    VillageRow,
)
from domain.audit import GENESIS, RETENTION_DAYS, AuditEntry
from domain.deadlines import DeadlineRules
from domain.incident import (
    TERMINAL_STATES,
    URGENCY_RANK,
    FieldReport,
    Incident,
    ReportError,
)
from domain.indicator_history import KEPT_SECONDS, MinuteRow
from domain.lifecycle import (
    Action,
    Change,
    Command,
    ErrorCode,
    LifecycleError,
    apply,
    new_incident,
)
from domain.patrol import Patrol, PatrolError, PatrolReport
from domain.township import Role, Township

log = logging.getLogger(__name__)
ATTACHMENT_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
MAX_ATTACHMENT_BYTES = 700_000
"""Base64 of this fits in one message under the 1 MiB limit."""
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
INCIDENTS = cast(Table, IncidentRow.__table__)
ACTIONS = cast(Table, ActionRow.__table__)
AUDIT = cast(Table, AuditRow.__table__)


class ReportConflict(ReportError):
    """The report's id is already taken by a different report."""


class PatrolConflict(PatrolError):
    """The patrol's id is already taken by a different patrol."""


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def report_digest(report: FieldReport) -> str:
    canonical = json.dumps(report.to_wire(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class Store:
    def __init__(
        self, url: str, rules: DeadlineRules | None = None, attachments: Path | None = None
    ) -> None:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.rules = rules or DeadlineRules.load()
        if attachments is None:
            base = (
                Path(url.removeprefix("sqlite:///")).parent
                if url.startswith("sqlite:///")
                else None
            )
            attachments = (base or Path(user_data_dir("township-command-room"))) / "attachments"
        self.attachments = attachments
        self._number: int | None = None

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session and its transaction: committed on success, rolled back on any error."""
        with self._sessions.begin() as session:
            yield session

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def has_township(self) -> bool:
        with self.unit_of_work() as s:
            return s.scalar(select(func.count()).select_from(TownshipRow)) != 0

    def seed_township(self, township: Township) -> None:
        """Write the township (from resources/) into an empty store."""
        data, categories = township.to_dict()
        with self.unit_of_work() as s:
            s.add(
                TownshipRow(
                    code=data["code"],
                    name=data["name"],
                    lat=data["lat"],
                    lon=data["lon"],
                    platform_sets=data["platform_sets"],
                )
            )
            s.add_all(VillageRow(**v) for v in data["villages"])
            s.flush()
            s.add_all(PersonRow(**p) for p in data["people"])
            s.flush()
            s.add_all(
                GridRow(
                    code=g["code"],
                    name=g["name"],
                    village=g["village"],
                    lat=g["lat"],
                    lon=g["lon"],
                    leader=g["leader"],
                )
                for g in data["grids"]
            )
            s.flush()
            for g in data["grids"]:
                duties = [("member", p) for p in g["members"]] + [
                    ("worker", p) for p in g["workers"]
                ]
                s.add_all(
                    GridDutyRow(grid=g["code"], person=p, duty=d, position=i)
                    for i, (d, p) in enumerate(duties)
                )
            s.add_all(
                DepartmentRow(
                    code=d["code"],
                    name=d["name"],
                    platform_by_set=d["platform"],
                    handlers=d["handlers"],
                )
                for d in data["departments"]
            )
            s.flush()
            s.add_all(
                CategoryRow(
                    code=c["code"],
                    name=c["name"],
                    platform_by_set=c["platform"],
                    department=c["department"],
                    demo_weight=c["demo_weight"],
                    demo_texts=c["demo_texts"],
                )
                for c in categories
            )
            s.add_all(CameraRow(**c) for c in data["cameras"])

    def load_township(self, platform_set: str) -> Township:
        with self.unit_of_work() as s:
            town = s.scalars(select(TownshipRow)).one()
            duties: dict[str, dict[str, list[str]]] = {}
            for d in s.scalars(select(GridDutyRow).order_by(GridDutyRow.position)):
                duties.setdefault(d.grid, {"member": [], "worker": []})[d.duty].append(d.person)
            data = {
                "code": town.code,
                "name": town.name,
                "lat": town.lat,
                "lon": town.lon,
                "platform_sets": town.platform_sets,
                "villages": [_columns(v) for v in s.scalars(select(VillageRow))],
                "people": [_columns(p) for p in s.scalars(select(PersonRow))],
                "grids": [
                    {
                        **_columns(g),
                        "members": duties.get(g.code, {}).get("member", []),
                        "workers": duties.get(g.code, {}).get("worker", []),
                    }
                    for g in s.scalars(select(GridRow))
                ],
                "departments": [
                    {
                        "code": d.code,
                        "name": d.name,
                        "platform": d.platform_by_set,
                        "handlers": d.handlers,
                    }
                    for d in s.scalars(select(DepartmentRow))
                ],
                "cameras": [_columns(c) for c in s.scalars(select(CameraRow))],
            }
            categories = [
                {**_columns(c), "platform": c.platform_by_set}
                for c in s.scalars(select(CategoryRow))
            ]
        return Township.from_dict(data, categories, platform_set)

    def intake(self, report: FieldReport) -> tuple[Incident, bool]:
        """Store one field report; see `intake_many`."""
        (result,) = self.intake_many([report])
        if isinstance(result, Exception):
            raise result
        return result

    def intake_many(
        self, reports: list[FieldReport], now: float | None = None
    ) -> list[tuple[Incident, bool] | ReportConflict]:
        """Store reports in one transaction (group commit); per report: (incident, created) or
        the conflict. Idempotent on each report's id. Nothing is acknowledged before the commit
        returns, so an acknowledged report is durable. `now`: the moment of receipt (a replayed
        day; the present by default)."""
        now = time.time() if now is None else now
        results: list[tuple[Incident, bool] | ReportConflict] = []
        with self.unit_of_work() as s:
            ids = list({r.id for r in reports})
            known: dict[str, IncidentRow] = {
                row.id: row for row in s.scalars(select(IncidentRow).where(IncidentRow.id.in_(ids)))
            }
            fresh: dict[str, tuple[Incident, str]] = {}
            incident_rows: list[dict[str, Any]] = []
            action_rows: list[dict[str, Any]] = []
            number = self._next_number(s)
            for report in reports:
                digest = report_digest(report)
                if report.id in known:
                    row = known[report.id]
                    results.append(
                        (_incident(row), False)
                        if row.report_digest == digest
                        else _conflict(report)
                    )
                    continue
                if report.id in fresh:
                    incident, first_digest = fresh[report.id]
                    results.append(
                        (incident, False) if first_digest == digest else _conflict(report)
                    )
                    continue
                incident = new_incident(report, number, now, self.rules)
                number += 1
                fresh[report.id] = (incident, digest)
                incident_rows.append({**_row_values(incident), "report_digest": digest})
                action_rows.append(
                    {
                        "incident": incident.id,
                        "at": now,
                        "actor": report.reporter,
                        "role": Role.GRID_WORKER.value,
                        "action": "report",
                        "from_state": None,
                        "to_state": incident.state.value,
                        "note": report.channel.value,
                        "version": 1,
                        "args": {**report.to_wire(), "number": incident.number},
                    }
                )
                results.append((incident, True))
            if incident_rows:
                # Core inserts on the tables: the ORM's bulk path cost a third of the intake.
                s.execute(insert(INCIDENTS), incident_rows)
                s.execute(insert(ACTIONS), action_rows)
        self._number = number
        return results

    def execute(
        self, command: Command, township: Township | None = None, now: float | None = None
    ) -> tuple[Incident, Change]:
        """Carry out a command in one transaction: check it against the incident's current row,
        write the new state only if nobody changed it meanwhile, log the change with it."""
        now = time.time() if now is None else now
        with self.unit_of_work() as s:
            row = s.get(IncidentRow, command.incident, with_for_update=True)
            if row is None:
                raise LifecycleError(
                    ErrorCode.UNKNOWN_INCIDENT, f"no incident {command.incident!r}"
                )
            before = _incident(row)
            if command.action == Action.MERGE:
                self._check_merge_target(s, before, command.args.get("target"))
            after, change = apply(before, command, now, self.rules, township)
            updated = s.execute(
                update(IncidentRow)
                .where(IncidentRow.id == before.id, IncidentRow.version == before.version)
                .values(**_row_values(after))
                .execution_options(synchronize_session=False)
            )
            if updated.rowcount != 1:  # type: ignore[attr-defined]
                raise LifecycleError(ErrorCode.STALE_VERSION, "changed by someone else just now")
            s.add(_action_row(change))
            if command.action == Action.EVALUATE:
                s.add(
                    EvaluationRow(
                        incident=after.id,
                        at=now,
                        evaluator=command.actor,
                        department=after.department,
                        score=after.score,
                        satisfaction=command.args.get("satisfaction"),
                        comment=str(command.args.get("comment", "")),
                    )
                )
        return after, change

    def overdue(self, now: float, limit: int = 500) -> list[Incident]:
        """Open incidents whose running stage is past its deadline and not yet noted as such."""
        with self.unit_of_work() as s:
            rows = s.scalars(
                select(IncidentRow)
                .where(IncidentRow.stage_due < now, IncidentRow.overdue_noted.is_(False))
                .order_by(IncidentRow.stage_due)
                .limit(limit)
            )
            return [_incident(r) for r in rows]

    def dispatch_queue(self, limit: int = 200) -> list[Incident]:
        """Open incidents, most urgent first, then the nearest deadline (ix_incident_queue)."""
        table = IncidentRow.__table__
        query = (
            select(table)
            .where(table.c.is_open.is_(True))
            .order_by(table.c.urgency_rank, table.c.queue_due)
            .limit(limit)
        )
        return self._read(query)

    def incidents(self, since: float = 0.0) -> list[Incident]:
        """Incidents updated since `since` (all of them by default), in number order."""
        table = IncidentRow.__table__
        query = select(table).where(table.c.updated_at >= since).order_by(table.c.number)
        return self._read(query)

    def live_incidents(self, closed_since: float) -> list[Incident]:
        """What a console needs: every open incident, and those ended since `closed_since`."""
        table = IncidentRow.__table__
        query = (
            select(table)
            .where(or_(table.c.is_open.is_(True), table.c.updated_at >= closed_since))
            .order_by(table.c.number)
        )
        return self._read(query)

    def add_attachment(
        self, incident_id: str, media_type: str, data: bytes, added_by: str
    ) -> dict[str, Any]:
        """Keep a photo: the file is written (content-addressed, fsynced) before the row that
        refers to it is committed, so a committed row never points at a missing file."""
        if media_type not in ATTACHMENT_TYPES:
            allowed = ", ".join(sorted(ATTACHMENT_TYPES))
            raise LifecycleError(ErrorCode.INVALID, f"media_type must be one of: {allowed}")
        if not data or len(data) > MAX_ATTACHMENT_BYTES:
            raise LifecycleError(
                ErrorCode.INVALID, f"an attachment is 1 to {MAX_ATTACHMENT_BYTES} bytes"
            )
        if self.get(incident_id) is None:  # before writing a file nothing would refer to
            raise LifecycleError(ErrorCode.UNKNOWN_INCIDENT, f"no incident {incident_id!r}")
        digest = hashlib.sha256(data).hexdigest()
        path = self.attachments / digest[:2] / f"{digest}{ATTACHMENT_TYPES[media_type]}"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            with partial.open("wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            partial.replace(path)
        with self.unit_of_work() as s:
            if s.get(IncidentRow, incident_id) is None:
                raise LifecycleError(ErrorCode.UNKNOWN_INCIDENT, f"no incident {incident_id!r}")
            row = AttachmentRow(
                incident=incident_id,
                path=str(path.relative_to(self.attachments)),
                media_type=media_type,
                size=len(data),
                sha256=digest,
                added_at=time.time(),
                added_by=added_by,
            )
            s.add(row)
            s.flush()
            return _columns(row)

    def attachment_path(self, relative: str) -> Path:
        return self.attachments / relative

    def attachments_of(self, incident_id: str) -> list[dict[str, Any]]:
        """The incident's attachments (their rows, not their bytes), oldest first."""
        with self.unit_of_work() as s:
            rows = s.scalars(
                select(AttachmentRow)
                .where(AttachmentRow.incident == incident_id)
                .order_by(AttachmentRow.id)
            )
            return [_columns(r) for r in rows]

    def attachment(self, attachment_id: int) -> tuple[dict[str, Any], bytes]:
        """One attachment's row and bytes; the bytes are checked against the row's digest."""
        with self.unit_of_work() as s:
            row = s.get(AttachmentRow, attachment_id)
            if row is None:
                raise LifecycleError(ErrorCode.INVALID, f"no attachment {attachment_id}")
            meta = _columns(row)
        data = self.attachment_path(meta["path"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise LifecycleError(ErrorCode.INVALID, f"attachment {attachment_id} is damaged")
        return meta, data

    def _read(self, query: Select[Any]) -> list[Incident]:
        """Core rows, not ORM objects: tracked objects cost 10× the query on a queue of 200 and
        made reading 100,000 incidents at start-up take 8 s."""
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings()
            return [Incident.from_wire(cast(Mapping[str, Any], r)) for r in rows]

    def get(self, incident_id: str) -> Incident | None:
        with self.unit_of_work() as s:
            row = s.get(IncidentRow, incident_id)
            return None if row is None else _incident(row)

    def changes(self, incident_id: str) -> list[Change]:
        """The incident's action log, oldest first."""
        return self._changes(select(ActionRow).where(ActionRow.incident == incident_id))

    def period(self, start: float, end: float) -> tuple[list[Incident], list[Change]]:
        """What the evaluation of [start, end) reads: the period's action log, and every
        incident it refers to or that was due to close in it."""
        table = IncidentRow.__table__
        touched = select(ActionRow.incident).where(ActionRow.at >= start, ActionRow.at < end)
        query = select(table).where(
            or_(
                table.c.id.in_(touched),
                and_(table.c.case_due >= start, table.c.case_due < end),
            )
        )
        changes = self._changes(select(ActionRow).where(ActionRow.at >= start, ActionRow.at < end))
        return self._read(query), changes

    def changes_since(self, since: float) -> list[Change]:
        """Every incident's actions from `since` on, oldest first (the indicators' rebuild)."""
        return self._changes(select(ActionRow).where(ActionRow.at >= since))

    # --- the audit trail (domain.audit) ---------------------------------------------------------

    def add_audit(self, entries: list[AuditEntry]) -> None:
        """Append entries, in their order, in one transaction."""
        if entries:
            with self.unit_of_work() as s:
                s.execute(insert(AUDIT), [e.fields() | {"hash": e.hash} for e in entries])

    def audit_head(self) -> tuple[int, str]:
        """The last entry's number and hash, where the chain goes on (0, GENESIS when empty)."""
        with self.unit_of_work() as s:
            row = s.execute(
                select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)
            ).first()
        return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))

    def audit(self, after_seq: int = 0, limit: int = 100_000) -> list[AuditEntry]:
        table = AuditRow.__table__
        query = select(table).where(table.c.seq > after_seq).order_by(table.c.seq).limit(limit)
        with self.unit_of_work() as s:
            return [AuditEntry(**row._mapping) for row in s.execute(query)]

    def prune_audit(self, now: float) -> int:
        """Let go of entries older than the retention; the database refuses younger ones."""
        with self.unit_of_work() as s:
            done = s.execute(delete(AuditRow).where(AuditRow.at < now - RETENTION_DAYS * 86_400))
        return int(done.rowcount)  # type: ignore[attr-defined]

    # --- patrols -------------------------------------------------------------------------------

    def add_patrol(self, report: PatrolReport, patrol: Patrol) -> tuple[Patrol, bool]:
        """Store a patrol (domain.patrol.accept_patrol made it of the report); (patrol, created).
        Idempotent on the id: the same patrol sent again gets the stored one back, a different
        one with a taken id raises PatrolConflict."""
        sent = report.to_wire()
        digest = hashlib.sha256(
            json.dumps(sent, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
        with self.unit_of_work() as s:
            row = s.get(PatrolRow, report.id)
            if row is not None:
                if row.report_digest != digest:
                    raise PatrolConflict(f"patrol id {report.id} is taken by another patrol")
                return _patrol(row), False
            s.add(PatrolRow(**patrol.to_wire(), report_digest=digest, sent=sent))
        return patrol, True

    def patrols(self, start: float, end: float) -> list[Patrol]:
        """Patrols started in [start, end)."""
        query = select(PatrolRow).where(PatrolRow.started_at >= start, PatrolRow.started_at < end)
        with self.unit_of_work() as s:
            return [_patrol(row) for row in s.scalars(query.order_by(PatrolRow.started_at))]

    # --- the indicators' minute history --------------------------------------------------------

    def add_minutes(self, rows: list[MinuteRow], now: float) -> None:
        """Store ended minutes (a minute stored already is kept as it was) and let go of those
        older than the history keeps."""
        if not rows:
            return
        with self.unit_of_work() as s:
            have = set(
                s.scalars(
                    select(IndicatorMinuteRow.at).where(
                        IndicatorMinuteRow.at.in_([r.at for r in rows])
                    )
                )
            )
            s.add_all(IndicatorMinuteRow(**r.to_wire()) for r in rows if r.at not in have)
            s.execute(delete(IndicatorMinuteRow).where(IndicatorMinuteRow.at < now - KEPT_SECONDS))

    def minutes(self, since: float) -> list[MinuteRow]:
        """Plain rows, not ORM objects: 30 days are 43,200 of them (ORM: 600 ms; rows: less)."""
        table = IndicatorMinuteRow.__table__
        query = select(table).where(table.c.at >= since).order_by(table.c.at)
        with self.unit_of_work() as s:
            return [MinuteRow(*row) for row in s.execute(query)]

    def last_minute(self) -> int | None:
        with self.unit_of_work() as s:
            return s.scalar(select(func.max(IndicatorMinuteRow.at)))

    def _changes(self, query: Select[Any]) -> list[Change]:
        with self.unit_of_work() as s:
            rows = s.scalars(query.order_by(ActionRow.id))
            return [
                Change(
                    incident=r.incident,
                    action=r.action,
                    actor=r.actor,
                    role=r.role,
                    at=r.at,
                    from_state=r.from_state,
                    to_state=r.to_state,
                    version=r.version,
                    args=dict(r.args),
                    note=r.note,
                )
                for r in rows
            ]

    def replay(self, incident_id: str, township: Township | None = None) -> Incident:
        """Rebuild an incident from its action log alone (the audit's proof)."""
        log = self.changes(incident_id)
        first = log[0]
        report = FieldReport.from_wire({k: v for k, v in first.args.items() if k != "number"})
        incident = new_incident(report, int(first.args["number"]), first.at, self.rules)
        for change in log[1:]:
            command = Command(
                change.incident,
                Action(change.action),
                change.version - 1,
                change.actor,
                Role(change.role),
                change.args,
            )
            incident, _ = apply(incident, command, change.at, self.rules, township)
        return incident

    def action_count(self, incident_id: str) -> int:
        with self.unit_of_work() as s:
            return (
                s.scalar(
                    select(func.count())
                    .select_from(ActionRow)
                    .where(ActionRow.incident == incident_id)
                )
                or 0
            )

    def _next_number(self, s: Session) -> int:
        # The backend is the store's only writer, so the counter is kept after the first read.
        if self._number is None:
            self._number = (s.scalar(select(func.max(IncidentRow.number))) or 0) + 1
        return self._number

    def _check_merge_target(self, s: Session, incident: Incident, target: Any) -> None:
        row = s.get(IncidentRow, target) if isinstance(target, str) else None
        if row is None or target == incident.id:
            raise LifecycleError(
                ErrorCode.INVALID, f"merge target {target!r} is not another incident"
            )
        if row.state in {st.value for st in TERMINAL_STATES}:
            raise LifecycleError(
                ErrorCode.ILLEGAL_TRANSITION, f"cannot merge into an incident that is {row.state}"
            )


_INTERNAL = ("report_digest", "is_open", "urgency_rank", "queue_due")


def _row_values(incident: Incident) -> dict[str, Any]:
    values = incident.to_wire()
    values.update(
        is_open=incident.is_open,
        urgency_rank=URGENCY_RANK[incident.urgency],
        queue_due=incident.stage_due or incident.case_due or incident.received_at,
    )
    return values


def _conflict(report: FieldReport) -> ReportConflict:
    return ReportConflict(f"report id {report.id} was already used for another report")


def _action_row(change: Change) -> ActionRow:
    return ActionRow(
        incident=change.incident,
        at=change.at,
        actor=change.actor,
        role=change.role,
        action=change.action,
        from_state=change.from_state,
        to_state=change.to_state,
        note=change.note,
        version=change.version,
        args=change.args,
    )


def _columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


def _patrol(row: PatrolRow) -> Patrol:
    return Patrol.from_wire(_columns(row))


def _incident(row: IncidentRow) -> Incident:
    return Incident.from_wire({k: v for k, v in _columns(row).items() if k not in _INTERNAL})
