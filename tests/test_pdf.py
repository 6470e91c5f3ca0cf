"""The whole book as one PDF (_ext/book_pdf.py): linked from every page, every page of the table
of contents in it in order, every chart drawn from its static image, no placeholder.

Titles and charts are read from the built site, never typed here: a page or a chart added to the
book is checked without touching this file.
"""
from __future__ import annotations

import re
import unicodedata
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import file_modules
import gates
from test_build import toc_files

# a Sphinx extension, not a package: loaded from its file, so _ext stays off sys.path
book_pdf = file_modules.load("_ext/book_pdf.py")

# What stands in for a chart that was not drawn: Altair's loader and error messages, vega-embed's
# default label, a chart container's id.
PLACEHOLDERS = ("Error loading script", "Javascript Error", "This usually means there's a typo",
                "Vega visualization", "altair-viz")


def squeeze(text: str) -> str:
    """Text compared without spacing, line breaks, ligatures or hyphenation at line ends."""
    return re.sub(r"[\s\u00ad]+", "", unicodedata.normalize("NFKC", text))


def page_title(html: str) -> str:
    article = html[html.index('<article class="bd-article"'):]
    found = re.search(r"<h1>(.*?)<a class=\"headerlink\"", article, flags=re.DOTALL)
    assert found, "no <h1> with a permalink: the theme changed"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def chart_titles(site: Path, page: Path) -> list[tuple[str, list[str]]]:
    """(chart id, the title lines drawn in its static SVG: its title and its source note) of every
    chart on a built page."""
    html = page.read_text(encoding="utf-8")
    found = []
    for figure in re.findall(r"<figure\b.*?</figure>", html, flags=re.DOTALL):
        for chart in dict.fromkeys(re.findall(r'id="(altair-viz-[^"]+)"', figure)):
            svg_links = re.findall(r'href="([^"]+\.svg)"', figure)
            assert svg_links, f"{page.name}: chart {chart} has no static SVG in its figure"
            svg = (page.parent / unquote(urlsplit(svg_links[0]).path)).read_text(encoding="utf-8")
            blocks = re.findall(r'class="mark-text role-title-text".*?</g>', svg, flags=re.DOTALL)
            assert blocks, f"{svg_links[0]}: no title drawn in the static image"
            found.append((chart, [unescape(re.sub(r"<[^>]+>", " ", block.split(">", 1)[1])) for block in blocks]))
    charts_on_page = set(re.findall(r'id="(altair-viz-[^"]+)"', html))
    assert len(found) == len(charts_on_page), f"{page.name}: a chart outside a <figure>"
    return found


@pytest.fixture(scope="module")
def pdf(built_site):
    # pdfium reads the text of the 100 pages in about a second; pypdf took 30 s over the charts'
    # vector drawings (it still reads the links and the outline below)
    import pypdfium2

    path = built_site / book_pdf.PDF_NAME
    assert path.is_file(), f"{path.name} is missing from the site: the build did not print it"
    document = pypdfium2.PdfDocument(path)
    try:
        return path, [document[index].get_textpage().get_text_range().replace("\r\n", "\n")
                      for index in range(len(document))]
    finally:
        document.close()


@pytest.mark.slow
def test_every_page_links_the_pdf(built_site):
    pages = [page for page in built_site.rglob("*.html")
             if page.relative_to(built_site).parts[0] not in ("_static", "_sources", "_downloads")
             and page.stat().st_size > 200]  # index.html is a redirect to the front page
    assert len(pages) >= len(toc_files())
    target = (built_site / book_pdf.PDF_NAME).resolve()
    for page in pages:
        links = [href for href in re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8"))
                 if href.endswith(book_pdf.PDF_NAME)]
        assert links, f"{page.relative_to(built_site)} does not link {book_pdf.PDF_NAME}"
        assert all((page.parent / link).resolve() == target for link in links), (page, links)


