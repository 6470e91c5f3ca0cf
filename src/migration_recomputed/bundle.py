"""A chapter as a download that runs: notebook, data, package, requirements and a README.

`write_chapter_bundle("01_russian_labour_migration")`, called by the book's build for every
chapter (_ext/chapter_bundles.py), writes chart_data/01_russian_labour_migration.zip (relative to
the working folder, like charts.write_download), which the page offers for download. Unzipped, it holds one folder:

    <stem>/<stem>.ipynb           the chapter for readers: every code cell; the text as hidden
                                  `show(r'''...''')` cells that fill in the numbers of the reader's run
    <stem>/data/                  datapackage.json restricted to the chapter's resources, and those
                                  files byte for byte (their sha256 still matches)
    <stem>/migration_recomputed/  this package's source, importable from the folder without installing
    <stem>/requirements.txt       what the chapter needs at run time, pinned as in constraints.txt
    <stem>/constraints.txt        the pins of their own dependencies (from the repository's constraints.txt)
    <stem>/README.md, LICENSE, LICENSE-TEXT.md

The zip is deterministic (sorted entries, fixed timestamps), so a rebuild gives the same bytes.
This module runs at build time only (it needs nbformat); the bundled notebook never imports it.
"""
from __future__ import annotations

import ast
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from . import prose
from .data import book_root
from .zips import write_zip

__all__ = ["convert_notebook", "runtime_requirements", "write_chapter_bundle", "write_zip"]

# Always needed at run time, whatever the imports say (altair draws through vl-convert-python;
# ipykernel runs the notebook; papermill runs it with other parameters).
RUNTIME = ["altair", "ipykernel", "myst-nb", "numpy", "pandas", "papermill", "pycountry", "vl-convert-python"]
# Resources every chapter's bundle carries (if the data package has them).
ALWAYS = ["claims", "source_documents"]
# Code cells left out of the bundle: the one that writes the bundle, and any tagged so.
SKIP_TAG = "remove-from-bundle"
SETUP_SOURCE = ("# Set-up: show() prints the book's text with the numbers computed by the cells above it.\n"
                "from migration_recomputed.prose import show, show_figure")
HIDDEN = {"jupyter": {"source_hidden": True}, "tags": ["hide-input"]}


# ---------------------------------------------------------------------------------------------
# MyST directives -> notebook cells

DIRECTIVE = re.compile(r"^\s{0,3}(?P<fence>`{3,}|:{3,})\{(?P<name>[^}\s]*)\}\s*(?P<arg>.*?)\s*$")
CODE_FENCE = re.compile(r"^\s{0,3}(?P<fence>`{3,}|~{3,})")
OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
GLUE_FIGURES = {"glue:figure", "glue", "glue:", "glue:any"}
ADMONITIONS = {"note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important", "warning": "Warning",
               "caution": "Caution", "attention": "Attention", "danger": "Danger", "error": "Error",
               "seealso": "See also"}
DROPPED = {"toctree", "tableofcontents", "index", "include"}


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and set(stripped) == {fence[0]} and len(stripped) >= len(fence)


def _options(body: list[str]) -> tuple[dict, list[str]]:
    options = {}
    if body and body[0].strip() == "---":  # options as a YAML block
        end = next((i for i, line in enumerate(body[1:], 1) if line.strip() == "---"), None)
        if end is not None:
            for line in body[1:end]:
                key, _, value = line.partition(":")
                options[key.strip()] = value.strip()
            body = body[end + 1:]
    while body and OPTION.match(body[0]):
        match = OPTION.match(body[0])
        options[match["key"]] = match["value"].strip()
        body = body[1:]
    while body and not body[0].strip():
        body = body[1:]
    return options, body


