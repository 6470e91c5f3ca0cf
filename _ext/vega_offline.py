"""Render Altair charts without a CDN (the site must work offline and over file://).

Altair's default "universal" HTML output injects <script> tags for
cdn.jsdelivr.net/npm/vega@..., unless ``VEGA_DEBUG.<lib>_version`` already equals
the version it wants; then it just calls the global ``vegaEmbed``. So we load
the vendored UMD builds (tools/vendor_vega.sh -> book/_static/vega/)
synchronously in <head> and pre-set ``VEGA_DEBUG`` to exactly the strings the
installed altair will compare against. No notebook changes are needed.

Drift guard: if the vendored files are not what altair expects (version) or not
what tools/vendor_vega.sh wrote (sha256), we emit a Sphinx warning, which is a
build error under ``-W``; otherwise an altair upgrade would silently blank
every chart.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)
# What the installed Altair wants, kept in the build's doctree folder under Altair's version.
VERSIONS_KEPT = "vega_offline-altair.json"

STATIC = Path(__file__).resolve().parents[1] / "book" / "_static"
VEGA_DIR = STATIC / "vega"
# Load order matters: vega-lite's UMD reads the global `vega`, vega-embed reads both.
JS_FILES = {"vega": "vega.min.js", "vega-lite": "vega-lite.min.js", "vega-embed": "vega-embed.min.js"}


def _warn(msg: str) -> None:
    logger.warning("vega_offline: %s", msg, type="vega_offline")


def _same_release(vendored: str, wanted: str) -> bool:
    # altair pins "6" (major) for vega/vega-embed and "6.4.1" for vega-lite; compare
    # as many components as altair gives, but at most major.minor (patches are compatible).
    n = min(len(wanted.split(".")), 2)
    return vendored.split(".")[:n] == wanted.split(".")[:n]


def _add_static_path(app, config) -> None:
    # _config.yml should list book/_static already; add it only if no entry points there.
    entries = {(Path(app.confdir) / p).resolve() for p in config.html_static_path}
    if STATIC.resolve() not in entries:
        config.html_static_path.append(str(STATIC))


def altair_versions(kept_in: Path) -> dict[str, str] | None:
    """The versions the installed Altair wants (None without Altair): "altair"; "vega",
    "vega-lite" and "vega-embed" as its HTML compares them (VEGA_DEBUG); "vega-lite schema", the
    version of the specs it writes. Importing Altair for them made a rebuild with nothing
    changed 1.75-1.86 s instead of 1.50-1.58 s, so they are kept in `kept_in` (the build's
    doctree folder) and read back while the same Altair is installed; a clean build imports it,
    as before."""
    try:
        installed = metadata.version("altair")
    except metadata.PackageNotFoundError:
        return None
    kept = Path(kept_in) / VERSIONS_KEPT
    try:
        versions = json.loads(kept.read_text(encoding="utf-8"))
        if versions.get("altair") == installed:
            return versions
    except (OSError, ValueError, AttributeError):
        pass
    try:
        import altair as alt
    except ImportError:
        return None
    versions = {"altair": installed, "vega": alt.VEGA_VERSION, "vega-lite": alt.VEGALITE_VERSION,
                "vega-embed": alt.VEGAEMBED_VERSION, "vega-lite schema": alt.SCHEMA_VERSION.lstrip("v")}
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(json.dumps(versions), encoding="utf-8")
    except OSError:
        pass  # kept next time, then
    return versions


def _check_vendored(app) -> None:
    versions = app._vega_offline_versions
    if versions is None:
        _warn("altair is not importable; cannot set VEGA_DEBUG, charts will try the CDN")
        return
    wanted = {
        "vega": versions["vega"],
        "vega-lite": versions["vega-lite schema"],  # the version of the specs altair writes
        "vega-embed": versions["vega-embed"],
    }
    try:
        entries = json.loads((VEGA_DIR / "VERSIONS.json").read_text())["files"]
    except (OSError, ValueError, KeyError) as exc:
        _warn(f"cannot read {VEGA_DIR / 'VERSIONS.json'} ({exc}); run tools/vendor_vega.sh")
        return
    by_file = {e["file"]: e for e in entries}
    for pkg, fname in JS_FILES.items():
        entry = by_file.get(fname)
        if entry is None:
            _warn(f"{fname} is not listed in VERSIONS.json; run tools/vendor_vega.sh")
        elif not _same_release(entry["version"], wanted[pkg]):
            _warn(
                f"vendored {pkg} {entry['version']} does not match altair {versions['altair']}, "
                f"which needs {pkg} {wanted[pkg]}; update tools/vendor_vega.sh and re-run it"
            )
    for entry in entries:
        path = VEGA_DIR / entry["file"]
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            _warn(f"{path} is missing; run tools/vendor_vega.sh")
            continue
        if digest != entry["sha256"]:
            _warn(f"{path} sha256 {digest} differs from VERSIONS.json; run tools/vendor_vega.sh")


def setup(app):
    app.connect("config-inited", _add_static_path)
    app.connect("builder-inited", _check_vendored)
    # Register the scripts here, not in builder-inited: an inline script added after the
    # builder exists is emitted twice by Sphinx 7.4 (None vs '' filename de-dup quirk).
    versions = app._vega_offline_versions = altair_versions(Path(app.doctreedir))
    if versions is not None:
        # Keys are what the template computes: `${lib.replace("-", "")}_version`, and it
        # compares with ==, so these must be altair's own strings ("6", "6.4.1", "7").
        debug = {
            "vega_version": versions["vega"],
            "vegalite_version": versions["vega-lite"],
            "vegaembed_version": versions["vega-embed"],
        }
        app.add_js_file(None, body=f"window.VEGA_DEBUG = {json.dumps(debug)};")
    # No async/defer: Altair's inline chart scripts run during parsing and need the globals.
    for fname in JS_FILES.values():
        app.add_js_file(f"vega/{fname}")
    # book.js wraps the global vegaEmbed to fit each chart to its column (book/_static/book.js):
    # it must run after vega-embed and before the inline chart scripts, hence here, not async.
    app.add_js_file("book.js")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
