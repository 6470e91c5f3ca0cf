"""Chapter 1's tables: what the source document's Tabel 1 and Tabel 2 imply, and the two counts
of Central Asians in Russia. Data frames in, data frames out."""
from __future__ import annotations

import pandas as pd

from . import indicators

CENTRAL_ASIA = ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"]
UN_MEASURE = "Born there, living in Russia (UN 2019 revision)"
FMS_MEASURE = "Citizens present in Russia, Jan 2015 (FMS, Tabel 1)"


def implied_home_population(tabel1: pd.DataFrame, population: pd.DataFrame, year: int) -> pd.DataFrame:
    """Tabel 1 with the home population its shares imply (immigrants ÷ share) beside the World
    Bank's population of `year`, and the difference in % of the World Bank's."""
    in_year = population.loc[population.year == year, ["country_code", "population"]]
    table = tabel1.merge(in_year, left_on="iso3", right_on="country_code", how="left")
    table["implied_home_population"] = indicators.implied_total(
        table["immigrants"].astype(float), table["share_of_home_population_pct"].astype(float))
    table["world_bank_population"] = table["population"].astype(float)
    table["difference_pct"] = indicators.relative_difference_pct(
        table["implied_home_population"], table["world_bank_population"])
    return table.drop(columns=["country_code", "population"])


def remittance_transfers(tabel2: pd.DataFrame, tabel1: pd.DataFrame) -> pd.DataFrame:
    """Tabel 2 with the implied number of transfers (total ÷ average transfer) and, as a rough
    gauge that mixes a 2013 flow with a January 2015 stock, transfers per migrant of Tabel 1."""
    table = tabel2.merge(tabel1[["iso3", "immigrants"]], on="iso3", how="left")
    table["implied_transfers"] = table["total_usd"].astype(float) / table["average_transfer_usd"].astype(float)
    table["transfers_per_migrant"] = table["implied_transfers"] / table["immigrants"].astype(float)
    return table


def central_asians_in_russia(bilateral: pd.DataFrame, tabel1: pd.DataFrame) -> pd.DataFrame:
    """One tidy table of two counts: people born in each Central Asian state living in Russia
    (UN, every year the UN publishes) and citizens of that state present in Russia (FMS, 2015)."""
    born = bilateral[(bilateral.destination == "Russian Federation") & bilateral.origin.isin(CENTRAL_ASIA)]
    born = born.rename(columns={"origin": "country", "migrant_stock": "people"}).assign(measure=UN_MEASURE)
    born["iso3"] = born["country"].map(indicators.iso3_from_name)
    names = born.drop_duplicates("iso3").set_index("iso3")["country"]
    present = tabel1[tabel1.iso3.isin(names.index)].rename(columns={"immigrants": "people"})
    present = present.assign(country=present["iso3"].map(names), year=2015, measure=FMS_MEASURE)
    columns = ["country", "iso3", "year", "people", "measure"]
    counts = pd.concat([born[columns], present[columns]], ignore_index=True)
    counts["people"] = counts["people"].astype(float)
    counts["people_millions"] = counts["people"] / 1e6
    return counts


def fms_against_un(counts: pd.DataFrame) -> pd.DataFrame:
    """Per country in both counts: FMS citizens present (Jan 2015), UN born there (2015), ratio."""
    both = (counts[counts.year == 2015].pivot(index="country", columns="measure", values="people").dropna()
            .rename(columns={FMS_MEASURE: "fms_citizens_present", UN_MEASURE: "un_born_there"}))
    both = both[["fms_citizens_present", "un_born_there"]].rename_axis(columns=None)
    both["fms_per_un"] = both["fms_citizens_present"] / both["un_born_there"]
    return both
