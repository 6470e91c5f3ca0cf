"""Chapter 4: migration and development (source document 004, the Dutch policy note of 2008).

Its tables (data frames in, data frames out): the note's Tabel 1 of asylum applications beside
UNHCR's count for the Netherlands; migrant stocks summed into the six UN regions of the note's
Figure 3, with the years of incomplete coverage flagged; remittances, aid and investment; remittance
shares of GDP in two editions of the World Bank's data; a profile of one country. And its checks
of the claims ledger (data/claims.csv), registered with the claims engine.

Countries are grouped into UN regions with `country_converter` (its UN sub-region column), a
maintained classification, never a hand-written list of countries; only the UN's own nesting of
its sub-regions into the six regions the note draws is written out here (UN_REGIONS).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

from . import data, indicators
from .claims import INDEPENDENT, INTERNAL, Recomputed, check, ref_year, vintage

# --- UN regions (the note's Figure 3) -------------------------------------------------------------

# The six regions ("major areas") of the note's Figure 3 in its legend's order, and the UN M49
# sub-regions (country_converter's `UNregion`) that make up each.
REGIONS = ["Africa", "Asia", "Europe", "Latin America and the Caribbean", "Northern America", "Oceania"]
REGIONS_NL = {"Africa": "Afrika", "Asia": "Azië", "Europe": "Europa",
              "Latin America and the Caribbean": "Latijns Amerika en Caraïbisch gebied",
              "Northern America": "Noord-Amerika", "Oceania": "Oceanië"}
UN_REGIONS = {
    "Eastern Africa": "Africa", "Middle Africa": "Africa", "Northern Africa": "Africa", "Southern Africa": "Africa",
    "Western Africa": "Africa",
    "Central Asia": "Asia", "Eastern Asia": "Asia", "South-eastern Asia": "Asia", "Southern Asia": "Asia",
    "Western Asia": "Asia",
    "Eastern Europe": "Europe", "Northern Europe": "Europe", "Southern Europe": "Europe", "Western Europe": "Europe",
    "Caribbean": "Latin America and the Caribbean", "Central America": "Latin America and the Caribbean",
    "South America": "Latin America and the Caribbean",
    "Northern America": "Northern America",
    "Australia and New Zealand": "Oceania", "Melanesia": "Oceania", "Micronesia": "Oceania", "Polynesia": "Oceania",
}
EDITION_2018 = "UN estimates, World Bank 2018"
EDITION_2026 = "UN 2024 revision, World Bank 2026"
EDITIONS = {"wdi_2018-08-01": EDITION_2018, "wdi_2026-07-01": EDITION_2026}


@lru_cache(maxsize=None)
def _converter():
    """country_converter's CountryConverter, built under the pandas-3 workaround: its table reads
    Namibia's ISO2 code "NA" as missing unless pandas.read_csv keeps default NA strings as text."""
    original = pd.read_csv

    def read_csv(*args, **kwargs):
        kwargs.setdefault("keep_default_na", False)
        return original(*args, **kwargs)

    pd.read_csv = read_csv
    try:
        import country_converter

        logging.getLogger("country_converter").setLevel(logging.ERROR)  # "not found" is handled here
        return country_converter.CountryConverter()
    finally:
        pd.read_csv = original


@lru_cache(maxsize=None)
def _region_by_code() -> dict[str, str]:
    """ISO3 code -> the note's UN region, from country_converter's own classification table (the
    file its CountryConverter reads). Grouping needs only that table, not the converter's ~500
    name patterns, which cost a quarter of a second to compile; keep_default_na=False is the
    pandas-3 workaround (Namibia's "NA"). Entries the table marks obsolete are kept, as the
    converter's include_obsolete=True would: the World Bank still publishes the Channel Islands
    (CHI) as one economy, and the UN counts them in Northern Europe."""
    from country_converter.country_converter import COUNTRY_DATA_FILE

    table = pd.read_csv(COUNTRY_DATA_FILE, sep="\t", encoding="utf-8", usecols=["ISO3", "UNregion"],
                        dtype=str, keep_default_na=False)
    if table["ISO3"].duplicated().any():
        raise ValueError(f"{COUNTRY_DATA_FILE}: an ISO3 code stands twice in country_converter's table")
    regions = table["UNregion"].map(UN_REGIONS)
    return dict(zip(table.loc[regions.notna(), "ISO3"], regions.dropna()))


def un_regions(codes: Iterable[str]) -> pd.Series:
    """The note's UN region of each ISO3 code (NaN where the classification has none, e.g. Kosovo,
    XKX, or an aggregate), by code."""
    lookup = _region_by_code()
    codes = list(dict.fromkeys(codes))
    return pd.Series([lookup.get(code) for code in codes], index=codes, name="region", dtype="object")


