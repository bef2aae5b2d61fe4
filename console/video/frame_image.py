"""A decoded frame as the tile paints it: scaled to fit and converted to the screen's pixel
format, into a QImage that keeps its pixels (FFmpeg reuses the decoded frame's buffer, not
the converted one's); or, for a tile that shows it pixel for pixel, kept in YUV for the tile to
convert straight into the screen's memory (yuv_picture)."""

from __future__ import annotations

from typing import Any

from av.video.reformatter import Interpolation, VideoReformatter
from PySide6.QtGui import QImage

from console.video.frame_memory import keep_frame_buffers
from console.video.swscale import Converter, Planes
from console.video.yuv_picture import YuvPicture, image_of

NATIVE_BETWEEN = (0.9, 1.1)
"""A frame scaled by a factor in this range is converted at its own size and fitted by the
painter, nearest pixel; further from 1, that would alias or look blocky, and swscale's
filtered scaling is worth its cost."""
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
        self._ours = Converter()

    def image(self, frame: Any, target: tuple[int, int]) -> QImage | YuvPicture:
        """`target`: the tile's size in pixels; the picture keeps its aspect ratio."""
        box_w, box_h = target
        scale = min(box_w / frame.width, box_h / frame.height)
        ours = YuvPicture.takes(frame)  # planar 4:2:0, converted by our own swscale call
        if ours and drawn_as_is((frame.width, frame.height), target):
            return YuvPicture(frame)
        native = NATIVE_BETWEEN[0] <= scale <= NATIVE_BETWEEN[1]
        if native and (ours or frame.width % 8 == 0):
            # Nearly the tile's size: convert without scaling and let the painter fit it.
            # swscale's unscaled YUV->BGRA is SIMD; scaled, it is not (1080p: 0.8 ms against
            # 4.5 ms), and a nearest-pixel fit in the painter costs 1.1 ms.
            if ours:
                return image_of(self._ours, Planes.of(frame), frame.width, frame.height)
            return self._image(self._convert.reformat(frame, format="bgra"))
        w, h = max(8, int(frame.width * scale) & ~1), max(2, int(frame.height * scale) & ~1)
        if ours:
            # Scaled within YUV (area-averaged: no aliasing on a wall), then converted at the
            # small size: both are swscale's fast paths, about a third less than one scaled
            # YUV->BGRA pass (docs/benchmarks.md).
            yuv = self._scale.reformat(frame, width=w, height=h, interpolation=Interpolation.AREA)
            return image_of(self._ours, Planes.of(yuv), w, h)
        # PyAV's BGRA rows are not padded: swscale's SIMD leaves the last columns of a width
        # that is not a multiple of 8 unconverted.
        small = self._convert.reformat(
            frame, width=w & ~7, height=h, format="bgra", interpolation=Interpolation.FAST_BILINEAR
        )
        return self._image(small)

    @staticmethod
    def _image(converted: Any) -> QImage:
        """The QImage is painted straight from the converted frame's buffer, which it keeps
        alive (PySide holds the plane, the plane its frame): copying it out cost a 1080p frame
        1.5-3.5 ms. Each reformat returns a frame of its own, never reused."""
        plane = converted.planes[0]
        return QImage(memoryview(plane), converted.width, converted.height, plane.line_size,
                      QImage.Format.Format_RGB32)  # fmt: skip
