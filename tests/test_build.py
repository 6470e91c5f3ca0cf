"""The strict Jupyter Book build (warnings are errors) and what the built site must hold."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

import file_modules
import gates

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((REPO / "book" / "chapters").glob("*.md"))


def toc_files() -> list[str]:
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def test_build_succeeds_without_warnings(build_result, built_site):
    completed, _ = build_result
    log = completed.stdout + completed.stderr
    assert completed.returncode == 0
    # ipykernel's notice about its TCP transport is not a Sphinx warning (it does not trip -W)
    warnings = [line for line in log.splitlines() if "WARNING" in line and "[IPKernelApp]" not in line]
    assert not warnings, "\n".join(warnings[:20])


def test_every_toc_entry_is_built(built_site):
    for entry in toc_files():
        page = built_site / f"{entry}.html"
        assert page.is_file(), f"{entry} is in _toc.yml but {page.name} was not built"
    assert CHAPTERS and all(f"book/chapters/{c.stem}" in toc_files() for c in CHAPTERS), \
        "a chapter in book/chapters is missing from _toc.yml"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_page_holds_every_chart_and_download(built_site, chapter):
    source = chapter.read_text(encoding="utf-8")
    html = (built_site / "book" / "chapters" / f"{chapter.stem}.html").read_text(encoding="utf-8")
    figures = len(re.findall(r"^```\{glue:figure\}", source, flags=re.MULTILINE))
    charts = len(set(re.findall(r'id="(altair-viz-[^"]+)"', html)))
    assert figures >= 1 and charts == figures, f"{figures} glued figures in the source, {charts} charts on the page"
    # each chart carries its text alternative into the page
    assert html.count('"description"') >= figures
    for target in re.findall(r"\{download\}`[^<`]*<([^>]+)>`", source):
        name = Path(target).name
        assert list((built_site / "_downloads").glob(f"*/{name}")), f"download {name} missing from the site"
        assert f"/{name}" in html, f"no link to {name} on the page"
    assert html.count("Text description of the chart") == figures


def test_chapter1_page_shows_numbers_computed_from_the_data(built_site):
    html = (built_site / "book" / "chapters" / "01_russian_labour_migration.html").read_text(encoding="utf-8")
    tabel1 = pd.read_csv(REPO / "data" / "seeds" / "seed000_tabel1_cis_migrants_in_russia_2015.csv")
    assert f"{tabel1['immigrants'].sum():,.0f}" in html  # the nine rows' total, glued into the prose
    assert "Tajikistan" in html and "depends on the data revision" in html


def test_no_page_loads_anything_from_the_network(built_site):
    """The browser test proves it for chapter pages; this checks every page's tags statically."""
    remote = re.compile(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(?:https?:)?//[^"]+"', re.IGNORECASE)
    offenders = {}
    for page in built_site.rglob("*.html"):
        found = remote.findall(page.read_text(encoding="utf-8"))
        if found:
            offenders[str(page.relative_to(built_site))] = found[:3]
    assert not offenders, offenders


def test_data_sources_page_lists_every_resource(built_site):
    import json
    html = (built_site / "book" / "appendix" / "data_sources.html").read_text(encoding="utf-8")
    for resource in json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))["resources"]:
        assert f"data/{resource['path']}" in html, resource["path"]


def test_chapter_page_weight_is_reasonable(built_site):
    """Charts embed their data as JSON; a chapter page over 2 MB means a chart carries too much."""
    for chapter in CHAPTERS:
        page = built_site / "book" / "chapters" / f"{chapter.stem}.html"
        assert page.stat().st_size < 2_000_000, f"{page.name}: {page.stat().st_size:,} bytes"


def test_the_ledger_page_is_a_claims_explorer_with_claimreview_records(built_site):
    """Every claim of every source on one page, filterable, linked to its chapter; the checked
    ones as schema.org ClaimReview JSON-LD, also offered as CSV, JSON and JSON-LD downloads."""
    import json

    from migration_recomputed import claim_reviews

    html = (built_site / "book" / "appendix" / "claims_ledger.html").read_text(encoding="utf-8")
    ledger = pd.read_csv(REPO / "data" / "claims.csv")
    ids = re.findall(r'<details class="claim claim-\w+" id="claim-([a-z0-9-]+)" data-chapter="(\d)"', html)
    assert sorted(claim for claim, _ in ids) == sorted(ledger["claim_id"].str.lower())
    for claim, chapter in ids:
        stem = next(path.stem for path in CHAPTERS if path.name.startswith(f"0{chapter}_"))
        assert f'href="../chapters/{stem}.html#claim-{claim}"' in html, claim
        chapter_page = (built_site / "book" / "chapters" / f"{stem}.html").read_text(encoding="utf-8")
        assert f'id="claim-{claim}"' in chapter_page, f"{claim}: no entry to link to in {stem}"
    for name in ("chapter", "source", "verdict"):
        assert f'<select name="{name}">' in html
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.DOTALL)
    assert len(blocks) == 1
    reviews = json.loads(blocks[0])
    unchecked = ledger["check"].str.startswith("none:").sum()
    assert len(reviews) == len(ledger) - unchecked
    assert all(claim_reviews.missing_fields(review) == [] for review in reviews)
    for name in ("claims_ledger.csv", "claims_ledger.json", "claim_reviews.jsonld", "ledger_verdicts_per_chapter.svg"):
        assert list((built_site / "_downloads").glob(f"*/{name}")), name


