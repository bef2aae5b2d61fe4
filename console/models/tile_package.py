"""An offline tile package under the map: an MBTiles file (SQLite, the format every tile tool
writes: MapTiler, QGIS's "Generate XYZ tiles", gdal2tiles, TileMill), read with Python's own
sqlite3, read-only. Its coordinate system comes from its metadata (`crs`) or the command line:
packages cut from 高德 or 腾讯 maps are GCJ-02 and are shifted under our WGS-84 data.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from domain.coords import CoordinateSystem


class TilePackageError(ValueError):
    """Not a tile package we can draw; the message says why, in the administrator's words."""


class TileUnavailable(OSError):
    """A tile that cannot be had now but may be later (a tile server down): not "none"."""


@dataclass(frozen=True, slots=True)
class TileInfo:
    name: str
    min_zoom: int
    max_zoom: int
    system: CoordinateSystem
    image_format: str


class TileSource(Protocol):
    """What the map reads tiles from: an MBTiles package, or a tile server with its cache
    (console.models.tile_server)."""

    info: TileInfo
    path: Path
    readers: int

    def tile(self, z: int, x: int, y: int) -> bytes | None: ...

    def zoom_for(self, wanted: float) -> int: ...


class TilePackage:
    """Tiles by (z, x, y) in XYZ numbering; one SQLite connection per thread that reads."""

    readers = 1

    def __init__(self, path: Path, system: CoordinateSystem | None = None) -> None:
        self.path = path
        if not path.is_file():
            raise TilePackageError(f"no tile package at {path}")
        self._local = threading.local()
        try:
            meta = dict(self._db().execute("SELECT name, value FROM metadata").fetchall())
            zooms = (
                self._db().execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
            )
        except sqlite3.DatabaseError as e:
            raise TilePackageError(f"{path.name} is not an MBTiles file: {e}") from None
        if zooms is None or zooms[0] is None:
            raise TilePackageError(f"{path.name} holds no tiles")
        if system is None:
            written = str(meta.get("crs") or meta.get("coordinate_system") or "WGS-84")
            try:
                system = CoordinateSystem.parse(written)
            except ValueError as e:
                raise TilePackageError(f"{path.name}: {e}") from None
        kind = str(meta.get("format") or "png").lower()
        if kind not in ("png", "jpg", "jpeg", "webp"):
            raise TilePackageError(f"{path.name} holds {kind} tiles: the map draws image tiles "
                                   "(png, jpg, webp), not vector ones")  # fmt: skip
        if system == CoordinateSystem.BD09:
            raise TilePackageError(
                f"{path.name}: BD-09 (百度) tiles use Baidu's own tile grid, not XYZ; "
                "export the area as WGS-84 or GCJ-02 tiles"
            )
        self.info = TileInfo(
            str(meta.get("name") or path.stem),
            int(zooms[0]),
            int(zooms[1]),
            system,
            str(meta.get("format") or "png"),
        )

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=True)
            self._local.db = db
        return db

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The image bytes of XYZ tile (z, x, y), or None where the package has none."""
        row = (
            self._db()
            .execute(
                "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                (z, x, (1 << z) - 1 - y),  # MBTiles rows count from the south (TMS)
            )
            .fetchone()
        )
        return None if row is None else bytes(row[0])

    def zoom_for(self, wanted: float) -> int:
        """The package's zoom nearest the view's (its deepest when the view is closer)."""
        return max(self.info.min_zoom, min(self.info.max_zoom, round(wanted)))
