"""The chapter download that runs (bundle.write_chapter_bundle) and the site's source archive
(_ext/source_archive.py): what they hold, that they are deterministic, and (slow) that the
bundled notebook runs on its own, from its folder, with the package and data it carries, and
prints the numbers of its own run in the text."""
from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import file_modules
from migration_recomputed import bundle

REPO = Path(__file__).resolve().parents[1]
STEM = "01_russian_labour_migration"


def _markdown(source: str) -> dict:
    return nbformat.v4.new_markdown_cell(source)


def _code(source: str, tags=None) -> dict:
    return nbformat.v4.new_code_cell(source, metadata={"tags": tags} if tags else {})


SYNTHETIC = nbformat.v4.new_notebook(cells=[
    _markdown("# A small chapter\n\nAn article {cite}`seed000` about *gastarbeiders* ({term}`gastarbeider`).\n\n"
              ":::{admonition} How to read this chapter\n:class: tip\nSee {ref}`ch09-exercises`; data "
              "{cite}`wdi2026,okabe2008`.\n:::"),
    _code('focus_country = "Tajikistan"  # a country of Tabel 1\nyear = 2013', ["parameters"]),
    _code("from migration_recomputed.prose import glue_values\nglue_values(ch09_total=1234.5)", ["hide-input"]),
    _markdown("The total is {glue:text}`ch09_total:,.1f` US$, and 5 US$ more.\n\n"
              "```{glue:figure} ch09_fig_a\n:name: fig-ch09-a\n:alt: A chart\n\n"
              "The chart's caption. Data: {download}`CSV <chart_data/ch09_a.csv>`.\n```\n\n"
              "```{dropdown} Text description of the chart\n{glue:md}`ch09_fig_a_description`\n```\n\n"
              "As {numref}`Figure %s <fig-ch09-a>` shows."),
    _markdown("````{dropdown} A table\n```{glue:} ch09_table\n```\n````\n\nA plain paragraph.\n\n"
              "```python\n{term}`not a role` in code\n```"),
    _markdown("Nothing to convert here."),
    _code("write_chapter_bundle('09_small')", ["remove-cell"]),
    _markdown("(ch09-exercises)=\n## Exercises\n\n```{note}\nTry another year: `year = 2015`.\n\n"
              "**Download:** {download}`zip <chart_data/09_small.zip>` (see {doc}`../appendix/guide`).\n```\n\n"
              "Run `papermill notebooks/09_small.ipynb out.ipynb`.\n\n"
              "## References\n\n```{bibliography}\n:filter: docname in docnames\n```"),
])
BIBLIOGRAPHY = bundle.parse_bibtex(r"""
@misc{seed000,
  title        = {[Untitled web article opening ``Rusland staat op de tweede plaats'']},
  howpublished = {Dutch web article, section ``Achtergrond''},
  year         = {2015},
  note         = {Source document 000 of this book (000\_e1450e3e99c1b5b0.txt)}
}

@misc{wdi2026,
  author       = {{World Bank}},
  title        = {World Development Indicators},
  howpublished = "GitHub, commit 4ebec5a",
  year         = 2026
}

@article{okabe2008,
  author       = {Okabe, Masataka and Ito, Kei},
  title        = {Color Universal Design ({CUD})},
  journal      = {J*Fly},
  year         = {2008}
}

@misc{unused, title = {Not cited}, year = {2020}}
""")


