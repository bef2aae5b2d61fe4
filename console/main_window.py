"""The command-room window.

Wall: video and indicators above, the queue below, nothing to click but the alert. Desk: the
queue in the middle, video, indicators and the case (with its actions) in docks the supervisor
arranges; the arrangement is kept between runs.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from PySide6.QtCore import (
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console import desk_layout, present
from console.link_state import LinkState
from console.models.dispatch_queue_model import DispatchQueueModel
from console.request_port import RequestPort
from console.theme import CHART_TEXT_PT, MAP_TEXT_PT
from console.video.camera_feed import UrlOf, camera_url
from console.wall_layout import build_wall
from console.wall_snapshots import WallSnapshots
from console.widgets.administration import AdministrationView
from console.widgets.audit_view import AuditView
from console.widgets.camera_admin import CameraAdmin
from console.widgets.camera_tree import CameraTree
from console.widgets.dispatch_queue import DispatchQueuePanel
from console.widgets.evaluation_view import EvaluationView
from console.widgets.identity_label import IdentityLabel
from console.widgets.incident_actions import IncidentActions
from console.widgets.incident_detail import IncidentDetail
from console.widgets.indicator_pages import ROTATE_S, DashboardScreen, FigureSink
from console.widgets.link_status import LinkStatusLabel
from console.widgets.map_set import MapSet
from console.widgets.metrics_panel import MetricsPanel
from console.widgets.video_wall import VideoWall
from domain.access import may_send
from domain.deadlines import DeadlineRules
from domain.incident import URGENCY_RANK, Incident, Urgency
from domain.lifecycle import merge_targets
from domain.resources import load_json
from domain.scope import CaseScope
from domain.township import Role, Township
from domain.wire import Message, MsgType

CAMERA_HEALTH_EVERY_MS = 10_000
"""The tiles' states go to the backend this often (it forgets a report after 5 minutes)."""


