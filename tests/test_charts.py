"""migration_recomputed.charts: the figure contract (title, subtitle, source, note,
description, downloadable CSV, static SVG) and the book's theme and renderer."""
from __future__ import annotations

import json
import re

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


def test_figure_writes_the_chart_data_as_csv_and_its_specification(tmp_path, chart, table):
    finished = charts.figure(chart, name="remittance_share", data_folder=tmp_path, **TEXT)
    written = pd.read_csv(tmp_path / "remittance_share.csv")
    pd.testing.assert_frame_equal(written, table)
    spec = json.loads((tmp_path / "remittance_share.vl.json").read_text(encoding="utf-8"))
    assert spec == finished.to_dict()
    assert spec["title"]["text"] == TEXT["title"] and spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["remittance_share.csv", "remittance_share.vl.json"]


def test_write_static_image_draws_the_specification_as_svg_with_its_text(tmp_path, chart):
    charts.figure(chart, name="remittance_share", data_folder=tmp_path, **TEXT)
    assert charts.write_static_images(tmp_path) == [tmp_path / "remittance_share.svg"]
    svg = (tmp_path / "remittance_share.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert TEXT["title"] in svg  # the title, source and note are drawn into the static image
    assert TEXT["source"] in svg
    assert not list(tmp_path.glob("*.partial"))
    # its text names the fonts whose widths it was laid out with, not the page's system-ui
    fonts = set(re.findall(r'font-family="([^"]*)"', svg))
    assert fonts == {charts.STATIC_FONT}, fonts


def test_write_static_image_refuses_an_invalid_chart_naming_file_and_place(tmp_path, chart, monkeypatch):
    """In the book's build figure() leaves the schema check to the drawing thread: it must refuse
    an invalid specification, naming the file and where in the chart the error is."""
    monkeypatch.setenv(charts.VALIDATED_BY_BUILD, "1")
    charts.figure(chart, name="wrong_mark", data_folder=tmp_path, **TEXT)
    spec_file = tmp_path / "wrong_mark.vl.json"
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    spec["vconcat"][0]["mark"] = {"type": "wobble"}
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(ValueError, match=r"wrong_mark\.vl\.json: not a valid Vega-Lite .* chart at vconcat/0"):
        charts.write_static_image(spec_file)
    assert not (tmp_path / "wrong_mark.svg").exists()


def test_write_static_image_names_a_broken_specification(tmp_path):
    broken = tmp_path / "broken.vl.json"
    broken.write_text('{"mark": ', encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.vl\.json: cannot read the chart specification"):
        charts.write_static_image(broken)
    with pytest.raises(ValueError, match="not a chart specification"):
        charts.write_static_image(tmp_path / "broken.json")
    assert not (tmp_path / "broken.svg").exists()


def test_figure_spec_carries_description_title_subtitle_and_footer(tmp_path, chart):
    spec = charts.figure(chart, name="remittance_share", data_folder=tmp_path, **TEXT).to_dict()
    assert spec["description"] == TEXT["description"]
    assert spec["title"]["text"] == TEXT["title"]
    assert spec["title"]["subtitle"] == [TEXT["subtitle"]]
    footer = spec["vconcat"][0]["title"]
    assert footer["orient"] == "bottom"
    assert footer["text"] == [TEXT["source"], "Note: " + TEXT["note"]]


def test_long_title_subtitle_and_footer_are_wrapped_without_losing_words(tmp_path, chart):
    long_text = dict(TEXT, title=" ".join(["finding"] * 12), subtitle=" ".join(["definition"] * 30),
                     note=" ".join(["caveat"] * 40))
    spec = charts.figure(chart, name="wrapped", data_folder=tmp_path, **long_text).to_dict()
    title = spec["title"]["text"]
    assert len(title) > 1 and all(len(line) <= charts.TITLE_CHARACTERS for line in title)
    assert " ".join(title) == long_text["title"]
    subtitle = spec["title"]["subtitle"]
    assert len(subtitle) > 1 and all(len(line) <= charts.SUBTITLE_CHARACTERS for line in subtitle)
    assert " ".join(subtitle) == long_text["subtitle"]
    footer = spec["vconcat"][0]["title"]["text"]
    assert all(len(line) <= charts.FOOTER_CHARACTERS for line in footer)
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


def test_a_figure_displays_its_converted_specification_as_interactive_html(book_style, tmp_path, chart,
                                                                            monkeypatch):
    finished = charts.figure(chart, name="bundle", data_folder=tmp_path, **TEXT)
    # displaying (or gluing) the figure must not convert and validate the chart again
    monkeypatch.setattr(alt.VConcatChart, "to_dict", lambda *a, **k: pytest.fail("converted twice"))
    bundle = finished._repr_mimebundle_()
    data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
    assert "vegaEmbed" in data["text/html"]
    assert TEXT["description"] in data["text/html"]  # the spec, with its description, is in the page
    assert "image/svg+xml" not in data  # the static image is drawn by the build, not in the kernel
    assert finished.description == TEXT["description"] and finished.name == "bundle"


# ---- phone width and dark mode (book/_static/book.js, book.css; tests/test_screens.py)

def _font_sizes(node, path=""):
    """Every (path, value) whose key names a font size, anywhere in a theme or spec."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.lower().endswith("fontsize"):
                yield f"{path}.{key}", value
            yield from _font_sizes(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _font_sizes(value, f"{path}[{index}]")


def _contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_theme_and_footer_text_are_never_smaller_than_the_minimum(tmp_path, chart):
    """book.js draws charts at scale 1 on a phone, so these are the sizes a reader sees."""
    sizes = list(_font_sizes(charts.book_theme()["config"]))
    sizes += list(_font_sizes(charts.figure(chart, name="sizes", data_folder=tmp_path, **TEXT).to_dict()))
    assert len(sizes) >= 8  # title, subtitle, axis, legend, header, footer
    too_small = [(path, size) for path, size in sizes if size < charts.MIN_FONT_SIZE]
    assert not too_small
    assert charts.MIN_FONT_SIZE >= 11


def test_theme_text_colours_meet_wcag_aa_on_the_white_chart_card():
    config = charts.book_theme()["config"]
    assert config["background"] == "#ffffff"  # the card book.css draws in light and dark mode
    colours = {config["title"]["color"], config["title"]["subtitleColor"], config["axis"]["labelColor"],
               config["axis"]["titleColor"], config["legend"]["labelColor"], config["header"]["labelColor"],
               charts.MUTED_TEXT_COLOR}
    for colour in colours:
        # 0.92: the card is dimmed by CSS brightness(0.92) in dark mode
        dimmed = "#" + "".join(f"{round(0.92 * 255):02x}" for _ in range(3))
        assert _contrast(colour, "#ffffff") >= 4.5 and _contrast(colour, dimmed) >= 4.5, colour


def test_figure_keeps_its_text_unwrapped_for_narrow_screens(tmp_path, chart):
    """book.js re-wraps title, subtitle and footer to a phone's width from these, one paragraph
    each for source and note (the spec's own lines are wrapped for the desktop width)."""
    long_text = dict(TEXT, subtitle=" ".join(["definition"] * 30))
    spec = charts.figure(chart, name="meta", data_folder=tmp_path, **long_text).to_dict()
    meta = spec["usermeta"][charts.USERMETA_KEY]
    assert meta == {"title": TEXT["title"], "subtitle": long_text["subtitle"],
                    "footer": [TEXT["source"], "Note: " + TEXT["note"]]}
    assert len(spec["title"]["subtitle"]) > 1  # the desktop spec itself is still wrapped


def test_figure_output_loads_the_fitting_script_through_the_global_vega_embed(book_style, tmp_path, chart):
    """book.js wraps the global vegaEmbed; Altair's HTML must keep calling it by that name."""
    html = charts.figure(chart, name="global", data_folder=tmp_path, **TEXT)._repr_mimebundle_()
    data = html[0] if isinstance(html, tuple) else html
    assert "vegaEmbed(outputDiv, spec, embedOpt)" in data["text/html"]


def test_book_js_reads_the_usermeta_key_figure_writes(repo):
    script = (repo / "book" / "_static" / "book.js").read_text(encoding="utf-8")
    assert f'const META = "{charts.USERMETA_KEY}";' in script


def _views(table):
    base = alt.Chart(table).mark_bar().encode(x="remittances_pct_gdp:Q", y="country_code:N")
    control = charts.reader_control("shown", "TJK", ["TJK", "KGZ"], label="Country")
    other = charts.reader_control("measure", "pct", ["pct", "usd"], label="Measure", kind="radio")
    return {
        "single view": base.properties(width=300),
        "layers": base + alt.Chart(table).mark_text().encode(x="remittances_pct_gdp:Q", y="country_code:N",
                                                             text="year:O"),
        "facet": base.properties(width=170, height=110).facet("year:O", columns=3),
        "transform": base.transform_filter(alt.datum.year == 2013),
        # Altair gathers parameters at the top of a concatenation, each once
        "reader control": base.add_params(control).transform_filter(alt.datum.country_code == control),
        "layers with controls": alt.layer(base.add_params(control), alt.Chart(table).mark_text().encode(
            x="remittances_pct_gdp:Q", y="country_code:N", text="year:O").add_params(control, other)).properties(height=200),
        "selection": base.add_params(alt.selection_point(fields=["country_code"])),
        "concatenation": alt.hconcat(base, base),
    }


@pytest.mark.parametrize("kind", ["single view", "layers", "facet", "transform", "reader control",
                                  "layers with controls", "selection", "concatenation"])
def test_the_builds_finished_specification_is_altairs(tmp_path, table, book_style, monkeypatch, kind):
    """In the book's build figure() makes the finished specification from one conversion of the
    chart (finished_spec); it must be exactly what Altair's vconcat gives, keys and order."""
    chart = _views(table)[kind]
    monkeypatch.setenv(charts.VALIDATED_BY_BUILD, "1")
    built = charts.figure(chart, name="built", data_folder=tmp_path, **TEXT)
    monkeypatch.delenv(charts.VALIDATED_BY_BUILD)
    checked = charts.figure(chart, name="checked", data_folder=tmp_path, **TEXT)
    assert built.spec == checked.spec and list(built.spec) == list(checked.spec)
    assert built.chart.to_dict(validate=False) == built.spec  # the Altair object, made when asked for
    assert (tmp_path / "built.vl.json").read_text(encoding="utf-8") == (tmp_path / "checked.vl.json").read_text(
        encoding="utf-8")


def test_finished_spec_converts_the_chart_once_when_it_can(table, book_style, monkeypatch):
    views = _views(table)
    calls = []
    original = alt.vconcat
    monkeypatch.setattr(alt, "vconcat", lambda *args, **kwargs: calls.append(1) or original(*args, **kwargs))
    footer, top = {"text": ["Source"]}, {"title": {"text": "T"}, "description": "d", "usermeta": {}}
    for kind in ("single view", "layers", "facet", "transform", "reader control", "layers with controls"):
        charts.finished_spec(views[kind], footer, top)
    assert calls == []
    charts.finished_spec(views["selection"], footer, top)  # Altair names the views a selection acts on
    assert calls == [1]


def test_the_check_reads_a_datasets_first_row_and_a_bad_chart_whole(tmp_path, chart, table):
    """check_specification walks only the first row of each inline dataset; the chart around the
    data is checked whole, and an invalid chart is reported with the place of its error."""
    spec = charts.figure(chart, name="remittance_share", data_folder=tmp_path, **TEXT).to_dict()
    (name, rows), = spec["datasets"].items()
    assert len(rows) == 3 and charts._first_rows(spec)["datasets"] == {name: rows[:1]}
    assert spec["datasets"][name] == rows  # the chart itself is left as it was
    charts.check_specification(spec, "remittance_share.vl.json")
    spec["datasets"][name] = 42  # a dataset of the wrong kind is still refused
    with pytest.raises(ValueError, match=r"remittance_share\.vl\.json: not a valid Vega-Lite .* at datasets/"):
        charts.check_specification(spec, "remittance_share.vl.json")
