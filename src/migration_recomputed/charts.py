"""The book's figure contract: one Altair theme and one way to finish a chart.

Every chart in the book leaves `figure()` with a title that states the measure,
a subtitle with the definition, a source line and a note drawn into the chart
(so they survive in the static image), a text description for screen readers,
and the exact table it was drawn from written to CSV for download, together
with its Vega-Lite specification, which the build draws once as a static SVG for PDF
and plain viewers (_ext/static_charts.py).

On the web page, book/_static/book.js lays each chart out again for the width of its column
when the design does not fit (a phone): title, subtitle and footer re-wrapped from the
unwrapped text kept in the spec's usermeta, a narrower plot, legends stacked, a facet grid in
fewer columns. Text therefore keeps the sizes set here (never below MIN_FONT_SIZE) instead of
being scaled down. Charts are shown on a white card in light and dark mode (book.css).

Facets: give cells a fixed width (e.g. ``.properties(width=170, height=110).facet(...,
columns=3)``); on a narrow screen book.js reduces the columns (cells 120 px to 1.5x their
width, heights in proportion), so nothing in the chapter has to change. Avoid
``width="container"``: Vega-Lite cannot fit a chart wrapped in figure()'s vconcat.
"""
from __future__ import annotations

import copy
import functools
import json
import os
import re
from pathlib import Path
from typing import Callable

import altair as alt
import pandas as pd

# Okabe & Ito (2008), the palette designed to stay distinct under the common
# colour-vision deficiencies; black is left out so it can mark reference lines.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
# The book's column on a desktop (a 1280 px window: 654 px for a chart) is what a chart is designed
# for: a chart that fits it as designed is drawn once, while book.js lays out again (measuring
# candidates headless, then drawing twice) one that does not: 8 of chapter 3's 13 charts did, and
# its charts took 1.7-1.8 s to draw in headless Chromium instead of 1.3-1.4 s. Plots are
# CHART_WIDTH wide (axis labels and legends come on top) and text is wrapped at these many
# characters per line, which fit that column in the widest common face (DejaVu Sans, Linux's
# system-ui); tests/test_screens.py checks that every chart of the book fits.
CHART_WIDTH = 460
TITLE_CHARACTERS = 65
SUBTITLE_CHARACTERS = 80
FOOTER_CHARACTERS = 95
CHART_HEIGHT = 300
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
DEFAULT_DATA_FOLDER = "chart_data"
# Text is never drawn smaller than this (px at the chart's own scale). On the web page the
# book's script (book/_static/book.js) re-lays a chart out at the column's width instead of
# shrinking it, so this is also the size a reader sees on a 390 px phone.
MIN_FONT_SIZE = 11
FOOTER_FONT_SIZE = 11
TEXT_COLOR = "#222222"
MUTED_TEXT_COLOR = "#444444"  # 9.7:1 on the white chart card
# Key under the spec's `usermeta` where figure() keeps its unwrapped text, so that book.js can
# wrap title, subtitle and footer again for a narrow column.
USERMETA_KEY = "migration_recomputed"
# figure() writes each finished chart's Vega-Lite specification as <name>.vl.json.
SPEC_SUFFIX = ".vl.json"
# Set to "1" by tools/build.sh: figure() skips Altair's schema check, which write_static_image
# runs in the build's background process instead, and Altair does not check each part of a chart
# as it is made (its debug mode); papermill runs and the tests keep both checks in the kernel.
VALIDATED_BY_BUILD = "BOOK_CHARTS_VALIDATED_BY_BUILD"


@alt.theme.register("migration_recomputed", enable=False)
def book_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            # Charts sit on a white card in light and dark mode alike (book/_static/book.css):
            # the palette and the black reference lines are designed for a white ground.
            "background": "#ffffff",
            "view": {"continuousWidth": CHART_WIDTH, "continuousHeight": CHART_HEIGHT,
                     "discreteWidth": CHART_WIDTH, "discreteHeight": CHART_HEIGHT, "stroke": None},
            "range": {"category": OKABE_ITO},
            "title": {"anchor": "start", "fontSize": 16, "subtitleFontSize": 13, "color": TEXT_COLOR,
                      "subtitleColor": MUTED_TEXT_COLOR, "offset": 12},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": TEXT_COLOR,
                     "titleColor": TEXT_COLOR, "gridColor": "#e6e6e6", "labelLimit": 220},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": TEXT_COLOR, "titleColor": TEXT_COLOR,
                       "orient": "top", "direction": "horizontal", "labelLimit": 400, "columns": 2},
            "header": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": TEXT_COLOR, "titleColor": TEXT_COLOR},
        }
    }


