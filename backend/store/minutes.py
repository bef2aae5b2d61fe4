"""The indicators' minute history (domain.indicator_history), kept for a month."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from backend.schema import IndicatorMinuteRow
from backend.store.base import StoreBase
from domain.indicator_history import KEPT_SECONDS, MinuteRow


class MinuteRepository(StoreBase):
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
