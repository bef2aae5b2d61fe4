"""A camera as a tile sees it: the sub stream while the tile is small, the main stream when it
is large (and the machine keeps up: stream_choice), switched without a black gap (the old
stream is shown until the new one's first frame), as Nx Witness and Milestone do."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from console.video.frame_dispatcher import shared_dispatcher
from console.video.frame_mailbox import Frame
from console.video.stream_choice import StreamChoice, is_large
from console.video.stream_decoder import DecoderTiming, StreamDecoder
from console.video.stream_status import StreamState, StreamStatus
from domain.township import Camera

OTHER_STREAM_RETRY = 60.0
"""Seconds before a stream that could not be had (bad address, 404, refused) is asked again."""
MAIN_STREAM_GRACE = 5.0
"""Seconds a large tile waits for its main stream before it says it is on the sub stream."""

UrlOf = Callable[[Camera, bool], str]  # (camera, main stream?) -> URL


def camera_url(camera: Camera, main: bool) -> str:
    return camera.main_url if main else camera.sub_url


class CameraFeed(QObject):
    """Lives in the GUI thread; its decoders' signals arrive queued."""

    frame = Signal(object)  # Frame
    status = Signal(object)  # StreamStatus

    def __init__(
        self, camera: Camera, url_of: UrlOf = camera_url, timing: DecoderTiming | None = None
    ) -> None:
        super().__init__()
        self.camera = camera
        self.url_of = url_of
        self.timing = timing
        self.main = False
        self.choice = StreamChoice()
        self._other_after = 0.0  # the other stream failed: not asked again before this
        self._size = (480, 270)  # the tile's, for the choice of stream (a 4K wall as a 1080p)
        self._pixels = self._size  # the tile's in the screen's pixels, for the decoders
        self._visible = True
        self._decoder = self._new_decoder(main=False)
        self._next: StreamDecoder | None = None  # the other stream, until its first frame
        self._next_since = 0.0

    def start(self) -> None:
        self._decoder.start()

    def stop(self) -> None:
        for d in (self._decoder, self._next):
            if d is not None:
                self._retire(d)
        self._next = None

    @property
    def reduced(self) -> bool:
        """On the sub stream though the tile is large: the machine did not keep up."""
        return self.choice.reduced(time.monotonic()) and is_large(*self._size)

    @property
    def main_missing(self) -> bool:
        """A large tile on its sub stream because its main stream cannot be had: it failed
        (asked again in a minute), or it has not answered for a while. Someone who maximised a
        tile to read a plate must know that the picture is the small one, upscaled."""
        if not is_large(*self._size) or self.reduced:
            return False
        if self.url_of(self.camera, True) == self._decoder.url:
            return False
        now = time.monotonic()
        return now < self._other_after or (
            self._next is not None and now - self._next_since > MAIN_STREAM_GRACE
        )

    def set_size(self, width: int, height: int, ratio: float = 1.0) -> None:
        """`ratio`: the screen's device pixels per pixel of the tile."""
        self._size = (width, height)
        self._pixels = (round(width * ratio), round(height * ratio))
        for d in (self._decoder, self._next):
            if d is not None:
                d.set_target_size(*self._pixels)
        self._choose()

    def _choose(self) -> None:
        main = self.choice.main_for(*self._size, now=time.monotonic())
        wanted_url = self.url_of(self.camera, main)
        if wanted_url == self._decoder.url:
            if self._next is not None:  # resized back before the other stream's first frame
                self._retire(self._next)
                self._next, self.main = None, not self.main
        elif main != self.main:
            self.main = main
            if self._next is not None:
                self._retire(self._next)
            self._next, self._next_since = self._new_decoder(main), time.monotonic()
            self._next.start()

    def set_visible(self, visible: bool) -> None:
        self._visible = visible
        for d in (self._decoder, self._next):
            if d is not None:
                d.set_visible(visible)

    def check(self) -> None:
        """Once a second (the wall's watchdog): the decoders, and whether the main stream
        keeps up (else the sub stream for a while) or may be tried again."""
        for d in (self._decoder, self._next):
            if d is not None:
                d.check()
        now = time.monotonic()
        dropped = self.choice.observe(self._decoder.skipped, self.main and self._next is None, now)
        wanted = self.choice.main_for(*self._size, now=now)
        if dropped or (
            wanted != self.main
            and self.url_of(self.camera, wanted) != self._decoder.url
            and now >= self._other_after
        ):
            self._choose()
            self.status.emit(self._decoder.status)  # the tile says why (or no longer)

    @property
    def decoder(self) -> StreamDecoder:
        return self._decoder

    def _new_decoder(self, main: bool) -> StreamDecoder:
        dispatcher = shared_dispatcher()
        url = self.url_of(self.camera, main)
        decoder = StreamDecoder(url, self._pixels, self.timing, on_frame=dispatcher.mark)
        decoder.set_visible(self._visible)
        dispatcher.register(decoder, lambda: self._on_frame_ready(decoder))
        # Queued, to a method of ours: the slot runs in the GUI thread, whatever thread emits.
        decoder.status_changed.connect(self._on_status, Qt.ConnectionType.QueuedConnection)
        return decoder

    def _retire(self, decoder: StreamDecoder) -> None:
        shared_dispatcher().unregister(decoder)
        decoder.status_changed.disconnect()
        # No join at all: a tour step changes nine tiles at once, and a decoder waiting for its
        # stream's next packet would hold the GUI thread each time. Its generation is retired,
        # so nothing it still produces is shown, and it ends at its next packet or timeout.
        decoder.stop(wait=0.0)

    def _on_frame_ready(self, decoder: StreamDecoder) -> None:
        frame = decoder.mailbox.take()
        if frame is None:
            return
        if decoder is self._next:  # the new stream is up: the old one goes now, not before
            old, self._decoder, self._next = self._decoder, decoder, None
            self._retire(old)
            self.status.emit(decoder.status)
        if decoder is self._decoder:
            self.frame.emit(frame)

    @Slot(object)
    def _on_status(self, status: StreamStatus) -> None:
        decoder = self.sender()
        if decoder is self._decoder:
            self.status.emit(status)
        elif decoder is self._next and status.state in (
            StreamState.BAD_URL,
            StreamState.NOT_FOUND,
            StreamState.UNAUTHORISED,
        ):
            self._retire(self._next)  # the other stream cannot be had: keep this one
            self._next = None
            self.main = not self.main  # what is shown; the other is asked again in a minute
            self._other_after = time.monotonic() + OTHER_STREAM_RETRY


__all__ = ["CameraFeed", "Frame", "UrlOf", "camera_url"]
