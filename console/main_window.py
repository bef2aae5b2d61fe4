"""The command-room window: video wall and indicators above, dispatch queue below."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QWidget

from console.link import LinkState
from console.models.dispatch_queue_model import DispatchQueueModel
from console.theme import CHART_TEXT_PT
from console.widgets.dispatch_queue import DispatchQueuePanel
from console.widgets.link_status import LinkStatusLabel
from console.widgets.metrics_panel import MetricsPanel
from console.widgets.video_wall import VideoWall
from domain.incident import Incident
from domain.township import Township


class MainWindow(QMainWindow):
    def __init__(self, mode: str = "desk", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.township: Township | None = None
        self.queue_model = DispatchQueueModel()
        self.video_wall = VideoWall()
        self.metrics = MetricsPanel(self.queue_model.book, text_pt=CHART_TEXT_PT[mode])
        self.queue = DispatchQueuePanel(self.queue_model)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.video_wall)
        top.addWidget(self.metrics)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(top)
        main.addWidget(self.queue)
        main.setStretchFactor(0, 1)
        main.setStretchFactor(1, 1)
        self.setCentralWidget(main)

        self.link_status = LinkStatusLabel()
        self.clock = QLabel()
        self.statusBar().addWidget(self.link_status, 1)
        self.statusBar().addPermanentWidget(self.clock)
        self._clock_timer = QTimer(self)
        self._clock_timer.timeout.connect(self._on_clock)
        self._clock_timer.start(1000)
        self._on_clock()
        self._update_title()

    def _update_title(self) -> None:
        if self.township is None:
            self.setWindowTitle(self.tr("Comprehensive Information Command Room"))
        else:
            title = self.tr("%1 Comprehensive Information Command Room")
            self.setWindowTitle(title.replace("%1", self.township.name))

    def _on_clock(self) -> None:
        self.clock.setText(time.strftime("%Y-%m-%d %H:%M:%S"))

    # Slots for the link's signals (queued: they run on the GUI thread).

    def on_township_received(self, township: Township) -> None:
        self.township = township
        self.queue_model.set_township(township)
        self.video_wall.show_township(township)
        self.metrics.set_township(township)
        self._update_title()

    def on_snapshot_received(self, incidents: list[Incident], seq: int) -> None:
        self.queue_model.replace_all(incidents, seq)
        self.metrics.mark_dirty()

    def on_incidents_updated(self, incidents: list[Incident]) -> None:
        self.queue_model.apply_batch(incidents)
        self.metrics.mark_dirty()

    def on_link_state_changed(self, state: str, age: float) -> None:
        link_state = LinkState(state)
        self.link_status.show_state(link_state, age)
        self.queue.show_link_state(link_state, age)
        self.metrics.show_link_state(link_state, age)