def iso3_from_any(text: str) -> str | None:
    """An ISO3 code for a country name in any common spelling, or None (country_converter's regexes)."""
    converter = _converter()
    found = converter.convert(text, to="ISO3", not_found=None)
    # not_found=None hands back the input itself: only a code of the classification counts as found
    return found if isinstance(found, str) and found in set(converter.data["ISO3"].astype(str)) else None


def un_names_by_code(names: Iterable[str]) -> dict[str, str]:
    """ISO3 code -> the UN's country name, for the names (e.g. the origins of undesa_bilateral_stock)
    that ISO 3166 knows; regions and other groupings are left out."""
    found = {}
    for name in dict.fromkeys(names):
        try:
            found.setdefault(indicators.iso3_from_name(str(name)), str(name))
        except KeyError:
            continue
    return found


def migrant_stock_by_region(wdi_stock: pd.DataFrame, stock_before_1990: pd.DataFrame) -> pd.DataFrame:
    """International migrant stock summed into the six UN regions, per edition and year.

    wdi_stock: wdi_migrant_stock (two editions from 1990); stock_before_1990: the 2018 edition's
    1960-1985. Returns edition, vintage, year, region, migrant_stock, economies (how many were
    summed), missing (economies of the region with a 1990 value but none that year), complete."""
    early = stock_before_1990.assign(vintage="wdi_2018-08-01")
    stock = pd.concat([early, wdi_stock[early.columns]], ignore_index=True)
    stock = indicators.drop_aggregates(stock)
    stock["international_migrant_stock"] = stock["international_migrant_stock"].astype(float)
    stock["region"] = stock["country_code"].astype(str).map(un_regions(stock["country_code"].astype(str)))
    stock = stock.dropna(subset=["region"])
    summed = (stock.groupby(["vintage", "year", "region"], as_index=False)
              .agg(migrant_stock=("international_migrant_stock", "sum"),
                   economies=("country_code", "nunique")))
    # The coverage of each region in 1990, the first year both editions cover fully.
    in_1990 = stock[stock.year == 1990].groupby(["vintage", "region"])["country_code"].nunique().rename("economies_1990")
    summed = summed.merge(in_1990.reset_index(), on=["vintage", "region"], how="left")
    # missing: the region's economies of 1990 without a value that year
    base = stock.loc[stock.year == 1990, ["vintage", "country_code"]].drop_duplicates().assign(in_1990=True)
    from_base = (stock.merge(base, on=["vintage", "country_code"], how="left")
                 .drop_duplicates(["vintage", "year", "region", "country_code"])
                 .groupby(["vintage", "year", "region"])["in_1990"].count().rename("present"))
    summed = summed.merge(from_base.reset_index(), on=["vintage", "year", "region"], how="left")
    summed["missing"] = (summed["economies_1990"].fillna(0) - summed["present"].fillna(0)).astype(int)
    summed["complete"] = summed["missing"].eq(0)
    summed["edition"] = summed["vintage"].map(EDITIONS)
    summed["year"] = summed["year"].astype(int)
    return summed[["edition", "vintage", "year", "region", "migrant_stock", "economies", "missing", "complete"]]


def economies_without_region(wdi_stock: pd.DataFrame) -> pd.DataFrame:
    """Economies with a migrant stock that the classification places in no UN region."""
    economies = indicators.drop_aggregates(wdi_stock)
    regions = un_regions(economies["country_code"].astype(str))
    return economies[economies["country_code"].astype(str).map(regions).isna()]


def missing_before_1990(wdi_stock: pd.DataFrame, stock_before_1990: pd.DataFrame) -> pd.DataFrame:
    """The economies the 2018 edition holds for 1990 but not for 1985, with their 1990 stock."""
    edition = indicators.drop_aggregates(wdi_stock[wdi_stock.vintage == "wdi_2018-08-01"])
    in_1990 = edition[edition.year == 1990]
    earlier = set(stock_before_1990.loc[stock_before_1990.year == 1985, "country_code"].astype(str))
    missing = in_1990[~in_1990["country_code"].astype(str).isin(earlier)]
    return missing[["country_code", "country_name", "international_migrant_stock"]].reset_index(drop=True)


def world_stock(wdi_stock: pd.DataFrame, stock_before_1990: pd.DataFrame) -> pd.DataFrame:
    """The World Bank's world total (WLD) per edition and year: edition, vintage, year, migrant_stock."""
    early = stock_before_1990.assign(vintage="wdi_2018-08-01")
    stock = pd.concat([early, wdi_stock[early.columns]], ignore_index=True)
    world = stock[stock.country_code == "WLD"].rename(columns={"international_migrant_stock": "migrant_stock"})
    world = world.assign(edition=world["vintage"].map(EDITIONS), year=world["year"].astype(int),
                         migrant_stock=world["migrant_stock"].astype(float))
    return world[["edition", "vintage", "year", "migrant_stock"]].sort_values(["vintage", "year"]).reset_index(drop=True)


