"""Every built page passes an axe-core audit of its content in light AND dark mode, colour
contrast included, with no serious or critical violation, apart from a short, documented list
that comes from the theme, Sphinx or docutils themselves.

The pages are discovered from the built site (tests/browser_pages.py: book_pages), not listed
here, so a new chapter or appendix page is audited without editing this file. Dark mode is
set the way a reader sets it: the theme's toggle stores localStorage "mode"/"theme", which
pydata-sphinx-theme 0.17 reads into html[data-mode]/[data-theme]; the system colour scheme
is emulated as dark too. The audit runs in the one visit per page and mode that the screen
tests share (tests/browser_pages.py, at 390 px); screenshots: test-artifacts/phone-dark/.
"""
from __future__ import annotations

import re

import pytest

import gates
from browser_pages import MODES

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


def upstream(rule: str, target: str) -> bool:
    return any(rule == known and re.search(pattern, target) for known, pattern, _ in UPSTREAM)


@pytest.mark.parametrize("mode", MODES)
def test_every_page_has_no_serious_accessibility_violation(site_visits, mode):
    audited = [page for (page, visited_mode) in site_visits if visited_mode == mode]
    assert "book/intro" in audited and any(p.startswith("book/chapters/") for p in audited), audited
    problems, allowed = [], 0
    for (page, visited_mode), visit in site_visits.items():
        if visited_mode != mode:
            continue
        for violation in visit.axe_violations:
            for node in violation["nodes"]:
                target = " ".join(map(str, node["target"]))
                if upstream(violation["id"], target):
                    allowed += 1
                    continue
                summary = (node.get("failureSummary") or "").replace("\n", " ")[:160]
                problems.append(f"{page}: {violation['impact']} {violation['id']} ({violation['help']}): "
                                f"{target} {summary}")
    gates.report("accessibility", f"axe-core {mode} mode: {len(audited)} pages, {len(problems)} serious or critical "
                                  f"violations of ours, {allowed} upstream ones allowed ({len(UPSTREAM)} allowlist entries)")
    assert not problems, f"{mode} mode:\n  " + "\n  ".join(problems[:30])


def test_the_allowlist_stays_short_and_explained():
    assert len(UPSTREAM) <= 5
    for rule, pattern, why in UPSTREAM:
        re.compile(pattern)
        assert len(why) > 40 and ":" in why, f"say whose markup {rule} is and why it is not fixed here"
