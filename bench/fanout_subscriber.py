"""A subscriber process for bench/backend.py fanout: counts N updates, prints when it got the last.

Run by the benchmark: fanout_subscriber.py ENDPOINT N [TOPIC] (TOPIC: a login's stream and type,
`s/<stream>/incident.`; `incident.` by default, for a bare PUB)
"""

from __future__ import annotations

import sys
import time

import zmq


def main() -> None:
    endpoint, expected = sys.argv[1], int(sys.argv[2])
    topic = sys.argv[3].encode() if len(sys.argv) > 3 else b"incident."
    sub: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.SUB)
    sub.setsockopt(zmq.RCVHWM, 0)
    sub.connect(endpoint)
    sub.setsockopt(zmq.SUBSCRIBE, topic)
    print("READY", flush=True)
    got = 0
    while got < expected and sub.poll(10_000):
        sub.recv_multipart()
        got += 1
    print(f"{got} {time.time()!r}", flush=True)


if __name__ == "__main__":
    main()
