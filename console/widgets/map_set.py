"""Every map of one console, fed as one: the main map panel, a wall's map screens and the
desk's case map take the township, the figures, the cases, a base map and today's patrol
tracks from here, so that the window hands each of them over once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

from console import present
from console.models.queue_order import QueueOrder
from console.models.tile_package import TileSource
from console.request_port import RequestPort
from console.widgets.case_map import CaseMap
from console.widgets.map_panel import MapPanel
from console.widgets.map_tiles import TileLayer
from domain.incident import Incident
from domain.township import Township
from domain.wire import Message, MsgType

TRACKS_EVERY_MS = 60_000
"""Today's patrol tracks are asked for again this often while live (a patrol ends every few
minutes)."""


class MapSet(QObject):
    def __init__(
        self,
        port: RequestPort,
        order: QueueOrder,
        may: Callable[[str], bool],
        wall: bool,
        text_pt: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.port, self.order, self.may = port, order, may
        self.main = MapPanel(order, wall=wall, text_pt=text_pt)
        self.main.heat_asked.connect(lambda *a: self.ask_heat(self.main, *a))
        self.screens: list[MapPanel] = []
        self.case_map: CaseMap | None = None
        self._tiles: TileSource | None = None
        self._tracks = QTimer(self)
        self._tracks.setInterval(TRACKS_EVERY_MS)
        self._tracks.timeout.connect(self.ask_tracks)

    @property
    def panels(self) -> list[MapPanel]:
        return [self.main, *self.screens]

    def add_screen(self, text_pt: float) -> MapPanel:
        """A wall screen of its own for the map."""
        panel = MapPanel(self.order, wall=True, text_pt=text_pt)
        panel.heat_asked.connect(lambda *a, p=panel: self.ask_heat(p, *a))
        if self._tiles is not None:
            panel.use_tiles(TileLayer(self._tiles, panel))
        self.screens.append(panel)
        return panel

    def add_case_map(self) -> CaseMap:
        self.case_map = CaseMap(self.order)
        return self.case_map

    # --- what the window hands over ----------------------------------------------------------

    def set_township(self, township: Township) -> None:
        for panel in self.panels:
            panel.set_township(township)
        if self.case_map is not None:
            self.case_map.set_township(township)

    def refresh(self) -> None:
        """The queue's cases changed (a flush, a snapshot): coalesced by each panel."""
        for panel in self.panels:
            panel.refresh()

    def set_indicators(self, figures: dict[str, Any]) -> None:
        for panel in self.panels:
            panel.set_indicators(figures)
        if self.case_map is not None:
            self.case_map.set_indicators(figures)

    def use_tiles(self, package: TileSource) -> None:
        """An offline tile package under every map panel (each with its own reader)."""
        self._tiles = package
        for panel in self.panels:
            panel.use_tiles(TileLayer(package, panel))

    def set_live_cameras(self, live: set[str]) -> None:
        """The cameras live on this console's video walls: the maps' green ones."""
        for panel in self.panels:
            panel.map.layers.live_here = live
            panel.map.update()

    def fly_to(self, incident: Incident) -> None:
        for panel in self.panels:
            panel.map.fly_to(incident)

    def show_case(self, incident: Incident | None) -> None:
        if self.case_map is not None:
            self.case_map.show_case(incident)

    def on_live(self, live: bool) -> None:
        """Tracks asked for when the link comes up, then once a minute while it stays."""
        if live and not self._tracks.isActive():
            self.ask_tracks()
            self._tracks.start()
        elif not live:
            self._tracks.stop()

    def ask_heat(self, panel: MapPanel, start: float, end: float, category: str | None) -> None:
        """The heat over a longer period than this console holds, for one panel."""
        if not self.may(MsgType.HEAT_REQUEST):
            panel.heat_refused(self.tr("not for this role"))
            return
        body = {"start": start, "end": end, "category": category}
        pending = self.port.request(MsgType.HEAT_REQUEST, body, timeout=30.0)
        pending.answered.connect(lambda reply: panel.show_heat(reply.body))
        pending.refused.connect(lambda _code, detail: panel.heat_refused(detail))

    # --- today's patrol tracks ----------------------------------------------------------------

    def ask_tracks(self) -> None:
        """Today's patrol tracks (the command room's roles only: others are not asked)."""
        if not self.may(MsgType.TRACKS_REQUEST):
            return
        since = present.start_of_day(time.time())
        self.port.request(MsgType.TRACKS_REQUEST, {"since": since}).answered.connect(
            self._on_tracks
        )

    def _on_tracks(self, reply: Message) -> None:
        tracks = list(reply.body.get("tracks") or [])
        for panel in self.panels:
            panel.map.set_tracks(tracks)
