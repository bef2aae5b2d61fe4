"""Cases stacked on one place (a doorway's reports, cases at their grid's centre) offered as a
list on a click, the most urgent first: no zoom would part them. Beyond MENU_CASES, the queue
filtered to the place lists them all."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPointF, Qt
from PySide6.QtWidgets import QMenu

from console.models.map_layers import STACKED_PX
from console.widgets.map_style import MENU_CASES
from domain.map_geometry import Box

if TYPE_CHECKING:
    from console.widgets.township_map import TownshipMap


def offer_stack(the_map: TownshipMap, slots: list[int], at: QPointF) -> QMenu:
    menu = QMenu(the_map)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    order = the_map.layers.order
    for slot in slots[:MENU_CASES]:
        incident = order.ids[slot]
        action = menu.addAction(order.titles[slot] or incident)
        action.triggered.connect(lambda _c=False, i=incident: _chosen(the_map, i))
    if len(slots) > MENU_CASES:
        text = QCoreApplication.translate("TownshipMap", "… %1 more: filter the queue to them")
        more = menu.addAction(text.replace("%1", str(len(slots) - MENU_CASES)))
        more.triggered.connect(lambda: _area_around(the_map, at))
    menu.popup(the_map.mapToGlobal(at.toPoint()))
    return menu


def _chosen(the_map: TownshipMap, incident: str) -> None:
    the_map.choose(incident)
    the_map.incident_chosen.emit(incident)


def _area_around(the_map: TownshipMap, at: QPointF) -> None:
    """The queue filtered to a few pixels around the stack: every case in it, listed."""
    v = the_map.view
    x0, y0 = v.to_world(at.x() - STACKED_PX, at.y() + STACKED_PX)
    x1, y1 = v.to_world(at.x() + STACKED_PX, at.y() - STACKED_PX)
    the_map.set_area(Box(float(x0), float(y0), float(x1), float(y1)))
