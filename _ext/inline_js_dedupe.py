"""Emit each inline <script> once (works around a Sphinx 7.4 bug hit by Jupyter Book 1).

An inline script added with ``app.add_js_file(None, body=...)`` after the HTML
builder exists is stored by the builder with filename ``None`` and re-added from
the registry in ``prepare_writing`` with filename ``''``; ``_JavaScript.__eq__``
sees two different assets, so the page gets the script twice. sphinx-thebe (always
loaded by Jupyter Book) adds ``const THEBE_JS_URL = ...`` that way, so every page
throws "SyntaxError: Identifier 'THEBE_JS_URL' has already been declared", which
the offline browser test (tests/test_site_offline.py) rightly reports.
"""

from __future__ import annotations


def _dedupe(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen, unique = set(), []
    for js in scripts:
        attrs = getattr(js, "attributes", {})
        key = (getattr(js, "filename", js) or "", tuple(sorted(attrs.items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    # In place: it is the builder's list, which Sphinx restores after each page.
    scripts[:] = unique


def setup(app):
    # Late priority so that scripts added by other html-page-context handlers are seen too.
    app.connect("html-page-context", _dedupe, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
