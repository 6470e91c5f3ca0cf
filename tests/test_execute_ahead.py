"""_ext/execute_ahead.py: pages are executed ahead in a thread, and a page comes out as if myst-nb
had executed it (same outputs, same failure for a failing cell)."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from file_modules import REPO, load

execute_ahead = load("_ext/execute_ahead.py")


def test_the_fingerprint_ignores_cell_ids_only():
    first = new_notebook(cells=[new_markdown_cell("# A page"), new_code_cell("x = 1")])
    second = new_notebook(cells=[new_markdown_cell("# A page"), new_code_cell("x = 1")])
    assert first.cells[1]["id"] != second.cells[1]["id"]  # drawn at random by nbformat
    assert execute_ahead.fingerprint(first) == execute_ahead.fingerprint(second)
    second.cells[1]["source"] = "x = 2"
    assert execute_ahead.fingerprint(first) != execute_ahead.fingerprint(second)
    second.cells[1]["source"] = "x = 1"
    second.metadata["kernelspec"] = {"name": "other", "display_name": "Other"}
    assert execute_ahead.fingerprint(first) != execute_ahead.fingerprint(second)


PAGE = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---
# {title}

```{{code-cell}} ipython3
{code}
```
"""


def _project(folder: Path, ahead: bool, failing: bool) -> Path:
    folder.mkdir()
    extensions = ["myst_nb"] + (["execute_ahead"] if ahead else [])
    (folder / "conf.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(REPO / "_ext")!r})
        extensions = {extensions!r}
        nb_execution_mode = "force"
        nb_execution_raise_on_error = True  # as the book's build (jupyter-book) sets it
        exclude_patterns = ["_build"]
        """), encoding="utf-8")
    (folder / "index.md").write_text("# Home\n\n```{toctree}\nfirst\nsecond\n```\n", encoding="utf-8")
    (folder / "first.md").write_text(PAGE.format(title="First", code="print(6 * 7)"), encoding="utf-8")
    code = "raise ValueError('the data file is missing a column')" if failing else "print('second page')"
    (folder / "second.md").write_text(PAGE.format(title="Second", code=code), encoding="utf-8")
    return folder


def _build(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", str(folder), str(folder / "_build")],
                          capture_output=True, text=True, timeout=300)


def _body(html: Path) -> str:
    text = html.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", text[text.index('<div class="body"'):text.index('<div class="sphinxsidebar"')])


@pytest.mark.parametrize("failing", [False, True], ids=["pages that run", "a cell that fails"])
def test_a_page_executed_ahead_is_the_page_myst_nb_executes(tmp_path, failing):
    built = {ahead: _build(_project(tmp_path / ("ahead" if ahead else "myst-nb"), ahead, failing))
             for ahead in (True, False)}
    assert built[True].returncode == built[False].returncode, built
    executed_ahead = re.findall(r"(\w+)\.md: Executing notebook using local CWD \(ahead", built[True].stdout)
    assert executed_ahead == ["first", "second"], built[True].stdout
    assert "(ahead" not in built[False].stdout
    assert (built[True].returncode != 0) == failing, built
    if failing:
        for completed in built.values():
            output = completed.stdout + completed.stderr
            assert re.search(r"ExecutionError: \S+second\.md", output), output
            saved = re.search(r"The full traceback has been saved in (\S+?),", output)
            assert saved and "CellExecutionError" in Path(saved.group(1)).read_text(), output
            assert "the data file is missing a column" in Path(saved.group(1)).read_text(), output
        return
    for page in ("first", "second"):
        assert _body(tmp_path / "ahead" / "_build" / f"{page}.html") == _body(
            tmp_path / "myst-nb" / "_build" / f"{page}.html")
    assert "42" in _body(tmp_path / "ahead" / "_build" / "first.html")


def test_the_book_executes_every_page_ahead(build_result):
    completed, _ = build_result
    ahead = re.findall(r"^(\S+): Executing notebook using local CWD \(ahead", completed.stdout, re.MULTILINE)
    by_myst_nb = re.findall(r"^(\S+): Executing notebook using local CWD \[", completed.stdout, re.MULTILINE)
    assert len(ahead) >= 7 and by_myst_nb == [], (ahead, by_myst_nb)
