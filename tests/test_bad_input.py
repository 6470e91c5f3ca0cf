"""Gate 5 of issue 9, bad input systematically: every resource of data/datapackage.json gets every
malformed variant that applies to it, every chapter gets bad parameters, and each case must be
refused with a message that names the file, row and column (or the parameter) and write nothing.

The variants are generated from each resource's Table Schema, never written per file, so a new
resource is covered the day it is described. Each variant writes a broken copy into a temporary
data folder and reads it with `data.read_resource` and a copy of the resource's descriptor. Except
for the sha256 variant, the copy's own sha256 is recorded in that descriptor, so the content
checks, not the hash, must catch the fault. Row numbers are spreadsheet rows (header = row 1), as
the package reports them. Beyond the issue's list: a short and a long row (pandas padded a short
row with empty cells, silently, until the loader counted cells), CRLF in one row only, and UTF-16
(reported as "probably latin-1" until the loader read its byte-order mark). A control per resource
shows that the unbroken copy, written the same way, passes and is cached.

A variant that does not apply to a resource is not a pass: it is listed in NOT_APPLICABLE (a test
checks the list against the schemas) and is not counted. Every resource is a CSV file today (the
map's TopoJSON objects and arcs are stored as two CSV tables), so every variant is a CSV variant;
a resource in another format fails `test_every_resource_has_a_format_the_variants_know` until the
variants that apply to it are written here and those that do not are listed.

Chapter parameters run in-process: the chapter's parameters cell, the cell papermill would inject
(papermill's own translator), then the chapter's code cells up to its first prose, which validate
the parameters, executed in a fresh namespace with an empty working folder. One papermill run
shows that the route gives papermill's own error, word for word."""
from __future__ import annotations

import ast
import codecs
import copy
import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import altair as alt
import jupytext
import papermill
import pytest
from papermill.translators import translate_parameters

import gates
from migration_recomputed import data
from migration_recomputed.parameters import ParameterError
from migration_recomputed.schema import DataValidationError, check_cell_counts
from test_notebooks import execute

REPO = Path(__file__).resolve().parents[1]
RESOURCES = {item["name"]: item for item in data.datapackage(REPO)["resources"]}
CHAPTERS = sorted((REPO / "book" / "chapters").glob("0*.md"))

# The formats whose variants this module writes; every variant below is a CSV variant.
FORMATS_WITH_VARIANTS = {"csv"}


# --- one resource and its broken copies ------------------------------------------------------

@dataclass(frozen=True)
class Source:
    descriptor: dict
    content: bytes

    @property
    def shown(self) -> str:
        return f"data/{self.descriptor['path']}"

    @property
    def fields(self) -> list[dict]:
        return self.descriptor["schema"]["fields"]

    @property
    def names(self) -> list[str]:
        return [field["name"] for field in self.fields]

    @cached_property
    def text(self) -> str:
        return self.content.decode("utf-8")

    @cached_property
    def _records(self) -> tuple[tuple[str, ...], ...]:
        return tuple(map(tuple, csv.reader(io.StringIO(self.text, newline=""))))

    @property
    def records(self) -> list[list[str]]:
        """Header then data rows, a fresh copy to break; records, not lines, since a quoted cell
        may hold a newline."""
        return [list(record) for record in self._records]

    def first(self, count: int) -> list[list[str]]:
        """A copy of the header and the first data rows, `count` records in all, to break."""
        return [list(record) for record in self._records[:count]]

    def replacing_first(self, count: int, records: list[list[str]]) -> bytes:
        """The file with its first `count` records replaced by `records`, the rest byte for byte
        (cheaper than writing a 10,000-row file again for a change in row 2)."""
        return _csv(records) + self.content[len(_csv(self._records[:count])):]


@cache
def source(name: str) -> Source:
    descriptor = RESOURCES[name]
    return Source(copy.deepcopy(descriptor), (REPO / "data" / descriptor["path"]).read_bytes())


