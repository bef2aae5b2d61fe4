"""`python -m backend`: the service; `python -m backend keys|users|audit|township|cameras|backup|
restore`."""

# ruff: noqa: PLC0415 - each tool is imported when asked for: a tool does not load the service

import sys
from collections.abc import Callable

from sqlalchemy.exc import OperationalError


def _run(main: Callable[[], int]) -> int:
    """A database that does not answer is said in one line (exit 1: the service unit tries
    again), not as a traceback of the driver's."""
    try:
        return main()
    except OperationalError as e:
        reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0][:300]
        print(f"the database does not answer: {reason}", file=sys.stderr)
        return 1


def _tool(name: str) -> Callable[[], int]:
    argv = sys.argv[2:]
    if name == "users":
        from backend.cli.users import main as users_main

        return lambda: users_main(argv)
    if name == "keys":
        from backend.cli.keys import main as keys_main

        return lambda: keys_main(argv)
    if name == "township":
        from backend.cli.township import main as township_main

        return lambda: township_main(argv)
    if name == "cameras":
        from backend.cli.cameras import main as cameras_main

        return lambda: cameras_main(argv)
    if name in ("backup", "restore"):
        from backend.cli.backup import main as backup_main

        return lambda: backup_main(sys.argv[1:])
    if name == "audit":
        from backend.cli.audit import main as audit_main

        return lambda: audit_main(argv)
    from backend.app import main

    return main


raise SystemExit(_run(_tool(sys.argv[1] if len(sys.argv) > 1 else "")))
