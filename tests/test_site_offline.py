"""Gate 1 of issue 9: every page of the built site works in a real browser with no network.

Headless Chromium (Debian's, through playwright) visits every page the site has (chapters,
appendix, front page, search and index pages; tests/browser_pages.py finds them in the built
site) in light and dark mode, with every request outside file:, data: and blob: refused. On
every page: every chart draws, no console error, no uncaught error, no failed resource, no
request outside the site's own files, and each chart has an accessible name. The visits are
shared with the screen and accessibility tests (the `site_visits` fixture).
"""
from __future__ import annotations

from pathlib import Path

import gates
from browser_pages import VEGA_DEFAULT_LABEL, book_pages

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = sorted(p.stem for p in (REPO / "book" / "chapters").glob("*.md"))


def page_problems(state: dict, problems: dict[str, list[str]], *, must_have_charts: bool) -> list[str]:
    """Everything wrong with one visit, all at once: the first problem is often a symptom."""
    found = []
    if problems["blocked"]:
        found.append(f"requests outside the site attempted (not offline-safe): {problems['blocked']}")
    if problems["errors"]:
        found.append(f"uncaught page errors: {problems['errors']}")
    if problems["console"]:
        found.append(f"console errors or failed resources: {problems['console']}")
    if must_have_charts and state["count"] < 1:
        found.append("no Altair chart containers (id^=altair-viz-) on the page")
    if state["errors"] or state["loadError"]:
        found.append(f"chart error shown: {state['errors'] or 'Error loading script'}")
    if state["drawn"] != state["count"]:
        found.append(f"{state['drawn']} of {state['count']} charts drawn")
    if state["unfitted"] and not state["errors"]:
        found.append(f"charts not laid out by book.js (loaded after vega-embed, before the charts?): "
                     f"{state['unfitted']}")
    unnamed = [n["id"] for n in state["names"] if n["drawn"] and (
        n["role"] != "graphics-document" or not n["label"] or n["label"] == VEGA_DEFAULT_LABEL)]
    if unnamed:
        found.append(f"charts without an accessible name (set alt.Chart(..., description=...)): {unnamed}")
    return found


def test_every_page_works_offline_in_a_browser(site_visits, built_site):
    pages = book_pages(built_site)
    for must in ("book/intro", "search", "genindex", *(f"book/chapters/{c}" for c in CHAPTERS)):
        assert must in pages, f"{must} is not among the built pages {pages}"
    problems, charts = [], 0
    for (page, mode), visit in site_visits.items():
        charts += visit.charts["drawn"] if mode == "light" else 0
        for problem in page_problems(visit.charts, visit.problems, must_have_charts=page.startswith("book/chapters/")):
            problems.append(f"{page} ({mode}): {problem}")
    visits = len(site_visits)
    gates.report("pages in a browser", f"{len(pages)} pages x 2 modes = {visits} visits offline, {charts} charts drawn "
                                       f"on light pages (as many in dark), {len(problems)} problems")
    assert not problems, "\n  ".join(problems)


def test_a_chart_that_fails_to_load_is_reported():
    """The checks above must be able to fail: a page whose chart did not draw, with a console
    error and a request to the network, is reported on each count."""
    state = {"count": 2, "drawn": 1, "errors": [], "loadError": True, "unfitted": [],
             "names": [{"id": "altair-viz-1", "drawn": True, "role": "graphics-document", "label": VEGA_DEFAULT_LABEL}]}
    problems = {"blocked": ["https://cdn.example/vega.js"], "console": ["404 vega.js"], "errors": []}
    found = page_problems(state, problems, must_have_charts=True)
    assert len(found) == 5, found
    assert any("1 of 2 charts drawn" in f for f in found) and any("accessible name" in f for f in found)
