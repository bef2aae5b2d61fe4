"""How long a decoder waits for what, and how often it tries again: one set per wall (tests and
benches pass shorter ones)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DecoderTiming:
    open_timeout: float = 5.0
    read_timeout: float = 3.0
    """FFmpeg gives up a blocking read after this long (PyAV's interrupt callback)."""
    stall_after: float = 3.0
    """No frame for this long: the tile says "no signal" (the watchdog)."""
    abandon_after: float = 12.0
    """No frame and no word from the thread for this long: it is stuck in a native call."""
    first_retry: float = 1.0
    max_retry: float = 30.0
    catch_up_after: float = 0.3
    """Behind live by more than this (by the stream's clock), the decoder goes on from the
    newest key frame the camera has sent, if one has come (read_ahead)."""
    recheck_after: float = 60.0
    """A bad address or a channel the server does not have is tried again this often, in case
    the camera is reconfigured; nothing sooner will change it."""
    release_hidden_after: float = 20.0
    """A tile hidden this long lets its stream go (shown again, it reconnects); before that it
    holds the current GOP and comes back live at once, as after a quick maximise."""
    status_every: float = 1.0
