"""The administrator brings in the township's files from the desk: the problems of a broken
workbook listed with their places and nothing to apply; mended, the changes shown, applied, and
every console (the administrator's and a duty officer's) redraws without a restart. A real
backend process, the real consoles."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from console.app import Console
from console.embedded_backend import DEMO_PASSWORD
from tests.helpers import wait_live
from tests.processes import BackendProcess
from tests.test_township_live import renamed_with_a_camera

pytestmark = pytest.mark.slow


def redrawn(console: Console) -> bool:
    t = console.window.township
    return (
        t is not None
        and t.villages["V01"].name == "陈宅新村"
        and "C900" in console.window.camera_tree.visible_codes()
    )


def test_township_files_checked_and_applied_from_the_desk(
    qtbot: QtBot, backend: BackendProcess, tmp_path: Path
) -> None:
    files = renamed_with_a_camera(tmp_path / "files")
    book = load_workbook(files / "township.xlsx")
    broken = book["摄像头"].max_row + 1
    book["摄像头"].append(["C901", "坏地址", "road", "道路", 3, "V01", 28.86, 119.78,
                          "rtsp//no-scheme", "", ""])  # fmt: skip
    book.save(files / "township.xlsx")
    admin = Console(mode="desk", login=("admin", DEMO_PASSWORD))
    duty = Console(mode="desk", login=("duty", DEMO_PASSWORD))
    for c in (admin, duty):
        qtbot.addWidget(c.window)
    try:
        for c in (admin, duty):
            c.start(backend.router)
            c.window.show()
            wait_live(qtbot, c)
        dialog = admin.window.administration.township_files()
        dialog.confirm = False
        dialog.folder.setText(str(files))
        dialog.check()
        qtbot.waitUntil(dialog.check_button.isEnabled, timeout=60_000)
        assert f"row {broken}" in dialog.report.toPlainText()
        assert not dialog.apply_button.isEnabled()

        book["摄像头"].delete_rows(broken)
        book.save(files / "township.xlsx")
        dialog.check()
        qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=60_000)
        assert "陈宅新村" in dialog.report.toPlainText()
        with qtbot.waitSignal(dialog.applied, timeout=60_000) as applied:
            dialog.apply()
        assert applied.args == [2]

        for c in (admin, duty):
            qtbot.waitUntil(partial(redrawn, c), timeout=30_000)
    finally:
        opened = admin.window.administration.township_dialog
        if opened is not None:  # a window-modal dialog is not left open over a closing window
            opened.done(0)
            opened.deleteLater()
        for c in (admin, duty):
            c.shutdown()
