"""What the township map draws over its territory besides the cases: the cameras (by state,
with the way a fixed one looks) and the heat of the reports."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF

from console.models.map_layers import MapLayers
from console.widgets.map_style import CAMERA_COLOURS, HEAT_CELL_PX
from domain.map_geometry import Viewport

VIEW_DEGREES = 60.0
"""A fixed camera's field of view as the map shows it (a typical 4 mm lens on a 1/2.8")."""


def draw_cameras(p: QPainter, view: Viewport, layers: MapLayers, size: float) -> None:
    """Each camera in view as a triangle in its state's colour; a fixed one's view as a faint
    wedge the way it looks, so a duty officer sees which side of the road it watches."""
    reach = size * 3.4
    outline = QPen(QColor("#0b1118"), 1.0)
    for cam in layers.cameras:
        sx, sy = view.to_screen(cam.x, cam.y)
        if not (-reach <= sx <= view.width + reach and -reach <= sy <= view.height + reach):
            continue
        colour = CAMERA_COLOURS[layers.camera_state(cam.code)]
        if cam.direction is not None:
            wedge = QColor(colour)
            wedge.setAlpha(70)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(wedge)
            start = 90.0 - cam.direction - VIEW_DEGREES / 2  # Qt: from 3 o'clock, anticlockwise
            box = QRectF(sx - reach, sy - reach, 2 * reach, 2 * reach)
            p.drawPie(box, round(start * 16), round(VIEW_DEGREES * 16))
        p.setPen(outline)
        p.setBrush(colour)
        triangle = QPolygonF([QPointF(sx, sy - size), QPointF(sx - size * 0.8, sy + size * 0.6),
                              QPointF(sx + size * 0.8, sy + size * 0.6)])  # fmt: skip
        p.drawPolygon(triangle)


def draw_heat(
    p: QPainter, view: Viewport, x: npt.NDArray[np.float64], y: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64] | None = None,
) -> None:  # fmt: skip
    """Reports as a density: binned on screen cells, blurred, drawn translucent red;
    `weights`: reports per place (the backend's cells), else one each."""
    if not len(x):
        return
    sx, sy = view.to_screen(x, y)
    cols, rows = max(1, view.width // HEAT_CELL_PX), max(1, view.height // HEAT_CELL_PX)
    grid, _xe, _ye = np.histogram2d(sy, sx, bins=(rows, cols), weights=weights,
                                    range=((0, view.height), (0, view.width)))  # fmt: skip
    kernel = np.array([1, 4, 6, 4, 1], np.float64)
    for axis in (0, 1):  # a small Gaussian, separable
        grid = np.apply_along_axis(lambda r: np.convolve(r, kernel, "same"), axis, grid)
    top = grid.max()
    if top <= 0:
        return
    alpha = np.clip(np.sqrt(grid / top) * 190, 0, 190).astype(np.uint8)
    pixels = np.zeros((rows, cols, 4), np.uint8)  # BGRA: a warm red, density as alpha
    pixels[..., 0], pixels[..., 1], pixels[..., 2] = 40, 60, 255
    pixels[..., 3] = alpha
    data = pixels.tobytes()
    image = QImage(data, cols, rows, cols * 4, QImage.Format.Format_ARGB32).copy()
    p.save()
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    p.drawImage(QRectF(0, 0, cols * HEAT_CELL_PX, rows * HEAT_CELL_PX), image)
    p.restore()