def parse_myst(text: str) -> list:
    """`text` as a list of plain Markdown strings and directives (name, argument, options, body)."""
    nodes, lines, buffer, i = [], text.split("\n"), [], 0
    while i < len(lines):
        line = lines[i]
        directive = DIRECTIVE.match(line)
        if directive:
            end = i + 1
            while end < len(lines) and not _closes(lines[end], directive["fence"]):
                end += 1
            options, body = _options(lines[i + 1:end])
            if buffer:
                nodes.append("\n".join(buffer))
                buffer = []
            nodes.append((directive["name"], directive["arg"], options, "\n".join(body)))
            i = end + 1
            continue
        code = CODE_FENCE.match(line)
        buffer.append(line)
        i += 1
        if code:  # a code block: copied as it is, whatever it holds
            while i < len(lines):
                buffer.append(lines[i])
                i += 1
                if _closes(buffer[-1], code["fence"]):
                    break
    if buffer:
        nodes.append("\n".join(buffer))
    return nodes


def _walk_directives(text: str):
    for node in parse_myst(text):
        if isinstance(node, tuple):
            yield node
            yield from _walk_directives(node[3])


class _Context:
    """What the conversion knows about the whole chapter: citations, labels, figure numbers."""

    def __init__(self, markdown: list[str], bibliography: dict | None, stem: str = "",
                 documents: Mapping[str, str] | None = None):
        self.stem = stem
        self.bibliography = bibliography
        self.citations = {key: _citation_label(entry) for key, entry in (bibliography or {}).items()}
        self.labels = {target: f"*{title}* in the book" for target, title in (documents or {}).items()}
        self.figures = {}
        for text in markdown:
            lines = text.split("\n")
            for index, line in enumerate(lines):  # (label)= followed by a heading
                match = re.match(r"^\s*\(([^()\s]+)\)=\s*$", line)
                following = next((later for later in lines[index + 1:] if later.strip()), "")
                if match and following.lstrip().startswith("#"):
                    self.labels[match[1]] = following.lstrip("# ").strip()
            for name, arg, options, _ in _walk_directives(text):
                if name in ("glue:figure", "figure"):
                    self.figures[arg] = len(self.figures) + 1
                    if "name" in options:
                        self.labels[options["name"]] = f"Figure {self.figures[arg]}"
        # A chapter that cites an entry another chapter cites too gives its bibliography a
        # `:keyprefix:` (sphinxcontrib-bibtex) and cites `<prefix><key>`: the same entry, under that name.
        prefixes = {options["keyprefix"] for text in markdown for name, _, options, _ in _walk_directives(text)
                    if name == "bibliography" and options.get("keyprefix")}
        self.citations.update({prefix + key: label for prefix in prefixes for key, label in list(self.citations.items())})

        def entry_key(key: str) -> str:
            return next((key[len(prefix):] for prefix in prefixes if key.startswith(prefix)), key)

        self.cited = []
        for text in markdown:
            for match in prose.ROLE.finditer(text):
                if match["role"].startswith("cite"):
                    self.cited += [entry_key(key.strip()) for key in match["content"].split(",")
                                   if key.strip() and entry_key(key.strip()) not in self.cited]

    def static(self, text: str) -> str:
        """Every role but glue resolved now; glue roles are left for show() at run time."""
        return prose.myst_to_markdown(text, None, citations=self.citations, labels=self.labels)

    def for_bundle(self, text: str) -> str:
        """Plain text as the bundle's reader needs it: the notebook sits at the folder's top, and
        a link to this very bundle becomes "this folder"."""
        if self.stem:
            text = text.replace(f"notebooks/{self.stem}.ipynb", f"{self.stem}.ipynb")
            text = re.sub(rf"\{{download\}}`[^`]*{re.escape(self.stem)}\.zip>?`", "this folder (you have it)", text)
        return self.static(text)

    def references(self) -> str:
        if not self.cited:
            return ""
        if self.bibliography is None or any(key not in self.bibliography for key in self.cited):
            return ("The references are listed at the end of this chapter in the book "
                    "(*Migration, Recomputed*), and in full in its file `book/references.bib`.")
        entries = sorted((_citation_label(self.bibliography[key]), key) for key in self.cited)
        return "\n".join(f"- {_reference_line(self.bibliography[key])}" for _, key in entries)