# vl-convert lays a static chart's text out with Arial's advance widths; an SVG that names FONT
# (system-ui first) is drawn by a viewer in a wider face (DejaVu Sans on Debian) and a long title
# runs past the image's edge. The static image names fonts with Arial's metrics instead.
STATIC_FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
_FONT_ATTRIBUTE = re.compile(r'font-family="[^"]*"')


def static_svg(spec: dict) -> str:
    """The chart as SVG, drawn offline by vl-convert (the Vega-Lite version Altair targets), its
    text set in fonts with the metrics it was laid out with (STATIC_FONT)."""
    from altair.vegalite.v6 import display

    svg = display.svg_renderer(spec)["image/svg+xml"]
    return _FONT_ATTRIBUTE.sub(f'font-family="{STATIC_FONT}"', svg)


def write_static_image(spec_file: str | Path) -> Path:
    """Draw <name>.vl.json (written by figure()) as <name>.svg beside it; return the SVG's path.

    The book's build does this for every SVG a page links (_ext/static_charts.py), outside the
    chapter's kernel: the converter's runtime then starts once per build instead of once per
    chapter. After a papermill run, `python -m migration_recomputed.charts chart_data` does the same.
    """
    spec_file = Path(spec_file)
    if not spec_file.name.endswith(SPEC_SUFFIX):
        raise ValueError(f"{spec_file}: not a chart specification (<name>{SPEC_SUFFIX}, written by charts.figure)")
    try:
        spec = json.loads(spec_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"{spec_file}: cannot read the chart specification: {error}") from None
    check_specification(spec, spec_file)
    target = spec_file.with_name(spec_file.name.removesuffix(SPEC_SUFFIX) + ".svg")
    partial = target.with_name(target.name + ".partial")
    partial.write_text(static_svg(spec), encoding="utf-8")
    partial.replace(target)  # readers of the folder never see half an image
    return target


def check_specification(spec: dict, where: str | Path) -> None:
    """Raise ValueError naming `where` unless `spec` is a valid chart for the Vega-Lite version
    Altair targets (what Altair's own to_dict() checks).

    A valid chart is recognised by one validator built once per process (_chart_validator);
    Altair's own check rebuilds its validator and a copy of the schema on every call, which took
    0.25 s a chart, half of the build's drawing time. Its inline datasets are checked on their
    first row only (_first_rows): Altair writes each from a DataFrame, as rows of one kind, and
    walking every row of the book's 29 charts was 60 % of the check (1.3 s of 2.1 s), for
    nothing the first row does not show. An invalid chart is checked again whole, by Altair's
    function, which picks the most specific error to report."""
    import jsonschema
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    fast = _chart_validator()
    if fast.is_valid(_first_rows(spec)):
        return
    try:
        validate_jsonschema(spec, load_schema())
        error = jsonschema.exceptions.best_match(fast.iter_errors(spec))
    except jsonschema.ValidationError as found:
        error = found
    path = "/".join(str(part) for part in error.absolute_path) or "(top level)"
    raise ValueError(f"{where}: not a valid Vega-Lite {alt.SCHEMA_VERSION} chart at {path}: "
                     f"{error.message}") from None


def _first_rows(spec: dict) -> dict:
    """`spec` with each of its inline datasets (Altair's top-level `datasets`) cut to its first row."""
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict):
        return spec
    return {**spec, "datasets": {name: rows[:1] if isinstance(rows, list) else rows
                                 for name, rows in datasets.items()}}


@functools.cache
def _chart_validator():
    """A validator for Vega-Lite's schema, built as Altair builds its own (the schema's draft,
    its format checker) and kept for the process."""
    import jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    schema = load_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    return validator_class(schema, format_checker=getattr(validator_class, "FORMAT_CHECKER", None))


def write_static_images(folder: str | Path = DEFAULT_DATA_FOLDER) -> list[Path]:
    """Draw every chart specification in `folder` as SVG (see write_static_image)."""
    return [write_static_image(path) for path in sorted(Path(folder).glob(f"*{SPEC_SUFFIX}"))]


def book_renderer(spec: dict, **metadata) -> dict:
    """Interactive HTML for the web page, with Altair's own template; the book's Sphinx extension
    serves Vega from _static/ so nothing is fetched from a CDN. The static SVG of each figure is
    drawn by the build from the specification figure() wrote (write_static_image)."""
    from altair.vegalite.v6 import display

    return dict(display.html_renderer(spec, **metadata))


