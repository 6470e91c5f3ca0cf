"""Make the data files chapter 4 (migration and development, source document 004) reads beyond
those make_data.py makes, from their public sources.

Nothing here is typed in except the Dutch-English names of Tabel 1's ten nationalities and the
book's English translation of the six priorities (both labelled as such): every number is copied
from a file, and the seed tables are parsed from the seed's own lines (each row keeps the line it
stands on).

    seeds/seed004_tabel1_asylum_applications_nl.csv   Tabel 1 of the note (L310-322), the ten
                                                      nationalities x six years, without the printed
                                                      totals (those are claims in data/claims.csv)
    seeds/seed004_policy_priorities.csv              the six priorities (L157-164), the note's words,
                                                      with the book's translation and instruments summary
    external/unhcr_asylum_applications_nld.csv       UNHCR asylum applications lodged in the
                                                      Netherlands by origin, 2000-2025
    external/wdi2018_migrant_stock_1960_1985.csv     World Bank SM.POP.TOTL as published in 2018,
                                                      1960-1985 (make_data.py keeps 1990 on)
    external/undesa_ims2020_migrant_totals.csv       UN DESA International Migrant Stock 2020:
                                                      emigrants abroad and immigrants per country

Usage (run from the repository root), with the shared folders and the git directory of
github.com/guyabel/stepladderChapter (commit 4a81585e, as in make_data.py):
    python data/scripts/make_development_data.py \
        --seeds         <folder holding 004_9b263e1afd2b163e.txt> \
        --international <folder holding unhcr_asylum_applications_russians_and_in_netherlands.csv
                         and wdi_international_migrant_stock.csv> \
        --stepladder-git <git dir of github.com/guyabel/stepladderChapter>
then refresh the hashes in data/datapackage.json:
    python data/scripts/update_datapackage_hashes.py
"""
from __future__ import annotations

import argparse
import io
import re
import subprocess
from pathlib import Path

import pandas as pd

from data_files import seed_lines
from data_files import write as write_data_file
SEED004 = "004_9b263e1afd2b163e.txt"
# The same pinned commit make_data.py reads the UN 2019 matrix from; data/stock_totals_2020.csv
# holds the authors' country totals of the UN's 2020 edition.
STEPLADDER_COMMIT = "4a81585e8ca3566aed8fd48c2870d316fe06f53f"
STEPLADDER_TOTALS = "data/stock_totals_2020.csv"
TEXT = re.compile(r"\S(.*\S)?")  # the text columns' schema pattern: no surrounding spaces

# Tabel 1's ten nationalities in the order of its header (L311-314): Dutch name as printed (the
# header breaks "Sierra Leone" and "Servië en Monte-negro" over four lines), English, ISO 3166
# alpha-3. Serbia and Montenegro split in 2006; SCG is its former (withdrawn) ISO code.
TABEL1_NATIONALITIES = [
    ("Irak", "Iraq", "IRQ"), ("Somalië", "Somalia", "SOM"), ("Afghanistan", "Afghanistan", "AFG"),
    ("Iran", "Iran", "IRN"), ("Angola", "Angola", "AGO"), ("Sierra Leone", "Sierra Leone", "SLE"),
    ("Servië en Montenegro", "Serbia and Montenegro", "SCG"), ("Burundi", "Burundi", "BDI"),
    ("Turkije", "Turkey", "TUR"), ("China", "China", "CHN"),
]
TABEL1_HEADER = (311, 314)
TABEL1_ROWS = (315, 320)

