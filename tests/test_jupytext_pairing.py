"""book/chapters/*.md (edited by contributors, built by Sphinx) and notebooks/*.ipynb (run by
papermill, downloaded by educators) must hold the same cells. `jupytext --sync` decides by file
time, which is arbitrary in a fresh clone, so the check compares the cells themselves."""
from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((REPO / "book" / "chapters").glob("*.md"))
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def cells(notebook) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(cell.cell_type, cell.source.strip(), tuple(cell.metadata.get("tags", [])))
            for cell in notebook.cells]


def test_every_chapter_has_its_notebook_and_back():
    assert CHAPTERS, "no chapters in book/chapters"
    assert {p.stem for p in CHAPTERS} == {p.stem for p in NOTEBOOKS}, (
        "book/chapters/*.md and notebooks/*.ipynb differ; run: jupytext --sync book/chapters/*.md")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_notebook_holds_the_chapters_cells(chapter):
    notebook = REPO / "notebooks" / f"{chapter.stem}.ipynb"
    from_markdown, from_notebook = cells(jupytext.read(chapter)), cells(jupytext.read(notebook))
    for index, (md_cell, nb_cell) in enumerate(zip(from_markdown, from_notebook)):
        assert md_cell == nb_cell, (
            f"cell {index} differs between {chapter.name} and {notebook.name}; "
            f"edit the .md and run: jupytext --to ipynb --update -o {notebook.relative_to(REPO)} "
            f"{chapter.relative_to(REPO)}")
    assert len(from_markdown) == len(from_notebook), f"{chapter.name} and {notebook.name} differ in cell count"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(notebook):
    code = [cell for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"]
    assert code, f"{notebook.name} has no code cells"
    with_outputs = [i for i, cell in enumerate(code) if cell.outputs or cell.execution_count]
    assert not with_outputs, f"{notebook.name}: code cells {with_outputs} carry outputs; clear them"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_one_parameters_cell_first(notebook):
    code = [cell for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"]
    tagged = [i for i, cell in enumerate(code) if "parameters" in cell.metadata.get("tags", [])]
    assert tagged == [0], f"{notebook.name}: the first code cell, and only it, must be tagged 'parameters'"
