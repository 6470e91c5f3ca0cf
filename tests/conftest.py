"""Shared fixtures: the repository root, and the book built once per test session."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import gates

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("BOOK_ROOT", str(REPO))
# Issue 9: the whole suite runs in under this on a 2-core machine (printed with the gates).
SUITE_MINUTES_TARGET = 10


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


def build_command(output: Path, *, clean: bool = True) -> list[str]:
    """tools/build.sh's jupyter-book command, into `output`; clean=False rebuilds only what changed."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return [str(jupyter_book), "build", ".", *(["--all"] if clean else []), "-W", "-n", "--keep-going",
            "--path-output", str(output)]


def build_environment(output: Path, root: Path = REPO) -> dict[str, str]:
    """The environment tools/build.sh sets: each data file checked once, each chart's spec
    checked when the build draws its SVG; the kernels read the data of `root`."""
    return dict(os.environ, BOOK_ROOT=str(root), BOOK_DATA_CACHE=str(output / "validated-data"),
                BOOK_CHARTS_VALIDATED_BY_BUILD="1")


@pytest.fixture(scope="session")
def build_result(tmp_path_factory):
    """Build the book as tools/build.sh does (every chapter executed afresh, -W -n), into a
    temporary folder so a reader's own _build is left alone. Set BUILT_SITE to reuse a site
    built already (it must be the output of the same command)."""
    if os.environ.get("BUILT_SITE"):
        return subprocess.CompletedProcess([], 0, stdout="", stderr=""), Path(os.environ["BUILT_SITE"])
    output = tmp_path_factory.mktemp("book")
    completed = subprocess.run(build_command(output), cwd=REPO, capture_output=True, text=True, timeout=1200,
                               env=build_environment(output))
    return completed, output / "_build" / "html"


@pytest.fixture(scope="session")
def built_site(build_result) -> Path:
    completed, html = build_result
    if completed.returncode != 0:
        pytest.fail("jupyter-book build failed:\n" + (completed.stdout + completed.stderr)[-6000:], pytrace=False)
    return html


CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's chromium driven by playwright (no `playwright install`). Skips without the
    browser, unless REQUIRE_BROWSER=1 (tools/test.sh, CI), where a missing browser fails."""
    require = os.environ.get("REQUIRE_BROWSER") == "1"
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found (apt-get install -y chromium)"
        if require:
            pytest.fail(f"REQUIRE_BROWSER=1 but {message}")
        pytest.skip(f"{message}; set REQUIRE_BROWSER=1 to make this a failure")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


def pytest_sessionstart(session):
    session.config._book_started = time.monotonic()


@pytest.fixture(autouse=True)
def _signals_left_as_found(request):
    """A test (or a library it loads, e.g. a kernel started in this process) that changes how the
    test process handles SIGINT changes it for every process started later: an ignored SIGINT is
    inherited and cannot be trapped. Put it back, and name the test in the Gates section."""
    import signal

    before = signal.getsignal(signal.SIGINT)
    yield
    if signal.getsignal(signal.SIGINT) is not before:
        signal.signal(signal.SIGINT, before)
        gates.report("signals", f"{request.node.nodeid} changed the test process's SIGINT handler (put back)")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print each gate's figure (tests/gates.py) and the suite's own time against its target.
    The time is reported, not enforced: a slower CI machine should not turn a correct book red."""
    elapsed = time.monotonic() - getattr(config, "_book_started", time.monotonic())
    tests = terminalreporter._numcollected
    verdict = "met" if elapsed < SUITE_MINUTES_TARGET * 60 else "MISSED"
    gates.report("suite time", f"{tests} tests in {elapsed / 60:.1f} min on {os.cpu_count()} cores "
                               f"(target for the whole suite: under {SUITE_MINUTES_TARGET} min on 2 cores: {verdict})")
    terminalreporter.section("Gates")
    for gate, figure in gates.reported():
        terminalreporter.write_line(f"{gate}: {figure}")


@pytest.fixture(scope="session")
def site_visits(chromium_browser, built_site):
    """Every page of the built site, opened once at 390 px in light and once in dark mode with
    the network cut (tests/browser_pages.py): {(page, mode): PageVisit}. The offline, screen and
    accessibility tests assert on these visits instead of each opening every page again."""
    import browser_pages

    return browser_pages.visit_every_page(chromium_browser, built_site)


# ---------------------------------------------------------------- a second, independent build

def source_files() -> list[Path]:
    """The files the build's source archive holds (_ext/source_archive.py), relative to REPO."""
    sys.path.insert(0, str(REPO / "_ext"))
    try:
        import source_archive
    finally:
        sys.path.remove(str(REPO / "_ext"))
    return source_archive.source_files(REPO)


class SecondBuild:
    """The whole book built a second time, from a copy of this checkout's source files (the
    chapters write their chart data beside their source, so two builds of one folder at once
    would share it; the copy holds exactly the files the source archive lists), for
    tests/test_determinism.py. Started as soon as the tests are collected, so that it runs while
    the single-threaded tests use one core and finishes by the time the comparison needs it."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="second-build-"))
        self.source = self.folder / "source"
        for name in source_files():
            (self.source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, self.source / name)
        self.log = (self.folder / "build.log").open("w")
        self.process = subprocess.Popen(build_command(self.folder), cwd=self.source, stdout=self.log,
                                        stderr=subprocess.STDOUT, env=build_environment(self.folder, self.source))

    def site(self) -> Path:
        status = self.process.wait(timeout=1200)
        self.log.close()
        if status != 0:
            pytest.fail(f"second build failed ({status}):\n" + (self.folder / "build.log").read_text()[-4000:],
                        pytrace=False)
        return self.folder / "_build" / "html"

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def pytest_collection_finish(session):
    if any(item.nodeid.startswith("tests/test_determinism.py") for item in session.items):
        session.config._second_build = SecondBuild()


def pytest_sessionfinish(session, exitstatus):
    second = getattr(session.config, "_second_build", None)
    if second is not None:
        second.stop()


@pytest.fixture(scope="session")
def second_site(request) -> Path:
    """The built site of the second build (tests/test_determinism.py)."""
    second = getattr(request.config, "_second_build", None)
    if second is None:
        second = request.config._second_build = SecondBuild()
    return second.site()
