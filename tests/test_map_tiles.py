"""The map's offline tile package (issue 22): MBTiles read on a worker thread, and GCJ-02 tiles
(高德, 腾讯) lying under our WGS-84 data. The package is made here as a tile tool makes one: the
known points drawn where a GCJ-02 map draws them; on our map they must land where we put them."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QPointF
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from console.models.dispatch_queue_model import DispatchQueueModel
from console.models.tile_package import TilePackage, TilePackageError
from console.widgets.map_panel import MapPanel
from console.widgets.map_tiles import TileLayer
from domain.coords import CoordinateSystem, from_wgs84
from domain.map_geometry import (
    TILE_PX,
    WORLD,
    Box,
    mercator,
    tile_box,
    tile_shift,
    tiles_over,
)
from tests.queue_data import TOWNSHIP

POINTS = [(119.8600, 28.9000), (119.8905, 28.9210)]
"""Two places 3.7 km apart in the demo township, in WGS-84 (lon, lat)."""
Z = 16
GREEN = QColor(0, 255, 0)


def _png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # QIODevice: PySide6 has it
    return bytes(data.data())


def make_package(path: Path, crs: str | None, drawn_in: CoordinateSystem) -> None:
    """An MBTiles file of zoom Z around POINTS, each drawn as a green dot where a map in
    `drawn_in` draws it; `crs` written in its metadata (None: not said)."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
               "tile_data BLOB)")  # fmt: skip
    meta = [("name", "test"), ("format", "png")] + ([("crs", crs)] if crs else [])
    db.executemany("INSERT INTO metadata VALUES (?, ?)", meta)
    drawn = []
    for lon, lat in POINTS:
        dlat, dlon = from_wgs84(lat, lon, drawn_in)
        drawn.append(mercator(dlon, dlat))
    xs, ys = [float(x) for x, _ in drawn], [float(y) for _, y in drawn]
    area = Box(min(xs) - 3000, min(ys) - 3000, max(xs) + 3000, max(ys) + 3000)
    side = WORLD / 2**Z
    for tx, ty in tiles_over(area, Z):
        box = tile_box(Z, tx, ty)
        image = QImage(TILE_PX, TILE_PX, QImage.Format.Format_RGB32)
        image.fill(QColor(30, 30, 30))
        p = QPainter(image)
        p.setPen(QColor(0, 0, 0, 0))
        p.setBrush(GREEN)
        for x, y in drawn:
            if box.x0 <= x < box.x1 and box.y0 < y <= box.y1:
                px, py = (x - box.x0) / side * TILE_PX, (box.y1 - y) / side * TILE_PX
                p.drawEllipse(QPointF(px, py), 4, 4)
        p.end()
        db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (Z, tx, 2**Z - 1 - ty, _png(image)))
    db.commit()
    db.close()


def _map(qtbot: QtBot, package: TilePackage) -> MapPanel:
    model = DispatchQueueModel()
    model.set_township(TOWNSHIP)
    panel = MapPanel(model.order)
    qtbot.addWidget(panel)
    panel.resize(1000, 800)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_township(TOWNSHIP)
    the_map = panel.map
    the_map.show_cases = the_map.show_cameras = the_map.show_labels = False
    the_map.show_boundaries = False
    panel.use_tiles(TileLayer(package, panel))
    return panel


def _green_near(image: QImage, x: float, y: float, reach: int = 3) -> bool:
    for dx in range(-reach, reach + 1):
        for dy in range(-reach, reach + 1):
            c = image.pixelColor(QPoint(round(x) + dx, round(y) + dy))
            if c.green() > 200 and c.red() < 80 and c.blue() < 80:
                return True
    return False


