#!/usr/bin/env bash
# Optional: serve the built site on http://127.0.0.1:8000 (after tools/build.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec python3 -m http.server --bind 127.0.0.1 --directory "$ROOT/_build/html" "${1:-8000}"
