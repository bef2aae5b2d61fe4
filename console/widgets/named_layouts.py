"""The video wall's named layouts, kept between runs in QSettings: the layout (or its custom
spans) and the cameras an operator placed. What is read back is checked: a damaged setting is
not shown. (GUI thread.)
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from PySide6.QtCore import QSettings

from console.widgets.wall_layouts import LAYOUTS, Span, is_tiling

SETTINGS_GROUP = "wall/layouts"


@dataclass(frozen=True, slots=True)
class SavedLayout:
    layout: str
    """A layout's name (LAYOUTS), or "custom" for `spans`."""
    n: int
    spans: list[Span]
    cameras: list[str | None]
    """Per tile, the camera an operator placed there (None: the wall chooses)."""


def names() -> list[str]:
    settings = QSettings()
    settings.beginGroup(SETTINGS_GROUP)
    found = sorted(settings.childKeys())
    settings.endGroup()
    return found


def save(name: str, saved: SavedLayout) -> None:
    QSettings().setValue(f"{SETTINGS_GROUP}/{name}", json.dumps(asdict(saved)))


def load(name: str) -> SavedLayout | None:
    """The layout saved under `name`; None when there is none or it does not hold together."""
    raw = QSettings().value(f"{SETTINGS_GROUP}/{name}")
    try:
        state = json.loads(str(raw))
        layout, n = str(state["layout"]), int(state["n"])
        spans = [tuple(map(int, s)) for s in state["spans"]]
        cameras = [c if isinstance(c, str) else None for c in state["cameras"]]
    except (ValueError, KeyError, TypeError):
        return None
    if layout not in LAYOUTS and not is_tiling(n, spans):
        return None
    return SavedLayout(layout, n, [(s[0], s[1], s[2], s[3]) for s in spans], cameras)
