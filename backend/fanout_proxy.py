"""Fan-out for many consoles: an XSUB/XPUB proxy between the backend's PUB and them.

`python -m backend.fanout_proxy --upstream tcp://BACKEND:7701 --bind tcp://*:7801 --keys DIR`;
consoles then take updates from the proxy (`main.py --backend tcp://BACKEND:7700 --updates
tcp://PROXY:7801`) and still send requests to the backend. Subscriptions go upstream, so the
proxy carries only the streams its consoles' logins want; a subscription that does not name
one whole stream is refused here as it is at the backend.

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
from backend.throttled_log import ThrottledLog
from client.settings import path_setting
from domain.wire import stream_of_subscription

log = logging.getLogger("backend.fanout_proxy")
PROXY_KEY = "fanout-proxy"
DRAIN = 10_000
"""Updates forwarded per turn at most, so that subscriptions are not kept waiting."""


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
        self._held: dict[bytes, int] = {}
        """Consoles subscribed per stream topic, to forward the first subscription and the last
        unsubscription upstream."""
        self._refused = ThrottledLog(log, 5.0)

    def _bind(self, endpoint: str) -> zmq.Socket[bytes]:
        return bind_publisher(self.context, zmq.XPUB, endpoint, self.keyring, 100_000, manual=True)

    def serve(self, stop: threading.Event) -> None:
        """Forward until `stop` is set; a watcher thread stops the forwarding when a key is
        revoked, and it starts again on a freshly bound XPUB."""
        control = self.context.socket(zmq.PAIR)
        control.bind(self._control)
        watcher = threading.Thread(target=self._watch, args=(stop,), daemon=True)
        watcher.start()
        try:
            while not stop.is_set():
                self._forward(control)
                if not stop.is_set():  # a revocation: every console shakes hands anew
                    self.xpub.close(linger=0)
                    self.xpub = self._bind(self.endpoint)
        finally:
            watcher.join(2)
            control.close(linger=0)

    def _forward(self, control: zmq.Socket[bytes]) -> None:
        """Updates down as they come, in drains; subscriptions up, only those that name one
        whole login's stream (the XPUB is manual: any other never takes effect here, so no
        console gets its neighbours' streams by subscribing to less). The backend checks the
        stream is a login's; which console holds it, only the backend's own XPUB can tell."""
        poller = zmq.Poller()
        for socket in (self.xsub, self.xpub, control):
            poller.register(socket, zmq.POLLIN)
        while True:
            events = dict(poller.poll(1000))
            if events.get(control):
                control.recv()
                return
            if events.get(self.xpub):
                self._subscriptions()
            if events.get(self.xsub):
                for _ in range(DRAIN):
                    try:
                        frames = self.xsub.recv_multipart(zmq.NOBLOCK, copy=False)
                    except zmq.Again:
                        break
                    self.xpub.send_multipart(frames, copy=False)

    def _subscriptions(self) -> None:
        while True:
            try:
                data = self.xpub.recv(zmq.NOBLOCK)
            except zmq.Again:
                return
            if not data or data[0] not in (0, 1) or stream_of_subscription(data[1:]) is None:
                self._refused.warning("a subscription that is not one login's stream refused")
                continue
            topic, wanted = data[1:], data[0] == 1
            self.xpub.setsockopt(zmq.SUBSCRIBE if wanted else zmq.UNSUBSCRIBE, topic)
            held = self._held.get(topic, 0) + (1 if wanted else -1)
            if (held == 1 and wanted) or (held == 0 and not wanted):
                self.xsub.send(data)  # upstream: the first console to want it, the last to go
            if held > 0:
                self._held[topic] = held
            else:
                self._held.pop(topic, None)

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
    args.keys = args.keys or path_setting("keys")
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