def test_the_link_report_finds_every_external_link_of_each_page(built_site):
    """_ext/link_report.py's fast search finds exactly the links of its plain pattern, on every
    built page and on the cases that pattern draws its line at."""
    link_report = file_modules.load("_ext/link_report.py")
    cases = ['<a href="https://x">', '<a xhref="https://x">', '<img SRC="http://y">', '<a data-href="https://z">',
             'href="https://a" src="http://b"', '<p>="https://no"</p>', '<a href="ftp://no">', 'href="http://"']
    pages = [page for page in built_site.rglob("*.html") if page.relative_to(built_site).parts[0] != "_static"]
    for html in cases + [page.read_text(encoding="utf-8") for page in pages]:
        assert link_report.links_in(html) == link_report.LINK.findall(html), html[:80]
    assert sum(len(link_report.links_in(page.read_text(encoding="utf-8"))) for page in pages) > 0


def test_every_internal_link_and_anchor_of_the_site_resolves(built_site):
    """Every href and src of every built page that stays on the site points at a file that exists,
    and every #fragment at an id (or name) on that page. External links are listed at build time
    in external-links.txt (_ext/link_report.py): they cannot be checked offline."""
    from urllib.parse import unquote, urlsplit

    attribute = re.compile(r'\b(?:href|src)="([^"]*)"', re.IGNORECASE)
    anchors: dict[Path, set[str]] = {}

    def ids(page: Path) -> set[str]:
        if page not in anchors:
            text = page.read_text(encoding="utf-8", errors="replace")
            anchors[page] = set(re.findall(r'\b(?:id|name)="([^"]+)"', text))
        return anchors[page]

    broken, checked = [], 0
    # the site's pages, not the theme's Jinja templates that Sphinx copies into _static/
    pages = sorted(page for page in built_site.rglob("*.html")
                   if page.relative_to(built_site).parts[0] not in ("_static", "_sources", "_downloads"))
    for page in pages:
        for link in attribute.findall(page.read_text(encoding="utf-8")):
            link = link.replace("&amp;", "&")
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("//", "data:", "javascript:", "mailto:")) or not link:
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(built_site)}: {link} (no such file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids(target):
                broken.append(f"{page.relative_to(built_site)}: {link} (no such anchor)")
    listed = (built_site / "external-links.txt").read_text(encoding="utf-8").splitlines()
    gates.report("links", f"{checked} internal links and anchors on {len(pages)} pages, {len(broken)} broken "
                          f"(and the build's nitpicky mode); {len(listed)} external links listed in external-links.txt")
    assert not broken, "\n".join(broken[:30])
    assert listed and all(line.startswith(("http://", "https://")) for line in listed)


def test_a_rebuild_with_nothing_changed_executes_nothing_and_data_are_dependencies(build_result, built_site):
    """_ext/incremental.py: a chapter's own outputs (chart data, SVGs) no longer make it look
    outdated, and every file in data/ is a dependency of each executed page, so `jupyter-book
    build .` while editing re-executes exactly the pages a changed data file feeds."""
    import pickle
    import subprocess

    from conftest import build_command, build_environment

    output = built_site.parents[1]
    if os.environ.get("BUILT_SITE"):
        pytest.skip("BUILT_SITE: the site was not built by this session")
    rebuild = subprocess.run(build_command(output, clean=False), cwd=REPO, capture_output=True, text=True,
                             timeout=600, env=build_environment(output))
    log = rebuild.stdout + rebuild.stderr
    assert rebuild.returncode == 0, log[-3000:]
    assert "0 added, 0 changed, 0 removed" in log, log[-3000:]
    assert "Executed" not in log and "no page changed, migration-recomputed.pdf kept" in log

    with open(output / "_build" / ".doctrees" / "environment.pickle", "rb") as handle:
        environment = pickle.load(handle)
    chapter = environment.dependencies["book/chapters/01_russian_labour_migration"]
    assert any(str(dependency).endswith("data/datapackage.json") for dependency in chapter), sorted(chapter)[:5]
    assert not environment.dependencies.get("book/appendix/glossary"), "a page without code depends on no data"
