"""Issue 9, item 9: reader controls. Three charts carry a control bound to a Vega-Lite parameter
(charts.reader_control): chapter 1's remittances switch between % of GDP and billion US$ (buttons),
chapter 3's ranked municipalities name the one picked in a menu, chapter 4's country record shows
the country picked in a menu. The static image shows each control's default.

In headless Chromium with the network cut, on the built site at phone width, each control is used
the way a reader would and the drawn chart must change as the data say it should; one page load
per chapter. The charts' specifications are tested in test_labour_migration.py, test_diversity.py
and test_development.py."""
from __future__ import annotations

import re

import pandas as pd
import pytest

import gates
from browser_pages import PHONE, open_page
from migration_recomputed import charts, data, development, diversity

CHAPTER_1 = "book/chapters/01_russian_labour_migration"
CHAPTER_3 = "book/chapters/03_dutch_diversity"
CHAPTER_4 = "book/chapters/04_migration_and_development"

# The chart box holding a control, what it draws (every text, the points of every symbol mark),
# its control's label, and whether the box and the page stay within a phone's width.
CHART_JS = """(control) => {
  const box = [...document.querySelectorAll('[id^="altair-viz-"]')].find(b => b.querySelector(control));
  if (!box) return null;
  const svg = box.querySelector('svg.marks');
  const input = box.querySelector(control), bind = input.closest('.vega-bind');
  const right = el => el.getBoundingClientRect().right;
  return {
    texts: [...svg.querySelectorAll('text')].map(t => t.textContent),
    points: [...svg.querySelectorAll('g.mark-symbol.role-mark')].reduce((n, g) => n + g.querySelectorAll('path').length, 0),
    label: bind ? bind.querySelector('.vega-bind-name').textContent.trim() : null,
    labelled: !!(input.closest('label') || (input.id && document.querySelector(`label[for="${input.id}"]`))),
    above: bind ? bind.getBoundingClientRect().bottom <= svg.getBoundingClientRect().top + 1 : false,
    fits: right(input) <= right(box) + 0.5 && right(bind) <= right(box) + 0.5,
    pageWidth: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
  };
}"""


def _chart(tab, control: str) -> dict:
    state = tab.evaluate(CHART_JS, control)
    assert state is not None, f"no chart on the page has the control {control}"
    return state


def _after(tab, control: str, before: dict) -> dict:
    """The chart once Vega has drawn it again (the drawing changes asynchronously)."""
    tab.wait_for_function(
        """([control, before]) => { const box = [...document.querySelectorAll('[id^="altair-viz-"]')]
             .find(b => b.querySelector(control));
           return [...box.querySelectorAll('svg.marks text')].map(t => t.textContent).join('|') !== before; }""",
        arg=[control, "|".join(before["texts"])], timeout=10_000)
    return _chart(tab, control)


def _usable(state: dict, name: str) -> list[str]:
    problems = []
    if state["label"] != name:
        problems.append(f"control labelled {state['label']!r}, not {name!r}")
    if not state["labelled"]:
        problems.append("control not inside or named by a <label>")
    if not state["above"]:
        problems.append("control not above the chart")
    if not state["fits"] or state["pageWidth"] > state["viewport"]:
        problems.append(f"control or page wider than a phone ({state['pageWidth']} px for {state['viewport']} px)")
    return problems


@pytest.fixture(scope="module")
def visit(chromium_browser, built_site):
    """Open a chapter once at phone width with the network cut; closes every page at the end."""
    contexts = []

    def opened(page: str):
        context, tab, problems = open_page(chromium_browser, built_site, page, mode="light", viewport=PHONE)
        contexts.append(context)
        return tab, problems

    yield opened
    for context in contexts:
        context.close()


def _tick_values(texts: list[str], pattern: str) -> list[float]:
    return sorted({float(match.group(1)) for text in texts if (match := re.fullmatch(pattern, text))})


def test_chapter1_buttons_show_remittances_in_dollars(visit):
    tab, problems = visit(CHAPTER_1)
    control = "input[type=radio][name=remittance_measure]"
    before = _chart(tab, control)
    assert not _usable(before, "Remittances as"), _usable(before, "Remittances as")
    assert tab.locator(f"{control}[value=share]").is_checked()
    # the buttons form one radio group named by the control's visible label (book.js)
    group = tab.get_by_role("radiogroup", name="Remittances as")
    assert group.count() == 1 and group.get_by_role("radio").count() == 2
    share_ticks = _tick_values(before["texts"], r"(\d+(?:\.\d+)?) %")
    assert share_ticks and not _tick_values(before["texts"], r"\$(\d+(?:\.\d+)?) bn")

    tab.get_by_label("billion US$", exact=True).check()  # the reader clicks the button's label
    after = _after(tab, control, before)
    dollar_ticks = _tick_values(after["texts"], r"\$(\d+(?:\.\d+)?) bn")
    assert dollar_ticks and not _tick_values(after["texts"], r"(\d+(?:\.\d+)?) %"), after["texts"]
    # the axis now ends near the largest amount any of the nine countries received (Vega rounds up)
    tabel1 = data.load("seed000_tabel1_cis_migrants")
    wdi = data.load("wdi_remittances")
    largest = wdi[wdi.country_code.isin(tabel1["iso3"])]["remittances_received_usd"].max() / 1e9
    step = dollar_ticks[1] - dollar_ticks[0]
    assert abs(dollar_ticks[-1] - largest) <= step, (dollar_ticks, largest)
    assert not problems["console"] and not problems["errors"] and not problems["blocked"], problems


