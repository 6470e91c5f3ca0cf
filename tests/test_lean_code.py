"""_ext/lean_code.py: unwrapping the Pygments spans styled like plain text changes no colour."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
import lean_code  # noqa: E402

THEME_STYLES = list(lean_code.DEFAULT_STYLES.values())
CODE = 'table = migrants.loc[migrants["year"] == 2020, ["country", "stock"]]  # a comment\nprint(len(table))\n'


def test_only_classes_styled_like_plain_text_in_both_styles_are_unwrapped():
    classes = lean_code.plain_classes(THEME_STYLES)
    assert {"n", "p", "w"} <= classes
    # keywords, strings, numbers, comments and operators keep their colour in these styles
    assert not classes & {"k", "s2", "mi", "c1", "o", "nb"}


def test_a_style_with_coloured_names_keeps_its_name_spans():
    # one-dark colours names; a class is unwrapped only if every style draws it as plain text
    assert "n" not in lean_code.plain_classes(["one-dark"])
    assert "n" not in lean_code.plain_classes([*THEME_STYLES, "one-dark"])
    assert "p" in lean_code.plain_classes([*THEME_STYLES, "one-dark"]) or "p" not in lean_code.plain_classes(["one-dark"])


def test_unwrapped_code_keeps_its_text_and_its_coloured_tokens():
    html = highlight(CODE, PythonLexer(), HtmlFormatter())
    lean = lean_code.unwrap(html, lean_code.plain_classes(THEME_STYLES))
    assert len(lean) < 0.75 * len(html)
    assert '<span class="n">' not in lean and '<span class="p">' not in lean and '<span class="s2">' in lean
    assert '<span class="mi">2020</span>' in lean and '<span class="c1"># a comment</span>' in lean

    def text(markup: str) -> str:
        import re
        return re.sub(r"<[^>]+>", "", markup)

    assert text(lean) == text(html)


def test_the_python_lexer_gives_every_code_cell_of_the_book_the_tokens_ipythons_lexer_gives():
    """lean_code highlights ipython3 cells with the (twice as fast) Python lexer; that is only right
    while no cell uses IPython's own syntax (a magic, a shell escape, `?` help)."""
    import jupytext
    from pygments.lexers import get_lexer_by_name

    book = Path(__file__).resolve().parents[1] / "book"
    ipython, python = get_lexer_by_name("ipython3"), PythonLexer()
    cells = 0
    for page in sorted(book.rglob("*.md")):
        if "{code-cell}" not in page.read_text(encoding="utf-8"):
            continue
        for cell in jupytext.read(page).cells:
            if cell.cell_type == "code" and cell.source.strip():
                assert list(ipython.get_tokens(cell.source)) == list(python.get_tokens(cell.source)), \
                    f"{page.relative_to(book)}: a code cell IPython's lexer reads differently:\n{cell.source[:300]}"
                cells += 1
    assert cells > 100


def test_code_highlighted_ahead_is_what_sphinx_would_write_and_a_warning_is_left_to_sphinx():
    """The background process gets the builder's formatter arguments and the extension's lexers,
    and returns for each block exactly what the writer's own PygmentsBridge returns."""
    import jupytext
    import sphinx.highlighting
    from sphinx.highlighting import PygmentsBridge

    book = Path(__file__).resolve().parents[1] / "book"
    sources = [cell.source for page in sorted(book.rglob("*.md")) if "{code-cell}" in page.read_text(encoding="utf-8")
               for cell in jupytext.read(page).cells if cell.cell_type == "code" and cell.source.strip()]
    writer = PygmentsBridge("html", "a11y-high-contrast-light")
    blocks = [(source, "ipython3", {}, False, {"linenos": False}) for source in sources]
    blocks.append(("x = ¤ 1", "python3", {}, False, {"linenos": False}))  # an error token: Sphinx warns
    previous = dict(sphinx.highlighting.lexer_classes), sphinx.highlighting.logger
    ahead = lean_code.highlight_blocks(writer.formatter_args, blocks)
    assert (dict(sphinx.highlighting.lexer_classes), sphinx.highlighting.logger) == previous  # left as it was
    try:
        sphinx.highlighting.lexer_classes.update(lean_code.LEXERS)  # as the extension's setup does
        expected = [writer.highlight_block(source, lang, opts=opts, force=force, **arguments)
                    for source, lang, opts, force, arguments in blocks[:-1]]
    finally:
        sphinx.highlighting.lexer_classes.clear()
        sphinx.highlighting.lexer_classes.update(previous[0])
    assert len(sources) > 90 and ahead[:-1] == expected and ahead[-1] is None


def test_the_build_highlights_every_code_block_ahead(build_result):
    completed, _ = build_result
    found = re.search(r"lean_code: (\d+) code block\(s\) highlighted ahead, (\d+) by the writer", completed.stdout)
    assert found, "the build did not report its code highlighting (_ext/lean_code.py)"
    assert int(found.group(1)) > 90 and int(found.group(2)) == 0, found.group(0)
