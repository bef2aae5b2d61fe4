"""FFmpeg's swscale called directly, to convert a decoded frame into memory we already have.

PyAV's `reformat` always allocates the converted frame, which the painter then copies into
the window's backing store: for a 1080p picture that copy is another millisecond a frame
(docs/benchmarks.md). `sws_scale` writes wherever it is told, so a frame the size of its tile
is converted straight into the backing store. It is the libswscale PyAV itself loaded (the
same build: the one whose version PyAV reports), called through ctypes, which lets go of the
GIL for the call."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av

log = logging.getLogger(__name__)

SWS_BILINEAR = 2
"""PyAV's default for `reformat`: the same flags give the same pixels (no scaling is done)."""
BGRA = "bgra"
"""Qt's 32-bit formats (RGB32, ARGB32) are B, G, R, A in memory on a little-endian machine."""
JPEG_RANGE = 2  # AVCOL_RANGE_JPEG: full-range YUV (0-255), as MJPEG cameras send
IntArray4 = ctypes.c_int * 4
PointerArray4 = ctypes.c_void_p * 4


def _candidates(name: str) -> list[str]:
    """Where FFmpeg's library `name` may be: PyAV's wheel bundles its own under a hashed name;
    a PyAV built against another FFmpeg has it mapped into this process (as may OpenCV's
    wheel, with an FFmpeg of its own); the system's."""
    found = [str(p) for p in sorted(Path(av.__file__).parent.parent.glob(f"av.libs/lib{name}-*"))]
    maps = Path("/proc/self/maps")
    if maps.is_file():
        for line in maps.read_text().splitlines():
            path = line.split(maxsplit=5)[-1]
            if Path(path).name.startswith(f"lib{name}.") and path not in found:
                found.append(path)
    system = ctypes.util.find_library(name)
    return [*found, system] if system else found


def _version_of(library: Any, name: str) -> tuple[int, int, int]:
    version = int(getattr(library, f"{name}_version")())
    return version >> 16, (version >> 8) & 0xFF, version & 0xFF


def _load(name: str) -> Any:
    """The library whose version is the one PyAV was built with (its structures and pixel
    format numbers are those of PyAV's frames), or None."""
    wanted = tuple(av.library_versions.get(f"lib{name}", ()))
    for path in _candidates(name):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        if _version_of(library, name) == wanted:
            return library
    return None


@functools.cache
def _libraries() -> tuple[Any, Any] | None:
    """libswscale and libavutil with the calls used here typed, or None where not found (the
    frames are then converted by PyAV, as before)."""
    sws, util = _load("swscale"), _load("avutil")
    if sws is None or util is None:
        log.info("PyAV's own libswscale not found: frames converted by PyAV")
        return None
    ptr, i32 = ctypes.c_void_p, ctypes.c_int
    sws.sws_getCachedContext.restype = ptr
    sws.sws_getCachedContext.argtypes = [ptr, i32, i32, i32, i32, i32, i32, i32, ptr, ptr, ptr]
    sws.sws_scale.restype = i32
    sws.sws_scale.argtypes = [ptr, ctypes.POINTER(ptr), ctypes.POINTER(i32), i32, i32,
                              ctypes.POINTER(ptr), ctypes.POINTER(i32)]  # fmt: skip
    sws.sws_getCoefficients.restype = ctypes.POINTER(i32)
    sws.sws_getCoefficients.argtypes = [i32]
    sws.sws_setColorspaceDetails.restype = i32
    sws.sws_setColorspaceDetails.argtypes = [ptr, ctypes.POINTER(i32), i32,
                                             ctypes.POINTER(i32), i32, i32, i32, i32]  # fmt: skip
    sws.sws_freeContext.restype = None
    sws.sws_freeContext.argtypes = [ptr]
    util.av_get_pix_fmt.restype = i32
    util.av_get_pix_fmt.argtypes = [ctypes.c_char_p]
    return sws, util


def available() -> bool:
    return _libraries() is not None


@dataclass(frozen=True, slots=True)
class Planes:
    """A planar 4:2:0 frame as swscale reads it, looked at once (in the decoder's thread: PyAV
    makes new plane objects at every look). Valid while the frame is kept."""

    format: str
    colours: tuple[int, bool]  # the YUV matrix (FFmpeg's colorspace), full range or not
    pointers: tuple[int, int, int]
    strides: tuple[int, int, int]

    @classmethod
    def of(cls, frame: Any) -> Planes:
        name = frame.format.name
        full = frame.color_range == JPEG_RANGE or name.startswith("yuvj")
        y, u, v = frame.planes[:3]
        return cls(
            name,
            (int(frame.colorspace), full),
            (y.buffer_ptr, u.buffer_ptr, v.buffer_ptr),
            (y.line_size, u.line_size, v.line_size),
        )


class Converter:
    """One swscale context, kept between frames of the same size and format. Not thread-safe:
    one per tile, used by the GUI thread only."""

    def __init__(self) -> None:
        self._context: int | None = None
        self._made_for: tuple[int, int, int] | None = None  # width, height, pixel format
        self._colours: tuple[int, bool] | None = None
        self._formats: dict[str, int] = {}

    def convert(
        self, planes: Planes, crop: tuple[int, int, int, int], address: int, stride: int
    ) -> bool:
        """The part `crop` (x, y, width, height; x and y even) of the frame into 32-bit BGRA
        pixels at `address`, `stride` bytes a row. False if it could not."""
        libs = _libraries()
        if libs is None:
            return False
        sws, util = libs
        x, y, w, h = crop
        if w <= 0 or h <= 0:
            return False
        if planes.format not in self._formats:
            self._formats[planes.format] = util.av_get_pix_fmt(planes.format.encode())
            self._formats[BGRA] = util.av_get_pix_fmt(BGRA.encode())
        source, target = self._formats[planes.format], self._formats[BGRA]
        if source < 0:  # not a format this FFmpeg knows (swscale would abort on it)
            return False
        context = sws.sws_getCachedContext(
            self._context, w, h, source, w, h, target, SWS_BILINEAR, None, None, None
        )
        if not context:  # the old one was freed with it
            self._context = self._made_for = None
            return False
        if (w, h, source) != self._made_for:
            # A new context, even where an older FFmpeg put it at the old one's address: its
            # colours are the defaults again.
            self._made_for, self._colours = (w, h, source), None
        self._context = context
        if planes.colours != self._colours:
            self._set_colours(sws, planes.colours)
        (py, pu, pv), (sy, su, sv) = planes.pointers, planes.strides
        offset_y, offset_c = y * sy + x, y // 2 * su + x // 2
        src = PointerArray4(py + offset_y, pu + offset_c, pv + y // 2 * sv + x // 2, None)
        dst = PointerArray4(address, None, None, None)
        done = sws.sws_scale(context, src, IntArray4(sy, su, sv, 0), 0, h, dst,
                             IntArray4(stride, 0, 0, 0))  # fmt: skip
        return bool(done == h)

    def _set_colours(self, sws: Any, colours: tuple[int, bool]) -> None:
        """The frame's own YUV matrix (BT.601, 709 …) and range, as PyAV's reformat reads them;
        set again only when they change."""
        self._colours = colours
        table = sws.sws_getCoefficients(colours[0])
        full = int(colours[1])
        sws.sws_setColorspaceDetails(self._context, table, full, table, 1, 0, 1 << 16, 1 << 16)

    def close(self) -> None:
        libs = _libraries()
        if libs is not None and self._context:
            libs[0].sws_freeContext(self._context)
        self._context = None

    def __del__(self) -> None:
        self.close()
