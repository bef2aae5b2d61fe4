"""`python -m backend`: the service; `python -m backend keys|users|audit|township|cameras|backup|
restore`."""

import sys

if sys.argv[1:2] == ["users"]:
    from backend.cli.users import main as users_main

    raise SystemExit(users_main(sys.argv[2:]))

if sys.argv[1:2] == ["keys"]:
    from backend.cli.keys import main as keys_main

    raise SystemExit(keys_main(sys.argv[2:]))
if sys.argv[1:2] == ["township"]:
    from backend.cli.township import main as township_main

    raise SystemExit(township_main(sys.argv[2:]))
if sys.argv[1:2] == ["cameras"]:
    from backend.cli.cameras import main as cameras_main

    raise SystemExit(cameras_main(sys.argv[2:]))
if sys.argv[1:2] in (["backup"], ["restore"]):
    from backend.cli.backup import main as backup_main

    raise SystemExit(backup_main(sys.argv[1:]))
if sys.argv[1:2] == ["audit"]:
    from backend.cli.audit import main as audit_main

    raise SystemExit(audit_main(sys.argv[2:]))

from backend.app import main

raise SystemExit(main())