@pytest.mark.slow
def test_the_pdf_has_every_page_in_order_every_chart_and_no_placeholder(built_site, pdf):
    path, texts = pdf
    # the page number (an @page margin box) may come first in a page's text; a page opens with
    # what follows it (each page's number is checked below)
    squeezed = [squeeze(text.replace(f"{number} / {len(texts)}", "", 1)) for number, text in enumerate(texts, start=1)]
    # every page of the table of contents starts a PDF page of its own, in the table's order
    # (the contents list after the front page names them all too, so a title must open a page)
    titles = [(entry, page_title((built_site / f"{entry}.html").read_text(encoding="utf-8"))) for entry in toc_files()]
    starts, after = [], -1
    for entry, title in titles:
        opening = [i for i, text in enumerate(squeezed) if i > after and text.startswith(squeeze(title))]
        assert opening, f"{entry}: no PDF page after page {after + 1} opens with its title {title!r}"
        after = opening[0]
        starts.append(after)
    # every chart is drawn: the title and source note its static SVG draws are text on its page's pages
    charts = 0
    ends = starts[1:] + [len(texts)]
    for (entry, _), start, end in zip(titles, starts, ends):
        own_pages = "".join(squeezed[start:end])
        for chart, drawn in chart_titles(built_site, built_site / f"{entry}.html"):
            for text in drawn:
                assert squeeze(text) in own_pages, f"{entry}: chart {chart} ({text!r}) is not drawn in the PDF"
            charts += 1
    assert charts >= sum(1 for entry in toc_files() if entry.startswith("book/chapters/")), "no charts found"
    # nothing stands in for a chart, no page is empty, every page is numbered
    everything = "\n".join(texts)
    found = [marker for marker in PLACEHOLDERS if marker in everything]
    assert not found, f"placeholders in the PDF: {found}"
    for number, text in enumerate(texts, start=1):
        assert f"{number} / {len(texts)}" in text, f"PDF page {number} has no page number"
        assert len(text.replace(f"{number} / {len(texts)}", "").strip()) > 20, f"PDF page {number} is empty"
    chapters = sum(1 for entry, _ in titles if entry.startswith("book/chapters/"))
    appendix = sum(1 for entry, _ in titles if entry.startswith("book/appendix/"))
    gates.report("pdf", f"{len(texts)} PDF pages, {chapters} chapters + {appendix} appendix pages, {charts} chart "
                        f"images, {len(found)} placeholders ({path.stat().st_size / 1e6:.1f} MB)")


@pytest.mark.slow
def test_the_pdf_links_inside_itself_and_has_an_outline(built_site, pdf):
    """Cross-references between pages became links inside the PDF; no link points at the
    build machine's files; the bookmarks list every page's title; the document's own title (what
    a reader's PDF viewer and document list show) is the book's, from _config.yml."""
    import yaml
    from pypdf import PdfReader

    reader = PdfReader(built_site / book_pdf.PDF_NAME)
    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "_config.yml").read_text(encoding="utf-8"))
    assert reader.metadata.title == config["title"], reader.metadata.title
    internal, local = 0, []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            uri = str(action.get_object().get("/URI", "")) if action is not None else ""
            if uri.startswith("file:"):
                local.append(uri)
            elif not uri and (annotation.get("/Dest") is not None or action is not None):
                internal += 1
    assert not local, f"links to the build machine's files: {local[:3]}"
    assert internal > len(toc_files()), f"only {internal} links inside the PDF"
    bookmarks = [squeeze(item["/Title"]) for item in reader.outline if not isinstance(item, list)]
    for entry in toc_files():
        title = squeeze(page_title((built_site / f"{entry}.html").read_text(encoding="utf-8")))
        assert title in bookmarks, f"{entry}: {title} is not a bookmark of the PDF"


def test_a_chart_without_its_static_image_is_reported(chromium_browser, tmp_path):
    """The step that swaps charts for their SVG names a chart it cannot swap (a warning, which
    fails the -W build), and leaves the others swapped."""
    document = tmp_path / book_pdf.PRINT_NAME  # at a site's root, as the build writes it
    page = chromium_browser.new_page()
    try:
        document.write_text('<section class="pdf-page" id="p0" data-uri="book/intro.html" data-caption="">'
                         '<h1>Front</h1></section>'
                         '<section class="pdf-page" id="p1" data-uri="book/chapters/x.html" data-caption="Chapters">'
                         '<h1>X</h1><figure><div class="output"><div id="altair-viz-drawn"></div></div>'
                         '<figcaption><a href="../../_downloads/a/drawn.svg">SVG</a></figcaption></figure>'
                         '<figure><div class="output"><div id="altair-viz-undrawn"></div></div>'
                         '<figcaption><a href="../../_downloads/b/undrawn.svg">SVG</a></figcaption></figure>'
                         '<div id="altair-viz-loose"></div></section>', encoding="utf-8")
        page.goto(document.as_uri())
        result = page.evaluate(book_pdf.PREPARE, {"pages": [["book/intro.html", "p0"], ["book/chapters/x.html", "p1"]],
                                                  "images": {"_downloads/a/drawn.svg": "file:///tmp/drawn.svg"}})
        assert result["charts"] == 1
        assert len(result["problems"]) == 2
        assert "altair-viz-undrawn has no drawn static SVG" in result["problems"][0]
        assert "altair-viz-loose has no static SVG linked in its figure" in result["problems"][1]
        assert page.locator("img.pdf-chart").count() == 1
        assert page.locator("nav.pdf-contents li").all_inner_texts() == ["X"]
    finally:
        page.close()


