"""Incremental rebuilds that rebuild what changed, and only that.

`jupyter-book build .` without --all rebuilds a page when Sphinx thinks it is outdated: its
source, or a file it depends on (a download it links), is newer than the moment Sphinx began
reading it. Two things made that wrong for an executed page:

- its own outputs: a chapter writes its chart data (CSV, spec) while it executes and the build
  draws its SVGs after, all later than that moment, so every executed page looked outdated
  and was executed again on every rebuild, even with nothing changed;
- its inputs: the data files a chapter reads were not dependencies at all, so a changed data
  file left stale numbers on a rebuilt site.

So each executed page (one with code cells) depends on every file in data/, and once every page
has been read and every chart drawn, the pages read in this build count as read now.
tools/build.sh still builds from clean (--all): this serves `jupyter-book build .` while editing.
"""
from __future__ import annotations

import time
from pathlib import Path


def _executed(app, docname: str) -> bool:
    source = Path(app.env.doc2path(docname))
    return source.suffix == ".ipynb" or "{code-cell}" in source.read_text(encoding="utf-8", errors="replace")


def _pages_to_read(app, env, docnames) -> None:
    app._incremental_read = list(docnames)


def _depend_on_data(app, doctree) -> None:
    docname = app.env.docname
    if _executed(app, docname):
        for path in sorted((Path(app.srcdir) / "data").rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                app.env.note_dependency(str(path))


def _read_now(app, env) -> None:
    now = time.time_ns() // 1_000  # Sphinx's own unit (sphinx.builders.Builder.read_doc)
    for docname in getattr(app, "_incremental_read", []):
        if docname in env.all_docs:
            env.all_docs[docname] = now


def setup(app):
    app.connect("env-before-read-docs", _pages_to_read)
    app.connect("doctree-read", _depend_on_data)
    # after _ext/static_charts.py has drawn every SVG (its env-updated handler waits for them)
    app.connect("env-updated", _read_now, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
