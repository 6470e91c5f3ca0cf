"""Rebuild every file in data/external/ and data/seeds/, and data/source_documents.csv,
from its public source.

Nothing here is typed in: each number is read from a pinned commit of a public
repository (read straight out of git, so no work tree is needed) or, for the
seed tables, parsed from the line of the source document that holds it. The
registry of source documents takes each file's line count and sha256 from the
file itself; its descriptive columns are what each document says about itself,
checked against the lines they cite (SOURCE_DOCUMENTS below).

Usage (run from the repository root):
    python data/scripts/make_data.py \
        --wdi-git     <git dir of github.com/datasets/world-development-indicators> \
        --undesa-git  <git dir of github.com/guyabel/stepladderChapter> \
        --seeds       <folder holding the seed text files>
or rebuild some parts only, giving just their sources, e.g.
    python data/scripts/make_data.py --only wdi --wdi-git <git dir>
    python data/scripts/make_data.py --only seeds --seeds <folder>
then refresh the hashes in data/datapackage.json:
    python data/scripts/update_datapackage_hashes.py
"""
from __future__ import annotations

import argparse
import hashlib
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from data_files import seed_lines

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


def merge_indicators(git_dir: str, indicators: dict[str, str], commit: str = WDI_COMMIT) -> pd.DataFrame:
    keys = ["country_name", "country_code", "year"]
    frames = [wdi_indicator(git_dir, code, name, commit).set_index(keys) for code, name in indicators.items()]
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

    # The World Bank figures as they stood in 2018, before later revisions (the 2015 article
    # worked with figures of its time: Moldova's population 2015 is 3,554,108 here, 2,835,978
    # in the 2026 vintage).
    wdi2018 = merge_indicators(git_dir, {
        "sp.pop.totl": "population",
        "bx.trf.pwkr.cd.dt": "remittances_received_usd",
        "ny.gdp.mktp.cd": "gdp_current_usd",
    }, commit=WDI_2018_COMMIT)  # population stays a number: this vintage has half persons (FRA 2014)
    wdi2018.to_csv(out / "wdi2018_population_remittances_gdp.csv", index=False)


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


@dataclass(frozen=True)
class Said:
    """What a source document says about itself, citing its lines: each (first, last, words)
    of `evidence` must stand on those lines of the seed file (whitespace collapsed), or
    make_source_documents() stops. Inferences are marked as such in the text."""
    text: str
    evidence: tuple[tuple[int, int, str], ...] = ()


NO_ADDRESS = "no web address of its own in the extract"