class MainWindow(QMainWindow):
    logout_requested = Signal()

    def __init__(
        self,
        port: RequestPort,
        mode: str = "desk",
        user: str = "",
        role: Role | None = None,
        sound: bool = False,
        video_url_of: UrlOf = camera_url,
        rotate_s: float | None = None,
        screen_roles: list[str] | None = None,
        wall_main: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`rotate_s`: seconds per page of the wall's charts (0: they stay); `screen_roles`:
        what each further screen of a wall shows, "dashboard" or "video" (config.json's
        `wall_screens` by default; the last one repeats); `wall_main`: the wall's main panel,
        "video" or "map" (console.wall_layout). A link without keys is plain text,
        which the title bar says (docs/security.md). `port`: how the window and its widgets
        ask the backend; the link itself is the composition root's (console.app)."""
        super().__init__(parent)
        self.mode = mode
        self.user, self.role = user, role
        self.port = port
        self.township: Township | None = None
        wall = mode == "wall"
        self.queue_model = DispatchQueueModel()
        self.queue_model.setParent(self)  # its flush timer dies with the window
        self.video_wall = VideoWall("3x3", url_of=video_url_of)
        if rotate_s is None:
            rotate_s = ROTATE_S if wall else 0.0
        self.metrics = MetricsPanel(
            self.queue_model.order, text_pt=CHART_TEXT_PT[mode], rotate_s=rotate_s
        )
        self.queue = DispatchQueuePanel(self.queue_model, wall=wall, user=user, sound=sound)
        self.maps = MapSet(port, self.queue_model.order, self._may, wall, MAP_TEXT_PT[mode], self)
        self.map_panel = self.maps.main
        self.township_map = self.map_panel.map
        self.township_map.incident_chosen.connect(self.show_case)
        self.township_map.camera_chosen.connect(self.video_wall.put_on_current)
        self.township_map.area_chosen.connect(self.queue.filters.set_area)
        self.queue.filters.area_cleared.connect(lambda: self.township_map.set_area(None))
        self.queue.alert.acknowledged.connect(lambda _ids: self.township_map.acknowledge())
        self.detail = IncidentDetail(port)
        self.camera_tree = CameraTree()
        self.camera_tree.camera_activated.connect(self.video_wall.put_on_current)
        self.case_actions = IncidentActions(port, user, role, self.merge_targets)
        self.case_actions.command_sent.connect(self._on_command_sent)
        self.case_actions.command_answered.connect(self._on_command_answered)
        self.case_actions.unavailable.connect(self.detail.show_notice)
        self.queue.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.queue_model.flushed.connect(self._on_flushed)
        self.detail.open_cameras.connect(self.open_cameras_of)
        self.snapshots = WallSnapshots(port, self.selected_incident, self)
        self.snapshots.told.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        self.snapshots.attached.connect(self._refresh_case)
        self.video_wall.snapshot_taken.connect(self.snapshots.take)
        # One acknowledgement: the duty officer who saw the new urgent case saw its cameras.
        self.queue.alert.acknowledged.connect(lambda _ids: self.video_wall.acknowledge_alarm())
        self._alarm_rank: int | None = None  # the waiting alarm's urgency rank; -1: asked for
        self.video_wall.alarm_changed.connect(self._on_alarm_changed)

        self.extra_walls: list[VideoWall] = []
        self.dashboards: list[DashboardScreen] = []
        self.extra_screens: list[QWidget] = []
        if wall:
            config = load_json("config.json")
            build_wall(self, screen_roles or list(config["wall_screens"]),
                       wall_main or str(config.get("wall_main", "video")))  # fmt: skip
        else:
            self._build_desk()

        self._build_status_bar(user, role)
        self._start_health_reports()
        self._update_title()

    def _may(self, request_type: str) -> bool:
        """The logged-in role may send this (domain.access); the backend checks it again."""
        return self.role is not None and may_send(self.role, request_type)

    def _build_status_bar(self, user: str, role: Role | None) -> None:
        """The link's state, who is logged in (and a way out), the clock."""
        self.link_status = LinkStatusLabel()
        self.identity = IdentityLabel()
        self.logout = QToolButton()
        self.logout.setText(self.tr("Log out"))
        self.logout.setAutoRaise(True)
        self.logout.clicked.connect(self.logout_requested)
        self.clock = QLabel()
        self.statusBar().addWidget(self.link_status, 1)
        self.statusBar().addPermanentWidget(self.identity)
        self.statusBar().addPermanentWidget(self.logout)
        self.statusBar().addPermanentWidget(self.clock)
        self.set_identity(user, role)
        self._clock_timer = QTimer(self)
        self._clock_timer.timeout.connect(self._on_clock)
        self._clock_timer.start(1000)
        self._on_clock()

    def set_identity(self, user: str, role: Role | None, scope: CaseScope | None = None) -> None:
        """Who is logged in (the link's `logged_in`), and whose cases they see; nobody: "" and
        None."""
        self.user, self.role = user, role
        self.case_actions.set_identity(user, role)
        self.detail.set_may_reveal(self._may(MsgType.REVEAL_REQUEST))
        if self.mode == "desk":  # what the backend would refuse is not offered
            self.evaluation.setEnabled(self._may(MsgType.EVALUATION_REQUEST))
            for name, (request_type, _view) in self.role_docks.items():
                mine = self._may(request_type)
                self.docks[name].setVisible(mine)
                self.docks[name].toggleViewAction().setEnabled(mine)
                if mine:  # their work, in front
                    self.docks[name].raise_()
        self.queue.filters.user = user
        self.identity.show_login(user, role, scope)
        self.logout.setVisible(role is not None)

    def _start_health_reports(self) -> None:
        """Camera health out every few seconds; the charts' history in on every connection."""
        self._link_state = LinkState.WAITING
        self._health_timer = QTimer(self)
        self._health_timer.timeout.connect(self.report_camera_health)
        self._health_timer.start(CAMERA_HEALTH_EVERY_MS)

    def show_extra_walls(self, full_screen: bool) -> None:
        for extra in self.extra_screens:
            if full_screen:
                extra.showFullScreen()
            else:
                extra.show()

    def stop_video(self) -> None:
        for wall in (self.video_wall, *self.extra_walls):
            wall.stop()

    def _build_desk(self) -> None:
        self.evaluation = EvaluationView(self.port)
        self.administration = AdministrationView(self.port)
        self.audit = AuditView(self.port)
        self.camera_admin = CameraAdmin(self.port)
        self.role_docks: dict[str, tuple[str, AdministrationView | AuditView | CameraAdmin]] = {
            "administration": (MsgType.ADMIN_USERS_REQUEST, self.administration),
            "audit": (MsgType.AUDIT_REQUEST, self.audit),
            "camera_admin": (MsgType.CAMERA_SET, self.camera_admin),
        }
        """Docks for one role's work, shown only to it, in front, filled on every connection."""
        self.setCentralWidget(self.queue)
        case = QWidget()
        layout = QVBoxLayout(case)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.case_actions)
        self.case_map = self.maps.add_case_map()
        layout.addWidget(self.case_map)
        layout.addWidget(self.detail, 1)
        self.docks: dict[str, QDockWidget] = desk_layout.build_docks(self, case)
        self.restore_layout()

    # --- the desk's layout, kept between runs ------------------------------------------------

    def restore_layout(self) -> None:
        desk_layout.restore(self)

    def save_layout(self) -> None:
        if self.mode == "desk":
            desk_layout.save(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)

    # --- the selected case ---------------------------------------------------------------------

    def selected_incident(self) -> Incident | None:
        index = self.queue.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.queue_model.incident_at(self.queue.source_row(index.row()))

    def _on_current_changed(self) -> None:
        self.detail.show_notice("")
        self._refresh_case()
        chosen = self.selected_incident()
        self.township_map.choose(None if chosen is None else chosen.id)

    def show_case(self, incident_id: str) -> None:
        """A case chosen on the map: the current row of the queue (so the case panel shows
        it), or said in the status bar when the queue's filter leaves it out."""
        row = self.queue_model.row_of(incident_id)
        if row is None:
            self.statusBar().showMessage(
                self.tr("That case is not in the queue as it is filtered now"), 10_000
            )
            return
        self.queue.show_row(row)

    def _refresh_case(self) -> None:
        incident = self.selected_incident()
        pending = self.queue_model.in_flight.get(incident.id) if incident else None
        self.detail.show_incident(incident, pending)
        self.case_actions.show_incident(incident, busy=pending is not None)
        self.maps.show_case(incident)

    def merge_targets(self, duplicate: Incident) -> list[Incident]:
        """Asked for only when the merge dialog opens: it reads the whole book."""
        return merge_targets(duplicate, self.queue_model.book.all())

    def _on_flushed(self, _count: int) -> None:
        self._refresh_case()
        self.maps.refresh()

    def _on_command_sent(self, incident_id: str, action: str) -> None:
        self.queue_model.set_in_flight(incident_id, action)
        self._refresh_case()

    def _on_command_answered(self, incident_id: str, refusal: str) -> None:
        self.queue_model.set_in_flight(incident_id, None)
        selected = self.selected_incident()
        if selected is not None and selected.id == incident_id:
            self.detail.show_notice(refusal)
        elif refusal:
            self.statusBar().showMessage(refusal, 15_000)
        self._refresh_case()

    def report_camera_health(self) -> None:
        """Tell the backend which cameras this console sees live and which it lost."""
        states: dict[str, dict[str, object]] = {}
        for wall in (self.video_wall, *self.extra_walls):
            states |= wall.camera_health()
        self.maps.set_live_cameras({c for c, st in states.items() if st.get("state") == "live"})
        if states:  # without a connection the link answers locally; nothing is queued
            self.port.request(MsgType.CAMERA_HEALTH, {"cameras": states})

    # --- the clock and the title ---------------------------------------------------------------

    def _update_title(self) -> None:
        if self.township is None:
            title = self.tr("Comprehensive Information Command Room")
        else:
            title = self.tr("%1 Comprehensive Information Command Room")
            title = title.replace("%1", self.township.name)
        if not self.port.secure:
            title += " · " + self.tr("⚠ PLAIN TEXT LINK: one machine only")
        self.setWindowTitle(title)

    def _on_clock(self) -> None:
        self.clock.setText(present.clock(time.time()))
        self.queue_model.tick()
        if self.detail.incident is not None:
            self._refresh_case()

    # --- slots for the link's signals (queued: they run on the GUI thread) --------------------

    def on_township_received(self, township: Township, rules: DeadlineRules | None = None) -> None:
        """The township from the backend, with its deadline rules (None from an older backend:
        the defaults stay)."""
        self.township = township
        self.identity.set_township(township)
        if rules is not None:  # the township's zone for every time shown from now on
            present.use_rules(rules)
        self.queue_model.set_township(township, rules)
        self.video_wall.show_township(township)
        offset = len(self.video_wall.tiles)
        for extra in self.extra_walls:
            extra.show_township(township, offset)
            offset += len(extra.tiles)
        self.camera_tree.set_township(township)
        if self.mode == "wall" and not self.video_wall.tour:
            self.video_wall.start_tour(self.video_wall.cameras)  # every camera passes the wall
        self.metrics.set_township(township)
        self.maps.set_township(township)
        self.queue.filters.set_township(township)
        self.queue.alert.township = township
        self.detail.set_township(township)
        self.case_actions.set_township(township)
        if self.mode == "desk":
            self.evaluation.set_township(township)
            self.camera_admin.set_township(township)
            self.audit.township_names = {township.code: township.name}
        self._update_title()

    def on_snapshot_received(self, incidents: list[Incident], seq: int) -> None:
        self.queue_model.replace_all(incidents, seq)
        self.maps.refresh()
        # A snapshot is long-lived: out of the collector's reach, so that full collections do
        # not walk 100,000 incidents while a duty officer watches (measured: 40-115 ms each).
        gc.freeze()
        self.metrics.mark_dirty()
        self._refresh_case()

    def on_incidents_updated(self, incidents: list[Incident]) -> None:
        # Updates only ever follow a snapshot, so what the book had not seen is newly reported.
        new = self.queue_model.apply_batch(incidents)
        self.queue.alert.notify(new)
        self.metrics.mark_dirty(len(incidents))
        urgent = [i for i in new if i.urgency != Urgency.NORMAL and i.lat is not None]
        if not urgent:
            return
        # The most urgent new case with a position takes the wall's alarm tiles, unless an
        # alarm as urgent is still waiting: it stays until acknowledged (the others are listed
        # in the urgent bar), so a burst does not switch the alarm tiles' cameras every batch.
        first = min(urgent, key=lambda i: (URGENCY_RANK[i.urgency], i.number))
        if self._alarm_rank is None or URGENCY_RANK[first.urgency] < self._alarm_rank:
            self.open_cameras_of(first, asked=False)

    def open_cameras_of(self, incident: Incident, asked: bool = True) -> None:
        """The incident's cameras (the high point covering it, the nearest) on the alarm tiles.
        `asked`: a supervisor asked from the case panel; no automatic alarm replaces that."""
        t = self.township
        if t is None or incident.lat is None or incident.lon is None:
            return
        self._alarm_rank = -1 if asked else URGENCY_RANK[incident.urgency]
        if not asked:  # a new urgent case: the map flies to it and pulses it until acknowledged
            self.maps.fly_to(incident)
        label = present.incident_title(t, incident)
        self.video_wall.raise_alarm(label, t.cameras_for_incident(incident.lat, incident.lon))

    def _on_alarm_changed(self, label: str) -> None:
        if not label:  # acknowledged
            self._alarm_rank = None

    def show_indicators(self, figures: dict[str, Any]) -> None:
        self.metrics.show_indicators(figures)
        self.maps.set_indicators(figures)
        for dashboard in self.dashboards:
            dashboard.show_figures(figures, self.township)

    def ask_history(self) -> None:
        """The charts' last 24 h and 30 days, asked for on every (re)connection: the minutes
        missed while away are in the answer."""
        wanted = {w for sink in self._figure_sinks() for w in sink.history_wanted()}
        for step, days in sorted(wanted):
            body = {"since": time.time() - days * 86_400, "step": step}
            pending = self.port.request(MsgType.HISTORY_REQUEST, body)
            pending.answered.connect(self._on_history)
            pending.refused.connect(self._on_history_refused)

    def _on_history_refused(self, code: str, detail: str) -> None:
        text = self.tr("The indicators' history did not come: %1")
        self.statusBar().showMessage(text.replace("%1", detail or code), 15_000)

    def _on_history(self, reply: Message) -> None:
        for sink in self._figure_sinks():
            sink.show_history(reply.body)

    def _figure_sinks(self) -> list[FigureSink]:
        return [self.metrics.pages, *self.dashboards]

    def on_link_state_changed(self, state: str, age: float) -> None:
        link_state = LinkState(state)
        if link_state == LinkState.LIVE and self._link_state != LinkState.LIVE:
            self.ask_history()
            if self.mode == "desk" and self._may(MsgType.EVALUATION_REQUEST):
                self.evaluation.ask()
            if self.mode == "desk":
                for request_type, view in self.role_docks.values():
                    if self._may(request_type):
                        view.ask()
        self._link_state = link_state
        self.maps.on_live(link_state == LinkState.LIVE)
        self.link_status.show_state(link_state, age)
        self.queue.show_link_state(link_state, age)
        self.metrics.show_link_state(link_state, age)
