"""A decoded frame kept in YUV until its tile paints it, for a tile about the picture's own size.

Converted by the decoder, a 1080p picture is written once into an image of its own and copied
again by the painter into the window's backing store: 8 MB twice, 1.5 ms of CPU a frame here.
Kept in YUV, it is converted straight into the backing store at paint time (swscale): 0.6 ms
(docs/benchmarks.md, 2026-12-05). A painter that cannot take it so (a part of the tile
exposed, a device that is not a 32-bit image) gets it converted into an image first."""

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

    __slots__ = ("frame", "image", "planes")

    def __init__(self, frame: Any) -> None:
        self.frame = frame
        self.planes = swscale.Planes.of(frame)
        self.image: QImage | None = None  # converted once for a painter that needs an image

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


class DirectPainter:
    """Paints YUV pictures straight into the device a tile's painter paints on. One per tile
    (its swscale contexts stay set for the tile's size), GUI thread only."""

    def __init__(self) -> None:
        self._main = swscale.Converter()
        self._tail = swscale.Converter()
        self._scratch = np.empty(0, np.uint8)  # the tail's columns, an odd last row
        self._whole = swscale.Converter()  # for image()
        self._rows = swscale.Converter()  # an odd last row, with the picture's next
        self.painted = 0  # pictures converted straight into the device

    def paint(self, p: QPainter, picture: YuvPicture, box: QRect, tile: QRect) -> QRect | None:
        """`box`: where the picture goes pixel for pixel, `tile`: what may be painted, both in
        the tile's coordinates. Returns the device pixels painted (the caller paints the rest
        of the tile, in device pixels: its own rounding of `box` may differ by one), or None if
        the painter's device, clip or state does not allow it (the caller draws `image()`)."""
        engine = p.paintEngine()
        device = engine.paintDevice() if engine is not None else None
        if not isinstance(device, QImage) or device.format() not in DIRECT_FORMATS:
            return None
        to_device = p.deviceTransform()
        if (
            sys.byteorder != "little"
            or to_device.type().value > QTransform.TransformationType.TxScale.value
            or p.opacity() < 1.0
            or p.compositionMode() != QPainter.CompositionMode.CompositionMode_SourceOver
        ):
            return None
        at = to_device.map(QRectF(box).topLeft()).toPoint()
        where = QRect(at, picture.size())
        visible = where & to_device.mapRect(QRectF(tile)).toRect() & device.rect()
        # Crop at even offsets (chroma is one sample for two pixels): a picture larger than its
        # tile moves by a pixel rather than lose its colours' alignment.
        where.translate((visible.x() - where.x()) % 2, (visible.y() - where.y()) % 2)
        visible &= where
        if visible.width() < 2 or visible.height() < 2 or not self._may_paint(p, visible):
            return None
        if not self._convert(picture, device, visible, visible.topLeft() - where.topLeft()):
            return None
        self.painted += 1
        return visible

    @staticmethod
    def _may_paint(p: QPainter, visible: QRect) -> bool:
        """The whole of `visible` (device pixels) is within what the painter may paint: the
        exposed region (system clip) and a clip of its own."""
        outside = QRegion()
        engine = p.paintEngine()
        clip = engine.systemClip() if engine is not None else QRegion()
        if not clip.isEmpty():  # empty: no system clip, the whole device
            outside |= QRegion(visible).subtracted(clip)
        if p.hasClipping():
            outside |= QRegion(visible).subtracted(p.deviceTransform().map(p.clipRegion()))
        return outside.isEmpty()

    def image(self, picture: YuvPicture) -> QImage:
        """The picture converted into an image of its own, once (for a painter that cannot
        take it straight). Its rows are padded to whole blocks of pixels: PyAV's reformat
        leaves the last columns of a width that is not a multiple of 8 unconverted (swscale's
        SIMD stops at the last whole block that fits the row)."""
        if picture.image is None:
            picture.image = image_of(self._whole, picture.planes, picture.width(), picture.height())
        return picture.image

    def _convert(self, picture: YuvPicture, device: QImage, visible: QRect, crop: QPoint) -> bool:
        """Even sizes only: swscale takes its fast path (SIMD, the same pixels as PyAV's) only
        for them. An odd last column is converted with the picture's next one (with the tail,
        through the scratch buffer), an odd last row with the next row (through it too); where
        the picture has no next one, it repeats the one before it."""
        stride = device.bytesPerLine()
        px = np.ndarray(
            (device.height(), device.width(), 4), np.uint8, device.bits(), strides=(stride, 4, 1)
        )
        x, y, vw, vh = visible.x(), visible.y(), visible.width(), visible.height()
        w = vw + 1 if vw % 2 and crop.x() + vw < picture.width() else vw & ~1  # converted
        h = vh & ~1
        whole = vw - vw % SIMD_PIXELS  # written in place
        address = px.__array_interface__["data"][0] + y * stride + x * 4
        main_crop = (crop.x(), crop.y(), whole, h)
        if whole and not self._main.convert(picture.planes, main_crop, address, stride):
            return False
        shown = min(w, vw)  # columns with pixels of their own
        if rest := w - whole:
            tail_crop = (crop.x() + whole, crop.y(), rest, h)
            tail = self._through_scratch(self._tail, picture.planes, tail_crop)
            if tail is None:
                return False
            px[y : y + h, x + whole : x + shown] = tail[:, : shown - whole]
        if h < vh:  # the last row shown, with the next if the picture has it
            rows = None
            if crop.y() + vh < picture.height():
                pair = (crop.x(), crop.y() + h, w, 2)
                rows = self._through_scratch(self._rows, picture.planes, pair)
            if rows is not None:
                px[y + h, x : x + shown] = rows[0, :shown]
            else:
                px[y + h, x : x + shown] = px[y + h - 1, x : x + shown]
        if shown < vw:
            px[y : y + vh, x + shown] = px[y : y + vh, x + shown - 1]
        return True

    def _through_scratch(
        self, converter: swscale.Converter, planes: swscale.Planes, crop: tuple[int, int, int, int]
    ) -> np.ndarray | None:
        """`crop` converted into the scratch buffer, its rows padded to whole blocks, as an
        array of its height and width; None if it could not be."""
        _, _, w, h = crop
        padded = padded_width(w)
        if self._scratch.size < h * padded * 4:
            self._scratch = np.empty(h * padded * 4, np.uint8)
        part = self._scratch[: h * padded * 4].reshape(h, padded, 4)
        at = part.__array_interface__["data"][0]
        return part[:, :w] if converter.convert(planes, crop, at, padded * 4) else None


def image_of(converter: swscale.Converter, planes: swscale.Planes, w: int, h: int) -> QImage:
    """A planar 4:2:0 frame converted into an image of its own, its rows padded to whole
    blocks of pixels (swscale's SIMD writes them whole). Black if it could not be converted."""
    padded = padded_width(w)
    pixels = np.empty((h, padded, 4), np.uint8)
    if not converter.convert(planes, (0, 0, w, h), pixels.__array_interface__["data"][0],
                             padded * 4):  # fmt: skip
        pixels[:] = (0, 0, 0, 255)
    # PySide keeps the buffer (and so the array) alive with the image.
    return QImage(pixels.data, w, h, padded * 4, QImage.Format.Format_RGB32)


def padded_width(w: int) -> int:
    """`w` pixels rounded up to whole blocks of SIMD_PIXELS: a row swscale may fill whole."""
    return -(-w // SIMD_PIXELS) * SIMD_PIXELS