# The read (not computed) columns of data/source_documents.csv, one entry per seed file.
# Lines as `cat -n` and `sed -n` number them (L = line).
SOURCE_DOCUMENTS = {
    "000_e1450e3e99c1b5b0.txt": dict(
        chapters="1",
        document=Said(
            "no headline in the extract; it opens (L1-3): 'Rusland staat op de tweede plaats in de "
            "wereldranglijst als het gaat om aantallen migranten.'",
            ((1, 3, "Rusland staat op de tweede plaats in de wereldranglijst als het gaat om aantallen migranten."),)),
        kind_and_outlet=Said(
            "web article, section Achtergrond (its last line, L413: 'Terug naar ‘Achtergrond’'); "
            "outlet and author not stated in the extract",
            ((413, 413, "Terug naar ‘Achtergrond’"),)),
        date=Said(
            "c. March 2015 (inferred; the extract carries no date): it dates its migrant figures "
            "'per 20 januari 2015' (L399-401), cites a source of 9-2-2015 (L202) and calls the Tajik "
            "parliamentary elections (held on 1 March 2015) those 'van afgelopen 1 maart' (L369)",
            ((399, 401, "per 20 januari 2015"), (202, 202, "9-2-2015"),
             (369, 369, "parlementsverkiezingen in Tadzjikistan van afgelopen 1 maart"))),
        address_note=Said(
            NO_ADDRESS + "; the addresses it gives are of sources it cites: www.polit.ru (L70), "
            "www.materik.ru (L202, L232)",
            ((70, 70, "www.polit.ru"), (202, 202, "www.materik.ru"), (232, 232, "http://www.materik.ru/"))),
    ),
    "001_12cc6a5d36c896d5.txt": dict(
        chapters="2",
        document=Said(
            "Russen in ballingschap: 'Niemand zit echt te wachten op ons’ (L1)",
            ((1, 1, "Russen in ballingschap: 'Niemand zit echt te wachten op ons’"),)),
        kind_and_outlet=Said(
            "article with a byline, 'door Dénis van Vliet' (L7), a photo caption (L5) and a list of "
            "sources, 'BRONNEN: IND, ...' (L115); outlet not stated in the extract",
            ((7, 7, "door Dénis van Vliet"), (5, 5, "(foto European University Institute)"),
             (115, 115, "BRONNEN: IND,"))),
        date=Said(
            "c. mid-2024 (inferred; the extract carries no date): its latest figures are for 2023 "
            "(L11, L23); it places the Supreme Court's ruling on the 'internationale lhbti-beweging' "
            "(November 2023) 'vorig jaar' (L37) and mentions attention paid 'in mei' (L101)",
            ((11, 11, "In 2023 kreeg het Aziatische land"), (23, 23, "in 2023 4,8 miljoen vacatures"),
             (37, 37, "lhbti-beweging vorig jaar als extremistisch"), (101, 101, "in mei aandacht"))),
        address_note=Said(NO_ADDRESS),
    ),
    "002_5c5167c31e393191.txt": dict(
        chapters="2",
        document=Said(
            "no headline in the extract; it opens (L1): 'Russen die vanwege de oorlog willen vluchten, "
            "hebben in Nederland maar weinig kans op een verblijfsvergunning.'",
            ((1, 1, "Russen die vanwege de oorlog willen vluchten, hebben in Nederland maar weinig kans op "
                    "een verblijfsvergunning."),)),
        kind_and_outlet=Said(
            "news article with a 'Bekijk ook' link to a related article (L11), quoting 'hoogleraar "
            "migratierecht Tesseltje de Lange' (L15); outlet not stated in the extract",
            ((11, 11, "Bekijk ook"), (15, 15, "hoogleraar migratierecht Tesseltje de Lange"))),
        date=Said(
            "late 2023 or 2024 (inferred; the extract carries no date): it reports the whole of 2022 "
            "('In 2022 kwamen er bijna vier keer zoveel Russen', L9) and mentions 'de verkiezingsuitslag' "
            "(L41), most likely the Dutch general election of 22 November 2023",
            ((9, 9, "In 2022 kwamen er bijna vier keer zoveel Russen"), (41, 41, "de verkiezingsuitslag"))),
        address_note=Said(NO_ADDRESS),
    ),
    "003_301f203c46596c65.txt": dict(
        chapters="3",
        document=Said(
            "Samenleven in verscheidenheid (the running page header, e.g. L2250; the extract has no "
            "title page)",
            ((2250, 2250, "Samenleven in verscheidenheid"),)),
        kind_and_outlet=Said(
            "report of the Wetenschappelijke Raad voor het Regeringsbeleid (wrr): 'Dit rapport is "
            "gemaakt door de wrr-projectgroep' (L334); page header 'Rapport 167' (L5855)",
            ((334, 334, "Dit rapport is gemaakt door de wrr-projectgroep"), (5855, 5855, "Rapport 167"),
             (3700, 3700, "Wetenschappelijke Raad voor het Regeringsbeleid (wrr)"))),
        date=Said(
            "2020: its figures are marked '© wrr 2020' (e.g. L1023), and it was written during the "
            "covid-19 pandemic ('wanneer de covid-19-pandemie voorbij is', L12-13)",
            ((1023, 1023, "© wrr 2020"), (12, 13, "wanneer de covid-19-pandemie voorbij is"))),
        address_note=Said(
            NO_ADDRESS + "; it points to wrr.nl/adviesprojecten/migratiediversiteit for all publications "
            "of the project (L372-374)",
            ((373, 373, "wrr.nl/adviesprojecten/migratiediversiteit"),)),
    ),
    "004_9b263e1afd2b163e.txt": dict(
        chapters="4",
        document=Said(
            "Beleidsnotitie Internationale Migratie en Ontwikkeling 2008 (title, L1-3)",
            ((1, 3, "Beleidsnotitie Internationale Migratie en Ontwikkeling 2008"),)),
        kind_and_outlet=Said(
            "policy note (beleidsnotitie) of the Dutch government, promised to the Tweede Kamer ('Voor u "
            "ligt deze toegezegde notitie', L124-125), signed by the minister voor "
            "Ontwikkelingssamenwerking Bert Koenders and the staatssecretaris van Justitie Nebahat "
            "Albayrak (L21-24)",
            ((124, 125, "Voor u ligt deze toegezegde notitie Internationale Migratie en Ontwikkeling 2008"),
             (118, 118, "Tweede Kamer"),
             (21, 24, "De minister voor Ontwikkelingssamenwerking Bert Koenders De Staatssecretaris van "
                      "Justitie Nebahat Albayrak"))),
        date=Said(
            "2008 (title, L3); it cites a publication of April 2008 ('in april 2008', L952), so not "
            "before April 2008",
            ((3, 3, "2008"), (952, 952, "in april 2008"))),
        address_note=Said(
            NO_ADDRESS + "; www.cbs.nl (L231) and www.geldnaarhuis.nl (L969) are sources it cites",
            ((231, 231, "www.cbs.nl"), (969, 969, "www.geldnaarhuis.nl"))),
    ),
}


