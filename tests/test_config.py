"""One configuration (issue 21): the database and folders written once, in a TOML file named
by COMMANDROOM_CONFIG, read by the service and every tool; the environment wins over the file
and the command line over both; a typo in the file is refused, not ignored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backend.store import Store
from backend.user_store import UserStore
from domain.township import Role, load_demo_township
from tests.processes import REPO


def _store(path: Path, login: str = "wang.jg") -> str:
    url = f"sqlite:///{path}"
    store = Store(url)
    store.migrate()
    store.seed_township(load_demo_township())
    UserStore(store).add(login, "王建国", Role.SUPERVISOR, "scrypt$14$x$y")
    store.close()
    return url


def _backend(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backend", *args], cwd=REPO,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=120,
                          check=False)  # fmt: skip


def test_the_tools_read_the_store_from_the_configuration_file(tmp_path: Path) -> None:
    url = _store(tmp_path / "room.sqlite3")
    config = tmp_path / "backend.toml"
    config.write_text(f'db = "{url}"\nkeys = "{tmp_path / "keys"}"\n', encoding="utf-8")
    env = {"COMMANDROOM_CONFIG": str(config), "XDG_DATA_HOME": str(tmp_path / "data")}
    listed = _backend(env, "users", "list")
    assert listed.returncode == 0 and "wang.jg" in listed.stdout, listed.stderr[-2000:]
    assert _backend(env, "audit", "verify").returncode == 0
    assert _backend(env, "keys", "init").returncode == 0
    assert (tmp_path / "keys" / "server.key_secret").exists(), "the configured key folder"
    other = _store(tmp_path / "other.sqlite3", login="li.hua")
    with_env = _backend({**env, "COMMANDROOM_DB": other}, "users", "list")
    assert "li.hua" in with_env.stdout and "wang.jg" not in with_env.stdout, "env over file"
    given = _backend({**env, "COMMANDROOM_DB": "x"}, "users", "list", "--db", url)
    assert "wang.jg" in given.stdout, "the command line over both"


def test_a_typo_in_the_configuration_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "backend.toml"
    config.write_text('database = "sqlite:////nowhere"\n', encoding="utf-8")
    for args in (("users", "list"), ()):  # a tool, and the service itself
        done = _backend({"COMMANDROOM_CONFIG": str(config)}, *args)
        assert done.returncode == 2, "a bad configuration is not restarted by the unit"
        assert "unknown setting 'database'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("setting", "value", "said"),
    [
        ("log_level", "INFOO", "log_level 'INFOO'"),
        ("db", "postgresq+psycopg://x@db/township", "the database URL cannot be used"),
        ("router", "tcp//0.0.0.0:7700", "cannot be served"),
        ("metrics", "127.0.0.1:99999", "health and metrics address"),
        ("keys", "/nonexistent/kyes", "no backend key pair in /nonexistent/kyes"),
    ],
)
def test_each_bad_setting_stops_the_service_with_its_reason_and_status_2(
    tmp_path: Path, setting: str, value: str, said: str
) -> None:
    """Found walking docs/operations.md again: these exited 1 with a traceback, and the unit
    (Restart=on-failure, RestartPreventExitStatus=2) would have restarted them every 5 s."""
    config = tmp_path / "backend.toml"
    lines = {"db": f"sqlite:///{tmp_path / 'store.sqlite3'}", "router": "tcp://127.0.0.1:*",
             "pub": "tcp://127.0.0.1:*", setting: value}  # fmt: skip
    config.write_text("".join(f'{k} = "{v}"\n' for k, v in lines.items()), encoding="utf-8")
    plain = [] if setting == "keys" else ["--plain"]
    done = _backend({"COMMANDROOM_CONFIG": str(config)}, "--demo-users", *plain)
    assert done.returncode == 2, done.stderr[-1500:]
    assert said in done.stderr and "Traceback" not in done.stderr
