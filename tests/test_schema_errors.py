"""A broken data file fails with a DataValidationError that names the file, the row as a
spreadsheet shows it (header = row 1) and the column, not with a pandas traceback.

Each test copies a real file into a temporary data folder (same relative path), breaks it,
and reads it through migration_recomputed.data.read_resource with a copy of the real
descriptor. For schema errors the copied descriptor's hash is recomputed for the broken file,
so the sha256 check passes and the schema check is what fires.

The byte form is checked too: an empty file, a header without rows, a UTF-8 byte-order mark,
CRLF line endings and latin-1 bytes are refused with the file, row and column named (a CRLF
or BOM copy of an unchanged file is told so by the sha256 message). And the claims ledger must
point at lines that exist in a registered source document (ledger.check_claim_provenance)."""
from __future__ import annotations

import copy
import csv
import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest

from migration_recomputed import data
from migration_recomputed.ledger import check_claim_provenance
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


def _set_field(line: str, column: int, value: str) -> str:
    """Like _set_cell, but for lines with quoted cells ("Korea, Rep.", the ledger's prose)."""
    cells = next(csv.reader([line]))
    cells[column] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def _write_bytes(tmp_path: Path, descriptor: dict, content: bytes, *, rehash: bool = True) -> Path:
    path = tmp_path / descriptor["path"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    if rehash:
        descriptor["hash"] = "sha256:" + hashlib.sha256(content).hexdigest()
    return tmp_path


def _shown(descriptor: dict) -> str:
    return f"data/{descriptor['path']}"


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
    "negative_count": (4, 3, "-5", "row 4, column 'immigrants': -5 is below the minimum 0 "
                                   "(exclusive: it must be greater than 0)"),
    "zero_count": (4, 3, "0", "row 4, column 'immigrants': 0 is not allowed: the value must be greater "
                              "than 0 (exclusiveMinimum)"),
    # a share of 0 % made the chapter print inf for the implied home population
    "zero_share": (4, 4, "0", "row 4, column 'share_of_home_population_pct': 0.0 is not allowed: the value "
                              "must be greater than 0 (exclusiveMinimum)"),
    "seed_line_outside_tabel1": (4, 5, "290", "row 4, column 'seed_line': 290 is above the maximum 202"),
    "share_above_100": (7, 4, "158", "row 7, column 'share_of_home_population_pct': 158.0 is above the maximum 100"),
    "duplicate_primary_key": (10, 2, "UKR", "row 10, column 'iso3': duplicate primary key (iso3=UKR)"),
    "empty_required_cell": (5, 1, "", "row 5, column 'country': a value is required but the cell is empty"),
    "pattern_violation": (6, 2, "aze", "row 6, column 'iso3': 'aze' does not match the pattern [A-Z]{3}"),
    # was reported by the chapter as a bad *parameter* ('Tajikistan ' is not a country it knows)
    "trailing_space_in_country": (4, 1, "Tajikistan ", "row 4, column 'country': 'Tajikistan ' does not "
                                                      "match the pattern \\S(.*\\S)?"),
    "leading_space_in_country_nl": (4, 0, " Tadzjikistan", "row 4, column 'country_nl': ' Tadzjikistan' does "
                                                          "not match the pattern \\S(.*\\S)?"),
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
    assert problems[:5] == [f"{TABEL1_SHOWN}, row {row}, column 'immigrants': -1 is below the minimum 0 "
                            "(exclusive: it must be greater than 0)" for row in range(2, 7)]
    assert problems[5:] == ["... and 2 more problem(s)"]
    assert "row 7" not in message and "row 8" not in message


def test_problems_in_several_columns_each_name_their_own_column(tmp_path):
    descriptor, lines = _lines(TABEL1)
    lines[2] = _set_cell(lines[2], 3, "-3")   # row 3 immigrants
    lines[7] = _set_cell(lines[7], 5, "0")    # row 8 seed_line (Tabel 1 stands at lines 181-202)
    message = _read_error(descriptor, _write(tmp_path, descriptor, lines))
    assert _problems(message) == [
        f"{TABEL1_SHOWN}, row 3, column 'immigrants': -3 is below the minimum 0 (exclusive: it must be greater than 0)",
        f"{TABEL1_SHOWN}, row 8, column 'seed_line': 0 is below the minimum 181",
    ]


def test_row_numbers_stay_spreadsheet_rows_after_a_blank_line(tmp_path):
    descriptor, lines = _lines(TABEL1)
    lines.insert(3, "\n")                       # spreadsheet row 4 is now empty
    lines[5] = _set_cell(lines[5], 3, "-1")     # KAZ, now spreadsheet row 6
    message = _read_error(descriptor, _write(tmp_path, descriptor, lines))
    assert re.search(r"row 6, column 'immigrants': -1 is below the minimum 0", message)


# --- the header: names and order ------------------------------------------------------------

REMITTANCES_SHOWN = "data/external/wdi_remittances_oda_fdi_gdp.csv"


def test_swapped_headers_are_refused_not_read_by_name(tmp_path):
    """remittances_received_usd and gdp_current_usd exchanged in the header only: read by name,
    Tajikistan's remittances would be 228 % of its GDP in 2013 instead of 44 %."""
    descriptor, lines = _lines("wdi_remittances")
    header = lines[0].rstrip("\n").split(",")
    assert header[3] == "remittances_received_usd" and header[6] == "gdp_current_usd"
    header[3], header[6] = header[6], header[3]
    tjk = next(next(csv.reader([line])) for line in lines if line.startswith("Tajikistan,TJK,2013,"))
    assert 100 * float(tjk[6]) / float(tjk[3]) == pytest.approx(228.5, abs=0.1)  # what would be published
    message = _read_error(descriptor, _write(tmp_path, descriptor, [",".join(header) + "\n"] + lines[1:]))
    assert _problems(message) == [
        f"{REMITTANCES_SHOWN}, row 1: columns are in the wrong order: found country_name, country_code, year, "
        "gdp_current_usd, net_oda_received_usd, fdi_net_inflows_usd, remittances_received_usd; expected "
        "country_name, country_code, year, remittances_received_usd, net_oda_received_usd, fdi_net_inflows_usd, "
        "gdp_current_usd",
        f"{REMITTANCES_SHOWN}, row 1, column 'gdp_current_usd': stands at position 4, where the schema has "
        "'remittances_received_usd'",
        f"{REMITTANCES_SHOWN}, row 1, column 'remittances_received_usd': stands at position 7, where the schema "
        "has 'gdp_current_usd'",
    ]


# header line of Tabel 1 -> the problems reported at row 1
HEADER_CASES = {
    "moved_column": ("seed_line,country_nl,country,iso3,immigrants,share_of_home_population_pct",
                     [f"{TABEL1_SHOWN}, row 1: columns are in the wrong order: found seed_line, country_nl, "
                      "country, iso3, immigrants, share_of_home_population_pct; expected country_nl, country, iso3, "
                      "immigrants, share_of_home_population_pct, seed_line"]
                     + [f"{TABEL1_SHOWN}, row 1, column '{have}': stands at position {position}, where the "
                        f"schema has '{want}'" for position, have, want in [
                            (1, "seed_line", "country_nl"), (2, "country_nl", "country"), (3, "country", "iso3"),
                            (4, "iso3", "immigrants")]]
                     + ["... and 2 more problem(s)"]),
    "repeated_column": ("country_nl,country,iso3,immigrants,immigrants,seed_line",
                        [f"{TABEL1_SHOWN}, row 1, column 'share_of_home_population_pct': required column is missing",
                         f"{TABEL1_SHOWN}, row 1, column 'immigrants': the column appears more than once "
                         "(again at position 5)"]),
    "renamed_column": ("country_nl,country,iso3,immigrants,share_pct,seed_line",
                       [f"{TABEL1_SHOWN}, row 1, column 'share_of_home_population_pct': required column is missing",
                        f"{TABEL1_SHOWN}, row 1, column 'share_pct': column is not in the schema"]),
}


@pytest.mark.parametrize("header, expected", HEADER_CASES.values(), ids=HEADER_CASES.keys())
def test_header_must_hold_the_schema_fields_in_order(tmp_path, header, expected):
    descriptor, lines = _lines(TABEL1)
    message = _read_error(descriptor, _write(tmp_path, descriptor, [header + "\n"] + lines[1:]))
    assert _problems(message) == expected


# --- empty files ---------------------------------------------------------------------------

def test_empty_file_names_the_file_even_before_the_hash(tmp_path):
    descriptor, _ = _lines(TABEL1)
    message = _read_error(descriptor, _write_bytes(tmp_path, descriptor, b"", rehash=False))
    assert message == (f"{TABEL1_SHOWN}: the file is empty (0 bytes): it needs a header row and at least one "
                       f"data row (resource '{TABEL1}')")


def test_header_without_rows_is_refused_at_row_2(tmp_path):
    # frictionless accepts a header-only file; the book does not (every resource here has rows)
    descriptor, lines = _lines(TABEL1)
    message = _read_error(descriptor, _write(tmp_path, descriptor, lines[:1]))
    assert _problems(message) == [f"{TABEL1_SHOWN}, row 2: no data rows: the file holds a header only, and "
                                  "every resource of data/datapackage.json needs at least one row"]


def test_blank_first_line_is_a_missing_header(tmp_path):
    descriptor, lines = _lines(TABEL1)
    message = _read_error(descriptor, _write(tmp_path, descriptor, ["\n"] + lines[1:]))
    assert message == f"{TABEL1_SHOWN}, row 1: no header row: the first line is empty (resource '{TABEL1}')"


# --- the byte form: BOM, CRLF, encoding ----------------------------------------------------

def _original(name: str) -> tuple[dict, bytes]:
    descriptor = copy.deepcopy(data.resource(name, REPO))
    return descriptor, (REPO / "data" / descriptor["path"]).read_bytes()


LF_HINT = "With LF line endings and no BOM the bytes match the recorded hash exactly"

# (how the bytes change, keep the recorded hash?) -> the message's start, and words it must hold
BYTE_FORM_CASES = {
    # a Windows checkout (core.autocrlf=true): the sha256 check speaks, and says why
    "crlf_copy_of_the_file": (lambda b: b.replace(b"\n", b"\r\n"), False,
                              f"{TABEL1_SHOWN}: sha256 does not match data/datapackage.json",
                              [LF_HINT, "line endings are CRLF", "rather than updating the hash"]),
    "bom_copy_of_the_file": (lambda b: data.BOM + b, False,
                             f"{TABEL1_SHOWN}: sha256 does not match data/datapackage.json",
                             [LF_HINT, "byte-order mark (BOM)"]),
    "crlf_and_bom": (lambda b: data.BOM + b.replace(b"\n", b"\r\n"), False,
                     f"{TABEL1_SHOWN}: sha256 does not match data/datapackage.json",
                     [LF_HINT, "CRLF", "BOM"]),
    # a real edit is not explained away as line endings
    "crlf_and_a_changed_value": (lambda b: b.replace(b"999169", b"999168").replace(b"\n", b"\r\n"), False,
                                 f"{TABEL1_SHOWN}: sha256 does not match data/datapackage.json", []),
    # the hash recorded for the converted bytes: the byte form itself is refused, row and column named
    "crlf_with_its_hash_recorded": (lambda b: b.replace(b"\n", b"\r\n"), True,
                                    f"{TABEL1_SHOWN}, row 1, column 'seed_line': the line ends with CRLF", ["LF"]),
    "bom_with_its_hash_recorded": (lambda b: data.BOM + b, True,
                                   f"{TABEL1_SHOWN}, row 1, column 'country_nl': the file starts with a UTF-8 "
                                   "byte-order mark (BOM", ["without BOM"]),
    # 'Oekraïne' (row 2) in latin-1: the ï is byte ef, not valid UTF-8 there
    "latin1_bytes": (lambda b: b.decode("utf-8").encode("latin-1"), True,
                     f"{TABEL1_SHOWN}, row 2, column 'country_nl': the bytes are not valid utf-8 (byte ",
                     ["latin-1", "save it as utf-8"]),
    "latin1_byte_in_row_7": (lambda b: b.replace("Moldavië".encode(), "Moldavië".encode("latin-1")), True,
                             f"{TABEL1_SHOWN}, row 7, column 'country_nl': the bytes are not valid utf-8", []),
}


@pytest.mark.parametrize("change, rehash, start, words", BYTE_FORM_CASES.values(), ids=BYTE_FORM_CASES.keys())
def test_byte_form_is_utf8_without_bom_with_lf(tmp_path, change, rehash, start, words):
    descriptor, content = _original(TABEL1)
    message = _read_error(descriptor, _write_bytes(tmp_path, descriptor, change(content), rehash=rehash))
    assert message.startswith(start), message
    for word in words:
        assert word in message, f"{word!r} not in: {message}"
    if not words:
        assert LF_HINT not in message


# --- impossible values, every constrained field of every resource --------------------------

def _fields_with(predicate) -> list[tuple[str, str]]:
    return [(item["name"], field["name"]) for item in data.datapackage(REPO)["resources"]
            for field in item["schema"]["fields"] if predicate(field.get("constraints", {}))]


POSITIVE_FIELDS = _fields_with(lambda c: "exclusiveMinimum" in c)
TRIMMED_FIELDS = _fields_with(lambda c: c.get("pattern") in (r"\S(.*\S)?", r"\S([\s\S]*\S)?"))


def test_the_fields_that_cannot_be_zero_are_the_expected_ones():
    assert set(POSITIVE_FIELDS) >= {
        ("seed000_tabel1_cis_migrants", "share_of_home_population_pct"), ("seed000_tabel1_cis_migrants", "immigrants"),
        ("seed000_tabel2_remittances", "total_usd"), ("seed000_tabel2_remittances", "average_transfer_usd"),
        ("wdi_remittances", "gdp_current_usd"), ("wdi_population", "population"), ("wdi_exchange_rate", "lcu_per_usd"),
        ("wdi2018_population_remittances_gdp", "population"), ("wdi2018_population_remittances_gdp", "gdp_current_usd"),
    }
    names = {(name, column) for name, column in TRIMMED_FIELDS}
    for name in ("wdi_remittances", "wdi_population", "wdi_exchange_rate", "wdi_migrant_stock",
                 "wdi2018_population_remittances_gdp"):
        assert (name, "country_name") in names
    assert {("undesa_bilateral_stock", "origin"), ("undesa_bilateral_stock", "destination"),
            ("seed000_tabel1_cis_migrants", "country"), ("seed000_tabel2_remittances", "country")} <= names


def _break_row_2(name: str, column: str, value) -> tuple[dict, str, int]:
    """A copy of the resource's header and first three data rows, with row 2's `column` changed."""
    descriptor, lines = _lines(name)
    names = [field["name"] for field in descriptor["schema"]["fields"]]
    index = names.index(column)
    cells = next(csv.reader([lines[1]]))
    lines = lines[:4]
    lines[1] = _set_field(lines[1], index, value(cells[index]) if callable(value) else value)
    return descriptor, lines, index


@pytest.mark.parametrize("name, column", POSITIVE_FIELDS, ids=[f"{n}.{c}" for n, c in POSITIVE_FIELDS])
def test_zero_is_refused_where_a_value_cannot_be_zero(tmp_path, name, column):
    descriptor, lines, _ = _break_row_2(name, column, "0")
    problems = _problems(_read_error(descriptor, _write(tmp_path, descriptor, lines)))
    assert len(problems) == 1
    assert re.fullmatch(rf"{re.escape(_shown(descriptor))}, row 2, column '{column}': 0(\.0)? is not allowed: "
                        r"the value must be greater than 0 \(exclusiveMinimum\)", problems[0]), problems[0]


@pytest.mark.parametrize("name, column", TRIMMED_FIELDS, ids=[f"{n}.{c}" for n, c in TRIMMED_FIELDS])
def test_a_trailing_space_in_a_name_is_refused(tmp_path, name, column):
    descriptor, lines, _ = _break_row_2(name, column, lambda old: old + " ")
    problems = _problems(_read_error(descriptor, _write(tmp_path, descriptor, lines)))
    assert len(problems) == 1
    assert problems[0].startswith(f"{_shown(descriptor)}, row 2, column '{column}': '")
    assert " ' does not match the pattern " in problems[0]


# resource, column, value -> the message after "row 2, column '<column>': "
OUT_OF_RANGE = {
    "year_after_the_2026_snapshot": ("wdi_population", "year", "2026", "2026 is above the maximum 2025"),
    "year_before_the_trimming": ("wdi_exchange_rate", "year", "1989", "1989 is below the minimum 1990"),
    "year_after_the_2018_snapshot": ("wdi2018_population_remittances_gdp", "year", "2018",
                                     "2018 is above the maximum 2017"),
    "negative_population": ("wdi2018_population_remittances_gdp", "population", "-1",
                            "-1.0 is below the minimum 0 (exclusive: it must be greater than 0)"),
    "negative_remittances": ("wdi_remittances", "remittances_received_usd", "-1", "-1.0 is below the minimum 0"),
    "zero_migrant_stock_cell": ("undesa_bilateral_stock", "migrant_stock", "0", "0 is below the minimum 1"),
    "seed_file_line_count_zero": ("source_documents", "lines", "0", "0 is below the minimum 1"),
    "chapter_5": ("claims", "chapter", "5", "5 is above the maximum 4"),
}


@pytest.mark.parametrize("name, column, value, expected", OUT_OF_RANGE.values(), ids=OUT_OF_RANGE.keys())
def test_out_of_range_values_are_named(tmp_path, name, column, value, expected):
    descriptor, lines, _ = _break_row_2(name, column, value)
    problems = _problems(_read_error(descriptor, _write(tmp_path, descriptor, lines)))
    assert problems == [f"{_shown(descriptor)}, row 2, column '{column}': {expected}"]


# --- the ledger points at lines that exist -------------------------------------------------

CLAIMS_SHOWN = "data/claims.csv"


def _ledger() -> tuple:
    return data.load("claims"), data.load("source_documents")


def test_current_ledger_points_at_existing_lines():
    claims, documents = _ledger()
    check_claim_provenance(claims, documents)  # no exception
    assert documents.set_index("seed_file").loc["000_e1450e3e99c1b5b0.txt", "lines"] == 414


# row 4 of data/claims.csv is S000-C03 (seed 000, line 21) -> (column, new value, expected message)
PROVENANCE_CASES = {
    "unregistered_seed_file": ("seed_file", "001_0000000000000000.txt",
                               "column 'seed_file': claim S000-C03: '001_0000000000000000.txt' is not a source "
                               "document registered in data/source_documents.csv (known: 000_e1450e3e99c1b5b0.txt, "
                               "001_12cc6a5d36c896d5.txt, 002_5c5167c31e393191.txt, 003_301f203c46596c65.txt, "
                               "004_9b263e1afd2b163e.txt)"),
    "reversed_range": ("seed_lines", "23-21",
                       "column 'seed_lines': claim S000-C03: the range 23-21 is reversed (write 21-23)"),
    "malformed_range": ("seed_lines", "21-",
                        "column 'seed_lines': claim S000-C03: '21-' is malformed: '21-' is not a line number or a "
                        "range like 17-19"),
    "malformed_list": ("seed_lines", "21;23",
                       "column 'seed_lines': claim S000-C03: '21;23' is malformed: '21;23' is not a line number or a "
                       "range like 17-19"),
    "past_the_last_line": ("seed_lines", "410-415",
                           "column 'seed_lines': claim S000-C03: line 415 is past the last line of "
                           "000_e1450e3e99c1b5b0.txt, which has 414 lines (data/source_documents.csv)"),
    "past_the_last_line_in_a_list": ("seed_lines", "21, 500",
                                     "column 'seed_lines': claim S000-C03: line 500 is past the last line of "
                                     "000_e1450e3e99c1b5b0.txt, which has 414 lines (data/source_documents.csv)"),
    "line_zero": ("seed_lines", "0-2",
                  "column 'seed_lines': claim S000-C03: line 0 does not exist (lines are numbered from 1)"),
}


@pytest.mark.parametrize("column, value, expected", PROVENANCE_CASES.values(), ids=PROVENANCE_CASES.keys())
def test_claim_provenance_failures_name_file_row_claim_and_column(column, value, expected):
    claims, documents = _ledger()
    assert claims.at[2, "claim_id"] == "S000-C03"  # index 2 = spreadsheet row 4
    claims.loc[2, column] = value
    with pytest.raises(DataValidationError) as caught:
        check_claim_provenance(claims, documents)
    assert str(caught.value).splitlines()[1:] == [f"  {CLAIMS_SHOWN}, row 4, {expected}"]
    assert str(caught.value).startswith(f"{CLAIMS_SHOWN}: claims point at lines that do not exist")


def test_a_document_missing_from_the_registry_fails_every_claim_on_it():
    claims, documents = _ledger()
    message = str(pytest.raises(DataValidationError, check_claim_provenance, claims, documents.iloc[1:]).value)
    assert f"{CLAIMS_SHOWN}, row 2, column 'seed_file': claim S000-C01: '000_e1450e3e99c1b5b0.txt' is not" in message
    on_first = int((claims["seed_file"] == documents["seed_file"].iloc[0]).sum())
    assert message.endswith(f"... and {on_first - 5} more problem(s)")


def test_loading_the_ledger_checks_its_provenance(tmp_path, monkeypatch):
    """data.load('claims'), which every chapter and the ledger page call, runs the check."""
    shutil.copytree(REPO / "data", tmp_path / "data", ignore=shutil.ignore_patterns("external", "scripts"))
    path = tmp_path / "data" / "claims.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[3].startswith("S000-C03,1,000_e1450e3e99c1b5b0.txt,21,")
    lines[3] = lines[3].replace(",21,", ",421,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    descriptor = tmp_path / "data" / "datapackage.json"
    old = data.resource("claims", REPO)["hash"]
    new = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    monkeypatch.setenv("BOOK_ROOT", str(tmp_path))
    with pytest.raises(DataValidationError) as caught:
        data.load("claims")
    assert (f"{CLAIMS_SHOWN}, row 4, column 'seed_lines': claim S000-C03: line 421 is past the last line of "
            "000_e1450e3e99c1b5b0.txt, which has 414 lines") in str(caught.value)
