"""`python -m backend users add|passwd|disable|enable|list`: who may log in, in which role.

add LOGIN --role ROLE --name NAME [--person CODE] [--department CODE | --village CODE |
                 --grid CODE]...
                 a user; the password is asked twice (or read from one line of standard
                 input with --password-stdin), at least 10 characters, letters and digits.
                 A department handler sees its department's cases, a grid leader its
                 village's, a grid worker or member their grids': from the township's lists
                 for --person, and from what --department/--village/--grid tie them to
tie LOGIN [--department CODE | --village CODE | --grid CODE]...
                 what the user is tied to, replaced (none: untied); their sessions end
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
from domain.accounts import PERSON_ROLES, REGISTERS, TIED_REGISTER, tie_problem, weak_reason
from domain.township import Role


def _parser() -> argparse.ArgumentParser:
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
    tie = sub.add_parser("tie", parents=[common])
    tie.add_argument("login")
    for parser in (add, tie):
        for flag, register in (("--department", "departments"), ("--village", "villages"),
                               ("--grid", "grids")):  # fmt: skip
            parser.add_argument(flag, dest=register, action="append", default=[],
                                metavar="CODE")  # fmt: skip
    passwd = sub.add_parser("passwd", parents=[common])
    passwd.add_argument("login")
    passwd.add_argument("--password-stdin", action="store_true")
    for name in ("disable", "enable"):
        sub.add_parser(name, parents=[common]).add_argument("login")
    sub.add_parser("list", parents=[common])
    return p


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)

    store = Store(existing_store_url(args.db))
    store.migrate()
    users = UserStore(store)
    try:
        if args.what == "add":
            role, ties = Role(args.role), _ties(args)
            _check_ties(store, role, ties, args.person)
            password = _new_password(args.password_stdin)
            users.add(args.login, args.name, role, hash_password(password), args.person, ties)
            print(f"added {args.login} ({args.role}{_words(ties)})")
        elif args.what == "tie":
            found = users.get(args.login)
            if found is None:
                raise UserError(f"no user {args.login!r}")
            ties = _ties(args)
            _check_ties(store, found[0].role, ties, found[0].person, needed=False)
            users.set_ties(args.login, ties)
            print(f"{args.login} tied to {_words(ties).lstrip(', ') or 'nothing'}; "
                  "their sessions end")  # fmt: skip
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
                print(f"{user.login:<16} {user.role.value:<20} {state:<9} {person:<8} "
                      f"{user.name}{_words(user.ties)}")  # fmt: skip
    except UserError as e:
        print(f"users {args.what}: {e}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def _ties(args: argparse.Namespace) -> dict[str, list[str]]:
    return {r: list(getattr(args, r)) for r in REGISTERS if getattr(args, r)}


def _words(ties: dict[str, list[str]]) -> str:
    return "".join(f", {register} {','.join(codes)}" for register, codes in ties.items())


def _check_ties(
    store: Store, role: Role, ties: dict[str, list[str]], person: str | None, needed: bool = True
) -> None:
    """Codes the township has, of the register the role goes with; a role whose scope needs a
    person or a tie gets one (without, the login would see no case)."""
    if needed and role in PERSON_ROLES and person is None and not ties:
        flag = {"departments": "--department", "villages": "--village"}.get(
            TIED_REGISTER[role], "--grid"
        )
        raise UserError(f"a {role.value} sees no cases without --person or {flag}")
    if not ties and person is None:
        return
    if not store.has_township():
        raise UserError("the store has no township yet: apply yours first (docs/onboarding.md)")
    township = store.load_township()
    if person is not None and person not in township.people:
        raise UserError(f"no person {person!r} in the township")
    known = {r: set(getattr(township, r)) for r in REGISTERS}
    if (why := tie_problem(role, ties, known)) is not None:
        raise UserError(why)


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
