"""Incidents and their action log: intake in group commits, commands checked against the row
they change, and the reads the live service, the evaluation and the audit's replay make."""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable, Mapping
from typing import Any, cast

import orjson
from sqlalchemy import (
    Connection,
    Select,
    Table,
    and_,
    bindparam,
    func,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session

from backend.schema import ActionRow, EvaluationRow, IncidentRow
from backend.store.audit import AUDIT
from backend.store.base import (
    StoreBase,
    action_row,
    incident_of,
    incident_of_values,
    insert_many,
    row_values,
)
from domain.audit import AuditEntry
from domain.incident import FieldReport, Incident, ReportError
from domain.lifecycle import (
    Action,
    Change,
    Command,
    ErrorCode,
    LifecycleError,
    apply,
    merge_target_refusal,
    new_incident,
    reporter_role,
)
from domain.township import Role, Township

INCIDENTS = cast(Table, IncidentRow.__table__)
ACTIONS = cast(Table, ActionRow.__table__)


_TAKEN = select(INCIDENTS.c.id).where(INCIDENTS.c.id.in_(bindparam("ids", expanding=True)))


class ReportConflict(ReportError):
    """The report's id is already taken by a different report."""


def report_digest(report: FieldReport) -> str:
    """What tells a report sent again from another report under the same id."""
    canonical = orjson.dumps(report.to_wire(), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()


def same_report(stored: str, report: FieldReport, digest: str) -> bool:
    """`stored` is the digest of `report`, this one or as stores before 2026-12 wrote it
    (json.dumps, slower: a tenth of a report's intake)."""
    if stored == digest:
        return True
    legacy = json.dumps(report.to_wire(), sort_keys=True, ensure_ascii=False)
    return stored == hashlib.sha256(legacy.encode()).hexdigest()


def conflict_of(report: FieldReport) -> ReportConflict:
    return ReportConflict(f"report id {report.id} was already used for another report")


class IncidentRepository(StoreBase):
    def intake(self, report: FieldReport) -> tuple[Incident, bool]:
        """Store one field report; see `intake_many`."""
        (result,) = self.intake_many([report])
        if isinstance(result, Exception):
            raise result
        return result

    def intake_many(
        self,
        reports: list[FieldReport],
        now: float | None = None,
        audit: Callable[[list[tuple[Incident, bool] | ReportConflict]], list[AuditEntry]]
        | None = None,
    ) -> list[tuple[Incident, bool] | ReportConflict]:
        """Store reports in one transaction (group commit); per report: (incident, created) or
        the conflict. Idempotent on each report's id. Nothing is acknowledged before the commit
        returns, so an acknowledged report is durable. `now`: the moment of receipt (a replayed
        day; the present by default). `audit`: the entries that record the results, written
        in the same transaction (one commit per batch, not two)."""
        now = time.time() if now is None else now
        results: list[tuple[Incident, bool] | ReportConflict] = []
        # Core, not a Session: the ORM's set-up was two thirds of a lone report's commit.
        with self.engine.begin() as s:
            ids = list({r.id for r in reports})
            known: dict[str, dict[str, Any]] = {}
            if seen := list(s.scalars(_TAKEN, {"ids": ids})):  # rare: sent again
                query = select(INCIDENTS).where(INCIDENTS.c.id.in_(seen))
                known = {row["id"]: dict(row) for row in s.execute(query).mappings()}
            fresh: dict[str, tuple[Incident, str]] = {}
            incident_rows: list[dict[str, Any]] = []
            action_rows: list[dict[str, Any]] = []
            number = self._next_number(s)
            for report in reports:
                digest = report_digest(report)
                if report.id in known:
                    row = known[report.id]
                    results.append(
                        (incident_of_values(row), False)
                        if same_report(row["report_digest"], report, digest)
                        else conflict_of(report)
                    )
                    continue
                if report.id in fresh:
                    incident, first_digest = fresh[report.id]
                    results.append(
                        (incident, False) if first_digest == digest else conflict_of(report)
                    )
                    continue
                incident = new_incident(report, number, now, self.rules)
                number += 1
                fresh[report.id] = (incident, digest)
                incident_rows.append({**row_values(incident), "report_digest": digest})
                action_rows.append(
                    {
                        "incident": incident.id,
                        "at": now,
                        "actor": report.reporter,
                        "role": reporter_role(report.channel).value,
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
                insert_many(s, INCIDENTS, incident_rows)
                insert_many(s, ACTIONS, action_rows)
            if audit is not None and (entries := audit(results)):
                insert_many(s, AUDIT, [e.fields() | {"hash": e.hash} for e in entries])
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
            before = incident_of(row)
            if command.action == Action.MERGE:
                self._check_merge_target(s, before, command.args.get("target"))
            after, change = apply(before, command, now, self.rules, township)
            updated = s.execute(
                update(IncidentRow)
                .where(IncidentRow.id == before.id, IncidentRow.version == before.version)
                .values(**row_values(after))
                .execution_options(synchronize_session=False)
            )
            if updated.rowcount != 1:  # type: ignore[attr-defined]
                raise LifecycleError(ErrorCode.STALE_VERSION, "changed by someone else just now")
            s.add(action_row(change))
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
            return [incident_of(r) for r in rows]

    def next_stage_due(self) -> float:
        """The earliest stage deadline not yet noted as passed (inf: none), from the index."""
        query = select(func.min(INCIDENTS.c.stage_due)).where(
            INCIDENTS.c.stage_due.is_not(None), INCIDENTS.c.overdue_noted.is_(False)
        )
        with self.engine.connect() as c:
            found = c.scalar(query)
        return math.inf if found is None else float(found)

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

    def numbers(self, ids: list[str]) -> dict[str, int]:
        """The case numbers of those of `ids` that are incidents (the audit trail's subjects)."""
        table = IncidentRow.__table__
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(table.c.id, table.c.number).where(table.c.id.in_(set(ids)))
            ).all()
        return {str(i): int(n) for i, n in rows}

    def incident_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(IncidentRow)).scalar_one())

    def report_places(
        self, start: float, end: float, category: str | None = None
    ) -> list[tuple[float, float]]:
        """(lat, lon) of the reports received in [start, end) that have a place (the map's
        heat layer): two columns by the received_at index, not whole incidents."""
        table = IncidentRow.__table__
        query = select(table.c.lat, table.c.lon).where(
            table.c.received_at >= start, table.c.received_at < end,
            table.c.lat.is_not(None), table.c.lon.is_not(None),
        )  # fmt: skip
        if category is not None:
            query = query.where(table.c.category == category)
        with self.engine.connect() as conn:
            return [(float(r[0]), float(r[1])) for r in conn.execute(query)]

    def has_incidents(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(IncidentRow.__table__.c.id).limit(1)).first() is not None

    def live_incidents(self, closed_since: float) -> list[Incident]:
        """What a console needs: every open incident, and those ended since `closed_since`.
        Two indexed reads (the queue's index, then updated_at), not an OR that scans the
        whole history: start-up time follows the open cases, not the years behind them."""
        table = IncidentRow.__table__
        open_now = select(table).where(table.c.is_open == true())  # "IS 1" scans
        lately = select(table).where(table.c.updated_at >= closed_since)
        found = self._read(open_now)
        found += [i for i in self._read(lately) if not i.is_open]
        found.sort(key=lambda i: i.number)
        return found

    def _read(self, query: Select[Any]) -> list[Incident]:
        """Core rows, not ORM objects: tracked objects cost 10× the query on a queue of 200 and
        made reading 100,000 incidents at start-up take 8 s."""
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings()
            return [Incident.from_wire(cast(Mapping[str, Any], r)) for r in rows]

    def get(self, incident_id: str) -> Incident | None:
        with self.unit_of_work() as s:
            row = s.get(IncidentRow, incident_id)
            return None if row is None else incident_of(row)

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

    def _next_number(self, s: Session | Connection) -> int:
        # The backend is the store's only writer, so the counter is kept after the first read.
        if self._number is None:
            self._number = (s.scalar(select(func.max(IncidentRow.number))) or 0) + 1
        return self._number

    def _check_merge_target(self, s: Session, incident: Incident, target: Any) -> None:
        row = s.get(IncidentRow, target) if isinstance(target, str) else None
        refusal = merge_target_refusal(incident, None if row is None else incident_of(row))
        if refusal is not None:
            raise refusal