def interpolated(series: pd.Series, year: int) -> float:
    """A value of a year-indexed series at `year`, linear between the published years around it."""
    series = series.dropna().sort_index()
    if year in series.index:
        return float(series[year])
    before, after = series[series.index < year], series[series.index > year]
    if before.empty or after.empty:
        raise ValueError(f"no values on both sides of {year}")
    (y0, v0), (y1, v1) = (before.index[-1], before.iloc[-1]), (after.index[0], after.iloc[0])
    return float(v0 + (year - y0) / (y1 - y0) * (v1 - v0))


# --- Tabel 1 and UNHCR ----------------------------------------------------------------------------

# Tabel 1's Serbia and Montenegro (one state until 2006) in UNHCR's codes.
UNHCR_CODES = {"SCG": ("SRB", "MNE")}


def tabel1_totals(tabel1: pd.DataFrame) -> pd.Series:
    """Tabel 1's ten nationalities summed per year (what its printed 'Totaal' column should say)."""
    return tabel1.groupby("year")["applications"].sum().astype(int)


def tabel1_wide(tabel1: pd.DataFrame) -> pd.DataFrame:
    """Tabel 1 as printed: years down, nationalities (ISO3) across, in the note's order."""
    order = list(dict.fromkeys(tabel1["iso3"]))
    return tabel1.pivot(index="year", columns="iso3", values="applications")[order].astype(int)


def unhcr_by_origin(unhcr: pd.DataFrame) -> pd.DataFrame:
    """UNHCR's applications in the Netherlands summed per year and origin (every application type)."""
    table = unhcr.groupby(["year", "coo_iso"], as_index=False).agg(coo_name=("coo_name", "first"),
                                                                   applications=("applied", "sum"))
    return table.astype({"year": int, "applications": int})


def unhcr_totals(unhcr: pd.DataFrame) -> pd.Series:
    """All asylum applications in the Netherlands per year, all origins (UNHCR)."""
    return unhcr.groupby("year")["applied"].sum().astype(int)


def unhcr_for_tabel1(unhcr: pd.DataFrame, tabel1: pd.DataFrame,
                     by_origin: pd.DataFrame | None = None) -> pd.DataFrame:
    """UNHCR's applications for Tabel 1's ten nationalities, by year (rows) and Tabel 1's ISO3 codes
    (columns); Serbia and Montenegro is the sum of UNHCR's two codes. by_origin: unhcr_by_origin(unhcr),
    if already computed."""
    by_origin = unhcr_by_origin(unhcr) if by_origin is None else by_origin
    by_origin = by_origin.pivot(index="year", columns="coo_iso", values="applications").fillna(0)
    columns = {}
    for code in dict.fromkeys(tabel1["iso3"]):
        parts = [part for part in UNHCR_CODES.get(code, (code,)) if part in by_origin.columns]
        columns[code] = by_origin[parts].sum(axis=1) if parts else 0
    return pd.DataFrame(columns, index=by_origin.index).astype(int)


def all_origin_ranks(by_origin: pd.DataFrame) -> pd.DataFrame:
    """unhcr_by_origin's rows ranked within each year by applications (1 = most); only countries,
    not 'unknown' or other UNHCR codes without an ISO country."""
    countries = by_origin[by_origin["coo_iso"].map(indicators.is_economy).astype(bool)]
    return indicators.rank_within(countries, "applications", "year")


def origin_ranks(unhcr: pd.DataFrame, year: int) -> pd.DataFrame:
    """Origins ranked by their applications in the Netherlands in `year` (see all_origin_ranks)."""
    by_origin = unhcr_by_origin(unhcr)
    return all_origin_ranks(by_origin[by_origin.year == year])


def rises(totals: pd.Series, base_year: int, last_year: int) -> list[int]:
    """The years after `base_year` up to `last_year` whose value exceeds the year before's."""
    years = [year for year in range(base_year + 1, last_year + 1) if year in totals.index and year - 1 in totals.index]
    return [year for year in years if totals[year] > totals[year - 1]]


def risen(wide: pd.DataFrame, year: int) -> list[str]:
    """The columns (nationalities) of a year-by-nationality table that rose from year - 1 to year."""
    if year not in wide.index or year - 1 not in wide.index:
        raise ValueError(f"the table has no {year - 1} and {year} to compare")
    return [code for code in wide.columns if wide.at[year, code] > wide.at[year - 1, code]]


