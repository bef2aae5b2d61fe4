"""The audit trail's table (domain.audit): appended in order, read in pages, pruned by age."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, delete, insert, select

from backend.schema import AuditRow
from backend.store.base import StoreBase
from domain.audit import GENESIS, RETENTION_DAYS, AuditEntry

AUDIT = cast(Table, AuditRow.__table__)


class AuditRepository(StoreBase):
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

    def recent_request_ids(self, since: float) -> list[tuple[str, float]]:
        """The message ids of changing requests on the record since `since`, with when."""
        query = select(AUDIT.c.detail, AUDIT.c.at).where(AUDIT.c.at >= since)
        with self.unit_of_work() as s:
            rows = s.execute(query).all()
        return [
            (d["id"], at) for d, at in rows if isinstance(d, dict) and isinstance(d.get("id"), str)
        ]

    def last_audited_township_version(self) -> int:
        """The township version the trail last recorded as applied (0: none)."""
        query = (
            select(AUDIT.c.detail)
            .where(AUDIT.c.what == "township.applied")
            .order_by(AUDIT.c.seq.desc())
            .limit(1)
        )
        with self.unit_of_work() as s:
            detail = s.scalar(query)
        version = detail.get("version") if isinstance(detail, dict) else None
        return version if isinstance(version, int) else 0

    def audit(self, after_seq: int = 0, limit: int = 100_000) -> list[AuditEntry]:
        table = AuditRow.__table__
        query = select(table).where(table.c.seq > after_seq).order_by(table.c.seq).limit(limit)
        with self.unit_of_work() as s:
            return [AuditEntry(**row._mapping) for row in s.execute(query)]

    def prune_audit(self, now: float) -> AuditEntry | None:
        """Let go of entries older than the retention (the database refuses younger ones); the
        last one let go, for the checkpoint that records the pruning (None: none went)."""
        cutoff = now - RETENTION_DAYS * 86_400
        with self.unit_of_work() as s:
            row = s.execute(
                select(AUDIT).where(AUDIT.c.at < cutoff).order_by(AUDIT.c.seq.desc()).limit(1)
            ).first()
            if row is None:
                return None
            last = AuditEntry(**row._mapping)
            s.execute(delete(AuditRow).where(AuditRow.seq <= last.seq, AuditRow.at < cutoff))
        return last