class Figure:
    """A finished chart: its Vega-Lite specification, converted (and validated) once by figure().

    Displayed (or glued) it renders that specification with the active renderer, so Altair does
    not convert and validate the chart a second time. `chart` is the finished Altair object, for
    anyone who wants to change it (the change then needs figure() again); it is made when first
    asked for, as the book's pages never ask."""

    def __init__(self, spec: dict, name: str, description: str, finish: Callable[[], alt.TopLevelMixin]):
        self.spec, self.name, self.description, self._finish = spec, name, description, finish

    @functools.cached_property
    def chart(self) -> alt.TopLevelMixin:
        return self._finish()

    def to_dict(self) -> dict:
        return copy.deepcopy(self.spec)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return alt.renderers.get()(self.to_dict())

    def __repr__(self) -> str:
        return f"<Figure {self.name!r}: {self.spec.get('title', {}).get('text', '')}>"


def use_book_style() -> None:
    """Call once at the top of a chapter: the book's theme and renderer."""
    alt.theme.enable("migration_recomputed")
    if os.environ.get(VALIDATED_BY_BUILD) == "1":
        # every finished chart is checked whole when the build draws it (write_static_image)
        alt.utils.schemapi.disable_debug_mode()
    alt.renderers.register("migration_recomputed", book_renderer)
    # No vega-embed actions menu: its "Open in Vega Editor" link leaves the site, its menu
    # button has no accessible name, and each figure already offers its CSV and an SVG.
    alt.renderers.enable("migration_recomputed", embed_options={"actions": False})


def _slug(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"figure name {name!r} must be lowercase letters, digits and underscores")
    return name


def figure(chart: alt.TopLevelMixin, *, name: str, title: str, subtitle: str, source: str,
           note: str, description: str, data_folder: str | Path = DEFAULT_DATA_FOLDER) -> Figure:
    """Finish `chart` with the book's figure contract; write its data and its specification.

    chart        an Altair chart whose data is a tidy pandas DataFrame (the one offered for download)
    name         file stem for <data_folder>/<name>.csv (the data) and <name>.vl.json (the
                 finished Vega-Lite specification, which the build draws as <name>.svg)
    title        the measure or the finding; subtitle: its definition, unit and period
    source       who published the data (see data.source_line); note: breaks, definitions, caveats
    description  a text alternative for screen readers: what the chart shows and its main values
    """
    for label, text in {"title": title, "subtitle": subtitle, "source": source,
                        "note": note, "description": description}.items():
        if not str(text).strip():
            raise ValueError(f"figure {name!r}: {label} is empty; every chart needs one")
    table = chart.data
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"figure {name!r}: the chart's data must be a pandas DataFrame at the top level")
    folder = write_download(table, name, data_folder).parent

    footer = {"text": _wrap(source, FOOTER_CHARACTERS) + _wrap(f"Note: {note}", FOOTER_CHARACTERS), "orient": "bottom",
              "anchor": "start", "fontSize": FOOTER_FONT_SIZE, "fontWeight": "normal", "color": MUTED_TEXT_COLOR,
              "offset": 14}
    title_lines = _wrap(title, TITLE_CHARACTERS)
    top = {"title": {"text": title_lines[0] if len(title_lines) == 1 else title_lines,
                     "subtitle": _wrap(subtitle, SUBTITLE_CHARACTERS)}, "description": description,
           # The same text unwrapped (footer: one paragraph each), for re-wrapping at phone width.
           "usermeta": {USERMETA_KEY: {"title": title, "subtitle": subtitle, "footer": [source, f"Note: {note}"]}}}

    # Validated against Vega-Lite's schema here, by Altair, unless the book's build validates it
    # out of the kernel when it draws the static image (write_static_image; tools/build.sh sets
    # the variable). The build then also skips Altair's copies of the chart (finished_spec).
    if os.environ.get(VALIDATED_BY_BUILD) == "1":
        spec = finished_spec(chart, footer, top)
    else:
        spec = finished_chart(chart, footer, top).to_dict(validate=True)
    (folder / f"{name}{SPEC_SUFFIX}").write_text(json.dumps(spec, sort_keys=True, ensure_ascii=False),
                                                 encoding="utf-8")
    return Figure(spec, name, description, functools.partial(finished_chart, chart, footer, top))