def asylum_comparison(tabel1: pd.DataFrame, unhcr: pd.DataFrame) -> pd.DataFrame:
    """Per year and Tabel 1 nationality: Tabel 1's count, UNHCR's, and the difference in %."""
    table = tabel1[["year", "iso3", "nationality", "applications"]].rename(columns={"applications": "tabel1"})
    theirs = unhcr_for_tabel1(unhcr, tabel1).stack().rename("unhcr").reset_index().rename(columns={"level_1": "iso3"})
    theirs.columns = ["year", "iso3", "unhcr"]
    table = table.merge(theirs, on=["year", "iso3"], how="left")
    table["difference_pct"] = indicators.relative_difference_pct(table["tabel1"].astype(float),
                                                                 table["unhcr"].astype(float))
    return table


# --- remittances, aid and investment ---------------------------------------------------------------

FLOWS = {"remittances_received_usd": "Remittances received", "fdi_net_inflows_usd": "Foreign direct investment",
         "net_oda_received_usd": "Net official development assistance"}


def external_flows(wdi: pd.DataFrame, code: str = "LMY") -> pd.DataFrame:
    """The three flows to one economy or aggregate, wide by year (US$), years with all three."""
    rows = wdi[wdi.country_code == code].set_index("year")[list(FLOWS)].astype(float)
    rows.index = rows.index.astype(int)
    return rows.dropna()


def flow_ranks(flows: pd.DataFrame) -> pd.DataFrame:
    """Each flow's rank among the three in each year (1 = largest)."""
    return flows.rank(axis=1, ascending=False, method="min").astype(int)


def overtook_since(flows: pd.DataFrame, larger: str, smaller: str) -> int | None:
    """The first year from which `larger` exceeds `smaller` in every later year, or None."""
    above = flows[larger] > flows[smaller]
    if not above.iloc[-1]:
        return None
    below = above[~above]
    return int(above.index[0] if below.empty else above.index[above.index > below.index[-1]][0])


# --- remittances as a share of GDP ---------------------------------------------------------------

def remittance_shares(frame: pd.DataFrame, codes: Iterable[str], year: int) -> pd.Series:
    """Remittances as % of GDP (100 x remittances / GDP) for each code (economy or aggregate) in
    `year`; NaN where either side is missing."""
    rows = frame[(frame.year == year) & frame.country_code.isin(list(codes))].set_index("country_code")
    share = indicators.share_pct(rows["remittances_received_usd"].astype(float), rows["gdp_current_usd"].astype(float))
    return share.reindex(list(codes))


def share_revisions(then: pd.DataFrame, now: pd.DataFrame, codes: Iterable[str], year: int) -> pd.DataFrame:
    """How a remittance share of GDP moved between two editions of the World Bank's data, and on
    which side: per code, the share in each edition (%), and the revision of remittances and of
    GDP (% change from the older edition `then` to `now`). Codes missing from either are left out."""
    columns = ["remittances_received_usd", "gdp_current_usd"]
    codes = list(codes)
    old, new = ([frame[(frame.year == year) & frame.country_code.isin(codes)].set_index("country_code")[columns]
                 .astype(float).dropna() for frame in (then, now)])
    both = [code for code in codes if code in old.index and code in new.index]
    old, new = old.loc[both], new.loc[both]
    return pd.DataFrame({
        "share_then": indicators.share_pct(old["remittances_received_usd"], old["gdp_current_usd"]),
        "share_now": indicators.share_pct(new["remittances_received_usd"], new["gdp_current_usd"]),
        "remittances_revised_pct": indicators.relative_difference_pct(new["remittances_received_usd"],
                                                                      old["remittances_received_usd"]),
        "gdp_revised_pct": indicators.relative_difference_pct(new["gdp_current_usd"], old["gdp_current_usd"]),
    }, index=pd.Index(both, name="country_code"))


def latest_year_with(frame: pd.DataFrame, code: str, columns: list[str]) -> int:
    """The latest year in which `code` has every one of `columns`."""
    rows = frame[frame.country_code == code].dropna(subset=columns)
    if rows.empty:
        raise ValueError(f"no year with {', '.join(columns)} for {code}")
    return int(rows["year"].max())


# --- a country's profile -------------------------------------------------------------------------

PROFILE_PANELS = {"money": "Money received, billion US$", "people": "People, millions",
                  "net": "Net migration, thousands a year"}


