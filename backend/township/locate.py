"""Which grid holds a position: a report from an app that sent its position but not its grid.

Built once per township version (an STRtree of the grids' boundaries), then a lookup is a few
microseconds. Grids without a boundary are never found; a position on no grid gives None.
"""

from __future__ import annotations

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from domain.township import Township


class GridLocator:
    def __init__(self) -> None:
        self._township: Township | None = None
        self._codes: list[str] = []
        self._tree: STRtree | None = None
        self._shapes: list[BaseGeometry] = []

    def _build(self, township: Township) -> None:
        grids = [(g.code, shape(g.boundary)) for g in township.grids.values() if g.boundary]
        self._codes = [code for code, _s in grids]
        self._shapes = [s for _c, s in grids]
        self._tree = STRtree(self._shapes) if grids else None
        self._township = township

    def grid_at(self, township: Township, lat: float, lon: float) -> str | None:
        if township is not self._township:
            self._build(township)
        if self._tree is None:
            return None
        point = Point(lon, lat)
        for k in self._tree.query(point, predicate="intersects"):
            return self._codes[int(k)]
        return None
