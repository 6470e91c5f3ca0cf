"""Load a data resource by name from data/datapackage.json, checked and typed.

Every load verifies the file's sha256 against the descriptor and validates it
against its Table Schema, so a chapter never draws from a file that was edited
by accident or broken in transit.
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .schema import DataValidationError, validate_table

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


def datapackage(root: Path | None = None) -> dict:
    path = (root or book_root()) / "data" / "datapackage.json"
    return json.loads(path.read_text(encoding="utf-8"))


def resource(name: str, root: Path | None = None) -> dict:
    """The descriptor of one resource (provenance, licence, schema)."""
    resources = {item["name"]: item for item in datapackage(root)["resources"]}
    if name not in resources:
        raise KeyError(f"no resource '{name}' in data/datapackage.json; "
                       f"known resources: {', '.join(sorted(resources))}")
    return resources[name]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_resource(descriptor: dict, data_dir: Path) -> pd.DataFrame:
    """Read and validate the file a resource descriptor points to."""
    path = data_dir / descriptor["path"]
    shown = f"data/{descriptor['path']}"
    if not path.is_file():
        raise DataValidationError(f"{shown}: file not found (resource '{descriptor['name']}')")
    expected = descriptor.get("hash", "").removeprefix("sha256:")
    if expected and _sha256(path) != expected:
        raise DataValidationError(
            f"{shown}: sha256 does not match data/datapackage.json (expected {expected[:16]}..., "
            f"found {_sha256(path)[:16]}...). The file changed since its provenance was recorded; "
            "if the change is intended, record it and run python data/scripts/update_datapackage_hashes.py")
    try:
        # skip_blank_lines=False: a blank line is an error to report, and skipping it would
        # shift every row number after it.
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], skip_blank_lines=False,
                          encoding=descriptor.get("encoding", "utf-8"))
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataValidationError(f"{shown}: not a readable CSV file: {error}") from None
    return validate_table(raw, descriptor["schema"], shown)


@lru_cache(maxsize=None)
def _load_cached(name: str, root: str) -> pd.DataFrame:
    return read_resource(resource(name, Path(root)), Path(root) / "data")


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
