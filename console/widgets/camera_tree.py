"""The township's cameras as a tree (by village, by area, or by construction phase), with a
search; drag a camera onto a wall tile, or double-click it to put it on the keyboard's tile."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console import present
from console.widgets.video_tile import CAMERA_MIME
from domain.township import Camera, Township

CODE_ROLE = Qt.ItemDataRole.UserRole + 1


class _CameraItems(QTreeWidget):
    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:
        data = QMimeData()
        codes = [i.data(0, CODE_ROLE) for i in items if i.data(0, CODE_ROLE)]
        if codes:
            data.setData(CAMERA_MIME, codes[0].encode())
            data.setText(codes[0])
        return data


class CameraTree(QWidget):
    camera_activated = Signal(str)  # a camera's code

    GROUPINGS = ("village", "group", "phase")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.township: Township | None = None
        self.grouping = QComboBox()
        for key, name in zip(
            self.GROUPINGS,
            (self.tr("By village"), self.tr("By area"), self.tr("By phase")),
            strict=True,
        ):
            self.grouping.addItem(name, key)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search cameras…"))
        self.search.setClearButtonEnabled(True)
        self.tree = _CameraItems()
        self.tree.setHeaderHidden(True)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.itemActivated.connect(self._on_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        # One above the other: side by side in the narrow dock, the search shrank to "…".
        layout.addWidget(self.grouping)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        self.grouping.currentIndexChanged.connect(self._rebuild)
        self.search.textChanged.connect(self._rebuild)

    def set_township(self, township: Township) -> None:
        self.township = township
        self._rebuild()

    def visible_codes(self) -> list[str]:
        codes: list[str] = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            children = [group.child(k) for k in range(group.childCount())] if group else []
            codes += [c.data(0, CODE_ROLE) for c in children if c is not None]
        return codes

    def _group_of(self, camera: Camera) -> str:
        t = self.township
        assert t is not None
        match self.grouping.currentData():
            case "village":
                return present.village_name(t, camera.village)
            case "group":
                return camera.group
            case _:
                return self.tr("Phase %1").replace("%1", str(camera.phase))

    def _rebuild(self) -> None:
        self.tree.clear()
        if self.township is None:
            return
        needle = self.search.text().strip().casefold()
        groups: dict[str, QTreeWidgetItem] = {}
        for camera in sorted(self.township.cameras.values(), key=lambda c: (c.phase, c.code)):
            group = self._group_of(camera)
            if needle and needle not in f"{camera.name} {camera.code} {group}".casefold():
                continue
            parent = groups.get(group)
            if parent is None:
                parent = groups[group] = QTreeWidgetItem(self.tree, [group])
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item = QTreeWidgetItem(parent, [camera.name])
            item.setData(0, CODE_ROLE, camera.code)
            item.setToolTip(0, f"{camera.code} · {camera.group}")
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled
            )
        self.tree.sortItems(0, Qt.SortOrder.AscendingOrder)
        if needle or len(groups) < 8:
            self.tree.expandAll()

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        code = item.data(0, CODE_ROLE)
        if code:
            self.camera_activated.emit(code)
