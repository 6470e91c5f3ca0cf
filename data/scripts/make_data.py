"""Rebuild every file in data/external/ and data/seeds/ from its public source.

Nothing here is typed in: each number is read from a pinned commit of a public
repository (read straight out of git, so no work tree is needed) or, for the
seed tables, parsed from the line of the source document that holds it.

Usage (run from the repository root):
    python data/scripts/make_data.py \
        --wdi-git     <git dir of github.com/datasets/world-development-indicators> \
        --undesa-git  <git dir of github.com/guyabel/stepladderChapter> \
        --seeds       <folder holding the seed text files>
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

DATA = Path(__file__).resolve().parents[1]

# World Bank WDI as mirrored by datasets/world-development-indicators (CC BY 4.0).
WDI_COMMIT = "4ebec5a2273f531ba238a34dbe440394dc5a6c4b"  # 2026-07-01 "Automated data update"
# The first commit that held the indicator files: its migrant-stock series is the
# UN revision WDI used in 2018, kept as a second vintage because the UN rewrites history.
WDI_2018_COMMIT = "e73c49d5ab4381c90d5dca35274953b25031fc2a"  # 2018-08-01
# UN DESA International Migrant Stock 2019, origin x destination, cleaned by Guy Abel.
UNDESA_COMMIT = "4a81585e8ca3566aed8fd48c2870d316fe06f53f"
UNDESA_PATH = "archive/UN_MigrantStockByOriginAndDestination_2019_clean.csv"

FIRST_YEAR = 1990


def git_show(git_dir: str, commit: str, path: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout


def wdi_indicator(git_dir: str, code: str, name: str, commit: str = WDI_COMMIT) -> pd.DataFrame:
    frame = pd.read_csv(io.BytesIO(git_show(git_dir, commit, f"indicators/{code}/data.csv")))
    frame.columns = ["country_name", "country_code", "year", name]
    return frame


def merge_indicators(git_dir: str, indicators: dict[str, str]) -> pd.DataFrame:
    keys = ["country_name", "country_code", "year"]
    frames = [wdi_indicator(git_dir, code, name).set_index(keys) for code, name in indicators.items()]
    merged = pd.concat(frames, axis=1).reset_index()
    merged = merged[merged.year >= FIRST_YEAR]
    return merged.sort_values(["country_code", "year"]).reset_index(drop=True)


def make_wdi(git_dir: str) -> None:
    out = DATA / "external"
    merge_indicators(git_dir, {
        "bx.trf.pwkr.cd.dt": "remittances_received_usd",
        "dt.oda.odat.cd": "net_oda_received_usd",
        "bx.klt.dinv.cd.wd": "fdi_net_inflows_usd",
        "ny.gdp.mktp.cd": "gdp_current_usd",
    }).to_csv(out / "wdi_remittances_oda_fdi_gdp.csv", index=False)

    population = merge_indicators(git_dir, {"sp.pop.totl": "population", "sm.pop.netm": "net_migration"})
    population["population"] = population["population"].astype("Int64")
    population.to_csv(out / "wdi_population_net_migration.csv", index=False)

    merge_indicators(git_dir, {"pa.nus.fcrf": "lcu_per_usd"}).to_csv(
        out / "wdi_official_exchange_rate.csv", index=False)

    vintages = []
    for commit, vintage in [(WDI_COMMIT, "wdi_2026-07-01"), (WDI_2018_COMMIT, "wdi_2018-08-01")]:
        stock = wdi_indicator(git_dir, "sm.pop.totl", "international_migrant_stock", commit)
        vintages.append(stock.assign(vintage=vintage))
    stock = pd.concat(vintages)
    stock = stock[stock.year >= FIRST_YEAR].sort_values(["vintage", "country_code", "year"])
    stock.to_csv(out / "wdi_international_migrant_stock.csv", index=False)


def make_undesa(git_dir: str) -> None:
    wide = pd.read_csv(io.BytesIO(git_show(git_dir, UNDESA_COMMIT, UNDESA_PATH)),
                       na_values=["..", "-"])  # ".." not available, "-" nil
    long = wide.melt(id_vars=["Year", "Dest"], var_name="origin", value_name="migrant_stock")
    long = long.rename(columns={"Year": "year", "Dest": "destination"})
    long = long[long.migrant_stock.notna() & (long.migrant_stock > 0)]
    long["migrant_stock"] = long["migrant_stock"].astype("int64")
    out = DATA / "external"

    # Corridors the chapters read: everyone in Russia and in the Netherlands, and
    # everyone born in Russia, Central Asia or the other CIS states, wherever they live.
    destinations = ["Russian Federation", "Netherlands"]
    origins = ["Russian Federation", "Tajikistan", "Kyrgyzstan", "Uzbekistan", "Kazakhstan",
               "Turkmenistan", "Republic of Moldova", "Armenia", "Azerbaijan", "Georgia",
               "Ukraine", "Belarus"]
    missing = sorted(set(destinations + origins) - set(long.destination) - set(long.origin))
    if missing:
        raise SystemExit(f"{UNDESA_PATH}: countries not found: {missing}")
    selected = long[long.destination.isin(destinations) | long.origin.isin(origins)]
    selected.sort_values(["year", "destination", "origin"]).to_csv(
        out / "undesa_ims2019_bilateral_migrant_stock_selected.csv", index=False)

    # One total per destination, for ranking countries in the 2019 revision. The
    # cleaned matrix has country columns only, so this is the sum over named origins;
    # destination rows that are regions ("South America") are dropped by keeping only
    # destinations that also appear as an origin column, i.e. countries.
    countries = set(long.origin)
    totals = (long[long.destination.isin(countries)].groupby(["year", "destination"], as_index=False)["migrant_stock"].sum()
              .rename(columns={"migrant_stock": "migrant_stock_sum_of_origins"}))
    totals.sort_values(["year", "destination"]).to_csv(
        out / "undesa_ims2019_destination_totals.csv", index=False)


# Seed 000 ("Rusland tweede migratieland"), Tabel 1 and Tabel 2: Dutch country name ->
# (English name, ISO 3166 alpha-3). The numbers themselves are parsed from the seed lines.
SEED000_COUNTRIES = {
    "Oekraïne": ("Ukraine", "UKR"), "Oezbekistan": ("Uzbekistan", "UZB"),
    "Tadzjikistan": ("Tajikistan", "TJK"), "Kazachstan": ("Kazakhstan", "KAZ"),
    "Azerbeidzjan": ("Azerbaijan", "AZE"), "Moldavië": ("Moldova", "MDA"),
    "Kirgizstan": ("Kyrgyzstan", "KGZ"), "Wit-Rusland": ("Belarus", "BLR"),
    "Armenië": ("Armenia", "ARM"),
}
SEED000 = "000_e1450e3e99c1b5b0.txt"


def dutch_number(text: str) -> float:
    """'2.417.575' -> 2417575; '5,6' -> 5.6 (Dutch thousands dot, decimal comma)."""
    return float(text.replace(".", "").replace(",", "."))


def seed_rows(lines: list[str], first: int, last: int, pattern: str) -> list[tuple[int, re.Match]]:
    rows = []
    for number in range(first, last + 1):
        match = re.match(pattern, lines[number - 1].strip())
        if match:
            rows.append((number, match))
    return rows


def make_seed000(seeds_dir: str) -> None:
    lines = (Path(seeds_dir) / SEED000).read_text(encoding="utf-8").splitlines()
    out = DATA / "seeds"
    names = "|".join(map(re.escape, SEED000_COUNTRIES))

    tabel1 = []
    for line, m in seed_rows(lines, 181, 202, rf"^({names})\s+([\d.]+)\s+([\d,]+)$"):
        english, iso3 = SEED000_COUNTRIES[m[1]]
        tabel1.append({"country_nl": m[1], "country": english, "iso3": iso3,
                       "immigrants": int(dutch_number(m[2])),
                       "share_of_home_population_pct": dutch_number(m[3]), "seed_line": line})
    if len(tabel1) != 9:
        raise SystemExit(f"{SEED000}: expected 9 rows in Tabel 1, parsed {len(tabel1)}")
    pd.DataFrame(tabel1).to_csv(out / "seed000_tabel1_cis_migrants_in_russia_2015.csv", index=False)

    tabel2 = []
    for line, m in seed_rows(lines, 291, 305, rf"^({names})\s+([\d,]+) miljard\s+(\d+) dollar$"):
        english, iso3 = SEED000_COUNTRIES[m[1]]
        tabel2.append({"country_nl": m[1], "country": english, "iso3": iso3,
                       "total_usd": round(dutch_number(m[2]) * 1e9),
                       "average_transfer_usd": int(m[3]), "seed_line": line})
    if len(tabel2) != 8:
        raise SystemExit(f"{SEED000}: expected 8 rows in Tabel 2, parsed {len(tabel2)}")
    pd.DataFrame(tabel2).to_csv(out / "seed000_tabel2_remittances_2013.csv", index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wdi-git", required=True)
    parser.add_argument("--undesa-git", required=True)
    parser.add_argument("--seeds", required=True)
    args = parser.parse_args()
    make_wdi(args.wdi_git)
    make_undesa(args.undesa_git)
    make_seed000(args.seeds)
    for path in sorted((DATA / "external").glob("*.csv")) + sorted((DATA / "seeds").glob("*.csv")):
        print(f"{path.relative_to(DATA)}: {sum(1 for _ in path.open()) - 1} rows, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
