"""`python -m gateway`: the HTTP gateway, on the one configuration (docs/operations.md) or
its options. Its own login to the backend is `gateway_login` (default `gateway`) with the
password in COMMANDROOM_GATEWAY_PASSWORD; its CurveZMQ key pair is `gateway.key_secret` in
the keys folder, beside the backend's `server.key`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sys
import threading
from pathlib import Path

import uvicorn

from client.curve import ClientKeys, KeyFileError
from client.settings import ConfigError, path_setting, setting
from gateway.app import make_app
from gateway.backend_port import BackendPort, GatewayIdentity
from gateway.limits import RateLimit
from gateway.state import SYSTEM_RATE, Gateway

DEMO_PASSWORD = "demo"


def _listen(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ConfigError(f"listen {text!r}: HOST:PORT, e.g. 127.0.0.1:8380")
    return host.strip("[]"), int(port)


def _listening(listen: str) -> socket.socket:
    host, port = _listen(listen)
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # answers whole at once (Linux gives accepted sockets the listener's TCP_NODELAY): without
    # it a kept-alive connection's every answer waited on the client's delayed ACK, 40 ms
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        raise ConfigError(f"cannot listen on {listen}: {e.strerror or e}") from None
    sock.listen(128)
    return sock


def api_keys(path: Path | None) -> dict[str, str]:
    """An Open311 key per line: `KEY CHANNEL NAME` (resident_app, hotline or enforcement)."""
    if path is None:
        return {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise ConfigError(f"gateway_api_keys {path}: {e.strerror or e}") from None
    if path.stat().st_mode & 0o077:
        raise ConfigError(f"{path} can be read by others; chmod 600 it")
    keys = {}
    for n, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, rest = line.strip().partition(" ")
        channel = rest.split(" ", 1)[0]
        if len(key) < 24 or channel not in ("resident_app", "hotline", "enforcement"):
            raise ConfigError(f"{path}:{n}: KEY (24 characters or more) CHANNEL NAME")
        keys[key] = rest.strip()
    return keys


def system_rate(text: str | None) -> RateLimit:
    """A system sign-in's limit: `text` requests a second, twice that (and one) at once."""
    try:
        rate = float(text or SYSTEM_RATE)
    except ValueError:
        rate = 0.0
    if not 0 < rate < 1e6:
        raise ConfigError(f"gateway_system_rate {text!r}: requests a second, e.g. {SYSTEM_RATE}")
    return RateLimit(rate, max(1.0, 2 * rate))


def _until_stdin_closes(server: uvicorn.Server) -> None:
    while sys.stdin.buffer.read(1024):
        pass
    server.should_exit = True


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m gateway", description=__doc__)
    p.add_argument("--backend", default=setting("router") or "tcp://127.0.0.1:5555",
                   help="the backend's ROUTER (setting router)")  # fmt: skip
    p.add_argument("--listen", default=setting("gateway_listen") or "127.0.0.1:8380",
                   help="HOST:PORT to serve HTTP on (setting gateway_listen)")  # fmt: skip
    p.add_argument("--keys", type=Path, default=path_setting("keys"),
                   help="the keys folder (gateway.key_secret, server.key)")  # fmt: skip
    p.add_argument("--plain", action="store_true", help="no CurveZMQ (a backend with --plain)")
    p.add_argument(
        "--demo",
        action="store_true",
        help="the demo's gateway password (make run: a backend with --demo-users)",
    )
    p.add_argument("--log-level", default=setting("log_level") or "INFO")
    p.add_argument("--exit-with-parent", action="store_true",
                   help="exit when standard input closes (make run's embedded one)")  # fmt: skip
    args = p.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # fmt: skip
    # a line a request: what the format does not print is not gathered (the logging HOWTO's
    # "Optimization"; a tenth of the gateway's time a report before)
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    password = os.environ.get("COMMANDROOM_GATEWAY_PASSWORD") or (
        DEMO_PASSWORD if args.demo else ""
    )
    if not password:
        raise ConfigError("COMMANDROOM_GATEWAY_PASSWORD is not set (the gateway's own login)")
    keys = None
    if not args.plain:
        if args.keys is None:
            raise ConfigError("no keys folder (setting keys or --keys), and not --plain")
        try:
            keys = ClientKeys.load(args.keys / "gateway.key_secret", args.keys / "server.key")
        except KeyFileError as e:
            raise ConfigError(f"the gateway's keys: {e}") from None
    identity = GatewayIdentity(setting("gateway_login") or "gateway", password)
    backend = BackendPort(args.backend, identity, keys)
    gateway = Gateway(
        backend,
        per_system=system_rate(setting("gateway_system_rate")),
        api_keys=api_keys(path_setting("gateway_api_keys")),
    )
    proxies = setting("gateway_proxies") or "127.0.0.1"
    config = uvicorn.Config(make_app(gateway), proxy_headers=True, forwarded_allow_ips=proxies,
                            log_level="warning", access_log=False, server_header=False,
                            timeout_graceful_shutdown=3)  # event streams: cut  # fmt: skip
    sock = _listening(args.listen)
    bound = sock.getsockname()
    print("READY " + json.dumps({"listen": f"{bound[0]}:{bound[1]}"}), flush=True)
    server = uvicorn.Server(config)

    def stop(_sig: int, _frame: object) -> None:
        server.should_exit = True

    # uvicorn raises a signal it stopped for again once it has stopped (the previous handler's
    # turn): this one, so that a stop by systemd's SIGTERM or a Ctrl-C exits 0, as the
    # backend's does, not killed by the signal
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)
    if args.exit_with_parent:
        threading.Thread(target=_until_stdin_closes, args=(server,), daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        backend.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
