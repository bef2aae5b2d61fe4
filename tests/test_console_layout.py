"""The desk keeps its layout between runs; the wall passes the whole queue by itself."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.link import BackendLink
from console.main_window import MainWindow
from console.models.dispatch_queue_model import DispatchQueueModel
from console.widgets.dispatch_queue import DispatchQueuePanel
from tests.queue_data import TOWNSHIP, incidents


def _desk(qtbot: QtBot) -> MainWindow:
    window = MainWindow(BackendLink(), mode="desk")
    qtbot.addWidget(window)
    window.resize(1900, 1000)  # room for a dock to grow beside the queue's minimum width
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_desk_layout_is_the_same_after_a_restart(
    qtbot: QtBot, settings_of_this_test: None
) -> None:
    first = _desk(qtbot)
    default = first.docks["case"].width()
    first.docks["video"].hide()  # a supervisor without a camera job closes the video
    first.resizeDocks([first.docks["case"]], [default + 150], Qt.Orientation.Horizontal)
    qtbot.wait(50)
    width = first.docks["case"].width()
    assert width > default + 50 and not first.docks["video"].isVisible()
    first.close()  # closing saves

    second = _desk(qtbot)
    qtbot.wait(50)
    assert not second.docks["video"].isVisible()
    assert second.docks["metrics"].isVisible()
    assert abs(second.docks["case"].width() - width) < 10


def test_the_wall_scrolls_a_page_at_a_time_and_comes_back_to_the_top(qtbot: QtBot) -> None:
    model = DispatchQueueModel()
    model.set_township(TOWNSHIP)
    model.replace_all(incidents(300, seed=2), seq=300)
    wall = DispatchQueuePanel(model, wall=True)
    qtbot.addWidget(wall)
    wall.resize(1200, 600)
    wall.show()
    qtbot.waitExposed(wall)
    assert wall._scroll_timer.isActive(), "the wall scrolls by itself"
    bar = wall.table.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    seen = [bar.value()]
    for _ in range(200):
        wall.scroll_a_page()
        seen.append(bar.value())
        if bar.value() == 0:
            break
    assert seen[-1] == 0 and max(seen) == bar.maximum(), "every page, then the top again"
    steps = [b - a for a, b in itertools.pairwise(seen[:-1])]  # the last goes back to 0
    assert all(0 < s <= bar.pageStep() for s in steps), "no row skipped between pages"
    desk = DispatchQueuePanel(model, wall=False)
    qtbot.addWidget(desk)
    assert not desk._scroll_timer.isActive(), "a supervisor's desk does not move under them"