def _pieces(text: str, context: _Context) -> list[tuple[str, str]]:
    """A Markdown cell's text as ("md", markdown) and ("figure", glue key) pieces, in order."""
    pieces = []
    for node in parse_myst(text):
        if isinstance(node, str):
            pieces.append(("md", context.for_bundle(node)))
            continue
        name, arg, options, body = node
        if name in GLUE_FIGURES:
            pieces.append(("figure", arg))
            if body.strip():
                number = context.figures.get(arg)
                caption = context.static(body)
                pieces.append(("md", f"**Figure {number}.** {caption}" if number else caption))
        elif name == "glue:md":
            pieces.append(("md", f"{{glue:md}}`{arg}`"))
        elif name == "bibliography":
            pieces.append(("md", context.references()))
        elif name in ADMONITIONS or name == "admonition":
            title = arg if name == "admonition" and arg else ADMONITIONS.get(name, "Note")
            inner = _pieces(body, context)
            if all(kind == "md" for kind, _ in inner):
                quoted = "\n".join(f"> {line}".rstrip() for line in _join(inner).split("\n"))
                pieces.append(("md", f"> **{context.static(title)}**\n>\n{quoted}"))
            else:
                pieces += [("md", f"**{context.static(title)}**")] + inner
        elif name == "dropdown":
            title = context.static(arg) if arg else "Details"
            inner = _pieces(body, context)
            if all(kind == "md" for kind, _ in inner):
                opened = " open" if "open" in options else ""
                pieces.append(("md", f"<details{opened}>\n<summary>{title}</summary>\n\n{_join(inner)}\n\n</details>"))
            else:
                pieces += [("md", f"**{title}**")] + inner
        elif name == "figure":
            caption = context.static(body)
            number = context.figures.get(arg)
            pieces.append(("md", f"![{options.get('alt', caption)}]({arg})\n\n**Figure {number}.** {caption}"))
        elif name == "math":
            pieces.append(("md", f"$$\n{body}\n$$"))
        elif name in ("code-block", "code", "sourcecode"):
            pieces.append(("md", f"```{arg}\n{body}\n```"))
        elif name == "raw":
            pieces.append(("md", body))
        elif name not in DROPPED:  # epigraph, topic, card, tab-set, ...: the title, then the content
            pieces += ([("md", f"**{context.static(arg)}**")] if arg else []) + _pieces(body, context)
    return pieces


def _join(pieces: list[tuple[str, str]]) -> str:
    return "\n\n".join(text.strip("\n") for _, text in pieces if text.strip())


def _python_string(text: str) -> str:
    if "'''" in text or text.endswith(("\\", "'")):
        return repr(text)
    return f"r'''{text}'''"


def _has_glue(text: str) -> bool:
    return any(match["role"] in prose.GLUE_ROLES for match in prose.ROLE.finditer(text))


def _cell(cell_type: str, source: str, metadata: dict | None = None) -> dict:
    cell = {"cell_type": cell_type, "metadata": json.loads(json.dumps(metadata or {})), "source": source}
    if cell_type == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _markdown_cells(text: str, context: _Context) -> list[dict]:
    pieces, merged = _pieces(text, context), []
    for kind, content in pieces:  # adjacent Markdown pieces become one cell
        if kind == "md" and merged and merged[-1][0] == "md":
            merged[-1] = ("md", _join([merged[-1], (kind, content)]))
        elif kind == "figure" or content.strip():
            merged.append((kind, content.strip("\n")))
    cells = []
    for kind, content in merged:
        if kind == "figure":
            cells.append(_cell("code", f"show_figure({content!r})", HIDDEN))
        elif _has_glue(content):
            cells.append(_cell("code", f"show({_python_string(content)})", HIDDEN))
        elif content.strip():
            cells.append(_cell("markdown", content))
    return cells


def _skipped(cell: dict) -> bool:
    return SKIP_TAG in cell.get("metadata", {}).get("tags", []) or "write_chapter_bundle(" in "".join(cell["source"])


def parameters(notebook: dict) -> list[tuple[str, str, str]]:
    """(name, default as written, comment) for each assignment in the cell tagged `parameters`."""
    found = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"])
            for node in ast.parse(source).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    rest = source.split("\n")[node.end_lineno - 1][node.end_col_offset:]
                    comment = rest.split("#", 1)[1].strip() if "#" in rest else ""
                    found.append((node.targets[0].id, ast.get_source_segment(source, node.value), comment))
    return found


