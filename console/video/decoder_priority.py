"""Decoder threads take only the CPU the GUI thread leaves.

As equal threads, 16 decoders left the GUI thread a 17th of the machine and it painted a third
of the frames decoded; in the idle class they decode what the wall can show, and skip the rest
before decoding it (docs/benchmarks.md). FFmpeg's own threads inherit the class."""

from __future__ import annotations

import contextlib
import os
import sys
import threading


def yield_to_the_gui() -> None:
    """Called by a decoder thread on itself."""
    if not sys.platform.startswith("linux"):  # elsewhere, a thread's id names no process
        return
    tid = threading.get_native_id()
    try:
        os.sched_setscheduler(tid, os.SCHED_IDLE, os.sched_param(0))
    except OSError:  # not allowed (a sandbox): the lowest niceness
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, tid, 19)
