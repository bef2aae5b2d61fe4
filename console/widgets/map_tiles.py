"""The base map's images (an MBTiles package's or a tile server's), read and decoded on worker
threads (a tile is a PNG or JPEG: ~1 ms each, a screen holds a hundred), kept in a bounded
cache on the GUI side.
The map draws what is cached and is told when more has come.

Decoded by OpenCV, not by Qt: QImage.fromData on the worker held the GIL while Qt's image
plugins took Qt's connection lock, and the GUI thread, deleting a widget under that lock,
waited for the GIL: a deadlock, seen in the suite. cv2 releases the GIL and touches no Qt; the
GUI thread makes the QImage of its pixels."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from console.models.tile_package import TileSource, TileUnavailable

log = logging.getLogger("console.map")
CACHE_TILES = 768
"""About three 4K screens of tiles."""
RETRY_S = 30.0
"""A tile that could not be had (its server down) is asked for again after this."""

Key = tuple[int, int, int]


class TileLayer(QObject):
    arrived = Signal()  # tiles decoded since the map last drew: draw again
    _decoded = Signal(object, object)  # (key, RGB pixels | None), from the worker

    def __init__(self, package: TileSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.package = package
        self._cache: OrderedDict[Key, QImage | None] = OrderedDict()
        self._asked: set[Key] = set()
        self._retry: dict[Key, float] = {}
        """Tiles that could not be had (a tile server down): asked again after this time."""
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(package.readers, thread_name_prefix="map-tiles")
        self._decoded.connect(self._keep)

    def image(self, key: Key) -> QImage | None:
        """The tile if decoded (None: not in the package, or still coming: then asked for)."""
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        with self._lock:
            if key in self._asked or time.monotonic() < self._retry.get(key, 0.0):
                return None
            self._asked.add(key)
        self._worker.submit(self._read, key)
        return None

    def known(self, key: Key) -> bool:
        """Read already: decoded, or not in the package."""
        return key in self._cache

    def _read(self, key: Key) -> None:
        pixels = None
        try:
            data = self.package.tile(*key)
        except TileUnavailable:
            with self._lock:
                self._asked.discard(key)
                self._retry[key] = time.monotonic() + RETRY_S
            self.arrived.emit()  # the map says the base map is not all there
            return
        except Exception:
            log.exception("reading tile %s of %s failed", key, self.package.path.name)
            data = None
        try:
            if data is not None:
                pixels = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
                if pixels is None:
                    log.warning("tile %s of %s is not an image", key, self.package.path.name)
                else:
                    pixels = cv2.cvtColor(pixels, cv2.COLOR_BGR2RGB)
        except Exception:
            log.exception("reading tile %s of %s failed", key, self.package.path.name)
            pixels = None
        self._decoded.emit(key, pixels)

    def _keep(self, key: Key, pixels: npt.NDArray[np.uint8] | None) -> None:
        image = None
        if pixels is not None:
            h, w = pixels.shape[:2]
            image = QImage(pixels.tobytes(), w, h, 3 * w, QImage.Format.Format_RGB888).copy()
        with self._lock:
            self._asked.discard(key)
        self._cache[key] = image
        while len(self._cache) > CACHE_TILES:
            self._cache.popitem(last=False)
        self.arrived.emit()

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)
