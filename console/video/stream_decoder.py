"""One live stream decoded in a worker thread, newest frame in a one-slot mailbox.

PyAV rather than OpenCV (docs/benchmarks.md, "Video"): PyAV hands us the decoded YUV frame,
scaled to the tile's size before it is converted (frame_image); OpenCV converts the whole 720p
frame to BGR first (1.9-4.5x ffmpeg's decode CPU per frame). PyAV takes open and read timeouts
and FFmpeg's options per stream, and lets go of the GIL while decoding and scaling.

The thread opens, reads and closes the stream itself; the GUI thread only starts it, asks it to
stop (a flag, a bounded join) and reads the mailbox. A decoder stuck inside a native call past
every timeout is abandoned: its generation is retired, a new thread takes over, and whatever
the old one produces later is dropped. No `terminate()`, no join without a bound.

Each packet of a live stream is set against the stream's own clock (stream_clock): a tile that
falls behind says so (延迟 N 秒, never 实时) and goes on from the newest key frame (read_ahead).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import av.error
from PySide6.QtCore import QObject, Signal

from console.video.decoder_priority import runnable, yield_to_the_gui
from console.video.decoder_timing import DecoderTiming
from console.video.frame_image import FrameImages
from console.video.frame_mailbox import Frame, FrameMailbox
from console.video.packet_source import packet_source, stated_rate
from console.video.read_ahead import ReadAhead
from console.video.stream_address import address_problem, options_for
from console.video.stream_codec import light_for, open_codec
from console.video.stream_status import Backoff, StreamState, StreamStatus

log = logging.getLogger(__name__)


_stopping: weakref.WeakSet[threading.Thread] = weakref.WeakSet()
"""Decoder threads asked to stop and not yet ended (StreamDecoder.finish_stopped)."""


class StreamDecoder(QObject):
    """Signals are emitted from the worker thread; connect them queued to GUI objects."""

    frame_ready = Signal()  # the mailbox went from empty to full
    status_changed = Signal(object)  # StreamStatus

    def __init__(
        self,
        url: str,
        size: tuple[int, int] = (480, 270),
        timing: DecoderTiming | None = None,
        on_frame: Callable[[StreamDecoder], None] | None = None,
    ) -> None:
        """`on_frame`: called from the worker thread when the mailbox goes from empty to full
        (a FrameDispatcher's `mark`); by default, `frame_ready` is emitted."""
        super().__init__()
        self.url = url
        self._on_frame = on_frame
        self.timing = timing or DecoderTiming()
        self.mailbox, self.frames_decoded = FrameMailbox(), 0
        self.status = StreamStatus(StreamState.CONNECTING)
        self._target = size
        self._visible = True
        self._hidden_since = 0.0  # monotonic time the tile was hidden
        self._shown = threading.Event()  # wakes a decoder that let its stream go
        self._shown.set()
        self._stop = threading.Event()
        self._generation = 0
        self._thread: threading.Thread | None = None
        self._progress = time.monotonic()  # the thread's last sign of life
        self._last_frame = 0.0  # monotonic time of the newest frame
        self.abandoned = 0
        self.failures = 0
        """Attempts that failed since the stream was last live: the tile says 无信号."""
        self.lag = 0.0  # seconds behind live, by the stream's clock (stream_clock)
        self.ahead: ReadAhead | None = None  # the live stream's packets, the clock with them
        self.skipped = 0  # packets read and not decoded, to catch up
        self._source_fps, self._frame_period = 0.0, 0.04
        self.light = False  # decoding without deblocking (a small tile on a large picture)
        self.unconverted = 0  # decoded, not converted: the GUI had not taken a fresh one
        self._status_at = 0.0  # monotonic time the state and rate were last told
        self._codec: Any = None  # the worker thread's decoder for the current stream
        self._time_base: Any = None  # the current stream's, for its frames' timestamps

    # --- the GUI thread's side ---------------------------------------------------------------

    def start(self) -> None:
        self._stop.clear()
        self._spawn()

    def stop(self, wait: float = 0.5) -> bool:
        """Ask the thread to end and wait at most `wait` s; False if it is still inside a
        native call (it ends by itself at the next timeout, and nothing of it is shown)."""
        self._stop.set()
        self._shown.set()
        self._generation += 1
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(wait)
        if thread.is_alive():
            _stopping.add(thread)
        return not thread.is_alive()

    @staticmethod
    def finish_stopped(within: float = 1.0) -> int:
        """Before the application exits: wait up to `within` s in all for the threads asked to
        stop (one waiting out a back-off ends at once; one inside a native call may not).
        A decoder thread still running Python while the interpreter and Qt tear down can
        crash the process on its way out. Returns how many are still running."""
        deadline = time.monotonic() + within
        for thread in list(_stopping):
            thread.join(max(0.0, deadline - time.monotonic()))
        return sum(t.is_alive() for t in _stopping)

    def set_target_size(self, width: int, height: int) -> None:
        """The tile's size in pixels; the next frame is scaled to fit it."""
        self._target = (max(16, width), max(16, height))

    def set_visible(self, visible: bool) -> None:
        """A hidden tile's stream stays connected but decodes nothing: it holds the packets of
        the current GOP, and shown again it decodes them in one burst and is live at once,
        without a new connection or a wait for the next key frame."""
        if visible:
            self._shown.set()
        elif self._visible:
            self._hidden_since = time.monotonic()
            self._shown.clear()
        self._visible = visible

    def check(self) -> None:
        """The watchdog (GUI thread, about once a second): replaces a thread stuck in a native
        call (a waiting one says it is alive) or ended though nobody stopped it."""
        if self._thread is None:
            return
        if not self._thread.is_alive():
            log.warning("%s: decoder thread ended by itself, started again", self.url)
            self._generation += 1
            self._spawn()
            return
        now = time.monotonic()
        silent = now - max(self._last_frame, self._progress)
        stalled = (
            self.status.state == StreamState.LIVE
            and now - self._last_frame > self.timing.stall_after
        )
        if (stalled or silent > self.timing.abandon_after) and runnable(self._thread.native_id):
            return  # short of CPU: neither silent nor stuck; the tile says its picture's age
        if stalled:
            self._emit_status(StreamState.NO_SIGNAL, detail="no frame", generation=None)
        if silent > self.timing.abandon_after:
            log.warning("%s: decoder silent for %.0f s, replaced", self.url, silent)
            self.abandoned += 1
            self._generation += 1  # whatever the stuck thread does from now on is dropped
            self._spawn()

    # --- the worker thread ---------------------------------------------------------------------

    def _spawn(self) -> None:
        self._progress = time.monotonic()
        generation = self._generation
        self._thread = threading.Thread(
            target=self._run, args=(generation,), name=f"decoder-{self.url[-24:]}", daemon=True
        )
        self._thread.start()

    def _current(self, generation: int) -> bool:
        return generation == self._generation and not self._stop.is_set()

    def _run(self, generation: int) -> None:
        yield_to_the_gui()
        try:
            self._loop(generation)
        except RuntimeError as e:  # our QObject went away with its tile (an abandoned thread)
            log.debug("%s: decoder thread ends: %s", self.url, e)

    def _loop(self, generation: int) -> None:
        backoff = Backoff(self.timing.first_retry, self.timing.max_retry)
        self.failures = 0
        while self._current(generation):
            self._progress = time.monotonic()
            if self._hidden_too_long():
                self._emit_status(StreamState.HIDDEN, detail="let go", generation=generation)
                while not self._shown.wait(1.0):
                    self._progress = time.monotonic()  # alive, for the watchdog
                continue
            self._emit_status(StreamState.CONNECTING, generation=generation)
            state, detail = self._play(generation, backoff)
            if not self._current(generation):
                return
            if state == StreamState.HIDDEN:
                continue  # let go while hidden: wait above until shown
            self.failures += 1
            if state in (StreamState.BAD_URL, StreamState.NOT_FOUND):
                delay = self.timing.recheck_after  # asking sooner changes nothing
            elif state == StreamState.UNAUTHORISED:
                delay = self.timing.max_retry  # someone must fix the password first
            else:
                delay, state = backoff.next_delay(), StreamState.RECONNECTING
            retry_at = time.monotonic() + delay
            self._emit_status(state, detail=detail, retry_at=retry_at, generation=generation)
            if self._wait(delay):
                return

    def _wait(self, delay: float) -> bool:
        """Wait out a back-off, saying every second that the thread is alive (the watchdog
        replaces only a thread stuck in a native call); True if asked to stop."""
        until = time.monotonic() + delay
        while (left := until - time.monotonic()) > 0:
            self._progress = time.monotonic()
            if self._stop.wait(min(1.0, left)):
                return True
        return self._stop.is_set()

    def _hidden_too_long(self) -> bool:
        return (
            not self._visible
            and time.monotonic() - self._hidden_since > self.timing.release_hidden_after
        )

    def _play(self, generation: int, backoff: Backoff) -> tuple[StreamState, str]:
        """Open, decode until the stream ends or fails; returns what went wrong."""
        target, options, fmt, loop = options_for(self.url)
        if loop and not Path(target).is_file():
            return StreamState.BAD_URL, f"no such file: {target}"
        if problem := address_problem(self.url):
            return StreamState.BAD_URL, problem
        timeouts = (self.timing.open_timeout, self.timing.read_timeout)
        try:
            container = av.open(target, options=options, format=fmt, timeout=timeouts)
        except av.error.HTTPUnauthorizedError as e:
            return StreamState.UNAUTHORISED, str(e)
        except av.error.HTTPForbiddenError as e:
            return StreamState.UNAUTHORISED, str(e)
        except av.error.HTTPNotFoundError as e:  # RTSP or HTTP 404: no such channel
            return StreamState.NOT_FOUND, str(e)
        except (av.error.ProtocolNotFoundError, av.error.ArgumentError) as e:
            return StreamState.BAD_URL, str(e)  # ArgumentError: FFmpeg could not parse it
        except (av.error.FFmpegError, OSError) as e:
            return StreamState.NO_SIGNAL, str(e)
        try:
            if not container.streams.video:
                return StreamState.BAD_URL, "no video in this stream"
            return self._decode(container, generation, backoff, loop)
        except (av.error.FFmpegError, OSError, ValueError) as e:
            return StreamState.NO_SIGNAL, str(e)
        finally:
            container.close()

    def _decode(
        self, container: Any, generation: int, backoff: Backoff, loop: bool
    ) -> tuple[StreamState, str]:
        stream = container.streams.video[0]
        self.light = light_for(stream, self._target)
        self._codec = open_codec(stream, self.light)
        self._time_base = stream.time_base
        images = FrameImages()
        times: deque[float] = deque(maxlen=50)
        self._status_at = 0.0
        frame_period = float(1 / stream.average_rate) if loop and stream.average_rate else 0.0
        self._source_fps = stated_rate(container, stream)
        self._frame_period = 1 / self._source_fps if self._source_fps else 0.04
        self.lag = 0.0
        next_due = time.monotonic()
        need_key = False  # after a seek or a lost GOP, P frames wait for the next key frame
        held: list[Any] = []  # a hidden tile's packets since the decoder's last state
        while True:
            after, period = self.timing.catch_up_after, self._frame_period
            packets, ahead = packet_source(
                container, stream, loop, after, period, self._count_skipped
            )
            self.ahead = ahead
            for packet in packets:
                if not self._current(generation):
                    return StreamState.IDLE, "stopped"
                now = self._progress = time.monotonic()
                if frame_period and packet.size:  # a file plays at its own rate, as a camera
                    next_due = max(next_due + frame_period, now - 1.0)
                    if self._stop.wait(max(0.0, next_due - now)):
                        return StreamState.IDLE, "stopped"
                if ahead is not None and self._behind(packet, now, ahead, held):
                    need_key = True  # read, not decoded: what follows waits for a key frame
                    continue
                if need_key and not packet.is_keyframe and packet.size:
                    continue
                need_key = False
                self._refit_codec(stream, packet)
                if not self._visible:
                    if self._hidden_too_long():
                        return StreamState.HIDDEN, "let go while hidden"
                    need_key = self._hold(packet, held, times, generation, backoff)
                    continue
                if held:  # shown again: catch up on the held GOP, show only its newest frame
                    held.append(packet)
                    self._catch_up(held, generation, images, times, backoff)
                    continue
                # Not decoding into a full mailbox: waiting, it falls behind a wall that cannot
                # paint it all, and skips before decoding instead of after.
                self.mailbox.wait_taken(self._frame_period)
                for frame in self._codec.decode(packet):
                    self._deliver(frame, generation, images, times, backoff)
            if not loop:
                return StreamState.NO_SIGNAL, "the stream ended"
            container.seek(0)
            self._codec.flush_buffers()  # our own decoder: the seek does not reach it
            need_key, held = True, []

    def _count_skipped(self, skipped: int) -> None:
        self.skipped += skipped

    def _refit_codec(self, stream: Any, packet: Any) -> None:
        """At a key frame: a new decoder if the tile was resized across LIGHT_BELOW."""
        if packet.is_keyframe and light_for(stream, self._target) != self.light:
            self.light = not self.light
            self._codec = open_codec(stream, self.light)

    def _behind(self, packet: Any, now: float, ahead: ReadAhead, held: list[Any]) -> bool:
        """The lag by the packet's own timestamp; True: skip it to catch up (not while a
        hidden tile holds its GOP)."""
        self.lag = ahead.lag_now(now)
        if not self._visible or held or not packet.size:
            return False
        skip = ahead.catch_up(now)
        self.skipped += skip
        if skip:  # frames held back for reordering are from before the skip: not to be shown
            self._codec.flush_buffers()
        return skip > 0

    MAX_HELD = 250
    """Packets a hidden tile holds (10 s at 25 fps; cameras send a key frame every 1-4 s)."""

    def _hold(
        self, packet: Any, held: list[Any], times: deque[float], generation: int, backoff: Backoff
    ) -> bool:
        """A hidden tile keeps the packets from the newest key frame on (or from where its
        decoder stopped) to catch up in one burst when shown. True if the hold overflowed and
        the stream must wait for a key frame."""
        if packet.is_keyframe:
            held.clear()
        if packet.size:
            held.append(packet)
        now = time.monotonic()
        self._last_frame = now
        times.append(now)
        if len(times) == 1:
            backoff.reset()
        if now - self._status_at >= self.timing.status_every or self.status.state != (
            StreamState.HIDDEN
        ):
            self._status_at = now
            self._emit_status(StreamState.HIDDEN, generation=generation)
        if len(held) > self.MAX_HELD:
            held.clear()
            return True
        return False

    def _catch_up(
        self,
        held: list[Any],
        generation: int,
        images: FrameImages,
        times: deque[float],
        backoff: Backoff,
    ) -> None:
        newest = None
        for packet in held:
            for frame in self._codec.decode(packet):
                newest = frame
        held.clear()
        times.clear()  # the rate counts from now: the held packets came at the stream's pace
        if newest is not None:
            self._deliver(newest, generation, images, times, backoff)

    def _deliver(
        self,
        frame: Any,
        generation: int,
        images: FrameImages,
        times: deque[float],
        backoff: Backoff,
    ) -> None:
        """Counted, converted and posted; the state and rate told about once a second."""
        decoded_at = time.perf_counter()
        now = time.monotonic()
        self._last_frame = self._progress = now
        self.frames_decoded += 1
        times.append(now)
        if len(times) == 1:
            backoff.reset()
            self.failures = 0
        waiting = self.mailbox.waiting_since()
        if waiting is not None and decoded_at - waiting < 2 * self._frame_period:
            # The GUI has not taken the last, under two frames old: converting would only replace it
            self.mailbox.dropped += 1
            self.unconverted += 1
        else:
            image = images.image(frame, self._target)
            lag = self.lag  # the newest packet's; a frame held back for reordering is older
            stamp = None
            if frame.pts is not None and self._time_base:
                stamp = float(frame.pts * self._time_base)
                newest = self.ahead.stamp if self.ahead is not None else None
                behind = newest - stamp if newest is not None else 0.0
                if 0.0 < behind < 10.0:
                    lag += behind
            shown = Frame(image, decoded_at, self.frames_decoded, lag, self._frame_period, stamp)
            self._post(shown, generation)
        if now - self._status_at >= self.timing.status_every or self.status.state != (
            StreamState.LIVE
        ):
            self._status_at = now
            fps = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
            if self._source_fps:  # a burst of catching up is not a faster camera
                fps = min(fps, self._source_fps)
            self._emit_status(StreamState.LIVE, fps=fps, generation=generation)

    def _post(self, put: Frame, generation: int) -> None:
        if generation == self._generation and self.mailbox.put(put):
            if self._on_frame is not None:
                self._on_frame(self)
            else:
                self.frame_ready.emit()

    def _emit_status(
        self,
        state: StreamState,
        fps: float = 0.0,
        detail: str = "",
        retry_at: float | None = None,
        generation: int | None = None,
    ) -> None:
        if generation is not None and generation != self._generation:
            return
        last = time.time() - (time.monotonic() - self._last_frame) if self._last_frame else None
        lag = self.lag if state == StreamState.LIVE else 0.0
        self.status = StreamStatus(state, fps, last, retry_at, detail, self.failures, lag)
        self.status_changed.emit(self.status)


__all__ = ["DecoderTiming", "StreamDecoder"]
