#!/usr/bin/env bash
# Vendor the Vega UMD builds that Altair's HTML output needs, so charts render
# without the jsDelivr CDN (the site must work offline / over file://).
#
# Versions must match what the installed altair expects (altair.VEGA_VERSION,
# VEGALITE_VERSION, VEGAEMBED_VERSION); _ext/vega_offline.py re-checks this at
# build time against VERSIONS.json. Bump these together with altair.
#
# Usage: tools/vendor_vega.sh        (from anywhere; needs npm + registry access)
set -euo pipefail

VEGA=6.4.0          # altair 6.3.0: VEGA_VERSION "6"
VEGALITE=6.4.1      # altair 6.3.0: VEGALITE_VERSION "6.4.1" (== SCHEMA_VERSION v6.4.1)
VEGAEMBED=7.3.0     # altair 6.3.0: VEGAEMBED_VERSION "7"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/book/_static/vega"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

mkdir -p "$DEST"
cd "$TMP"
# npm pack fetches the exact published tarball (no install, no lifecycle scripts).
npm pack --silent "vega@$VEGA" "vega-lite@$VEGALITE" "vega-embed@$VEGAEMBED" >/dev/null

entries=()
for spec in "vega:$VEGA" "vega-lite:$VEGALITE" "vega-embed:$VEGAEMBED"; do
  name="${spec%%:*}"; ver="${spec#*:}"
  mkdir -p "$name"
  tar -xzf "$name-$ver.tgz" -C "$name"
  # Sanity: the tarball must really be the version we asked for.
  got="$(node -p "require('./$name/package/package.json').version")"
  [ "$got" = "$ver" ] || { echo "error: $name is $got, expected $ver" >&2; exit 1; }
  cp "$name/package/build/$name.min.js" "$DEST/$name.min.js"
  # Keep the licence next to the code we redistribute (all three are BSD-3-Clause).
  lic="$(ls "$name/package" | grep -iE '^licen[cs]e' | head -n1)"
  [ -n "$lic" ] || { echo "error: no LICENSE in $name" >&2; exit 1; }
  cp "$name/package/$lic" "$DEST/LICENSE-$name"
  for f in "$name.min.js" "LICENSE-$name"; do
    sha="$(sha256sum "$DEST/$f" | cut -d' ' -f1)"
    entries+=("{\"package\": \"$name\", \"version\": \"$ver\", \"file\": \"$f\", \"sha256\": \"$sha\"}")
  done
done

# VERSIONS.json: one entry per vendored file; read by _ext/vega_offline.py.
{
  echo '{"files": ['
  for i in "${!entries[@]}"; do
    sep=","; [ "$i" -eq $((${#entries[@]} - 1)) ] && sep=""
    echo "  ${entries[$i]}$sep"
  done
  echo ']}'
} > "$DEST/VERSIONS.json"

echo "vendored into $DEST:"
ls -l "$DEST"
