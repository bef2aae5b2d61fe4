"""`python -m backend cameras list|test|set|remove`: the township's cameras from the command line.

list                      every active camera: code, name, village, group, phase, address
                          (without its password)
test URL|CODE             open the stream from this machine: codec, size, rate, or why not
set CODE --name … --lat … --lon … --main URL [--sub URL] [--village V] [--group G]
          [--phase N] [--kind K] [--coverage-km KM] [--direction DEG|东南]
                          add or change a camera (a new township version)
remove CODE               take a camera off (kept, retired, for history)

A running backend on the same store takes a change in within a second, audits it and sends
the new township to every console (docs/onboarding.md). The desk's 摄像头管理 does the same.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from backend.cameras.probe import probe
from backend.cli.operator import recorded
from backend.paths import existing_store_url
from backend.store import Store
from domain.camera_urls import address_problem, as_written_by_an_nvr, split_credentials
from domain.map_geometry import bearing_of
from domain.township import Camera


def _bearing(text: str) -> float:
    found = bearing_of(text)
    if found is None:
        raise argparse.ArgumentTypeError(f"{text!r}: degrees from north, or 东南 / SE")
    return found


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m backend cameras", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    where = argparse.ArgumentParser(add_help=False)  # before or after the command, both; a
    # command's own only when given there (SUPPRESS: no default to overwrite the other's)
    where.add_argument("--db", default=argparse.SUPPRESS, help="SQLAlchemy URL")
    where.add_argument("--township", type=Path, default=argparse.SUPPRESS,
                       help="the township's directory (its own store)")  # fmt: skip
    p.add_argument("--db", help="SQLAlchemy URL (default: the backend's)")
    p.add_argument("--township", type=Path, help="the township's directory (its own store)")
    sub = p.add_subparsers(dest="what", required=True)
    sub.add_parser("list", parents=[where])
    test = sub.add_parser("test", parents=[where])
    test.add_argument("target", help="an address, or a camera's code")
    one = sub.add_parser("set", parents=[where])
    one.add_argument("code")
    for name in ("--name", "--main", "--sub", "--village", "--group", "--kind"):
        one.add_argument(name)
    one.add_argument("--lat", type=float)
    one.add_argument("--lon", type=float)
    one.add_argument("--phase", type=int)
    one.add_argument("--coverage-km", type=float)
    one.add_argument("--direction", type=_bearing, help="degrees from north, or 东南 / SE")
    one.add_argument("--by", help="who changes it (audited with the machine account)")
    gone = sub.add_parser("remove", parents=[where])
    gone.add_argument("code")
    gone.add_argument("--by", help="who takes it off (audited with the machine account)")
    args = p.parse_args(argv)
    store = Store(existing_store_url(args.db, args.township))
    try:
        store.migrate()
        if not store.has_township():
            print("存储中没有乡镇 / the store has no township", file=sys.stderr)
            return 2
        township = store.load_township()
        if args.what == "list":
            for c in sorted(township.cameras.values(), key=lambda c: (c.phase, c.code)):
                village = township.villages[c.village].name if c.village else ""
                print(f"{c.code}\t{c.name}\t{village}\t{c.group}\t{c.phase}\t"
                      f"{split_credentials(c.main_url)[0]}")  # fmt: skip
            return 0
        if args.what == "test":
            known = township.cameras.get(args.target)
            result = probe(known.main_url if known else args.target)
            if result.ok:
                print(f"{result.codec} {result.width}x{result.height} {result.fps:.0f} fps "
                      f"({result.seconds:.1f} s)")  # fmt: skip
                return 0
            print(f"{result.failure}: {result.detail}")
            return 1
        if args.what == "remove":
            version = store.retire_camera(args.code, recorded(args.by))
            if version is None:
                print(f"没有摄像头 / no camera {args.code}", file=sys.stderr)
                return 1
            print(f"已停用 / taken off; version {version}")
            return 0
        return _set(store, township.cameras.get(args.code), args)
    finally:
        store.close()


def _set(store: Store, known: Camera | None, args: argparse.Namespace) -> int:
    if known is None and None in (args.name, args.lat, args.lon, args.main):
        print("新摄像头需要 --name --lat --lon --main / a new camera needs them", file=sys.stderr)
        return 2
    base = known or Camera(args.code, "", "other", "其他", 9, None, 0.0, 0.0, "", "")
    main = as_written_by_an_nvr(args.main) if args.main else None
    sub = as_written_by_an_nvr(args.sub) if args.sub else (main if known is None else None)
    changes: dict[str, Any] = {key: value for key, value in (
        ("name", args.name), ("lat", args.lat), ("lon", args.lon), ("main_url", main),
        ("sub_url", sub),
        ("village", args.village), ("group", args.group), ("kind", args.kind),
        ("phase", args.phase), ("coverage_km", args.coverage_km),
        ("direction", args.direction),
    ) if value is not None}  # fmt: skip
    camera = replace(base, **changes)
    for url in (camera.main_url, camera.sub_url):
        if (why := address_problem(url)) is not None:
            print(f"{why[0]} / {why[1]}", file=sys.stderr)
            return 2
    version = store.set_camera(camera, recorded(args.by))
    print(f"已保存 / saved {camera.code}; version {version}")
    return 0