def country_profile(code: str, wdi: pd.DataFrame, population: pd.DataFrame, wdi_stock: pd.DataFrame,
                    ims2020: pd.DataFrame) -> pd.DataFrame:
    """One tidy table (panel, series, year, value) of a country's remittances, ODA and FDI (billion
    US$), immigrants (UN 2024 revision) and emigrants abroad (UN 2020 edition) in millions, and net
    migration (thousands a year)."""
    flows = wdi[wdi.country_code == code].set_index("year")[list(FLOWS)].astype(float) / 1e9
    money = flows.rename(columns=FLOWS).rename_axis(columns="series").stack().rename("value").reset_index()
    money["panel"] = PROFILE_PANELS["money"]
    stock = wdi_stock[(wdi_stock.country_code == code) & (wdi_stock.vintage == "wdi_2026-07-01")]
    immigrants = pd.DataFrame({"year": stock["year"], "value": stock["international_migrant_stock"].astype(float) / 1e6,
                               "series": "Immigrants living there (UN 2024 revision)"})
    abroad = ims2020[ims2020.country_code == code]
    emigrants = pd.DataFrame({"year": abroad["year"], "value": abroad["emigrants_abroad"].astype(float) / 1e6,
                              "series": "Emigrants living abroad (UN 2020 edition)"})
    people = pd.concat([immigrants, emigrants], ignore_index=True).assign(panel=PROFILE_PANELS["people"])
    net = population[population.country_code == code]
    net = pd.DataFrame({"year": net["year"], "value": net["net_migration"].astype(float) / 1e3,
                        "series": "Net migration (UN estimate)", "panel": PROFILE_PANELS["net"]})
    net = net[net.year >= 1990]
    profile = pd.concat([money, people, net], ignore_index=True).dropna(subset=["value"])
    profile["year"] = profile["year"].astype(int)
    return profile[["panel", "series", "year", "value"]].sort_values(["panel", "series", "year"]).reset_index(drop=True)


def join_words(parts: Iterable[str], empty: str = "none") -> str:
    """'a', 'a and b', 'a, b and c' (empty when there are none)."""
    parts = [str(part) for part in parts]
    if not parts:
        return empty
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# --- the focus country (a parameter) --------------------------------------------------------------

def economies_with_remittances(wdi: pd.DataFrame) -> pd.Series:
    """Name by ISO3 code of every economy (no aggregates) with at least one year of remittance data."""
    economies = indicators.drop_aggregates(wdi).dropna(subset=["remittances_received_usd"])
    return economies.drop_duplicates("country_code").set_index("country_code")["country_name"].astype(str).sort_values()


def resolve_country(name: str, parameter: str, choices: pd.Series) -> tuple[str, str]:
    """(ISO3 code, name) for a country given by name or ISO3 code, in any case; names the World Bank
    does not use are matched by country_converter ('Ivory Coast'). Stops with ParameterError naming
    the parameter and every valid choice otherwise. choices: name by code (economies_with_remittances)."""
    from .parameters import ParameterError

    text = name.strip()
    by_name = {value.casefold(): code for code, value in choices.items()}
    code = text.upper() if text.upper() in choices.index else by_name.get(text.casefold()) or iso3_from_any(text)
    if code not in choices.index:
        raise ParameterError(f"parameter {parameter}={name!r} is not a country with remittance data in the World "
                             "Bank's series; give a name or an ISO3 code, one of: "
                             + ", ".join(f"{value} ({code})" for code, value in choices.items()))
    return code, choices[code]


# --- chapter 4's checks of the claims ledger (data/claims.csv, column `check`) ---------------------

TABEL1_VINTAGE = "the note's own Tabel 1 (IND)"
UNHCR_BASIS = "UNHCR, every application type summed"


@lru_cache(maxsize=None)
def _asylum(root: str) -> dict:
    """Tabel 1 and UNHCR's series in the shapes the checks need, computed once per data folder."""
    tabel1, unhcr = data.load("seed004_tabel1_asylum_nl"), data.load("unhcr_asylum_nld")
    by_origin = unhcr_by_origin(unhcr)
    return {"wide": tabel1_wide(tabel1), "totals": tabel1_totals(tabel1),
            "names": tabel1.drop_duplicates("iso3").set_index("iso3")["nationality"],
            "by_origin": by_origin, "unhcr_names": by_origin.drop_duplicates("coo_iso").set_index("coo_iso")["coo_name"],
            "unhcr_totals": unhcr_totals(unhcr), "unhcr_ten": unhcr_for_tabel1(unhcr, tabel1, by_origin),
            "ranks": all_origin_ranks(by_origin)}


def _tables() -> dict:
    return _asylum(str(data.book_root()))


def asylum_tables() -> dict:
    """Tabel 1 and UNHCR's series for the Netherlands, shaped once per data folder and shared by the
    checks and the chapter: wide and totals (Tabel 1), names (its nationalities by code), by_origin,
    unhcr_names, unhcr_totals, unhcr_ten (UNHCR for Tabel 1's ten) and ranks (all origins ranked
    per year). Treat them as read-only."""
    return _tables()


def _codes(argument: str) -> list[str]:
    return [code.strip() for code in argument.split("+") if code.strip()]


def _year_in(table: pd.DataFrame, year: int, what: str) -> None:
    if year not in table.index or year - 1 not in table.index:
        raise ValueError(f"{what} has no {year - 1} and {year} to compare")


