"""What every repository of the store shares: the engine, a session per unit of work, the rules,
and the conversions between rows and domain objects.

SQLite runs in WAL mode with synchronous=FULL so that a report acknowledged after its commit
survives a power cut; PostgreSQL is used as it comes (`--db postgresql+psycopg://…`).
All methods run on the caller's thread and open their own session: never share one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, Table, create_engine, event, insert
from sqlalchemy.orm import Session, sessionmaker

from backend.schema import ActionRow, IncidentRow, PatrolRow
from domain.deadlines import DeadlineRules
from domain.incident import URGENCY_RANK, Incident
from domain.lifecycle import Change
from domain.patrol import Patrol


def _json(value: Any) -> str:
    """JSON columns written by orjson: json.dumps was a tenth of a report's intake."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, json_serializer=_json)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=_json)


class StoreBase:
    """The state every repository reads; `Store` (backend.store) sets it up once."""

    url: str
    engine: Engine
    _sessions: sessionmaker[Session]
    rules: DeadlineRules
    attachments: Path
    _number: int | None

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session and its transaction: committed on success, rolled back on any error."""
        with self._sessions.begin() as session:
            yield session


_PLANS: dict[tuple[str, str, tuple[str, ...]], tuple[str, list[Any], bool]] = {}


def insert_many(session: Session | Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Core's `execute(insert(t), rows)`, less its cost per row: the statement is compiled
    once per table, dialect and columns, and the driver gets plain tuples, each value through
    its type's own conversion (JSON serialised, booleans and floats as the dialect wants).
    Core spent a third of a report's intake building parameters. Every row has the keys of
    the first."""
    if not rows:
        return
    conn = session.connection() if isinstance(session, Session) else session
    keys = tuple(rows[0])
    plan = _PLANS.get((table.name, conn.dialect.name, keys))
    if plan is None:
        compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(keys))
        order = list(compiled.positiontup or keys)
        d = conn.dialect  # the conversions Core applies, looked up once
        convert = [(k, table.c[k].type.dialect_impl(d).bind_processor(d)) for k in order]
        plan = (compiled.string, convert, compiled.positional)
        _PLANS[(table.name, conn.dialect.name, keys)] = plan
    sql, columns, positional = plan
    if positional:
        params: list[Any] = [
            tuple(row[k] if p is None or row[k] is None else p(row[k]) for k, p in columns)
            for row in rows
        ]
    else:
        params = [
            {k: row[k] if p is None or row[k] is None else p(row[k]) for k, p in columns}
            for row in rows
        ]
    conn.exec_driver_sql(sql, params)


_INTERNAL = ("report_digest", "is_open", "urgency_rank", "queue_due")


def row_values(incident: Incident) -> dict[str, Any]:
    values = incident.to_wire()
    values.update(
        is_open=incident.is_open,
        urgency_rank=URGENCY_RANK[incident.urgency],
        queue_due=incident.stage_due or incident.case_due or incident.received_at,
    )
    return values


def action_row(change: Change) -> ActionRow:
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


def columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


def patrol_of(row: PatrolRow) -> Patrol:
    return Patrol.from_wire(columns(row))


def incident_of(row: IncidentRow) -> Incident:
    return incident_of_values(columns(row))


def incident_of_values(values: Mapping[str, Any]) -> Incident:
    """An incident of its row's columns (a Core row's mapping, or `columns` of a model)."""
    return Incident.from_wire({k: v for k, v in values.items() if k not in _INTERNAL})