def _title(notebook: dict) -> str:
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).split("\n"):
                if line.startswith("# "):
                    return line[2:].strip()
    return "Untitled chapter"


def _example_command(stem: str, example: Mapping[str, object]) -> str:
    return f"papermill {stem}.ipynb out.ipynb" + "".join(f" -p {name} {value}" for name, value in example.items())


def _default_example(notebook: dict) -> dict:
    return {name: ast.literal_eval(value) if value[:1] in "\"'" else value for name, value, _ in parameters(notebook)}


def convert_notebook(notebook: dict, *, stem: str, book_title: str = "Migration, Recomputed",
                     bibliography: dict | None = None, example: Mapping[str, object] | None = None,
                     documents: Mapping[str, str] | None = None) -> dict:
    """The chapter's notebook (nbformat 4 as a dict, no outputs needed) for readers of a bundle.

    Code cells are kept with their tags (outputs dropped); Markdown that uses MyST roles becomes
    plain Markdown, and text with glued numbers a hidden `show(r'''...''')` cell; glued figures
    become `show_figure("name")` cells, admonitions block quotes, dropdowns <details>. A first
    cell says what the notebook is, the second imports show() and show_figure().
    documents: {doc} target -> the page's title (else the target is shown as written)."""
    markdown = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"]
    context = _Context(markdown, bibliography, stem, documents)
    number = int(re.match(r"(\d+)", stem)[1]) if re.match(r"\d+", stem) else None
    example = dict(example) if example is not None else _default_example(notebook)
    listed = "\n".join(f"> - `{name} = {default}`" + (f": {comment}" if comment else "")
                       for name, default, comment in parameters(notebook))
    intro = (
        f"> **{book_title}**{f', chapter {number}' if number else ''}: *{_title(notebook)}*, "
        "as a notebook you can run.\n>\n"
        "> **The numbers in the text are computed, not typed.** Each passage of text below is a code "
        "cell with its input hidden, `show(r'''...''')`, which fills in the numbers that the code cells "
        "*above it* computed in your run. So run the cells in order, from the top "
        "(*Run → Run All Cells*); a passage run before its numbers exist says which one is missing.\n>\n"
        + (f"> To look at another case, change the parameters in the first code cell and run all cells "
           f"again:\n>\n{listed}\n>\n> or run the notebook with papermill: "
           f"`{_example_command(stem, example)}`.\n>\n" if listed else "")
        + "> The folder's `README.md` says how to install what the notebook needs; the data it reads are "
          "in `data/` (publisher, licence and sha256 of each file in `data/datapackage.json`), and the "
          "book's own Python package in `migration_recomputed/`.")
    cells = [_cell("markdown", intro), _cell("code", SETUP_SOURCE)]
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            if not _skipped(cell):
                metadata = {"tags": list(cell["metadata"]["tags"])} if cell.get("metadata", {}).get("tags") else {}
                cells.append(_cell("code", source, metadata))
        elif cell["cell_type"] == "markdown":
            cells += _markdown_cells(source, context)
        else:
            cells.append(_cell(cell["cell_type"], source))
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index:03d}"
    kernelspec = notebook.get("metadata", {}).get("kernelspec") or {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    return {"cells": cells, "metadata": {"kernelspec": kernelspec, "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


# ---------------------------------------------------------------------------------------------
# References (book/references.bib, read if simple)

def _braced(text: str, start: int) -> tuple[str, int]:
    depth, index = 0, start
    while index < len(text):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[start + 1:index], index + 1
        index += 1
    raise ValueError("unbalanced braces")


def parse_bibtex(text: str) -> dict[str, dict[str, str]]:
    """key -> {field: raw value} for a simple BibTeX file (braced or quoted values, no @string)."""
    entries = {}
    for match in re.finditer(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", text):
        if match[1].lower() in ("string", "preamble", "comment"):
            raise ValueError(f"@{match[1]} is not supported")
        body, _ = _braced(text, text.index("{", match.start()))
        fields, position = {"ENTRYTYPE": match[1].lower()}, body.index(",") + 1
        while position < len(body):
            field = re.compile(r"[\s,]*(\w+)\s*=\s*").match(body, position)
            if not field:
                if body[position:].strip(" \n\t,"):
                    raise ValueError(f"cannot read {match[2]}")
                break
            position = field.end()
            if body[position] == "{":
                value, position = _braced(body, position)
            elif body[position] == '"':
                end = body.index('"', position + 1)
                value, position = body[position + 1:end], end + 1
            else:
                value = re.match(r"[^,\s]+", body[position:])[0]
                position += len(value)
            fields[field[1].lower()] = value
        entries[match[2]] = fields
    return entries


def _clean(value: str) -> str:
    value = value.replace("``", "\u201c").replace("''", "\u201d").replace("--", "\u2013")
    value = re.sub(r"\\([_&%$#])", r"\1", value).replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", value).strip()


def _authors(value: str) -> list[str]:
    names, depth, current = [], 0, ""
    for token in re.split(r"(\{|\}|\s+and\s+)", value):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        if re.fullmatch(r"\s+and\s+", token or "") and depth == 0:
            names.append(current)
            current = ""
        else:
            current += token or ""
    return [name.strip() for name in names + [current] if name.strip()]


def _surname(name: str) -> str:
    if name.startswith("{") and name.endswith("}"):
        return _clean(name)
    return _clean(name.split(",")[0] if "," in name else name.split()[-1])


def _citation_label(entry: Mapping[str, str]) -> str:
    year = _clean(entry.get("year", "n.d."))
    authors = [_surname(name) for name in _authors(entry.get("author", ""))]
    if not authors:
        words = _clean(entry.get("title", "Anonymous")).strip("[]\u201c\u201d\"").split()
        who = " ".join(words[:4]) + (" \u2026" if len(words) > 4 else "")
    elif len(authors) == 1:
        who = authors[0]
    elif len(authors) == 2:
        who = f"{authors[0]} and {authors[1]}"
    else:
        who = f"{authors[0]} et al."
    return f"{who} ({year})"


def _reference_line(entry: Mapping[str, str]) -> str:
    authors = "; ".join(_clean(name) for name in _authors(entry.get("author", "")))
    year, title = _clean(entry.get("year", "n.d.")), _clean(entry.get("title", ""))
    parts = [f"{authors} ({year}).", f"*{title}*."] if authors else [f"*{title}* ({year})."]
    parts += [f"{_clean(entry[field]).rstrip('.')}." for field in ("journal", "howpublished", "note") if entry.get(field)]
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# Data, requirements

def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(constraints: Path) -> dict[str, str]:
    pins = {}
    for line in constraints.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[_canonical(name)] = f"{name.strip()}=={version.strip().split(';')[0].strip()}"
    return pins


@lru_cache(maxsize=None)
def _imports(source: str) -> frozenset[str]:
    # cached: every chapter's bundle parses the same package files (0.4 s a chapter)
    code = "\n".join(line for line in source.split("\n") if not line.lstrip().startswith(("%", "!")))
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return frozenset()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return frozenset(names)


# Modules whose distribution has another name; anything else is looked up (slowly) once.
DISTRIBUTION_OF = {"myst_nb": "myst-nb", "IPython": "ipython", "vl_convert": "vl-convert-python", "yaml": "pyyaml",
                   "sklearn": "scikit-learn", "PIL": "pillow"}


@lru_cache(maxsize=None)
def _distribution_of(module: str) -> str:
    """The installed distribution that provides `module` (scanning every installed package,
    metadata.packages_distributions(), takes a second: only done for a module not known here)."""
    from importlib import metadata

    if module in DISTRIBUTION_OF:
        return DISTRIBUTION_OF[module]
    try:
        return metadata.distribution(module).metadata["Name"]
    except metadata.PackageNotFoundError:
        distributions = metadata.packages_distributions()
        if module not in distributions:
            raise ValueError(f"the chapter imports {module!r}, which no installed package provides") from None
        return distributions[module][0]


@lru_cache(maxsize=None)
def _requires(distribution: str) -> tuple[str, ...]:
    """What an installed distribution declares it needs (read once per build for all chapters)."""
    from importlib import metadata

    return tuple(metadata.requires(distribution) or [])


def runtime_requirements(sources: Iterable[str], constraints: Path) -> tuple[list[str], list[str]]:
    """(requirements, their dependencies): pinned lines for what `sources` import (plus RUNTIME),
    and for everything those need in turn, each pinned as in `constraints` (constraints.txt)."""
    from importlib import metadata

    from packaging.requirements import Requirement

    pins = _pins(constraints)
    needed = {_canonical(name) for name in RUNTIME}
    for module in set().union(*(_imports(source) for source in sources)):
        if module in sys.stdlib_module_names or module in ("__future__", "migration_recomputed"):
            continue
        needed.add(_canonical(_distribution_of(module)))
    missing = sorted(name for name in needed if name not in pins)
    if missing:
        raise ValueError(f"needed at run time but not pinned in {constraints}: {', '.join(missing)}")
    closure, queue = set(needed), list(needed)
    while queue:
        try:
            requires = _requires(queue.pop())
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            name = _canonical(requirement.name)
            if requirement.marker is not None and "extra" in str(requirement.marker):
                continue
            if name in pins and name not in closure:
                closure.add(name)
                queue.append(name)
    return [pins[name] for name in sorted(needed)], [pins[name] for name in sorted(closure - needed)]


def _resources_for(package: dict, chapter: int, mentioned: str) -> list[dict]:
    """The chapter's resources, those every bundle carries, those the code names, and those they refer to."""
    resources = package["resources"]
    names = {item["name"] for item in resources if chapter in item.get("chapters", [])}
    names |= {name for name in ALWAYS if any(item["name"] == name for item in resources)}
    names |= {item["name"] for item in resources if re.search(rf"[\"']{re.escape(item['name'])}[\"']", mentioned)}
    while True:  # foreign keys of the chosen resources
        referred = {key["reference"]["resource"] for item in resources if item["name"] in names
                    for key in item.get("schema", {}).get("foreignKeys", []) if key["reference"].get("resource")}
        if referred <= names:
            break
        names |= referred
    return [item for item in resources if item["name"] in names]


def _book_title(root: Path) -> str:
    config = root / "_config.yml"
    if config.is_file():
        match = re.search(r"^title:\s*[\"']?(.*?)[\"']?\s*$", config.read_text(encoding="utf-8"), re.MULTILINE)
        if match:
            return match[1]
    return "Migration, Recomputed"


def _readme(stem: str, title: str, book_title: str, notebook: dict, example: Mapping[str, object]) -> str:
    rows = "\n".join(f"| `{name}` | `{default}` | {comment} |" for name, default, comment in parameters(notebook))
    return f"""# {title}

A chapter of *{book_title}*, an open, executable book of migration policy analyses, as a
notebook you can run: `{stem}.ipynb`, the data it reads (`data/`), the book's small Python
package (`migration_recomputed/`, used from this folder without installing it) and the packages
it needs (`requirements.txt`, pinned to the versions the book was built with).

## Run it

With Python 3.11 or later, in this folder:

```bash
python3 -m venv .venv
.venv/bin/pip install -r requirements.txt
.venv/bin/{_example_command(stem, example)}
```

`out.ipynb` then holds the chapter with every number, table and chart of your run, and
`chart_data/` each chart's data (CSV) and image (SVG). On Windows, use `.venv\\Scripts\\pip` and
`.venv\\Scripts\\papermill`.

To read the chapter and change it in Jupyter instead:

```bash
.venv/bin/pip install jupyterlab
.venv/bin/jupyter lab {stem}.ipynb
```

and run all cells (*Run → Run All Cells*), in order: each passage of text is a hidden code cell,
`show(r'''...''')`, that fills in the numbers computed by the code cells above it.

## Parameters

Change them in the notebook's first code cell, or with papermill's `-p name value`:

| parameter | default | meaning |
|---|---|---|
{rows}

## Licences

Text: CC BY 4.0 (`LICENSE-TEXT.md`). Code (the notebook's code cells and `migration_recomputed/`):
MIT (`LICENSE`). Data: each publisher's licence, listed per file in `data/datapackage.json`
(`licenses`, with the publisher, source and the sha256 that `migration_recomputed.data` checks
on every load: an edited data file refuses to load until you record the change there).
"""


def write_chapter_bundle(stem: str, data_folder: str | Path = "chart_data", *,
                         example: Mapping[str, object] | None = None) -> Path:
    """Write <data_folder>/<stem>.zip (relative to the working folder): the chapter's notebook
    for readers, its data, the package, requirements and a README (see the module docstring).

    example  parameters for the README's papermill command (default: the chapter's front matter
             `example_parameters`, else the notebook's own defaults)
    """
    import nbformat

    root = book_root()
    match = re.match(r"(\d+)_", stem)
    if not match:
        raise ValueError(f"chapter stem {stem!r} must start with its number, like 01_russian_labour_migration")
    source = root / "notebooks" / f"{stem}.ipynb"
    notebook = nbformat.read(source, as_version=4)
    bibliography = None
    bib_file = root / "book" / "references.bib"
    if bib_file.is_file():
        try:
            bibliography = parse_bibtex(bib_file.read_text(encoding="utf-8"))
        except (ValueError, IndexError):
            bibliography = None
    book_title = _book_title(root)
    documents = {}  # {doc}`../appendix/for_educators` -> that page's title
    for cell in notebook["cells"]:
        for found in prose.ROLE.finditer("".join(cell["source"]) if cell["cell_type"] == "markdown" else ""):
            target = prose._text_and_target(found["content"])[1]
            page = (root / "book" / "chapters" / target).with_suffix(".md")
            if found["role"] == "doc" and page.is_file():
                heading = re.search(r"^# (.+)$", page.read_text(encoding="utf-8"), re.MULTILINE)
                if heading:
                    documents[target] = heading[1].strip()
    if example is None:
        example = notebook.get("metadata", {}).get("example_parameters")
    example = dict(example) if example is not None else _default_example(notebook)
    converted = nbformat.from_dict(convert_notebook(notebook, stem=stem, book_title=book_title,
                                                    bibliography=bibliography, example=example,
                                                    documents=documents))
    nbformat.validate(converted)

    package_dir = Path(__file__).resolve().parent
    modules = sorted(package_dir.glob("*.py"))
    code = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    package_code = [path.read_text(encoding="utf-8") for path in modules if path.name != "bundle.py"]

    descriptor = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    resources = _resources_for(descriptor, int(match[1]), "\n".join(code + package_code))
    top = f"{stem}/"
    files: dict[str, bytes | Path] = {}
    for item in resources:
        path = root / "data" / item["path"]
        expected = item.get("hash", "").removeprefix("sha256:")
        if expected and hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            raise ValueError(f"data/{item['path']}: sha256 does not match data/datapackage.json; not bundling it")
        files[top + "data/" + item["path"]] = path
    restricted = dict(descriptor, resources=resources)
    files[top + "data/datapackage.json"] = (json.dumps(restricted, indent=2, ensure_ascii=False) + "\n").encode()
    for path in modules:
        files[top + "migration_recomputed/" + path.name] = path
    requirements, dependencies = runtime_requirements(code + package_code, root / "constraints.txt")
    files[top + "requirements.txt"] = (
        "# What this chapter needs at run time, pinned to the versions the book was built with.\n"
        "# constraints.txt pins their dependencies the same way.\n-c constraints.txt\n"
        + "\n".join(requirements) + "\n").encode()
    files[top + "constraints.txt"] = (
        "# The dependencies of requirements.txt, pinned as in the book's constraints.txt.\n"
        + "\n".join(dependencies) + "\n").encode()
    files[top + f"{stem}.ipynb"] = nbformat.writes(converted).encode() + b"\n"
    files[top + "README.md"] = _readme(stem, _title(notebook), book_title, notebook, example).encode()
    for name in ("LICENSE", "LICENSE-TEXT.md"):
        if (root / name).is_file():
            files[top + name] = root / name
    return write_zip(Path(data_folder) / f"{stem}.zip", files)
