"""Numbers in a chapter's prose come from the computation (glue), never typed by hand.

The check reads the Markdown cells of every chapter, removes glue roles, code, roles such as
{cite} and {download}, and directive options, and then looks for digits. What may stay typed:
years (a date is not a result), the names of the source document's tables (Tabel 1), and the
numbering of exercises and source documents."""
from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((REPO / "book" / "chapters").glob("*.md"))

REMOVED = [
    r"^\s*(`{3,}|:{3,}).*$",                 # directive fences (first: their backticks are not code)
    r"^\s*:\w[\w-]*:.*$",                    # directive options (:name:, :class:)
    r"\{glue(?::\w+)?\}`[^`]*`",            # glued values
    r"\{\w+\}`[^`]*`",                       # other roles: cite, download, ref, doc, term
    r"`[^`]*`",                              # inline code
    r"\([^()]*-exercises\)=",                # targets
    r"\]\([^)]*\)",                          # link targets
]
ALLOWED = [
    r"\b(19|20)\d\d(s|-(19|20)?\d\d)?\b",    # years, decades, year ranges
    r"\b(Tabel|Figuur) \d\b(?!\.\d)",          # the source documents' table and figure names (Tabel 1, Figuur 3)
    r"\b(Exercise|exercise|chapter|Chapter|document|seed) \d+\b",
]


def typed_numbers(text: str) -> list[str]:
    for pattern in REMOVED:
        text = re.sub(pattern, " ", text, flags=re.MULTILINE)
    for pattern in ALLOWED:
        text = re.sub(pattern, " ", text)
    return re.findall(r"[^\n]{0,30}\d[^\n]{0,30}", text)


def test_the_check_catches_a_typed_number():
    assert [hit.strip() for hit in typed_numbers("Russia had 11 million migrants in 2013.")] == [
        "Russia had 11 million migrants in  ."]
    assert typed_numbers("Russia had {glue:text}`ch01_x:.1f` million migrants in 2013, see Tabel 1.") == []


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_prose_has_no_typed_numbers(chapter):
    prose = "\n".join(cell.source for cell in jupytext.read(chapter).cells if cell.cell_type == "markdown")
    found = typed_numbers(prose)
    assert not found, f"{chapter.name}: numbers typed into the prose; glue them instead:\n  " + "\n  ".join(found)
