"""Every page of the built site reads on a 390 px phone and in dark mode.

Headless Chromium (the `chromium_browser` fixture, tests/conftest.py) opens every book page
of the built site (discovered from the site, not listed here) at 390x844:

- no page scrolls sideways (document.documentElement.scrollWidth <= 390); on failure the
  elements that stick out are named;
- every chart is drawn at the column's width rather than shrunk: its SVG text is at least
  MIN_TEXT_PX high on screen (computed font size x the SVG's on-screen scale), the chart stays
  inside its box and the column, and no blank band taller than MAX_BLANK_PX runs across it;
- in dark mode (the theme's toggle: localStorage "mode"/"theme", plus the system setting)
  table and figure captions and the chart cards are legible: text contrast >= 4.5:1 (captions,
  SVG text on its card; axe-core does not check SVG text), and in dark mode the light card's
  frame >= 3:1 against the page (WCAG 1.4.11). Light mode is checked the same way.

Screenshots of every page: test-artifacts/phone/<page>.png (light) and
test-artifacts/phone-dark/<page>.png, also when a check fails. Look at them.
The axe-core audit of every page in light and dark mode is tests/test_accessibility.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MIN_TEXT_PX = 11  # = migration_recomputed.charts.MIN_FONT_SIZE, drawn at scale 1
MAX_BLANK_PX = 40
CHART_TIMEOUT_MS = 20_000
TOP_LEVEL_PAGES = ("index", "search", "genindex")


# ---------------------------------------------------------------- helpers (also used by
# tests/test_accessibility.py)

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
    system), with the theme applied and every chart drawn. Returns (context, tab, errors)."""
    scheme = "light" if mode == "light" else "dark"
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    if mode != "auto":
        context.add_init_script(FORCE_MODE_JS.format(mode=mode))
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto((site / f"{page}.html").as_uri(), wait_until="load")
    tab.wait_for_function(f"document.documentElement.dataset.theme === '{scheme}'", timeout=5_000)
    try:
        tab.wait_for_function(CHARTS_DRAWN_JS, timeout=CHART_TIMEOUT_MS)
    except Exception:  # reported by the checks below (and by test_site_offline.py)
        pass
    tab.wait_for_timeout(300)  # a re-fit after a late resize (debounced 150 ms)
    return context, tab, errors


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
    && e.getAttribute('display') !== 'none');
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


# ---------------------------------------------------------------- tests

def test_the_site_has_the_pages_the_toc_promises(built_site):
    pages = book_pages(built_site)
    for must in ["book/intro", "book/chapters/01_russian_labour_migration", "book/appendix/claims_ledger",
                 "book/appendix/data_sources"]:
        assert must in pages, f"{must} not found among the built pages {pages}"


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_no_page_scrolls_sideways_on_a_phone(chromium_browser, built_site, mode):
    folder = ARTIFACTS / ("phone" if mode == "light" else "phone-dark")
    folder.mkdir(parents=True, exist_ok=True)
    problems, widths = [], {}
    for page in book_pages(built_site):
        context, tab, errors = open_page(chromium_browser, built_site, page, mode=mode, viewport=PHONE)
        try:
            result = tab.evaluate(SIDEWAYS_JS)
            tab.screenshot(path=str(folder / f"{artifact_name(page)}.png"), full_page=True)
        finally:
            context.close()
        widths[page] = result["scrollWidth"]
        if result["scrollWidth"] > PHONE["width"]:
            problems.append(f"{page}: {result['scrollWidth']} px wide; sticking out:\n      "
                            + "\n      ".join(result["offenders"] or ["(nothing found: a transformed element?)"]))
        if errors:
            problems.append(f"{page}: page errors {errors}")
    print("page widths at 390 px:", widths)
    assert not problems, f"{mode} mode, viewport {PHONE['width']} px:\n  " + "\n  ".join(problems)


def test_charts_fit_a_phone_with_readable_text(chromium_browser, built_site):
    chart_pages = [p for p in book_pages(built_site)
                   if "altair-viz-" in (built_site / f"{p}.html").read_text(encoding="utf-8")]
    assert chart_pages, "no page with an Altair chart in the built site"
    problems, smallest = [], {}
    for page in chart_pages:
        context, tab, _ = open_page(chromium_browser, built_site, page, mode="light", viewport=PHONE)
        try:
            charts = tab.evaluate(CHART_GEOMETRY_JS)
        finally:
            context.close()
        for chart in charts:
            where = f"{page} {chart['id']}"
            if not chart["drawn"]:
                problems.append(f"{where}: not drawn")
                continue
            smallest[where] = round(chart["smallest"]["px"], 1) if chart["smallest"] else None
            if chart["smallest"] and chart["smallest"]["px"] < MIN_TEXT_PX - 0.05:
                problems.append(f"{where}: text {chart['smallest']['text']!r} is {chart['smallest']['px']:.1f} px "
                                f"on screen (chart drawn at scale {chart['scale']:.2f}, fit={chart['fit']})")
            if chart["svg"][1] > chart["box"][1] + 1 or chart["box"][1] > chart["column"][1] + 1:
                problems.append(f"{where}: chart {chart['svg']} / box {chart['box']} "
                                f"wider than column {chart['column']}")
            if chart["band"] > MAX_BLANK_PX:
                problems.append(f"{where}: a blank band {chart['band']} px high inside the chart box")
    print("smallest chart text at 390 px:", smallest)
    assert not problems, "\n  ".join(["charts at 390 px:"] + problems)


