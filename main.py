"""The command-room console. Run `python main.py --help` for the options."""

from console.app import main

if __name__ == "__main__":
    raise SystemExit(main())