@check("asylum_table_total", kind=INTERNAL, arguments=("year, or 'all' for every year",))
def _asylum_table_total(args, claim, ledger) -> Recomputed:
    totals = _tables()["totals"]
    if args[0] == "all":
        return Recomputed(float(totals.sum()), f"the ten nationalities of Tabel 1 summed over {len(totals)} years",
                          TABEL1_VINTAGE)
    year = int(args[0])
    if year not in totals.index:
        raise ValueError(f"Tabel 1 has no year {year}")
    return Recomputed(float(totals[year]), f"the ten nationalities of Tabel 1 summed for {year}", TABEL1_VINTAGE)


@check("asylum_table_count", kind=INTERNAL, arguments=("ISO3 code of a Tabel 1 nationality",))
def _asylum_table_count(args, claim, ledger) -> Recomputed:
    year, tables = ref_year(claim), _tables()
    return Recomputed(float(tables["wide"].at[year, args[0]]), f"Tabel 1, {tables['names'][args[0]]}, {year}",
                      TABEL1_VINTAGE)


@check("asylum_table_share", kind=INTERNAL, arguments=("ISO3 codes joined by +",))
def _asylum_table_share(args, claim, ledger) -> Recomputed:
    year, codes, tables = ref_year(claim), _codes(args[0]), _tables()
    wide = tables["wide"]
    share = indicators.share_pct(float(wide.loc[year, codes].sum()), float(wide.loc[year].sum()))
    return Recomputed(share, f"{' + '.join(tables['names'][code] for code in codes)} as % of Tabel 1's total of its "
                      f"ten nationalities, {year}", TABEL1_VINTAGE)


def _growth_from_previous_year(wide: pd.DataFrame, code: str, year: int, source: str) -> float:
    """% change of `code`'s column of a year-by-nationality table from year - 1 to year."""
    _year_in(wide, year, source)
    return float(indicators.relative_difference_pct(float(wide.at[year, code]), float(wide.at[year - 1, code])))


@check("asylum_table_growth", kind=INTERNAL, arguments=("ISO3 code of a Tabel 1 nationality",))
def _asylum_table_growth(args, claim, ledger) -> Recomputed:
    year, tables = ref_year(claim), _tables()
    wide = tables["wide"]
    growth = _growth_from_previous_year(wide, args[0], year, "Tabel 1")
    return Recomputed(growth, f"change of {tables['names'][args[0]]}'s applications in Tabel 1 from {year - 1} "
                      f"to {year}, %", TABEL1_VINTAGE)


@check("asylum_table_rises", kind=INTERNAL, arguments=("base year",))
def _asylum_table_rises(args, claim, ledger) -> Recomputed:
    base, year = int(args[0]), ref_year(claim)
    up = rises(_tables()["totals"], base, year)
    return Recomputed(float(len(up)), f"years {base + 1}-{year} in which Tabel 1's total rose over the year before"
                      + (f" ({', '.join(map(str, up))})" if up else ""), TABEL1_VINTAGE)


@check("asylum_table_nationalities_up", kind=INTERNAL)
def _asylum_table_nationalities_up(args, claim, ledger) -> Recomputed:
    year, tables = ref_year(claim), _tables()
    up = risen(tables["wide"], year)
    return Recomputed(float(len(up)), f"nationalities of Tabel 1 with more applications in {year} than in "
                      f"{year - 1}: {', '.join(tables['names'][code] for code in up) or 'none'}", TABEL1_VINTAGE)


@check("asylum_unhcr_share", kind=INDEPENDENT, arguments=("ISO3 codes joined by +",))
def _asylum_unhcr_share(args, claim, ledger) -> Recomputed:
    year, codes, tables = ref_year(claim), _codes(args[0]), _tables()
    by_origin = tables["by_origin"]
    if year not in tables["unhcr_totals"].index:
        raise ValueError(f"UNHCR has no applications in the Netherlands for {year}")
    part = float(by_origin[(by_origin.year == year) & by_origin.coo_iso.isin(codes)]["applications"].sum())
    total = float(tables["unhcr_totals"][year])
    return Recomputed(indicators.share_pct(part, total),
                      f"{' + '.join(tables['unhcr_names'].get(code, code) for code in codes)} as % of all asylum "
                      f"applications in the Netherlands, {year} ({UNHCR_BASIS}: {part:,.0f} of {total:,.0f})",
                      vintage("unhcr_asylum_nld"))


@check("asylum_unhcr_rank", kind=INDEPENDENT, arguments=("ISO3 country code",))
def _asylum_unhcr_rank(args, claim, ledger) -> Recomputed:
    year = ref_year(claim)
    ranks = _tables()["ranks"]
    ranked = ranks[ranks.year == year]
    row = ranked[ranked.coo_iso == args[0]]
    if row.empty:
        raise ValueError(f"UNHCR records no applications from {args[0]} in the Netherlands in {year}")
    return Recomputed(float(row["rank"].iloc[0]), f"rank of {row['coo_name'].iloc[0]} among {len(ranked)} countries "
                      f"of origin by asylum applications in the Netherlands, {year} ({UNHCR_BASIS})",
                      vintage("unhcr_asylum_nld"))


