"""Fan-out for many consoles: an XSUB/XPUB proxy between the backend's PUB and them.

`python -m backend.fanout_proxy --upstream tcp://BACKEND:7701 --bind tcp://*:7801 --keys DIR`;
consoles then take updates from the proxy (`main.py --backend tcp://BACKEND:7700 --updates
tcp://PROXY:7801`) and still send requests to the backend. Subscriptions go upstream, so the
proxy carries only the topics its consoles want.

With `--keys` (the backend's key folder, shared or a synced copy) both sides speak CurveZMQ
(docs/security.md): downstream the proxy shakes hands with the backend's own key pair and lets
in the consoles enrolled there, so a console needs no other key; upstream it is a client of its
own, `fanout-proxy`, enrolled in that folder on first start. A key revoked in the folder is
refused within a second: the proxy binds its side again, as the backend does, and every console
shakes hands anew. Without `--keys` it is plain text, which it logs as a warning.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import signal
import sys
import threading
from pathlib import Path

import zmq

from backend.authenticator import EnrolledAuthenticator, bind_publisher
from backend.keyring import KeyRing

log = logging.getLogger("backend.fanout_proxy")
PROXY_KEY = "fanout-proxy"


class FanoutProxy:
    def __init__(self, upstream: str, bind: str, keyring: KeyRing | None = None) -> None:
        self.context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
        self.keyring = keyring
        self._authenticator: EnrolledAuthenticator | None = None
        self._names: frozenset[str] = frozenset()
        if keyring is not None:
            self._authenticator = EnrolledAuthenticator(self.context, keyring)
            self._authenticator.start()
            self._names = keyring.names()
        self.xsub = self.context.socket(zmq.XSUB)
        self.xsub.setsockopt(zmq.LINGER, 0)
        self.xsub.setsockopt(zmq.RCVHWM, 200_000)
        if keyring is not None:
            keyring.own_client(PROXY_KEY).apply(self.xsub)
        else:
            log.warning("PLAIN TEXT: consoles behind %s read updates unencrypted", bind)
        self.xsub.connect(upstream)
        self.xpub = self._bind(bind)
        self.endpoint = self.xpub.getsockopt_string(zmq.LAST_ENDPOINT)
        self._control = f"inproc://fanout-control-{id(self)}"

    def _bind(self, endpoint: str) -> zmq.Socket[bytes]:
        return bind_publisher(self.context, zmq.XPUB, endpoint, self.keyring, 100_000)

    def serve(self, stop: threading.Event) -> None:
        """Forward until `stop` is set. libzmq's own steerable proxy does the forwarding (our
        Python loop managed half its rate, bench/fanout_proxy.py); a watcher thread stops it
        when a key is revoked, and it is started again on a freshly bound XPUB."""
        control = self.context.socket(zmq.PAIR)
        control.bind(self._control)
        watcher = threading.Thread(target=self._watch, args=(stop,), daemon=True)
        watcher.start()
        try:
            while not stop.is_set():
                zmq.proxy_steerable(self.xsub, self.xpub, None, control)
                if not stop.is_set():  # a revocation: every console shakes hands anew
                    self.xpub.close(linger=0)
                    self.xpub = self._bind(self.endpoint)
        finally:
            watcher.join(2)
            control.close(linger=0)

    def _watch(self, stop: threading.Event) -> None:
        """Once a second, the key folder; TERMINATE the proxy for a revocation or the stop."""
        control = self.context.socket(zmq.PAIR)
        control.connect(self._control)
        try:
            while not stop.wait(1.0):
                if self._revoked():
                    control.send(b"TERMINATE")
            control.send(b"TERMINATE")
        finally:
            control.close(linger=0)

    def _revoked(self) -> bool:
        """A key revoked since the last look (XPUB cannot drop one subscriber: all go)."""
        if self.keyring is None:
            return False
        names = self.keyring.names()
        revoked, self._names = self._names - names, names
        if revoked:
            log.warning("revoked %s: consoles shake hands again", ", ".join(sorted(revoked)))
        return bool(revoked)

    def close(self) -> None:
        if self._authenticator is not None:
            self._authenticator.stop()
        self.xsub.close(linger=0)
        self.xpub.close(linger=0)
        self.context.term()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m backend.fanout_proxy", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--upstream", required=True, help="the backend's PUB endpoint")
    p.add_argument("--bind", default="tcp://*:7801", help="where consoles subscribe")
    p.add_argument("--keys", type=Path, help="the backend's key folder (CurveZMQ both ways)")
    args = p.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )  # fmt: skip
    keyring = None
    if args.keys is not None:
        keyring = KeyRing(args.keys)
        if not keyring.server_public_file.exists():
            raise SystemExit(
                f"no backend key pair in {args.keys}: run `python -m backend keys init`"
            )
    proxy = FanoutProxy(args.upstream, args.bind, keyring)
    ready = {"pub": proxy.endpoint, "secure": keyring is not None}
    print("READY " + json.dumps(ready), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _n, _f: stop.set())
    try:
        with contextlib.suppress(KeyboardInterrupt):
            proxy.serve(stop)
    finally:
        proxy.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
