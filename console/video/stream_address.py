"""A camera's address as FFmpeg is to be given it, and what is wrong with one before we try:
a malformed address is named for what it is (地址无效) instead of being retried as if the camera
were only down. Plain Python, no Qt."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

NETWORK_SCHEMES = ("rtsp", "rtsps", "http", "https")


def options_for(url: str) -> tuple[str, dict[str, str], str | None, bool]:
    """What to hand av.open: (target, options, format, loop at the end)."""
    if url.startswith("rtsp://") or url.startswith("rtsps://"):
        # TCP: no lost packets smearing the picture behind a NAT or a busy switch. Tiny probe:
        # FFmpeg's default probing cost ~1.1 s before the first frame, this ~0.12 s. Not
        # `fflags=nobuffer` nor `flags=low_delay`: with them the first frame took 1.1 s again.
        options = {"rtsp_transport": "tcp", "probesize": "32", "analyzeduration": "0"}
        return url, options, None, False
    if url.startswith(("http://", "https://")):
        return url, {}, None, False
    if url.startswith("/dev/video"):
        return url, {}, "v4l2", False
    path = url.removeprefix("file://")
    return path, {}, None, True  # a local file: a demo or a recording, played in a loop


def address_problem(url: str) -> str | None:
    """What makes a network address unusable as written (None: nothing we can see). Files
    and devices are left to the decoder."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in NETWORK_SCHEMES:
        return None
    # Only the host and port are ours to judge, after the last '@' as FFmpeg splits it: a
    # camera's password may hold '[', ']' or a space and FFmpeg still opens the stream.
    authority = re.split(r"[/?#]", url.split("://", 1)[1], maxsplit=1)[0]
    host_port = authority.rsplit("@", 1)[-1]
    try:
        parts = urlsplit(f"{scheme}://{host_port}/")
        port = parts.port  # raises for a port that is not a number or out of range
    except ValueError as e:
        return f"malformed address: {e}"
    if not parts.hostname:
        return "no host in the address"
    if port == 0:
        return "port 0 is not a port"
    if any(c.isspace() for c in host_port):
        return "a space in the host"
    return None
