"""The command-line tools in tools/: stopping a build, repairing a broken venv, the failure
summary, running one chapter, and a Windows-style checkout keeping the data byte for byte.

The build.sh / test.sh / setup_env.sh tests run the real scripts against fakes (a fake
`jupyter-book`, a fake venv python), so they take seconds and never install or build."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import file_modules

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / "tools"
SAMPLES = Path(__file__).resolve().parent / "samples"
VENV = Path(sys.executable).parent.parent  # the venv running the tests


def _load_summarize():
    return file_modules.load("tools/summarize_build.py")


def _is_gone(pid: int) -> bool:
    """True if pid no longer runs (a zombie waiting for a reaper counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return True
    return stat.rsplit(")", 1)[1].split()[0] in {"Z", "X"}


def _skeleton(tmp_path: Path) -> Path:
    """A repository root with the real tools/ scripts (so build.sh's `rm -rf _build` and its
    log stay in tmp), and a fake venv bin folder."""
    root = tmp_path / "repo"
    (root / "tools").mkdir(parents=True)
    for name in ["build.sh", "test.sh", "setup_env.sh", "summarize_build.py", "run_chapter.sh"]:
        shutil.copy(TOOLS / name, root / "tools" / name)
    (root / "tools" / "install_browser.sh").write_text("#!/usr/bin/env bash\nexit 0\n")
    (root / "fakevenv" / "bin").mkdir(parents=True)
    return root


def _fake(path: Path, body: str) -> None:
    path.write_text("#!/usr/bin/env bash\n" + body)
    path.chmod(0o755)


# What a build does to the process table: a child in its own process group, and a "kernel"
# started in a new session (as jupyter_client does), both long-running.
SPAWNS_GRANDCHILDREN = """
sleep 300 &
echo $! >> "$PIDS"
setsid sleep 301 &
echo $! >> "$PIDS"
echo $$ >> "$PIDS"
echo "fake $0 running"
wait
"""


def _default_signals() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


@pytest.mark.parametrize("script, fake, signum, status", [
    ("build.sh", "jupyter-book", signal.SIGTERM, 143),
    ("build.sh", "jupyter-book", signal.SIGINT, 130),
    ("test.sh", "python", signal.SIGTERM, 143),
])
def test_stopping_the_script_stops_every_process_it_started(tmp_path, script, fake, signum, status):
    root = _skeleton(tmp_path)
    _fake(root / "fakevenv" / "bin" / fake, SPAWNS_GRANDCHILDREN)
    pids_file = tmp_path / "pids"
    env = {**os.environ, "PIDS": str(pids_file), "BOOK_VENV": str(root / "fakevenv"), "BOOK_SKIP_SETUP": "1"}
    # SIGINT and SIGTERM at their defaults in the script, as in a reader's terminal: a disposition
    # the test process inherited (an ignored SIGINT cannot be trapped by bash) is not the script's
    process = subprocess.Popen(["bash", str(root / "tools" / script)], cwd=root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True, preexec_fn=_default_signals)
    pids: list[int] = []
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if pids_file.exists() and len(pids := [int(p) for p in pids_file.read_text().split()]) == 3:
                break
            time.sleep(0.05)
        assert len(pids) == 3, "the fake never started"
        assert not any(_is_gone(pid) for pid in pids)
        process.send_signal(signum)
        output, _ = process.communicate(timeout=20)
        assert process.returncode == status, output
        time.sleep(0.2)
        assert [pid for pid in pids if not _is_gone(pid)] == [], output
        assert "stopped" in output
    finally:
        for pid in pids:
            if not _is_gone(pid):
                os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()


def test_build_failure_ends_with_the_failing_page_and_its_exception(tmp_path):
    root = _skeleton(tmp_path)
    sample = SAMPLES / "build_failure_cell_error.log"
    _fake(root / "fakevenv" / "bin" / "jupyter-book", f'cat "{sample}"\nexit 1\n')
    env = {**os.environ, "BOOK_VENV": str(root / "fakevenv"), "BOOK_SKIP_SETUP": "1"}
    completed = subprocess.run(["bash", str(root / "tools" / "build.sh")], cwd=root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    assert completed.returncode == 1
    tail = completed.stdout.rstrip().splitlines()[-5:]
    assert tail[0] == "==> build failed: 1 page(s)"
    assert tail[1] == "  book/chapters/01_russian_labour_migration"
    assert tail[2].startswith("    DataValidationError: data/seeds/seed000_tabel1_cis_migrants_in_russia_2015.csv")
    assert tail[3] == ("      data/seeds/seed000_tabel1_cis_migrants_in_russia_2015.csv, row 4, "
                       "column 'immigrants': '99x169' is not a valid integer")
    assert tail[4].startswith("==> build FAILED (exit 1)")
    # the whole log is kept after the build
    assert (root / "_build" / "build.log").read_text() == sample.read_text()


def test_build_success_reports_the_site_and_keeps_the_log(tmp_path):
    root = _skeleton(tmp_path)
    _fake(root / "fakevenv" / "bin" / "jupyter-book", 'echo "build succeeded: $*"\n')
    env = {**os.environ, "BOOK_VENV": str(root / "fakevenv"), "BOOK_SKIP_SETUP": "1"}
    completed = subprocess.run(["bash", str(root / "tools" / "build.sh")], cwd=root, env=env,
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert (root / "_build" / "build.log").read_text() == "build succeeded: build . --all -W -n --keep-going\n"
    assert "build failed" not in completed.stdout
    assert completed.stdout.rstrip().splitlines()[-1].startswith("==> built in ")


# --- the failure summary, on logs saved from real failing builds -------------------------

def test_summary_of_a_cell_error_names_the_page_and_the_data_error():
    summarize = _load_summarize()
    causes = summarize.summarize((SAMPLES / "build_failure_cell_error.log").read_text())
    assert causes == [("book/chapters/01_russian_labour_migration", [
        "DataValidationError: data/seeds/seed000_tabel1_cis_migrants_in_russia_2015.csv does not match "
        "its schema in data/datapackage.json:",
        "  data/seeds/seed000_tabel1_cis_migrants_in_russia_2015.csv, row 4, column 'immigrants': "
        "'99x169' is not a valid integer"])]


def test_summary_without_raise_on_error_lists_every_failing_page_and_sphinx_warnings():
    # Saved from a build with nb_execution_raise_on_error off and a broken {ref} in the glossary:
    # two notebooks fail, each followed by dozens of "No key ... in glue data" warnings.
    summarize = _load_summarize()
    causes = dict(summarize.summarize((SAMPLES / "build_failure_warnings.log").read_text()))
    assert list(causes) == ["book/appendix/claims_ledger", "book/chapters/01_russian_labour_migration",
                            "book/appendix/glossary"]
    assert causes["book/appendix/claims_ledger"][0].startswith(
        "KeyError: \"no resource 'source_documents' in data/datapackage.json")
    assert causes["book/chapters/01_russian_labour_migration"][1] == (
        "  data/seeds/seed000_tabel1_cis_migrants_in_russia_2015.csv, row 4, column 'immigrants': "
        "'99x169' is not a valid integer")
    assert causes["book/appendix/glossary"] == ["WARNING (line 44): undefined label: 'no-such-label'"]


def test_summary_caps_warnings_per_page_and_says_when_it_finds_nothing(tmp_path):
    summarize = _load_summarize()
    log = "Source Folder: /src\n" + "".join(
        f"/src/book/intro.md:{n}: WARNING: problem {n}\n" for n in range(1, 6))
    assert summarize.summarize(log) == [("book/intro", ["WARNING (line 1): problem 1", "WARNING (line 2): problem 2",
                                                        "WARNING (line 3): problem 3", "... and 2 more warning(s)"])]
    empty = tmp_path / "empty.log"
    empty.write_text("Running Jupyter-Book\nsomething odd\n")
    completed = subprocess.run([sys.executable, str(TOOLS / "summarize_build.py"), str(empty)],
                               capture_output=True, text=True)
    assert completed.returncode == 1
    assert "no failing page recognised" in completed.stdout


# --- setup_env.sh: a venv broken by an interrupted set-up is recreated --------------------

# A stand-in for a venv's python: `-m pip --version` works if pip_ok exists next to bin/,
# `-m pip install` succeeds if install_ok exists; every call is logged.
FAKE_VENV_PYTHON = """
venv="$(cd "$(dirname "$0")/.." && pwd)"
echo "$*" >> "$venv/calls.log"
case "$1 $2 $3" in
  "-m pip --version") [ -f "$venv/pip_ok" ] && { echo "pip 24.0"; exit 0; }; exit 1 ;;
  "-m pip install") [ -f "$venv/install_ok" ] && exit 0; exit 1 ;;
esac
exit 0
"""


def _creator(tmp_path: Path, install_ok: bool = True) -> Path:
    """A stand-in for python3: `-m venv DIR` makes a fake venv with a working pip."""
    good = tmp_path / "good_python"
    _fake(good, FAKE_VENV_PYTHON)
    creator = tmp_path / "python3"
    _fake(creator, f"""
echo "$*" >> "{tmp_path}/creator.log"
[ "$1 $2" = "-m venv" ] || exit 1
mkdir -p "$3/bin" && cp "{good}" "$3/bin/python" && touch "$3/pyvenv.cfg" "$3/pip_ok"
{'touch "$3/install_ok"' if install_ok else ''}
""")
    return creator


def _setup_env(venv: Path, creator: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BOOK_VENV": str(venv), "PYTHON": str(creator)}
    env.pop("BOOK_SKIP_SETUP", None)
    return subprocess.run(["bash", "-c", f'source "{TOOLS / "setup_env.sh"}"'], env=env,
                          capture_output=True, text=True, timeout=60)


def _pins_hash() -> str:
    pins = b"".join((REPO / name).read_bytes() for name in ["requirements.txt", "constraints.txt", "pyproject.toml"])
    return hashlib.sha256(pins).hexdigest()


@pytest.mark.parametrize("breakage", ["no python", "no pip"])
def test_setup_env_recreates_a_venv_left_broken_by_an_interrupted_setup(tmp_path, breakage):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv / "left_over").write_text("from the interrupted run")
    if breakage == "no pip":  # python runs, but `python -m pip --version` fails
        _fake(venv / "bin" / "python", FAKE_VENV_PYTHON)
    creator = _creator(tmp_path)
    completed = _setup_env(venv, creator)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "is broken" in completed.stdout
    assert (tmp_path / "creator.log").read_text() == f"-m venv {venv}\n"
    assert not (venv / "left_over").exists()
    calls = (venv / "calls.log").read_text().splitlines()
    assert calls[0] == "-m pip --version"
    assert calls[1].startswith("-m pip install --quiet --disable-pip-version-check -r requirements.txt")
    assert (venv / ".requirements.sha256").read_text().strip() == _pins_hash()


def test_setup_env_leaves_a_working_venv_with_a_current_stamp_alone(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    _fake(venv / "bin" / "python", FAKE_VENV_PYTHON)
    (venv / "pyvenv.cfg").touch()
    (venv / "pip_ok").touch()
    (venv / ".requirements.sha256").write_text(_pins_hash() + "\n")
    completed = _setup_env(venv, _creator(tmp_path))
    assert completed.returncode == 0, completed.stderr
    assert not (tmp_path / "creator.log").exists()
    assert (venv / "calls.log").read_text().splitlines() == ["-m pip --version"]  # no install


def test_setup_env_writes_the_stamp_only_after_a_successful_install(tmp_path):
    venv = tmp_path / "venv"
    completed = _setup_env(venv, _creator(tmp_path, install_ok=False))
    assert completed.returncode != 0
    assert "pip install failed" in completed.stderr
    assert not (venv / ".requirements.sha256").exists()
    # an old stamp does not survive a failed reinstall either
    (venv / ".requirements.sha256").write_text("stale\n")
    assert _setup_env(venv, _creator(tmp_path, install_ok=False)).returncode != 0
    assert not (venv / ".requirements.sha256").exists()
    (venv / "install_ok").touch()
    assert _setup_env(venv, _creator(tmp_path)).returncode == 0
    assert (venv / ".requirements.sha256").read_text().strip() == _pins_hash()


def test_setup_env_refuses_to_delete_a_folder_that_is_not_a_venv(tmp_path):
    venv = tmp_path / "precious"
    venv.mkdir()
    (venv / "thesis.tex").write_text("years of work")
    completed = _setup_env(venv, _creator(tmp_path))
    assert completed.returncode != 0
    assert "does not look like one" in completed.stderr
    assert (venv / "thesis.tex").read_text() == "years of work"


# --- run_chapter.sh ---------------------------------------------------------------------

def test_run_chapter_names_the_chapters_when_given_an_unknown_one():
    completed = subprocess.run(["bash", str(TOOLS / "run_chapter.sh"), "99_nothing"],
                               capture_output=True, text=True, timeout=30)
    assert completed.returncode == 2
    assert "no notebook notebooks/99_nothing.ipynb" in completed.stderr
    assert "01_russian_labour_migration" in completed.stderr


@pytest.mark.slow
def test_run_chapter_writes_the_notebook_and_chart_data_outside_the_repository(tmp_path):
    before = sorted(path.name for path in REPO.iterdir())
    output_dir = tmp_path / "run"
    env = {**os.environ, "BOOK_VENV": str(VENV), "BOOK_SKIP_SETUP": "1"}
    env.pop("BOOK_ROOT", None)
    completed = subprocess.run(["bash", str(TOOLS / "run_chapter.sh"), "01_russian_labour_migration",
                                "--output-dir", str(output_dir)],
                               cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    assert completed.returncode == 0, (completed.stdout + completed.stderr)[-4000:]
    executed = output_dir / "01_russian_labour_migration.ipynb"
    assert f"==> executed notebook: {executed}" in completed.stdout
    cells = [cell for cell in json.loads(executed.read_text())["cells"] if cell["cell_type"] == "code"]
    assert cells and all(cell["execution_count"] is not None for cell in cells)
    assert (output_dir / "chart_data" / "ch01_remittances_share_cis.csv").is_file()
    assert sorted(path.name for path in REPO.iterdir()) == before
    assert not (REPO / "chart_data").exists() and not (REPO / "notebooks" / "chart_data").exists()


# --- a Windows-style checkout (core.autocrlf=true) keeps every data file byte for byte ------

def _git(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args],
                   cwd=cwd, check=True, capture_output=True, timeout=120)


def _hash_mismatches(clone: Path) -> list[str]:
    """Every file whose sha256 differs from the one recorded for it (data/datapackage.json,
    book/_static/vega/VERSIONS.json)."""
    wrong = []
    package = json.loads((clone / "data" / "datapackage.json").read_text(encoding="utf-8"))
    recorded = {clone / "data" / item["path"]: item["hash"].removeprefix("sha256:") for item in package["resources"]}
    versions = clone / "book" / "_static" / "vega" / "VERSIONS.json"
    if versions.exists():
        recorded |= {versions.parent / item["file"]: item["sha256"]
                     for item in json.loads(versions.read_text())["files"]}
    assert len(recorded) >= 6
    for path, expected in recorded.items():
        if hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            wrong.append(str(path.relative_to(clone)))
    return wrong


def test_a_clone_with_autocrlf_true_keeps_every_hashed_file_byte_for_byte(tmp_path):
    committed = tmp_path / "committed"
    _git("clone", "-q", f"file://{REPO}", str(committed))
    # The repository's .gitattributes as it stands (in CI the same as HEAD's).
    attributes = (REPO / ".gitattributes").read_bytes()
    if not (committed / ".gitattributes").exists() or (committed / ".gitattributes").read_bytes() != attributes:
        (committed / ".gitattributes").write_bytes(attributes)
        _git("add", ".gitattributes", cwd=committed)
        _git("commit", "-q", "-m", "the working tree's .gitattributes", cwd=committed)
    windows = tmp_path / "windows"
    _git("clone", "-q", "-c", "core.autocrlf=true", f"file://{committed}", str(windows))
    assert _hash_mismatches(windows) == []
    assert b"\r\n" not in (windows / "tools" / "build.sh").read_bytes()

    # Control: without .gitattributes the same checkout breaks the hashes, so the check can fail.
    _git("rm", "-q", ".gitattributes", cwd=committed)
    _git("commit", "-q", "-m", "no .gitattributes", cwd=committed)
    unprotected = tmp_path / "unprotected"
    _git("clone", "-q", "-c", "core.autocrlf=true", f"file://{committed}", str(unprotected))
    broken = _hash_mismatches(unprotected)
    assert "data/seeds/seed000_tabel1_cis_migrants_in_russia_2015.csv" in broken
    assert "data/claims.csv" in broken


def test_each_clean_build_of_the_benchmark_starts_without_what_a_build_writes_into_the_tree(tmp_path):
    benchmark = file_modules.load("tools/benchmark.py")
    for name in ["book/chapters/chart_data/ch01.svg", "book/appendix/chart_data/ledger.csv",
                 "book/_generated/migration-recomputed-source.zip", "book/chapters/01_x.md", "data/x.csv"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    benchmark.remove_generated(tmp_path)
    left = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*") if path.is_file())
    assert left == ["book/chapters/01_x.md", "data/x.csv"]
    assert not list(tmp_path.rglob("chart_data")) and not (tmp_path / "book" / "_generated").exists()


def test_the_benchmark_splits_a_build_into_phases_at_sphinxs_progress_lines():
    """tools/benchmark.py says where a build's time goes, from the moments Sphinx prints its phases."""
    benchmark = file_modules.load("tools/benchmark.py")
    lines = [(0.2, "Running Sphinx v7.4.7\n"), (1.5, "\x1b[01mreading sources... \x1b[39;49;00m[ 10%] book/intro\n"),
             (4.0, "book/intro.md: Executed notebook in 2.00 seconds [mystnb]\n"),
             (9.0, "\x1b[01mpickling environment... \x1b[39;49;00mdone\n"), (9.0, "reading sources... again\n"),
             (10.5, "\x1b[01mdumping object inventory... \x1b[39;49;00mdone\n"), (12.0, "build succeeded.\n")]
    spent = benchmark.phases(lines, total=12.5, executing=6.0)
    assert spent == {"start (Sphinx, extensions)": 1.5, "reading: executing pages": 6.0, "reading: the rest": 1.5,
                     "writing pages": 1.5, "after writing (PDF, lists)": 2.0}
    assert sum(spent.values()) == 12.5
    assert benchmark.phases(lines[:1] + lines[-1:], total=3.0, executing=0.0) is None  # a rebuild reads nothing
