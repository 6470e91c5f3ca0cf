"""Rebuild the data files of chapter 2 (post-2022 emigration from Russia) from the files the
project's data scouts made, and parse the 2008 knowledge-migrant thresholds from source 004.

The scouts' files were made by scripts that read pinned commits of public repositories (their
PROVENANCE.md names each repository, commit and path; data/datapackage.json repeats them per
resource). This script only trims: it keeps the rows and columns chapter 2 reads and writes the
values as they stand (a population of "119897000.0" is written 119897000, nothing is rounded).
The project never reads these folders at build or test time; run this by hand, then refresh the
hashes:

    python data/scripts/make_emigration_data.py \\
        --international   <folder with the UNHCR, UN WPP and World Bank CSV files> \\
        --cbs             <folder whose data/ holds the Eurostat asylum files (iom/gdidata)> \\
        --russians-europe <folder with the CBS 60032 page and the Eurostat permit files> \\
        --seeds           <folder holding the seed text files (004 for the 2008 thresholds)>
    python data/scripts/update_datapackage_hashes.py

Files written (data/ relative):
    external/unhcr_asylum_applications_by_russians_2000_2025.csv
    external/unhcr_refugees_asylum_seekers_from_russia_1990_2025.csv
    external/wpp2024_demographic_components_russia_1950_2023.csv
    external/wdi_population_russia_1960_2025.csv
    external/eurostat_asylum_applicants_russians_by_sex_2011_2024.csv
    external/eurostat_russian_citizens_first_permits_residents_1998_2024.csv
    external/eurostat_first_permits_employment_russians_2008_2025.csv
    pages/cbs60032_arrivals_from_russia_2022.csv
    seeds/seed004_kennismigrant_thresholds_2008.csv
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

from data_files import DATA, read, write
SEED004 = "004_9b263e1afd2b163e.txt"


def whole(column: pd.Series) -> pd.Series:
    """'42.0' -> '42' (a count written as a float by the scouts' pandas); refuses a fraction."""
    numbers = pd.to_numeric(column)
    if (numbers.dropna() % 1 != 0).any():
        raise SystemExit(f"{column.name}: a fractional value where a count was expected")
    return numbers.astype("Int64").astype("string")


def make_unhcr(folder: Path) -> None:
    applications = read(folder / "unhcr_asylum_applications_russians_and_in_netherlands.csv")
    russians = applications[applications.coo_iso == "RUS"].drop(columns=["coo_name"])
    write(russians.sort_values(["year", "coa_iso", "procedure_type", "app_type", "dec_level", "app_pc"]),
          "external/unhcr_asylum_applications_by_russians_2000_2025.csv")

    population = read(folder / "unhcr_population_of_concern_from_russia.csv")
    if population["oip"].notna().any():
        raise SystemExit("unhcr_population_of_concern_from_russia.csv: column oip now holds values; keep it")
    population = population.drop(columns=["coo_name", "oip"])
    for column in ["refugees", "asylum_seekers", "stateless", "ooc"]:
        population[column] = whole(population[column])
    write(population.sort_values(["year", "coa_iso"]), "external/unhcr_refugees_asylum_seekers_from_russia_1990_2025.csv")


def make_wpp(folder: Path) -> None:
    wpp = read(folder / "wpp2024_demographic_components_selected.csv")
    write(wpp[wpp.country_name == "Russian Federation"].sort_values("year", key=lambda y: y.astype(int)),
          "external/wpp2024_demographic_components_russia_1950_2023.csv")


def make_wdi(folder: Path) -> None:
    wdi = read(folder / "wdi_population_net_migration.csv")
    russia = wdi[wdi.country_code == "RUS"].copy()
    russia["population"] = whole(russia["population"])
    write(russia.sort_values("year", key=lambda y: y.astype(int)), "external/wdi_population_russia_1960_2025.csv")


def make_eurostat_asylum(folder: Path) -> None:
    by_sex = read(folder / "data" / "eurostat_asyappctza_russia_by_sex_nld_eu27_2011_2024.csv")
    write(by_sex.sort_values(["geo_iso3", "year", "sex"]), "external/eurostat_asylum_applicants_russians_by_sex_2011_2024.csv")


def make_russians_europe(folder: Path) -> None:
    citizens = read(folder / "gap1_eurostat_russian_citizens_9countries_1998_2024.csv")
    kept = citizens[citizens.dataset.isin(["migr_resfirst", "migr_pop1ctz"])]
    kept = kept[["dataset", "measure", "geo", "year", "value"]]
    write(kept.sort_values(["dataset", "geo", "year"]), "external/eurostat_russian_citizens_first_permits_residents_1998_2024.csv")

    employment = read(folder / "gap1_eurostat_resfirst_employment_russia_2008_2025.csv")
    for column, expected in [("dataset", "migr_resfirst"), ("reason", "EMP"), ("retrieved", "2026-08-12")]:
        if set(employment[column]) != {expected}:
            raise SystemExit(f"gap1_eurostat_resfirst_employment: {column} is not {expected} throughout")
    employment = employment[["geo", "iso3", "year", "first_permits_employment_russia",
                             "first_permits_employment_all_citizenships"]]
    write(employment.sort_values(["iso3", "year"]), "external/eurostat_first_permits_employment_russians_2008_2025.csv")

    page = read(folder / "gap1_cbs60032_russia_belarus_2022_page.csv")
    russia = page[page.country_of_origin_or_destination == "Rusland"].drop(columns=["table", "source_url"])
    write(russia, "pages/cbs60032_arrivals_from_russia_2022.csv")


def make_seed004_thresholds(seeds: Path) -> None:
    """Footnote 83 of the 2008 policy note (lines 864-866): the income criteria of the
    kennismigrantenregeling. Each number is parsed from the line that holds it."""
    lines = (seeds / SEED004).read_text(encoding="utf-8").split("\n")

    def find(pattern: str, first: int, last: int) -> tuple[re.Match, str]:
        text = " ".join(line.strip() for line in lines[first - 1:last])
        match = re.search(pattern, text)
        if not match:
            raise SystemExit(f"{SEED004}: '{pattern}' not found on lines {first}-{last}")
        return match, f"{first}-{last}" if first != last else str(first)

    def euro(text: str) -> str:
        return text.replace(".", "")  # Dutch thousands separator

    general, general_lines = find(r"meer verdienen dan Euro ([\d.]+) bruto per jaar", 864, 865)
    young, young_lines = find(r"jonger dan 30 jaar geldt een inkomenscriterium van Euro ([\d.]+) bruto/jaar", 865, 866)
    _, researchers_lines = find(r"wetenschappelijk onderzoekers geldt geen salariscriterium", 866, 866)
    rows = [
        {"group": "knowledge migrants (general criterion)", "group_nl": "kennismigranten",
         "threshold_eur_gross_per_year": euro(general[1]), "seed_lines": general_lines},
        {"group": "knowledge migrants under 30", "group_nl": "kennismigranten jonger dan 30 jaar",
         "threshold_eur_gross_per_year": euro(young[1]), "seed_lines": young_lines},
        {"group": "scientific researchers", "group_nl": "wetenschappelijk onderzoekers",
         "threshold_eur_gross_per_year": "", "seed_lines": researchers_lines},
    ]
    write(pd.DataFrame(rows), "seeds/seed004_kennismigrant_thresholds_2008.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--international", type=Path, required=True)
    parser.add_argument("--cbs", type=Path, required=True)
    parser.add_argument("--russians-europe", type=Path, required=True)
    parser.add_argument("--seeds", type=Path, required=True)
    args = parser.parse_args()
    make_unhcr(args.international)
    make_wpp(args.international)
    make_wdi(args.international)
    make_eurostat_asylum(args.cbs)
    make_russians_europe(args.russians_europe)
    make_seed004_thresholds(args.seeds)


if __name__ == "__main__":
    main()
