"""A camera's stream tried from the backend's machine: what an administrator's "Test" shows.

Either the stream's codec, size, frame rate and a small picture of its first frame, or the
plain reason it cannot be played: unauthorised (the camera refused the user or password), no
such path (the camera or NVR has no stream there), unreachable (nothing answers at that host
and port), timed out (something answers but sends no picture in time), bad address, or not a
video stream. Each is a different thing for the administrator to fix.
"""

from __future__ import annotations

import base64
import errno
import re
import time
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import av
import cv2

from domain.camera_urls import split_credentials

THUMBNAIL_WIDTH = 320


class ProbeFailure(StrEnum):
    UNAUTHORISED = "unauthorised"
    NO_SUCH_PATH = "no_such_path"
    UNREACHABLE = "unreachable"
    TIMED_OUT = "timed_out"
    BAD_URL = "bad_url"
    NO_VIDEO = "no_video"


@dataclass(frozen=True, slots=True)
class ProbeResult:
    ok: bool
    failure: ProbeFailure | None = None
    detail: str = ""
    codec: str = ""
    width: int = 0
    height: int = 0
    fps: float = 0.0
    seconds: float = 0.0
    thumbnail: bytes = field(default=b"", repr=False)
    """JPEG, THUMBNAIL_WIDTH wide."""

    def to_wire(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "failure": self.failure.value if self.failure else None,
            "detail": self.detail,
            "codec": self.codec,
            "width": self.width,
            "height": self.height,
            "fps": round(self.fps, 2),
            "seconds": round(self.seconds, 2),
            "thumbnail": base64.b64encode(self.thumbnail).decode("ascii"),
        }


def _failure(e: Exception) -> ProbeFailure:
    if isinstance(e, av.error.HTTPUnauthorizedError | av.error.HTTPForbiddenError):
        return ProbeFailure.UNAUTHORISED
    if isinstance(e, av.error.HTTPNotFoundError):
        return ProbeFailure.NO_SUCH_PATH
    if isinstance(e, av.error.ProtocolNotFoundError):
        return ProbeFailure.BAD_URL
    code = getattr(e, "errno", None)
    if code in (errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ECONNRESET):
        return ProbeFailure.UNREACHABLE
    if code in (errno.ETIMEDOUT, errno.EAGAIN) or isinstance(e, TimeoutError):
        return ProbeFailure.TIMED_OUT
    text = str(e).lower()
    if "name or service not known" in text or "resolve" in text:
        return ProbeFailure.UNREACHABLE
    if "timed out" in text or "timeout" in text:
        return ProbeFailure.TIMED_OUT
    if "invalid data" in text:  # an answer that is not a stream (or a refused route)
        return ProbeFailure.NO_VIDEO
    return ProbeFailure.UNREACHABLE


def probe(url: str, timeout: float = 8.0) -> ProbeResult:
    """Open `url` as the wall would (RTSP over TCP), decode its first picture; never raises.
    The detail names the address without its password."""
    result = _probe(url, timeout)
    # FFmpeg's own error numbers ("[Errno 825242872]") say nothing to a person
    detail = re.sub(r"^\[Errno -?\d+\] ", "", result.detail)
    return replace(result, detail=detail.replace(url, split_credentials(url)[0]))


def _probe(url: str, timeout: float) -> ProbeResult:
    start = time.monotonic()
    options = {"rtsp_transport": "tcp"} if url.startswith(("rtsp://", "rtsps://")) else {}
    try:
        container = av.open(url, options=options, timeout=(timeout, timeout))
    except Exception as e:  # FFmpeg says why in many ways; each is sorted into a failure
        seconds = time.monotonic() - start
        # A server that accepts and then says nothing (or nothing RTSP) ends in FFmpeg's
        # "invalid data" once the timeout is up: what the administrator needs is "timed out".
        failure = ProbeFailure.TIMED_OUT if seconds >= 0.9 * timeout else _failure(e)
        return ProbeResult(False, failure, str(e), seconds=seconds)
    try:
        if not container.streams.video:
            return ProbeResult(False, ProbeFailure.NO_VIDEO, "no video in this stream")
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            height = round(frame.height * THUMBNAIL_WIDTH / max(frame.width, 1))
            small = frame.reformat(width=THUMBNAIL_WIDTH, height=height, format="bgr24")
            ok, jpeg = cv2.imencode(".jpg", small.to_ndarray(), [cv2.IMWRITE_JPEG_QUALITY, 80])
            rate = stream.average_rate or stream.guessed_rate
            return ProbeResult(
                True, codec=stream.codec_context.name, width=frame.width, height=frame.height,
                fps=float(rate) if rate else 0.0, seconds=time.monotonic() - start,
                thumbnail=jpeg.tobytes() if ok else b"",
            )  # fmt: skip
        return ProbeResult(False, ProbeFailure.TIMED_OUT, "the stream ended before a picture")
    except Exception as e:
        return ProbeResult(False, _failure(e), str(e), seconds=time.monotonic() - start)
    finally:
        container.close()
