"""The browser side of the site checks: which pages the built site has, how to open one in
headless Chromium offline in light or dark mode, and one visit per page and mode that takes
every measurement tests/test_site_offline.py, test_screens.py and test_accessibility.py assert
on (the `site_visits` fixture in tests/conftest.py runs it once per test session)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MIN_TEXT_PX = 11  # = migration_recomputed.charts.MIN_FONT_SIZE, drawn at scale 1
MAX_BLANK_PX = 40
CHART_TIMEOUT_MS = 20_000
TOP_LEVEL_PAGES = ("index", "search", "genindex")
LOCAL_SCHEMES = ("file:", "data:", "blob:")
# What vega 6 puts in aria-label when the chart has no `description`: not a real name.
VEGA_DEFAULT_LABEL = "Vega visualization"
AXE = REPO / "tests" / "vendor" / "axe-core" / "axe.min.js"
# preload off: axe would fetch every stylesheet by XMLHttpRequest (for one rule, css-orientation-lock),
# which from file:// is cross-origin and fills the console with errors that are the audit's own.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"color-contrast": {"enabled": True}}, "preload": False}
MODES = ("light", "dark")



def book_pages(site: Path) -> list[str]:
    """Every page of the built site a reader can land on, as paths without .html relative to
    the site: book/**, plus index, search and genindex when built. index.html is left out when
    it only redirects (to book/intro)."""
    pages = sorted(p.relative_to(site).with_suffix("").as_posix() for p in (site / "book").rglob("*.html"))
    for name in TOP_LEVEL_PAGES:
        html = site / f"{name}.html"
        if html.is_file() and 'http-equiv="Refresh"' not in html.read_text(encoding="utf-8")[:500]:
            pages.append(name)
    return pages


def artifact_name(page: str) -> str:
    """book/chapters/01_x -> chapters--01_x; search -> search."""
    return page.removeprefix("book/").replace("/", "--")


# pydata-sphinx-theme 0.17 reads localStorage "mode" (light, dark, auto) in an inline <head>
# script and sets html[data-mode]; its JS then sets html[data-theme] (auto: from the system).
FORCE_MODE_JS = "localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');"

CHARTS_DRAWN_JS = """() => {
  const boxes = [...document.querySelectorAll('[id^="altair-viz-"]')];
  return boxes.every(b => b.querySelector('svg.marks, canvas.marks, .error') && b.dataset.chartFit);
}"""


def open_page(browser, site: Path, page: str, *, mode: str, viewport: dict):
    """A new context and tab showing `page` in `mode` ("light", "dark" or "auto" with a dark
    system), with the theme applied and every chart drawn, and the network cut: only file:,
    data: and blob: URLs load. Returns (context, tab, problems), where problems collects the
    requests refused, console errors and uncaught page errors, each list filled as they occur."""
    scheme = "light" if mode == "light" else "dark"
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    if mode != "auto":
        context.add_init_script(FORCE_MODE_JS.format(mode=mode))
    tab = context.new_page()
    problems: dict[str, list[str]] = {"blocked": [], "console": [], "errors": []}

    def route(request_route):
        if request_route.request.url.startswith(LOCAL_SCHEMES):
            request_route.continue_()
        else:
            problems["blocked"].append(request_route.request.url)
            request_route.abort()

    tab.route("**/*", route)
    tab.on("websocket", lambda ws: problems["blocked"].append(ws.url))  # not covered by route()
    tab.on("console", lambda m: m.type == "error" and problems["console"].append(
        f"{m.text} @ {m.location.get('url', '')}:{m.location.get('lineNumber', '')}"))
    tab.on("pageerror", lambda e: problems["errors"].append(str(e)))
    tab.on("requestfailed", lambda r: r.url.startswith(LOCAL_SCHEMES) and problems["console"].append(
        f"failed to load {r.url}: {r.failure}"))
    tab.goto((site / f"{page}.html").as_uri(), wait_until="load")
    tab.wait_for_function(f"document.documentElement.dataset.theme === '{scheme}'", timeout=5_000)
    try:
        tab.wait_for_function(CHARTS_DRAWN_JS, timeout=CHART_TIMEOUT_MS)
    except Exception:  # reported by the checks (CHART_STATE_JS says which chart is missing)
        pass
    tab.wait_for_timeout(300)  # a re-fit after a late resize (debounced 150 ms)
    return context, tab, problems


