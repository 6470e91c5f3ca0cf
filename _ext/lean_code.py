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

The code is highlighted ahead, in the build's background process (_ext/background.py): each
page's code blocks are sent there as soon as the page is read, while the next page's kernel
runs, and the writer finds them highlighted. The result is looked up by every argument of
Sphinx's `highlight_block`, so a block read differently at writing, or one whose highlighting
would warn, is highlighted by Sphinx itself as before (tests/test_lean_code.py).
"""
from __future__ import annotations

import json
import re

from pygments.lexers import PythonLexer
from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES, Token

# the lexers this extension gives Sphinx (and the background process, which highlights ahead)
LEXERS = {"ipython3": PythonLexer}

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


def block_key(source: str, lang: str, opts: dict | None, force: bool, arguments: dict) -> tuple:
    """Every argument of PygmentsBridge.highlight_block that shapes its output."""
    return (source, lang, json.dumps(opts or {}, sort_keys=True, default=repr), bool(force),
            json.dumps(arguments, sort_keys=True, default=repr))


def code_blocks(doctree, config) -> list[tuple]:
    """The highlight_block arguments (source, lang, opts, force, other arguments) of each code
    block of `doctree`, as Sphinx's HTML writer will pass them (visit_literal_block)."""
    from docutils import nodes

    blocks = []
    for node in doctree.findall(nodes.literal_block):
        if node.rawsource != node.astext():
            continue  # a parsed literal: not highlighted
        lang = node.get("language", "default")
        linenos = node.get("linenos", False)
        if linenos and config.html_codeblock_linenos_style:
            linenos = config.html_codeblock_linenos_style
        arguments = {key: value for key, value in node.get("highlight_args", {}).items() if key != "force"}
        blocks.append((node.rawsource, lang, config.highlight_options.get(lang, {}), node.get("force", False),
                       {"linenos": linenos, **arguments}))
    return blocks


class _WouldWarn(Exception):
    pass


class _RaisingLogger:
    def warning(self, *args, **kwargs):
        raise _WouldWarn


def highlight_blocks(formatter_args: dict, blocks: list[tuple]) -> list[str | None]:
    """In the background process: each block highlighted as the build's PygmentsBridge would
    (with the lexers this extension adds), or None where Sphinx would warn (the writer then
    highlights it itself, warning and all). Sphinx's lexer table and logger are as they were after."""
    import sphinx.highlighting
    from sphinx.highlighting import PygmentsBridge

    lexer_classes, logger = dict(sphinx.highlighting.lexer_classes), sphinx.highlighting.logger
    sphinx.highlighting.lexer_classes.update(LEXERS)
    sphinx.highlighting.logger = _RaisingLogger()
    try:
        bridge = PygmentsBridge("html")
        bridge.formatter_args = dict(formatter_args)
        results = []
        for source, lang, opts, force, arguments in blocks:
            try:
                results.append(bridge.highlight_block(source, lang, opts=opts, force=force, **arguments))
            except _WouldWarn:
                results.append(None)
        return results
    finally:
        sphinx.highlighting.lexer_classes.clear()
        sphinx.highlighting.lexer_classes.update(lexer_classes)
        sphinx.highlighting.logger = logger


def _highlight_ahead(app, doctree) -> None:
    """At doctree-read: send the page's code blocks to the background process."""
    highlighter = getattr(app.builder, "highlighter", None)
    if highlighter is None or getattr(app.builder, "format", None) != "html":
        return
    blocks = code_blocks(doctree, app.config)
    if not blocks:
        return
    from background import submit

    future = submit(app, "lean_code:highlight_blocks", highlighter.formatter_args, blocks)
    app._lean_code_pending.append((blocks, future))


def _use_ahead(app) -> None:
    """Make the builder's highlighter look each block up among those highlighted ahead."""
    highlighter = getattr(app.builder, "highlighter", None)
    if highlighter is None or getattr(app.builder, "format", None) != "html":
        return
    highlight = highlighter.highlight_block
    ready: dict[tuple, str] = {}

    def highlight_block(source, lang, opts=None, force=False, location=None, **arguments):
        while app._lean_code_pending:
            blocks, future = app._lean_code_pending.pop(0)
            try:
                results = future.result()
            except Exception:  # the writer highlights these blocks itself
                continue
            for (block_source, block_lang, block_opts, block_force, block_arguments), html in zip(blocks, results):
                if html is not None:
                    ready[block_key(block_source, block_lang, block_opts, block_force, block_arguments)] = html
        found = ready.get(block_key(source, lang, opts, force, arguments))
        if found is not None:
            app._lean_code_counts["ahead"] += 1
            return found
        app._lean_code_counts["by the writer"] += 1
        return highlight(source, lang, opts=opts, force=force, location=location, **arguments)

    highlighter.highlight_block = highlight_block


def _report(app, exception) -> None:
    counts = app._lean_code_counts
    if exception is None and sum(counts.values()):
        from sphinx.util import logging

        logging.getLogger(__name__).info("lean_code: %d code block(s) highlighted ahead, %d by the writer",
                                         counts["ahead"], counts["by the writer"])


def setup(app):
    app._lean_code_pending = []
    app._lean_code_counts = {"ahead": 0, "by the writer": 0}

    def on_builder_inited(app):
        options = app.config.html_theme_options or {}
        names = [options.get(key, default) for key, default in DEFAULT_STYLES.items()]
        app.env.lean_code_classes = plain_classes(names)
        _use_ahead(app)

    def on_page_context(app, pagename, templatename, context, doctree):
        if "body" in context:
            context["body"] = unwrap(context["body"], getattr(app.env, "lean_code_classes", set()))

    for alias, lexer in LEXERS.items():
        app.add_lexer(alias, lexer)
    app.connect("builder-inited", on_builder_inited)
    app.connect("doctree-read", _highlight_ahead)
    app.connect("html-page-context", on_page_context)
    app.connect("build-finished", _report)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
