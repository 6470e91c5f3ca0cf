"""Put computed values into a chapter's prose (myst-nb glue), safely typed.

numpy scalars break myst-nb's format specs ({glue:text}`x:.1f` on np.float64 warns, which
fails a -W build), so every value is converted to a plain int, float or str first."""
from __future__ import annotations

import numbers

from myst_nb import glue


def plain(value):
    """A plain Python int/float/str for a glued value (numpy scalars converted)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"cannot glue a {type(value).__name__} as a number or text: {value!r}")


def glue_values(**values) -> None:
    """glue(name, value, display=False) for each keyword, with plain Python values."""
    for name, value in values.items():
        glue(name, plain(value), display=False)


def glue_figure(name: str, chart) -> None:
    """Glue a finished chart (charts.figure) and, as `<name>_description`, its text description
    for the page's "Text description of the chart" dropdown."""
    from IPython.display import Markdown

    glue(name, chart, display=False)
    glue(f"{name}_description", Markdown(chart.description), display=False)
