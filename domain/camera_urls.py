"""A camera's address with and without its credentials.

Townships write cameras' addresses as their NVRs take them: `rtsp://admin:密码@192.168.1.64/…`.
The backend keeps them whole; consoles get the addresses without the user and password, and the
credentials only by asking (`camera.credentials.request`: roles that watch video, audited), so
that a password is not in every console's township (docs/security.md).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

_RESERVED = {c: f"%{ord(c):02X}" for c in "%@:/?#[] "}


def _escape(text: str) -> str:
    """Only what would break the address: a password as the NVR took it stays as it was."""
    return "".join(_RESERVED.get(c, c) for c in text)


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """(the address without user and password, user, password); None where there are none."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url, None, None
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    bare = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    user = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    return bare, user, password


def with_credentials(url: str, user: str | None, password: str | None) -> str:
    """`url` (without credentials) with these put back, escaped as a URL needs them."""
    if not user and not password:
        return url
    parts = urlsplit(url)
    userinfo = _escape(user or "")
    if password is not None:
        userinfo += ":" + _escape(password)
    return urlunsplit((parts.scheme, f"{userinfo}@{parts.netloc}", parts.path, parts.query,
                       parts.fragment))  # fmt: skip


STREAM_SCHEMES = {"rtsp", "rtsps", "rtmp", "http", "https", "file"}
_IN_PASSWORD = {c: f"%{ord(c):02X}" for c in "@/?#[] "}
"""What an NVR's password may hold that an address cannot carry as it is (not `%`: a password
already written `%23` stays as written)."""


def as_written_by_an_nvr(url: str) -> str:
    """The address with its user and password escaped where they need it, as an NVR's own
    screen takes them: `rtsp://admin:Xk#2024@192.168.1.64/…` (Hikvision and Dahua passwords
    often hold `#`, which a URL reads as the start of a fragment). The user and password are
    everything between `://` and the last `@`; an address without one is returned as it is."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    userinfo, host = rest.rsplit("@", 1)
    hostname = re.split(r"[:/?#]", host, maxsplit=1)[0]
    if not (hostname.startswith("[") or "." in hostname or hostname == "localhost"):
        return url  # an @ in the path (rtsp://10.0.0.1/live@main), not a password
    if not any(c in userinfo for c in _IN_PASSWORD):
        return url
    user, colon, password = userinfo.partition(":")
    escaped = "".join(_IN_PASSWORD.get(c, c) for c in user)
    if colon:
        escaped += ":" + "".join(_IN_PASSWORD.get(c, c) for c in password)
    return f"{scheme}://{escaped}@{host}"


def address_problem(url: str) -> tuple[str, str] | None:
    """Why a camera's address cannot be opened as written, in Chinese and English; or None."""
    if any(c.isspace() for c in url):
        return "地址中有空格", "the address contains spaces"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError:  # its words may hold part of the password: not repeated
        return (
            "地址无法解析(端口须是数字;用户名或密码中的 @ / ? # 写作 %40 %2F %3F %23)",
            "the address does not parse (a port must be a number; an @ / ? # in the user or "
            "password is written %40 %2F %3F %23)",
        )
    if parts.scheme.lower() not in STREAM_SCHEMES:
        return (
            f"不支持的协议“{parts.scheme}”(rtsp、rtsps、rtmp、http、https、file)",
            f"unsupported scheme {parts.scheme!r} (rtsp, rtsps, rtmp, http, https, file)",
        )
    if parts.scheme.lower() != "file" and not parts.hostname:
        return "地址缺少主机", "the address has no host"
    return None
