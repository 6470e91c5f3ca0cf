"""Every built page passes an axe-core audit of its content in light AND dark mode, colour
contrast included, with no serious or critical violation, apart from a short, documented list
that comes from the theme, Sphinx or docutils themselves.

The pages are discovered from the built site (tests/test_screens.py: book_pages), not listed
here, so a new chapter or appendix page is audited without editing this file. Dark mode is
set the way a reader sets it: the theme's toggle stores localStorage "mode"/"theme", which
pydata-sphinx-theme 0.17 reads into html[data-mode]/[data-theme]; the system colour scheme
is emulated as dark too. Dark-mode screenshots (1280 px): test-artifacts/dark/<page>.png.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_screens import ARTIFACTS, DESKTOP, artifact_name, book_pages, open_page

REPO = Path(__file__).resolve().parents[1]
AXE = REPO / "tests" / "vendor" / "axe-core" / "axe.min.js"
MODES = ["light", "dark"]

# (rule, pattern the failing element's selector matches, whose markup it is and why it is not
# fixed here). Nothing of ours.
UPSTREAM = [
    ("label-content-name-mismatch", r"theme-switch-button|nav-link|search-button",
     "pydata-sphinx-theme: its icon buttons and links carry a title that differs from their "
     "visible icon text; the markup is in the theme's templates"),
    ("label-content-name-mismatch", r'summary\[aria-label="Toggle hidden content"\]',
     "myst-nb: the show/hide toggle of code cells has a fixed aria-label; emitted by myst-nb's renderer"),
    ("aria-required-children", r"citation-list",
     "Sphinx/docutils: the bibliography is role=list whose entries are role=doc-biblioentry, "
     "which axe does not accept as list children; written by Sphinx's HTML translator"),
]

AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"color-contrast": {"enabled": True}}}


def upstream(rule: str, target: str) -> bool:
    return any(rule == known and re.search(pattern, target) for known, pattern, _ in UPSTREAM)


@pytest.mark.parametrize("mode", MODES)
def test_every_page_has_no_serious_accessibility_violation(chromium_browser, built_site, mode):
    pages = book_pages(built_site)
    assert "book/intro" in pages and any(p.startswith("book/chapters/") for p in pages), pages
    folder = ARTIFACTS / "dark"
    if mode == "dark":
        folder.mkdir(parents=True, exist_ok=True)
    problems, audited = [], []
    for page in pages:
        context, tab, _ = open_page(chromium_browser, built_site, page, mode=mode, viewport=DESKTOP)
        try:
            tab.add_script_tag(path=str(AXE))
            result = tab.evaluate(
                "async (options) => await axe.run(document.querySelector('main') || document, options)",
                AXE_OPTIONS)
            if mode == "dark":
                tab.screenshot(path=str(folder / f"{artifact_name(page)}.png"), full_page=True)
        finally:
            context.close()
        audited.append(page)
        for violation in result["violations"]:
            if violation["impact"] not in ("serious", "critical"):
                continue
            for node in violation["nodes"]:
                target = " ".join(map(str, node["target"]))
                if not upstream(violation["id"], target):
                    summary = (node.get("failureSummary") or "").replace("\n", " ")[:160]
                    problems.append(f"{page}: {violation['impact']} {violation['id']} ({violation['help']}): "
                                    f"{target} {summary}")
    print(f"axe-core, {mode} mode, audited:", audited)
    assert not problems, f"{mode} mode:\n  " + "\n  ".join(problems[:30])


def test_the_allowlist_stays_short_and_explained():
    assert len(UPSTREAM) <= 5
    for rule, pattern, why in UPSTREAM:
        re.compile(pattern)
        assert len(why) > 40 and ":" in why, f"say whose markup {rule} is and why it is not fixed here"
