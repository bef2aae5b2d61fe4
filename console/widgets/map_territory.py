"""The township's territory as a widget: grids filled by the chosen shading, villages outlined,
the township's own layers, a tile package under them and today's patrol tracks over them,
rendered once into a layer that panning moves and zooming scales (rendered sharp again when
the view settles); its legend and scale bar. TownshipMap draws the live layers over it."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QWidget

from console.models.map_layers import Area, MapLayers, Shading
from console.widgets.map_style import (
    BACKGROUND,
    BASE_MARGIN_PX,
    LAYER_ORDER,
    LAYER_STYLES,
    SETTLE_MS,
    UNSHADED,
    class_range,
    classes_of,
    path_of,
    shade_step,
    step_colour,
    wide_offsets,
)
from console.widgets.map_tiles import TileLayer
from domain.map_geometry import (
    Box,
    Viewport,
    ground_metres,
    mercator,
    tile_box,
    tile_shift,
    tiles_over,
    zoom_level,
)
from domain.township import Township


class TerritoryView(QWidget):
    def __init__(self, layers: MapLayers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layers = layers
        self.view = Viewport()
        self.shading = Shading.OPEN
        self.show_boundaries = self.show_tracks = self.show_layers = True
        self._legend_right = 0.0
        """Where the legend as last drawn ends: the scale bar keeps clear of it."""
        self._font = QFont(self.font())
        self._paths: list[tuple[Area, QPainterPath]] = []
        self._village_paths: list[tuple[Area, QPainterPath]] = []
        self._village_path: QPainterPath | None = None
        """The village outlines as one path (stroked as one)."""
        self._extra_paths: list[tuple[QPen, QColor | None, QPainterPath, float]] = []
        """The township's own layers: (1-px pen, fill or None, path, width) in drawing order."""
        self._fills_key: tuple[Any, ...] | None = None
        self._fill_paths: list[tuple[QColor, QPainterPath]] = []
        self._tracks: list[QPainterPath] = []
        self._tracks_version = 0
        self._base: QPixmap | None = None
        """The territory as last rendered: panning moves it, zooming scales it, and it is
        rendered again when the view settles."""
        self._base_view: tuple[float, float, float, int, int] = (0.0, 0.0, 0.0, 0, 0)
        self._base_key: tuple[Any, ...] | None = None
        self.tiles: TileLayer | None = None
        self.tiles_waiting = 0
        """Tiles the territory as last rendered needed and had not got yet."""
        self._tiles_timer = self._one_shot(60)
        self._settle = self._one_shot(SETTLE_MS)

    def _one_shot(self, ms: int) -> QTimer:
        """A timer that renders the territory again once, `ms` after it was last started."""
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(self._render_base_again)
        return timer

    def take_territory(self, township: Township) -> None:
        """A township (version): its areas' outlines as paths, drawn from then on."""
        self.layers.set_township(township)
        self._paths = [(a, path_of(a.rings)) for a in self.layers.grids if a.rings]
        self._village_paths = [(a, path_of(a.rings)) for a in self.layers.villages if a.rings]
        self._village_path = None
        self._extra_paths = []
        for kind in LAYER_ORDER:  # water under rivers under roads
            lines, areas = self.layers.extra.get(kind, ([], []))
            style = LAYER_STYLES[kind]
            pen = QPen(style.line)
            pen.setCosmetic(True)
            pen.setWidthF(1.0)  # wider: drawn again a pixel aside (_draw_territory)
            if areas:
                self._extra_paths.append((pen, style.fill, path_of(areas), 1.0))
            if lines:
                path = QPainterPath()
                for line in lines:
                    path.addPath(path_of([line], close=False))
                self._extra_paths.append((pen, None, path, style.width))
        self._base_key = None

    def _world(self) -> QTransform:
        v = self.view
        s = 1.0 / v.metres_per_px
        return QTransform(s, 0, 0, -s, v.width / 2 - v.cx * s, v.height / 2 + v.cy * s)

    def _draw_base(self, p: QPainter) -> None:
        """The territory from the cached layer: moved while panning (within its margin),
        scaled while zooming, rendered afresh when the view has settled or moved past it."""
        v = self.view
        key = (self._fills_key_now(), v.width, v.height, self.devicePixelRatioF())
        cx, cy, m, w, h = self._base_view
        if self._base is None or key != self._base_key:
            self._render_base(key)
        elif m != v.metres_per_px:
            self._settle.start()
        else:
            dx, dy = (cx - v.cx) / m, (v.cy - cy) / m
            if abs(dx) > BASE_MARGIN_PX or abs(dy) > BASE_MARGIN_PX:
                self._render_base(key)
        assert self._base is not None
        cx, cy, m, w, h = self._base_view
        scale = m / v.metres_per_px
        # the base's top left corner, in the world, then on screen
        left = cx - (w / 2 + BASE_MARGIN_PX) * m
        top = cy + (h / 2 + BASE_MARGIN_PX) * m
        sx, sy = v.to_screen(left, top)
        size = self._base.size() / self._base.devicePixelRatio()
        target = QRectF(sx, sy, size.width() * scale, size.height() * scale)
        p.drawPixmap(target, self._base, QRectF(self._base.rect()))

    def _render_base_again(self) -> None:
        self._base_key = None
        self.update()

    def _fills_key_now(self) -> tuple[Any, ...]:
        return (self.shading, self.layers.figures_version, id(self._paths),
                self.show_boundaries, self.show_tracks, self.show_layers,
                self._tracks_version)  # fmt: skip

    def _render_base(self, key: tuple[Any, ...]) -> None:
        v = self.view
        ratio = self.devicePixelRatioF()
        w, h = v.width + 2 * BASE_MARGIN_PX, v.height + 2 * BASE_MARGIN_PX
        base = QPixmap(round(w * ratio), round(h * ratio))
        base.setDevicePixelRatio(ratio)
        base.fill(BACKGROUND)
        bp = QPainter(base)
        bp.translate(BASE_MARGIN_PX, BASE_MARGIN_PX)
        if self.tiles is not None:
            self._draw_tiles(bp)
        if self.show_boundaries:
            self._draw_territory(bp)
        if self.show_tracks and self._tracks:
            self._draw_tracks(bp)
        bp.end()
        self._base, self._base_key = base, key
        self._base_view = (v.cx, v.cy, v.metres_per_px, v.width, v.height)

    def set_tiles(self, tiles: TileLayer | None) -> None:
        """A tile package under the territory (None: none)."""
        if self.tiles is not None:
            self.tiles.arrived.disconnect(self._tiles_came)
        self.tiles = tiles
        if tiles is not None:
            tiles.arrived.connect(self._tiles_came)
        self._base_key = None
        self.update()

    def _tiles_came(self) -> None:
        if not self._tiles_timer.isActive():  # a screenful arrives tile by tile: draw once
            self._tiles_timer.start()

    def tile_shift(self) -> tuple[float, float]:
        """How far the package draws things from where they are, at the view's centre."""
        if self.tiles is None:
            return 0.0, 0.0
        return tile_shift(self.view.cx, self.view.cy, self.tiles.package.info.system)

    def _draw_tiles(self, p: QPainter) -> None:
        """The package's tiles at the zoom nearest the view's, shifted under our WGS-84 data
        (domain.map_geometry.tile_shift); what has not come yet is asked for."""
        assert self.tiles is not None
        v = self.view
        z = self.tiles.package.zoom_for(zoom_level(v.metres_per_px))
        dx, dy = self.tile_shift()
        seen = v.visible(margin_px=BASE_MARGIN_PX)
        in_package = Box(seen.x0 + dx, seen.y0 + dy, seen.x1 + dx, seen.y1 + dy)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.tiles_waiting = 0
        for x, y in tiles_over(in_package, z):
            image = self.tiles.image((z, x, y))
            if image is None:
                self.tiles_waiting += not self.tiles.known((z, x, y))
                continue
            box = tile_box(z, x, y)
            left, top = v.to_screen(box.x0 - dx, box.y1 - dy)
            right, bottom = v.to_screen(box.x1 - dx, box.y0 - dy)
            p.drawImage(QRectF(QPointF(left, top), QPointF(right, bottom)), image)

    def set_tracks(self, tracks: list[dict[str, Any]]) -> None:
        """Today's patrols (patrol.tracks): each a line where its grid worker walked."""
        lines = []
        for t in tracks:
            points = [p for p in t.get("track") or [] if isinstance(p, list) and len(p) >= 2]
            if len(points) >= 2:
                xs, ys = mercator(np.array([p[1] for p in points], np.float64),
                                  np.array([p[0] for p in points], np.float64))  # fmt: skip
                lines.append(path_of([list(zip(xs.tolist(), ys.tolist(), strict=True))], False))
        self._tracks = lines
        self._tracks_version += 1
        self._base_key = None
        self.update()

    def _draw_tracks(self, p: QPainter) -> None:
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setTransform(self._world(), True)
        pen = QPen(QColor(80, 220, 255, 200))
        pen.setCosmetic(True)
        pen.setWidthF(2.0)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for path in self._tracks:
            p.drawPath(path)
        p.restore()

    def _draw_territory(self, p: QPainter) -> None:
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setTransform(self._world(), True)  # after the base's margin
        grid_pen = QPen(QColor("#5f7c96"))
        grid_pen.setCosmetic(True)
        grid_pen.setWidthF(1.0)
        p.setPen(grid_pen)
        for colour, path in self._fills():
            p.setBrush(colour)
            p.drawPath(path)
        for thin, fill, path, width in self._extra_paths if self.show_layers else ():
            p.setBrush(Qt.BrushStyle.NoBrush if fill is None else fill)
            _stroke(p, path, thin, width)
        village_pen = QPen(QColor("#b8d3ea"))
        village_pen.setCosmetic(True)
        village_pen.setWidthF(1.0)
        p.setBrush(Qt.BrushStyle.NoBrush)
        if self._village_path is None:
            self._village_path = QPainterPath()
            for _area, path in self._village_paths:
                self._village_path.addPath(path)
        _stroke(p, self._village_path, village_pen, 2.0)
        p.restore()

    def _fills(self) -> list[tuple[QColor, QPainterPath]]:
        """The grids as one path per class (CLASSES of them): 2,000 grids drawn one by one
        took 25 ms a frame; as 5 paths, a few."""
        key = (self.shading, self.layers.figures_version, len(self._paths), id(self._paths))
        if self._fills_key == key:
            return self._fill_paths
        low, high = self.layers.shade_range(self.shading)
        classes = classes_of(self.shading, high)
        buckets: dict[int, QPainterPath] = {}
        for area, path in self._paths:
            value = self.layers.shade(area.code, self.shading)
            step = -1 if value is None else shade_step(value, low, high, classes)
            bucket = buckets.get(step)
            if bucket is None:
                bucket = buckets[step] = QPainterPath()
                bucket.setFillRule(Qt.FillRule.WindingFill)
            bucket.addPath(path)
        self._fill_paths = [
            (UNSHADED if step < 0 else step_colour(step, classes, self.shading), path)
            for step, path in sorted(buckets.items())
        ]
        self._fills_key = key
        return self._fill_paths

    def _draw_legend(self, p: QPainter) -> None:
        self._legend_right = 0.0
        if self.shading == Shading.NONE:
            return
        title = {
            Shading.OPEN: QCoreApplication.translate("TerritoryView", "Open cases per grid"),
            Shading.OVERDUE_SHARE: QCoreApplication.translate(
                "TerritoryView", "Overdue share per grid"
            ),
            Shading.ON_TIME_RATE: QCoreApplication.translate(
                "TerritoryView", "On-time rate per grid (this month)"
            ),
            Shading.UNPATROLLED: QCoreApplication.translate(
                "TerritoryView", "Grids not patrolled today (red)"
            ),
        }[self.shading]
        p.setFont(self._font)
        m = p.fontMetrics()
        labels, colours = self._legend_classes()
        h = m.height()
        widest = max(m.horizontalAdvance(t) for t in labels) + 12 if labels else 0
        width = max(m.horizontalAdvance(title) + 16, widest * len(labels) + 16, 200)
        box = QRectF(10, self.height() - 10 - (3 * h + 18), width, 3 * h + 18)
        self._legend_right = box.right()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(8, 16, 24, 200))
        p.drawRoundedRect(box, 4, 4)
        p.setPen(QColor("#e8f0f7"))
        p.drawText(QPointF(box.left() + 8, box.top() + h), title)
        if not labels:  # the figures have not come: nothing shaded, and it says so
            p.setPen(QColor("#c9d6e2"))
            waiting = QCoreApplication.translate("TerritoryView", "waiting for the grid figures")
            p.drawText(QPointF(box.left() + 8, box.bottom() - 6), waiting)
            return
        cell = (width - 16) / len(labels)
        bar_top = box.top() + h + 6
        for k, (label, colour) in enumerate(zip(labels, colours, strict=True)):
            left = box.left() + 8 + k * cell
            p.fillRect(QRectF(left + 1, bar_top, cell - 2, h * 0.8), colour)
            p.setPen(QColor("#c9d6e2"))
            p.drawText(QPointF(left + (cell - m.horizontalAdvance(label)) / 2, box.bottom() - 6),
                       label)  # fmt: skip

    def _legend_classes(self) -> tuple[list[str], list[QColor]]:
        """Each class's words and colour, as the grids are shaded now; none before figures."""
        if self.layers.figures_at is None:
            return [], []
        low, high = self.layers.shade_range(self.shading)
        classes = classes_of(self.shading, high)
        colours = [step_colour(k, classes, self.shading) for k in range(classes)]
        if self.shading == Shading.UNPATROLLED:  # two kinds, counted
            done = sum(1 for a in self.layers.grids if a.code in self.layers.patrolled)
            patrolled = QCoreApplication.translate("TerritoryView", "patrolled %1")
            not_yet = QCoreApplication.translate("TerritoryView", "not yet %1")
            return [patrolled.replace("%1", str(done)),
                    not_yet.replace("%1", str(len(self.layers.grids) - done))], colours  # fmt: skip
        share = self.shading != Shading.OPEN
        return [class_range(k, low, high, classes, share) for k in range(classes)], colours

    def _draw_scale(self, p: QPainter) -> None:
        ground_per_px = ground_metres(self.view.metres_per_px, self.layers.lat)
        target = ground_per_px * 120
        nice = 10 ** math.floor(math.log10(max(target, 1e-6)))
        for step in (5, 2, 1):
            if step * nice <= target:
                nice *= step
                break
        px = nice / ground_per_px
        text = f"{nice / 1000:g} km" if nice >= 1000 else f"{nice:g} m"
        p.setFont(self._font)
        m = p.fontMetrics()
        x1, y = self.width() - 14, self.height() - 14
        if x1 - px - m.horizontalAdvance(text) / 2 < self._legend_right + 8:  # a narrow map
            y = m.height() + 14  # top right, clear of the legend
        at = QPointF(x1 - px / 2 - m.horizontalAdvance(text) / 2, y - 6)
        for colour, width, shift in (
            (QColor(8, 16, 24, 190), 4.0, 1.0),
            (QColor("#e8f0f7"), 2.0, 0),
        ):
            p.setPen(QPen(colour, width))  # a dark halo first: read on a light base map too
            p.drawLine(QPointF(x1 - px, y), QPointF(x1, y))
            p.drawLine(QPointF(x1 - px, y - 5), QPointF(x1 - px, y))
            p.drawLine(QPointF(x1, y - 5), QPointF(x1, y))
            for dx, dy in ((shift, shift), (-shift, -shift)) if shift else ((0.0, 0.0),):
                p.drawText(at + QPointF(dx, dy), text)


def _stroke(p: QPainter, path: QPainterPath, thin: QPen, width: float) -> None:
    """A path's outline `width` px wide, from a 1-px cosmetic pen (map_style.wide_offsets):
    drawn again a device pixel aside, or on a high-density screen by Qt's stroker (as quick
    there as 9-12 passes, and smoother)."""
    device = p.device()
    ratio = device.devicePixelRatioF() if device is not None else 1.0
    if ratio > 1.25 and width > 1.0:
        pen = QPen(thin)
        pen.setWidthF(width)
        p.setPen(pen)
        p.drawPath(path)
        return
    p.setPen(thin)
    p.drawPath(path)
    world = p.transform()
    for dx, dy in wide_offsets(width, ratio):
        p.setTransform(world * QTransform.fromTranslate(dx, dy))
        p.drawPath(path)
    p.setTransform(world)