def test_conversion_of_a_small_myst_notebook():
    converted = bundle.convert_notebook(json.loads(json.dumps(SYNTHETIC)), stem="09_small",
                                        bibliography=BIBLIOGRAPHY, documents={"../appendix/guide": "Guide for educators"})
    nbformat.validate(nbformat.from_dict(converted))
    cells = converted["cells"]
    kinds = [(cell["cell_type"], cell["source"].split("\n")[0][:30]) for cell in cells]
    assert kinds == [
        ("markdown", "> **Migration, Recomputed**, c"),
        ("code", "# Set-up: show() prints the bo"),
        ("markdown", "# A small chapter"),
        ("code", 'focus_country = "Tajikistan"  '),
        ("code", "from migration_recomputed.pros"),
        ("code", "show(r'''The total is {glue:te"),
        ("code", "show_figure('ch09_fig_a')"),
        ("code", "show(r'''**Figure 1.** The cha"),
        ("markdown", "**A table**"),
        ("code", "show_figure('ch09_table')"),
        ("markdown", "A plain paragraph."),
        ("markdown", "Nothing to convert here."),
        ("markdown", "## Exercises"),
    ]
    intro, setup, first = cells[0]["source"], cells[1]["source"], cells[2]["source"]
    assert "chapter 9: *A small chapter*" in intro and "computed" in intro
    assert "`focus_country = \"Tajikistan\"`: a country of Tabel 1" in intro
    assert "papermill 09_small.ipynb out.ipynb -p focus_country Tajikistan -p year 2013" in intro
    assert setup.endswith("from migration_recomputed.prose import show, show_figure")
    # static roles resolved at conversion; the admonition is a block quote
    assert first == (
        "# A small chapter\n\nAn article (Untitled web article opening \u2026, 2015) about *gastarbeiders* "
        "(gastarbeider).\n\n> **How to read this chapter**\n>\n> See Exercises; data (World Bank, 2026; "
        "Okabe and Ito, 2008).")
    # code cells keep their tags, the parameters cell first; the bundle-writing cell is gone
    assert cells[3]["metadata"] == {"tags": ["parameters"]} and cells[4]["metadata"] == {"tags": ["hide-input"]}
    assert not any("write_chapter_bundle" in cell["source"] for cell in cells)
    assert all(cell.get("outputs") == [] for cell in cells if cell["cell_type"] == "code")
    # text with glued numbers: a hidden show() cell, `$` kept as currency
    text = ast.literal_eval(cells[5]["source"][len("show("):-1])
    assert text == "The total is {glue:text}`ch09_total:,.1f` US\\$, and 5 US\\$ more."
    for cell in cells[5:8] + [cells[9]]:
        assert cell["metadata"] == {"jupyter": {"source_hidden": True}, "tags": ["hide-input"]}
    caption = ast.literal_eval(cells[7]["source"][len("show("):-1])
    assert caption == (
        "**Figure 1.** The chart's caption. Data: [CSV](chart_data/ch09_a.csv).\n\n<details>\n"
        "<summary>Text description of the chart</summary>\n\n{glue:md}`ch09_fig_a_description`\n\n</details>\n\n"
        "As Figure 1 shows.")
    assert cells[10]["source"] == "A plain paragraph.\n\n```python\n{term}`not a role` in code\n```"
    last = cells[12]["source"]
    assert "(ch09-exercises)=" not in last and "{bibliography}" not in last
    assert ("> **Note**\n>\n> Try another year: `year = 2015`.\n>\n> **Download:** this folder (you have it) "
            "(see *Guide for educators* in the book).\n\nRun `papermill 09_small.ipynb out.ipynb`.") in last
    assert last.endswith(
        "## References\n\n"
        "- Okabe, Masataka; Ito, Kei (2008). *Color Universal Design (CUD)*. J*Fly.\n"
        "- *[Untitled web article opening \u201cRusland staat op de tweede plaats\u201d]* (2015). "
        "Dutch web article, section \u201cAchtergrond\u201d. Source document 000 of this book "
        "(000_e1450e3e99c1b5b0.txt).\n"
        "- World Bank (2026). *World Development Indicators*. GitHub, commit 4ebec5a.")
    # without a readable bibliography, a pointer to the book instead of the list
    plain = bundle.convert_notebook(json.loads(json.dumps(SYNTHETIC)), stem="09_small", bibliography=None)
    assert "The references are listed at the end of this chapter in the book" in plain["cells"][-1]["source"]
    assert "(source: seed000)" in plain["cells"][2]["source"]


def test_every_show_cell_is_valid_python_whatever_the_quotes():
    for text in ["ends with a quote '", "has ''' inside", "ends with a backslash \\", "plain"]:
        source = f"show({bundle._python_string(text)})"
        assert ast.literal_eval(ast.parse(source).body[0].value.args[0]) == text


