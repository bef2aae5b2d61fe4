"""The desk's docks as the supervisor arranged them, kept between runs (QSettings)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

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