def _csv(records: list[list[str]]) -> bytes:
    """Records written the way data/scripts writes them (every file round-trips byte for byte)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    return out.getvalue().encode("utf-8")


@dataclass(frozen=True)
class Broken:
    """A broken copy and what its refusal must say."""
    content: bytes
    says: str  # words the message gives at the place named
    row: int | None = None  # spreadsheet row the message must name (None: a fault of the whole file)
    column: str | None = None  # column the message must name at that row
    alone: bool = False  # the one problem reported: the variant breaks nothing else
    rehash: bool = True  # record the copy's own sha256, so that the hash cannot be what refuses it


# variant -> (build the broken copy, why the variant does not apply to a resource or None)
VARIANTS: dict[str, tuple[Callable[[Source], Broken], Callable[[Source], str | None]]] = {}


def variant(name: str, *, unless: Callable[[Source], str | None] = lambda s: None):
    def register(build):
        VARIANTS[name] = (build, unless)
        return build
    return register


def _one_column(s: Source) -> str | None:
    return "the schema has one column" if len(s.fields) < 2 else None


@variant("missing_column", unless=_one_column)
def _missing_column(s: Source) -> Broken:
    field = next((f for f in s.fields if f.get("constraints", {}).get("required")), s.fields[0])
    drop = s.names.index(field["name"])
    records = [[cell for i, cell in enumerate(record) if i != drop] for record in s.records]
    return Broken(_csv(records), "required column is missing", row=1, column=field["name"], alone=True)


@variant("extra_column")
def _extra_column(s: Source) -> Broken:
    extra = "extra_column"
    while extra in s.names:
        extra += "_"
    records = s.records
    records = [records[0] + [extra]] + [record + ["x"] for record in records[1:]]
    return Broken(_csv(records), "column is not in the schema", row=1, column=extra, alone=True)


@variant("reordered_columns", unless=_one_column)
def _reordered_columns(s: Source) -> Broken:
    # the values move with their headers: read by name the table would look intact
    records = [[record[1], record[0], *record[2:]] for record in s.records]
    return Broken(_csv(records), f"stands at position 1, where the schema has '{s.names[0]}'",
                  row=1, column=s.names[1])


def _typed_field(s: Source) -> dict | None:
    return next((f for f in s.fields if f.get("type", "string") != "string"), None)


@variant("wrong_type", unless=lambda s: None if _typed_field(s) else "every column is text: any text is a valid value")
def _wrong_type(s: Source) -> Broken:
    field, value = _typed_field(s), "not a number"
    first = s.first(2)
    first[1][s.names.index(field["name"])] = value
    return Broken(s.replacing_first(2, first), f"'{value}' is not a valid {field['type']}", row=2, column=field["name"],
                  alone=True)


@variant("empty_file")
def _empty_file(s: Source) -> Broken:
    return Broken(b"", "the file is empty (0 bytes)")


@variant("header_only")
def _header_only(s: Source) -> Broken:
    return Broken(_csv(s.first(1)), "no data rows", row=2, alone=True)


def _one_data_row(s: Source) -> str | None:
    return "a single data row: there is no row 3 to break" if len(s.first(3)) < 3 else None


@variant("short_row", unless=lambda s: _one_column(s) or _one_data_row(s))
def _short_row(s: Source) -> Broken:
    # a value left out with its comma: the cells after it slide one column left, the last gets none
    first = s.first(3)
    del first[2][len(s.names) // 2]
    return Broken(s.replacing_first(3, first), f"the row has {len(s.names) - 1} cells where the header has",
                  row=3, column=s.names[-1], alone=True)


@variant("long_row", unless=_one_data_row)
def _long_row(s: Source) -> Broken:
    # a comma inside a value that is not quoted
    first = s.first(3)
    first[2].append("x")
    return Broken(s.replacing_first(3, first), f"the row has {len(s.names) + 1} cells where the header has",
                  row=3, alone=True)


def _key(s: Source) -> list[str]:
    key = s.descriptor["schema"].get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


@variant("duplicate_key", unless=lambda s: None if _key(s) else "no primaryKey in the schema")
def _duplicate_key(s: Source) -> Broken:
    first = s.first(2)
    first.append(list(first[1]))  # row 3 repeats row 2
    return Broken(s.replacing_first(2, first), "duplicate primary key", row=3, column=", ".join(_key(s)), alone=True)


def _number(value: float, kind: str) -> str:
    return str(int(value)) if kind in ("integer", "year") or float(value).is_integer() else repr(value)


def _impossible(field: dict) -> tuple[str, str] | None:
    """(a value the field's constraints forbid, the words its refusal gives), or None."""
    rules, kind = field.get("constraints", {}), field.get("type", "string")
    if "minimum" in rules:
        return _number(rules["minimum"] - 1, kind), "is below the minimum"
    if "exclusiveMinimum" in rules:  # the boundary itself, the value a divisor must never take
        return _number(rules["exclusiveMinimum"], kind), "is not allowed: the value must be greater than"
    if "maximum" in rules:
        return _number(rules["maximum"] + 1, kind), "is above the maximum"
    if "exclusiveMaximum" in rules:
        return _number(rules["exclusiveMaximum"], kind), "is not allowed: the value must be less than"
    if "enum" in rules:
        allowed = rules["enum"]
        value = _number(max(allowed) + 1, kind) if kind != "string" else f"not-{allowed[0]}"
        return value, "is not one of the allowed values"
    if "pattern" in rules:
        value = next((v for v in (" x", "x ", "?") if not re.fullmatch(rules["pattern"], v)), None)
        return (value, "does not match the pattern") if value else None
    if "maxLength" in rules:
        return "x" * (rules["maxLength"] + 1), "is longer than"
    return None


def _constrained(s: Source) -> dict | None:
    """The field whose constraint to break: a range first (the impossible number), then a list, a pattern."""
    ranked = [f for f in s.fields if _impossible(f)]
    order = ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "enum", "pattern", "maxLength")
    first = {name: index for index, name in enumerate(order)}
    return min(ranked, key=lambda f: min(first[c] for c in f.get("constraints", {}) if c in first), default=None)


