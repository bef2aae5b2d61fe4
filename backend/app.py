"""`python -m backend`: open the store, load the township, serve it over ZeroMQ.

Prints one line `READY {json}` on stdout when both sockets listen, so a parent process (the
console's embedded mode, a test) knows where to connect without guessing ports.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

import zmq
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from backend import log_lines
from backend.demo.day import replay
from backend.demo.reporter import DemoReporter
from backend.demo.users import seed_demo_users
from backend.keyring import KeyRing
from backend.paths import default_db_url, default_keys_folder
from backend.service.field_push import FieldPush
from backend.service.loop import Endpoints, LiveStateServer
from backend.store import Store
from backend.township.apply import apply_township_files
from backend.user_store import UserStore
from backend.watch_http import WatchServer
from client.settings import path_setting, setting
from domain.deadlines import DeadlineRules
from domain.resources import load_config
from domain.township import Township, load_demo_township

log = logging.getLogger("backend")
DEMO_KEY = "demo-reporter"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    config = load_config()
    p = argparse.ArgumentParser(prog="python -m backend", description=__doc__)
    p.add_argument(
        "--db",
        help=f"SQLAlchemy URL (default: {default_db_url()}; with --township DIR, a store of "
        "that township's own beside it)",
    )
    p.add_argument(
        "--router",
        default=setting("router") or "tcp://127.0.0.1:7700",
        help="where to answer requests; port * picks a free one (default: %(default)s)",
    )
    p.add_argument(
        "--pub",
        default=setting("pub") or "tcp://127.0.0.1:7701",
        help="where to publish updates (default: %(default)s)",
    )
    p.add_argument(
        "--attachments",
        type=Path,
        default=path_setting("attachments"),
        help="folder for photos (default: beside a SQLite file, else the data dir)",
    )
    p.add_argument(
        "--platform-set",
        help="the platform set to run in (default: the one the township's files chose; for the "
        f"demo township, {config['platform_set']!r})",
    )
    p.add_argument(
        "--township",
        type=Path,
        metavar="DIR",
        help="run on the township in DIR (its registers and boundaries, docs/onboarding.md): "
        "checked, then applied to the store if it differs from what the store holds",
    )
    p.add_argument(
        "--demo",
        dest="demo",
        action="store_true",
        default=False,
        help="the demo township's traffic: a replayed week, then live reports and staff (make "
        "run asks for it; with --plain only: never in service)",
    )
    p.add_argument("--no-demo", dest="demo", action="store_false", help="(the default)")
    p.add_argument(
        "--demo-rate",
        type=float,
        help="a flat N demo reports a minute instead of the township's day (load tests; "
        "default: the day's rhythm, docs/demo.md)",
    )
    p.add_argument(
        "--demo-days",
        type=float,
        default=config["demo"]["replay_days"],
        help="into an empty store, replay this many days of demo traffic before serving "
        "(default: %(default)s; 0: start empty)",
    )
    p.add_argument(
        "--demo-speed",
        type=float,
        default=1.0,
        help="the demo's staff act this many times sooner than the deadlines make them",
    )
    p.add_argument(
        "--webhook",
        default=setting("webhook"),
        metavar="URL",
        help="tell the field's messaging system (浙政钉, SMS) of dispatches and replies to "
        "verify: a signed JSON POST there (secret in COMMANDROOM_WEBHOOK_SECRET; docs/gateway.md)",
    )
    p.add_argument(
        "--webhook-spool",
        type=Path,
        default=path_setting("webhook_spool"),
        metavar="DIR",
        help="where the pushes not yet taken wait across a restart (needed with --webhook)",
    )
    p.add_argument(
        "--demo-gateway",
        metavar="URL",
        help="the demo's field reports go to the HTTP gateway there (make run: "
        "http://127.0.0.1:8380), straight to the backend while it does not answer",
    )
    p.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="exit when standard input closes (embedded mode)",
    )
    p.add_argument(
        "--keys",
        type=Path,
        help="CurveZMQ key folder (python -m backend keys init); default: keys/ in the data "
        "dir, used when it holds the backend's key pair",
    )
    p.add_argument(
        "--plain",
        action="store_true",
        help="plain text, no keys: for one machine only (make run); logged as a warning",
    )
    p.add_argument(
        "--demo-users",
        action="store_true",
        help="add the demo township's users, password 'demo' (backend/demo/users.py): for "
        "make run, tests and trials only; logged as a warning",
    )
    p.add_argument(
        "--metrics",
        default=setting("metrics"),
        metavar="HOST:PORT",
        help="serve GET /health and /metrics (Prometheus) here, e.g. 127.0.0.1:9707 "
        "(backend/watch_http.py); default: none",
    )
    p.add_argument("--log-level", default=setting("log_level") or "INFO")
    return p.parse_args(argv)


def open_township(store: Store, args: argparse.Namespace) -> Township:
    """The store migrated, its township (the demo's only when a demo is asked for), its own
    time limits, and the demo users if asked for (refused, and said, if not)."""
    store.migrate()
    if args.township is not None:
        if not apply_township_files(store, args.township):
            raise StartRefused(f"the township files in {args.township} were not applied")
    elif not store.has_township():
        if not (args.demo or args.demo_users):  # production: never a made-up township
            raise StartRefused(
                f"the store {args.db.split('@')[-1]} holds no township: bring yours in with "
                "`python -m backend township apply DIR --db URL` or start with --township DIR "
                "(docs/onboarding.md); --demo runs the demo township"
            )
        log.info("empty store: loading the demo township from resources/")
        store.seed_township(load_demo_township(args.platform_set or load_config()["platform_set"]))
    township = store.load_township(args.platform_set)
    if (rules := store.township_rules()) is not None:  # the township's own time limits
        store.rules = DeadlineRules(rules)
    if args.demo_users:
        added = seed_demo_users(store, township)
        log.warning(
            "DEMO USERS: %d added; every demo login has the password 'demo' (never in service)",
            added,
        )
    elif demo_logins := UserStore(store).demo_logins():
        log.warning(
            "%d demo users in this store (%s…) are refused: this start has no --demo-users",
            len(demo_logins), ", ".join(demo_logins[:3]),
        )  # fmt: skip
    return township


def keys_of(args: argparse.Namespace) -> KeyRing | None:
    """The key ring, never touched by the demo: a demo with keys is refused, and a demo key
    an older start left enrolled is revoked and said so."""
    keyring = keyring_of(args)
    if keyring is None:
        return None
    if args.demo:
        raise StartRefused(
            "--demo runs on a plain one-machine start only (--plain): its reporter would enrol "
            f"a key of its own in {keyring.folder}"
        )
    if DEMO_KEY in keyring.names():  # left by an older start: refused from now on
        keyring.revoke(DEMO_KEY)
        log.warning("the demo reporter's key %r was enrolled in %s: revoked (the demo never "
                    "runs with keys)", DEMO_KEY, keyring.folder)  # fmt: skip
    return keyring


def keyring_of(args: argparse.Namespace) -> KeyRing | None:
    """Deny by default: secure with keys, plain text only when asked for by --plain."""
    if args.plain:
        return None
    folder = args.keys or path_setting("keys") or default_keys_folder()
    ring = KeyRing(folder)
    if not (folder / "server.key_secret").exists():
        raise StartRefused(
            f"no backend key pair in {folder}: run `python -m backend keys init` "
            "(and enrol each console), or pass --plain for one machine only"
        )
    ring.init()
    return ring


class StartRefused(Exception):
    """Said in the log; the backend exits 2."""


def _store_of(args: argparse.Namespace) -> Store:
    try:
        log_lines.configure(args.log_level.upper())
    except ValueError as e:
        raise StartRefused(f"log_level {args.log_level!r}: {e}") from None
    if args.db is None:
        args.db = setting("db")
    if args.db is None:
        args.db = default_db_url(args.township, demo=args.demo_users)
    try:
        return Store(args.db, attachments=args.attachments)
    except (ArgumentError, NoSuchModuleError) as e:
        raise StartRefused(f"the database URL cannot be used: {e}") from None


def _push(url: str | None, spool: Path | None) -> FieldPush | None:
    """The webhook for the field's messaging system, with its secret from the environment and
    its folder for the pushes not yet taken."""
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise StartRefused(f"webhook {url!r}: an http:// or https:// address")
    secret = os.environ.get("COMMANDROOM_WEBHOOK_SECRET", "")
    if len(secret) < 16:
        said = "too short" if secret else "not set"
        raise StartRefused("COMMANDROOM_WEBHOOK_SECRET (16 characters or more) signs the "
                           f"webhook's messages: it is {said}")  # fmt: skip
    if spool is None:
        raise StartRefused("webhook_spool (a folder; --webhook-spool) keeps the pushes not "
                           "taken yet across a restart: not set")  # fmt: skip
    try:
        return FieldPush(url, secret.encode(), spool)
    except OSError as e:
        raise StartRefused(f"webhook_spool {spool}: {e.strerror or e}") from None


def _serving(
    store: Store, args: argparse.Namespace
) -> tuple[LiveStateServer, Endpoints, WatchServer | None]:
    """What a bad configuration stops (exit status 2: the service unit does not loop on it)."""
    keyring = keys_of(args)
    township = open_township(store, args)
    server = LiveStateServer(
        store, township, args.router, args.pub, keyring=keyring, demo_users=args.demo_users,
        push=_push(args.webhook, args.webhook_spool),
    )  # fmt: skip
    try:
        endpoints = server.bind(load=False)
    except zmq.ZMQError as e:
        raise StartRefused(f"the addresses {args.router} and {args.pub} cannot be served: "
                           f"{e}") from None  # fmt: skip
    try:
        watch = None if not args.metrics else WatchServer(args.metrics, server.watch)
    except (OSError, ValueError, OverflowError) as e:
        raise StartRefused(
            f"the health and metrics address {args.metrics} cannot be served: {e}"
        ) from None
    return server, endpoints, watch


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    store: Store | None = None
    try:
        store = _store_of(args)
        server, endpoints, watch = _serving(store, args)
    except StartRefused as e:
        if logging.getLogger().handlers:
            log.error("%s", e)
        else:
            print(e, file=sys.stderr)
        if store is not None:
            store.close()
        return 2
    township, keyring = server.township, server.keyring
    if watch is not None:
        watch.start()
        endpoints = dataclasses.replace(endpoints, metrics=watch.address)
    stop = threading.Event()

    def _on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    if args.exit_with_parent:
        threading.Thread(target=_wait_for_stdin_eof, args=(stop,), daemon=True).start()
    demo: list[DemoReporter] = []
    starter = threading.Thread(
        target=_load_then_announce,
        args=(server, endpoints, args, township, keyring, stop, demo),
        name="backend-start",
    )
    starter.start()
    try:
        server.serve(stop)
    finally:
        stop.set()
        starter.join()
        for reporter in demo:
            reporter.join(timeout=3)
        if watch is not None:
            watch.close()
        store.close()
    if not server.ready.is_set():
        log.error("stopped before the store was loaded")
        return 1
    log.info("stopped")
    return 0


def _load_then_announce(
    server: LiveStateServer,
    endpoints: Endpoints,
    args: argparse.Namespace,
    township: Township,
    keyring: KeyRing | None,
    stop: threading.Event,
    demo: list[DemoReporter],
) -> None:
    """The store read while the serve loop already answers (`starting`): a console connected
    to a backend that is loading says so instead of "cannot connect". READY only then."""
    try:
        if args.demo and args.demo_days > 0:
            replay_days(server.store, township, args.demo_days)
        server.load()
    except Exception:
        log.exception("loading the store failed")
        stop.set()
        return
    _settle_heap()
    ready = {
        "router": endpoints.router,
        "pub": endpoints.pub,
        "session": server.session,
        "db": args.db.split("@")[-1],
        "secure": keyring is not None,
        "metrics": endpoints.metrics,
    }
    print("READY " + json.dumps(ready), flush=True)
    log.info("serving %s on %s (updates on %s)", township.name, endpoints.router, endpoints.pub)
    if args.demo and args.demo_rate != 0 and not stop.is_set():
        reporter = DemoReporter(
            endpoints.router, township, server.store.rules, stop,
            per_minute=args.demo_rate, speed=args.demo_speed,
            keys=None if keyring is None else keyring.own_client(DEMO_KEY),
            gateway=args.demo_gateway,
        )  # fmt: skip
        demo.append(reporter)
        reporter.start()


def replay_days(store: Store, township: Township, days: float) -> None:
    """A fresh demo store gets the township's past week, so the first screen is a working
    day's, not an empty board; a store with cases is left as it is."""
    if store.has_incidents():
        return
    now = time.time()
    log.info("demo: replaying %g days of the township's traffic into the empty store", days)
    n = replay(store, township, now - days * 86_400, now)
    log.info("demo: %d reports replayed in %.1f s", n, time.time() - now)


def _settle_heap() -> None:
    """Move everything loaded so far (modules, the township, the live map) out of the
    collector's reach. Otherwise each full collection walks it all again: measured 40-70 ms on
    this 2-core machine, paid inside whichever report's commit it interrupted."""
    gc.collect()
    gc.freeze()


def _wait_for_stdin_eof(stop: threading.Event) -> None:
    """The parent's end of our stdin closed (it exited, or was killed). Read with os.read,
    not sys.stdin: a daemon thread blocked inside the buffered reader aborted the interpreter
    at exit (`_enter_buffered_busy`, SIGABRT)."""
    while os.read(sys.stdin.fileno(), 4096):
        pass
    stop.set()
