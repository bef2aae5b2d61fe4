"""The desk keeps its layout between runs; the wall passes the whole queue by itself."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter
from pytestqt.qtbot import QtBot

from console.link import BackendLink
from console.main_window import MainWindow
from console.models.dispatch_queue_model import DispatchQueueModel
from console.widgets.dispatch_queue import DispatchQueuePanel
from domain.incident import Urgency
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


def test_the_wall_pages_through_the_queue_with_its_most_urgent_on_every_page(
    qtbot: QtBot,
) -> None:
    """Issue 20, item 7: scrolling put the 特急 cases off the screen on every page but the
    first, said no page number and cut the last row in half."""
    model = DispatchQueueModel()
    model.set_township(TOWNSHIP)
    cases = incidents(300, seed=2)
    model.replace_all(cases, seq=300)
    very_urgent = {i.id for i in cases if i.urgency == Urgency.VERY_URGENT and i.is_open}
    assert very_urgent
    wall = DispatchQueuePanel(model, wall=True)
    qtbot.addWidget(wall)
    wall.resize(1200, 600)
    wall.show()
    qtbot.waitExposed(wall)
    assert wall._scroll_timer.isActive(), "the wall pages by itself"
    pages = wall.pages
    assert pages is not None and pages.pages > 1 and pages.page == 0
    assert pages.pinned == len(very_urgent) <= pages.rows_per_page // 2
    seen: set[str] = set()
    for _ in range(pages.pages):
        shown = [model.incident_at(wall.source_row(r)).id for r in range(pages.rowCount())]
        assert very_urgent <= set(shown[: len(very_urgent)]), "特急 at the top of every page"
        rows_px = pages.rowCount() * wall.table.verticalHeader().defaultSectionSize()
        assert rows_px <= wall.table.viewport().height(), "whole rows only"
        assert wall.hold_note.text() == f"Page {pages.page + 1} of {pages.pages}"
        seen |= set(shown)
        wall.scroll_a_page()
    assert pages.page == 0, "after the last page, the first again"
    assert seen == {model.incident_at(r).id for r in range(model.rowCount())}, "no row skipped"
    desk = DispatchQueuePanel(model, wall=False)
    qtbot.addWidget(desk)
    assert not desk._scroll_timer.isActive(), "a supervisor's desk does not move under them"


def test_a_wall_of_one_screen_can_have_the_map_as_its_main_panel(qtbot: QtBot) -> None:
    """--wall-main map: the township map top left and larger than the charts beside it; the
    video wall 2×2 beside the queue. The default keeps the video wall there."""
    for main, big in (("map", "map_panel"), ("video", "video_wall")):
        window = MainWindow(BackendLink(), mode="wall", wall_main=main,
                            video_url_of=lambda c, m: "/nonexistent.mp4")  # fmt: skip
        qtbot.addWidget(window)
        window.resize(1920, 1080)
        window.show()
        qtbot.waitExposed(window)
        top = window.metrics.parentWidget()
        assert isinstance(top, QSplitter)
        main_panel = getattr(window, big)
        assert main_panel.width() > window.metrics.width()
        assert top.widget(0) is main_panel
        assert window.video_wall.grid_n == (2 if main == "map" else 3)
        window.stop_video()
        window.close()
