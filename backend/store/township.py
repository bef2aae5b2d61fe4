"""The township's territory as the store keeps it: written once from resources/, read at start."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.schema import (
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
from domain.township import Township


class TownshipRepository(StoreBase):
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
                "villages": [columns(v) for v in s.scalars(select(VillageRow))],
                "people": [columns(p) for p in s.scalars(select(PersonRow))],
                "grids": [
                    {
                        **columns(g),
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
                "cameras": [columns(c) for c in s.scalars(select(CameraRow))],
            }
            categories = [
                {**columns(c), "platform": c.platform_by_set}
                for c in s.scalars(select(CategoryRow))
            ]
        return Township.from_dict(data, categories, platform_set)
