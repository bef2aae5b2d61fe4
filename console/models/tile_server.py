"""Raster tiles from an XYZ tile server on the township's own network (a GIS department's
GeoServer or MapProxy, a 天地图 proxy), kept in a disk cache: the wall draws what it has
when the server is slow or down, and says so.

The same reader's contract as an MBTiles package (console.models.tile_package): `info`,
`tile(z, x, y)`, `zoom_for`. Fetched with urllib on the map's tile workers (never the GUI
thread), a few at once; a server that failed is left alone for a while rather than asked
for every tile of the screen.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from console.models.tile_package import (
    TileInfo,
    TilePackage,
    TilePackageError,
    TileSource,
    TileUnavailable,
)
from domain.coords import CoordinateSystem
from domain.image_kinds import is_kind

FRESH_S = 30 * 86_400
"""A cached tile is used without asking for this long; older, it is asked for again (and
used still if the server does not answer)."""
MISSING_S = 86_400
"""A tile the server does not have (404) is not asked for again for this long."""
QUIET_S = 30.0
"""After the server failed (refused, timed out, 5xx), it is left alone this long."""
TIMEOUT_S = 5.0
MAX_TILE_BYTES = 2 * 1024 * 1024
"""A tile bigger than this is not a tile (a login page, an error dump)."""


class TileServer:
    """Tiles by (z, x, y) from a URL template with {z}, {x} and {y} ({-y}: rows from the
    south, as TMS servers count them)."""

    readers = 4
    """Tiles fetched at once (an MBTiles package is read by one)."""

    def __init__(
        self,
        template: str,
        cache: Path,
        system: CoordinateSystem | None = None,
        zooms: tuple[int, int] = (1, 18),
        quiet_s: float = QUIET_S,
    ) -> None:
        parts = urlsplit(template)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise TilePackageError(f"{template}: a tile server's address is http(s)://…")
        if (
            "{z}" not in template
            or "{x}" not in template
            or not ("{y}" in template or "{-y}" in template)
        ):
            raise TilePackageError(f"{template}: the address needs {{z}}, {{x}} and {{y}}")
        system = system or CoordinateSystem.WGS84
        if system == CoordinateSystem.BD09:
            raise TilePackageError(f"{template}: BD-09 (百度) tiles use Baidu's own tile grid")
        self.template = template
        self.path = Path(parts.netloc)  # named in logs as a package's file is
        key = hashlib.sha256(template.encode()).hexdigest()[:16]
        self.cache = cache / key
        self.cache.mkdir(parents=True, exist_ok=True)
        self.info = TileInfo(parts.netloc, zooms[0], zooms[1], system, "png")
        self._lock = threading.Lock()
        self._quiet_until = 0.0
        self.quiet_s = quiet_s
        self.last_error = ""
        """Why the server last failed ("" once it answers again): the map's status says it."""

    def zoom_for(self, wanted: float) -> int:
        return max(self.info.min_zoom, min(self.info.max_zoom, round(wanted)))

    def url(self, z: int, x: int, y: int) -> str:
        return (self.template.replace("{z}", str(z)).replace("{x}", str(x))
                .replace("{-y}", str((1 << z) - 1 - y)).replace("{y}", str(y)))  # fmt: skip

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile's bytes (from the cache when fresh); None where the server has none;
        TileUnavailable when it cannot be had now (the server down and nothing cached)."""
        path = self.cache / str(z) / str(x) / f"{y}.tile"
        missing = path.with_suffix(".missing")
        now = time.time()
        cached = _read(path)
        if cached is not None and not _is_image(cached):  # kept by an older console: not kept
            path.unlink(missing_ok=True)
            cached = None
        if cached is not None and now - path.stat().st_mtime < FRESH_S:
            return cached
        if missing.exists() and now - missing.stat().st_mtime < MISSING_S:
            return None
        with self._lock:
            quiet = now < self._quiet_until
        if quiet:
            if cached is not None:
                return cached
            raise TileUnavailable(self.last_error)
        try:
            data = self._fetch(z, x, y)
        except urllib.error.HTTPError as e:
            if e.code == 404:
                missing.parent.mkdir(parents=True, exist_ok=True)
                missing.touch()
                return None
            return self._failed(f"HTTP {e.code}", cached)
        except (OSError, ValueError) as e:  # refused, timed out, unreachable, too big
            return self._failed(_reason(e), cached)
        if not _is_image(data):  # a proxy's login page, an error page sent as 200
            return self._failed(NOT_AN_IMAGE, cached)
        with self._lock:
            self.last_error = ""
        _write(path, data)
        return data

    def _fetch(self, z: int, x: int, y: int) -> bytes:
        request = urllib.request.Request(
            self.url(z, x, y), headers={"User-Agent": "township-console"}
        )
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
            data: bytes = answer.read(MAX_TILE_BYTES + 1)
        if len(data) > MAX_TILE_BYTES:
            raise ValueError(TOO_BIG)
        return data

    def _failed(self, why: str, cached: bytes | None) -> bytes:
        with self._lock:
            self.last_error = why
            self._quiet_until = time.time() + self.quiet_s
        if cached is not None:
            return cached
        raise TileUnavailable(why)


REFUSED, TIMED_OUT, UNREACHABLE, NOT_AN_IMAGE, TOO_BIG = (
    "refused", "timed out", "unreachable", "not an image", "too big",
)  # fmt: skip
"""Why a server failed, in the few words the map's status line translates."""


def _reason(e: Exception) -> str:
    inner = getattr(e, "reason", e)
    if isinstance(inner, ConnectionRefusedError):
        return REFUSED
    if isinstance(inner, TimeoutError) or "timed out" in str(inner):
        return TIMED_OUT
    if str(e) == TOO_BIG:
        return TOO_BIG
    return UNREACHABLE


def _is_image(data: bytes) -> bool:
    return any(is_kind(kind, data) for kind in ("image/png", "image/jpeg", "image/webp"))


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: a tile half written by a killed console is never read back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
    part.write_bytes(data)
    os.replace(part, path)


def tile_source(spec: str, crs: str | None, cache: Path) -> TileSource:
    """--map-tiles as given: a tile server's address (its tiles kept in `cache`) or an
    MBTiles file; TilePackageError (or ValueError for an unknown `crs`) says why not."""
    system = CoordinateSystem.parse(crs) if crs else None
    if spec.startswith(("http://", "https://")):
        return TileServer(spec, cache, system)
    if "{z}" in spec:
        raise TilePackageError(f"{spec}: a tile server's address begins with http:// or https://")
    return TilePackage(Path(spec), system)
