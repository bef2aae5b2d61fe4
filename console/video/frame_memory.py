"""Frame-sized buffers kept by the heap instead of mapped afresh for every frame.

glibc serves an allocation above its mmap threshold with a new mapping and unmaps it on free,
so every converted frame and its QImage (8 MB each at 1080p) were page-faulted in and zeroed by
the kernel again: 13-15 ms of a 1080p frame's conversion, 3 ms once the heap keeps them, and a
third of a 480×270 tile's (docs/benchmarks.md)."""

from __future__ import annotations

import ctypes
import functools
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_ABOVE = 32 * 1024 * 1024
"""glibc's largest mmap threshold on 64-bit: bigger than any frame a camera sends."""
TRIM_ABOVE = 256 * 1024 * 1024
"""Free memory at the heap's top kept up to this much (a wall's frames in flight)."""


@functools.cache
def keep_frame_buffers() -> bool:
    """Once per process, before the first frame; False where the C library is not glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):  # musl and others: as is
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_ABOVE) and mallopt(M_TRIM_THRESHOLD, TRIM_ABOVE))
