"""`python -m backend users add|passwd|disable|enable|list`: who may log in, in which role.

add LOGIN --role ROLE --name NAME [--person CODE]
                 a user; the password is asked twice (or read from one line of standard
                 input with --password-stdin), at least 10 characters, letters and digits
passwd LOGIN     a new password; the user's open sessions end
disable LOGIN    the user can no longer log in; open sessions end at once
enable LOGIN
list             every user, role and state

A running backend notices each change within a second, records it in the audit trail and
ends the user's sessions (docs/security.md).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from backend.passwords import hash_password
from backend.paths import existing_store_url
from backend.store import Store
from backend.user_store import UserError, UserStore
from domain.access import PEOPLE
from domain.accounts import weak_reason
from domain.township import Role


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m backend users", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="SQLAlchemy URL (default: the backend's)")
    sub = p.add_subparsers(dest="what", required=True)
    add = sub.add_parser("add", parents=[common])
    add.add_argument("login")
    add.add_argument("--role", required=True, choices=sorted(r.value for r in PEOPLE))
    add.add_argument("--name", required=True, help="as shown and recorded, e.g. 王建国")
    add.add_argument("--person", help="the township person's code (a grid worker's patrols)")
    add.add_argument("--password-stdin", action="store_true")
    passwd = sub.add_parser("passwd", parents=[common])
    passwd.add_argument("login")
    passwd.add_argument("--password-stdin", action="store_true")
    for name in ("disable", "enable"):
        sub.add_parser(name, parents=[common]).add_argument("login")
    sub.add_parser("list", parents=[common])
    args = p.parse_args(argv)

    store = Store(existing_store_url(args.db))
    store.migrate()
    users = UserStore(store)
    try:
        if args.what == "add":
            password = _new_password(args.password_stdin)
            users.add(args.login, args.name, Role(args.role), hash_password(password), args.person)
            print(f"added {args.login} ({args.role})")
        elif args.what == "passwd":
            users.set_password(args.login, hash_password(_new_password(args.password_stdin)))
            print(f"new password for {args.login}; their sessions end")
        elif args.what in ("disable", "enable"):
            users.set_disabled(args.login, args.what == "disable")
            print(f"{args.what}d {args.login}")
        else:
            for user in users.all():
                state = "disabled" if user.disabled else "active"
                person = user.person or "-"
                print(f"{user.login:<16} {user.role.value:<20} {state:<9} {person:<8} {user.name}")
    except UserError as e:
        print(f"users {args.what}: {e}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise UserError("the two passwords differ")
    if (why := weak_reason(password)) is not None:
        raise UserError(f"password too weak: {why}")
    return password
