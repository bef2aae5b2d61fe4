"""The administrator adds a camera from the desk, tests it (in Chinese: 未授权 with a wrong
password), saves it, and the wall's camera tree has it at once; a real RTSP server with a
user and password, a real backend process, the real console."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest
from pytestqt.qtbot import QtBot

from console.app import Console
from console.embedded_backend import DEMO_PASSWORD
from console.video.stream_status import StreamState
from tests.helpers import wait_live
from tests.processes import BackendProcess, RtspServer

pytestmark = pytest.mark.slow


@pytest.fixture
def nvr() -> Iterator[RtspServer]:
    server = RtspServer(auth=True).start()
    yield server
    server.kill()


def has_camera(console: Console, code: str) -> bool:
    return code in console.window.camera_tree.visible_codes()


def test_a_camera_added_from_the_desk_is_tested_saved_and_on_every_wall(
    qtbot: QtBot, backend: BackendProcess, nvr: RtspServer, chinese: None
) -> None:
    admin_console = Console(mode="desk", login=("admin", DEMO_PASSWORD))
    duty_console = Console(mode="desk", login=("duty", DEMO_PASSWORD))
    for c in (admin_console, duty_console):
        qtbot.addWidget(c.window)
    try:
        for c in (admin_console, duty_console):
            c.start(backend.router)
            c.window.show()
            wait_live(qtbot, c)
        cameras = admin_console.window.camera_admin
        qtbot.waitUntil(lambda: cameras.table.rowCount() == 40, timeout=10_000)
        assert admin_console.window.docks["camera_admin"].isVisibleTo(admin_console.window)
        assert not duty_console.window.docks["camera_admin"].isVisibleTo(duty_console.window)
        dialog = cameras.edit(new=True)
        assert dialog is not None
        dialog.code.setText("C950")
        dialog.name.setText("新桥头")
        dialog.lat.setValue(28.86)
        dialog.lon.setValue(119.78)
        dialog.main_url.setText(nvr.url)
        dialog.direction.setValue(135)  # 东南
        dialog.user.setText("admin")
        dialog.password.setText("wrong")
        dialog.test()
        qtbot.waitUntil(dialog.test_button.isEnabled, timeout=30_000)
        assert dialog.outcome.text().startswith("未授权"), dialog.outcome.text()
        dialog.password.setText("secret")
        dialog.test()
        qtbot.waitUntil(dialog.test_button.isEnabled, timeout=30_000)
        assert "H264 640×360" in dialog.outcome.text(), dialog.outcome.text()
        assert dialog.picture.pixmap().width() == 320
        dialog.save()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
        for c in (admin_console, duty_console):
            qtbot.waitUntil(partial(has_camera, c, "C950"), timeout=15_000)
        # the duty officer's console has the password to play it, from the backend, not the file
        township = duty_console.window.township
        assert township is not None
        url = duty_console.window.video_wall.url_of(township.cameras["C950"], True)
        assert url == nvr.url.replace("rtsp://", "rtsp://admin:secret@")
        assert township.cameras["C950"].main_url == nvr.url
        assert township.cameras["C950"].direction == 135.0  # on the map, a wedge to the SE
        high = next(c for c in township.cameras.values() if c.coverage_km)
        codes = [cameras.table.item(r, 0) for r in range(cameras.table.rowCount())]
        row = next(r for r, item in enumerate(codes) if item and item.text() == high.code)
        cameras.table.selectRow(row)
        again = cameras.edit()
        assert again is not None and again.direction.value() == -1  # a dome: not known
        body = again.camera_body()  # what the dialog does not show is kept
        assert (body["kind"], body["coverage_km"], body["direction"]) == (
            high.kind,
            high.coverage_km,
            None,
        )
        again.reject()
        wall = duty_console.window.video_wall  # an operator puts it on a tile: it plays
        wall.put_on_current("C950")
        tile = wall.tiles[wall.current]
        qtbot.waitUntil(lambda: tile.status.state == StreamState.LIVE, timeout=15_000)
    finally:
        for c in (admin_console, duty_console):
            c.shutdown()
