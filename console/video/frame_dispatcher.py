"""Wakes the GUI thread once for all the frames that are waiting, however many decoders.

With a signal per frame, 24 decoders at 25 fps meant 600 wake-ups a second of the GUI thread,
each several calls into Python that wait for the GIL behind the decoder threads; painting fell
to 15 % of the frames. A decoder now only marks its mailbox as full; the first mark since the
last drain wakes the GUI thread, which takes every waiting frame in one go. Under light load that
is still one wake-up per frame, at once; under heavy load the wake-ups batch themselves."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal


class FrameDispatcher(QObject):
    _wake = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._waiting: list[object] = []
        self._woken = False
        self._handlers: dict[object, Callable[[], None]] = {}
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)
        self.wakeups = 0

    def register(self, source: object, handler: Callable[[], None]) -> None:
        """`handler` runs in the GUI thread when `source` has marked a frame as waiting."""
        self._handlers[source] = handler

    def unregister(self, source: object) -> None:
        self._handlers.pop(source, None)

    def mark(self, source: object) -> None:
        """From any thread: `source` has a frame waiting."""
        with self._lock:
            self._waiting.append(source)
            if self._woken:
                return
            self._woken = True
        self._wake.emit()

    def _drain(self) -> None:
        with self._lock:
            waiting, self._waiting, self._woken = self._waiting, [], False
        self.wakeups += 1
        for source in dict.fromkeys(waiting):  # each once, in the order they came
            handler = self._handlers.get(source)
            if handler is not None:
                handler()


@functools.cache
def shared_dispatcher() -> FrameDispatcher:
    """The GUI thread's dispatcher (made on first use, which must be in the GUI thread)."""
    return FrameDispatcher()
