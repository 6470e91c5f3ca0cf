"""Provenance of the claims ledger: every claim must point at lines that exist.

data/claims.csv names, for each claim, the source document (seed_file) and the lines
that state it (seed_lines: "21", "17-19" or "12, 14-16"). data/source_documents.csv
registers the five documents with their line counts and sha256. A claim whose file is
not registered, or whose lines are malformed, reversed or past the document's last
line, points at nothing: data.load("claims") refuses it with the file, row and column.
"""
from __future__ import annotations

import re

import pandas as pd

from .schema import MAX_REPORTED, DataValidationError

__all__ = ["check_claim_provenance", "line_ranges"]

CLAIMS_SHOWN = "data/claims.csv"
SOURCES_SHOWN = "data/source_documents.csv"
_RANGE = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?")


def line_ranges(text: str) -> list[tuple[int, int]]:
    """'12, 14-16' -> [(12, 12), (14, 16)]; ValueError naming the part that is malformed."""
    ranges = []
    for part in str(text).split(","):
        match = _RANGE.fullmatch(part)
        if not match:
            raise ValueError(f"'{part.strip()}' is not a line number or a range like 17-19")
        first = int(match[1])
        last = int(match[2]) if match[2] else first
        ranges.append((first, last))
    return ranges


def check_claim_provenance(claims: pd.DataFrame, source_documents: pd.DataFrame,
                           *, path: str = CLAIMS_SHOWN) -> None:
    """Raise DataValidationError unless every claim's seed_file is registered in
    source_documents and its seed_lines are well-formed ranges within the file.

    `claims` is the ledger as data.load/read_resource return it (index 0 = spreadsheet row 2).
    """
    lines = dict(zip(source_documents["seed_file"].astype(str), source_documents["lines"].astype(int)))
    problems = []
    # dict records, not a Series per row (iterrows): every page's kernel checks the whole ledger
    for index, claim in zip(claims.index, claims[["claim_id", "seed_file", "seed_lines"]].to_dict("records")):
        where = f"{path}, row {index + 2}"
        claim_id = claim["claim_id"]
        seed_file = str(claim["seed_file"])
        if seed_file not in lines:
            problems.append(f"{where}, column 'seed_file': claim {claim_id}: '{seed_file}' is not a source "
                            f"document registered in {SOURCES_SHOWN} (known: {', '.join(sorted(lines))})")
            continue
        try:
            ranges = line_ranges(claim["seed_lines"])
        except ValueError as error:
            problems.append(f"{where}, column 'seed_lines': claim {claim_id}: '{claim['seed_lines']}' is "
                            f"malformed: {error}")
            continue
        last_line = lines[seed_file]
        for first, last in ranges:
            shown = f"{first}-{last}" if first != last else f"{first}"
            if first < 1:
                problems.append(f"{where}, column 'seed_lines': claim {claim_id}: line {first} does not exist "
                                "(lines are numbered from 1)")
            elif first > last:
                problems.append(f"{where}, column 'seed_lines': claim {claim_id}: the range {shown} is "
                                f"reversed (write {last}-{first})")
            elif last > last_line:
                problems.append(f"{where}, column 'seed_lines': claim {claim_id}: line {last} is past the last "
                                f"line of {seed_file}, which has {last_line} lines ({SOURCES_SHOWN})")
    if problems:
        shown = problems[:MAX_REPORTED]
        more = f"\n  ... and {len(problems) - len(shown)} more problem(s)" if len(problems) > len(shown) else ""
        raise DataValidationError(f"{path}: claims point at lines that do not exist in their source "
                                  f"documents:\n  " + "\n  ".join(shown) + more)