def finished_chart(chart: alt.TopLevelMixin, footer: dict, top: dict) -> alt.VConcatChart:
    """`chart` finished by Altair: in a vconcat, `footer` its view's title, `top` (title,
    description, usermeta) on the concatenation."""
    return alt.vconcat(chart.properties(title=alt.TitleParams(**footer))).properties(
        title=alt.TitleParams(**top["title"]), description=top["description"], usermeta=top["usermeta"])


# What Altair's vconcat keeps at the top of a finished specification, out of its one view.
LIFTED_KEYS = ("config", "data", "$schema", "datasets")
# A view with only these keys (and reader controls: parameters without a selection) is finished by
# finished_spec; any other (a selection, whose views Altair names, or a top-level-only setting) goes
# through Altair.
VIEW_KEYS = frozenset({"mark", "encoding", "layer", "facet", "spec", "columns", "repeat", "transform", "width",
                       "height", "title", "resolve", "projection", "align", "bounds", "center", "spacing",
                       *LIFTED_KEYS})


def finished_spec(chart: alt.TopLevelMixin, footer: dict, top: dict) -> dict:
    """finished_chart(chart, footer, top).to_dict(validate=False) (tests/test_charts.py compares
    them), made from one conversion of `chart` instead of Altair's deep copies of the chart in
    properties(), vconcat() and to_dict(), which were 0.02-0.05 s a chart in the kernel, and
    0.05-0.1 s for a chart with a reader control. Altair gathers a view's parameters at the top of
    the concatenation; a reader control's (no selection, so no view names) unchanged, once each."""
    view = chart.to_dict(validate=False)
    params = view.pop("params", [])
    if not set(view) <= VIEW_KEYS or any("select" in param for param in params):
        return finished_chart(chart, footer, top).to_dict(validate=False)
    lifted = {key: view.pop(key) for key in LIFTED_KEYS if key in view}
    view["title"] = footer
    spec = {key: lifted.pop(key) for key in ("config",) if key in lifted}  # Altair's order of keys
    spec["vconcat"] = [view]
    spec.update({key: lifted.pop(key) for key in ("data",) if key in lifted})
    spec["description"] = top["description"]
    if params:
        spec["params"] = [param for index, param in enumerate(params) if param not in params[:index]]
    spec.update(title=top["title"], usermeta=top["usermeta"], **lifted)
    return spec


def reader_control(name: str, default, options: list, *, label: str, labels: list[str] | None = None,
                   kind: str = "select") -> alt.Parameter:
    """A Vega-Lite parameter the reader sets on the web page with a menu ("select") or buttons ("radio").

    The static SVG, the PDF and a reader without JavaScript see the chart at `default`, so the
    chart's title, subtitle and description must describe that view and say what the control
    changes. `label` is the control's visible text (its accessible name); `labels` the text of each
    option when `options` are codes. `name` is the signal's name: a JavaScript identifier, unique on
    its page (radio buttons of two charts with one name would form one group)."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"reader control {name!r}: the name must be lowercase letters, digits and underscores")
    if not str(label).strip():
        raise ValueError(f"reader control {name!r}: label is empty; every control needs a visible label")
    options = list(options)
    if default not in options:
        raise ValueError(f"reader control {name!r}: default {default!r} is not one of its options {options}")
    if labels is not None and len(labels) != len(options):
        raise ValueError(f"reader control {name!r}: {len(labels)} labels for {len(options)} options")
    bindings = {"select": alt.binding_select, "radio": alt.binding_radio}
    if kind not in bindings:
        raise ValueError(f"reader control {name!r}: kind must be one of {sorted(bindings)}, not {kind!r}")
    extra = {"labels": [str(text) for text in labels]} if labels is not None else {}
    return alt.param(name=name, value=default, bind=bindings[kind](options=options, name=label, **extra))


def write_download(table: pd.DataFrame, name: str, data_folder: str | Path = DEFAULT_DATA_FOLDER) -> Path:
    """Write `table` to <data_folder>/<name>.csv, the file a page links for download."""
    folder = Path(data_folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_slug(name)}.csv"
    table.to_csv(path, index=False)
    return path


def _wrap(text: str, width: int) -> list[str]:
    """Vega does not wrap titles: break `text` into lines of at most `width` characters."""
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + ([current] if current else [])


if __name__ == "__main__":  # python -m migration_recomputed.charts [FOLDER ...]
    import sys

    for folder in sys.argv[1:] or [DEFAULT_DATA_FOLDER]:
        for written in write_static_images(folder):
            print(written)
