"""Reusable computations. Functions take data frames or numbers and return them;
no I/O, no plotting."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
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


def _interpolation_targets(frame: pd.DataFrame, value: str, years, by: list[str]):
    """Linear interpolation of `value` at every year in `years` for every `by` group at once.

    Returns (keys, group, year, value, from_year, to_year): `keys` holds each group's key
    columns (row i = group i, groups in sorted key order, as groupby numbers them), and the
    other five are aligned arrays, one entry per (year, group) that has an observation at the
    year or on both sides of it, ordered by year, then group.
    """
    observed = frame.dropna(subset=[value, "year"])
    group = observed.groupby(by, sort=True, dropna=True).ngroup().to_numpy()
    kept = group >= 0  # groupby leaves out rows whose key is missing
    observed, group = observed[kept], group[kept]
    years = np.array(sorted({int(year) for year in years}), dtype="int64")
    empty = np.array([], dtype="int64")
    if observed.empty or years.size == 0:
        return observed[by].iloc[:0], empty, empty, np.array([], dtype="float64"), empty, empty
    obs_year = observed["year"].to_numpy(dtype="int64")
    obs_value = observed[value].to_numpy(dtype="float64")
    # Sorted by group, then year; a stable sort keeps input order among equal years.
    order = np.lexsort((obs_year, group))
    group, obs_year, obs_value = group[order], obs_year[order], obs_value[order]
    first_of_group = np.r_[True, group[1:] != group[:-1]]
    keys = observed[by].iloc[order[first_of_group]].reset_index(drop=True)
    # One sorted composite key (group, year) lets searchsorted find, for every target at
    # once, the first observation at the year and the observations just before and after it.
    base = min(int(obs_year.min()), int(years[0]))
    span = max(int(obs_year.max()), int(years[-1])) - base + 2
    composite = group * span + (obs_year - base)
    target_group = np.tile(np.arange(len(keys)), len(years))
    target_year = np.repeat(years, len(keys))
    target = target_group * span + (target_year - base)
    left = np.searchsorted(composite, target, side="left")
    right = np.searchsorted(composite, target, side="right")
    last = len(composite) - 1
    exact = right > left
    low, high = left - 1, right
    has_low = (low >= 0) & (group[np.clip(low, 0, last)] == target_group)
    has_high = (high <= last) & (group[np.clip(high, 0, last)] == target_group)
    between = ~exact & has_low & has_high
    found = exact | between
    low, high = np.clip(low, 0, last), np.clip(high, 0, last)
    low_year, high_year = obs_year[low], obs_year[high]
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = (target_year - low_year) / (high_year - low_year)
        interpolated = obs_value[low] + weight * (obs_value[high] - obs_value[low])
    values = np.where(exact, obs_value[np.clip(left, 0, last)], interpolated)
    from_year = np.where(exact, target_year, low_year)
    to_year = np.where(exact, target_year, high_year)
    return (keys, target_group[found], target_year[found], values[found], from_year[found], to_year[found])


def interpolate_year(frame: pd.DataFrame, value: str, year: int, by: str = "country_code") -> pd.DataFrame:
    """Linear interpolation of `value` at `year` for every `by` group that has observations
    on both sides of it (the UN publishes migrant stocks only every five years).
    Returns one row per group with columns by, value, and the two years used."""
    keys, group, _, values, from_year, to_year = _interpolation_targets(frame, value, [year], [by])
    if group.size == 0:
        return pd.DataFrame(columns=[by, value, "from_year", "to_year"])
    return pd.DataFrame({by: keys[by].to_numpy(dtype=object)[group].tolist(), value: values,
                         "from_year": from_year, "to_year": to_year})


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


STOCK_RANKING_COLUMNS = ["vintage", "revision", "year", "country_code", "country_name",
                         "international_migrant_stock", "from_year", "to_year", "rank", "interpolated"]


def _stock_rankings(stocks: pd.DataFrame, years) -> pd.DataFrame:
    """migrant_stock_ranking at every year in `years` in one pass: rows ordered by year, then
    vintage, then rank (ties in country-name order)."""
    value = "international_migrant_stock"
    by = ["vintage", "revision", "country_name"]
    keys, group, year, values, from_year, to_year = _interpolation_targets(stocks, value, years, by)
    # Each revision's code for a name is that of the name's first row in the revision.
    codes = stocks.drop_duplicates(by)[[*by, "country_code"]]
    at = keys.iloc[group].reset_index(drop=True).merge(codes, on=by, how="left")
    frame = pd.DataFrame({"vintage": at["vintage"].astype("str"), "revision": at["revision"].astype("str"),
                          "year": year, "country_code": at["country_code"],
                          "country_name": at["country_name"].astype("str"), value: values,
                          "from_year": from_year, "to_year": to_year})
    ranked = rank_within(frame, value, ["year", "vintage"])
    ranked["interpolated"] = ranked["from_year"] != ranked["to_year"]
    return ranked[STOCK_RANKING_COLUMNS]


def migrant_stock_ranking(stocks: pd.DataFrame, year: int) -> pd.DataFrame:
    """Countries ranked by international migrant stock in `year`, separately per revision.

    `stocks` comes from migrant_stocks_by_revision (economies only). A year between two
    published points is interpolated linearly; from_year and to_year say which were used.
    """
    return _stock_rankings(stocks, [year])


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
    rankings = _stock_rankings(stocks, years)
    published = stocks[["vintage", "year"]].drop_duplicates().assign(published=True)
    rankings = rankings.merge(published, on=["vintage", "year"], how="left")
    keep = rankings["published"].eq(True) | rankings["year"].isin(also)
    return rankings[keep].drop(columns="published").reset_index(drop=True)
