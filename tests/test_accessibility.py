"""Every built page passes an axe-core audit of its content with no serious or critical
violation, apart from a short, documented list that comes from the theme or Sphinx itself."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
AXE = REPO / "tests" / "vendor" / "axe-core" / "axe.min.js"
PAGES = ["book/intro", "book/chapters/01_russian_labour_migration", "book/appendix/claims_ledger",
         "book/appendix/data_sources", "book/appendix/glossary", "book/appendix/for_educators"]

# (rule, pattern the failing element's selector matches, whose markup it is). Nothing of ours.
UPSTREAM = [
    ("label-content-name-mismatch", r"theme-switch-button|nav-link|search-button",
     "pydata-sphinx-theme: icon buttons and links"),
    ("label-content-name-mismatch", r'summary\[aria-label="Toggle hidden content"\]',
     "myst-nb: the show/hide toggle of code cells"),
    ("aria-required-children", r"citation-list", "Sphinx/docutils: the bibliography list"),
]


def upstream(rule: str, target: str) -> bool:
    return any(rule == known and re.search(pattern, target) for known, pattern, _ in UPSTREAM)


@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_serious_accessibility_violation(chromium_browser, built_site, page):
    html = built_site / f"{page}.html"
    assert html.is_file(), f"{page} was not built"
    context = chromium_browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(html.as_uri(), wait_until="load")
        tab.wait_for_timeout(1500)  # let vega draw the charts
        tab.add_script_tag(path=str(AXE))
        result = tab.evaluate(
            "async () => await axe.run(document.querySelector('main') || document, "
            "{resultTypes: ['violations']})")
    finally:
        context.close()
    problems = []
    for violation in result["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        for node in violation["nodes"]:
            target = " ".join(map(str, node["target"]))
            if not upstream(violation["id"], target):
                problems.append(f"{violation['impact']} {violation['id']} ({violation['help']}): {target}")
    assert not problems, f"{page}:\n  " + "\n  ".join(problems[:20])
