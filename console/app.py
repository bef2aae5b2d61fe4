"""Start the console: parse options, load translations, wire the link to the window.

`main.py` and the `township-console` script both land here.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QStandardPaths,
    QTimer,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QDialog

from client.curve import ClientKeys, KeyFileError
from client.request import Login
from console import desk_layout, theme
from console.embedded_backend import DEMO_PASSWORD, EmbeddedBackend, demo_hint
from console.link import BackendLink, LinkState
from console.main_window import MainWindow
from console.models.tile_package import TilePackageError
from console.models.tile_server import tile_source
from console.options import parse_args
from console.screen_scale import restart_scaled
from console.video.camera_credentials import CameraCredentials
from console.video.camera_feed import UrlOf, camera_url
from console.video.demo_clips import DEMO_VIDEO_DIR, demo_clips, demo_url_of
from console.widgets.login_dialog import LoginDialog
from domain.resources import resources_dir

log = logging.getLogger("console")
SWITCH_INTERVAL = 0.001


def install_translators(app: QApplication, lang: str) -> list[QTranslator]:
    """Chinese by default; English is the source language and needs no file."""
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return []
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translators = []
    ours = QTranslator(app)
    qm = resources_dir() / "i18n" / f"console_{lang}.qm"
    if ours.load(str(qm)):
        translators.append(ours)
    else:
        log.warning("no translation at %s (run `make translations`); showing English", qm)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translators.append(qt)
    for t in translators:
        app.installTranslator(t)
    return translators


class Console:
    """The window, the link and (unless told where a backend runs) the embedded backend."""

    def __init__(
        self,
        mode: str = "desk",
        updates: str | None = None,
        login: tuple[str, str] | None = None,
        sound: bool = False,
        video_url_of: UrlOf = camera_url,
        rotate_s: float | None = None,
        screen_roles: list[str] | None = None,
        wall_main: str | None = None,
        keys: ClientKeys | None = None,
        login_hint: str = "",
    ) -> None:
        """`login`: user and password to log in with (else the login dialog asks);
        `login_hint`: a line under the dialog's fields (the demo's users)."""
        # A GUI thread that needs the GIL waits this long for the link thread to yield it, on
        # every call a repaint makes into Python; at CPython's 5 ms a burst's repaints took
        # 40-80 ms, at 1 ms they fit the 50 ms aim (bench/console.py burst).
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.link = BackendLink(updates=updates, keys=keys)
        self.camera_credentials = CameraCredentials()
        self.link.camera_credentials_received.connect(self.camera_credentials.set)
        video_url_of = self.camera_credentials.url_of(video_url_of)
        if keys is None:
            log.warning("PLAIN TEXT link to the backend: one machine only (docs/security.md)")
        self.window = MainWindow(
            self.link,
            mode=mode,
            sound=sound,
            video_url_of=video_url_of,
            rotate_s=rotate_s,
            screen_roles=screen_roles,
            wall_main=wall_main,
        )
        self.link.state_changed.connect(self.window.on_link_state_changed)
        self.link.township_received.connect(self.window.on_township_received)
        if mode == "desk":
            self.link.camera_credentials_received.connect(self.window.camera_admin.set_credentials)
        self.link.snapshot_received.connect(self.window.on_snapshot_received)
        self.link.incidents_updated.connect(self.window.on_incidents_updated)
        self.link.incidents_left.connect(self.window.queue_model.remove)
        self.link.indicators_received.connect(self.window.show_indicators)
        self.login_dialog = LoginDialog(login_hint, login[0] if login else "", self.window)
        self.login_dialog.credentials_given.connect(self.link.log_in)
        self.link.logged_in.connect(self._on_logged_in)
        self.link.login_refused.connect(self._on_login_refused)
        self.link.state_changed.connect(self._on_link_state)
        self.window.logout_requested.connect(self._log_out)
        if login is not None:
            self.link.log_in(*login)
        self._asked = login is not None
        """Credentials are on their way: no dialog until the backend has answered."""
        self.embedded: EmbeddedBackend | None = None

    def _on_logged_in(self, login: Login) -> None:
        self._asked = True
        self.login_dialog.done_logging_in()
        self.window.set_identity(login.name, login.role, login.scope)

    def _on_login_refused(self, code: str, detail: str) -> None:
        self._asked = False
        self._nobody()
        self.login_dialog.refused(code, detail)

    def _nobody(self) -> None:
        """Nobody logged in: no actions, and no cases left on screen for the next one to see."""
        self.window.set_identity("", None)
        self.window.queue_model.replace_all([], 0)
        self.camera_credentials.clear()

    def _on_link_state(self, state: str, _age: float) -> None:
        if state == LinkState.LOGIN_NEEDED and not self._asked:
            self.login_dialog.ask()

    def _log_out(self) -> None:
        self._asked = False
        self._nobody()
        self.link.log_out()
        self.login_dialog.ask()

    def start(
        self,
        backend: str | None,
        db: str | None = None,
        demo: bool = True,
        demo_options: list[str] | None = None,
        embedded: EmbeddedBackend | None = None,
        township: str | None = None,
        gateway: str | None = None,
    ) -> None:
        """Connect to `backend`, or start the embedded one (`embedded`: one made already;
        `gateway`: HOST:PORT of an HTTP gateway started beside it)."""
        if backend:
            self.link.start(backend)
            return
        self.embedded = embedded or EmbeddedBackend(db, demo, demo_options, township, gateway)
        # A child loading its store is "starting", not "unreachable", until its READY line.
        self.embedded.child_started.connect(lambda: self.link.backend_starting(True))
        self.embedded.exited.connect(lambda _code: self.link.backend_starting(False))
        self.embedded.ready.connect(self.link.connect_to)
        self.embedded.start()
        self.link.start()

    def shutdown(self) -> None:
        """Stop the link thread and the embedded backend, each with a bounded wait."""
        self.window.stop_video()
        self.link.stop()
        if self.embedded is not None:
            self.embedded.stop()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    if argv is None:  # a process of its own (not a test calling main): may start again, scaled
        restart_scaled(app, args.scale)
    app.setApplicationName("township-command-room")
    app.setOrganizationName("township-command-room")
    install_translators(app, args.lang)
    wall = args.mode == "wall"
    theme.configure_charts(wall)
    app.setStyleSheet(theme.WALL if wall else theme.DESK)

    video_url_of: UrlOf = camera_url
    clips = demo_clips()
    if args.demo_video or (not args.backend and not args.no_demo and clips):
        if clips:  # the demo township's camera addresses lead nowhere: play set-up's clips
            video_url_of = demo_url_of(clips)
        else:
            log.warning(
                "no demo clips in %s: run `make run` or scripts/make-demo-clips.sh", DEMO_VIDEO_DIR
            )
    keys = None
    if args.key or args.server_key:
        if not (args.key and args.server_key and args.backend):
            raise SystemExit("--key and --server-key go together, with --backend")
        try:
            keys = ClientKeys.load(args.key, args.server_key)
        except KeyFileError as e:
            raise SystemExit(f"cannot use the keys: {e}") from None
    password = os.environ.get("CONSOLE_PASSWORD") or (None if args.backend else DEMO_PASSWORD)
    console = Console(
        keys=keys,
        mode=args.mode,
        updates=args.updates,
        login=(args.user, password) if args.user and password else None,
        login_hint="" if args.backend else demo_hint(),
        sound=args.sound,
        video_url_of=video_url_of,
        rotate_s=args.rotate,
        screen_roles=args.screens.split(",") if args.screens else None,
        wall_main=args.wall_main,
    )
    demo_options = [
        f"--demo-{name}={value}"
        for name, value in (("rate", args.demo_rate), ("days", args.demo_days))
        if value is not None
    ]
    gateway = None if args.gateway in ("", "none") else args.gateway
    console.start(args.backend, args.db, not args.no_demo, demo_options, township=args.township,
                  gateway=gateway)  # fmt: skip
    window = console.window
    _use_tiles(console, args)
    window.metrics.pages.setCurrentIndex(args.page)
    if args.dock and window.mode == "desk":
        window.docks[args.dock].raise_()
    show_window(window, wall)
    if args.exit_when_live:
        _report_startup(console)
    if args.screenshot:
        _screenshot_when_live(console, args.screenshot, args.screenshot_delay)
    try:
        return app.exec()
    finally:
        console.shutdown()


def _use_tiles(console: Console, args: argparse.Namespace) -> None:
    """--map-tiles: the package under the maps. One that cannot be drawn is said in the log and
    the status bar, and the maps go on without it: a bad base map must not keep the wall down."""
    if args.map_tiles is None:
        return
    try:
        cache = args.map_tiles_cache or Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
        ) / "tiles"  # fmt: skip
        source = tile_source(str(args.map_tiles), args.map_tiles_crs, cache)
        console.window.maps.use_tiles(source)
    except (TilePackageError, ValueError, OSError) as e:
        log.error("--map-tiles: %s; the maps have no base map", e)
        text = QCoreApplication.translate("Console", "No base map: %1")
        console.window.statusBar().showMessage(text.replace("%1", str(e)))


def show_window(window: MainWindow, wall: bool) -> None:
    """The wall on its whole screen; a desk at the size the supervisor left it, or on the whole
    screen the first time; offscreen (tests, screenshots) at 1920×1080, a full-HD screen."""
    on_screen = not os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen")
    full_screen = wall and on_screen
    if full_screen:
        # A wall PC often runs a bare X server (kiosk, no window manager), which ignores the
        # full-screen request: the window takes the screen's size itself.
        window.setGeometry(window.screen().geometry())
        window.showFullScreen()
    elif on_screen and not desk_layout.has_geometry():
        window.setGeometry(window.screen().availableGeometry())
        window.showMaximized()
    else:  # restored with the docks (desk_layout), or offscreen
        if not on_screen:
            window.resize(1920, 1080)
        window.show()
    window.show_extra_walls(full_screen)


def _report_startup(console: Console) -> None:
    """For bench/startup.py: say when the window is up and when it shows live data."""
    ratio = console.window.devicePixelRatioF  # the screen's scale (console.screen_scale)
    QTimer.singleShot(0, lambda: print(f"WINDOW_SHOWN ratio={ratio():g}", flush=True))

    def _on_state(state: str, _age: float) -> None:
        if state == LinkState.LIVE and console.window.township is not None:
            print(f"LIVE rows={console.window.queue_model.rowCount()}", flush=True)
            QTimer.singleShot(0, console.window.close)

    console.link.state_changed.connect(_on_state)


def _screenshot_when_live(console: Console, path: str, delay: float) -> None:
    """Counted from the first live data (or the login it waits for), not from the start: a
    loaded machine takes longer to start, and a picture of "connecting" shows nothing. The top
    case is picked shortly before, so the picture shows the case panel filled in."""
    window = console.window
    taken = False

    def _on_state(state: str, _age: float) -> None:
        nonlocal taken
        if taken or state not in (LinkState.LIVE, LinkState.LOGIN_NEEDED):
            return
        taken = True
        if window.mode == "desk":  # the case panel filled; a wall chooses no case
            choose_first = window.queue.table.selectRow
            QTimer.singleShot(int(max(0, delay - 2) * 1000), lambda: choose_first(0))
        QTimer.singleShot(int(delay * 1000), lambda: _screenshot(window, path))

    console.link.state_changed.connect(_on_state)


def _screenshot(window: MainWindow, path: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(path)
    log.info("screenshot saved to %s", path)
    for k, extra in enumerate(window.extra_screens, start=2):
        extra_path = str(Path(path).with_suffix(f".screen{k}.png"))
        extra.grab().save(extra_path)
        log.info("screenshot of screen %d saved to %s", k, extra_path)
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            dialog_path = str(Path(path).with_suffix(f".{type(widget).__name__}.png"))
            widget.grab().save(dialog_path)
            log.info("screenshot of a dialog saved to %s", dialog_path)
    window.close()
