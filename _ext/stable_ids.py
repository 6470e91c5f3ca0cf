"""Stable element ids: the same sources give the same pages, byte for byte where it matters.

Two libraries put random ids into the pages: Altair names each chart's container
altair-viz-<uuid4> (and vega-embed's script refers to it), and a pandas Styler names its table
and its CSS rules T_<5 random hex digits>. So every build changed every chapter page, which
hid real changes in a diff of two builds (tests/test_determinism.py) and defeated caching.
At html-page-context this renames them, per page, in order of appearance: altair-viz-1, 2, ...
and T_table1, 2, ... Every occurrence is renamed together, so the scripts and the CSS rules
still find their element. Ids that are not random (anything else) are left alone.
"""
from __future__ import annotations

import re

ALTAIR = re.compile(r"altair-viz-[0-9a-f]{32}")
STYLER_TABLE = re.compile(r'<table id="T_([0-9a-f]{5})"')
# T_<uuid> is followed by "_" (cells, headers) or by the end of the id/selector, and starts a word
# (checked in stabilise: a pattern opening with \b or a look-behind is not scanned for its literal
# "T_", and took 0.035 s over the four chapter pages instead of 0.002 s)
STYLER_ID = re.compile(r"T_([0-9a-f]{5})(?![0-9a-zA-Z])")
WORD = re.compile(r"\w")


def stabilise(html: str) -> str:
    """`html` with Altair's and pandas' random ids replaced by ordinal ones, consistently."""
    charts: dict[str, str] = {}
    html = ALTAIR.sub(lambda m: charts.setdefault(m.group(0), f"altair-viz-{len(charts) + 1}"), html)
    tables = {uuid: f"T_table{index}" for index, uuid in enumerate(dict.fromkeys(STYLER_TABLE.findall(html)), start=1)}

    def renamed(found: re.Match) -> str:
        starts_a_word = found.start() == 0 or not WORD.match(html, found.start() - 1)
        return tables.get(found.group(1), found.group(0)) if starts_a_word else found.group(0)

    # one pass over the page for all its tables (a pass per table read a chapter page 10 times)
    return STYLER_ID.sub(renamed, html) if tables else html


def setup(app):
    def on_page_context(app, pagename, templatename, context, doctree):
        if "body" in context:
            context["body"] = stabilise(context["body"])

    app.connect("html-page-context", on_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