@variant("impossible_value",
         unless=lambda s: None if _constrained(s) else "no minimum, maximum, enum, pattern or maxLength to break")
def _impossible_value(s: Source) -> Broken:
    field = _constrained(s)
    value, says = _impossible(field)
    first = s.first(2)
    first[1][s.names.index(field["name"])] = value
    return Broken(s.replacing_first(2, first), says, row=2, column=field["name"], alone=True)


# the characters Windows-1252 (latin-1 with curly quotes, what a spreadsheet on Windows saves)
# writes as one byte above 127: not valid UTF-8 where they stand
WINDOWS_BYTES = re.compile("[" + "".join(
    re.escape(c) for c in map(chr, range(128, 0x2200)) if len(c.encode("cp1252", errors="ignore")) == 1) + "]")


@cache
def _first_latin1_cell(name: str) -> tuple[int, str] | None:
    """Spreadsheet row and column of the first cell holding such a character."""
    s = source(name)
    if not WINDOWS_BYTES.search(s.text):
        return None
    for row, record in enumerate(s.records, start=1):
        for index, cell in enumerate(record):
            if WINDOWS_BYTES.search(cell):
                return row, s.names[index]
    raise AssertionError("unreachable: the character is in some cell")


def _no_latin1(s: Source) -> str | None:
    if _first_latin1_cell(s.descriptor["name"]):
        return None
    return ("ASCII only: its latin-1 bytes are its UTF-8 bytes" if s.text.isascii()
            else "no character that Windows-1252 writes as one byte")


@variant("latin1", unless=_no_latin1)
def _latin1(s: Source) -> Broken:
    row, column = _first_latin1_cell(s.descriptor["name"])
    # a character Windows-1252 cannot write (a Cyrillic letter) becomes '?', as a spreadsheet's export does
    return Broken(s.text.encode("cp1252", errors="replace"), "the bytes are not valid utf-8", row=row, column=column)