# ---------------------------------------------------------------- measurements (in the page)

# Elements that make the page wider than the viewport: the innermost ones whose box or content
# reaches past the right edge and is not inside a box that scrolls or clips before the edge.
# Fixed or hidden elements (the theme's closed drawers) do not widen the page.
SIDEWAYS_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  const hiddenOrFixed = el => { for (let a = el; a; a = a.parentElement) { const s = getComputedStyle(a);
    if (s.position === 'fixed' || s.display === 'none' || s.visibility === 'hidden') return true; } return false; };
  const insideScroller = el => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= vw + 1) return true; } return false; };
  const reach = el => { const r = el.getBoundingClientRect();
    return Math.max(r.right, getComputedStyle(el).overflowX === 'visible' ? r.left + el.scrollWidth : r.right); };
  for (const el of document.body.querySelectorAll('*')) {
    if (reach(el) <= vw + 1 || insideScroller(el) || hiddenOrFixed(el)) continue;
    const childSticksOut = [...el.children].some(c => reach(c) > vw + 1 && !hiddenOrFixed(c));
    if (childSticksOut) continue;
    out.push(`<${el.tagName.toLowerCase()} class="${String(el.className).slice(0, 50)}"> reaches ${Math.round(reach(el))} px: `
             + JSON.stringify((el.textContent || '').trim().slice(0, 60)));
  }
  return {scrollWidth: document.documentElement.scrollWidth, viewport: vw, offenders: out.slice(0, 8)};
}"""

# Per chart: smallest on-screen text, whether it fits its box and the column, and the tallest
# horizontal band of the box with nothing drawn in it (Vega's white background rect and group
# background paths are not "drawn").
CHART_GEOMETRY_JS = """() => [...document.querySelectorAll('[id^="altair-viz-"]')].map(box => {
  const svg = box.querySelector('svg.marks');
  if (!svg) return {id: box.id, drawn: false};
  const b = box.getBoundingClientRect(), s = svg.getBoundingClientRect();
  const column = box.closest('article, main, body').getBoundingClientRect();
  const scale = s.width / svg.width.baseVal.value;
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() && t.getBBox().width > 0);
  const sizes = texts.map(t => ({px: parseFloat(getComputedStyle(t).fontSize) * scale, text: t.textContent.slice(0, 40),
                                 height: t.getBoundingClientRect().height}));
  const smallest = sizes.reduce((a, c) => (a === null || c.px < a.px ? c : a), null);
  const drawn = [...svg.querySelectorAll('text, line, path, rect, circle')].filter(e =>
    !(e.tagName === 'rect' && e.parentElement === svg) && !e.matches('path.background, path.foreground')
    && e.getAttribute('display') !== 'none')
    .concat([...box.querySelectorAll('.vega-bind')]);  // a reader control above the drawing is not blank
  const spans = drawn.map(e => e.getBoundingClientRect()).filter(r => r.width > 0 || r.height > 0)
                     .map(r => [r.top, r.bottom]).sort((x, y) => x[0] - y[0]);
  let covered = b.top, band = 0;
  for (const [top, bottom] of spans) { band = Math.max(band, top - covered); covered = Math.max(covered, bottom); }
  band = Math.max(band, b.bottom - covered);
  return {id: box.id, drawn: true, fit: box.dataset.chartFit, scale, smallest,
          svg: [Math.round(s.left), Math.round(s.right)], box: [Math.round(b.left), Math.round(b.right)],
          column: [Math.round(column.left), Math.round(column.right)], band: Math.round(band)};
})"""

# WCAG contrast of an element's text (or border) against what is behind it, following
# backgrounds up the tree and the chart card's CSS brightness() filter.
CONTRAST_JS = """
const rgb = c => { const m = c.match(/[\\d.]+/g) || []; return m.map(Number); };
const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const brightness = el => { let k = 1; for (let a = el; a; a = a.parentElement) {
  const m = /brightness\\(([\\d.]+)\\)/.exec(getComputedStyle(a).filter); if (m) k *= parseFloat(m[1]); } return k; };
