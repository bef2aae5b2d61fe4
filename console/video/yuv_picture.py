"""A decoded frame kept in YUV until its tile paints it, for a tile about the picture's own size.

Converted by the decoder, a 1080p picture is written once into an image of its own and copied
again by the painter into the window's backing store: 8 MB twice, 1.5 ms of CPU a frame here.
Kept in YUV, it is converted straight into the backing store at paint time (swscale): 0.6 ms
(docs/benchmarks.md). A painter that cannot take it so (a part of the tile exposed, a device
that is not a 32-bit image) gets it converted into an image first, as before."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
from PySide6.QtCore import QPoint, QRect, QRectF, QSize
from PySide6.QtGui import QImage, QPainter, QRegion, QTransform

from console.video import swscale

DIRECT_FORMATS = (
    QImage.Format.Format_RGB32,
    QImage.Format.Format_ARGB32,
    QImage.Format.Format_ARGB32_Premultiplied,
)
"""Devices swscale's BGRA fills as they are (B, G, R, A in memory on a little-endian machine;
A is 255, so premultiplied or not is the same)."""
PLANAR_420 = ("yuv420p", "yuvj420p")
SIMD_PIXELS = 32
"""swscale's YUV->RGB writes whole blocks of 16 pixels (SSSE3; 32 allowed for wider units) as
far as the row's stride allows: a width of whole blocks is written straight in, the columns
left over (fewer than this) go through a small buffer, so nothing beside the tile is touched."""


class YuvPicture:
    """The decoder's frame, owned: FFmpeg gives each decoded frame buffers of its own."""

    __slots__ = ("_image", "frame", "planes")

    def __init__(self, frame: Any) -> None:
        self.frame = frame
        self.planes = swscale.Planes.of(frame)
        self._image: QImage | None = None

    @staticmethod
    def takes(frame: Any) -> bool:
        """Frames this path converts: planar 4:2:0, as H.264 and H.265 cameras send."""
        return frame.format.name in PLANAR_420 and swscale.available()

    def width(self) -> int:
        return int(self.frame.width)

    def height(self) -> int:
        return int(self.frame.height)

    def size(self) -> QSize:
        return QSize(self.width(), self.height())

    def image(self) -> QImage:
        """Converted into an image of its own, once (the painter's fallback)."""
        if self._image is None:
            plane = self.frame.reformat(format="bgra").planes[0]
            w, h = self.width(), self.height()
            self._image = QImage(memoryview(plane), w, h, plane.line_size,
                                 QImage.Format.Format_RGB32)  # fmt: skip
        return self._image


class DirectPainter:
    """Paints YUV pictures straight into the device a tile's painter paints on. One per tile
    (its swscale contexts stay set for the tile's size), GUI thread only."""

    def __init__(self) -> None:
        self._main = swscale.Converter()
        self._tail = swscale.Converter()
        self._tail_buffer = np.empty((0, SIMD_PIXELS, 4), np.uint8)
        self.painted = 0  # pictures converted straight into the device

    def paint(self, p: QPainter, picture: YuvPicture, box: QRect, tile: QRect) -> bool:
        """`box`: where the picture goes pixel for pixel, `tile`: what may be painted, both in
        the tile's coordinates. False if the painter's device or clip does not allow it (the
        caller draws `picture.image()` instead)."""
        engine = p.paintEngine()
        device = engine.paintDevice() if engine is not None else None
        if not isinstance(device, QImage) or device.format() not in DIRECT_FORMATS:
            return False
        if sys.byteorder != "little":
            return False
        to_device = p.deviceTransform()
        if to_device.type().value > QTransform.TransformationType.TxScale.value:
            return False
        at = to_device.map(QRectF(box).topLeft()).toPoint()
        where = QRect(at, picture.size())
        visible = where & to_device.mapRect(QRectF(tile)).toRect() & device.rect()
        # Crop at even offsets (chroma is one sample for two pixels): a picture larger than its
        # tile moves by a pixel rather than lose its colours' alignment.
        where.translate((visible.x() - where.x()) % 2, (visible.y() - where.y()) % 2)
        visible &= where
        clip = engine.systemClip()
        if visible.isEmpty() or not (clip.isEmpty() or QRegion(visible).subtracted(clip).isEmpty()):
            return False
        if not self._convert(picture, device, visible, visible.topLeft() - where.topLeft()):
            return False
        self.painted += 1
        return True

    def _convert(self, picture: YuvPicture, device: QImage, visible: QRect, crop: QPoint) -> bool:
        """Even sizes only: swscale takes its fast path (SIMD, the same pixels as PyAV's) only
        for them. An odd last row or column repeats the one before it."""
        stride = device.bytesPerLine()
        px = np.ndarray(
            (device.height(), device.width(), 4), np.uint8, device.bits(), strides=(stride, 4, 1)
        )
        x, y, vw, vh = visible.x(), visible.y(), visible.width(), visible.height()
        w, h = vw & ~1, vh & ~1
        whole = w - w % SIMD_PIXELS
        address = px.__array_interface__["data"][0] + y * stride + x * 4
        main_crop = (crop.x(), crop.y(), whole, h)
        if whole and not self._main.convert(picture.planes, main_crop, address, stride):
            return False
        if rest := w - whole:
            if self._tail_buffer.shape[0] < h:
                self._tail_buffer = np.empty((h, SIMD_PIXELS, 4), np.uint8)
            tail = self._tail_buffer[:h]
            tail_crop = (crop.x() + whole, crop.y(), rest, h)
            tail_at = tail.__array_interface__["data"][0]
            if not self._tail.convert(picture.planes, tail_crop, tail_at, SIMD_PIXELS * 4):
                return False
            px[y : y + h, x + whole : x + w] = tail[:, :rest]
        if w < vw:
            px[y : y + h, x + w] = px[y : y + h, x + w - 1]
        if h < vh:
            px[y + h, x : x + vw] = px[y + h - 1, x : x + vw]
        return True
