from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import zmq

# Saved desk layouts (QSettings) go to a throwaway place, never to the user's own settings.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="console-settings-")

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client.request import RequestClient
from console.app import Console, install_translators
from console.embedded_backend import DEMO_PASSWORD
from tests.processes import BackendProcess, PostgresServer, fresh_database
from tests.services import Service, subscribe


@pytest.fixture
def settings_of_this_test(tmp_path: Path) -> Iterator[None]:
    """QSettings under a name of its own, so no other test's saved layouts are read."""
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("console-test")
    QCoreApplication.setApplicationName(f"console-test-{tmp_path.name}")
    QSettings().clear()
    yield
    QSettings().clear()
    QCoreApplication.setOrganizationName("")
    QCoreApplication.setApplicationName("")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'commandroom.sqlite3'}"


@pytest.fixture
def service_factory(sqlite_url: str) -> Iterator[Callable[..., Service]]:
    """In-process backends on one SQLite file (one after another, for restarts), each closed
    at the end if the test did not."""
    made: list[Service] = []

    def make(**kwargs: Any) -> Service:
        made.append(Service(sqlite_url, **kwargs))
        return made[-1]

    yield make
    for s in made:
        s.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[str]:
    """The same test on a SQLite file and on a real PostgreSQL server (a fresh database each)."""
    if request.param == "sqlite":
        yield sqlite_url
        return
    with fresh_database(request.getfixturevalue("postgres")) as url:
        yield url


@pytest.fixture
def backend(sqlite_url: str) -> Iterator[BackendProcess]:
    """A real backend process on loopback, without demo reports, stopped after the test."""
    process = BackendProcess(sqlite_url, "--no-demo").start()
    try:
        yield process
    finally:
        if process.alive:
            process.kill()


@pytest.fixture
def subscriber(backend: BackendProcess) -> Iterator[zmq.Socket[bytes]]:
    """Everything the backend process publishes to a duty officer (the whole township), from
    the first heartbeat of that login's stream on."""
    watcher = RequestClient(backend.router, timeout=30)
    sub = subscribe(backend.pub, watcher.log_in("duty", DEMO_PASSWORD))
    yield sub
    sub.close()
    watcher.close()


@pytest.fixture
def console(qtbot: QtBot) -> Iterator[Console]:
    """A desk console, not yet started: the test says which backend it links to."""
    c = Console(mode="desk", login=("supervisor", DEMO_PASSWORD))
    qtbot.addWidget(c.window)
    yield c
    c.shutdown()


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    """The console in Chinese, as it starts by default (the tests' own default is English)."""
    app = qapp
    translators = install_translators(app, "zh_CN")
    assert translators, "console_zh_CN.qm is built by set-up"
    yield
    for t in translators:
        app.removeTranslator(t)
