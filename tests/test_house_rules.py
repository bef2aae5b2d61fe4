"""The boundaries of the house (DEVELOPERS.md), checked on every test run.

import-linter checks the same in `make lint`; this test reads the import statements itself so
that a broken rule fails the suite even where nobody runs the linter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
QT = {"PySide6", "shiboken6", "pyqtgraph"}
FORBIDDEN: dict[str, set[str]] = {
    "domain": QT | {"sqlalchemy", "alembic", "zmq", "cv2", "backend", "console", "client"},
    "client": QT | {"sqlalchemy", "alembic", "backend", "console"},
    "backend": QT | {"console"},
    "console": {"sqlalchemy", "alembic", "backend"},
}


def imported_packages(source: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def violations(package: str) -> list[str]:
    out = []
    for path in sorted((REPO / package).rglob("*.py")):
        bad = imported_packages(path.read_text(encoding="utf-8")) & FORBIDDEN[package]
        out += [f"{path.relative_to(REPO)} imports {name}" for name in sorted(bad)]
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_keeps_to_its_side_of_the_house(package: str) -> None:
    assert violations(package) == []


def test_the_check_sees_a_violation() -> None:
    assert imported_packages("import zmq\nfrom sqlalchemy.orm import Session\n") == {
        "zmq",
        "sqlalchemy",
    }
    assert imported_packages("from . import sibling\n") == set()


def test_the_domain_imports_without_qt_sqlalchemy_or_zmq() -> None:
    """At run time too: importing the domain must not pull them in indirectly."""
    code = (
        "import sys, domain.township, domain.incident, domain.wire;"
        "bad = {'PySide6', 'sqlalchemy', 'zmq'} & set(sys.modules);"
        "print(sorted(bad)); raise SystemExit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert result.returncode == 0, result.stdout + result.stderr


def imported_modules(source: str) -> set[str]:
    """Every module named by an absolute import, in full (`console.link`, not `console`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


KNOW_THE_LINK = {"console.link", "console.app", "console.main_window"}
"""Only the composition root knows the link; widgets and models ask a RequestPort."""


def test_widgets_and_models_never_import_the_link() -> None:
    bad = [
        f"{path.relative_to(REPO)} imports {name}"
        for folder in ("widgets", "models", "video")
        for path in sorted((REPO / "console" / folder).rglob("*.py"))
        for name in sorted(imported_modules(path.read_text(encoding="utf-8")) & KNOW_THE_LINK)
    ]
    assert bad == []
    assert imported_modules("from console.link import BackendLink\n") == {"console.link"}