def test_chapter3_menu_names_the_municipality_picked(visit):
    tab, problems = visit(CHAPTER_3)
    control = "select[name=municipality_pick]"
    municipal = diversity.municipal_diversity(data.load("cbs_kwb2022_gemeente_origin")).set_index("statcode")
    named = lambda code: f"{municipal.at[code, 'municipality']} {municipal.at[code, 'index']:.3f}"  # noqa: E731
    before = _chart(tab, control)
    assert not _usable(before, "Municipality"), _usable(before, "Municipality")
    default = tab.locator(control).input_value()
    assert named(default) in before["texts"]
    assert tab.locator(f"{control} option").count() == len(municipal)

    # the least diverse municipality, whichever the chapter's default is
    other = municipal["index"].idxmin() if default != municipal["index"].idxmin() else municipal["index"].idxmax()
    tab.locator(control).select_option(label=municipal.at[other, "municipality"])
    after = _after(tab, control, before)
    assert named(other) in after["texts"] and named(default) not in after["texts"], after["texts"]
    assert not problems["console"] and not problems["errors"] and not problems["blocked"], problems


def test_chapter4_menu_shows_another_countrys_record(visit):
    tab, problems = visit(CHAPTER_4)
    control = "select[name=profile_country]"
    before = _chart(tab, control)
    assert not _usable(before, "Country"), _usable(before, "Country")
    options = tab.locator(f"{control} option").all_inner_texts()
    default = tab.locator(control).input_value()
    assert options[0] == default and set(options) >= {"Morocco", "Sierra Leone", "Angola"}
    panels = list(development.PROFILE_PANELS.values())
    assert [f"{default}: {panel}" for panel in panels] == [t for t in before["texts"] if t.endswith(tuple(panels))]

    wdi = data.load("wdi_remittances")
    codes = development.economies_with_remittances(wdi)
    code_of = {name: code for code, name in codes.items()}
    other = next(name for name in options if name != default)
    tab.locator(control).select_option(label=other)
    after = _after(tab, control, before)
    assert [f"{other}: {panel}" for panel in panels] == [t for t in after["texts"] if t.endswith(tuple(panels))]
    # one point per year and series of the country's record in the data
    record = development.country_profile(code_of[other], wdi, data.load("wdi_population"),
                                         data.load("wdi_migrant_stock"), data.load("undesa_ims2020_totals"))
    assert after["points"] == len(record), (after["points"], len(record))
    assert not problems["console"] and not problems["errors"] and not problems["blocked"], problems
    gates.report("reader controls", "3 charts in 3 chapters with a control (buttons, 2 menus); each changed "
                                    "in Chromium offline and redrawn as the data say")


# ------------------------------------------------------------------ the shared helper

def test_a_control_needs_a_label_a_valid_default_and_a_known_kind():
    made = charts.reader_control("pick", "b", ["a", "b"], labels=["A", "B"], label="Letter ", kind="radio")
    assert made.param.to_dict() == {"name": "pick", "value": "b",
                                    "bind": {"input": "radio", "options": ["a", "b"], "labels": ["A", "B"], "name": "Letter "}}
    with pytest.raises(ValueError, match="label is empty"):
        charts.reader_control("pick", "a", ["a"], label=" ")
    with pytest.raises(ValueError, match="default 'c' is not one of its options"):
        charts.reader_control("pick", "c", ["a", "b"], label="Letter")
    with pytest.raises(ValueError, match="2 labels for 1 options"):
        charts.reader_control("pick", "a", ["a"], labels=["A", "B"], label="Letter")
    with pytest.raises(ValueError, match="kind must be one of"):
        charts.reader_control("pick", "a", ["a"], label="Letter", kind="slider")
    with pytest.raises(ValueError, match="lowercase letters"):
        charts.reader_control("Pick me", "a", ["a"], label="Letter")


def test_the_default_view_is_what_the_static_image_shows():
    """vl-convert, which draws every SVG (and so the PDF), uses a control's default value."""
    table = pd.DataFrame({"kind": ["a", "b"], "value": [1, 2]})
    import altair as alt

    pick = charts.reader_control("kind_pick", "b", ["a", "b"], label="Kind")
    chart = alt.Chart(table).mark_text().encode(text="kind:N").transform_filter("datum.kind === kind_pick")
    svg = charts.static_svg(chart.add_params(pick).to_dict())
    assert ">b</text>" in svg and ">a</text>" not in svg
