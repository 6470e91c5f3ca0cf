"""Reusable computations. Functions take data frames or numbers and return them;
no I/O, no plotting."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pycountry

# World Bank codes for economies that are not ISO 3166 countries but are economies,
# not aggregates: Kosovo and the Channel Islands.
WORLD_BANK_ECONOMIES_WITHOUT_ISO_CODE = {"XKX", "CHI"}


@lru_cache(maxsize=None)
def is_economy(code: str) -> bool:
    """True for a country or territory code, False for a World Bank aggregate such as
    WLD (World), LMY (low and middle income) or ECS (Europe and Central Asia)."""
    return code in WORLD_BANK_ECONOMIES_WITHOUT_ISO_CODE or pycountry.countries.get(alpha_3=code) is not None


def drop_aggregates(frame: pd.DataFrame, code_column: str = "country_code") -> pd.DataFrame:
    """Keep only economies: regional and income aggregates would otherwise top every ranking."""
    codes = frame[code_column].astype(str)
    keep = codes.map(is_economy).astype(bool)
    return frame[keep.to_numpy()].copy()


def implied_total(part: pd.Series | float, share_pct: pd.Series | float) -> pd.Series | float:
    """The whole that `part` is `share_pct` percent of: part / (share / 100)."""
    return part / (share_pct / 100)


def share_pct(part: pd.Series | float, whole: pd.Series | float) -> pd.Series | float:
    """`part` as a percentage of `whole`."""
    return 100 * part / whole


def country_year_value(frame: pd.DataFrame, column: str, code: str, year: int) -> float:
    """The value of `column` for one country (ISO3 country_code) and year; KeyError if absent."""
    match = frame.loc[(frame["country_code"] == code) & (frame["year"] == year), column]
    if match.empty or pd.isna(match.iloc[0]):
        raise KeyError(f"no {column} for {code} in {year}")
    return float(match.iloc[0])


def relative_difference_pct(value: pd.Series | float, reference: pd.Series | float) -> pd.Series | float:
    """How far `value` lies from `reference`, in percent of the reference."""
    return 100 * (value - reference) / reference


def growth_pct(frame: pd.DataFrame, value: str, by: str, order: str = "year") -> pd.Series:
    """Growth of `value` against the previous observation of the same `by` group, in percent."""
    ordered = frame.sort_values([by, order])
    previous = ordered.groupby(by)[value].shift(1)
    return (100 * (ordered[value] / previous - 1)).reindex(frame.index)


def rank_within(frame: pd.DataFrame, value: str, by: list[str] | str, rank_column: str = "rank") -> pd.DataFrame:
    """Rank rows by `value`, largest first (1 = largest), separately within each `by` group.
    Rows without a value are left out rather than ranked last."""
    ranked = frame.dropna(subset=[value]).copy()
    ranked[rank_column] = (ranked.groupby(by)[value].rank(method="min", ascending=False)
                           .astype("int64"))
    return ranked.sort_values([*([by] if isinstance(by, str) else by), rank_column]).reset_index(drop=True)


def remittances_share_of_gdp(wdi: pd.DataFrame) -> pd.DataFrame:
    """Personal remittances received as % of GDP (the World Bank's BX.TRF.PWKR.DT.GD.ZS
    definition), for every economy and year with both values; aggregates dropped."""
    economies = drop_aggregates(wdi).dropna(subset=["remittances_received_usd", "gdp_current_usd"])
    economies["remittances_pct_gdp"] = share_pct(economies["remittances_received_usd"].astype(float),
                                                 economies["gdp_current_usd"].astype(float))
    return economies[["country_name", "country_code", "year", "remittances_received_usd",
                      "gdp_current_usd", "remittances_pct_gdp"]].reset_index(drop=True)


def interpolate_year(frame: pd.DataFrame, value: str, year: int, by: str = "country_code") -> pd.DataFrame:
    """Linear interpolation of `value` at `year` for every `by` group that has observations
    on both sides of it (the UN publishes migrant stocks only every five years).
    Returns one row per group with columns by, value, and the two years used."""
    rows = []
    for key, group in frame.dropna(subset=[value]).groupby(by):
        group = group.sort_values("year")
        exact = group[group.year == year]
        if len(exact):
            rows.append({by: key, value: float(exact[value].iloc[0]), "from_year": year, "to_year": year})
            continue
        before, after = group[group.year < year], group[group.year > year]
        if before.empty or after.empty:
            continue
        low, high = before.iloc[-1], after.iloc[0]
        weight = (year - low.year) / (high.year - low.year)
        rows.append({by: key, value: float(low[value] + weight * (high[value] - low[value])),
                     "from_year": int(low.year), "to_year": int(high.year)})
    return pd.DataFrame(rows, columns=[by, value, "from_year", "to_year"])


REVISION_LABELS = {
    "wdi_2018-08-01": "UN revision in WDI, 2018",
    "undesa_ims2019": "UN 2019 revision (sum of origins)",
    "wdi_2026-07-01": "UN 2024 revision (WDI, 2026)",
}


def migrant_stocks_by_revision(wdi_stock: pd.DataFrame, un2019_totals: pd.DataFrame) -> pd.DataFrame:
    """One tidy table of migrant stock per country, year and UN revision, economies only.

    wdi_stock: the WDI SM.POP.TOTL vintages (country_code, vintage, ...); un2019_totals: the
    UN IMS 2019 per-destination sums (destination, year, migrant_stock_sum_of_origins).
    """
    wdi = drop_aggregates(wdi_stock)[["vintage", "country_code", "country_name", "year",
                                      "international_migrant_stock"]]
    un2019 = un2019_totals.rename(columns={"destination": "country_name",
                                           "migrant_stock_sum_of_origins": "international_migrant_stock"})
    un2019 = un2019.assign(vintage="undesa_ims2019",
                           country_code=un2019["country_name"].map(_iso3_or_none))
    stocks = pd.concat([wdi, un2019[wdi.columns]], ignore_index=True)
    stocks["revision"] = stocks["vintage"].map(REVISION_LABELS)
    stocks["international_migrant_stock"] = stocks["international_migrant_stock"].astype(float)
    return stocks


def migrant_stock_ranking(stocks: pd.DataFrame, year: int) -> pd.DataFrame:
    """Countries ranked by international migrant stock in `year`, separately per revision.

    `stocks` comes from migrant_stocks_by_revision (economies only). A year between two
    published points is interpolated linearly; from_year and to_year say which were used.
    """
    frames = []
    for (vintage, revision), rows in stocks.groupby(["vintage", "revision"]):
        at_year = interpolate_year(rows, "international_migrant_stock", year, by="country_name")
        codes = rows.drop_duplicates("country_name").set_index("country_name")["country_code"]
        frames.append(at_year.assign(country_code=at_year["country_name"].map(codes),
                                     vintage=vintage, revision=revision, year=year))
    columns = ["vintage", "revision", "year", "country_code", "country_name",
               "international_migrant_stock", "from_year", "to_year", "rank"]
    if not frames:
        return pd.DataFrame(columns=columns)
    ranked = rank_within(pd.concat(frames, ignore_index=True), "international_migrant_stock", "vintage")
    ranked["interpolated"] = ranked["from_year"] != ranked["to_year"]
    return ranked[columns + ["interpolated"]]


def _iso3_or_none(name: str) -> str | None:
    try:
        return iso3_from_name(name)
    except KeyError:
        return None


# UN DESA names (M49 style) that ISO 3166, as pycountry spells it, does not know.
UN_NAMES_NOT_IN_ISO = {
    "Bolivia (Plurinational State of)": "BOL", "Channel Islands": "CHI", "China, Hong Kong SAR": "HKG",
    "China, Macao SAR": "MAC", "Dem. People's Republic of Korea": "PRK", "Democratic Republic of the Congo": "COD",
    "Iran (Islamic Republic of)": "IRN", "Micronesia (Fed. States of)": "FSM", "Republic of Korea": "KOR",
    "Saint Helena": "SHN", "State of Palestine": "PSE", "Turkey": "TUR", "United States Virgin Islands": "VIR",
    "Venezuela (Bolivarian Republic of)": "VEN", "Wallis and Futuna Islands": "WLF",
}


@lru_cache(maxsize=None)
def iso3_from_name(name: str) -> str:
    """ISO 3166 alpha-3 code for a UN or World Bank country name ('Republic of Moldova' -> 'MDA')."""
    if name in UN_NAMES_NOT_IN_ISO:
        return UN_NAMES_NOT_IN_ISO[name]
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        raise KeyError(f"no ISO 3166 country is called {name!r}") from None


def years_with_data_for_all(frame: pd.DataFrame, codes: set[str], code_column: str = "country_code") -> list[int]:
    """The years in which every one of `codes` has a row in `frame`."""
    present = frame[frame[code_column].isin(codes)].groupby("year")[code_column].nunique()
    return sorted(int(year) for year in present[present == len(codes)].index)


def migrant_stock_rankings(stocks: pd.DataFrame, also: set[int] = frozenset()) -> pd.DataFrame:
    """migrant_stock_ranking at every year a revision publishes, plus the years in `also`
    (interpolated where a revision has no point), one block per revision and year."""
    years = sorted(set(stocks["year"].astype(int)) | set(also))
    rankings = pd.concat([migrant_stock_ranking(stocks, year) for year in years], ignore_index=True)
    published = stocks[["vintage", "year"]].drop_duplicates().assign(published=True)
    rankings = rankings.merge(published, on=["vintage", "year"], how="left")
    keep = rankings["published"].eq(True) | rankings["year"].isin(also)
    return rankings[keep].drop(columns="published").reset_index(drop=True)
