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

and prints each run, the medians, the clean/floor ratio and, per executed page, the median
execution time myst-nb reports ("Executed notebook in N seconds"). Both builds run from
copies (no .git, .venv, _build), with PYTHONPATH pointing at the copy's src/, so edits made in
the repository while it runs do not leak in, and the repository's _build is never touched.
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
IGNORED = shutil.ignore_patterns(".git", ".venv", "venv*", "_build", "test-artifacts", ".pytest_cache",
                                 "__pycache__", "*.egg-info", ".ipynb_checkpoints", "chart_data")
EXECUTED = re.compile(r"^(?:\x1b\[[0-9;]*m)?(?P<path>\S+?\.(?:md|ipynb)): Executed notebook in (?P<seconds>[0-9.]+) seconds")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)

FLOOR_PAGE = """{front_matter}
{title}

A stand-in page for the benchmark's toolchain floor.

```{{code-cell}} ipython3
import altair as alt
import pandas as pd
from myst_nb import glue

frame = pd.DataFrame({{"x": range(10), "y": [value * value for value in range(10)]}})
chart = alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q").properties(title="Floor")
glue("floor_total", float(frame["y"].sum()), display=False)
chart
```

The total is {{glue:text}}`floor_total:,.0f`.
"""


def snapshot(source: Path, destination: Path) -> Path:
    shutil.copytree(source, destination, ignore=IGNORED, symlinks=True)
    return destination


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
                                          title=title), encoding="utf-8")
        replaced.append(str(page.relative_to(root)))
    return replaced


def build(root: Path, output: Path, log: Path) -> tuple[float, int, dict[str, float]]:
    """One clean build; returns (wall seconds, exit status, {page: execution seconds})."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    env = {**os.environ, "BOOK_ROOT": str(root),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(root / "src"), os.environ.get("PYTHONPATH")]))}
    start = time.perf_counter()
    with open(log, "w", encoding="utf-8") as handle:
        completed = subprocess.run([str(jupyter_book), "build", ".", "--all", "-W", "-n", "--keep-going",
                                    "--path-output", str(output)],
                                   cwd=root, env=env, stdout=handle, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    pages = {}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if match := EXECUTED.match(line):
            path = Path(match.group("path"))
            name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
            pages[name.rsplit(".", 1)[0]] = float(match.group("seconds"))
    return seconds, completed.returncode, pages


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
        times: dict[str, list[float]] = {"clean": [], "floor": []}
        pages: dict[str, dict[str, list[float]]] = {"clean": {}, "floor": {}}
        roots = {"clean": clean_root, "floor": floor_root}
        for run in range(args.runs):
            order = ["clean", "floor"] if run % 2 == 0 else ["floor", "clean"]
            for kind in order:
                output = work / f"{kind}-out-{run}"
                log = work / f"{kind}-{run}.log"
                seconds, status, executed = build(roots[kind], output, log)
                times[kind].append(seconds)
                for page, page_seconds in executed.items():
                    pages[kind].setdefault(page, []).append(page_seconds)
                print(f"run {run + 1}/{args.runs} {kind:5} {seconds:7.1f} s" + ("" if status == 0 else f"  (exit {status})"),
                      flush=True)
                if status != 0:
                    failed = True
                    report_failure(kind, log, roots[kind])
                if not args.keep:
                    shutil.rmtree(output, ignore_errors=True)
        clean, floor = statistics.median(times["clean"]), statistics.median(times["floor"])
        paired = [c / f for c, f in zip(times["clean"], times["floor"])]
        print(f"\nclean  median {clean:7.1f} s   runs: {', '.join(f'{t:.1f}' for t in times['clean'])}")
        print(f"floor  median {floor:7.1f} s   runs: {', '.join(f'{t:.1f}' for t in times['floor'])}")
        print(f"clean/floor    {clean / floor:7.2f}     (median of paired ratios {statistics.median(paired):.2f})")
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
