"""Every chapter carries what a class needs: objectives, prerequisites and time up front, a
download that runs, and at the end exercises with worked solutions and questions for discussion."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((REPO / "book" / "chapters").glob("[0-9][0-9]_*.md"))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_opens_with_objectives_prerequisites_time_and_download(chapter):
    text = chapter.read_text(encoding="utf-8")
    opening = text[:text.index("```{code-cell}")]  # before the first code: what a reader meets first
    for needed in ["**You will learn to**", "**Prerequisites:**", "**Time:**"]:
        assert needed in opening, f"{chapter.name}: the opening box lacks {needed}"
    assert f"<chart_data/{chapter.stem}.zip>" in opening, f"{chapter.name}: no download of the runnable notebook"
    notebook = REPO / "notebooks" / f"{chapter.stem}.ipynb"
    assert notebook.is_file(), f"{chapter.name}: no paired notebook, so the build writes no zip (_ext/chapter_bundles.py)"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_exercise_has_a_worked_solution_hidden_by_default(chapter):
    text = chapter.read_text(encoding="utf-8")
    exercises = re.findall(r"^```\{admonition\} Exercise (\d+):", text, flags=re.MULTILINE)
    solutions = re.findall(r"^`{3,4}\{dropdown\} Solution to exercise (\d+)", text, flags=re.MULTILINE)
    assert len(exercises) >= 3, f"{chapter.name}: {len(exercises)} exercises"
    assert exercises == solutions, f"{chapter.name}: exercises {exercises}, solutions {solutions}"
    # a solution that computes does so in a cell hidden until the reader opens it
    for code in re.findall(r"```\{code-cell\} ipython3\n:tags: \[([^\]]*)\]\n\n# Solution", text):
        assert "hide-cell" in code, f"{chapter.name}: a solution's code cell is not hidden ({code})"
    assert "**For discussion.**" in text, f"{chapter.name}: no questions for discussion"


def test_the_guide_for_educators_promises_only_what_exists():
    guide = (REPO / "book" / "appendix" / "for_educators.md").read_text(encoding="utf-8")
    chapter1 = (REPO / "book" / "chapters" / "01_russian_labour_migration.md").read_text(encoding="utf-8")
    titles = re.findall(r"^```\{admonition\} Exercise \d+: (.+)$", chapter1, flags=re.MULTILINE)
    # the guide names chapter 1's exercises by their topics; each topic must be an exercise
    for topic, words in {"another country": "another country", "tolerance": "tolerance",
                         "interpolation": "interpolation", "origin-destination": "what counts as a migrant"}.items():
        assert topic in guide
        assert any(words in title.lower() for title in titles), f"the guide promises {topic!r}: {titles}"
    assert "tools/run_chapter.sh" in guide and (REPO / "tools" / "run_chapter.sh").is_file()