const dim = (c, k) => c.slice(0, 3).map(v => v * k);
const background = el => { for (let a = el; a; a = a.parentElement) { const c = rgb(getComputedStyle(a).backgroundColor);
  if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3); } return [255, 255, 255]; };
"""

LEGIBILITY_JS = "() => {" + CONTRAST_JS + """
  const problems = [], dark = document.documentElement.dataset.theme === 'dark';
  for (const cap of document.querySelectorAll('main caption, main figcaption')) {
    if (!cap.getClientRects().length || !cap.textContent.trim()) continue;
    const r = ratio(rgb(getComputedStyle(cap).color), background(cap));
    if (r < 4.5) problems.push(`caption ${JSON.stringify(cap.textContent.trim().slice(0, 50))}: contrast ${r.toFixed(2)}:1`);
  }
  for (const box of document.querySelectorAll('[id^="altair-viz-"]')) {
    const k = brightness(box), card = dim(background(box), k);
    const page = background(box.parentElement);
    const frame = ratio(dim(rgb(getComputedStyle(box).borderTopColor), k), page);
    if (dark && frame < 3) problems.push(`${box.id}: card frame contrast ${frame.toFixed(2)}:1 against the page`);
    let worst = null;
    for (const t of box.querySelectorAll('svg.marks text')) {
      if (!t.textContent.trim()) continue;
      const r = ratio(dim(rgb(getComputedStyle(t).fill), k), card);
      if (worst === null || r < worst.r) worst = {r, text: t.textContent.slice(0, 40)};
    }
    if (worst && worst.r < 4.5) problems.push(`${box.id}: text ${JSON.stringify(worst.text)} contrast ${worst.r.toFixed(2)}:1 on its card`);
  }
  return problems;
}"""

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


# ---------------------------------------------------------------- one visit per page and mode

@dataclass
class PageVisit:
    """What one visit of a page at phone width in one colour mode found."""
    page: str
    mode: str
    problems: dict[str, list[str]]   # blocked requests, console errors, page errors
    charts: dict                     # CHART_STATE_JS
    sideways: dict                   # SIDEWAYS_JS
    geometry: list                   # CHART_GEOMETRY_JS
    legibility: list[str]            # LEGIBILITY_JS
    axe_violations: list[dict]       # axe-core, serious and critical only
    seconds: float


def visit(browser, site: Path, page: str, mode: str) -> PageVisit:
    """Open `page` once at 390 px in `mode` with the network cut, take every measurement the
    browser tests assert on, and the screenshot (test-artifacts/phone or phone-dark). One visit
    instead of one per test: opening a chapter and drawing its charts is most of the cost."""
    started = time.monotonic()
    folder = ARTIFACTS / ("phone" if mode == "light" else "phone-dark")
    folder.mkdir(parents=True, exist_ok=True)
    context, tab, problems = open_page(browser, site, page, mode=mode, viewport=PHONE)
    try:
        charts = tab.evaluate(CHART_STATE_JS)
        sideways = tab.evaluate(SIDEWAYS_JS)
        geometry = tab.evaluate(CHART_GEOMETRY_JS)
        legibility = tab.evaluate(LEGIBILITY_JS)
        tab.screenshot(path=str(folder / f"{artifact_name(page)}.png"), full_page=True)
        problems = {kind: list(found) for kind, found in problems.items()}  # the page's own, before the audit
        tab.add_script_tag(path=str(AXE))
        axe = tab.evaluate("async (options) => await axe.run(document.querySelector('main') || document, options)",
                           AXE_OPTIONS)
    finally:
        context.close()
    serious = [v for v in axe["violations"] if v["impact"] in ("serious", "critical")]
    return PageVisit(page, mode, problems, charts, sideways, geometry, legibility, serious,
                     time.monotonic() - started)


def visit_every_page(browser, site: Path) -> dict[tuple[str, str], PageVisit]:
    return {(page, mode): visit(browser, site, page, mode) for page in book_pages(site) for mode in MODES}
