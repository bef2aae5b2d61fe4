"""Who is logged in at this console, in which role, and whose cases it shows when they are not
the township's: "程明军 · 部门经办人 · 综合行政执法中队" (domain.scope)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from console.labels import role_label
from domain.scope import CaseScope
from domain.township import Role, Township


class IdentityLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._login: tuple[str, Role | None, CaseScope | None] = ("", None, None)
        self._township: Township | None = None

    def show_login(self, user: str, role: Role | None, scope: CaseScope | None) -> None:
        self._login = (user, role, scope)
        self._show()

    def set_township(self, township: Township) -> None:
        """Its names for the login's departments, villages and grids."""
        self._township = township
        self._show()

    def _show(self) -> None:
        user, role, scope = self._login
        if role is None:
            self.setText(self.tr("Not logged in"))
            return
        text = f"{user} · {role_label(role)}"
        if scope is not None and not scope.township:
            t = self._township
            codes = [("departments", c) for c in sorted(scope.departments)]
            codes += [("villages", c) for c in sorted(scope.villages)]
            codes += [("grids", c) for c in sorted(scope.grids)]
            names = [(t.name_of(register, c) if t else None) or c for register, c in codes]
            text += " · " + ("、".join(names) or self.tr("no cases"))
        self.setText(text)
