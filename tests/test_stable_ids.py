"""_ext/stable_ids.py: Altair's and pandas' random ids become ordinal, consistently."""
from __future__ import annotations

import sys
from pathlib import Path

import altair as alt
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
import stable_ids  # noqa: E402


def two_tables_and_a_chart() -> str:
    frame = pd.DataFrame({"country": ["Kazakhstan", "Ukraine"], "migrants": [3.5, 4.8]})
    chart = alt.Chart(frame).mark_bar().encode(x="migrants:Q", y="country:N")
    return (frame.style.highlight_max(subset=["migrants"]).to_html() + chart._repr_mimebundle_()["text/html"]
            + frame.style.set_caption("second").to_html())


def test_the_same_content_gives_the_same_page():
    first, second = two_tables_and_a_chart(), two_tables_and_a_chart()
    assert first != second  # the libraries' ids are random
    assert stable_ids.stabilise(first) == stable_ids.stabilise(second)


def test_every_occurrence_of_an_id_is_renamed_together():
    page = stable_ids.stabilise(two_tables_and_a_chart())
    assert '<table id="T_table1"' in page and '<table id="T_table2"' in page
    assert "#T_table1_row1_col1" in page  # highlight_max's CSS rule still finds its cell
    assert 'id="altair-viz-1"' in page and page.count("altair-viz-1") >= 2  # the div and the script
    assert not stable_ids.ALTAIR.search(page) and not stable_ids.STYLER_TABLE.search(page)


def test_other_ids_are_left_alone():
    html = '<table id="T_summary"><td id="T_12345x">'
    assert stable_ids.stabilise(html) == html


def test_a_hex_id_that_is_not_a_tables_is_left_alone():
    html = '<table id="T_abcde"><td id="T_abcde_row0_col0"></td></table><p id="T_12345">'
    assert stable_ids.stabilise(html) == '<table id="T_table1"><td id="T_table1_row0_col0"></td></table><p id="T_12345">'


def test_a_tables_id_inside_a_longer_word_is_left_alone():
    html = '<table id="T_abcde"><p>XT_abcde, _T_abcde, 9T_abcde and ¬T_abcde</p>'
    assert stable_ids.stabilise(html) == '<table id="T_table1"><p>XT_abcde, _T_abcde, 9T_abcde and ¬T_table1</p>'