@check("asylum_unhcr_rises", kind=INDEPENDENT, arguments=("base year",))
def _asylum_unhcr_rises(args, claim, ledger) -> Recomputed:
    base, year = int(args[0]), ref_year(claim)
    totals = _tables()["unhcr_totals"]
    up = rises(totals, base, year)
    return Recomputed(float(len(up)), f"years {base + 1}-{year} in which all asylum applications in the Netherlands "
                      f"rose over the year before ({UNHCR_BASIS}; "
                      + ", ".join(f"{y}: {totals[y]:,}" for y in range(base, year + 1) if y in totals.index) + ")",
                      vintage("unhcr_asylum_nld"))


@check("asylum_unhcr_nationalities_up", kind=INDEPENDENT)
def _asylum_unhcr_nationalities_up(args, claim, ledger) -> Recomputed:
    year, tables = ref_year(claim), _tables()
    up = risen(tables["unhcr_ten"], year)
    return Recomputed(float(len(up)), f"Tabel 1's ten nationalities with more applications in {year} than in "
                      f"{year - 1} by UNHCR's count: {', '.join(tables['names'][code] for code in up) or 'none'}",
                      vintage("unhcr_asylum_nld"))


@check("asylum_unhcr_growth", kind=INDEPENDENT, arguments=("ISO3 country code",))
def _asylum_unhcr_growth(args, claim, ledger) -> Recomputed:
    year, tables = ref_year(claim), _tables()
    wide = tables["unhcr_ten"]
    growth = _growth_from_previous_year(wide, args[0], year, "UNHCR's series")
    return Recomputed(growth, f"change of {tables['names'][args[0]]}'s applications in the Netherlands from "
                      f"{year - 1} ({wide.at[year - 1, args[0]]:,}) to {year} ({wide.at[year, args[0]]:,}), % "
                      f"({UNHCR_BASIS})", vintage("unhcr_asylum_nld"))


