"""Every string on screen in the Chinese UI is Chinese (issue 20, "done when"): the desk and the
wall after a replayed demo day, read from what the widgets actually show (labels, buttons,
tabs, lists, table cells and headers, chart titles), not from the translation files. A raw
code ("grid_app", "4wh", "command.dispatch") or an English word fails it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from console.app import Console
from console.embedded_backend import DEMO_PASSWORD
from console.main_window import MainWindow
from tests.helpers import wait_live
from tests.processes import BackendProcess

ALLOWED = re.compile(
    r"SJ\d{6}"  # case numbers
    r"|P\d{4}"  # people's codes
    r"|\bP90\b|\bCSV\b|\bXLSX\b|\bRTSP\b|\bKML\b|\bGeoJSON\b"  # names as the trade says them
    r"|\b[A-Z]\b"  # a lone letter: a grid's or a layout's (A, B), 3x3
    r"|\d+x\d+"
    r"|[A-Za-z]+\d+[A-Za-z\d]*"  # codes with digits: V01G1, H.264 parts
)


def _latin_words(text: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", text)  # rich text's markup is not shown
    text = re.sub(r"\b[a-z]+://\S+", " ", text)  # a camera's address is data, not a word
    return re.findall(r"[A-Za-z]{2,}", ALLOWED.sub(" ", text))


def _shown(root: QWidget, data: list[tuple[QWidget, int]]) -> Iterator[tuple[str, str]]:
    """(where, text) for everything visible under `root` that carries words; `data`: the
    (view, column) pairs that hold what people typed (logins), not words of ours."""
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root):
            continue
        where = f"{type(w).__name__}#{w.objectName()}"
        if isinstance(w, QLabel | QAbstractButton):
            yield where, w.text()
        elif isinstance(w, QLineEdit):
            yield where, w.placeholderText()
        elif isinstance(w, QComboBox):
            yield from ((where, w.itemText(k)) for k in range(w.count()))
        elif isinstance(w, QTabBar):
            yield from ((where, w.tabText(k)) for k in range(w.count()))
        elif isinstance(w, QDockWidget):
            yield where, w.windowTitle()
        elif isinstance(w, QListWidget):
            yield from ((where, w.item(k).text()) for k in range(w.count()))
        elif isinstance(w, pg.PlotWidget):
            yield where, w.getPlotItem().titleLabel.text
        if isinstance(w, QAbstractItemView) and not isinstance(w, QListWidget | QHeaderView):
            yield from _cells(where, w, {c for v, c in data if v is w})


def _cells(where: str, view: QAbstractItemView, skip: set[int]) -> Iterator[tuple[str, str]]:
    model = view.model()
    for c in range(model.columnCount()):
        yield where, str(model.headerData(c, Qt.Orientation.Horizontal) or "")
    for r in range(min(model.rowCount(), 40)):
        for c in set(range(model.columnCount())) - skip:
            yield where, str(model.index(r, c).data() or "")


def _foreign(window: MainWindow) -> list[tuple[str, str, list[str]]]:
    logins: list[tuple[QWidget, int]] = []
    if window.mode == "desk":
        # who, and a login or a key as the subject; the users' logins
        logins = [
            (window.audit.table, 2),
            (window.audit.table, 6),
            (window.administration.users, 0),
        ]
    found = []
    for where, text in _shown(window, logins):
        if words := _latin_words(text):
            found.append((where, text[:80], words))
    return found


@pytest.fixture(scope="module")
def township_day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    """A replayed day, no live traffic: every kind of case and figure on screen."""
    db = f"sqlite:///{tmp_path_factory.mktemp('screens') / 'day.sqlite3'}"
    backend = BackendProcess(db, "--demo", "--demo-days", "2", "--demo-rate", "0").start(
        timeout=120
    )
    yield backend
    backend.stop()


@pytest.mark.slow
@pytest.mark.parametrize(("login", "mode"), [("supervisor", "desk"), ("duty", "wall"),
                                             ("admin", "desk"), ("auditor", "desk")])  # fmt: skip
def test_no_code_and_no_english_on_a_chinese_screen(
    qtbot: QtBot, township_day: BackendProcess, chinese: None, login: str, mode: str
) -> None:
    console = Console(mode=mode, login=(login, DEMO_PASSWORD))
    qtbot.addWidget(console.window)
    try:
        console.start(township_day.router)
        console.window.resize(1920, 1080)
        console.window.show()
        wait_live(qtbot, console, timeout=30_000)
        window = console.window
        if login == "supervisor":
            model = window.queue_model
            qtbot.waitUntil(lambda: model.rowCount() > 20, timeout=20_000)
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            window.queue.table.selectionModel().setCurrentIndex(model.index(0, 0), flags)
            qtbot.waitUntil(lambda: window.detail.timeline.count() > 1, timeout=10_000)
        if login in ("supervisor", "duty"):
            qtbot.waitUntil(lambda: window.metrics.figures is not None, timeout=20_000)
        if login == "auditor":
            qtbot.waitUntil(lambda: window.audit.table.rowCount() > 0, timeout=20_000)
        if login == "admin":
            qtbot.waitUntil(lambda: window.administration.users.rowCount() > 0, timeout=20_000)
        found = _foreign(window)
        assert found == [], "\n".join(map(str, found))
    finally:
        console.shutdown()
