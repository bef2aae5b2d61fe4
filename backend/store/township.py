"""The township's territory as the store keeps it: applied whole from the township's files (or
the demo's), versioned, and read at start and after every apply.

An apply is one transaction: every register is brought to the files' rows by code. A row the
files no longer have is retired, not deleted: the cases that name a village, grid, person or
department keep it, with its name as it was; a code that comes back is active again.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from backend.schema import (
    Base,
    CameraRow,
    CategoryRow,
    DepartmentRow,
    GridDutyRow,
    GridRow,
    PersonRow,
    TownshipRow,
    VillageRow,
)
from backend.store.base import StoreBase, columns
from domain.township import Camera, Township


class TownshipMismatch(ValueError):
    """The files are another township's than the store's."""


class StaleTownship(ValueError):
    """The store holds a newer version than the one the files were checked against."""


def _sync(s: Session, model: type[Base], values: list[dict[str, Any]], now: float) -> None:
    """Rows of `model` to exactly `values` by code; rows not in `values` retired. New rows go
    in as one Core insert (a county's first apply is 25,000 of them); changed ones through the
    ORM, attribute by attribute."""
    existing: dict[str, Any] = {r.code: r for r in s.scalars(select(model))}  # type: ignore[attr-defined]
    fresh = []
    for v in values:
        row = existing.pop(v["code"], None)
        if row is None:
            fresh.append(v)
            continue
        for key, value in v.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
        if row.retired_at is not None:
            row.retired_at = None
    for row in existing.values():
        if row.retired_at is None:
            row.retired_at = now
    s.flush()
    if fresh:
        s.execute(insert(model.__table__), fresh)  # type: ignore[arg-type]


class TownshipRepository(StoreBase):
    def has_township(self) -> bool:
        with self.unit_of_work() as s:
            return s.scalar(select(func.count()).select_from(TownshipRow)) != 0

    def township_version(self) -> tuple[int, str | None, float | None]:
        """(version, who applied it, when); (0, None, None) for an empty store. Cheap: the
        running backend asks every second."""
        with self.engine.connect() as c:
            row = c.execute(
                select(TownshipRow.version, TownshipRow.changed_by, TownshipRow.changed_at)
            ).first()
        return (0, None, None) if row is None else (row[0], row[1], row[2])

    def township_rules(self) -> dict[str, Any] | None:
        """The township's own time limits and holidays, if its files gave them."""
        with self.unit_of_work() as s:
            return s.scalar(select(TownshipRow.deadline_rules))

    def seed_township(self, township: Township) -> None:
        """Write the township into an empty store (the demo's, from resources/)."""
        self.apply_township(township, by="seed")

    def apply_township(
        self,
        township: Township,
        by: str,
        now: float | None = None,
        rules: dict[str, Any] | None = None,
        expected: int | None = None,
    ) -> int:
        """The township's files into the store, all or nothing; the new version. `rules`: its
        time limits and holidays (kept as they were when None); `expected`: the version they
        were checked against (StaleTownship if another was applied since)."""
        now = time.time() if now is None else now
        data, categories = township.to_dict()
        with self.unit_of_work() as s:
            town = s.scalars(select(TownshipRow).with_for_update()).one_or_none()
            if expected is not None and (0 if town is None else town.version) != expected:
                raise StaleTownship(
                    f"version {0 if town is None else town.version} is in the store now, "
                    f"not {expected}: check the files again"
                )
            if town is None:
                town = TownshipRow(code=data["code"], version=0)
                s.add(town)
            elif town.code != data["code"]:
                raise TownshipMismatch(
                    f"the files are township {data['code']!r}; this store holds {town.code!r}"
                )
            town.name, town.lat, town.lon = data["name"], data["lat"], data["lon"]
            town.platform_sets = data["platform_sets"]
            town.platform_set = township.platform_set
            if rules is not None:
                town.deadline_rules = rules
            town.map_layers = data["layers"] or None
            town.version += 1
            town.changed_by, town.changed_at = by, now
            s.flush()
            _sync(s, VillageRow, data["villages"], now)
            _sync(s, PersonRow, data["people"], now)
            grids = [{k: v for k, v in g.items() if k not in ("members", "workers")}
                     for g in data["grids"]]  # fmt: skip
            _sync(s, GridRow, grids, now)
            s.execute(delete(GridDutyRow))
            duties = [
                {"grid": g["code"], "person": p, "duty": d, "position": i}
                for g in data["grids"]
                for i, (d, p) in enumerate(
                    [("member", p) for p in g["members"]] + [("worker", p) for p in g["workers"]]
                )
            ]
            if duties:
                s.execute(insert(GridDutyRow), duties)
            departments = [
                {"code": d["code"], "name": d["name"], "platform_by_set": d["platform"],
                 "handlers": d["handlers"]}
                for d in data["departments"]
            ]  # fmt: skip
            _sync(s, DepartmentRow, departments, now)
            cats = [
                {"code": c["code"], "name": c["name"], "platform_by_set": c["platform"],
                 "department": c["department"], "demo_weight": c["demo_weight"],
                 "demo_texts": c["demo_texts"]}
                for c in categories
            ]  # fmt: skip
            _sync(s, CategoryRow, cats, now)
            _sync(s, CameraRow, data["cameras"], now)
            return town.version

    def set_camera(self, camera: Camera, by: str, now: float | None = None) -> int:
        """Add or change one camera (active again if it was retired) as a new version."""
        now = time.time() if now is None else now
        values = asdict(camera)
        with self.unit_of_work() as s:
            row = s.get(CameraRow, camera.code)
            if row is None:
                s.add(CameraRow(**values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)
                row.retired_at = None
            return self._new_version(s, by, now)

    def retire_camera(self, code: str, by: str, now: float | None = None) -> int | None:
        """Take a camera off the township (kept, retired); None if there is no such camera."""
        now = time.time() if now is None else now
        with self.unit_of_work() as s:
            row = s.get(CameraRow, code)
            if row is None or row.retired_at is not None:
                return None
            row.retired_at = now
            return self._new_version(s, by, now)

    @staticmethod
    def _new_version(s: Session, by: str, now: float) -> int:
        town = s.scalars(select(TownshipRow)).one()
        town.version += 1
        town.changed_by, town.changed_at = by, now
        return town.version

    def load_township(self, platform_set: str | None = None) -> Township:
        """The active territory, in `platform_set` if given (the demo has two), else the one
        the township's files chose."""
        with self.unit_of_work() as s:
            town = s.scalars(select(TownshipRow)).one()
            duties: dict[str, dict[str, list[str]]] = {}
            for d in s.scalars(select(GridDutyRow).order_by(GridDutyRow.position)):
                duties.setdefault(d.grid, {"member": [], "worker": []})[d.duty].append(d.person)

            def active(model: Any) -> list[Any]:
                return list(s.scalars(select(model).where(model.retired_at.is_(None))))

            data = {
                "code": town.code,
                "name": town.name,
                "lat": town.lat,
                "lon": town.lon,
                "platform_sets": town.platform_sets,
                "villages": [columns(v) for v in active(VillageRow)],
                "people": [columns(p) for p in active(PersonRow)],
                "grids": [
                    {
                        **columns(g),
                        "members": duties.get(g.code, {}).get("member", []),
                        "workers": duties.get(g.code, {}).get("worker", []),
                    }
                    for g in active(GridRow)
                ],
                "departments": [
                    {
                        "code": d.code,
                        "name": d.name,
                        "platform": d.platform_by_set,
                        "handlers": d.handlers,
                    }
                    for d in active(DepartmentRow)
                ],
                "cameras": [columns(c) for c in active(CameraRow)],
                "layers": town.map_layers or [],
            }
            categories = [
                {**columns(c), "platform": c.platform_by_set} for c in active(CategoryRow)
            ]
            chosen = platform_set or town.platform_set
        data["former"] = {k: v for k, v in self.former_names().items() if v}
        if chosen is None:
            raise ValueError("no platform set: the store has none and none was configured")
        return Township.from_dict(data, categories, chosen)

    def former_names(self) -> dict[str, dict[str, str]]:
        """Retired villages', grids', departments' and categories' names by register and code:
        how history shows them."""
        registers: dict[str, Any] = {
            "villages": VillageRow,
            "grids": GridRow,
            "departments": DepartmentRow,
            "categories": CategoryRow,
        }
        out: dict[str, dict[str, str]] = {}
        with self.unit_of_work() as s:
            for register, model in registers.items():
                retired = select(model.code, model.name).where(model.retired_at.is_not(None))
                out[register] = {row[0]: row[1] for row in s.execute(retired)}
        return out
