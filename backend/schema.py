"""The tables, as typed SQLAlchemy 2.x models. Changes go through an Alembic migration.

Times are stored as UTC epoch seconds (float): portable between SQLite and PostgreSQL, cheap to
index and to compare with deadlines, and what the wire carries.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class TownshipRow(Base):
    __tablename__ = "township"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    platform_sets: Mapped[dict[str, object]] = mapped_column(JSON)
    """Both platform sets as data: the township chooses one by configuration."""
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Raised by every apply of the township's files (backend.township)."""
    platform_set: Mapped[str | None] = mapped_column(String(32))
    """The set the township's files chose; None: the backend's configured one."""
    deadline_rules: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The township's time limits and holidays; None: resources/deadlines.json."""
    map_layers: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    """Its own map layers (domain.map_features), as its files last gave them."""
    changed_by: Mapped[str | None] = mapped_column(String(64))
    changed_at: Mapped[float | None] = mapped_column(Float)
    """Who applied the version, and when (the running backend audits it)."""


class VillageRow(Base):
    __tablename__ = "village"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    boundary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    retired_at: Mapped[float | None] = mapped_column(Float)
    """Gone from the township's files; kept, with its name, for the cases that name it."""


class PersonRow(Base):
    __tablename__ = "person"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32), index=True)
    village: Mapped[str | None] = mapped_column(ForeignKey("village.code"))
    phone: Mapped[str] = mapped_column(String(32))
    speciality: Mapped[str | None] = mapped_column(String(32))
    retired_at: Mapped[float | None] = mapped_column(Float)


