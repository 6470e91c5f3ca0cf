#!/usr/bin/env bash
# Debian's Chromium for the offline rendering test (tests/test_site_offline.py) and the book's PDF
# (_ext/book_pdf.py), with Liberation Sans: the static charts are laid out with Arial's metrics.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -e /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "tools/install_browser.sh: need root (or sudo) to apt-get install chromium" >&2; exit 1
  fi
fi
echo "==> installing Debian's chromium (apt-get)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core fonts-liberation >/dev/null
/usr/bin/chromium --version 2>/dev/null || true
