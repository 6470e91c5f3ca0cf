"""The built site must render every Altair chart offline, from file://, in a real browser.

Drives Debian's /usr/bin/chromium through playwright (no `playwright install`).
Needs the session fixture `built_site` (tests/conftest.py): Path to `_build/html`.
Screenshots go to <repo>/test-artifacts/<chapter>.png, also when a check fails.

The browser comes from the `chromium_browser` fixture (tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
LOCAL_SCHEMES = ("file:", "data:", "blob:")
CHART_TIMEOUT_MS = 15_000
# What vega 6 puts in aria-label when the chart has no `description`: not a real name.
VEGA_DEFAULT_LABEL = "Vega visualization"

# Parametrise at collection time from the chapter sources (the site is only built
# by the `built_site` fixture); test_every_built_chapter_is_checked closes the gap.
CHAPTER_SOURCES = sorted(
    p for p in (REPO / "book" / "chapters").glob("*")
    if p.suffix in {".md", ".ipynb"} and not p.name.startswith((".", "_"))
)
CHAPTERS = sorted({p.stem for p in CHAPTER_SOURCES})

# Altair's chart containers are <div id="altair-viz-...">; vega-embed adds class vega-embed
# and draws one root <svg class="marks"> or <canvas class="marks"> (inner <g> also have
# class "marks", hence the tag names). Altair's loader writes <div class="error"> on failure.
CHART_STATE_JS = """() => {
  const boxes = [...document.querySelectorAll('[id^="altair-viz-"]')];
  return {
    count: boxes.length,
    drawn: document.querySelectorAll('.vega-embed svg.marks, .vega-embed canvas.marks').length,
    errors: boxes.flatMap(b => [...b.querySelectorAll('.error')].map(e => `${b.id}: ${e.textContent}`)),
    loadError: document.body.innerText.includes('Error loading script'),
    // book/_static/book.js marks each chart it laid out (natural, fitted or unmeasured)
    unfitted: boxes.filter(b => !b.dataset.chartFit).map(b => b.id),
    // vega 6 sets role=graphics-document, aria-roledescription=visualization and
    // aria-label=<description> on the view container div (.chart-wrapper) that wraps
    // the svg/canvas, not on the svg/canvas itself.
    names: boxes.map(b => {
      const root = b.querySelector('svg.marks, canvas.marks');
      const doc = root && root.closest('[role="graphics-document"]');
      return {id: b.id, drawn: !!root, role: doc ? doc.getAttribute('role') : null,
              label: doc ? doc.getAttribute('aria-label') : null};
    }),
  };
}"""


def test_every_built_chapter_is_checked(built_site):
    pages = sorted((built_site / "book" / "chapters").glob("*.html"))
    assert pages, f"no chapter pages in {built_site / 'book' / 'chapters'}"
    unchecked = sorted({p.stem for p in pages} - set(CHAPTERS))
    assert not unchecked, f"built chapter pages without a source in book/chapters: {unchecked}"


@pytest.mark.parametrize("chapter", CHAPTERS or [pytest.param(None, id="no-chapters")])
def test_chapter_renders_offline(chromium_browser, built_site, chapter):
    assert chapter, "no chapter sources found in book/chapters"
    html = built_site / "book" / "chapters" / f"{chapter}.html"
    assert html.is_file(), f"{html} was not built (is the chapter in _toc.yml?)"

    blocked, console_errors, page_errors = [], [], []

    def route(r):
        if r.request.url.startswith(LOCAL_SCHEMES):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.route("**/*", route)
        page.on("websocket", lambda ws: blocked.append(ws.url))  # not covered by route()
        page.on("console", lambda m: m.type == "error" and console_errors.append(
            f"{m.text} @ {m.location.get('url', '')}:{m.location.get('lineNumber', '')}"))
        page.on("pageerror", lambda e: page_errors.append(str(e)))

        page.goto(html.as_uri(), wait_until="load")
        # Stop waiting as soon as every chart is either drawn or shows Altair's error div.
        try:
            page.wait_for_function(
                f"(() => {{ const s = ({CHART_STATE_JS})();"
                " return s.count > 0 && s.drawn + s.errors.length >= s.count || s.loadError; })",
                timeout=CHART_TIMEOUT_MS,
            )
        except Exception:  # playwright TimeoutError: report the state below instead
            pass
        state = page.evaluate(CHART_STATE_JS)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{chapter}.png"), full_page=True)
    finally:
        context.close()

    # Report every problem at once: the first one is often just a symptom of another.
    problems = []
    if blocked:
        problems.append(f"non-local requests attempted (site is not offline-safe): {blocked}")
    if page_errors:
        problems.append(f"uncaught page errors: {page_errors}")
    if console_errors:
        problems.append(f"console errors: {console_errors}")
    if state["count"] < 1:
        problems.append("no Altair chart containers (id^=altair-viz-) on the page")
    if state["errors"] or state["loadError"]:
        problems.append(f"chart error shown: {state['errors'] or 'Error loading script'}")
    if state["drawn"] != state["count"]:
        problems.append(f"{state['drawn']} of {state['count']} charts drawn (waited up to {CHART_TIMEOUT_MS} ms)")
    if state["unfitted"] and not state["errors"]:
        problems.append(f"charts not laid out by book.js (loaded after vega-embed, before the charts?): "
                        f"{state['unfitted']}")
    unnamed = [n["id"] for n in state["names"] if n["drawn"] and (
        n["role"] != "graphics-document" or not n["label"] or n["label"] == VEGA_DEFAULT_LABEL)]
    if unnamed:
        problems.append(f"charts without an accessible name (set alt.Chart(..., description=...)): {unnamed}")
    if problems:
        pytest.fail(f"{chapter} ({html}):\n  " + "\n  ".join(problems), pytrace=False)