class GridRow(Base):
    __tablename__ = "grid"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    village: Mapped[str] = mapped_column(ForeignKey("village.code"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    leader: Mapped[str] = mapped_column(ForeignKey("person.code"))
    boundary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    retired_at: Mapped[float | None] = mapped_column(Float)


class GridDutyRow(Base):
    """A person's place on a grid team: member (网格成员) or full-time worker (专职网格员)."""

    __tablename__ = "grid_duty"
    grid: Mapped[str] = mapped_column(ForeignKey("grid.code"), primary_key=True)
    person: Mapped[str] = mapped_column(ForeignKey("person.code"), primary_key=True)
    duty: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)


class DepartmentRow(Base):
    __tablename__ = "department"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    platform_by_set: Mapped[dict[str, str]] = mapped_column(JSON)
    handlers: Mapped[list[str]] = mapped_column(JSON)
    retired_at: Mapped[float | None] = mapped_column(Float)


class CategoryRow(Base):
    __tablename__ = "category"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    platform_by_set: Mapped[dict[str, str]] = mapped_column(JSON)
    department: Mapped[str] = mapped_column(ForeignKey("department.code"))
    demo_weight: Mapped[int] = mapped_column(Integer, default=0)
    demo_texts: Mapped[list[str]] = mapped_column(JSON)
    retired_at: Mapped[float | None] = mapped_column(Float)


class CameraRow(Base):
    __tablename__ = "camera"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    group: Mapped[str] = mapped_column(String(32))
    phase: Mapped[int] = mapped_column(Integer)
    village: Mapped[str | None] = mapped_column(ForeignKey("village.code"))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    main_url: Mapped[str] = mapped_column(String(512))
    sub_url: Mapped[str] = mapped_column(String(512))
    coverage_km: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[float | None] = mapped_column(Float)
    retired_at: Mapped[float | None] = mapped_column(Float)


class IncidentRow(Base):
    __tablename__ = "incident"
    __table_args__ = (
        # The dispatch queue: open incidents, most urgent first, then by the running deadline.
        # Column directions match the query's ORDER BY so the index is read, not sorted.
        Index("ix_incident_queue", "is_open", "urgency_rank", "queue_due"),
        Index("ix_incident_stage_due", "stage_due"),
        Index("ix_incident_updated_at", "updated_at"),  # what ended lately, at start
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    """Generated by the reporting terminal: a resend of the same report creates nothing."""
    number: Mapped[int] = mapped_column(Integer, unique=True)
    category: Mapped[str] = mapped_column(ForeignKey("category.code"))
    urgency: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(24))
    description: Mapped[str] = mapped_column(Text)
    village: Mapped[str] = mapped_column(ForeignKey("village.code"))
    grid: Mapped[str | None] = mapped_column(ForeignKey("grid.code"))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    reporter: Mapped[str] = mapped_column(String(64))
    reported_at: Mapped[float] = mapped_column(Float)
    received_at: Mapped[float] = mapped_column(Float, index=True)
    report_digest: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the report as first received: tells a resend from a conflicting reuse of an id."""
    version: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(24), default="village")
    platform: Mapped[str | None] = mapped_column(String(32))
    department: Mapped[str | None] = mapped_column(ForeignKey("department.code"))
    stage: Mapped[str | None] = mapped_column(String(16))
    stage_started_at: Mapped[float | None] = mapped_column(Float)
    stage_due: Mapped[float | None] = mapped_column(Float)
    stage_duration: Mapped[str | None] = mapped_column(String(16))
    overdue_noted: Mapped[bool] = mapped_column(Boolean, default=False)
    case_due: Mapped[float | None] = mapped_column(Float)
    extension_requested: Mapped[str | None] = mapped_column(String(16))
    merged_into: Mapped[str | None] = mapped_column(String(36))
    settled_in_village: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[float | None] = mapped_column(Float)
    score: Mapped[int | None] = mapped_column(Integer)
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    urged: Mapped[int] = mapped_column(Integer, default=0)
    assisting: Mapped[str | None] = mapped_column(String(400))
    updated_at: Mapped[float] = mapped_column(Float, default=0.0)
    last_actor: Mapped[str | None] = mapped_column(String(64))
    reporter_phone: Mapped[str | None] = mapped_column(String(24))
    reporter_id_number: Mapped[str | None] = mapped_column(String(18))
    """A resident's contact: kept whole here, masked on the wire unless revealed (audited)."""
    # Derived, for the queue index only (never on the wire):
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    urgency_rank: Mapped[int] = mapped_column(Integer, default=2)
    queue_due: Mapped[float] = mapped_column(Float, default=0.0)
    """The running stage's deadline, or the whole case's when no stage clock runs."""


class ActionRow(Base):
    """Append-only: written in the same transaction as the change it records."""

    __tablename__ = "action_log"
    __table_args__ = (
        Index("ix_action_log_incident_at", "incident", "at"),
        Index("ix_action_log_at", "at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident: Mapped[str] = mapped_column(ForeignKey("incident.id"))
    at: Mapped[float] = mapped_column(Float)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    """The incident's version after this change."""
    args: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    """Everything the command carried, so that the log replays to the same incident."""


class AttachmentRow(Base):
    """Photos and snapshots: the file lives in the attachment folder, the row refers to it."""

    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident: Mapped[str] = mapped_column(ForeignKey("incident.id"), index=True)
    path: Mapped[str] = mapped_column(String(512))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[float] = mapped_column(Float)
    added_by: Mapped[str] = mapped_column(String(64))


class EvaluationRow(Base):
    """评价: written with the evaluate action, read by the evaluation figures."""

    __tablename__ = "evaluation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident: Mapped[str] = mapped_column(ForeignKey("incident.id"), index=True)
    at: Mapped[float] = mapped_column(Float)
    evaluator: Mapped[str] = mapped_column(String(64))
    department: Mapped[str | None] = mapped_column(String(32))
    score: Mapped[int] = mapped_column(Integer)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")


class IndicatorMinuteRow(Base):
    """One minute of the indicators' history (domain.indicator_history); 31 days are kept."""

    __tablename__ = "indicator_minute"
    at: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    received: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[int] = mapped_column(Integer, default=0)
    open: Mapped[int | None] = mapped_column(Integer)
    overdue: Mapped[int | None] = mapped_column(Integer)
    in_progress: Mapped[int | None] = mapped_column(Integer)


class PatrolRow(Base):
    """巡查: one grid worker's patrol, as the grid app sent it when it ended (domain.patrol)."""

    __tablename__ = "patrol"
    __table_args__ = (Index("ix_patrol_started_at", "started_at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    worker: Mapped[str] = mapped_column(String(32), index=True)
    worker_name: Mapped[str] = mapped_column(String(64))
    grid: Mapped[str] = mapped_column(String(32), index=True)
    village: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[float] = mapped_column(Float)
    ended_at: Mapped[float] = mapped_column(Float)
    distance_m: Mapped[float] = mapped_column(Float)
    found: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[float] = mapped_column(Float)
    report_digest: Mapped[str] = mapped_column(String(64))
    """Of what the app sent: a resend must be the same patrol, or it is a conflict."""
    sent: Mapped[dict[str, object]] = mapped_column(JSON)
    """What the app sent, track and report ids included, kept as evidence."""


class AuditRow(Base):
    """The audit trail (domain.audit): append-only; the database refuses to change a row or to
    delete one younger than the retention (migration 0007), and `verify` finds what got past."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[float] = mapped_column(Float)
    who: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    console: Mapped[str] = mapped_column(String(64))
    what: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, object]] = mapped_column(JSON)
    prev: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class UserRow(Base):
    """A person who logs in; the role the backend authorises by (domain.access)."""

    __tablename__ = "app_user"
    login: Mapped[str] = mapped_column(String(32), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    person: Mapped[str | None] = mapped_column(String(16))
    """The township person this user is (a grid worker's patrols are theirs alone)."""
    ties: Mapped[dict[str, list[str]] | None] = mapped_column(JSON)
    """What the user is tied to beside their person's lists: {"departments": [...]} for a
    handler, "villages" for a grid leader, "grids" for a grid worker (domain.accounts)."""
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[float] = mapped_column(Float, index=True)
    """Any change (added, password, role, disabled): the backend audits it when it sees it."""


class LoginSessionRow(Base):
    """A login: only the SHA-256 of its token is kept, bound to the console key it came with."""

    __tablename__ = "login_session"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    login: Mapped[str] = mapped_column(ForeignKey("app_user.login"))
    console: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[float] = mapped_column(Float)
    ended_at: Mapped[float | None] = mapped_column(Float, index=True)
