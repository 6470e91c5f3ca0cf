"""How long a clean build of the book takes, against the toolchain's own floor.

Usage (from the repository root, with the project's venv):

    .venv/bin/python tools/benchmark.py              # 3 paired runs, medians
    .venv/bin/python tools/benchmark.py --runs 1     # one pair, quicker
    .venv/bin/python tools/benchmark.py --source DIR --keep

It times, in paired runs whose order alternates (clean, floor; floor, clean; ...):

  clean  `jupyter-book build . --all -W -n --keep-going --path-output <tmp>` of a snapshot copy
         of the repository (every chapter executed afresh, as tools/build.sh does);
  floor  the same build of a copy in which every executed page (every .md under book/ with a
         {code-cell}) is replaced by a trivial page of the same title that imports pandas and
         altair, builds a 10-row DataFrame and a small chart and glues one number: what Sphinx,
         the theme and one kernel start per page cost before any of our work. Same _config.yml
         and _toc.yml.

and, after each clean build, a rebuild into the same output with nothing changed. It prints each
run, the medians, clean/floor and rebuild/clean, where the time goes in each (Sphinx's start,
executing pages, the rest of reading, writing, and what follows: the PDF), per executed page the median execution time
myst-nb reports ("Executed notebook in N seconds"), each page's own weight (its HTML, with the
charts' data, and the images it loads; the shared _static files not counted per page, downloads
not counted as they are not loaded) and the time (median of 3 loads) until every chart of
the heaviest chapter page is drawn in headless Chromium with the network cut, each against the
book's targets (clean <= 1.5 x floor, rebuild <= 10 % of clean, a chapter page <= 500 KB or 1 MB
with a map, charts drawn <= 1.5 s). Both builds run from
copies (no .git, .venv, _build), with PYTHONPATH pointing at the copy's src/, so edits made in
the repository while it runs do not leak in, and the repository's _build is never touched. What a
build writes into the tree (chart_data/, book/_generated/) is removed before each clean build, as
in a clean clone.
--source builds another checkout instead (e.g. a clean clone); --keep keeps the temporary
folders and build logs. Exit status 1 if a build failed (its timing is still printed).
This is a script, not a test: it takes minutes (about 2 x runs clean builds).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# what a clean clone does not have: the build's outputs (chart_data: the chapters' downloads;
# _generated: the source and data zips, which a build would otherwise find already written)
IGNORED = shutil.ignore_patterns(".git", ".venv", "venv*", "_build", "test-artifacts", ".pytest_cache",
                                 "__pycache__", "*.egg-info", ".ipynb_checkpoints", "chart_data", "_generated")
EXECUTED = re.compile(r"^(?:\x1b\[[0-9;]*m)?(?P<path>\S+?\.(?:md|ipynb)): Executed notebook in (?P<seconds>[0-9.]+) seconds")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)

FLOOR_PAGE = """{front_matter}
{title}

