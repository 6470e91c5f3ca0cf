"""Print the whole book as one PDF (migration-recomputed.pdf at the site's root), offline.

At `build-finished`, when every page and every download is written, the pages are joined in the
order of the table of contents (front page, chapters, appendix) into one print document: each
page's article only (no navigation, buttons or search), code the page hides left out (each
chapter's code is in its download), every interactive chart replaced by the static SVG its
figure links (drawn by _ext/static_charts.py before any page is written), and every link to
another page of the book turned into a link inside the document. Debian's headless Chromium
prints it to A4 with page numbers and a PDF outline, with every request that is not a local
file refused, so the PDF is made from the same files as the site and never from the network.

Every page shows a link to the PDF in its footer. A chart without a drawn static image, or a
missing browser, is a warning, which fails the book's -W build; BOOK_PDF=0 skips the PDF (and
its link) for a contributor rebuilding one page.
"""
from __future__ import annotations

import os
import posixpath
import re
import time
from html import escape as html_escape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

PDF_NAME = "migration-recomputed.pdf"
CHROMIUM = Path("/usr/bin/chromium")
# The print document is written beside the site's pages, so its relative links to _static and
# _downloads resolve, and removed once printed: the site never publishes it.
PRINT_NAME = ".book-pdf-print.html"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]

# The site's own stylesheets for what the book adds (claims, dropdowns, notebook output), but not
# the theme's: its 400 kB of screen rules doubled Chromium's printing time, and a printed page
# needs none of its navigation. These rules give the article the theme's look on paper, light.
THEME_STYLES = "_static/styles/"
PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-family: "DejaVu Sans", sans-serif;
    font-size: 7pt; color: #555555; } }
:root { color-scheme: light; }
html, body { background: #ffffff; color: #222222; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.45;
  margin: 0; overflow-wrap: break-word; }
