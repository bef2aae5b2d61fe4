"""Boundaries attached to their grids and villages: unknown ones, doubles, neighbours that
overlap, boundaries outside the township; a place without a point of its own takes its
boundary's inside point."""

from __future__ import annotations

import math
from typing import Any

from shapely.strtree import STRtree

from backend.township.boundaries import Boundary
from backend.township.head import TOWNSHIP_RADIUS_KM, TownshipHead
from domain.township import distance_m

OVERLAP_M2 = 100.0
"""Neighbouring boundaries may touch and differ by digitising noise; more overlap than this
(and than 0.1 % of the smaller one) is two grids claiming the same ground."""


def overlaps(b: TownshipHead, mine: list[Boundary]) -> None:
    """Neighbours that claim the same ground (beyond digitising noise)."""
    tree = STRtree([bd.shape for bd in mine])
    for i, one in enumerate(mine):
        for j in tree.query(one.shape):
            if j <= i:
                continue
            other = mine[j]
            overlap = one.shape.intersection(other.shape).area
            lat = one.shape.centroid.y  # degrees² to m² at this latitude
            m2 = overlap * 111_320**2 * max(0.1, math.cos(math.radians(lat)))
            if m2 > OVERLAP_M2 and overlap > 0.001 * min(one.shape.area, other.shape.area):
                b.r.problem(
                    one.place,
                    f"与“{other.code}”的边界重叠约 {m2:,.0f} 平方米(见{other.place})",
                    f"overlaps {other.code!r} by about {m2:,.0f} m² (at {other.place})",
                )


def attach_boundaries(
    b: TownshipHead, found: list[Boundary], villages: dict[str, Any], grids: dict[str, Any]
) -> int:
    """Attach each boundary to its grid or village; check references, doubles and overlaps."""
    attached: dict[tuple[str, str], Boundary] = {}
    for boundary in found:
        table = grids if boundary.kind == "grid" else villages
        key = (boundary.kind, boundary.code)
        if boundary.code not in table:
            named = "网格" if boundary.kind == "grid" else "村社"
            b.r.problem(
                boundary.place,
                f"边界所属{named}“{boundary.code}”不在登记表中",
                f"the boundary's {boundary.kind} {boundary.code!r} is not in the registers",
            )
            continue
        if key in attached:
            b.r.problem(
                boundary.place,
                f"“{boundary.code}”有两个边界(另一个见{attached[key].place})",
                f"{boundary.code!r} has two boundaries (the other at {attached[key].place})",
            )
            continue
        attached[key] = boundary
        table[boundary.code]["boundary"] = boundary.geometry()
        if b.centre is not None:
            c = boundary.shape.centroid
            km = distance_m(*b.centre, c.y, c.x) / 1000
            if km > TOWNSHIP_RADIUS_KM:
                b.r.problem(
                    boundary.place,
                    f"边界在乡镇之外(距中心 {km:.0f} 公里;坐标系是否写错?)",
                    f"the boundary is outside the township ({km:.0f} km from its centre)",
                )
    for kind in ("grid", "village"):
        overlaps(b, [bd for (k, _c), bd in attached.items() if k == kind])
    # a grid or village without its own position takes its boundary's inside point
    for table in (villages, grids):
        for entity in table.values():
            if entity.get("lat") is None and entity.get("boundary") is not None:
                kind = "grid" if table is grids else "village"
                point = attached[(kind, entity["code"])].shape.representative_point()
                entity["lat"], entity["lon"] = round(point.y, 6), round(point.x, 6)
    return len(attached)
