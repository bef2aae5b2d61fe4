"""A base map from an XYZ tile server on the township's network (issue 22): real HTTP on
127.0.0.1, GCJ-02 tiles aligned under our WGS-84 data, a disk cache that carries the wall
through the server going down, and the status line saying so."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.models.tile_package import TilePackage, TilePackageError, TileUnavailable
from console.models.tile_server import TileServer
from domain.coords import CoordinateSystem
from domain.map_geometry import Box, mercator, tiles_over
from tests.test_map_tiles import POINTS, Z, _green_near, _look_at, _map, make_package


class Tiles:
    """A real tile server over an MBTiles file, counting what it is asked; `page`: it answers
    every tile with an HTML page and 200 instead (a proxy's login page)."""

    def __init__(self, package: TilePackage) -> None:
        self.asked: list[str] = []
        self.page = False
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.asked.append(self.path)
                if outer.page:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    self.wfile.write(b"<html><body>please log in</body></html>")
                    return
                found = re.fullmatch(r"/tiles/(\d+)/(\d+)/(\d+)\.png", self.path)
                data = package.tile(*(int(g) for g in found.groups())) if found else None
                if data is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.template = f"http://127.0.0.1:{self.httpd.server_port}/tiles/{{z}}/{{x}}/{{y}}.png"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def tiles(tmp_path: Path) -> Iterator[Tiles]:
    path = tmp_path / "gaode.mbtiles"
    make_package(path, "GCJ-02", CoordinateSystem.GCJ02)
    server = Tiles(TilePackage(path))
    yield server
    server.stop()


def test_gcj02_tiles_from_a_server_lie_under_wgs84_data(
    qtbot: QtBot, tiles: Tiles, tmp_path: Path
) -> None:
    source = TileServer(tiles.template, tmp_path / "cache", CoordinateSystem.GCJ02)
    panel = _map(qtbot, source)  # type: ignore[arg-type]  # a TileSource, as a package is
    for lon, lat in POINTS:
        image = _look_at(qtbot, panel, lon, lat)
        assert _green_near(image, *panel.map.view.to_screen(*mercator(lon, lat)))
    assert tiles.asked and "base map" in panel.status.text()
    tiles.stop()  # down: what is cached still draws, and the status line says the rest won't
    with pytest.raises(TileUnavailable):
        source.tile(Z, 1, 1)
    panel._say()
    assert "failing (connection refused)" in panel.status.text()


def test_the_cache_carries_the_map_through_the_server_going_down(
    tiles: Tiles, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    source = TileServer(tiles.template, cache, CoordinateSystem.GCJ02)
    x, y = mercator(*POINTS[0])
    (tx, ty), *_ = tiles_over(Box(float(x), float(y), float(x) + 1, float(y) + 1), Z)
    first = source.tile(Z, tx, ty)
    assert first is not None and first.startswith(b"\x89PNG")
    asked = len(tiles.asked)
    assert source.tile(Z, tx, ty) == first and len(tiles.asked) == asked  # fresh: not asked
    assert source.tile(Z, 0, 0) is None  # the server has none: 404, said once
    assert source.tile(Z, 0, 0) is None and len(tiles.asked) == asked + 1
    tiles.stop()
    again = TileServer(tiles.template, cache, CoordinateSystem.GCJ02)  # a restarted console
    assert again.tile(Z, tx, ty) == first  # from the disk cache
    with pytest.raises(TileUnavailable):
        again.tile(Z, tx + 1000, ty)  # not cached, and the server is down
    assert again.last_error  # the status line says why
    assert not list(cache.rglob("*.part"))  # nothing half written


def test_a_tile_servers_address_is_checked(tmp_path: Path) -> None:
    for bad in ("ftp://host/{z}/{x}/{y}.png", "http://host/tiles.png", "/tiles/{z}/{x}/{y}"):
        with pytest.raises(TilePackageError):
            TileServer(bad, tmp_path)
    with pytest.raises(TilePackageError, match="Baidu"):
        TileServer("http://h/{z}/{x}/{y}.png", tmp_path, CoordinateSystem.BD09)
    tms = TileServer("http://h/{z}/{x}/{-y}.png", tmp_path)
    assert tms.url(3, 1, 2) == "http://h/3/1/5.png"  # rows from the south


def test_an_answer_that_is_not_a_picture_is_a_failure_not_a_tile(
    tiles: Tiles, tmp_path: Path
) -> None:
    """A proxy's login page sent with 200 for every tile: not kept in the cache (it would
    blank the base map for 30 days), said as the server failing; when the server is right
    again, the tiles come."""
    x, y = mercator(*POINTS[0])
    (tx, ty), *_ = tiles_over(Box(float(x), float(y), float(x) + 1, float(y) + 1), Z)
    source = TileServer(tiles.template, tmp_path / "cache", CoordinateSystem.GCJ02, quiet_s=0)
    tiles.page = True
    with pytest.raises(TileUnavailable):
        source.tile(Z, tx, ty)
    assert source.last_error == "not an image"
    assert not list((tmp_path / "cache").rglob("*.tile"))
    tiles.page = False
    data = source.tile(Z, tx, ty)
    assert data is not None and data.startswith(b"\x89PNG") and source.last_error == ""