# The six priorities as the note lists them (L157-164): the Dutch is parsed from the seed; the
# English translation and the summary of each priority's instruments (with the lines they stand
# on; page 59, with the first three priorities' implementation, is lost) are this book's.
PRIORITIES_LINES = (158, 164)
PRIORITIES_EN = {
    1: ("More attention to migration in the development dialogue and to development in the "
        "migration dialogue",
        "Migration in partner countries' poverty strategies (PRSPs) and the embassies' multi-year "
        "plans (MJSPs); a one-year job search for foreign graduates of Dutch universities (since "
        "December 2007); the knowledge-migrant scheme and the EU blue card proposal; a code of "
        "conduct against active recruitment of health workers", "706-777"),
    2: ("Institutional development in migration management",
        "Support for data collection; border management and immigration services (a project with Ghana's "
        "immigration service; support for FRONTEX); fighting human trafficking and smuggling; "
        "protection and asylum within migration management", "792-828"),
    3: ("Stimulating circular migration / brain gain",
        "Temporary posting of migrants living in the Netherlands to their country of origin (MIDA "
        "Ghana Health, TRQN); a pilot of temporary labour migration to the Netherlands, with return "
        "after two years", "71-93, 857-887, 1141-1148"),
    4: ("Strengthening the involvement of migrant organisations",
        "Research on the added value of migrant organisations and their access to funds; subsidies "
        "for selected organisations; diaspora policies of origin countries; migrant entrepreneurship "
        "(EVD)", "96-104, 922-952, 1149-1151"),
    5: ("Strengthening the link between remittances and development",
        "Transparency of transfer costs (geldnaarhuis.nl); the EU payment services directive; "
        "migrants' initiatives through the co-financing system (MFS); financial-sector development",
        "957-990, 1152-1156"),
    6: ("Promoting sustainable return (and reintegration)",
        "Reintegration support of at most EUR 2 million a year: the return reintegration scheme "
        "(HRT, run by IOM), reintegration in kind, national return programmes in origin countries, "
        "projects for special groups", "1024-1032, 1157-1166"),
}


def make_tabel1(lines: list[str]) -> pd.DataFrame:
    header = " ".join(lines[TABEL1_HEADER[0] - 1:TABEL1_HEADER[1]]).replace("-\n", "")
    header = re.sub(r"\s+", " ", header.replace("Monte- negro", "Montenegro"))
    # every Dutch name must stand in the header in this order (the header is split over lines)
    position = 0
    for dutch, _, _ in TABEL1_NATIONALITIES:
        words = dutch.split()
        found = re.search(r"\b" + r"\s.*?".join(map(re.escape, words)), header[position:])
        if not found:
            raise SystemExit(f"{SEED004}: '{dutch}' not in Tabel 1's header at L{TABEL1_HEADER[0]}-{TABEL1_HEADER[1]}")
        position += found.start() + len(words[0])
    rows = []
    for number in range(TABEL1_ROWS[0], TABEL1_ROWS[1] + 1):
        match = re.fullmatch(r"((?:19|20)\d\d)((?:\s+\d+){11})", lines[number - 1].strip())
        if not match:
            raise SystemExit(f"{SEED004}: L{number} is not a row of Tabel 1: {lines[number - 1]!r}")
        values = [int(value) for value in match[2].split()][:10]  # the eleventh is the printed Totaal
        for (dutch, english, iso3), applications in zip(TABEL1_NATIONALITIES, values):
            rows.append({"year": int(match[1]), "nationality_nl": dutch, "nationality": english, "iso3": iso3,
                         "applications": applications, "seed_line": number})
    if len(rows) != 60:
        raise SystemExit(f"{SEED004}: expected 60 cells in Tabel 1, parsed {len(rows)}")
    return pd.DataFrame(rows)


def make_priorities(lines: list[str]) -> pd.DataFrame:
    text = {}
    current = None
    for number in range(PRIORITIES_LINES[0], PRIORITIES_LINES[1] + 1):
        line = lines[number - 1].strip()
        match = re.match(r"^([1-6])\. (.*)$", line)
        if match:
            current = int(match[1])
            text[current] = [number, match[2]]
        elif current is not None:
            text[current][1] += " " + line
    if sorted(text) != list(range(1, 7)):
        raise SystemExit(f"{SEED004}: expected priorities 1-6 at L{PRIORITIES_LINES[0]}-{PRIORITIES_LINES[1]}")
    rows = []
    for priority, (line, dutch) in sorted(text.items()):
        dutch = re.sub(r"[;.]?( en)?$", "", dutch.strip()).strip()
        english, instruments, instrument_lines = PRIORITIES_EN[priority]
        rows.append({"priority": priority, "priority_nl": dutch, "priority_en": english,
                     "instruments_en": instruments, "instrument_lines": instrument_lines, "seed_line": line})
    return pd.DataFrame(rows)