@variant("utf16")
def _utf16(s: Source) -> Broken:
    return Broken(s.text.encode("utf-16"), "UTF-16", row=1, column=s.names[0])


@variant("bom")
def _bom(s: Source) -> Broken:
    return Broken(data.BOM + s.content, "byte-order mark", row=1, column=s.names[0])


@variant("crlf")
def _crlf(s: Source) -> Broken:
    return Broken(s.content.replace(b"\n", b"\r\n"), "CRLF", row=1, column=s.names[-1])


@variant("crlf_last_row")
def _crlf_last_row(s: Source) -> Broken:
    # one row appended in a Windows editor: the byte check must find it, not only at row 1
    return Broken(s.content.removesuffix(b"\n") + b"\r\n", "CRLF", row=len(s.records), column=s.names[-1])


def _last_digit(s: Source) -> int:
    """The offset of the file's last digit (-1: none): changed, the file may even stay schema-valid."""
    return max(s.content.rfind(digit) for digit in b"0123456789")


@variant("sha256_mismatch", unless=lambda s: None if _last_digit(s) >= 0 else "no digit to change")
def _sha256_mismatch(s: Source) -> Broken:
    at = _last_digit(s)
    changed = bytes([b"0123456789"[(s.content[at] - ord("0") + 1) % 10]])
    return Broken(s.content[:at] + changed + s.content[at + 1:], "sha256 does not match data/datapackage.json",
                  rehash=False)


def _why_not(name: str, variant_name: str) -> str | None:
    return VARIANTS[variant_name][1](source(name))


DATA_CASES = [(name, v) for name in RESOURCES for v in VARIANTS if _why_not(name, v) is None]

# (variant, why it does not apply) -> resources. test_not_applicable_is_what_the_schemas_say keeps
# it true: a variant is skipped only where the schema or the bytes say so.
NOT_APPLICABLE = {
    ("latin1", "ASCII only: its latin-1 bytes are its UTF-8 bytes"): [
        "cbs_arrivals_from_russia_2022", "cbs_gemeente_2022_arcs", "cbs_kwb2022_denhaag_wijk_origin",
        "cbs_kwb_national_origin_groups", "cbs_nl_immigration_by_motive", "cbs_nl_migration_flows",
        "cbs_nl_population_by_migration_background", "eurostat_asylum_applicants_russians", "eurostat_asylum_nld",
        "eurostat_employment_permits_russians", "eurostat_russian_citizens", "seed003_municipality_typology",
        "seed003_tabel7_1_discrimination", "seed004_kennismigrant_thresholds", "seed004_policy_priorities",
        "wdi_exchange_rate", "wdi_population", "wdi_population_russia", "wdi_remittances",
        "wpp2024_components_russia"],
    # the impossible_value variant breaks its enum instead
    ("wrong_type", "every column is text: any text is a valid value"): ["cbs_gemeente_2022_boundaries"],
}


# --- the data cases --------------------------------------------------------------------------

# (kind, resource or chapter, variant or case) of every case refused as it must be in this run
_REFUSED: set[tuple[str, str, str]] = set()


def _files(folder: Path) -> list[Path]:
    return sorted(path.relative_to(folder) for path in folder.rglob("*") if path.is_file())


def _write(tmp_path: Path, s: Source, content: bytes, *, rehash: bool) -> dict:
    """The broken copy in tmp_path/data at the resource's own path; the descriptor to read it with."""
    path = tmp_path / "data" / s.descriptor["path"]
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    descriptor = copy.deepcopy(s.descriptor)
    if rehash:
        descriptor["hash"] = "sha256:" + hashlib.sha256(content).hexdigest()
        descriptor["bytes"] = len(content)
    return descriptor