h1 { font-size: 22pt; font-weight: 400; line-height: 1.2; margin: 0 0 0.6em; }
h2 { font-size: 15pt; font-weight: 500; margin: 1.3em 0 0.5em; }
h3 { font-size: 12pt; margin: 1.1em 0 0.4em; }
h4, h5, h6 { font-size: 10.5pt; margin: 1em 0 0.3em; }
h1, h2, h3, h4, h5, h6 { color: #222222; break-after: avoid; }
p, li, dd { orphans: 3; widows: 3; }
a { color: #0b4f8a; }
code, pre, kbd { font-family: "DejaVu Sans Mono", monospace; font-size: 0.88em; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f5f5f5; padding: 0.5em; border-radius: 4px; }
.pdf-page { break-before: page; }
.pdf-page:first-child { break-before: auto; }
.pdf-contents { break-before: page; }
.pdf-contents ol { list-style: none; padding-left: 0; }
.pdf-contents li { margin: 0.25em 0; }
figure { margin: 1em 0; break-inside: avoid; }
figcaption { font-size: 0.9em; color: #444444; }
/* vector SVG charts, never wider than the column nor taller than a page */
img.pdf-chart { display: block; max-width: 100%; max-height: 225mm; width: auto; height: auto; margin: 0.5em 0; }
/* wide tables wrap inside the column instead of being cut at the right edge */
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: 0.6em 0; }
th, td { border-bottom: 1px solid #d0d0d0; padding: 0.2em 0.4em; text-align: left; vertical-align: top;
  overflow-wrap: break-word; hyphens: auto; white-space: normal !important; }
th { font-weight: 600; }
tr { break-inside: avoid; }
caption { caption-side: top; text-align: left; font-weight: 600; color: #222222; }
.admonition { border-left: 4px solid #0b6fa4; background: #f2f7fb; padding: 0.4em 0.9em; margin: 1em 0;
  break-inside: avoid; }
.admonition.tip { border-left-color: #00694f; background: #f0f7f3; }
.admonition-title { font-weight: 700; margin: 0.3em 0; }
.sd-dropdown { border: 1px solid #d0d0d0; border-radius: 4px; padding: 0.3em 0.8em; margin: 0.8em 0; }
.sd-summary-title { font-weight: 600; list-style: none; }
.sd-summary-state-marker, .sd-octicon { display: none; }
details > summary { list-style: none; }
details > summary::-webkit-details-marker { display: none; }
.claim-list details.claim { break-inside: avoid; }
dl.glossary dt { font-weight: 700; margin-top: 0.6em; }
dl.glossary dd { margin-left: 1.5em; }
.bibtex-citation, .citation { overflow-wrap: anywhere; }
div.citation { display: grid; grid-template-columns: auto 1fr; gap: 0 0.6em; margin: 0.3em 0; font-size: 0.92em; }
"""

def _enabled() -> bool:
    return os.environ.get("BOOK_PDF", "1") != "0"


def _warn(message: str) -> None:
    logger.warning("book_pdf: %s", message, type="book_pdf")


# --- the link on every page ------------------------------------------------------------------

def _footer_link(app, pagename, templatename, context, doctree) -> None:
    if not _enabled() or app.builder.name != "html" or "pathto" not in context:
        return
    # the footer is the same HTML on every page, so the link's relative path is computed per page
    href = context["pathto"](PDF_NAME, 1)
    link = (f'<p class="book-pdf-link"><a href="{href}" download>The whole book as one PDF</a> '
            f'(printed from these pages, charts as static images).</p>')
    context["theme_extra_footer"] = (context.get("theme_extra_footer") or "") + link


# --- which pages, in which order -------------------------------------------------------------

def pages_in_order(app) -> list[tuple[str | None, str]]:
    """(part caption, docname) of every page, front page first, in the table of contents' order."""
    env = app.env
    root = app.config.root_doc
    order: list[tuple[str | None, str]] = [(None, root)]
    seen = {root}

    def add(caption, docname):
        if docname in seen or docname not in env.all_docs:
            return
        seen.add(docname)
        order.append((caption, docname))
        for child in env.toctree_includes.get(docname, []):
            add(caption, child)

    for toctree in env.get_doctree(root).findall(addnodes.toctree):
        for _title, docname in toctree["entries"]:
            add(toctree.get("caption"), docname)
    return order


# --- the print document -----------------------------------------------------------------------

ARTICLE = re.compile(r'<article class="bd-article"[^>]*>(.*)</article>', re.DOTALL)
# Nothing a page runs is printed: a chart's script would fetch Vega, and leaving every script out
# of the print document also keeps its 2 MB of chart specifications out of Chromium's parser.
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)
STYLESHEET = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*>', re.IGNORECASE)
# A folded code cell (myst-nb's hide-input and hide-cell): never printed, so left out of the
# document too, which keeps 0.5 MB of highlighted code out of Chromium's parser.
HIDDEN_CODE_START = '<details class="admonition hide above-input">'
HREF = re.compile(r'\bhref="([^"]+)"')
SVG_HREF = re.compile(r'\bhref="([^"#?]+\.svg)"')

# Run in the print document, once, before printing. Chromium edits the 45,000 elements of the
# book's pages in a fraction of a second; Python's HTML parsers took 5-8 s for the same.
# Each page is a <section data-uri> holding its article as the site has it, without scripts.
# Returns the problems found (charts without a static image) and the number of charts replaced.
PREPARE = r"""
({pages, images}) => {
  const problems = [];
  let charts = 0;
  const anchorOf = new Map(pages.map(([uri, anchor]) => [uri, anchor]));
  const root = new URL(".", document.baseURI);
  const sitePath = (url) => decodeURIComponent(url.pathname).slice(decodeURIComponent(root.pathname).length);
  const sections = [...document.querySelectorAll("section.pdf-page")];
  for (const section of sections) {
    const base = new URL(section.dataset.uri, root);
    const anchor = section.id;
    // each chart becomes its static SVG; the text description under it, the image's alternative
    for (const chart of section.querySelectorAll('div[id^="altair-viz-"]')) {
      const figure = chart.closest("figure");
      const link = figure && [...figure.querySelectorAll("a[href]")]
        .find((a) => new URL(a.getAttribute("href"), base).pathname.endsWith(".svg"));
      const source = link && images[sitePath(new URL(link.getAttribute("href"), base))];
      if (!source) {
        problems.push(`${section.dataset.uri}: chart ${chart.id} has ` + (link ? "no drawn static SVG" :
          "no static SVG linked in its figure (link it with {download}`SVG <chart_data/NAME.svg>` in the caption)"));
        continue;
      }
      const image = document.createElement("img");
      image.className = "pdf-chart";
      image.src = source;
      const description = figure.nextElementSibling;
      if (description && description.matches("details.sd-dropdown")) {
        const body = description.querySelector(".sd-summary-content") || description;
        image.alt = body.textContent.replace(/\s+/g, " ").trim();
        description.remove();
      }
      (chart.closest("div.output") || chart).replaceWith(image);
      charts += 1;
    }
    // code the page hides (each chapter's code is in its download), the toggles that reveal it,
    // heading permalinks, and what needs JavaScript or a screen
    section.querySelectorAll("noscript, form, button, style, details.hide, .tag_hide-cell, .tag_remove-cell, "
      + "a.headerlink, .pst-js-only, .d-print-none, .claims-explorer").forEach((node) => node.remove());
    // exercise solutions and every group of claims are printed open (a claim's own details stay
    // folded: its summary line carries the claim and its verdict)
    section.querySelectorAll("details.sd-dropdown, details.claim-group").forEach((node) => { node.open = true; });
    section.querySelectorAll("[id]").forEach((node) => { node.id = `${anchor}-${node.id}`; });
    section.id = anchor;
    for (const image of section.querySelectorAll("img[src]:not(.pdf-chart)")) {
      image.src = new URL(image.getAttribute("src"), base).href;
    }
    // a link to a page of the book leads to it inside the PDF; a link to a download or a page
    // outside the book would lead nowhere from a PDF, so it is left as text
    for (const link of section.querySelectorAll("a[href]")) {
      const href = link.getAttribute("href");
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) continue;
      const fragment = href.includes("#") ? href.slice(href.indexOf("#") + 1) : "";
      const target = href.startsWith("#") ? anchor : anchorOf.get(sitePath(new URL(href, base)));
      if (target) link.setAttribute("href", "#" + (fragment ? `${target}-${fragment}` : target));
      else link.replaceWith(...link.childNodes);
    }
  }
  // the contents, after the front page: every other page under its part of the table of contents
  const nav = document.createElement("nav");
  nav.className = "pdf-contents";
  nav.setAttribute("aria-label", "Contents");
  nav.innerHTML = "<h2>Contents</h2>";
  let list = null, caption = null;
  for (const section of sections.slice(1)) {
    if (!list || section.dataset.caption !== caption) {
      caption = section.dataset.caption;
      if (caption) nav.appendChild(Object.assign(document.createElement("h3"), {textContent: caption}));
      list = nav.appendChild(document.createElement("ol"));
    }
    const title = section.querySelector("h1");
    const item = list.appendChild(document.createElement("li")).appendChild(document.createElement("a"));
    item.href = "#" + section.id;
    item.textContent = title ? title.textContent.replace(/\s+/g, " ").trim() : section.dataset.uri;
  }
  sections[0].after(nav);
  return {problems, charts};
}
"""


def _site_path(page_uri: str, link: str) -> str:
    """`link` (relative to the page at `page_uri`) as a path from the site's root."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), unquote(link)))


def _chart_images(site: Path, page_uri: str, article: str, images: dict[str, str]) -> None:
    """Map each static SVG the article links to its file. The SVGs already name the fonts with the
    metrics vl-convert laid them out with (charts.STATIC_FONT), so they are printed as they are."""
    for href in SVG_HREF.findall(article):
        target = _site_path(page_uri, href)
        if target in images:
            continue
        try:
            svg = (site / target).read_text(encoding="utf-8")
        except OSError:
            svg = ""
        if "<svg" not in svg[:400]:
            _warn(f"{page_uri}: the static image {target} is missing or empty (_ext/static_charts.py draws it)")
            continue
        images[target] = (site / target).as_uri()


def without_hidden_code(article: str) -> str:
    """`article` without the folded code cells (HIDDEN_CODE_START to its </details>). A fold
    with another <details> inside is left for PREPARE, which removes it in the browser."""
    kept, position = [], 0
    while (start := article.find(HIDDEN_CODE_START, position)) >= 0:
        end = article.find("</details>", start)
        if end < 0:
            break
        end += len("</details>")
        if article.find("<details", start + len(HIDDEN_CODE_START), end) >= 0:
            kept.append(article[position:start + len(HIDDEN_CODE_START)])
            position = start + len(HIDDEN_CODE_START)
            continue
        kept.append(article[position:start])
        position = end
    kept.append(article[position:])
    return "".join(kept)


# A block a page marks data-pdf="omit" (the claims ledger's lists, which repeat the chapters'
# own) is left out of the print document, and the note that says where to find it instead
# (hidden on the web page) is shown. The marked blocks hold no <div> (claims_view.claim_list_html).
PDF_OMITTED = re.compile(r'<div class="[^"]*" data-pdf="omit">.*?</div>', re.DOTALL)
PDF_ONLY_HIDDEN = '<p class="pdf-only" hidden>'


def for_print(article: str) -> str:
    """`article` without the blocks marked data-pdf="omit", with its print-only notes shown."""
    return PDF_OMITTED.sub("", article).replace(PDF_ONLY_HIDDEN, '<p class="pdf-only">')


def print_document(app, site: Path) -> tuple[str, dict]:
    """The whole book as one HTML document, to be written at the site's root, and the arguments
    of PREPARE, which finishes it in the browser."""
    order = pages_in_order(app)
    stylesheets: list[str] = []
    sections, pages, images = [], [], {}
    for number, (caption, docname) in enumerate(order):
        uri = app.builder.get_target_uri(docname)
        html = (site / uri).read_text(encoding="utf-8")
        if not stylesheets:
            stylesheets = [_site_path(uri, href) for tag in STYLESHEET.findall(html) for href in HREF.findall(tag)
                           if not urlsplit(href).scheme and not _site_path(uri, href).startswith(THEME_STYLES)]
        found = ARTICLE.search(html)
        if found is None:
            raise ExtensionError(f"book_pdf: {uri} has no <article class=\"bd-article\">: the theme changed")
        article = for_print(without_hidden_code(SCRIPT.sub("", found.group(1))))
        _chart_images(site, uri, article, images)
        sections.append(f'<section class="pdf-page" id="p{number}" data-uri="{html_escape(uri)}" '
                        f'data-caption="{html_escape(caption or "")}">{article}</section>')
        pages.append((uri, f"p{number}"))
    links = "".join(f'<link rel="stylesheet" href="{html_escape(href)}">' for href in stylesheets)
    document = (f'<!DOCTYPE html><html lang="{app.config.language or "en"}">'
                f'<head><meta charset="utf-8"><title>{html_escape(book_title(app))}</title>{links}'
                f'<style>{PRINT_CSS}</style></head><body><main>{"".join(sections)}</main></body></html>')
    return document, {"pages": pages, "images": images}


def book_title(app) -> str:
    """The book's title, the PDF's title in a reader's document list: _config.yml's `title`, which
    Jupyter Book passes to Sphinx as html_title (its `project` stays Sphinx's placeholder)."""
    return app.config.html_title or app.config.project


# Arial's advance widths (in ems): "i" is 0.2222 and "W" 0.9443 in Arial and Liberation Sans alike.
METRIC_CHECK = """() => {
  const context = document.createElement("canvas").getContext("2d");
  context.font = "100px Arial, 'Liberation Sans', Helvetica";
  return context.measureText("iW").width;
}"""


def _print(html: Path, pdf: Path, prepare: dict) -> int:
    """Finish the print document in Chromium and print it to `pdf`; return the number of charts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else route.abort())
            page.emulate_media(media="print", color_scheme="light")
            # Checked on the blank page, which is all the check needs. After the book is loaded,
            # setting a canvas font first restyles its 100 pages, work that pdf() then mostly
            # does not repeat: checked here, the print is about 0.05 s shorter, not 0.2 s.
            width = page.evaluate(METRIC_CHECK)
            if abs(width - 116.65) > 1.5:
                _warn("no font with Arial's metrics (Liberation Sans), so the charts' titles would run past "
                      "their edges in the PDF: run tools/install_browser.sh (it installs fonts-liberation)")
            page.goto(html.as_uri(), wait_until="load")
            prepared = page.evaluate(PREPARE, prepare)
            for problem in prepared["problems"]:
                _warn(problem)
            partial = pdf.with_name(pdf.name + ".partial")
            # The PDF's bookmarks are the pages' headings; Chromium makes them only for a tagged PDF.
            # Page numbers come from the @page rule's margin box (PRINT_CSS), not from Chromium's
            # footer template, which is laid out again for every page: 1.3 s of the 102 pages.
            page.pdf(path=str(partial), format="A4", print_background=True, outline=True, tagged=True,
                     prefer_css_page_size=True)
            partial.replace(pdf)  # a reader of the site never sees half a PDF
            return prepared["charts"]
        finally:
            browser.close()


def _build_pdf(app, exception) -> None:
    if exception is not None or app.builder.name != "html":
        return
    if not _enabled():
        logger.info("book_pdf: BOOK_PDF=0, so no %s this time", PDF_NAME)
        return
    if not CHROMIUM.exists():
        _warn(f"{CHROMIUM} not found, so the book's PDF cannot be printed: run tools/install_browser.sh "
              "(or set BOOK_PDF=0 to build without the PDF)")
        return
    site = Path(app.outdir)
    if getattr(app, "_book_pdf_pages_read", None) == 0 and (site / PDF_NAME).is_file():
        # an incremental rebuild with nothing changed: the pages, so the PDF, are as they were
        logger.info("book_pdf: no page changed, %s kept", PDF_NAME)
        return
    started = time.monotonic()
    html = site / PRINT_NAME
    document, prepare = print_document(app, site)
    assembled = time.monotonic()
    html.write_text(document, encoding="utf-8")
    try:
        charts = _print(html, site / PDF_NAME, prepare)
    except Exception as error:  # playwright's message names the browser's problem
        _warn(f"Chromium could not print {PDF_NAME}: {error}")
        return
    finally:
        html.unlink(missing_ok=True)
    logger.info("book_pdf: printed %s (%d pages of the book, %d charts) in %.1f s (%.1f s to assemble, "
                "%.1f s to print)", PDF_NAME, len(pages_in_order(app)), charts, time.monotonic() - started,
                assembled - started, time.monotonic() - assembled)


def _count_pages_read(app, env, docnames) -> None:
    app._book_pdf_pages_read = len(docnames)


def setup(app):
    app.connect("env-before-read-docs", _count_pages_read)
    app.connect("html-page-context", _footer_link)
    app.connect("build-finished", _build_pdf)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
