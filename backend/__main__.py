import sys

if sys.argv[1:2] == ["keys"]:
    from backend.keys_cli import main as keys_main

    raise SystemExit(keys_main(sys.argv[2:]))

from backend.app import main

raise SystemExit(main())
