"""Camera health from what the consoles' tiles see: online rate, and each camera offline since
when.

A camera is known only while some console shows it (the wall's tour passes every camera every
few minutes); a report older than `FORGET_AFTER` no longer counts, so a camera nobody looks at is
"not watched", never "online" on the strength of an old picture. The newest report of a camera
wins: two consoles disagreeing means one of them lost its network, and the newer one saw later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ONLINE = frozenset({"live"})
OFFLINE = frozenset({"no_signal", "reconnecting", "unauthorised", "bad_url", "not_found"})
"""Tile states (console.video.stream_status) that say something about the camera; connecting,
hidden and idle say nothing and leave the camera as it was."""
FORGET_AFTER = 300.0
MAX_CAMERAS_PER_REPORT = 1000


class CameraReportError(ValueError):
    pass


@dataclass(slots=True)
class _Seen:
    online: bool
    since: float
    """Online: since when it is seen live; offline: its last frame, or when first seen down."""
    at: float
    """When this was reported."""


class CameraHealth:
    def __init__(self, cameras: list[str]) -> None:
        self.cameras = set(cameras)
        self._seen: dict[str, _Seen] = {}

    def report(self, states: Any, now: float) -> bool:
        """A console's `{camera: {"state", "since"}}`; True if a figure changed. Unknown
        cameras and states are refused whole, so a bad report changes nothing."""
        if not isinstance(states, dict) or len(states) > MAX_CAMERAS_PER_REPORT:
            raise CameraReportError(
                f"cameras must be an object of at most {MAX_CAMERAS_PER_REPORT} cameras"
            )
        parsed: list[tuple[str, bool, float | None]] = []
        for code, entry in states.items():
            if code not in self.cameras:
                raise CameraReportError(f"unknown camera {code!r}")
            state = entry.get("state") if isinstance(entry, dict) else None
            since = entry.get("since") if isinstance(entry, dict) else None
            if state not in ONLINE | OFFLINE:
                if isinstance(state, str) and len(state) < 32:
                    continue  # says nothing of the camera
                raise CameraReportError(f"{code}: state must be a tile state")
            if since is not None and (
                not isinstance(since, int | float)
                or isinstance(since, bool)
                or not 0 <= since <= now + 60
            ):
                raise CameraReportError(f"{code}: since must be epoch seconds, not in the future")
            parsed.append((code, state in ONLINE, since))
        changed = False
        for code, online, since in parsed:
            before = self._seen.get(code)
            if before is not None and before.online == online:
                before.at = now
                continue
            start = since if since is not None and not online else now
            self._seen[code] = _Seen(online, start, now)
            changed = True
        return changed

    def figures(self, now: float) -> dict[str, Any]:
        """Total, watched (reported lately), online and its rate among the watched, and the
        cameras offline now, the longest down first."""
        watched = {c: s for c, s in self._seen.items() if now - s.at <= FORGET_AFTER}
        online = sum(s.online for s in watched.values())
        offline = sorted(
            ({"camera": c, "since": s.since} for c, s in watched.items() if not s.online),
            key=lambda e: (e["since"], e["camera"]),
        )
        return {
            "total": len(self.cameras),
            "watched": len(watched),
            "online": online,
            "online_rate": online / len(watched) if watched else None,
            "offline": offline,
        }
