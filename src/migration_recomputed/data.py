"""Load a data resource by name from data/datapackage.json, checked and typed.

Every load verifies the file's sha256 against the descriptor and validates it
against its Table Schema, so a chapter never draws from a file that was edited
by accident or broken in transit. Loading the claims ledger also checks that every
claim points at lines that exist in a registered source document (ledger.py).

The data files have one byte form: UTF-8 without a byte-order mark, LF line endings,
a header row and at least one data row. A copy in another form (a CRLF checkout, a
spreadsheet's BOM, latin-1 or UTF-16 bytes) is refused with the file, row and column named, so
that the recorded sha256 stays the same on every machine.
"""
from __future__ import annotations

import codecs
import copy
import csv
import hashlib
import io
import json
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .ledger import check_claim_provenance
from .schema import DataValidationError, check_cell_counts, check_header, validate_table

__all__ = ["DataValidationError", "book_root", "datapackage", "resource", "load", "source_line"]


def book_root(start: Path | None = None) -> Path:
    """The repository root: $BOOK_ROOT, else the first parent holding data/datapackage.json.

    myst-nb runs a chapter in its own folder, papermill in the caller's, so the
    chapters look for the root instead of assuming a relative path.
    """
    if os.environ.get("BOOK_ROOT"):
        root = Path(os.environ["BOOK_ROOT"]).resolve()
        if not (root / "data" / "datapackage.json").is_file():
            raise FileNotFoundError(f"BOOK_ROOT={root} has no data/datapackage.json")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / "data" / "datapackage.json").is_file():
            return folder
    raise FileNotFoundError(
        f"no data/datapackage.json in {here} or its parents; set BOOK_ROOT to the repository root")


def _descriptor(root: Path | None) -> Path:
    return (root or book_root()) / "data" / "datapackage.json"


def datapackage(root: Path | None = None) -> dict:
    return json.loads(_descriptor(root).read_text(encoding="utf-8"))


def resource(name: str, root: Path | None = None) -> dict:
    """The descriptor of one resource (provenance, licence, schema)."""
    resources = _resources_by_name(_descriptor(root).read_bytes())
    if name not in resources:
        raise KeyError(f"no resource '{name}' in data/datapackage.json; "
                       f"known resources: {', '.join(sorted(resources))}")
    return copy.deepcopy(resources[name])


@lru_cache(maxsize=4)
def _resources_by_name(descriptor: bytes) -> dict[str, dict]:
    # Keyed on the descriptor's bytes: a chapter asks for resources about 80 times, and parsing
    # the whole descriptor each time took 0.2 s of its execution. The caller gets a copy.
    return {item["name"]: item for item in json.loads(descriptor.decode("utf-8"))["resources"]}


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


BOM = b"\xef\xbb\xbf"


def _hash_mismatch_hint(content: bytes, expected: str) -> str:
    """Why the bytes may differ when the text does not: the cheap checks worth making."""
    stripped = content.removeprefix(BOM)
    if _sha256(stripped.replace(b"\r\n", b"\n")) != expected:
        return ""
    causes = []
    if b"\r\n" in content:
        causes.append("its line endings are CRLF (\\r\\n, Windows) where the recorded file has LF "
                      "(a git checkout with core.autocrlf=true, or an editor, converts them)")
    if content.startswith(BOM):
        causes.append("it starts with a UTF-8 byte-order mark (BOM) that the recorded file does not have "
                      "(spreadsheet programs add one)")
    return (" With LF line endings and no BOM the bytes match the recorded hash exactly, so the data is "
            "unchanged: " + " and ".join(causes) + ". Restore the original bytes (e.g. git checkout with "
            "core.autocrlf=false, or dos2unix) rather than updating the hash.")


def _locate(content: bytes, offset: int, header: list[str]) -> tuple[int, str]:
    """The spreadsheet row (header = 1) and the column (named by the schema) of byte `offset`."""
    prefix = content[:offset].decode("utf-8", errors="replace")
    try:
        records = list(csv.reader(io.StringIO(prefix, newline="")))
    except csv.Error:  # e.g. the offset falls inside an open quote
        records = [line.split(",") for line in prefix.split("\n")]
    if not prefix or prefix.endswith("\n"):
        row, index = len(records) + 1, 0
    else:
        row, index = len(records), max(len(records[-1]) - 1, 0)
    return row, header[index] if index < len(header) else f"position {index + 1}"


