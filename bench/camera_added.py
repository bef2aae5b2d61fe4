"""A camera added from the desk, to its first picture on another console's wall (issue 17: "plays
on the wall within 2 s of saving"), against putting a camera the wall already knows on a tile
(the same RTSP server, the same run).

A real backend process; a real RTSP server asking for a user and password (tests/rtsp_server.py,
a key frame every second: up to 1 s of any first picture is the wait for one); two real consoles,
an administrator's and a duty officer's, offscreen. Each try: the administrator's camera dialog
saves a new camera (its address and password typed); the duty officer's console hears the
township change, asks for the township and the passwords, has the camera in its tree, and the
camera goes on a tile of its wall at once; the clock stops at the tile's first decoded frame.
Reference: the first camera of the run put on a tile again (no township change on the way).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/camera_added.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from console.app import Console  # noqa: E402
from console.embedded_backend import DEMO_PASSWORD  # noqa: E402
from console.link_state import LinkState  # noqa: E402
from console.widgets.video_tile import VideoTile  # noqa: E402
from tests.processes import BackendProcess, RtspServer  # noqa: E402

APP = QApplication.instance() or QApplication([])


def wait(seconds: float, until: Callable[[], bool]) -> bool:
    loop = QEventLoop()
    check = QTimer()
    check.timeout.connect(lambda: loop.quit() if until() else None)
    check.start(2)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    check.stop()
    return until()


def on_tile(console: Console, code: str, k: int) -> VideoTile:
    wall = console.window.video_wall
    wall.current = k % len(wall.tiles)
    wall.put_on_current(code)
    return wall.tiles[wall.current]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="two tries")
    tries = 2 if parser.parse_args().quick else 8
    db = Path(tempfile.mkdtemp(prefix="camera-added-")) / "bench.sqlite3"
    backend = BackendProcess(f"sqlite:///{db}", "--no-demo").start()
    server = RtspServer(auth=True).start()
    admin = Console(mode="desk", login=("admin", DEMO_PASSWORD))
    duty = Console(mode="desk", login=("duty", DEMO_PASSWORD))
    added: list[float] = []
    in_tree: list[float] = []
    known: list[float] = []
    try:
        for c in (admin, duty):
            c.start(backend.router)
            c.window.resize(1600, 900)
            c.window.show()
        assert wait(30, lambda: all(c.window.link_status.state == LinkState.LIVE
                                    for c in (admin, duty))), "consoles not live"  # fmt: skip
        tree = duty.window.camera_tree
        for k in range(tries + 1):
            code = f"C9{k:02d}"
            dialog = admin.window.camera_admin.edit(new=True)
            assert dialog is not None
            dialog.code.setText(code)
            dialog.name.setText(f"新增{k}")
            dialog.lat.setValue(28.86)
            dialog.lon.setValue(119.78)
            dialog.main_url.setText(server.url)
            dialog.user.setText("admin")
            dialog.password.setText("secret")
            start = time.perf_counter()
            dialog.save()
            assert wait(30, lambda c=code: c in tree.visible_codes()), "not in the tree"  # type: ignore[misc]
            heard = time.perf_counter()
            tile = on_tile(duty, code, k)
            assert wait(30, lambda t=tile: t.frame is not None), tile.status  # type: ignore[misc]
            if k:  # the first is the warm-up (decoders, the server's first client)
                added.append(time.perf_counter() - start)
                in_tree.append(heard - start)
            again = on_tile(duty, "C900", k + 1)  # a camera the wall already knows
            start = time.perf_counter()
            assert wait(30, lambda t=again: t.frame is not None)  # type: ignore[misc]
            if k:
                known.append(time.perf_counter() - start)
    finally:
        for c in (admin, duty):
            c.shutdown()
        server.kill()
        backend.kill()
    ms = [statistics.median(x) * 1000 for x in (added, in_tree, known)]
    print("| figure | median | max | |")
    print("|---|---|---|---|")
    print(f"| saved on the desk → first frame on another console's wall | **{ms[0]:.0f} ms** | "
          f"{max(added) * 1000:.0f} ms | aim ≤ 2,000 ms |")  # fmt: skip
    print(f"| saved → in the other console's camera tree (township and passwords fetched) | "
          f"{ms[1]:.0f} ms | {max(in_tree) * 1000:.0f} ms | |")  # fmt: skip
    print(f"| reference: a camera the wall knows put on a tile → first frame | {ms[2]:.0f} ms | "
          f"{max(known) * 1000:.0f} ms | added ÷ known {ms[0] / ms[2]:.2f}× |")  # fmt: skip
    print(f"({tries} tries after one warm-up; a key frame every 1 s)")


if __name__ == "__main__":
    main()
