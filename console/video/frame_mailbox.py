"""A one-slot mailbox: the decoder puts, the GUI takes, the newest frame wins.

A slow GUI never builds a backlog and a frame's age never grows: a frame not yet taken is
replaced by the next one (and counted as dropped)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtGui import QImage

from console.video.yuv_picture import YuvPicture


@dataclass(frozen=True, slots=True)
class Frame:
    image: QImage | YuvPicture  # owns its pixels
    decoded_at: float  # time.perf_counter() when the decoder returned it
    number: int  # frames decoded by this stream so far
    lag: float = 0.0  # seconds behind live when decoded, by the stream's clock
    period: float = 0.04  # the stream's time between frames (a 1 fps camera's is 1 s)
    stamp: float | None = None  # its own timestamp, by the stream's clock (s)


class FrameMailbox:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._taken = threading.Condition(self._lock)
        self._frame: Frame | None = None
        self.dropped = 0

    def put(self, frame: Frame) -> bool:
        """True if the slot was empty (the GUI must be told); False if a frame was replaced
        (the GUI has been told already and will take this one)."""
        with self._lock:
            was_empty = self._frame is None
            if not was_empty:
                self.dropped += 1
            self._frame = frame
            return was_empty

    def waiting_since(self) -> float | None:
        """When the frame not yet taken was decoded (perf_counter); None if the slot is empty."""
        frame = self._frame
        return None if frame is None else frame.decoded_at

    def take(self) -> Frame | None:
        with self._lock:
            frame, self._frame = self._frame, None
            self._taken.notify_all()
            return frame

    def wait_taken(self, timeout: float) -> bool:
        """Until the GUI has taken the frame waiting, at most `timeout` s; True if it has."""
        with self._lock:
            return self._taken.wait_for(lambda: self._frame is None, timeout)
