"""Summarise why a `jupyter-book build` failed, from its log: one entry per failing page.

Usage: python tools/summarize_build.py BUILD_LOG [SOURCE_FOLDER]
(SOURCE_FOLDER: to shorten page paths when the log has no "Source Folder:" line)

tools/build.sh runs it on _build/build.log when the build fails, so the cause ends the output
instead of sitting ~70 lines up, under Sphinx's "report a bug" text. Prints, per page:

    book/chapters/01_russian_labour_migration
      DataValidationError: data/seeds/....csv does not match its schema in data/datapackage.json:
        data/seeds/....csv, row 4, column 'immigrants': '99x169' is not a valid integer

It recognises, in this order:
- a notebook that failed to execute with nb_execution_raise_on_error (our _config.yml):
  nbclient's "CellExecutionError: An error occurred while executing the following cell"
  followed by the kernel's traceback, and myst-nb's "ExecutionError: <page>.md";
- myst-nb's "<page>: WARNING: Executing notebook failed: ..." (raise_on_error off), reading
  the traceback from the log or from the reports/<page>.err.log it names;
- Sphinx warnings and errors ("<file>:<line>: WARNING: ...", fatal under -W);
- any other exception Sphinx reports ("Exception occurred:").
Only the standard library is used. Exit status: 0 if it found a cause, 1 if not.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
# The last line of a Python traceback: "Name: message" or "pkg.mod.Name: message" at column 0.
EXCEPTION_LINE = re.compile(r"^(?P<name>[A-Za-z_][\w.]*)(?::\s(?P<message>.*)|:?)$")
CELL_ERROR = "CellExecutionError: An error occurred while executing the following cell"
EXECUTION_ERROR = re.compile(r"ExecutionError: (?P<path>\S+)$")
EXECUTING = re.compile(r"^(?P<path>\S+?): Executing notebook using")
NB_FAILED = re.compile(r"^(?P<path>\S+?): WARNING: Executing notebook failed: (?P<name>\w+)")
SAVED_IN = re.compile(r"Notebook exception traceback saved in: (?P<path>\S+)")
SPHINX_PROBLEM = re.compile(r"^(?P<path>/\S+?)(?::(?P<line>\d+))?: (?P<level>WARNING|ERROR|CRITICAL|SEVERE): (?P<message>.*)$")
SOURCE_FOLDER = re.compile(r"^Source Folder: (?P<path>\S.*)$")
END_OF_BLOCK = ("The above exception was the direct cause", "During handling of the above exception",
                "Notebook exception traceback saved in", "Traceback (most recent call last)")
NOT_EXCEPTIONS = {"Traceback", "Cell", "File", "Input", "WARNING", "INFO", "Note", "Hint"}
MAX_MESSAGE_LINES = 4
MAX_WIDTH = 300
MAX_WARNINGS = 3


def _clip(line: str) -> str:
    return line if len(line) <= MAX_WIDTH else line[:MAX_WIDTH - 3] + "..."


def last_exception(lines: list[str]) -> list[str]:
    """The last exception line of a traceback and the indented lines of its message."""
    for index in range(len(lines) - 1, -1, -1):
        match = EXCEPTION_LINE.match(lines[index])
        if not match or match.group("name") in NOT_EXCEPTIONS or lines[index].startswith(" "):
            continue
        if match.group("message") is None and not match.group("name").endswith(("Error", "Exception", "Interrupt", "Exit")):
            continue
        found = [_clip(lines[index].rstrip())]
        for follow in lines[index + 1:]:
            if not follow.strip() or not follow.startswith((" ", "\t")) or len(found) > MAX_MESSAGE_LINES:
                break
            found.append("  " + _clip(follow.strip()))
        return found
    return []


def _page(path: str, source: str | None) -> str:
    """book/chapters/01_x for /src/book/chapters/01_x.md (relative to the source folder)."""
    path = path.strip().rstrip(":")
    if source and path.startswith(source.rstrip("/") + "/"):
        path = path[len(source.rstrip("/")) + 1:]
    for suffix in (".md", ".ipynb", ".rst", ".err.log"):
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


def _block_after(lines: list[str], start: int) -> list[str]:
    block = []
    for line in lines[start + 1:]:
        if line.startswith(END_OF_BLOCK):
            break
        block.append(line)
    return block


def summarize(text: str, source: str | None = None) -> list[tuple[str, list[str]]]:
    """[(page, [exception line, message lines...]), ...] in the order the log shows them."""
    lines = [ANSI.sub("", line).rstrip("\n") for line in text.splitlines()]
    # The log's own "Source Folder:" line wins; `source` is the fallback for logs without it.
    source = next((m.group("path").strip() for m in map(SOURCE_FOLDER.match, lines) if m), source)
    pages: list[str] = []  # in the order the log first names them
    exceptions: dict[str, list[str]] = {}
    placeholders: set[str] = set()  # pages whose cause is only "execution failed" so far
    warnings: dict[str, list[str]] = {}

    def record(page: str, cause: list[str], placeholder: bool = False) -> None:
        if page not in pages:
            pages.append(page)
        if page in exceptions and (placeholder or page not in placeholders):
            return
        exceptions[page] = cause
        placeholders.discard(page)
        if placeholder:
            placeholders.add(page)

    current_page = None
    cell_error: list[str] = []
    for index, line in enumerate(lines):
        if match := EXECUTING.match(line):
            current_page = _page(match.group("path"), source)
        elif match := NB_FAILED.match(line):
            current_page = _page(match.group("path"), source)
            found = last_exception(_block_after(lines, index))
            record(current_page, found or [f"{match.group('name')}: notebook execution failed"], not found)
        elif CELL_ERROR in line:
            cell_error = last_exception(_block_after(lines, index))
            if current_page and cell_error:
                record(current_page, cell_error)
        elif (match := EXECUTION_ERROR.search(line)) and not line.startswith(" "):
            page = _page(match.group("path"), source)
            if cell_error:
                record(page, cell_error)
            else:
                record(page, ["ExecutionError: notebook execution failed"], placeholder=True)
        elif match := SAVED_IN.search(line):
            report = Path(match.group("path"))
            if report.is_file() and current_page:
                found = last_exception(ANSI.sub("", report.read_text(errors="replace")).splitlines())
                if found:
                    placeholders.add(current_page)
                    record(current_page, found)
        elif match := SPHINX_PROBLEM.match(line):
            page = _page(match.group("path"), source)
            if page not in pages:
                pages.append(page)
            where = f" (line {match.group('line')})" if match.group("line") else ""
            warnings.setdefault(page, []).append(_clip(f"{match.group('level')}{where}: {match.group('message')}"))
    causes = []
    for page in pages:
        if page in exceptions:  # the warnings that follow a failed execution are its consequences
            causes.append((page, exceptions[page]))
        elif page in warnings:
            shown = warnings[page][:MAX_WARNINGS]
            more = len(warnings[page]) - len(shown)
            causes.append((page, shown + ([f"... and {more} more warning(s)"] if more else [])))
    if not causes:
        for index, line in enumerate(lines):
            if line.startswith("Exception occurred:"):
                found = last_exception(_block_after(lines, index))
                if found:
                    causes.append(("(sphinx)", found))
                    break
    return causes


def format_summary(causes: list[tuple[str, list[str]]]) -> str:
    if not causes:
        return "==> build failed; no failing page recognised in the log (see the full log above)"
    out = [f"==> build failed: {len(causes)} page(s)"]
    for page, cause in causes:
        out.append(f"  {page}")
        out.extend(f"    {line}" for line in cause)
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    text = Path(argv[1]).read_text(encoding="utf-8", errors="replace")
    causes = summarize(text, argv[2] if len(argv) == 3 else None)
    print(format_summary(causes))
    return 0 if causes else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