A stand-in page for the benchmark's toolchain floor: one table, one chart with its static image
(drawn by the build, as the book's are, so the PDF has it), one glued number.

```{{code-cell}} ipython3
from pathlib import Path

import altair as alt
import pandas as pd
from myst_nb import glue

frame = pd.DataFrame({{"x": range(10), "y": [value * value for value in range(10)]}})
chart = alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q").properties(title="Floor", description="A line.")
Path("chart_data").mkdir(exist_ok=True)
Path("chart_data/{name}.vl.json").write_text(chart.to_json(), encoding="utf-8")
glue("floor_total", float(frame["y"].sum()), display=False)
glue("floor_chart", chart, display=False)
```

```{{glue:figure}} floor_chart
:figwidth: 100%

A trivial chart. Static image: {{download}}`SVG <chart_data/{name}.svg>`.
```

The total is {{glue:text}}`floor_total:,.0f`.
"""


def snapshot(source: Path, destination: Path) -> Path:
    shutil.copytree(source, destination, ignore=IGNORED, symlinks=True)
    return destination


def remove_generated(root: Path) -> None:
    """Delete what a build writes into the source tree (the charts' data and images, the
    chapters' downloads, the source and data zips), so every clean build starts as a clean
    clone would, not from the files the run before it left."""
    for folder in [*(root / "book").rglob("chart_data"), root / "book" / "_generated"]:
        shutil.rmtree(folder, ignore_errors=True)


def make_floor(root: Path) -> list[str]:
    """Replace every executed page under book/ by the trivial page; returns the pages replaced."""
    replaced = []
    for page in sorted((root / "book").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        if "{code-cell}" not in text:
            continue
        front = FRONT_MATTER.match(text)
        title = next((line for line in text.splitlines() if line.startswith("# ")), f"# {page.stem}")
        page.write_text(FLOOR_PAGE.format(front_matter=front.group(0).rstrip("\n") if front else "",
                                          title=title, name=f"floor_{page.stem}"), encoding="utf-8")
        replaced.append(str(page.relative_to(root)))
    return replaced


# Where a build's time goes: Sphinx's own progress lines mark the phases.
PHASE_MARKS = {"reading": "reading sources...", "written": "pickling environment...",
               "finished": "dumping object inventory..."}
PHASES = ("start (Sphinx, extensions)", "reading: executing pages", "reading: the rest",
          "writing pages", "after writing (PDF, lists)")


def phases(timed_lines: list[tuple[float, str]], total: float, executing: float) -> dict[str, float] | None:
    """Seconds per phase of one build, from its output lines with the time each was printed:
    start (to Sphinx's first "reading sources"), reading split into myst-nb's execution time
    (`executing`, summed over pages, which run one after another in a thread:
    _ext/execute_ahead.py) and the rest (reading not hidden behind a kernel, mostly the last
    page's), writing (to "dumping object inventory") and what follows (the PDF, the link list)
    to the end. None if a mark is missing (a rebuild reads nothing)."""
    seen: dict[str, float] = {}
    for at, line in timed_lines:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", line)
        for key, mark in PHASE_MARKS.items():
            if key not in seen and mark in plain:
                seen[key] = at
    if len(seen) < len(PHASE_MARKS):
        return None
    reading = seen["written"] - seen["reading"]
    return dict(zip(PHASES, (seen["reading"], executing, reading - executing,
                             seen["finished"] - seen["written"], total - seen["finished"])))


def build(root: Path, output: Path, log: Path, rebuild: bool = False
          ) -> tuple[float, int, dict[str, float], dict[str, float] | None]:
    """One clean build (or, with rebuild, a build into an existing output with nothing changed);
    returns (wall seconds, exit status, {page: execution seconds}, seconds per phase)."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    # the environment tools/build.sh sets (each data file checked once; chart specs checked when drawn)
    env = {**os.environ, "BOOK_ROOT": str(root), "BOOK_DATA_CACHE": str(output / "validated-data"),
           "BOOK_CHARTS_VALIDATED_BY_BUILD": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(root / "src"), os.environ.get("PYTHONPATH")]))}
    timed_lines: list[tuple[float, str]] = []
    start = time.perf_counter()
    with open(log, "w", encoding="utf-8") as handle:
        process = subprocess.Popen([str(jupyter_book), "build", ".", *([] if rebuild else ["--all"]), "-W", "-n",
                                    "--keep-going", "--path-output", str(output)],
                                   cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, encoding="utf-8", errors="replace")
        for line in process.stdout:
            timed_lines.append((time.perf_counter() - start, line))
            handle.write(line)
        status = process.wait()
    seconds = time.perf_counter() - start
    pages = {}
    for _, line in timed_lines:
        if match := EXECUTED.match(line):
            path = Path(match.group("path"))
            name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
            pages[name.rsplit(".", 1)[0]] = float(match.group("seconds"))
    return seconds, status, pages, phases(timed_lines, seconds, sum(pages.values()))


SHARED = ("_static", "_sources")  # the theme's and the libraries' files: counted once, not per page
SHARED_FILES = ("searchindex.js",)  # the site's search index, loaded by every page
# what a browser loads with the page: src= (images, scripts) and stylesheets; a download link is
# not loaded until a reader asks for it
ASSET = re.compile(r'\bsrc="([^"#?]+)|<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"#?]+)', re.IGNORECASE)


def page_weights(site: Path) -> dict[str, int]:
    """Each page's own weight in bytes: its HTML (with the charts' data inside) plus the images,
    scripts and stylesheets it loads that are its own; files under _static/ are shared by every
    page and left out, and downloads (CSV, SVG, zip) are not loaded with the page."""
    weights = {}
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site)
        if relative.parts[0] in SHARED + ("_downloads",):
            continue
        own = {page.resolve()}
        for source, stylesheet in ASSET.findall(page.read_text(encoding="utf-8", errors="replace")):
            link = source or stylesheet
            if "://" in link or link.startswith(("data:", "mailto:", "javascript:")):
                continue
            target = (page.parent / link).resolve()
            relative_target = target.relative_to(site.resolve()) if target.is_relative_to(site.resolve()) else None
            if (target.is_file() and relative_target is not None and relative_target.parts[0] not in SHARED
                    and relative_target.name not in SHARED_FILES and target.suffix != ".html"):
                own.add(target)
        weights[relative.with_suffix("").as_posix()] = sum(path.stat().st_size for path in own)
    return weights


