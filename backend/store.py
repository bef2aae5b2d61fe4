"""The durable store: one SQLAlchemy engine, a session per unit of work, migrations at start.

SQLite runs in WAL mode with synchronous=FULL so that a report acknowledged after its commit
survives a power cut; PostgreSQL is used as it comes (`--db postgresql+psycopg://…`).
All methods run on the caller's thread and open their own session: never share one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from backend.schema import (
    ActionRow,
    CameraRow,
    CategoryRow,
    DepartmentRow,
    GridDutyRow,
    GridRow,
    IncidentRow,
    PersonRow,
    TownshipRow,
    VillageRow,
)
from domain.incident import FieldReport, Incident, IncidentState, ReportError
from domain.township import Township

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class ReportConflict(ReportError):
    """The report's id is already taken by a different report."""


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
    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

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

    def intake(self, report: FieldReport, actor_role: str = "grid_worker") -> tuple[Incident, bool]:
        """Store a field report; returns (incident, created). Idempotent on the report's id.

        Raises ReportConflict when the id was used for a different report.
        """
        digest = report_digest(report)
        now = time.time()
        with self.unit_of_work() as s:
            existing = s.get(IncidentRow, report.id)
            if existing is not None:
                if existing.report_digest != digest:
                    raise ReportConflict(
                        f"report id {report.id} was already used for another report"
                    )
                return _incident(existing), False
            number = (s.scalar(select(func.max(IncidentRow.number))) or 0) + 1
            row = IncidentRow(
                id=report.id,
                number=number,
                category=report.category,
                urgency=report.urgency.value,
                channel=report.channel.value,
                state=IncidentState.REPORTED.value,
                description=report.description,
                village=report.village,
                grid=report.grid,
                lat=report.lat,
                lon=report.lon,
                reporter=report.reporter,
                reported_at=report.reported_at,
                received_at=now,
                report_digest=digest,
                version=1,
            )
            s.add(row)
            s.flush()  # no ORM relationship orders the two inserts; the foreign key needs it
            s.add(
                ActionRow(
                    incident=report.id,
                    at=now,
                    actor=report.reporter,
                    role=actor_role,
                    action="report",
                    from_state=None,
                    to_state=IncidentState.REPORTED.value,
                    note=report.channel.value,
                )
            )
            return _incident(row), True

    def incidents(self, since: float = 0.0) -> list[Incident]:
        with self.unit_of_work() as s:
            rows = s.scalars(
                select(IncidentRow)
                .where(IncidentRow.received_at >= since)
                .order_by(IncidentRow.number)
            )
            return [_incident(r) for r in rows]

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


def _columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


def _incident(row: IncidentRow) -> Incident:
    return Incident.from_wire({k: v for k, v in _columns(row).items() if k != "report_digest"})
