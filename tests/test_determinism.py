"""Gate 4 of issue 9: two builds of the same sources give the same book.

The test session builds the book twice: `built_site` (tests/conftest.py) and `second_site`,
a second build from a copy of this checkout started when the tests are collected. Compared:
every page's main content (text, tables, glued values and each chart's embedded Vega-Lite
specification), only the execution-statistics timings taken out (Altair's and pandas' random
element ids are made stable by the build itself, _ext/stable_ids.py), and every download (chart data CSV, specification, static SVG, data, claims; zips member
by member, since a zip also stores file times).
"""
from __future__ import annotations

import difflib
import hashlib
import re
import zipfile
from pathlib import Path

import gates

MAIN = re.compile(r"<main\b.*?</main>", re.DOTALL)
# The execution-statistics page (book/appendix/execution.md) is about timings: they may differ.
TIMINGS_PAGE = "book/appendix/execution.html"
TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
GLUED = re.compile(r'class="pasted-(?:text|inline)')
CHART = re.compile(r'id="altair-viz-')


def comparable_main(html: str, page: str) -> str:
    """The page's <main>, with the timings, which may differ between two identical builds, out."""
    found = MAIN.search(html)
    main = found.group(0) if found else html
    if page == TIMINGS_PAGE:
        main = TABLE.sub("<table>(timings)</table>", main)
    return main


def download_fingerprint(path: Path) -> str:
    """A file's content hash; for a zip, the hash of its members' names and contents."""
    if path.suffix == ".zip":
        digest = hashlib.sha256()
        with zipfile.ZipFile(path) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                digest.update(info.filename.encode() + b"\0" + archive.read(info) + b"\0")
        return digest.hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def first_difference(a: str, b: str, context: int = 2) -> str:
    lines_a, lines_b = a.replace(">", ">\n").splitlines(), b.replace(">", ">\n").splitlines()
    diff = list(difflib.unified_diff(lines_a, lines_b, "first build", "second build", n=context, lineterm=""))
    return "\n".join(line[:200] for line in diff[:16])


def compare_sites(first: Path, second: Path) -> tuple[dict[str, int], list[str]]:
    """Counts of what was compared, and every difference found, each naming its page or file."""
    counts = {"pages": 0, "charts": 0, "tables": 0, "glued": 0, "downloads": 0}
    differences = []
    pages_first = sorted(p.relative_to(first).as_posix() for p in first.rglob("*.html"))
    pages_second = sorted(p.relative_to(second).as_posix() for p in second.rglob("*.html"))
    if pages_first != pages_second:
        differences.append(f"different pages: {sorted(set(pages_first) ^ set(pages_second))}")
    for page in sorted(set(pages_first) & set(pages_second)):
        a = comparable_main((first / page).read_text(encoding="utf-8"), page)
        b = comparable_main((second / page).read_text(encoding="utf-8"), page)
        counts["pages"] += 1
        counts["charts"] += len(CHART.findall(a))
        counts["tables"] += len(TABLE.findall(a))
        counts["glued"] += len(GLUED.findall(a))
        if a != b:
            differences.append(f"{page}:\n{first_difference(a, b)}")
    downloads_first = {p.relative_to(first).as_posix(): p for p in (first / "_downloads").rglob("*") if p.is_file()}
    downloads_second = {p.relative_to(second).as_posix(): p for p in (second / "_downloads").rglob("*") if p.is_file()}
    if set(downloads_first) != set(downloads_second):
        differences.append(f"different downloads: {sorted(set(downloads_first) ^ set(downloads_second))[:10]}")
    for name in sorted(set(downloads_first) & set(downloads_second)):
        counts["downloads"] += 1
        if download_fingerprint(downloads_first[name]) != download_fingerprint(downloads_second[name]):
            differences.append(f"download {name} differs")
    return counts, differences


def test_two_builds_give_the_same_book(built_site, second_site):
    counts, differences = compare_sites(built_site, second_site)
    gates.report("determinism", f"two builds: {counts['pages']} pages, {counts['charts']} chart specifications, "
                                f"{counts['tables']} tables, {counts['glued']} glued values, {counts['downloads']} "
                                f"downloads compared; {len(differences)} differences")
    assert counts["charts"] and counts["tables"] and counts["glued"], counts
    assert not differences, "\n\n".join(differences[:5])


def test_a_changed_number_is_a_difference(built_site, tmp_path):
    """The comparison must be able to fail: one glued value changed in a copy of one page."""
    page = "book/chapters/01_russian_labour_migration.html"
    html = (built_site / page).read_text(encoding="utf-8")
    glued = re.search(r'(<span class="pasted-text">)([^<]*\d[^<]*)(</span>)', html)
    assert glued, f"no glued number in {page}"
    changed = html[:glued.start(2)] + glued.group(2).replace(re.search(r"\d", glued.group(2)).group(0), "X", 1) \
        + html[glued.end(2):]
    copy = tmp_path / "site"
    (copy / page).parent.mkdir(parents=True)
    (copy / page).write_text(changed, encoding="utf-8")
    (copy / "_downloads").mkdir()
    original = tmp_path / "original"
    (original / page).parent.mkdir(parents=True)
    (original / page).write_text(html, encoding="utf-8")
    (original / "_downloads").mkdir()
    counts, differences = compare_sites(original, copy)
    assert counts["pages"] == 1 and len(differences) == 1 and page in differences[0], differences
