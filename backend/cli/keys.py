"""`python -m backend keys init|new|enrol|revoke|list`: the CurveZMQ keys (docs/security.md).

init             the backend's own key pair in the key folder (once)
new NAME         a pair for a console or terminal, in --out (default: the current folder);
                 the NAME.key_secret file goes to that machine only, NAME.key gets enrolled
enrol FILE.key   let it in (takes effect at its next handshake, no restart)
revoke NAME      let it out (its requests are refused at once; it cannot shake hands again)
list             who is enrolled, who was revoked
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from backend.keyring import KeyRing, KeyRingError, new_key_pair
from backend.paths import default_keys_folder
from client.curve import KeyFileError
from client.settings import path_setting


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m backend keys", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--keys", type=Path, help="the backend's key folder (default: keys/ in its data dir)"
    )
    sub = p.add_subparsers(dest="what", required=True)
    sub.add_parser("init", parents=[common])
    new = sub.add_parser("new", parents=[common])
    new.add_argument("name")
    new.add_argument("--out", type=Path, default=Path("."))
    enrol = sub.add_parser("enrol", parents=[common])
    enrol.add_argument("public_file", type=Path)
    enrol.add_argument("--name")
    revoke = sub.add_parser("revoke", parents=[common])
    revoke.add_argument("name")
    sub.add_parser("list", parents=[common])
    args = p.parse_args(argv)

    ring = KeyRing(args.keys or path_setting("keys") or default_keys_folder())
    try:
        if args.what == "init":
            ring.init()
            print(f"backend key pair in {ring.folder}; give consoles {ring.server_public_file}")
        elif args.what == "new":
            public, secret = new_key_pair(args.out, args.name)
            print(f"{secret} stays on the console; enrol {public} on the backend")
        elif args.what == "enrol":
            name = ring.enrol(args.public_file, args.name)
            print(f"enrolled {name}")
        elif args.what == "revoke":
            print(f"revoked {args.name} (kept as {ring.revoke(args.name)})")
        else:
            for name in sorted(ring.enrolled().values()):
                print(f"enrolled  {name}")
            for path in sorted(ring.revoked_dir.glob("*.key")):
                print(f"revoked   {path.name.removesuffix('.key')}")
    except (KeyRingError, KeyFileError, OSError) as e:
        print(f"keys {args.what}: {e}", file=sys.stderr)
        return 1
    return 0
