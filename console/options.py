"""The console's command-line options (`main.py --help`): one place, read by console.app."""

from __future__ import annotations

import argparse
from pathlib import Path

from console.wall_layout import MAIN_PANELS


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="main.py", description="乡镇综合信息指挥室控制台")
    p.add_argument(
        "--mode",
        choices=["wall", "desk"],
        default="desk",
        help="wall: full-screen, read-only big screen; desk: supervisor workstation",
    )
    p.add_argument(
        "--backend",
        metavar="tcp://HOST:PORT",
        help="connect to a running backend instead of starting an embedded one",
    )
    p.add_argument(
        "--key",
        type=Path,
        metavar="NAME.key_secret",
        help="this console's CurveZMQ key pair (python -m backend keys new NAME); with "
        "--server-key, the link is encrypted and the backend must have enrolled it",
    )
    p.add_argument(
        "--server-key",
        type=Path,
        metavar="server.key",
        help="the backend's public key (its keys/server.key)",
    )
    p.add_argument(
        "--updates",
        metavar="tcp://HOST:PORT",
        help="take live updates from a fan-out proxy (backend.fanout_proxy)",
    )
    p.add_argument("--db", help="database URL for the embedded backend")
    p.add_argument(
        "--township",
        metavar="DIR",
        help="the embedded backend runs on the township in DIR (docs/onboarding.md)",
    )
    p.add_argument("--no-demo", action="store_true", help="embedded backend without demo reports")
    p.add_argument(
        "--demo-rate", type=float, help="a flat N demo reports a minute, not the township's day"
    )
    p.add_argument(
        "--demo-days",
        type=float,
        help="days of demo traffic replayed into an empty store first (default: a week)",
    )
    p.add_argument("--lang", choices=["zh_CN", "en"], default="zh_CN")
    p.add_argument(
        "--user",
        help="log in as this user: with the password in $CONSOLE_PASSWORD, or on the "
        "embedded demo backend (whose users' password is 'demo'); else the login asks",
    )
    p.add_argument(
        "--rotate",
        type=float,
        metavar="SECONDS",
        help="seconds per page of the indicator charts (wall default 20; 0 keeps one page)",
    )
    p.add_argument(
        "--page",
        type=int,
        default=0,
        help="the indicator page shown first: 0 live, 1 today, 2 accountability, 3 trend",
    )
    p.add_argument(
        "--dock",
        choices=["case", "map", "evaluation", "administration"],
        help="desk: the dock shown in front at start (the case, the township map, the "
        "evaluation view, or an administrator's users and keys)",
    )
    p.add_argument(
        "--map-tiles",
        metavar="FILE.mbtiles|URL",
        help="a base map under the township map: an offline tile package (MBTiles), or a tile "
        "server on the township's network, http://host/tiles/{z}/{x}/{y}.png, its tiles kept in "
        "--map-tiles-cache (docs/map.md)",
    )
    p.add_argument(
        "--map-tiles-cache",
        type=Path,
        metavar="DIR",
        help="where a tile server's tiles are kept (default: the user's cache folder)",
    )
    p.add_argument(
        "--map-tiles-crs",
        metavar="SYSTEM",
        help="the package's coordinate system when its metadata does not say: WGS-84, "
        "CGCS2000 or GCJ-02 (高德/腾讯 tiles)",
    )
    p.add_argument(
        "--screens",
        metavar="ROLE,…",
        help="what each further screen of a wall shows: dashboard, video or map (一张图), e.g. "
        "map,dashboard,video (default: config.json's wall_screens)",
    )
    p.add_argument(
        "--gateway",
        default="127.0.0.1:8380",
        metavar="HOST:PORT",
        help="with the embedded backend: the HTTP gateway for phones and its phone page, "
        "through which the demo's field reports come (docs/gateway.md); none: no gateway",
    )
    p.add_argument(
        "--wall-main",
        choices=MAIN_PANELS,
        help="the wall's main panel, top left: video (the video wall) or map (一张图, the video "
        "wall 2×2 beside the queue) (default: config.json's wall_main)",
    )
    p.add_argument(
        "--scale",
        default="auto",
        help="size of type and tiles: auto (by the screen: 2 on a 2160-line screen) or a "
        "number, e.g. 1.5; QT_SCALE_FACTOR, if set, wins",
    )
    p.add_argument("--sound", action="store_true", help="beep when an urgent case comes in")
    p.add_argument(
        "--demo-video",
        action="store_true",
        help="play the demo clips on the cameras even with --backend (the default with the "
        "embedded demo backend)",
    )
    p.add_argument(
        "--screenshot",
        metavar="PNG",
        help="save a screenshot of the window --screenshot-delay s after it first shows live "
        "data, and quit",
    )
    p.add_argument("--screenshot-delay", type=float, default=8.0)
    p.add_argument(
        "--exit-when-live",
        action="store_true",
        help="print WINDOW_SHOWN and LIVE as they happen, then quit (start-up checks)",
    )
    return p.parse_args(argv)