def _look_at(qtbot: QtBot, panel: MapPanel, lon: float, lat: float) -> QImage:
    the_map = panel.map
    x, y = mercator(lon, lat)
    the_map.view.cx, the_map.view.cy = float(x), float(y)
    the_map.view.metres_per_px = WORLD / TILE_PX / 2**Z  # the package's own zoom
    the_map._render_base_again()

    def all_came() -> bool:
        the_map._render_base_again()
        the_map.grab()  # renders the territory: what it needs and lacks is asked for
        return the_map.tiles_waiting == 0

    qtbot.waitUntil(all_came, timeout=10_000)
    return the_map.grab().toImage()


@pytest.mark.parametrize("said", ["GCJ-02", None])
def test_gcj02_tiles_lie_under_wgs84_data_at_known_points(
    qtbot: QtBot, tmp_path: Path, said: str | None
) -> None:
    """The package's metadata says GCJ-02 (or the command line does): both known points are
    drawn by the tiles exactly where our map puts them."""
    path = tmp_path / "gaode.mbtiles"
    make_package(path, said, CoordinateSystem.GCJ02)
    package = TilePackage(path, None if said else CoordinateSystem.GCJ02)
    assert package.info.system == CoordinateSystem.GCJ02
    panel = _map(qtbot, package)
    for lon, lat in POINTS:
        image = _look_at(qtbot, panel, lon, lat)
        sx, sy = panel.map.view.to_screen(*mercator(lon, lat))
        assert _green_near(image, sx, sy), f"the tiles' dot is not under {lon}, {lat}"
    dx, dy = panel.map.tile_shift()
    assert 100 < math.hypot(dx, dy) < 1000, "the GCJ-02 offset here is hundreds of metres"


def test_gcj02_tiles_taken_for_wgs84_are_off_by_the_offset(qtbot: QtBot, tmp_path: Path) -> None:
    """The classic misalignment, shown to be one: the same package read as WGS-84."""
    path = tmp_path / "gaode.mbtiles"
    make_package(path, "WGS-84", CoordinateSystem.GCJ02)
    panel = _map(qtbot, TilePackage(path))
    lon, lat = POINTS[0]
    image = _look_at(qtbot, panel, lon, lat)
    sx, sy = panel.map.view.to_screen(*mercator(lon, lat))
    assert not _green_near(image, sx, sy, reach=20)
    dx, dy = tile_shift(*mercator(lon, lat), CoordinateSystem.GCJ02)
    m = panel.map.view.metres_per_px
    assert _green_near(image, sx + dx / m, sy - dy / m), "drawn where GCJ-02 puts it instead"


def test_wgs84_tiles_lie_where_they_are(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "tianditu.mbtiles"
    make_package(path, "CGCS2000", CoordinateSystem.WGS84)
    panel = _map(qtbot, TilePackage(path))
    lon, lat = POINTS[1]
    image = _look_at(qtbot, panel, lon, lat)
    assert _green_near(image, *panel.map.view.to_screen(*mercator(lon, lat)))


def test_what_is_not_a_tile_package_is_refused_in_words(tmp_path: Path) -> None:
    with pytest.raises(TilePackageError, match="no tile package"):
        TilePackage(tmp_path / "missing.mbtiles")
    junk = tmp_path / "junk.mbtiles"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(TilePackageError, match="not an MBTiles file"):
        TilePackage(junk)
    baidu = tmp_path / "baidu.mbtiles"
    make_package(baidu, "BD-09", CoordinateSystem.GCJ02)
    with pytest.raises(TilePackageError, match="Baidu's own tile grid"):
        TilePackage(baidu)
    vector = tmp_path / "vector.mbtiles"
    make_package(vector, "WGS-84", CoordinateSystem.WGS84)
    with sqlite3.connect(vector) as db:
        db.execute("UPDATE metadata SET value = 'pbf' WHERE name = 'format'")
    with pytest.raises(TilePackageError, match="not vector ones"):
        TilePackage(vector)
    odd = tmp_path / "odd.mbtiles"
    make_package(odd, "Mars", CoordinateSystem.GCJ02)
    with pytest.raises(TilePackageError, match="unknown coordinate system"):
        TilePackage(odd)