def _text(content: bytes, shown: str, descriptor: dict) -> str:
    """The file's text, refused unless it is UTF-8 (or the descriptor's encoding), without a
    BOM and with LF line endings; the row and column of the first offending byte are named."""
    encoding = descriptor.get("encoding", "utf-8")
    expected_header = [field["name"] for field in descriptor["schema"]["fields"]]
    if encoding.lower().replace("-", "") == "utf8":
        # UTF-16 (a spreadsheet's "Unicode text") fails to decode at byte 0, where the message
        # below would wrongly suggest latin-1; its byte-order mark says what it is. UTF-32 first:
        # its little-endian mark begins with UTF-16's.
        for mark, name in [(codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                           (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")]:
            if content.startswith(mark):
                raise DataValidationError(
                    f"{shown}, row 1, column '{expected_header[0]}': the file is {name} (it starts with the "
                    f"byte-order mark {mark.hex(' ')}); the data files are UTF-8 without BOM: save it as UTF-8")
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as error:
        row, column = _locate(content, error.start, expected_header)
        bad = content[error.start:error.start + 4].hex(" ")
        raise DataValidationError(
            f"{shown}, row {row}, column '{column}': the bytes are not valid {encoding} (byte {error.start}: "
            f"{bad} ...); the file was probably saved as latin-1 or Windows-1252: save it as {encoding}"
        ) from None
    if content.startswith(BOM):
        raise DataValidationError(
            f"{shown}, row 1, column '{expected_header[0]}': the file starts with a UTF-8 byte-order mark "
            "(BOM, bytes ef bb bf); the data files are UTF-8 without BOM: save it without one")
    if "\r" in text:
        offset = content.index(b"\r")
        row, column = _locate(content, offset, expected_header)
        kind = "CRLF (\\r\\n, Windows)" if content[offset:offset + 2] == b"\r\n" else "a carriage return (\\r)"
        raise DataValidationError(
            f"{shown}, row {row}, column '{column}': the line ends with {kind}; the data files use LF line "
            "endings only: convert the file (e.g. dos2unix) so that its sha256 is the same on every machine")
    return text


def read_resource(descriptor: dict, data_dir: Path) -> pd.DataFrame:
    """Read and validate the file a resource descriptor points to."""
    path = data_dir / descriptor["path"]
    shown = f"data/{descriptor['path']}"
    if not path.is_file():
        raise DataValidationError(f"{shown}: file not found (resource '{descriptor['name']}')")
    content = path.read_bytes()
    if not content:
        raise DataValidationError(
            f"{shown}: the file is empty (0 bytes): it needs a header row and at least one data row "
            f"(resource '{descriptor['name']}')")
    expected = descriptor.get("hash", "").removeprefix("sha256:")
    if expected and _sha256(content) != expected:
        raise DataValidationError(
            f"{shown}: sha256 does not match data/datapackage.json (expected {expected[:16]}..., "
            f"found {_sha256(content)[:16]}...). The file changed since its provenance was recorded; "
            "if the change is intended, record it and run python data/scripts/update_datapackage_hashes.py."
            + _hash_mismatch_hint(content, expected))
    cache = _validated_copy(content, descriptor)
    if cache is not None and cache.is_file():
        return pd.read_pickle(cache)
    text = _text(content, shown, descriptor)
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    if not any(cell.strip() for cell in header):
        raise DataValidationError(f"{shown}, row 1: no header row: the first line is empty "
                                  f"(resource '{descriptor['name']}')")
    check_header(header, descriptor["schema"], shown)  # before pandas renames a repeated name
    try:
        # skip_blank_lines=False: a blank line is an error to report, and skipping it would
        # shift every row number after it.
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""],
                          skip_blank_lines=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        check_cell_counts(csv.reader(io.StringIO(text, newline="")), header, shown)  # a long row, by row
        raise DataValidationError(f"{shown}: not a readable CSV file: {error}") from None
    # pandas reads a short row as empty cells at its end; only then is the slower count worth making
    if raw.iloc[:, -1].isna().any():
        check_cell_counts(csv.reader(io.StringIO(text, newline="")), header, shown)
    table = validate_table(raw, descriptor["schema"], shown)
    if cache is not None:
        keep_pickle(table, cache)
    return table


def _keep(path: Path, write) -> None:
    """write(a partial file beside `path`), then move it to `path`, so a reader never sees half a
    file: another kernel of the same build may write the same file at the same time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    write(partial)
    partial.replace(path)


def keep_pickle(table: pd.DataFrame, path: Path) -> None:
    """Pickle `table` to `path` in $BOOK_DATA_CACHE, whole or not at all."""
    _keep(path, table.to_pickle)


def keep_text(text: str, path: Path) -> None:
    """Write `text` to `path` in $BOOK_DATA_CACHE, whole or not at all."""
    _keep(path, lambda partial: partial.write_text(text, encoding="utf-8"))


def inputs_digest() -> str:
    """sha256 of the bytes of every file in data/ and of the package's code: the key under which a
    result computed from them (the checked claims, the chapters' headlines) is kept in
    $BOOK_DATA_CACHE, so that a change to either is computed afresh."""
    root = book_root()
    paths = [path for path in sorted((root / "data").rglob("*")) + sorted(Path(__file__).parent.glob("*.py"))
             if path.is_file()]
    stats = [(path, path.stat()) for path in paths]
    return _digest(tuple((str(path), stat.st_mtime_ns, stat.st_size) for path, stat in stats))


def kept_result(name: str) -> Path | None:
    """Where the build keeps a result computed from data/ and the package's code (`name` is its
    file name, e.g. "checked-claims.pkl"): in $BOOK_DATA_CACHE, under inputs_digest, so that a
    change to either is computed afresh. None outside the book's build (no $BOOK_DATA_CACHE)."""
    folder = os.environ.get("BOOK_DATA_CACHE")
    if not folder:
        return None
    stem, dot, suffix = name.rpartition(".")
    return Path(folder) / f"{stem}-{inputs_digest()[:32]}{dot}{suffix}"


@lru_cache(maxsize=8)
def _digest(files: tuple[tuple[str, int, int], ...]) -> str:
    """inputs_digest of `files`, read once per process while none of them changes (their
    modification times and sizes are the key), not once per call."""
    digest = hashlib.sha256()
    for name, _, _ in files:
        path = Path(name)
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


# $BOOK_DATA_CACHE (set by tools/build.sh): a folder where a table that passed every check is kept,
# so the build's other kernels load it instead of validating the same bytes again. The key is the
# file's bytes, its schema and the checking code, so a change to any of them is validated afresh.
_CHECKING_CODE = hashlib.sha256(b"".join(Path(__file__).with_name(name).read_bytes()
                                         for name in ("data.py", "schema.py"))).hexdigest()


def _validated_copy(content: bytes, descriptor: dict) -> Path | None:
    folder = os.environ.get("BOOK_DATA_CACHE")
    if not folder:
        return None
    key = hashlib.sha256(content + json.dumps(descriptor["schema"], sort_keys=True).encode("utf-8")
                         + _CHECKING_CODE.encode("ascii")).hexdigest()
    return Path(folder) / f"{descriptor['name']}-{key[:32]}.pkl"


@lru_cache(maxsize=None)
def _load_cached(name: str, root: str) -> pd.DataFrame:
    table = read_resource(resource(name, Path(root)), Path(root) / "data")
    if name == "claims":
        # every chapter and the ledger page load the ledger through here
        check_claim_provenance(table, _load_cached("source_documents", root))
    return table


def load(name: str) -> pd.DataFrame:
    """A validated copy of the data resource `name` (see data/datapackage.json)."""
    return _load_cached(name, str(book_root())).copy()


def source_line(*names: str) -> str:
    """'Source: <publisher> (<resource title>) ...' for a chart or table footer."""
    parts = []
    for name in names:
        item = resource(name)
        parts.append(f"{item['publisher']}, {item['title']}")
    return "Source: " + "; ".join(parts)