@lru_cache(maxsize=None)
def _stocks(root: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    stock, early = data.load("wdi_migrant_stock"), data.load("wdi2018_migrant_stock_before_1990")
    return migrant_stock_by_region(stock, early), world_stock(stock, early)


def regional_stocks() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(migrant_stock_by_region, world_stock) of the book's data files, computed once per data
    folder and shared by the checks and the chapter. Treat them as read-only."""
    return _stocks(str(data.book_root()))


@check("migrant_stock_un_region", kind=INDEPENDENT, arguments=("UN region as in REGIONS",))
def _migrant_stock_un_region(args, claim, ledger) -> list[Recomputed]:
    region, year = args[0], ref_year(claim)
    if region not in REGIONS:
        raise ValueError(f"unknown UN region {region!r}; known: {', '.join(REGIONS)}")
    regions = _stocks(str(data.book_root()))[0]
    rows = regions[(regions.region == region) & (regions.year == year)]
    if rows.empty:
        raise ValueError(f"no migrant stock for {region} in {year} in any edition")
    return [Recomputed(float(row.migrant_stock), f"migrant stock of the {row.economies} economies of {region} "
                       f"(UN regions by country_converter), {year}"
                       + ("" if row.complete else f"; {row.missing} economies of 1990 missing"), row.edition)
            for row in rows.sort_values("vintage").itertuples()]


@check("migrant_stock_world", kind=INDEPENDENT)
def _migrant_stock_world(args, claim, ledger) -> list[Recomputed]:
    year = ref_year(claim)
    world = _stocks(str(data.book_root()))[1]
    results = []
    for (vintage_, edition), rows in world.groupby(["vintage", "edition"]):
        series = rows.set_index("year")["migrant_stock"]
        published = sorted(series.index)
        how = str(year) if year in published else \
            f"interpolated between {max(y for y in published if y < year)} and {min(y for y in published if y > year)}"
        results.append(Recomputed(interpolated(series, year), f"world migrant stock (World Bank aggregate WLD), {how}",
                                  edition))
    return results


@check("flow_rank_among_three", kind=INDEPENDENT, arguments=("World Bank code", "flow column"))
def _flow_rank(args, claim, ledger) -> Recomputed:
    code, flow = args
    if flow not in FLOWS:
        raise ValueError(f"unknown flow {flow!r}; known: {', '.join(FLOWS)}")
    year = ref_year(claim)
    flows = external_flows(data.load("wdi_remittances"), code)
    if year not in flows.index:
        raise ValueError(f"no year {year} with remittances, ODA and FDI for {code}")
    rank = flow_ranks(flows).at[year, flow]
    values = "; ".join(f"{FLOWS[column].lower()} {flows.at[year, column] / 1e9:,.1f} bn" for column in FLOWS)
    return Recomputed(float(rank), f"rank of {FLOWS[flow].lower()} among three flows to {code}, {year} (US$: {values})",
                      vintage("wdi_remittances"))


@lru_cache(maxsize=None)
def _edition(resource: str, root: str) -> pd.DataFrame:
    columns = ["country_name", "remittances_received_usd", "gdp_current_usd"]
    return data.load(resource).set_index(["country_code", "year"])[columns].sort_index()


def _by_edition(code: str, year: int, value) -> list[Recomputed]:
    results = []
    for resource in ("wdi2018_population_remittances_gdp", "wdi_remittances"):  # the latest edition last
        rows = _edition(resource, str(data.book_root()))
        if (code, year) not in rows.index:
            continue
        row = rows.loc[(code, year)]
        if pd.isna(row["remittances_received_usd"]) or pd.isna(row["gdp_current_usd"]):
            continue
        results.append(Recomputed(float(value(row)), f"{row['country_name']}, {year}", vintage(resource)))
    if not results:
        raise ValueError(f"no remittances and GDP for {code} in {year} in either edition of the World Bank's data")
    return results


@check("remittances_pct_gdp_by_edition", kind=INDEPENDENT, arguments=("World Bank code (economy or aggregate)",))
def _remittances_pct_gdp(args, claim, ledger) -> list[Recomputed]:
    results = _by_edition(args[0], ref_year(claim),
                          lambda row: indicators.share_pct(float(row["remittances_received_usd"]),
                                                           float(row["gdp_current_usd"])))
    return [Recomputed(item.value, "personal remittances received / GDP, " + item.basis, item.vintage)
            for item in results]


@check("remittances_usd_by_edition", kind=INDEPENDENT, arguments=("World Bank code (economy or aggregate)",))
def _remittances_usd(args, claim, ledger) -> list[Recomputed]:
    results = _by_edition(args[0], ref_year(claim), lambda row: float(row["remittances_received_usd"]))
    return [Recomputed(item.value, "personal remittances received, current US$, " + item.basis, item.vintage)
            for item in results]


# --- charts with a reader control -------------------------------------------------------------

PROFILE_SERIES = [*FLOWS.values(), "Immigrants living there (UN 2024 revision)",
                  "Emigrants living abroad (UN 2020 edition)", "Net migration (UN estimate)"]


def country_profiles(names: dict[str, str], wdi: pd.DataFrame, population: pd.DataFrame, wdi_stock: pd.DataFrame,
                     ims2020: pd.DataFrame) -> pd.DataFrame:
    """country_profile of each ISO3 code in `names` (code -> name), with a country column, in that order."""
    return pd.concat([country_profile(code, wdi, population, wdi_stock, ims2020).assign(country=name)
                      for code, name in names.items()], ignore_index=True)[
        ["country", "panel", "series", "year", "value"]]


def profile_chart(profiles: pd.DataFrame, default_country: str):
    """Three stacked panels of one country's record (money received, migrants, net migration), with
    a menu of the countries in `profiles` (country_profiles) that picks the one drawn; the static
    image shows `default_country`. Each panel's heading names the country shown, so the picture
    says whose record it is whatever the menu holds."""
    import altair as alt

    from . import charts

    missing = {"country", "panel", "series", "year", "value"} - set(profiles.columns)
    if missing:
        raise ValueError(f"profile_chart: the table lacks column(s) {sorted(missing)}")
    countries = list(dict.fromkeys(profiles["country"]))
    pick = charts.reader_control("profile_country", default_country, countries, label="Country ")
    lines = alt.Chart().mark_line(point=alt.OverlayMarkDef(size=12)).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
        y=alt.Y("value:Q", title=None),
        color=alt.Color("series:N", title=None, scale=alt.Scale(domain=PROFILE_SERIES, range=charts.OKABE_ITO[:6]),
                        legend=alt.Legend(columns=1)),
        tooltip=[alt.Tooltip("country"), alt.Tooltip("panel"), alt.Tooltip("series"), alt.Tooltip("year"),
                 alt.Tooltip("value:Q", format=",.2f")])
    zero_rule = alt.Chart().mark_rule(color="black", strokeWidth=0.6, aria=False).encode(y=alt.YDatum(0))
    return (alt.layer(lines, zero_rule, data=profiles).properties(width=480, height=120)
            .transform_filter(f"datum.country === {pick.name}")
            .facet(facet=alt.Facet("panel:N", sort=list(PROFILE_PANELS.values()), title=None,
                                   # brackets: Vega-Lite pastes a conditional for datum.label unbracketed
                                   header=alt.Header(labelExpr=f"{pick.name} + ': ' + (datum.label)")),
                   columns=1)
            .resolve_scale(y="independent")
            .add_params(pick))
