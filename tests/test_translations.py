"""Every user-visible string is translated, and the console speaks Chinese by default."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console import present
from console.app import install_translators
from console.link import BackendLink
from console.main_window import MainWindow
from console.models.dispatch_queue_model import DispatchQueueModel
from domain.lifecycle import Action
from domain.township import Role

REPO = Path(__file__).resolve().parents[1]
TS = REPO / "resources" / "i18n" / "console_zh_CN.ts"


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


def strings_in_code(source: str) -> set[tuple[str, str]]:
    """(context, text) of every tr(), translate() and QT_TRANSLATE_NOOP() with literal text.

    Read from the syntax tree, not by lupdate, whose parser skips calls that a formatter has
    split over several lines; such a string would silently stay English."""
    found: set[tuple[str, str]] = set()

    def visit(node: ast.AST, cls: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call):
                name = getattr(child.func, "attr", getattr(child.func, "id", ""))
                args = [a.value if isinstance(a, ast.Constant) else None for a in child.args]
                if name == "tr" and args and isinstance(args[0], str):
                    found.add((cls, args[0]))
                elif (
                    name in ("translate", "QT_TRANSLATE_NOOP")
                    and len(args) >= 2
                    and isinstance(args[0], str)
                    and isinstance(args[1], str)
                ):
                    found.add((args[0], args[1]))
            visit(child, cls)

    visit(ast.parse(source), "")
    return found


def test_the_ts_file_holds_every_string_in_the_code() -> None:
    in_code: set[tuple[str, str]] = set()
    for path in (REPO / "console").rglob("*.py"):
        in_code |= strings_in_code(path.read_text(encoding="utf-8"))
    assert len(in_code) > 30
    missing = in_code - _sources(TS)
    assert missing == set(), "run `make update-translations` and translate the new strings"


def test_the_string_scan_sees_split_calls() -> None:
    source = 'class W:\n    def f(self):\n        self.tr(\n            "Split"\n        )\n'
    assert strings_in_code(source) == {("W", "Split")}


def test_chinese_by_default(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translators = install_translators(app, "zh_CN")
    try:
        assert translators, "console_zh_CN.qm is built by set-up"
        window = MainWindow(BackendLink(), user="朱永明", role=Role.SUPERVISOR)
        qtbot.addWidget(window)
        assert window.windowTitle() == "综合信息指挥室 · ⚠ 明文连接:仅限单机使用"  # no keys
        assert window.queue.title.text() == "事件派遣队列"
        header = DispatchQueueModel().headerData(0, Qt.Orientation.Horizontal)
        assert header == "编号"
        assert QCoreApplication.translate("Labels", "Very urgent") == "特急"
        assert window.case_actions.buttons[Action.DISPATCH].text() == "派遣"
        assert window.queue.filters.state.itemText(0) == "在办事件"
        assert window.identity.text() == "朱永明 · 指挥长"
        assert [present.duration(d) for d in ("30m", "2h", "4wh", "5wd")] == [
            "30 分钟", "2 小时", "4 工作小时", "5 个工作日",
        ], "time limits in words, not codes"  # fmt: skip
        window.set_identity("", None)
        assert window.identity.text() == "未登录" and not window.case_actions.buttons
    finally:
        for t in translators:
            app.removeTranslator(t)
