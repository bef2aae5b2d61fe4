"""The pictures of docs/onboarding.md: a check report on a township's files with mistakes in
them, the camera dialog's Test against a real RTSP server that asks for a password, and the
desk's township files dialog on the same files and on mended ones.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/onboarding_screenshots.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from openpyxl import load_workbook  # noqa: E402
from PySide6.QtGui import QFont  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402

from backend.township.template import write_templates  # noqa: E402
from console.app import Console, install_translators  # noqa: E402
from console.embedded_backend import DEMO_PASSWORD  # noqa: E402
from domain.township import load_demo_township  # noqa: E402
from tests.processes import BackendProcess, RtspServer  # noqa: E402

OUT = REPO / "docs" / "images"


def wait(app: QApplication, condition: Callable[[], object], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def check_report(app: QApplication, work: Path) -> None:
    files = work / "files"
    write_templates(files, load_demo_township())
    book = load_workbook(files / "township.xlsx")
    book["网格"].cell(3, 3, "V99")
    book["网格"].cell(5, 6, "P9999")
    book["摄像头"].cell(4, 9, "rtsp//192.168.1.64/Streaming/Channels/101")
    book["摄像头"].cell(6, 7, 119.80)
    book["事件类别"].cell(3, 3, "党建统领")
    book.save(files / "township.xlsx")
    done = subprocess.run(
        [sys.executable, "-m", "backend", "township", "check", str(files)],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    view = QPlainTextEdit(f"$ python -m backend township check ~/青溪镇\n{done.stdout}")
    view.setFont(QFont("WenQuanYi Micro Hei Mono", 10))
    view.setStyleSheet("background: #1e1e1e; color: #e0e0e0;")
    view.resize(1500, 300)
    view.show()
    app.processEvents()
    view.grab().save(str(OUT / "onboarding-check.png"))


def camera_dialog(app: QApplication, work: Path) -> None:
    nvr = RtspServer(auth=True).start()
    backend = BackendProcess(f"sqlite:///{work / 's.sqlite3'}", "--no-demo").start()
    console = Console(mode="desk", login=("admin", DEMO_PASSWORD))
    try:
        console.start(backend.router)
        console.window.show()
        admin = console.window.camera_admin
        wait(app, lambda: admin.table.rowCount() > 0)
        dialog = admin.edit(new=True)
        assert dialog is not None
        dialog.code.setText("C041")
        dialog.name.setText("新桥头")
        dialog.lat.setValue(28.86)
        dialog.lon.setValue(119.78)
        dialog.main_url.setText(nvr.url)
        dialog.user.setText("admin")
        dialog.password.setText("wrong")
        dialog.test()
        wait(app, dialog.test_button.isEnabled)
        dialog.grab().save(str(OUT / "onboarding-camera-refused.png"))
        dialog.password.setText("secret")
        dialog.test()
        wait(app, dialog.test_button.isEnabled)
        app.processEvents()
        dialog.grab().save(str(OUT / "onboarding-camera-test.png"))
        dialog.reject()
        township_files(app, console, work)
    finally:
        console.shutdown()
        backend.stop()
        nvr.kill()


def township_files(app: QApplication, console: Console, work: Path) -> None:
    """The desk's 乡镇资料 dialog: the files with mistakes (check_report's), then mended."""
    township = console.window.administration.township_files()
    township.folder.setText(str(work / "files"))
    township.check()
    wait(app, township.check_button.isEnabled)
    app.processEvents()
    township.grab().save(str(OUT / "onboarding-desk-problems.png"))
    mended = work / "mended"
    write_templates(mended, load_demo_township())
    book = load_workbook(mended / "township.xlsx")
    book["村社"].cell(3, 2, "陈宅新村")
    book["网格"].cell(4, 2, "陈宅村第二网格(东)")
    book.save(mended / "township.xlsx")
    township.folder.setText(str(mended))
    township.check()
    wait(app, township.apply_button.isEnabled)
    app.processEvents()
    township.grab().save(str(OUT / "onboarding-desk-changes.png"))


def main() -> int:
    app = QApplication(sys.argv)
    install_translators(app, "zh_CN")
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="onboarding-"))
    try:
        check_report(app, work)
        camera_dialog(app, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
