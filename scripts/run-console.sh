#!/usr/bin/env bash
# Start the console; on a machine without a screen, on a virtual one (Xvfb) instead of failing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display (DISPLAY and WAYLAND_DISPLAY are unset): running under Xvfb on a virtual 1920x1080 screen."
  exec xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python main.py "$@"
fi
exec .venv/bin/python main.py "$@"