def make_unhcr(international: Path) -> pd.DataFrame:
    table = pd.read_csv(international / "unhcr_asylum_applications_russians_and_in_netherlands.csv",
                        dtype=str, keep_default_na=False, na_values=[""])  # "NA" is a code here
    table = table[table["coa_iso"] == "NLD"]
    columns = ["year", "coo_name", "coo_iso", "procedure_type", "app_type", "dec_level", "app_pc", "applied"]
    table = table[columns].copy()
    table["year"] = table["year"].astype(int)
    table["applied"] = table["applied"].astype(int)
    return table.sort_values(["year", "coo_iso", "procedure_type", "app_type", "dec_level", "app_pc"])


def make_wdi2018_early(international: Path) -> pd.DataFrame:
    stock = pd.read_csv(international / "wdi_international_migrant_stock.csv", dtype=str,
                        keep_default_na=False, na_values=[""])
    early = stock[(stock["vintage"] == "wdi_2018-08-01") & (stock["year"].astype(int) < 1990)]
    early = early[["country_name", "country_code", "year", "international_migrant_stock"]].copy()
    early["year"] = early["year"].astype(int)
    return early.sort_values(["country_code", "year"])


def make_ims2020(git_dir: str) -> pd.DataFrame:
    raw = subprocess.run(["git", f"--git-dir={git_dir}", "show", f"{STEPLADDER_COMMIT}:{STEPLADDER_TOTALS}"],
                         check=True, capture_output=True).stdout
    totals = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, na_values=[""])
    # country_code there is the UN's numeric M49 code; alpha3 is ISO 3166 alpha-3.
    # alpha3 "NA" is R's missing value (the Channel Islands, which have no ISO code), not Namibia (NAM)
    totals = totals[totals["alpha3"].str.fullmatch(r"[A-Z]{3}")]
    table = totals.drop(columns="country_code").rename(columns={"alpha3": "country_code", "name": "country_name", "disp": "emigrants_abroad",
                                   "fb": "immigrants"})
    table = table[["country_code", "country_name", "year", "emigrants_abroad", "immigrants"]].copy()
    table["country_name"] = table["country_name"].str.strip()
    for column in ("emigrants_abroad", "immigrants"):  # R wrote its missing values as NA: left empty here
        table[column] = table[column].replace("NA", "")
    table["year"] = table["year"].astype(int)
    return table.sort_values(["country_code", "year"])


def _check_text(table: pd.DataFrame, name: str, columns: list[str]) -> None:
    for column in columns:
        bad = table[column].dropna().map(lambda value: not TEXT.fullmatch(str(value)))
        if bad.any():
            raise SystemExit(f"{name}: column {column} has values with surrounding spaces: "
                             f"{table.loc[bad[bad].index, column].tolist()[:3]}")


def write(table: pd.DataFrame, relative: str, text_columns: list[str]) -> None:
    _check_text(table, relative, text_columns)
    write_data_file(table, relative)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", required=True, type=Path, help="folder holding the seed text files")
    parser.add_argument("--international", required=True, type=Path,
                        help="the shared data-sources/international folder")
    parser.add_argument("--stepladder-git", required=True, help="git dir of github.com/guyabel/stepladderChapter")
    args = parser.parse_args()
    lines = seed_lines((args.seeds / SEED004).read_bytes())
    write(make_tabel1(lines), "seeds/seed004_tabel1_asylum_applications_nl.csv", ["nationality_nl", "nationality"])
    write(make_priorities(lines), "seeds/seed004_policy_priorities.csv",
          ["priority_nl", "priority_en", "instruments_en", "instrument_lines"])
    write(make_unhcr(args.international), "external/unhcr_asylum_applications_nld.csv",
          ["coo_name", "dec_level"])
    write(make_wdi2018_early(args.international), "external/wdi2018_migrant_stock_1960_1985.csv", ["country_name"])
    write(make_ims2020(args.stepladder_git), "external/undesa_ims2020_migrant_totals.csv", ["country_name"])


if __name__ == "__main__":
    main()