def assert_named(message: str, shown: str, broken: Broken) -> None:
    """The message names the file on every line, and the row and column where the fault is."""
    lines = [line.strip() for line in message.splitlines()]
    assert all(line.startswith(shown) or line.startswith("... and ") for line in lines), message
    if broken.row is None:
        assert lines[0].startswith(f"{shown}: ") and broken.says in lines[0], message
        return
    where = f"{shown}, row {broken.row}" + (f", column '{broken.column}'" if broken.column else "") + ": "
    assert any(line.startswith(where) and broken.says in line for line in lines), (
        f"{where}...{broken.says} not in:\n{message}")
    if broken.alone:
        assert [line for line in lines if line.startswith(f"{shown}, row ")] == [
            next(line for line in lines if line.startswith(where))], message


@pytest.mark.parametrize("name", list(RESOURCES))
def test_the_rewritten_copy_reads_cleanly_and_is_cached(tmp_path, monkeypatch, name):
    """The control for every variant: the copy the variants start from, written the same way, is
    the recorded file byte for byte and passes; and a pass does write to the cache, so the
    cache's staying empty below means something."""
    s = source(name)
    assert _csv(s.records) == s.content, f"{s.shown} is not written the way _csv writes"
    descriptor = _write(tmp_path, s, _csv(s.records), rehash=False)
    monkeypatch.setenv("BOOK_DATA_CACHE", str(tmp_path / "cache"))
    table = data.read_resource(descriptor, tmp_path / "data")
    assert len(table) == len(s.records) - 1
    assert [path.parent.name for path in _files(tmp_path)].count("cache") == 1


@pytest.mark.parametrize("name, variant_name", DATA_CASES, ids=[f"{n}-{v}" for n, v in DATA_CASES])
def test_a_malformed_file_is_refused_naming_file_row_and_column(tmp_path, monkeypatch, name, variant_name):
    s = source(name)
    broken = VARIANTS[variant_name][0](s)
    assert broken.content != s.content
    descriptor = _write(tmp_path, s, broken.content, rehash=broken.rehash)
    assert (descriptor["hash"] == "sha256:" + hashlib.sha256(broken.content).hexdigest()) == broken.rehash
    monkeypatch.setenv("BOOK_DATA_CACHE", str(tmp_path / "cache"))
    with pytest.raises(DataValidationError) as caught:
        data.read_resource(descriptor, tmp_path / "data")
    assert_named(str(caught.value), s.shown, broken)
    # nothing written: no cache entry for the refused file, no other file beside the copy
    assert _files(tmp_path) == [Path("data") / descriptor["path"]]
    _REFUSED.add(("data", name, variant_name))


def test_every_resource_has_a_format_the_variants_know():
    for name, item in RESOURCES.items():
        kind = item.get("format", Path(item["path"]).suffix.lstrip("."))
        assert kind in FORMATS_WITH_VARIANTS, (
            f"resource '{name}' is {kind}: write the variants that apply to {kind} in tests/test_bad_input.py "
            "and list those that do not in NOT_APPLICABLE")


def test_not_applicable_is_what_the_schemas_say():
    found: dict[tuple[str, str], list[str]] = {}
    for name in RESOURCES:
        for variant_name in VARIANTS:
            reason = _why_not(name, variant_name)
            if reason:
                found.setdefault((variant_name, reason), []).append(name)
    assert {key: sorted(names) for key, names in found.items()} == NOT_APPLICABLE


def test_a_utf16_file_is_called_utf16_not_latin1(tmp_path):
    """UTF-16 (what Excel's 'Unicode text' saves) was reported as 'probably latin-1'."""
    s = source("seed000_tabel1_cis_migrants")
    marks = [("utf-16-le", "ff fe", codecs.BOM_UTF16_LE), ("utf-16-be", "fe ff", codecs.BOM_UTF16_BE),
             ("utf-32-le", "ff fe 00 00", codecs.BOM_UTF32_LE)]
    for encoding, bom, bom_bytes in marks:
        descriptor = _write(tmp_path / encoding, s, bom_bytes + s.text.encode(encoding), rehash=True)
        with pytest.raises(DataValidationError) as caught:
            data.read_resource(descriptor, tmp_path / encoding / "data")
        assert str(caught.value) == (
            f"{s.shown}, row 1, column 'country_nl': the file is {encoding[:6].upper()} (it starts with the "
            f"byte-order mark {bom}); the data files are UTF-8 without BOM: save it as UTF-8")


