"""Leaner code cells: drop the Pygments spans that change nothing on screen.

Pygments wraps every token of a highlighted block in <span class="...">. For names (n, nx, nn),
punctuation (p, pm) and whitespace (w), the theme's light and dark styles give exactly the
style of plain code text, so the span only adds bytes: about 100 KB on each chapter page,
whose code cells are folded away unless a reader opens them. This extension unwraps those
spans in each page's body. Which classes qualify is computed from the two Pygments styles the
theme uses, so a theme whose names are coloured keeps its spans.

The code cells (language ipython3) are highlighted with Pygments' Python lexer: IPython's lexer
tries its rules for magics and shell escapes before Python's on every line, which made
highlighting twice as slow, and the book's cells have no magics (tests/test_lean_code.py checks
that both lexers give the same tokens for every code cell of the book).
"""
from __future__ import annotations

import re

from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES, Token

# pydata-sphinx-theme's defaults, used when _config.yml does not set them
DEFAULT_STYLES = {"pygments_light_style": "a11y-high-contrast-light", "pygments_dark_style": "a11y-high-contrast-dark"}


def plain_classes(style_names: list[str]) -> set[str]:
    """The token classes styled exactly like plain text in every one of the styles."""
    plain: set[str] | None = None
    for name in style_names:
        style = get_style_by_name(name)
        base = style.style_for_token(Token.Text)
        same = {css for token, css in STANDARD_TYPES.items() if css and style.style_for_token(token) == base}
        plain = same if plain is None else plain & same
    return plain or set()


def unwrap(html: str, classes: set[str]) -> str:
    """`html` with every <span class="c">text</span> of a class in `classes` replaced by text."""
    if not classes:
        return html
    pattern = re.compile(r'<span class="(?:' + "|".join(sorted(map(re.escape, classes))) + r')">([^<]*)</span>')
    return pattern.sub(r"\1", html)


def setup(app):
    def on_builder_inited(app):
        options = app.config.html_theme_options or {}
        names = [options.get(key, default) for key, default in DEFAULT_STYLES.items()]
        app.env.lean_code_classes = plain_classes(names)

    def on_page_context(app, pagename, templatename, context, doctree):
        if "body" in context:
            context["body"] = unwrap(context["body"], getattr(app.env, "lean_code_classes", set()))

    from pygments.lexers import PythonLexer

    app.add_lexer("ipython3", PythonLexer)
    app.connect("builder-inited", on_builder_inited)
    app.connect("html-page-context", on_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