def chart_draw_seconds(page: Path, loads: int = 3) -> tuple[float, int, list[float]]:
    """Seconds from navigation until every chart of `page` is drawn, in headless Chromium with the
    network cut (the median of `loads` loads, each in a fresh browser), the number of charts and
    each load's seconds. One load varied by 0.1-0.2 s from one to the next."""
    loaded = [_chart_draw_once(page) for _ in range(loads)]
    return statistics.median(seconds for seconds, _ in loaded), loaded[0][1], [seconds for seconds, _ in loaded]


def _chart_draw_once(page: Path) -> tuple[float, int]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.route("http*://**", lambda route: route.abort())
            tab.goto(page.as_uri(), wait_until="commit")
            # every chart's container ("altair-viz-N") is in the HTML; one counts as drawn once
            # vega-embed has put its marks in it and book.js has marked it laid out (data-chart-fit,
            # set when the final drawing is in place: a chart too wide for the column is first drawn
            # hidden, then fitted). The page must be parsed first: polled from the first byte, the
            # charts parsed so far (3 or 4 of chapter 3's 13) looked like all of them.
            tab.wait_for_function(
                "() => { if (document.readyState === 'loading') return false;"
                " const charts = document.querySelectorAll('div[id^=\"altair-viz-\"]');"
                " return charts.length > 0 && [...charts].every(c => c.dataset.chartFit"
                " && c.querySelector('svg.marks, canvas.marks')); }",
                timeout=60_000, polling=20)
            seconds = tab.evaluate("performance.now()") / 1000
            count = tab.evaluate("document.querySelectorAll('div[id^=\"altair-viz-\"]').length")
        finally:
            browser.close()
    return seconds, count


