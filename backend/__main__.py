from backend.app import main

raise SystemExit(main())