def test_cell_counts_name_the_spreadsheet_row_after_a_quoted_line_break():
    """Row 2 spans two lines of the file; the short record after it is still spreadsheet row 3."""
    records = csv.reader(io.StringIO('a,b,c\n1,"two\nlines",3\n4,5\n', newline=""))
    with pytest.raises(DataValidationError) as caught:
        check_cell_counts(records, ["a", "b", "c"], "data/x.csv")
    assert str(caught.value).splitlines()[1:] == [
        "  data/x.csv, row 3, column 'c': the row has 2 cells where the header has 3 columns: no cell from this "
        "column on (a value left out with its comma moves the cells after it into the wrong columns)"]


# --- the parameter cases ---------------------------------------------------------------------

@dataclass(frozen=True)
class Chapter:
    stem: str
    before: tuple[str, ...]  # code cells before the parameters cell
    parameters: str  # the parameters cell
    validation: tuple[str, ...]  # code cells after it, up to the first prose: they check the parameters

    @property
    def defaults(self) -> dict:
        return {target.id: ast.literal_eval(node.value) for node in ast.parse(self.parameters).body
                if isinstance(node, ast.Assign) for target in node.targets}


@cache
def chapter(path: Path) -> Chapter:
    cells = jupytext.read(path).cells
    index = next(i for i, cell in enumerate(cells) if "parameters" in cell.metadata.get("tags", []))
    validation = []
    for cell in cells[index + 1:]:
        if cell.cell_type != "code":
            break
        validation.append(cell.source)
    before = tuple(cell.source for cell in cells[:index] if cell.cell_type == "code")
    return Chapter(path.stem, before, cells[index].source, tuple(validation))


def _misspelt(name: str) -> str:
    return name[:1] + name[2:]  # a letter dropped: focus_country -> fcus_country


def _wrong_type(value):
    return str(value) if isinstance(value, int) else 7  # "2013" for a year, 7 for a name


def _out_of_range(value):
    return value - 1000 if isinstance(value, int) else "Atlantis"


def _parameter_cases() -> list[tuple[str, str, dict, list[str]]]:
    """(chapter, case, parameters, words the ParameterError must give) for every chapter."""
    cases = []
    for path in CHAPTERS:
        defaults = chapter(path).defaults
        first = next(iter(defaults))
        typo = _misspelt(first)
        cases.append((path.stem, f"unknown_name-{typo}", {typo: defaults[first]},
                      [f"unknown parameter(s) {typo}", *defaults]))
        for name, value in defaults.items():
            for case, bad in [("wrong_type", _wrong_type(value)), ("out_of_range", _out_of_range(value))]:
                cases.append((path.stem, f"{case}-{name}", {name: bad}, [f"parameter {name}={bad!r}"]))
    return cases


PARAMETER_CASES = _parameter_cases()


@pytest.mark.parametrize("path", CHAPTERS, ids=[path.stem[:2] for path in CHAPTERS])
def test_each_chapter_checks_every_parameter_before_its_first_prose(path):
    """The cells run in-process are the ones that check the parameters: reject_unknown with exactly
    the chapter's parameters, and each parameter normalised by as_integer or as_text."""
    c = chapter(path)
    calls = [node for node in ast.walk(ast.parse("\n".join(c.validation))) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Name)]
    known = [ast.literal_eval(keyword.value) for node in calls if node.func.id == "reject_unknown"
             for keyword in node.keywords if keyword.arg == "known"]
    assert known == [list(c.defaults)], f"{path.name}: reject_unknown(globals(), known=[...]) after the parameters cell"
    normalised = {node.args[0].value for node in calls if node.func.id in ("as_integer", "as_text")}
    assert normalised == set(c.defaults), f"{path.name}: normalise each parameter with as_integer or as_text"