@pytest.fixture(scope="module")
def chapter_zip(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bundle")
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        path = bundle.write_chapter_bundle(STEM)
    finally:
        os.chdir(cwd)
    assert path == Path("chart_data") / f"{STEM}.zip"
    return folder / path


@pytest.fixture(scope="module")
def unzipped(chapter_zip, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(chapter_zip) as archive:
        archive.extractall(folder)
    return folder / STEM


def test_the_bundle_holds_notebook_data_package_requirements_readme(chapter_zip, unzipped):
    names = zipfile.ZipFile(chapter_zip).namelist()
    assert names == sorted(names) and all(name.startswith(f"{STEM}/") for name in names)
    listing = {name.removeprefix(f"{STEM}/") for name in names}
    package = {path.name for path in (REPO / "src" / "migration_recomputed").glob("*.py")}
    assert {f"{STEM}.ipynb", "README.md", "requirements.txt", "constraints.txt", "LICENSE", "LICENSE-TEXT.md",
            "data/datapackage.json", "data/claims.csv",
            "data/seeds/seed000_tabel1_cis_migrants_in_russia_2015.csv"} <= listing
    assert {name.removeprefix("migration_recomputed/") for name in listing
            if name.startswith("migration_recomputed/")} == package
    for info in zipfile.ZipFile(chapter_zip).infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0), info.filename
    readme = (unzipped / "README.md").read_text(encoding="utf-8")
    for text in ["python3 -m venv .venv", ".venv/bin/pip install -r requirements.txt",
                 # the example in the chapter's front matter (example_parameters), not the defaults
                 f".venv/bin/papermill {STEM}.ipynb out.ipynb -p focus_country Kyrgyzstan -p year 2015",
                 "pip install jupyterlab", "| `focus_country` | `\"Tajikistan\"` |", "CC BY 4.0", "MIT",
                 "data/datapackage.json"]:
        assert text in readme, text


def test_the_bundle_carries_the_chapters_data_byte_for_byte(unzipped):
    descriptor = json.loads((unzipped / "data" / "datapackage.json").read_text(encoding="utf-8"))
    repo = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    expected = {item["name"] for item in repo["resources"]
                if 1 in item.get("chapters", []) or item["name"] in ("claims", "source_documents")}
    bundled = {item["name"] for item in descriptor["resources"]}
    assert expected <= bundled
    code = "\n".join(path.read_text(encoding="utf-8") for path in (unzipped / "migration_recomputed").glob("*.py"))
    code += (unzipped / f"{STEM}.ipynb").read_text(encoding="utf-8")
    for name in bundled - expected:  # generous: any resource the code names is there too
        assert f'"{name}"' in code or f"'{name}'" in code or f'\\"{name}\\"' in code, name
    assert {key: value for key, value in descriptor.items() if key != "resources"} == \
        {key: value for key, value in repo.items() if key != "resources"}
    data_files = {path.relative_to(unzipped / "data").as_posix() for path in (unzipped / "data").rglob("*.csv")}
    assert data_files == {item["path"] for item in descriptor["resources"]}
    for item in descriptor["resources"]:
        digest = hashlib.sha256((unzipped / "data" / item["path"]).read_bytes()).hexdigest()
        assert item["hash"] == f"sha256:{digest}", item["path"]


def test_the_requirements_are_pinned_as_in_constraints(unzipped):
    constraints = {line.split("==")[0].lower().replace("_", "-"): line
                   for line in (REPO / "constraints.txt").read_text().splitlines() if "==" in line}
    lines = [line for line in (unzipped / "requirements.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    assert lines[0] == "-c constraints.txt"
    pinned = {line.split("==")[0].lower().replace("_", "-"): line for line in lines[1:]}
    for name in ["pandas", "numpy", "altair", "vl-convert-python", "pycountry", "myst-nb", "ipykernel", "papermill",
                 "ipython"]:
        assert pinned.get(name) == constraints[name], name
    assert all(line == constraints[name] for name, line in pinned.items())
    dependencies = [line for line in (unzipped / "constraints.txt").read_text().splitlines()
                    if line and not line.startswith("#")]
    assert dependencies and all(line in constraints.values() for line in dependencies)
    assert not any(line.startswith(("jupyter-book", "playwright", "pytest", "frictionless")) for line in dependencies)


def test_the_bundled_notebook_has_no_outputs_and_no_myst_left_in_markdown(unzipped):
    notebook = nbformat.read(unzipped / f"{STEM}.ipynb", as_version=4)
    nbformat.validate(notebook)
    assert "jupytext" not in notebook.metadata
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            assert "{glue" not in cell.source and "{cite}" not in cell.source and "```{" not in cell.source
        else:
            assert cell.outputs == [] and cell.execution_count is None
            ast.parse(cell.source)
    assert any(cell.source.startswith("show_figure(") for cell in notebook.cells)


def test_the_build_writes_a_download_for_every_chapter():
    """_ext/chapter_bundles.py bundles each book/chapters/NN_*.md that has a paired notebook."""
    sys.path.insert(0, str(REPO / "_ext"))
    try:
        import chapter_bundles
    finally:
        sys.path.remove(str(REPO / "_ext"))
    chapters = sorted(path.stem for path in (REPO / "book" / "chapters").glob("[0-9][0-9]_*.md"))
    assert len(chapters) >= 4 and chapter_bundles.chapter_stems() == chapters


def test_two_builds_give_the_same_bytes(chapter_zip, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    again = bundle.write_chapter_bundle(STEM)
    assert again.read_bytes() == chapter_zip.read_bytes()


def test_the_requirements_install_offline_from_what_is_installed(unzipped):
    completed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--disable-pip-version-check",
         "-r", "requirements.txt"], cwd=unzipped, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "Would install" not in completed.stdout, completed.stdout[-3000:]


# ---------------------------------------------------------------------------------------------
# The bundled notebook, run on its own (slow: two papermill runs)

PROBE = ("import migration_recomputed\nfrom migration_recomputed import data\n"
         "print('package:', migration_recomputed.__file__)\nprint('data:', data.book_root())")


def run_bundle(folder: Path, parameters: list[str]) -> nbformat.NotebookNode:
    """papermill, as the README says, from the unzipped folder, without BOOK_ROOT; a last cell
    prints where the package and the data came from."""
    notebook = nbformat.read(folder / f"{STEM}.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE))
    probe = folder / f"probe_{len(parameters)}.ipynb"
    nbformat.write(notebook, probe)
    environment = {key: value for key, value in os.environ.items() if key not in ("BOOK_ROOT", "PYTHONPATH")}
    output = folder / f"out_{len(parameters)}.ipynb"
    completed = subprocess.run(
        [sys.executable, "-m", "papermill", probe.name, output.name, "-k", "python3", "--no-progress-bar",
         *parameters], cwd=folder, env=environment, capture_output=True, text=True, timeout=900)
    if completed.returncode != 0:
        pytest.fail(f"the bundled notebook failed with {parameters}:\n{completed.stderr[-4000:]}", pytrace=False)
    return nbformat.read(output, as_version=4)


def texts(cell) -> list[str]:
    found = []
    for output in cell.get("outputs", []):
        found += [output.get("text", "")] + [str(value) for value in output.get("data", {}).values()]
    return found


def prose_outputs(notebook) -> list[tuple[str, str]]:
    """(the cell's MyST text, the Markdown it rendered) for each show() cell."""
    return [(cell.source, "".join(output["data"]["text/markdown"] for output in cell.outputs
                                  if "text/markdown" in output.get("data", {})))
            for cell in notebook.cells if cell.cell_type == "code" and cell.source.startswith("show(")]


@pytest.fixture(scope="module")
def bundle_runs(unzipped):
    return {"defaults": run_bundle(unzipped, []),
            "kyrgyzstan": run_bundle(unzipped, ["-p", "focus_country", "Kyrgyzstan", "-p", "year", "2015"])}


@pytest.mark.slow
def test_the_bundled_notebook_runs_from_its_own_folder(bundle_runs, unzipped):
    for name, notebook in bundle_runs.items():
        probe = "".join(texts(notebook.cells[-1]))
        assert f"package: {unzipped / 'migration_recomputed' / '__init__.py'}" in probe, (name, probe)
        assert f"data: {unzipped}" in probe, (name, probe)
        for cell in notebook.cells:
            for text in texts(cell):
                assert "{glue:" not in text, (name, cell.source[:200])


@pytest.mark.slow
def test_the_bundled_text_shows_the_numbers_of_its_own_run(bundle_runs, unzipped):
    tabel1 = pd.read_csv(unzipped / "data" / "seeds" / "seed000_tabel1_cis_migrants_in_russia_2015.csv")
    total = f"{tabel1['immigrants'].sum():,.0f}"
    for name, notebook in bundle_runs.items():
        rendered = prose_outputs(notebook)
        assert rendered and all(markdown for _, markdown in rendered), name
        assert any(total in markdown for source, markdown in rendered if "ch01_tabel1_total" in source), (name, total)
    focus = {"defaults": "Tajikistan", "kyrgyzstan": "Kyrgyzstan"}
    pairs = list(zip(prose_outputs(bundle_runs["defaults"]), prose_outputs(bundle_runs["kyrgyzstan"])))
    about_focus = [(default, other) for (source, default), (_, other) in pairs if "`ch01_focus_country`" in source]
    assert about_focus
    for default, other in about_focus:
        assert f"For {focus['defaults']}," in default or focus["defaults"] in default
        assert focus["kyrgyzstan"] in other and other != default
    assert any(f"For {focus['kyrgyzstan']}," in other for _, other in about_focus)


# ---------------------------------------------------------------------------------------------
# The site's source archive (_ext/source_archive.py), without Sphinx

def _source_archive():
    return file_modules.load("_ext/source_archive.py")


def test_the_source_archive_holds_the_repositorys_files_and_is_deterministic(tmp_path):
    archive = _source_archive()
    first = archive.write_source_archive(REPO, tmp_path / "a" / "source.zip")
    second = archive.write_source_archive(REPO, tmp_path / "b" / "source.zip")
    assert first.read_bytes() == second.read_bytes()
    names = zipfile.ZipFile(first).namelist()
    assert names == sorted(names) and all(name.startswith("migration-recomputed/") for name in names)
    # tracked, plus new files git does not ignore (a contributor's page not yet added)
    tracked = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                             capture_output=True, text=True).stdout.split()
    if tracked:  # a clone: exactly those files that exist
        expected = {f"migration-recomputed/{name}" for name in tracked
                    if (REPO / name).is_file() and not archive._skipped(Path(name))}
        assert set(names) == expected
    for name in ["README.md", "_config.yml", "data/datapackage.json", "src/migration_recomputed/data.py"]:
        assert f"migration-recomputed/{name}" in names
    assert not any(part in name.split("/") for name in names for part in (".git", ".venv", "_build", "__pycache__"))


def test_the_source_archive_walks_the_tree_without_git(tmp_path):
    archive = _source_archive()
    root = tmp_path / "copy"
    for name in ["README.md", "src/pkg/a.py", "tools/build.sh", ".venv/lib/x.py", "_build/html/index.html",
                 "src/pkg/__pycache__/a.pyc", "src/pkg.egg-info/PKG-INFO", "test-artifacts/shot.png",
                 ".git/HEAD", "book/_generated/migration-recomputed-source.zip"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)
    (root / "tools" / "build.sh").chmod(0o755)
    path = archive.write_source_archive(root)
    assert path == root / "book" / "_generated" / "migration-recomputed-source.zip"
    with zipfile.ZipFile(path) as written:
        assert written.namelist() == ["migration-recomputed/README.md", "migration-recomputed/src/pkg/a.py",
                                      "migration-recomputed/tools/build.sh"]
        modes = {info.filename: info.external_attr >> 16 for info in written.infolist()}
    assert modes["migration-recomputed/tools/build.sh"] == 0o100755
    assert modes["migration-recomputed/README.md"] == 0o100644


def test_the_extension_writes_the_archive_when_the_builder_starts(tmp_path, monkeypatch):
    archive = _source_archive()
    connected = {}

    class App:
        def connect(self, event, handler):
            connected[event] = handler

    metadata = archive.setup(App())
    assert metadata["parallel_read_safe"] and set(connected) == {"builder-inited"}
    written = []
    monkeypatch.setattr(archive, "write_source_archive", lambda root: written.append(root) or root / archive.TARGET)
    connected["builder-inited"](App())
    assert written == [REPO]


def test_the_data_archive_holds_the_whole_data_package_byte_for_byte(tmp_path):
    archive = _source_archive()
    first = archive.write_data_archive(REPO, tmp_path / "a" / "data.zip")
    assert archive.write_data_archive(REPO, tmp_path / "b" / "data.zip").read_bytes() == first.read_bytes()
    descriptor = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(first) as zipped:
        names = set(zipped.namelist())
        assert names == {f"migration-recomputed-data/{name}" for name in
                         ["datapackage.json", "README.md", *(item["path"] for item in descriptor["resources"])]}
        for item in descriptor["resources"]:
            content = zipped.read(f"migration-recomputed-data/{item['path']}")
            assert hashlib.sha256(content).hexdigest() == item["hash"].removeprefix("sha256:"), item["path"]


def test_the_data_archive_refuses_a_file_changed_since_its_hash_was_recorded(tmp_path):
    archive = _source_archive()
    shutil.copytree(REPO / "data", tmp_path / "data")
    descriptor = json.loads((tmp_path / "data" / "datapackage.json").read_text(encoding="utf-8"))
    changed = tmp_path / "data" / descriptor["resources"][0]["path"]
    changed.write_bytes(changed.read_bytes() + b"x\n")
    with pytest.raises(ValueError, match=re.escape(f"data/{descriptor['resources'][0]['path']}: missing, or its sha256")):
        archive.write_data_archive(tmp_path, tmp_path / "data.zip")
    assert not (tmp_path / "data.zip").exists()


def test_a_zip_is_not_compressed_again_while_its_inputs_are_unchanged(tmp_path, monkeypatch):
    from migration_recomputed import zips

    source = tmp_path / "table.csv"
    source.write_text("a,b\n1,2\n", encoding="utf-8")
    target = tmp_path / "out" / "bundle.zip"
    zips.write_zip(target, {"x/table.csv": source, "x/README.md": b"read me"})
    first = target.read_bytes()

    class NotAgain:
        def __init__(self, *args, **kwargs):
            raise AssertionError("compressed again with unchanged inputs")

    with monkeypatch.context() as patched:
        patched.setattr(zips.zipfile, "ZipFile", NotAgain)
        assert zips.write_zip(target, {"x/table.csv": source, "x/README.md": b"read me"}) == target
    assert target.read_bytes() == first
    # a changed file or changed bytes are written again
    source.write_text("a,b\n1,3\n", encoding="utf-8")
    zips.write_zip(target, {"x/table.csv": source, "x/README.md": b"read me"})
    assert zipfile.ZipFile(target).read("x/table.csv") == b"a,b\n1,3\n"
    zips.write_zip(target, {"x/table.csv": source, "x/README.md": b"read me too"})
    assert zipfile.ZipFile(target).read("x/README.md") == b"read me too"


def test_the_repository_digest_changes_when_a_file_is_written_added_or_removed(tmp_path):
    archive = _source_archive()
    root = tmp_path / "copy"
    for name in ["README.md", "src/pkg/a.py"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)
    first = archive.repository_digest(root)
    assert archive.repository_digest(root) == first
    (root / "_build").mkdir()
    (root / "_build" / "page.html").write_text("built")  # the build's output is not an input
    assert archive.repository_digest(root) == first
    (root / "src/pkg/a.py").write_text("changed")
    second = archive.repository_digest(root)
    assert second != first
    (root / "src/pkg/b.py").write_text("new")
    assert archive.repository_digest(root) not in (first, second)


def test_the_chapters_downloads_are_not_made_again_while_the_repository_is_unchanged(tmp_path, monkeypatch):
    from concurrent.futures import Future

    sys.path.insert(0, str(REPO / "_ext"))
    try:
        import background
        import chapter_bundles
        import source_archive
    finally:
        sys.path.remove(str(REPO / "_ext"))
    chapters = tmp_path / "chapters"
    (chapters / "chart_data").mkdir(parents=True)
    monkeypatch.setattr(chapter_bundles, "CHAPTERS", chapters)
    monkeypatch.setattr(chapter_bundles, "chapter_stems", lambda: ["01_example"])
    digest = ["one"]
    monkeypatch.setattr(source_archive, "repository_digest", lambda root: digest[0])
    submitted = []

    def submit(app, function, stem, folder):
        submitted.append(stem)
        (folder / f"{stem}.zip").write_bytes(b"zip")
        done = Future()
        done.set_result(folder / f"{stem}.zip")
        return done

    monkeypatch.setattr(background, "submit", submit)

    class App:
        pass

    def build():
        app = App()
        chapter_bundles._start(app)
        chapter_bundles._record(app, None)

    build()
    assert submitted == ["01_example"]
    build()  # nothing changed: the download is kept
    assert submitted == ["01_example"]
    digest[0] = "two"  # a file of the repository changed
    build()
    assert submitted == ["01_example", "01_example"]
