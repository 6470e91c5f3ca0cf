"""A broken data file fails with a DataValidationError that names the file, the row as a
spreadsheet shows it (header = row 1) and the column, not with a pandas traceback.

Each test copies a real file into a temporary data folder (same relative path), breaks it,
and reads it through migration_recomputed.data.read_resource with a copy of the real
descriptor. For schema errors the copied descriptor's hash is recomputed for the broken file,
so the sha256 check passes and the schema check is what fires."""
from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path

import pytest

from migration_recomputed import data
from migration_recomputed.schema import DataValidationError

REPO = Path(__file__).resolve().parents[1]
TABEL1 = "seed000_tabel1_cis_migrants"
TABEL1_SHOWN = "data/seeds/seed000_tabel1_cis_migrants_in_russia_2015.csv"
# Spreadsheet rows of data/seeds/seed000_tabel1_cis_migrants_in_russia_2015.csv:
# 1 header, 2 UKR, 3 UZB, 4 TJK, 5 KAZ, 6 AZE, 7 MDA, 8 KGZ, 9 BLR, 10 ARM


def _lines(name: str) -> tuple[dict, list[str]]:
    descriptor = copy.deepcopy(data.resource(name, REPO))
    text = (REPO / "data" / descriptor["path"]).read_text(encoding="utf-8")
    return descriptor, text.splitlines(keepends=True)


def _write(tmp_path: Path, descriptor: dict, lines: list[str], *, rehash: bool = True) -> Path:
    path = tmp_path / descriptor["path"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), encoding="utf-8")
    if rehash:
        descriptor["hash"] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    return tmp_path


def _set_cell(line: str, column: int, value: str) -> str:
    cells = line.rstrip("\n").split(",")
    cells[column] = value
    return ",".join(cells) + "\n"


def _read_error(descriptor: dict, data_dir: Path) -> str:
    with pytest.raises(DataValidationError) as caught:
        data.read_resource(descriptor, data_dir)
    return str(caught.value)


def _problems(message: str) -> list[str]:
    return [line.strip() for line in message.splitlines()[1:]]


def test_unmodified_copy_with_the_real_hash_reads_cleanly(tmp_path):
    descriptor, lines = _lines(TABEL1)
    real_hash = descriptor["hash"]
    table = data.read_resource(descriptor, _write(tmp_path, descriptor, lines, rehash=False))
    assert descriptor["hash"] == real_hash
    assert int(table["immigrants"].sum()) == 8_913_410  # the nine rows of seed lines 188-196


def test_missing_required_column_names_row_1_and_the_column(tmp_path):
    descriptor, lines = _lines(TABEL1)
    # drop the 4th column, immigrants, from every line
    lines = [",".join(cell for i, cell in enumerate(line.rstrip("\n").split(",")) if i != 3) + "\n"
             for line in lines]
    message = _read_error(descriptor, _write(tmp_path, descriptor, lines))
    assert message.startswith(f"{TABEL1_SHOWN} does not match its schema in data/datapackage.json")
    assert _problems(message) == [f"{TABEL1_SHOWN}, row 1, column 'immigrants': required column is missing"]


def test_column_not_in_schema_is_reported_at_row_1(tmp_path):
    descriptor, lines = _lines(TABEL1)
    lines = [lines[0].rstrip("\n") + ",extra\n"] + [line.rstrip("\n") + ",x\n" for line in lines[1:]]
    message = _read_error(descriptor, _write(tmp_path, descriptor, lines))
    assert _problems(message) == [f"{TABEL1_SHOWN}, row 1, column 'extra': column is not in the schema"]


# One broken cell each: (file line = spreadsheet row, column index, new value, expected problem).
ONE_BROKEN_CELL = {
    "text_in_integer_column": (3, 3, "abc", "row 3, column 'immigrants': 'abc' is not a valid integer"),
    "fraction_in_integer_column": (9, 3, "517828.5", "row 9, column 'immigrants': '517828.5' is not a valid integer"),
    "negative_count": (4, 3, "-5", "row 4, column 'immigrants': -5 is below the minimum 0"),
    "share_above_100": (7, 4, "158", "row 7, column 'share_of_home_population_pct': 158.0 is above the maximum 100"),
    "duplicate_primary_key": (10, 2, "UKR", "row 10, column 'iso3': duplicate primary key (iso3=UKR)"),
    "empty_required_cell": (5, 1, "", "row 5, column 'country': a value is required but the cell is empty"),
    "pattern_violation": (6, 2, "aze", "row 6, column 'iso3': 'aze' does not match the pattern [A-Z]{3}"),
}


