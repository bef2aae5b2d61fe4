"""The cases' markers on the township map: one circle per case or group, coloured by its most
urgent case, ringed red when any is overdue, its count inside; stamped from pixmaps drawn once
(a pixmap is ~6x quicker than an antialiased ellipse with a pen, and a wall draws hundreds a
frame)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap

from console.models.map_layers import URGENT_RANK
from console.widgets.map_style import CASE_COLOURS, NORMAL_CASE
from domain.map_geometry import Clusters, marker_radius


class CaseMarkers:
    def __init__(self, font: QFont, ratio: float) -> None:
        self.font = font
        """The counts' (bold) font."""
        self.ratio = ratio
        self._sprites: dict[tuple[int, bool, int], QPixmap] = {}
        self._widths: dict[str, float] = {}

    def draw(self, p: QPainter, groups: Clusters, radius: float) -> None:
        p.setFont(self.font)
        ascent = p.fontMetrics().ascent()
        white, dark = QColor("#ffffff"), QColor("#08121c")
        xs, ys, counts = groups.x.tolist(), groups.y.tolist(), groups.count.tolist()
        ranks, late = groups.rank.tolist(), groups.overdue.tolist()
        radii = marker_radius(groups.count, radius).tolist()
        for k in range(len(xs)):
            x, y, n, rank, r = xs[k], ys[k], counts[k], ranks[k], radii[k]
            sprite = self._sprite(rank, late[k] > 0, round(r))
            half = sprite.width() / 2 / sprite.devicePixelRatio()
            p.drawPixmap(QPointF(x - half, y - half), sprite)
            if n > 1:
                text = str(n) if n < 10_000 else f"{n // 1000}k"
                p.setPen(white if rank <= URGENT_RANK else dark)
                w = self._width(text)
                p.drawText(QPointF(x - w / 2, y + ascent / 2 - 1), text)

    def _width(self, text: str) -> float:
        """A count's width (measured once per text, not every frame)."""
        width = self._widths.get(text)
        if width is None:
            width = self._widths[text] = QFontMetricsF(self.font).horizontalAdvance(text)
        return width

    def _sprite(self, rank: int, overdue: bool, radius: int) -> QPixmap:
        key = (rank, overdue, radius)
        sprite = self._sprites.get(key)
        if sprite is None:
            size = 2 * radius + 6
            sprite = QPixmap(round(size * self.ratio), round(size * self.ratio))
            sprite.setDevicePixelRatio(self.ratio)
            sprite.fill(Qt.GlobalColor.transparent)
            sp = QPainter(sprite)
            sp.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            sp.setPen(QPen(QColor("#ff3030"), 2.5) if overdue else QPen(QColor("#0b1118"), 1.0))
            sp.setBrush(CASE_COLOURS.get(rank, NORMAL_CASE))
            sp.drawEllipse(QPointF(size / 2, size / 2), radius, radius)
            sp.end()
            self._sprites[key] = sprite
        return sprite