@pytest.fixture
def book_style_restored():
    """A chapter's first cell switches Altair's theme and renderer for the whole process."""
    theme, renderer = alt.theme.active, alt.renderers.active
    yield
    alt.theme.enable(theme)
    alt.renderers.enable(renderer)


def run_until_validated(path: Path, parameters: dict) -> None:
    """What papermill runs up to the chapter's parameter checks, in this process and the current folder."""
    c = chapter(path)
    injected = translate_parameters("python3", "python", parameters, "Parameters")
    namespace = {"__name__": "__main__"}
    for number, code in enumerate([*c.before, c.parameters, injected, *c.validation]):
        exec(compile(code, f"<{c.stem} cell {number}>", "exec"), namespace)


@pytest.mark.parametrize("stem, case, parameters, words", PARAMETER_CASES,
                         ids=[f"{stem[:2]}-{case}" for stem, case, _, _ in PARAMETER_CASES])
def test_a_bad_parameter_is_refused_by_name(tmp_path, monkeypatch, book_style_restored, stem, case, parameters, words):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOOK_DATA_CACHE", raising=False)
    with pytest.raises(ParameterError) as caught:
        run_until_validated(REPO / "book" / "chapters" / f"{stem}.md", parameters)
    for word in words:
        assert word in str(caught.value), f"{word!r} not in: {caught.value}"
    assert list(tmp_path.iterdir()) == []  # no chart, no data, no notebook
    _REFUSED.add(("parameter", stem, case))


# One papermill run (4 s) shows the in-process route gives papermill's own error; one per chapter
# would take the module past 30 s. Chapter 2: test_notebooks.py already runs chapter 1's bad
# parameters through papermill, and chapter 2 is the quickest of the others. Its last parameter
# out of range, the check that needs the chapter's data.
PAPERMILL_CHAPTER = "02_post_2022_emigration"
PAPERMILL_CASES = [next(case for case in reversed(PARAMETER_CASES)
                        if case[0] == PAPERMILL_CHAPTER and case[1].startswith("out_of_range"))]


@pytest.mark.parametrize("stem, case, parameters, words", PAPERMILL_CASES,
                         ids=[f"{stem[:2]}-{case}" for stem, case, _, _ in PAPERMILL_CASES])
def test_papermill_refuses_as_the_in_process_route_does(tmp_path, monkeypatch, book_style_restored,
                                                        stem, case, parameters, words):
    run = tmp_path / "run"
    run.mkdir()
    monkeypatch.chdir(run)
    with pytest.raises(ParameterError) as in_process:
        run_until_validated(REPO / "book" / "chapters" / f"{stem}.md", parameters)
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        execute(REPO / "notebooks" / f"{stem}.ipynb", run, parameters)
    assert (failure.value.ename, failure.value.evalue) == ("ParameterError", str(in_process.value))
    # papermill writes its own record of the run; the chapter wrote nothing
    assert _files(run) == [Path(f"{stem}.out.ipynb")]


# --- the gate's figure -----------------------------------------------------------------------

def test_report_the_number_of_cases():
    """Counted from the tables, so the figure is right whichever tests ran; how many were refused
    as they must be in this run is added, so a partial or failing run cannot pass for the gate."""
    cases = len(DATA_CASES) + len(PARAMETER_CASES)
    not_applicable = sum(len(names) for names in NOT_APPLICABLE.values())
    assert len(RESOURCES) * len(VARIANTS) - not_applicable == len(DATA_CASES)
    refused = (", every one refused with file/row/column or parameter named" if len(_REFUSED) == cases
               else f", {len(_REFUSED)} of them refused as they must be in this run")
    gates.report("bad input", f"{cases} cases: {len(RESOURCES)} resources x {len(VARIANTS)} variants = "
                              f"{len(RESOURCES) * len(VARIANTS)}, less {not_applicable} not applicable (listed in "
                              f"tests/test_bad_input.py) = {len(DATA_CASES)}, + {len(PARAMETER_CASES)} parameter "
                              f"cases ({len(CHAPTERS)} chapters){refused}")