def make_source_documents(seeds_dir: str) -> None:
    found = sorted(path.name for path in Path(seeds_dir).glob("0*.txt"))
    if found != sorted(SOURCE_DOCUMENTS):
        raise SystemExit(f"{seeds_dir}: seed files {found} differ from SOURCE_DOCUMENTS {sorted(SOURCE_DOCUMENTS)}")
    rows = []
    for seed_file, said in sorted(SOURCE_DOCUMENTS.items()):
        content = (Path(seeds_dir) / seed_file).read_bytes()
        lines = seed_lines(content)
        for column in ("document", "kind_and_outlet", "date", "address_note"):
            for first, last, words in said[column].evidence:
                if not 1 <= first <= last <= len(lines):
                    raise SystemExit(f"{seed_file}: {column} cites L{first}-{last}, outside its {len(lines)} lines")
                stood = " ".join(" ".join(lines[first - 1:last]).split())
                if " ".join(words.split()) not in stood:
                    raise SystemExit(f"{seed_file}: {column}: '{words}' does not stand on L{first}-{last}")
        rows.append({"seed_file": seed_file, "document": said["document"].text,
                     "kind_and_outlet": said["kind_and_outlet"].text, "date": said["date"].text,
                     "address": said.get("address", ""), "address_note": said["address_note"].text,
                     "lines": len(lines), "sha256": hashlib.sha256(content).hexdigest(),
                     "chapters": said["chapters"]})
    pd.DataFrame(rows).to_csv(DATA / "source_documents.csv", index=False)


PARTS = {"wdi": "--wdi-git", "undesa": "--undesa-git", "seeds": "--seeds"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wdi-git", help="git dir of github.com/datasets/world-development-indicators")
    parser.add_argument("--undesa-git", help="git dir of github.com/guyabel/stepladderChapter")
    parser.add_argument("--seeds", help="folder holding the five seed text files")
    parser.add_argument("--only", nargs="+", choices=sorted(PARTS), default=sorted(PARTS),
                        help="rebuild these parts only (default: all): wdi = data/external/wdi*.csv, "
                             "undesa = data/external/undesa_*.csv, seeds = data/seeds/*.csv and "
                             "data/source_documents.csv")
    args = parser.parse_args()
    missing = [PARTS[part] for part in args.only if getattr(args, PARTS[part][2:].replace("-", "_")) is None]
    if missing:
        parser.error(f"the parts {', '.join(args.only)} need {', '.join(missing)}")
    if "wdi" in args.only:
        make_wdi(args.wdi_git)
    if "undesa" in args.only:
        make_undesa(args.undesa_git)
    if "seeds" in args.only:
        make_seed000(args.seeds)
        make_source_documents(args.seeds)
    paths = sorted((DATA / "external").glob("*.csv")) + sorted((DATA / "seeds").glob("*.csv"))
    for path in paths + [DATA / "source_documents.csv"]:
        print(f"{path.relative_to(DATA)}: {sum(1 for _ in path.open()) - 1} rows, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
