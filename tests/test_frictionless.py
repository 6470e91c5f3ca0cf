"""The descriptor is a valid Frictionless Data Package by the standard's own validator, and the
validator agrees with the book's loader about the data (both must reject a broken file)."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from frictionless import FrictionlessException, Package

from migration_recomputed import data
from migration_recomputed.schema import DataValidationError

REPO = Path(__file__).resolve().parents[1]


def test_datapackage_is_valid_by_the_frictionless_validator():
    report = Package(str(REPO / "data" / "datapackage.json")).validate()
    problems = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    problems += [error.message for error in report.errors]
    assert report.valid, "\n".join(problems[:20])


def test_frictionless_also_rejects_a_duplicate_key(tmp_path):
    shutil.copytree(REPO / "data", tmp_path / "data")
    path = tmp_path / "data" / "seeds" / "seed000_tabel2_remittances_2013.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")  # Uzbekistan twice
    descriptor = json.loads((tmp_path / "data" / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "seed000_tabel2_remittances")
    del resource["hash"], resource["bytes"]
    report = Package(descriptor, basepath=str(tmp_path / "data")).validate()
    types = {error.type for task in report.tasks for error in task.errors}
    assert not report.valid and "primary-key" in types, types


# --- the loader refuses what frictionless refuses -------------------------------------------

V2 = "https://datapackage.org/profiles/2.0/datapackage.json"


def _one_resource(tmp_path: Path, name: str, change) -> tuple[dict, Path]:
    """A package of one resource, its file the first rows of the real one changed by `change`;
    hash and bytes dropped, so that frictionless judges the content, as the loader does after
    the sha256 check (the loader's copy gets the new hash)."""
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == name)
    text = (REPO / "data" / resource["path"]).read_text(encoding="utf-8")
    content = change("".join(text.splitlines(keepends=True)[:40]).encode("utf-8"))
    path = tmp_path / "data" / resource["path"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    del resource["hash"], resource["bytes"]
    return {"$schema": package["$schema"], "resources": [resource]}, path


def _frictionless_errors(descriptor: dict, tmp_path: Path) -> set[str]:
    report = Package(descriptor, basepath=str(tmp_path / "data")).validate()
    return {error.type for task in report.tasks for error in task.errors} | {error.type for error in report.errors}


def _loader_error(descriptor: dict, path: Path, tmp_path: Path) -> str:
    resource = dict(descriptor["resources"][0], hash="sha256:" + hashlib.sha256(path.read_bytes()).hexdigest())
    with pytest.raises(DataValidationError) as caught:
        data.read_resource(resource, tmp_path / "data")
    return str(caught.value)


def _swap_header(old: bytes, new: bytes):
    return lambda content: content.replace(old, new, 1)


def _set_first_filled(column: int, value: str):
    """Set the first non-empty cell of `column` to `value` (read with csv: names hold commas)."""
    def change(content: bytes) -> bytes:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
        row = next(i for i, cells in enumerate(rows) if i and cells[column])
        rows[row][column] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue().encode("utf-8")
    return change


TABEL1 = "seed000_tabel1_cis_migrants"
# breakage -> (resource, change of the bytes, frictionless error type, words of the loader's message)
BOTH_REFUSE = {
    "swapped_headers": ("wdi_remittances",
                        _swap_header(b"remittances_received_usd,net_oda_received_usd,fdi_net_inflows_usd,gdp_current_usd",
                                     b"gdp_current_usd,net_oda_received_usd,fdi_net_inflows_usd,remittances_received_usd"),
                        "incorrect-label", ["row 1: columns are in the wrong order"]),
    "zero_share": (TABEL1, lambda c: c.replace(b",12.5,", b",0,"), "constraint-error",
                   ["row 4, column 'share_of_home_population_pct': 0.0 is not allowed"]),
    "zero_gdp": ("wdi_remittances", _set_first_filled(6, "0"), "constraint-error",
                 ["column 'gdp_current_usd': 0.0 is not allowed"]),
    "zero_population_2018": ("wdi2018_population_remittances_gdp", _set_first_filled(3, "0"), "constraint-error",
                             ["row 2, column 'population': 0.0 is not allowed"]),
    "trailing_space_in_country": (TABEL1, lambda c: c.replace(b",Tajikistan,", b",Tajikistan ,"), "constraint-error",
                                  ["row 4, column 'country': 'Tajikistan ' does not match the pattern"]),
    "year_after_the_snapshot": ("wdi_population", lambda c: c.replace(b"Aruba,ABW,1990,", b"Aruba,ABW,2026,", 1),
                                "constraint-error", ["row 2, column 'year': 2026 is above the maximum 2025"]),
    "latin1_bytes": (TABEL1, lambda c: c.decode("utf-8").encode("latin-1"), "encoding-error",
                     ["row 2, column 'country_nl': the bytes are not valid utf-8"]),
    "empty_file": (TABEL1, lambda c: b"", "source-error", ["the file is empty (0 bytes)"]),
}


@pytest.mark.parametrize("name, change, error_type, words", BOTH_REFUSE.values(), ids=BOTH_REFUSE.keys())
def test_frictionless_and_the_loader_both_refuse(tmp_path, name, change, error_type, words):
    descriptor, path = _one_resource(tmp_path, name, change)
    assert error_type in _frictionless_errors(descriptor, tmp_path)
    message = _loader_error(descriptor, path, tmp_path)
    assert f"data/{descriptor['resources'][0]['path']}" in message
    for word in words:
        assert word in message, f"{word!r} not in: {message}"


# Where the loader is deliberately stricter than frictionless: one byte form per file (so the
# recorded sha256 holds on every machine) and at least one row per resource.
ONLY_THE_LOADER_REFUSES = {
    "header_only": (lambda c: c.split(b"\n")[0] + b"\n", "row 2: no data rows"),
    "utf8_bom": (lambda c: b"\xef\xbb\xbf" + c, "row 1, column 'country_nl': the file starts with a UTF-8 byte-order mark"),
    "crlf_line_endings": (lambda c: c.replace(b"\n", b"\r\n"), "row 1, column 'seed_line': the line ends with CRLF"),
}


@pytest.mark.parametrize("change, words", ONLY_THE_LOADER_REFUSES.values(), ids=ONLY_THE_LOADER_REFUSES.keys())
def test_the_loader_is_stricter_than_frictionless_here(tmp_path, change, words):
    descriptor, path = _one_resource(tmp_path, TABEL1, change)
    assert _frictionless_errors(descriptor, tmp_path) == set()
    assert words in _loader_error(descriptor, path, tmp_path)


def test_frictionless_needs_v2_for_exclusive_bounds():
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    del package["$schema"]  # an absent $schema means Data Package v1
    with pytest.raises(FrictionlessException, match='constraint "exclusiveMinimum" requires datapackage v2'):
        Package(package, basepath=str(REPO / "data"))