def test_charts_are_drawn_at_full_size_on_a_desktop(chromium_browser, built_site):
    """At 1280 px too, charts are drawn at scale 1 inside the column (before book.js, the widest
    were shrunk to fit it), with no blank band."""
    page = next(p for p in book_pages(built_site) if p.startswith("book/chapters/"))
    context, tab, _ = open_page(chromium_browser, built_site, page, mode="light", viewport=DESKTOP)
    try:
        charts = tab.evaluate(CHART_GEOMETRY_JS)
    finally:
        context.close()
    assert charts and all(c["drawn"] for c in charts)
    for chart in charts:
        assert abs(chart["scale"] - 1) < 0.01, chart
        assert chart["svg"][1] <= chart["box"][1] + 1, chart
        assert chart["band"] <= MAX_BLANK_PX, chart


def test_a_facet_grid_reflows_to_fewer_columns_on_a_phone(chromium_browser, built_site, tmp_path):
    """book.js on a synthetic figure: three columns of 170 px cells become fewer on a phone, text
    is re-wrapped from the unwrapped text figure() keeps in usermeta, nothing is lost."""
    import altair as alt
    import pandas as pd

    from migration_recomputed import charts

    table = pd.DataFrame({"country": [c for c in "ABCDEFGHI" for _ in range(3)],
                          "year": [2000, 2010, 2020] * 9, "value": range(27)})
    grid = alt.Chart(table).mark_line().encode(x="year:Q", y="value:Q").properties(width=170, height=110).facet(
        facet="country:N", columns=3)
    long = "A subtitle long enough to need wrapping on any phone, " * 3
    spec = charts.figure(grid, name="grid", title="A title that is rather too long for one line on a phone",
                         subtitle=long, source="Source: made up", note="Nothing.", description="Nine lines.",
                         data_folder=tmp_path).to_dict()
    context, tab, _ = open_page(chromium_browser, built_site, "book/intro", mode="light", viewport=PHONE)
    try:
        result = tab.evaluate("""async (spec) => {
            const fitted = await bookCharts.fitSpec(spec, 340);
            return {fitted, width: (await bookCharts.measure(fitted)).total,
                    natural: (await bookCharts.measure(spec)).total};
        }""", spec)
    finally:
        context.close()
    fitted = result["fitted"]
    assert result["natural"] > 340 >= result["width"], result
    facet = fitted["vconcat"][0]
    assert 1 <= facet["columns"] < 3 and facet["spec"]["width"] >= 120
    assert " ".join(fitted["title"]["subtitle"]) == " ".join(long.split())
    assert fitted["vconcat"][0]["title"]["text"] == ["Source: made up", "Note: Nothing."]


def test_dark_mode_follows_the_system_setting(chromium_browser, built_site):
    """default_mode auto (_config.yml): a reader whose system is dark gets the dark theme."""
    context, tab, _ = open_page(chromium_browser, built_site, "book/intro", mode="auto", viewport=PHONE)
    try:
        assert tab.evaluate("document.documentElement.dataset.theme") == "dark"
    finally:
        context.close()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_captions_and_chart_cards_are_legible(chromium_browser, built_site, mode):
    problems = []
    for page in book_pages(built_site):
        context, tab, _ = open_page(chromium_browser, built_site, page, mode=mode, viewport=PHONE)
        try:
            problems += [f"{page}: {p}" for p in tab.evaluate(LEGIBILITY_JS)]
        finally:
            context.close()
    assert not problems, f"{mode} mode:\n  " + "\n  ".join(problems)


# A dropdown ({dropdown} of sphinx-design) holding a glued table wider than a phone, as chapter 1
# has had: injected into a built page so the check does not depend on today's chapter text.
WIDE_TABLE_IN_DROPDOWN_JS = """() => {
  const article = document.querySelector('main article') || document.querySelector('main');
  const cells = Array.from({length: 9}, (_, i) => `<td>cell_${i}_with_long_unbreakable_content</td>`).join('');
  const probe = document.createElement('div');
  probe.innerHTML = `<details class="sd-sphinx-override sd-dropdown sd-card sd-mb-3" id="probe-dropdown">
    <summary class="sd-summary-title sd-card-header"><span class="sd-summary-text">Probe</span></summary>
    <div class="sd-summary-content sd-card-body docutils"><div class="output text_html"><table>
    <caption>A wide probe table</caption><tbody><tr>${cells}</tr></tbody></table></div></div></details>`;
  article.prepend(probe);
}"""


def test_a_wide_table_in_a_dropdown_scrolls_in_its_own_box(chromium_browser, built_site):
    context, tab, _ = open_page(chromium_browser, built_site, "book/intro", mode="light", viewport=PHONE)
    try:
        tab.evaluate(WIDE_TABLE_IN_DROPDOWN_JS)
        tab.click("#probe-dropdown summary")
        tab.wait_for_timeout(600)  # book.js marks scrolling boxes 200 ms after a dropdown opens
        state = tab.evaluate("""() => {
            const box = document.querySelector('#probe-dropdown .output');
            const card = document.querySelector('#probe-dropdown');
            const caption = document.querySelector('#probe-dropdown caption');
            return {scrolls: box.scrollWidth > box.clientWidth, boxRight: box.getBoundingClientRect().right,
                    cardRight: card.getBoundingClientRect().right, captionRight: caption.getBoundingClientRect().right,
                    page: document.documentElement.scrollWidth, tabindex: box.getAttribute('tabindex'),
                    role: box.getAttribute('role'), label: box.getAttribute('aria-label')};
        }""")
    finally:
        context.close()
    assert state["page"] <= PHONE["width"], state
    assert state["scrolls"] and state["boxRight"] <= state["cardRight"], f"table clipped or not scrolling: {state}"
    assert state["captionRight"] <= state["boxRight"] + 1, f"caption runs off with the table: {state}"
    assert state["tabindex"] == "0" and state["role"] == "region" and "A wide probe table" in state["label"], state
