"""migration_recomputed.charts: the figure contract (title, subtitle, source, note,
description, downloadable CSV, static SVG) and the book's theme and renderer."""
from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from migration_recomputed import charts

# Okabe & Ito (2008), "Color Universal Design": the eight colours of the palette.
OKABE_ITO_PUBLISHED = {
    "#000000",  # black
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
}

TEXT = dict(title="Remittances as % of GDP, 2013",
            subtitle="Personal remittances received divided by GDP, current US$",
            source="Source: World Bank (World Development Indicators)",
            note="Aggregates left out.",
            description="Bar chart: Tajikistan 43.8 %, Kyrgyz Republic 31.1 %, Moldova 23.1 % of GDP in 2013.")


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame({"country_code": ["TJK", "KGZ", "MDA"],
                         "remittances_pct_gdp": [43.768357, 31.056409, 23.076815],
                         "year": [2013, 2013, 2013]})


@pytest.fixture
def chart(table) -> alt.Chart:
    return alt.Chart(table).mark_bar().encode(x="remittances_pct_gdp:Q", y="country_code:N")


@pytest.fixture
def book_style():
    """use_book_style() switches Altair's global theme and renderer: put them back afterwards."""
    theme, renderer = alt.theme.active, alt.renderers.active
    charts.use_book_style()
    yield
    alt.theme.enable(theme)
    alt.renderers.enable(renderer)


def test_figure_writes_the_chart_data_as_csv_and_a_static_svg(tmp_path, chart, table):
    charts.figure(chart, name="remittance_share", data_folder=tmp_path, **TEXT)
    written = pd.read_csv(tmp_path / "remittance_share.csv")
    pd.testing.assert_frame_equal(written, table)
    svg = (tmp_path / "remittance_share.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert TEXT["title"] in svg  # the title is drawn into the static image
    assert sorted(path.name for path in tmp_path.iterdir()) == ["remittance_share.csv", "remittance_share.svg"]


def test_figure_spec_carries_description_title_subtitle_and_footer(tmp_path, chart):
    spec = charts.figure(chart, name="remittance_share", data_folder=tmp_path, **TEXT).to_dict()
    assert spec["description"] == TEXT["description"]
    assert spec["title"]["text"] == TEXT["title"]
    assert spec["title"]["subtitle"] == [TEXT["subtitle"]]
    footer = spec["vconcat"][0]["title"]
    assert footer["orient"] == "bottom"
    assert footer["text"] == [TEXT["source"], "Note: " + TEXT["note"]]


def test_long_subtitle_and_footer_are_wrapped_without_losing_words(tmp_path, chart):
    long_text = dict(TEXT, subtitle=" ".join(["definition"] * 30), note=" ".join(["caveat"] * 40))
    spec = charts.figure(chart, name="wrapped", data_folder=tmp_path, **long_text).to_dict()
    subtitle = spec["title"]["subtitle"]
    assert len(subtitle) > 1 and all(len(line) <= 90 for line in subtitle)
    assert " ".join(subtitle) == long_text["subtitle"]
    footer = spec["vconcat"][0]["title"]["text"]
    assert all(len(line) <= 110 for line in footer)
    assert " ".join(footer) == f"{TEXT['source']} Note: {long_text['note']}"


@pytest.mark.parametrize("label", ["title", "subtitle", "source", "note", "description"])
def test_empty_text_raises_value_error_naming_the_field(tmp_path, chart, label):
    text = dict(TEXT, **{label: "   "})
    with pytest.raises(ValueError, match=f"figure 'blank': {label} is empty"):
        charts.figure(chart, name="blank", data_folder=tmp_path, **text)
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_chart_without_a_dataframe_raises_type_error(tmp_path):
    chart = alt.Chart("data.csv").mark_point().encode(x="a:Q")
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        charts.figure(chart, name="url_data", data_folder=tmp_path, **TEXT)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["Remittances", "remittance share", "../x", "a-b", ""])
def test_bad_figure_names_raise_value_error(tmp_path, chart, name):
    with pytest.raises(ValueError, match="must be lowercase letters, digits and underscores"):
        charts.figure(chart, name=name, data_folder=tmp_path, **TEXT)
    assert not (tmp_path.parent / "x.csv").exists()


def test_theme_category_range_uses_only_okabe_ito_colours():
    category = charts.book_theme()["config"]["range"]["category"]
    assert category == charts.OKABE_ITO
    assert set(category) <= OKABE_ITO_PUBLISHED
    # every colourful entry of the palette is there, in this order (blue first, as the chapters rely on)
    assert [colour for colour in category if colour != "#000000"] == [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]


def test_theme_category_range_leaves_black_for_reference_lines():
    assert "#000000" not in charts.book_theme()["config"]["range"]["category"]


def test_use_book_style_enables_theme_and_renderer(book_style):
    assert alt.theme.active == "migration_recomputed"
    assert alt.renderers.active == "migration_recomputed"
    assert alt.theme.get()()["config"]["range"]["category"] == charts.OKABE_ITO
    assert alt.theme.get()()["config"]["view"]["continuousWidth"] == charts.CHART_WIDTH


def test_book_renderer_bundle_has_interactive_html_and_png(book_style, tmp_path, chart):
    finished = charts.figure(chart, name="bundle", data_folder=tmp_path, **TEXT)
    bundle = finished._repr_mimebundle_()
    data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
    assert "vegaEmbed" in data["text/html"]
    assert TEXT["description"] in data["text/html"]  # the spec, with its description, is in the page
    png = data["image/png"]
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG\r\n\x1a\n")
    assert metadata["image/png"]["width"] > 0 and metadata["image/png"]["height"] > 0
