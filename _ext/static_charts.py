"""Draw each chart's static SVG during the build, outside the chapters' kernels.

A chapter's charts.figure() writes <name>.vl.json (the finished Vega-Lite specification) beside
<name>.csv; the page links <name>.svg with {download}. When a page has been read (its notebook
executed), this extension hands every SVG the page links, and whose specification is there, to
the build's background process (_ext/background.py), which checks and draws it with vl-convert
(charts.write_static_image) while the next chapter executes in its own kernel. The converter's
runtime starts once per build instead of once per chapter, and the chapter's own execution time
is its computation only. (In a thread, vl-convert and the schema check held the GIL for as long
as they ran: a spinning thread got 2 % of its usual turns during a conversion.)

Sphinx checks at `doctree-read` that each download exists, and copies downloads only when the
pages are written, so a page's missing SVG is created empty at once and drawn before
`env-updated` (after all pages are read, before any is written). A chart that cannot be drawn
stops the build with the specification's path and the error.
"""
from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)
SPEC_SUFFIX = ".vl.json"  # = migration_recomputed.charts.SPEC_SUFFIX


def _jobs(app) -> dict[Path, Future]:
    if not hasattr(app, "_static_charts"):
        app._static_charts = {}
    return app._static_charts


def _linked_images(app, doctree) -> list[Path]:
    folder = Path(app.env.doc2path(app.env.docname)).parent
    found = []
    for node in doctree.findall(addnodes.download_reference):
        target = node.get("reftarget", "")
        if target.endswith(".svg"):
            path = Path(app.srcdir, target.lstrip("/")) if target.startswith("/") else folder / target
            found.append(path.resolve())
    return found


def _draw_linked_charts(app, doctree) -> None:
    from background import submit

    jobs = _jobs(app)
    for svg in _linked_images(app, doctree):
        spec = svg.with_name(svg.name.removesuffix(".svg") + SPEC_SUFFIX)
        if not spec.is_file():
            continue  # an SVG made by hand, or a chart the page never drew (Sphinx reports it)
        if not svg.exists():
            svg.touch()  # registered as a download now, drawn before any page is written
        jobs[svg] = submit(app, "migration_recomputed.charts:write_static_image", spec)


def _finish_drawing(app, env) -> None:
    jobs = _jobs(app)
    failed = []
    for svg, job in sorted(jobs.items()):
        error = job.exception()
        if error is not None:
            failed.append(f"{svg.with_name(svg.name.removesuffix('.svg') + SPEC_SUFFIX)}: {error}")
    count = len(jobs)
    jobs.clear()
    if failed:
        raise ExtensionError("static_charts: cannot draw " + "; ".join(failed))
    if count:
        logger.info("static_charts: drew %d chart(s) as SVG", count)


def setup(app):
    app.setup_extension("background")
    # before Sphinx's download collector (priority 500) checks that each linked file exists
    app.connect("doctree-read", _draw_linked_charts, priority=400)
    app.connect("env-updated", _finish_drawing)
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
