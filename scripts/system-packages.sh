#!/usr/bin/env bash
# Install the Debian packages the console (run) or the test suite (test) needs, if missing.
# Idempotent and quick when everything is there: one dpkg-query, no apt-get.
set -euo pipefail

run_pkgs=(
  python3-venv
  # Qt's xcb platform plugin and what Qt loads at start (PySide6 wheels bring Qt, not these)
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libxkbcommon0
  libxkbcommon-x11-0 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0
  libxcb-sync1 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1
  # Chinese text: without a CJK font every label is a row of empty boxes
  fonts-wqy-microhei
  # a virtual screen for machines without one
  xvfb xauth
  # makes the demo cameras' clips at set-up
  ffmpeg
)
test_pkgs=(
  postgresql
  gstreamer1.0-rtsp gir1.2-gst-rtsp-server-1.0 python3-gi
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly
  gstreamer1.0-plugins-bad gstreamer1.0-libav
  # a real browser (headless) for the gateway's phone page test
  chromium chromium-driver
)

case "${1:-run}" in
  run) wanted=("${run_pkgs[@]}") ;;
  test) wanted=("${run_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null; then
  echo "Not a Debian-like system: install the equivalents of: ${wanted[*]}" >&2
  exit 0
fi

installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null \
  | awk '$NF == "installed" {print $1}' || true)
missing=()
for p in "${wanted[@]}"; do
  grep -qx "$p" <<<"$installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Not root. Run this once, then make again:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
