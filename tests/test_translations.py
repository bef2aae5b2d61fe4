"""Every user-visible string is translated, and the console speaks Chinese by default."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.app import install_translators
from console.main_window import MainWindow
from console.models.dispatch_queue_model import DispatchQueueModel

REPO = Path(__file__).resolve().parents[1]
TS = REPO / "resources" / "i18n" / "console_zh_CN.ts"
LUPDATE = REPO / ".venv" / "bin" / "pyside6-lupdate"


def _sources(ts: Path) -> set[tuple[str, str]]:
    root = ET.parse(ts).getroot()
    return {
        (ctx.findtext("name") or "", msg.findtext("source") or "")
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    }


def test_every_message_is_translated() -> None:
    unfinished = []
    for msg in ET.parse(TS).getroot().iter("message"):
        translation = msg.find("translation")
        if translation is None or translation.get("type") in ("unfinished", "obsolete"):
            unfinished.append(msg.findtext("source"))
    assert unfinished == []


def test_the_ts_file_holds_every_string_in_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (REPO / "console").rglob("*.py"))
    subprocess.run([str(LUPDATE), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    missing = _sources(fresh) - _sources(TS)
    assert missing == set(), "run `make update-translations` and translate the new strings"


def test_chinese_by_default(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translators = install_translators(app, "zh_CN")
    try:
        assert translators, "console_zh_CN.qm is built by set-up"
        window = MainWindow()
        qtbot.addWidget(window)
        assert window.windowTitle() == "综合信息指挥室"
        assert window.queue.title.text() == "事件派遣队列"
        header = DispatchQueueModel().headerData(0, Qt.Orientation.Horizontal)
        assert header == "编号"
        assert QCoreApplication.translate("Labels", "Very urgent") == "特急"
    finally:
        for t in translators:
            app.removeTranslator(t)
