"""Decoder threads leave the CPU to the GUI thread first.

As equal threads, 16 decoders left the GUI thread a 17th of the machine and it painted a third
of the frames decoded. Niced by 10 (a tenth of the GUI thread's weight each) it paints what they
decode; in Linux's idle class it did too, but with both cores taken by other programs the wall
then got nothing at all (1 frame a second of 225 against 80 niced; docs/benchmarks.md). FFmpeg's
own threads inherit the niceness."""

from __future__ import annotations

import contextlib
import os
import sys
import threading

DECODER_NICENESS = 10


def yield_to_the_gui() -> None:
    """Called by a decoder thread on itself."""
    if not sys.platform.startswith("linux"):  # elsewhere, a thread's id names no process
        return
    tid = threading.get_native_id()
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, tid, DECODER_NICENESS)


def runnable(native_id: int | None) -> bool:
    """Whether a thread is running or waiting only for a CPU (not for the network, a lock or
    a timer): a decoder that sends nothing for seconds while runnable is short of CPU, not
    looking at a silent camera, and not stuck in a native call either."""
    if native_id is None:
        return False
    try:
        with open(f"/proc/self/task/{native_id}/stat", "rb") as f:
            stat = f.read()
    except OSError:  # not Linux, or the thread has ended
        return False
    return stat[stat.rfind(b")") + 2 : stat.rfind(b")") + 3] == b"R"


def run_queue_seconds() -> float:
    """(Called by a thread on itself.) How long it has waited, runnable, for a CPU so far;
    0 where the kernel does not say."""
    try:
        with open("/proc/thread-self/schedstat", "rb") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0
