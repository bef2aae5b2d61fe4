"""The desk's docks: laid out the first time, then as the supervisor arranged them, kept
between runs (QSettings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

if TYPE_CHECKING:
    from console.main_window import MainWindow

LAYOUT_VERSION = 5  # 3: a camera tree dock; 4: the evaluation dock; 5: camera management
"""A saved arrangement of another version is not restored (its docks differ)."""


def restore(window: QMainWindow) -> None:
    settings = QSettings()
    state = settings.value("desk/state")
    geometry = settings.value("desk/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    if isinstance(state, QByteArray):
        window.restoreState(state, LAYOUT_VERSION)


def has_geometry() -> bool:
    """Whether the supervisor's own window size was kept from an earlier run."""
    return isinstance(QSettings().value("desk/geometry"), QByteArray)


def save(window: QMainWindow) -> None:
    settings = QSettings()
    settings.setValue("desk/state", window.saveState(LAYOUT_VERSION))
    settings.setValue("desk/geometry", window.saveGeometry())


def build_docks(window: MainWindow, case: QWidget) -> dict[str, QDockWidget]:
    """Each of the desk's panels in a dock of its own, named (saveState finds them by name):
    the video wall and the map as tabs top left, the indicators beside them, the case and the
    roles' own work as tabs beside the queue, the cameras' tree on its left."""
    docks: dict[str, QDockWidget] = {}
    top, right, left = (Qt.DockWidgetArea.TopDockWidgetArea,
                        Qt.DockWidgetArea.RightDockWidgetArea,
                        Qt.DockWidgetArea.LeftDockWidgetArea)  # fmt: skip
    for name, title, widget, area in (
        ("video", QCoreApplication.translate("MainWindow", "Video wall"), window.video_wall, top),
        ("map", QCoreApplication.translate("MainWindow", "Map"), window.map_panel, top),
        ("metrics", QCoreApplication.translate("MainWindow", "Indicators"), window.metrics, top),
        ("case", QCoreApplication.translate("MainWindow", "Case"), case, right),
        ("cameras", QCoreApplication.translate("MainWindow", "Cameras"), window.camera_tree, left),
        ("evaluation", QCoreApplication.translate("MainWindow", "Evaluation"), window.evaluation,
         right),
        ("administration", QCoreApplication.translate("MainWindow", "Administration"),
         window.administration, right),
        ("audit", QCoreApplication.translate("MainWindow", "Audit trail"), window.audit, right),
        ("camera_admin", QCoreApplication.translate("MainWindow", "Camera management"),
         window.camera_admin, right),
    ):  # fmt: skip
        dock = QDockWidget(title, window)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        window.addDockWidget(area, dock)
        docks[name] = dock
        if area == right and name != "case":  # one stack of tabs beside the queue
            window.tabifyDockWidget(docks["case"], dock)
        elif name == "map":  # the map and the video share the top left, as tabs
            window.tabifyDockWidget(docks["video"], dock)
    docks["case"].raise_()
    docks["map"].raise_()
    window.resizeDocks([docks["case"]], [480], Qt.Orientation.Horizontal)
    window.resizeDocks([docks["cameras"]], [220], Qt.Orientation.Horizontal)
    window.resizeDocks([docks["video"]], [360], Qt.Orientation.Vertical)
    window.resizeDocks([docks["video"], docks["metrics"]], [720, 880], Qt.Orientation.Horizontal)
    return docks