def test_a_missing_browser_fails_the_build_with_the_fix_and_book_pdf_0_skips(monkeypatch, tmp_path):
    warnings = []
    monkeypatch.setattr(book_pdf, "_warn", warnings.append)
    monkeypatch.setattr(book_pdf, "CHROMIUM", tmp_path / "no-chromium")

    class Builder:
        name = "html"

    app = type("App", (), {"builder": Builder(), "outdir": str(tmp_path)})()
    monkeypatch.setenv("BOOK_PDF", "0")
    book_pdf._build_pdf(app, None)
    assert warnings == [] and not (tmp_path / book_pdf.PDF_NAME).exists()
    monkeypatch.delenv("BOOK_PDF")
    book_pdf._build_pdf(app, None)
    assert len(warnings) == 1 and "tools/install_browser.sh" in warnings[0] and "BOOK_PDF=0" in warnings[0]


def test_folded_code_is_left_out_of_the_print_document_before_the_browser_reads_it():
    fold = book_pdf.HIDDEN_CODE_START + '<summary>Show code cell source</summary><pre>x = 1</pre></details>'
    nested = book_pdf.HIDDEN_CODE_START + '<details class="claim"><summary>a</summary></details></details>'
    article = f"<p>before</p>{fold}<p>between</p>{nested}<p>after</p>{fold}"
    assert book_pdf.without_hidden_code(article) == f"<p>before</p><p>between</p>{nested}<p>after</p>"
    assert book_pdf.without_hidden_code("<p>no code</p>") == "<p>no code</p>"


def test_a_block_marked_for_omission_gives_way_to_its_print_note():
    from migration_recomputed import claims, claims_view

    shown = claims.for_readers(claims.checked_ledger(chapter=1))
    listed = claims_view.claim_list_html(shown, source_name="the document", pdf_note="Listed in <a href=\"x\">chapter 1</a>.")
    plain = claims_view.claim_list_html(shown, source_name="the document")
    assert listed.count("<div") == 1 and plain.count("<div") == 1  # for_print ends a block at its first </div>
    article = f"<h3>Source document 000</h3>{listed}<p>after</p>"
    assert book_pdf.for_print(article) == ('<h3>Source document 000</h3><p class="pdf-only">Listed in '
                                          '<a href="x">chapter 1</a>.</p><p>after</p>')
    assert book_pdf.for_print(plain) == plain  # a chapter's own list is printed


@pytest.mark.slow
def test_the_printed_ledger_points_to_the_chapters_instead_of_repeating_their_claims(built_site, pdf):
    """The ledger's web page lists every claim again under its source document; the PDF prints
    each chapter's list once, at the chapter's end, and the ledger says where."""
    _, texts = pdf
    ledger = (built_site / "book/appendix/claims_ledger.html").read_text(encoding="utf-8")
    notes = re.findall(r'<p class="pdf-only" hidden>(.*?)</p>', ledger, flags=re.DOTALL)
    documents = re.findall(r"<h3 class=\"rubric\"[^>]*>Source document (\d{3})", ledger)
    assert len(notes) == len(documents) >= 5, (len(notes), documents)
    everything = squeeze("\n".join(texts))
    for note in notes:
        assert squeeze(unescape(re.sub(r"<[^>]+>", "", note))) in everything
    # each claim's line is printed once: in its chapter, not again in the ledger
    claim = re.search(r'<span class="claim-text">(.*?)</span>', ledger).group(1)
    assert everything.count(squeeze(unescape(claim))) == 1, claim
