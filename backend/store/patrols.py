"""Grid workers' patrols, stored as sent, idempotent on the app's id."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select

from backend.schema import PatrolRow
from backend.store.base import StoreBase, patrol_of
from domain.patrol import Patrol, PatrolError, PatrolReport


class PatrolConflict(PatrolError):
    """The patrol's id is already taken by a different patrol."""


class PatrolRepository(StoreBase):
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
                return patrol_of(row), False
            s.add(PatrolRow(**patrol.to_wire(), report_digest=digest, sent=sent))
        return patrol, True

    def patrol_tracks(self, start: float, end: float) -> list[dict[str, Any]]:
        """Patrols started in [start, end) with their tracks as sent ((lat, lon, t) points)."""
        query = select(PatrolRow).where(PatrolRow.started_at >= start, PatrolRow.started_at < end)
        with self.unit_of_work() as s:
            rows = list(s.scalars(query.order_by(PatrolRow.started_at)))
            return [
                {"id": row.id, "worker_name": row.worker_name, "grid": row.grid,
                 "started_at": row.started_at, "ended_at": row.ended_at,
                 "track": _points((row.sent or {}).get("track"))}
                for row in rows
            ]  # fmt: skip

    def patrols(self, start: float, end: float) -> list[Patrol]:
        """Patrols started in [start, end)."""
        query = select(PatrolRow).where(PatrolRow.started_at >= start, PatrolRow.started_at < end)
        with self.unit_of_work() as s:
            return [patrol_of(row) for row in s.scalars(query.order_by(PatrolRow.started_at))]


def _points(track: Any) -> list[list[float]]:
    """A stored track's (lat, lon, t) points; anything else in it is left out."""
    if not isinstance(track, list):
        return []
    return [list(p) for p in track if isinstance(p, list) and len(p) >= 2]
