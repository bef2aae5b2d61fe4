"""Fan-out for many consoles: ZeroMQ's own XSUB/XPUB proxy between the backend's PUB and them.

`python -m backend.fanout_proxy --upstream tcp://BACKEND:7701 --bind tcp://*:7801`; consoles then
take updates from the proxy (`main.py --backend tcp://BACKEND:7700 --updates tcp://PROXY:7801`)
and still send requests to the backend. The proxy forwards subscriptions upstream, so it
carries only the topics its consoles want. Nothing of ours runs inside: it is `zmq.proxy`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys

import zmq


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m backend.fanout_proxy", description=__doc__)
    p.add_argument("--upstream", required=True, help="the backend's PUB endpoint")
    p.add_argument("--bind", default="tcp://*:7801", help="where consoles subscribe")
    args = p.parse_args(argv)
    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
    xsub = context.socket(zmq.XSUB)
    xsub.setsockopt(zmq.LINGER, 0)
    xsub.setsockopt(zmq.RCVHWM, 200_000)
    xsub.connect(args.upstream)
    xpub = context.socket(zmq.XPUB)
    xpub.setsockopt(zmq.LINGER, 0)
    xpub.setsockopt(zmq.SNDHWM, 100_000)
    xpub.bind(args.bind)
    print("READY " + json.dumps({"pub": xpub.getsockopt_string(zmq.LAST_ENDPOINT)}), flush=True)
    with contextlib.suppress(KeyboardInterrupt, zmq.ContextTerminated):
        zmq.proxy(xsub, xpub)
    return 0


if __name__ == "__main__":
    sys.exit(main())