@pytest.mark.parametrize("row, column, value, expected", ONE_BROKEN_CELL.values(), ids=ONE_BROKEN_CELL.keys())
def test_one_broken_cell_is_named_by_file_row_and_column(tmp_path, row, column, value, expected):
    descriptor, lines = _lines(TABEL1)
    lines[row - 1] = _set_cell(lines[row - 1], column, value)
    message = _read_error(descriptor, _write(tmp_path, descriptor, lines))
    assert _problems(message) == [f"{TABEL1_SHOWN}, {expected}"]


def test_migrant_stock_vintage_not_in_enum(tmp_path):
    descriptor, lines = _lines("wdi_migrant_stock")
    # find Russia 2015 in the 2018 vintage by reading the file line by line: file line n is row n
    target = next(number for number, line in enumerate(lines, start=1)
                  if line.startswith("Russian Federation,RUS,2015,") and line.rstrip().endswith(",wdi_2018-08-01"))
    assert lines[target - 1] == "Russian Federation,RUS,2015,11643276,wdi_2018-08-01\n"  # as the descriptor says
    lines[target - 1] = lines[target - 1].replace("wdi_2018-08-01", "wdi_2020-01-01")
    message = _read_error(descriptor, _write(tmp_path, descriptor, lines))
    problems = _problems(message)
    assert len(problems) == 1
    assert problems[0].startswith(f"data/external/wdi_international_migrant_stock.csv, row {target}, "
                                  "column 'vintage': 'wdi_2020-01-01' is not one of the allowed values")
    assert "wdi_2026-07-01" in problems[0] and "wdi_2018-08-01" in problems[0]


def test_changed_byte_fails_the_sha256_check_and_says_how_to_fix(tmp_path):
    descriptor, lines = _lines(TABEL1)
    real_hash = descriptor["hash"]
    lines[3] = lines[3].replace("999169", "999168")  # one byte changed, still schema-valid
    data_dir = _write(tmp_path, descriptor, lines, rehash=False)
    assert descriptor["hash"] == real_hash
    message = _read_error(descriptor, data_dir)
    assert message.startswith(f"{TABEL1_SHOWN}: sha256 does not match data/datapackage.json")
    assert f"expected {real_hash.removeprefix('sha256:')[:16]}..." in message
    found = hashlib.sha256((data_dir / descriptor["path"]).read_bytes()).hexdigest()
    assert f"found {found[:16]}..." in message
    assert "python data/scripts/update_datapackage_hashes.py" in message


def test_missing_file_is_reported_with_path_and_resource(tmp_path):
    descriptor, _ = _lines(TABEL1)
    message = _read_error(descriptor, tmp_path)
    assert message == f"{TABEL1_SHOWN}: file not found (resource '{TABEL1}')"


def test_more_than_five_problems_shows_five_and_counts_the_rest(tmp_path):
    descriptor, lines = _lines(TABEL1)
    for index in range(1, 8):  # rows 2..8 (UKR .. KGZ) get a negative count
        lines[index] = _set_cell(lines[index], 3, "-1")
    message = _read_error(descriptor, _write(tmp_path, descriptor, lines))
    problems = _problems(message)
    assert problems[:5] == [f"{TABEL1_SHOWN}, row {row}, column 'immigrants': -1 is below the minimum 0"
                            for row in range(2, 7)]
    assert problems[5:] == ["... and 2 more problem(s)"]
    assert "row 7" not in message and "row 8" not in message


def test_problems_in_several_columns_each_name_their_own_column(tmp_path):
    descriptor, lines = _lines(TABEL1)
    lines[2] = _set_cell(lines[2], 3, "-3")   # row 3 immigrants
    lines[7] = _set_cell(lines[7], 5, "0")    # row 8 seed_line (minimum 1)
    message = _read_error(descriptor, _write(tmp_path, descriptor, lines))
    assert _problems(message) == [
        f"{TABEL1_SHOWN}, row 3, column 'immigrants': -3 is below the minimum 0",
        f"{TABEL1_SHOWN}, row 8, column 'seed_line': 0 is below the minimum 1",
    ]


def test_row_numbers_stay_spreadsheet_rows_after_a_blank_line(tmp_path):
    descriptor, lines = _lines(TABEL1)
    lines.insert(3, "\n")                       # spreadsheet row 4 is now empty
    lines[5] = _set_cell(lines[5], 3, "-1")     # KAZ, now spreadsheet row 6
    message = _read_error(descriptor, _write(tmp_path, descriptor, lines))
    assert re.search(r"row 6, column 'immigrants': -1 is below the minimum 0", message)
