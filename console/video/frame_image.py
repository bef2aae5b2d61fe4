"""A decoded frame as the tile paints it: scaled to fit and converted to the screen's pixel
format, into a QImage that keeps its pixels (FFmpeg reuses the decoded frame's buffer, not
the converted one's); or, for a tile that shows it pixel for pixel, kept in YUV for the tile to
convert straight into the screen's memory (yuv_picture)."""

from __future__ import annotations

from typing import Any

from av.video.reformatter import Interpolation, VideoReformatter
from PySide6.QtGui import QImage

from console.video.frame_memory import keep_frame_buffers
from console.video.yuv_picture import YuvPicture

NATIVE_BETWEEN = (0.9, 1.1)
"""A frame scaled by a factor in this range is converted at its own size and fitted by the
painter, nearest pixel; further from 1, that would alias or look blocky, and swscale's
filtered scaling is worth its cost."""
PLANAR_420 = ("yuv420p", "yuvj420p")
CROP_UP_TO = 0.04
"""A picture this much larger than its tile is cropped at its edges rather than rescaled."""


def drawn_as_is(picture: tuple[int, int], tile: tuple[int, int]) -> bool:
    """Whether a picture of this size goes into a tile of this size (both in device pixels)
    pixel for pixel, centred: up to `CROP_UP_TO` larger, it loses that much at its edges (a
    maximised 1080p camera in a 1044 pixel tile) rather than being rescaled, which cost the GUI
    thread 2.7 ms against 1.3 a 1080p frame; it fills the tile's width or height."""
    (w, h), (box_w, box_h) = picture, tile
    return (
        w <= box_w * (1 + CROP_UP_TO)
        and h <= box_h * (1 + CROP_UP_TO)
        and (w >= box_w - 2 or h >= box_h - 2)
    )


class FrameImages:
    """One per decoder thread: each reformatter keeps its swscale context between frames of
    the same size, so scaling and converting each have their own."""

    def __init__(self) -> None:
        keep_frame_buffers()
        self._scale = VideoReformatter()
        self._convert = VideoReformatter()

    def image(self, frame: Any, target: tuple[int, int]) -> QImage | YuvPicture:
        """`target`: the tile's size in pixels; the picture keeps its aspect ratio."""
        box_w, box_h = target
        scale = min(box_w / frame.width, box_h / frame.height)
        if drawn_as_is((frame.width, frame.height), target) and YuvPicture.takes(frame):
            return YuvPicture(frame)
        if NATIVE_BETWEEN[0] <= scale <= NATIVE_BETWEEN[1]:
            # Nearly the tile's size: convert without scaling and let the painter fit it.
            # swscale's unscaled YUV->BGRA is SIMD; scaled, it is not (1080p: 0.8 ms against
            # 4.5 ms), and a nearest-pixel fit in the painter costs 1.1 ms.
            w, h = frame.width, frame.height
            small = self._convert.reformat(frame, format="bgra")
        else:
            w, h = max(2, int(frame.width * scale) & ~1), max(2, int(frame.height * scale) & ~1)
            if frame.format.name in PLANAR_420:
                # Scaled within YUV (area-averaged: no aliasing on a wall), then converted at
                # the small size: both are swscale's fast paths, about a third less than one
                # scaled YUV->BGRA pass (docs/benchmarks.md).
                yuv = self._scale.reformat(
                    frame, width=w, height=h, interpolation=Interpolation.AREA
                )
                small = self._convert.reformat(yuv, format="bgra")
            else:
                small = self._convert.reformat(
                    frame, width=w, height=h, format="bgra",
                    interpolation=Interpolation.FAST_BILINEAR,
                )  # fmt: skip
        plane = small.planes[0]
        # The QImage is painted straight from the converted frame's buffer, which it keeps
        # alive (PySide holds the plane, the plane its frame): copying it out cost a 1080p
        # frame 1.5-3.5 ms. Each reformat returns a frame of its own, never reused.
        return QImage(memoryview(plane), w, h, plane.line_size, QImage.Format.Format_RGB32)
