"""Validate a table against its Frictionless Table Schema, with readable errors.

Only the parts of Table Schema the book uses are implemented (field types string,
integer, number, year; constraints required, minimum, maximum, exclusiveMinimum,
exclusiveMaximum, enum, pattern, maxLength; primaryKey; the header's names and
order, which frictionless also treats as binding; one cell per column in every row).
Every problem is reported with the file, the row as a spreadsheet shows it (the header
is row 1) and the column, so that a contributor who breaks a data file learns where,
instead of meeting a traceback in pandas.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

MAX_REPORTED = 5


class DataValidationError(ValueError):
    """A data file does not match its schema in data/datapackage.json."""


def _problem(path: str, row: int | None, column: str | None, message: str) -> str:
    where = [path]
    if row is not None:
        where.append(f"row {row}")
    if column is not None:
        where.append(f"column '{column}'")
    return ", ".join(where) + ": " + message


def _raise(path: str, problems: list[str]) -> None:
    if problems:
        shown = problems[:MAX_REPORTED]
        more = len(problems) - len(shown)
        tail = f"\n  ... and {more} more problem(s)" if more else ""
        raise DataValidationError(
            f"{path} does not match its schema in data/datapackage.json:\n  "
            + "\n  ".join(shown) + tail)


def _spreadsheet_row(index: int) -> int:
    return index + 2  # header is row 1, first data row is row 2


def _convert(series: pd.Series, field: dict, path: str, problems: list[str]) -> pd.Series:
    kind = field.get("type", "string")
    if kind == "string":
        return series.astype("string")
    numbers = pd.to_numeric(series, errors="coerce")
    bad = series.notna() & numbers.isna()
    if kind in ("integer", "year"):
        fractional = numbers.notna() & (numbers % 1 != 0)
        bad |= fractional
    for index in series.index[bad]:
        problems.append(_problem(path, _spreadsheet_row(index), field["name"],
                                 f"'{series[index]}' is not a valid {kind}"))
    if kind in ("integer", "year"):
        return numbers.where(~bad).round().astype("Int64")
    return numbers.where(~bad).astype("Float64")


def _check_constraints(values: pd.Series, raw: pd.Series, field: dict, path: str,
                       problems: list[str]) -> None:
    name = field["name"]
    constraints = field.get("constraints", {})
    rules = []
    if constraints.get("required"):
        rules.append((raw.isna(), lambda v: "a value is required but the cell is empty"))
    if "minimum" in constraints:
        low = constraints["minimum"]
        rules.append((values.notna() & (values < low), lambda v: f"{v} is below the minimum {low}"))
    if "exclusiveMinimum" in constraints:
        # A share, a population, a GDP or an exchange rate of zero is impossible (and a divisor).
        floor = constraints["exclusiveMinimum"]
        rules.append((values.notna() & (values < floor),
                      lambda v: f"{v} is below the minimum {floor} (exclusive: it must be greater than {floor})"))
        rules.append((values.notna() & (values == floor),
                      lambda v: f"{v} is not allowed: the value must be greater than {floor} (exclusiveMinimum)"))
    if "maximum" in constraints:
        high = constraints["maximum"]
        rules.append((values.notna() & (values > high), lambda v: f"{v} is above the maximum {high}"))
    if "exclusiveMaximum" in constraints:
        ceiling = constraints["exclusiveMaximum"]
        rules.append((values.notna() & (values > ceiling),
                      lambda v: f"{v} is above the maximum {ceiling} (exclusive: it must be less than {ceiling})"))
        rules.append((values.notna() & (values == ceiling),
                      lambda v: f"{v} is not allowed: the value must be less than {ceiling} (exclusiveMaximum)"))
    if "enum" in constraints:
        allowed = constraints["enum"]
        rules.append((values.notna() & ~values.isin(allowed),
                      lambda v: f"'{v}' is not one of the allowed values {allowed}"))
    if "pattern" in constraints:
        pattern = re.compile(constraints["pattern"])
        # once per distinct value: a column of country names repeats a few hundred names
        verdicts = {value: bool(pattern.fullmatch(str(value))) for value in raw.dropna().unique()}
        matches = raw.map(verdicts).astype("boolean").fillna(True)
        rules.append((~matches.astype(bool),
                      lambda v: f"'{v}' does not match the pattern {pattern.pattern}"))
    if "maxLength" in constraints:
        longest = constraints["maxLength"]
        too_long = raw.astype("string").str.len().gt(longest).fillna(False).astype(bool)
        rules.append((too_long, lambda v: f"the text is longer than {longest} characters"))
    for failing, describe in rules:
        for index in values.index[failing.fillna(False).astype(bool)]:
            problems.append(_problem(path, _spreadsheet_row(index), name, describe(values[index])))


def check_header(found: list[str], schema: dict, path: str) -> None:
    """Row 1 against the schema: the same names, once each, in the schema's order.

    Frictionless matches the header to the schema by position (an 'incorrect-label' error
    when they differ), so swapped headers are an error, not a harmless reordering: read by
    name, two swapped numeric columns would silently exchange their values."""
    expected = [field["name"] for field in schema["fields"]]
    problems = [_problem(path, 1, name, "required column is missing") for name in expected if name not in found]
    problems += [_problem(path, 1, name, "column is not in the schema") for name in found if name not in expected]
    seen = set()
    for position, name in enumerate(found, start=1):
        if name in seen:
            problems.append(_problem(path, 1, name, f"the column appears more than once (again at position {position})"))
        seen.add(name)
    if not problems and found != expected:
        problems.append(_problem(path, 1, None, f"columns are in the wrong order: found {', '.join(found)}; "
                                                f"expected {', '.join(expected)}"))
        for position, (have, want) in enumerate(zip(found, expected), start=1):
            if have != want:
                problems.append(_problem(path, 1, have, f"stands at position {position}, where the schema "
                                                        f"has '{want}'"))
    _raise(path, problems)


def check_cell_counts(records: Iterable[list[str]], header: list[str], path: str) -> None:
    """One cell per column in every row (records as csv.reader gives them; the header is row 1).

    pandas pads a short row with empty cells: a value left out with its comma would shift every
    cell after it one column to the left, unseen where those columns are optional (frictionless
    reports 'missing-cell'). A long row stops pandas with its own tokenizer message instead."""
    width = len(header)
    problems = []
    for row, record in enumerate(records, start=1):
        if not record or len(record) == width:  # a blank line is reported by the schema, cell by cell
            continue
        if len(record) < width:
            problems.append(_problem(path, row, header[len(record)], (
                f"the row has {len(record)} cells where the header has {width} columns: no cell from this "
                "column on (a value left out with its comma moves the cells after it into the wrong columns)")))
        else:
            problems.append(_problem(path, row, None, (
                f"the row has {len(record)} cells where the header has {width} columns: {len(record) - width} "
                f"after the last column '{header[-1]}' (a comma inside a value that is not quoted?)")))
    _raise(path, problems)


def validate_table(raw: pd.DataFrame, schema: dict, path: str) -> pd.DataFrame:
    """Return `raw` (all cells read as text) converted to the schema's types.

    Raises DataValidationError naming the file, row and column of each problem. The
    header must hold the schema's fields in the schema's order, and there must be at
    least one data row.
    """
    fields = schema["fields"]
    check_header(list(raw.columns), schema, path)
    if raw.empty:
        # Frictionless accepts a header without rows; the book does not: every resource here
        # holds at least one row, and an emptied file would make a chapter print nothing.
        _raise(path, [_problem(path, 2, None, "no data rows: the file holds a header only, and every "
                                             "resource of data/datapackage.json needs at least one row")])

    problems: list[str] = []
    table = pd.DataFrame(index=raw.index)
    for field in fields:
        table[field["name"]] = _convert(raw[field["name"]], field, path, problems)
    _raise(path, problems)
    for field in fields:
        _check_constraints(table[field["name"]], raw[field["name"]], field, path, problems)

    key = schema.get("primaryKey")
    if key:
        key = [key] if isinstance(key, str) else list(key)
        duplicated = table.duplicated(subset=key, keep="first")
        for index in table.index[duplicated]:
            values = ", ".join(f"{column}={table.at[index, column]}" for column in key)
            problems.append(_problem(path, _spreadsheet_row(index), ", ".join(key),
                                     f"duplicate primary key ({values})"))
    _raise(path, problems)
    return table