def report_failure(kind: str, log: Path, root: Path) -> None:
    print(f"  {kind} build FAILED; log: {log}", file=sys.stderr)
    summarize = REPO / "tools" / "summarize_build.py"
    if summarize.exists():
        subprocess.run([sys.executable, str(summarize), str(log), str(root)], stdout=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="paired runs (default 3); medians are reported")
    parser.add_argument("--source", type=Path, default=REPO, help="the checkout to build (default: this repository)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies, outputs and logs")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    work = Path(tempfile.mkdtemp(prefix="book-benchmark-"))
    failed = False
    try:
        clean_root = snapshot(args.source.resolve(), work / "clean")
        floor_root = snapshot(args.source.resolve(), work / "floor")
        replaced = make_floor(floor_root)
        print(f"source {args.source.resolve()}; floor replaces {len(replaced)} executed page(s): {', '.join(replaced)}")
        times: dict[str, list[float]] = {"clean": [], "floor": [], "rebuild": []}
        weights: dict[str, int] = {}
        pages: dict[str, dict[str, list[float]]] = {"clean": {}, "floor": {}}
        spent: dict[str, list[dict[str, float]]] = {"clean": [], "floor": []}
        roots = {"clean": clean_root, "floor": floor_root}
        for run in range(args.runs):
            order = ["clean", "floor"] if run % 2 == 0 else ["floor", "clean"]
            for kind in order:
                output = work / f"{kind}-out-{run}"
                log = work / f"{kind}-{run}.log"
                remove_generated(roots[kind])
                seconds, status, executed, phase_seconds = build(roots[kind], output, log)
                times[kind].append(seconds)
                if phase_seconds:
                    spent[kind].append(phase_seconds)
                for page, page_seconds in executed.items():
                    pages[kind].setdefault(page, []).append(page_seconds)
                print(f"run {run + 1}/{args.runs} {kind:5} {seconds:7.1f} s" + ("" if status == 0 else f"  (exit {status})"),
                      flush=True)
                if status != 0:
                    failed = True
                    report_failure(kind, log, roots[kind])
                elif kind == "clean":
                    seconds, status, _, _ = build(roots[kind], output, work / f"rebuild-{run}.log", rebuild=True)
                    times["rebuild"].append(seconds)
                    print(f"run {run + 1}/{args.runs} rebuild {seconds:5.1f} s (nothing changed)", flush=True)
                    if not weights:
                        site = output / "_build" / "html"
                        weights = page_weights(site)
                        heaviest = max((name for name in weights if name.startswith("book/chapters/")),
                                       key=weights.get, default=None)
                        try:
                            draw = chart_draw_seconds(site / f"{heaviest}.html") if heaviest else None
                        except Exception as error:  # no browser here: say so, keep the timings
                            draw = None
                            print(f"  charts drawn: not measured ({type(error).__name__}: {error})", flush=True)
                if not args.keep:
                    shutil.rmtree(output, ignore_errors=True)
        clean, floor = statistics.median(times["clean"]), statistics.median(times["floor"])
        paired = [c / f for c, f in zip(times["clean"], times["floor"])]
        print(f"\nclean  median {clean:7.1f} s   runs: {', '.join(f'{t:.1f}' for t in times['clean'])}")
        print(f"floor  median {floor:7.1f} s   runs: {', '.join(f'{t:.1f}' for t in times['floor'])}")
        print(f"clean/floor    {clean / floor:7.2f}     (median of paired ratios {statistics.median(paired):.2f}; "
              f"target <= 1.5: {'met' if clean / floor <= 1.5 else 'MISSED'})")
        if spent["clean"] and spent["floor"]:
            print(f"\n{'where the time goes (median s)':31} {'clean':>6} {'floor':>6} {'clean - floor':>14}")
            for phase in PHASES:
                here, there = (statistics.median(run[phase] for run in spent[kind]) for kind in ("clean", "floor"))
                print(f"  {phase:29} {here:6.2f} {there:6.2f} {here - there:+14.2f}")
        if times["rebuild"]:
            rebuild = statistics.median(times["rebuild"])
            print(f"rebuild median {rebuild:7.1f} s   rebuild/clean {rebuild / clean:5.2f} "
                  f"(target <= 0.10: {'met' if rebuild / clean <= 0.10 else 'MISSED'})")
        if weights:
            print("\nown weight per page (HTML with the charts' data + its own images; _static shared, not counted):")
            for name, size in sorted(weights.items(), key=lambda item: -item[1]):
                limit = 1_000_000 if name.endswith("03_dutch_diversity") else 500_000
                mark = "" if not name.startswith("book/chapters/") else (
                    f"  (target <= {limit // 1000} KB: {'met' if size <= limit else 'MISSED'})")
                print(f"  {size / 1000:8.0f} KB  {name}{mark}")
            if draw:
                print(f"\ncharts drawn on the heaviest chapter page ({heaviest}, {draw[1]} charts): {draw[0]:.2f} s "
                      f"(target <= 1.5 s: {'met' if draw[0] <= 1.5 else 'MISSED'}; median of loads: "
                      f"{', '.join(f'{seconds:.2f}' for seconds in draw[2])})")
        for kind in ("clean", "floor"):
            if pages[kind]:
                print(f"\nexecution per page, {kind} (median s, from myst-nb's log):")
                for page, values in sorted(pages[kind].items(), key=lambda item: -statistics.median(item[1])):
                    print(f"  {statistics.median(values):6.2f}  {page}")
        if args.keep:
            print(f"\nkept: {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
