"""Chapter 1: its tables (what the article's Tabel 1 and Tabel 2 imply, the two counts
of Central Asians in Russia; data frames in, data frames out) and its checks of the claims ledger."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from . import data, indicators
from .claims import BOUND, INDEPENDENT, INTERNAL, Recomputed, check, claim_value, ref_year, vintage

CENTRAL_ASIA = ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"]
UN_MEASURE = "Born there, living in Russia (UN 2019 revision)"
FMS_MEASURE = "Citizens present in Russia, Jan 2015 (FMS, Tabel 1)"


def implied_home_population(tabel1: pd.DataFrame, population: pd.DataFrame, year: int,
                            earlier_population: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tabel 1 with the home population its shares imply (immigrants ÷ share) beside the World
    Bank's population of `year`, and the difference in % of the World Bank's.

    earlier_population: an earlier vintage of the World Bank's series (same columns), e.g. as
    published in 2018, closer to what the article's author could see; adds
    world_bank_earlier_population and difference_earlier_pct."""
    def in_year(frame: pd.DataFrame, name: str) -> pd.DataFrame:
        rows = frame.loc[frame.year == year, ["country_code", "population"]]
        return rows.rename(columns={"country_code": "iso3", "population": name})

    table = tabel1.merge(in_year(population, "world_bank_population"), on="iso3", how="left")
    table["implied_home_population"] = indicators.implied_total(
        table["immigrants"].astype(float), table["share_of_home_population_pct"].astype(float))
    table["world_bank_population"] = table["world_bank_population"].astype(float)
    table["difference_pct"] = indicators.relative_difference_pct(
        table["implied_home_population"], table["world_bank_population"])
    if earlier_population is not None:
        table = table.merge(in_year(earlier_population, "world_bank_earlier_population"), on="iso3", how="left")
        table["world_bank_earlier_population"] = table["world_bank_earlier_population"].astype(float)
        table["difference_earlier_pct"] = indicators.relative_difference_pct(
            table["implied_home_population"], table["world_bank_earlier_population"])
    return table


def share_revisions(claimed_pct: pd.Series, today: pd.DataFrame, earlier: pd.DataFrame, year: int) -> pd.DataFrame:
    """Where a claimed remittance share of GDP parts from the data: the numerator or the denominator.

    claimed_pct: claimed share in % by ISO3 code; today, earlier: two vintages of the World Bank's
    remittances and GDP (country_code, year, remittances_received_usd, gdp_current_usd). Returns,
    per country, the share in each vintage, each vintage's change against the earlier one, the
    remittances the claim implies at today's GDP and the GDP it implies at today's remittances."""
    columns = ["country_code", "remittances_received_usd", "gdp_current_usd"]
    codes = claimed_pct.index
    now = today.loc[today.year == year, columns].set_index("country_code").astype(float).reindex(codes)
    then = earlier.loc[earlier.year == year, columns].set_index("country_code").astype(float).reindex(codes)
    table = pd.DataFrame({"claimed_pct": claimed_pct.astype(float)})
    table["share_today_pct"] = indicators.share_pct(now["remittances_received_usd"], now["gdp_current_usd"])
    table["share_earlier_pct"] = indicators.share_pct(then["remittances_received_usd"], then["gdp_current_usd"])
    table["gdp_revision_pct"] = indicators.relative_difference_pct(now["gdp_current_usd"], then["gdp_current_usd"])
    table["remittances_revision_pct"] = indicators.relative_difference_pct(
        now["remittances_received_usd"], then["remittances_received_usd"])
    table["remittances_implied_usd"] = table["claimed_pct"] / 100 * now["gdp_current_usd"]
    table["remittances_today_usd"] = now["remittances_received_usd"]
    table["gdp_implied_usd"] = now["remittances_received_usd"] / (table["claimed_pct"] / 100)
    table["gdp_today_usd"] = now["gdp_current_usd"]
    return table.rename_axis("iso3").reset_index()


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


# --- chapter 1's checks of the claims ledger (data/claims.csv, column `check`) ---------------------
# Each registers itself with the claims engine; the ledger row only names it.

# The UN 2019 edition's totals are our own sum of its origin columns, which undercounts some
# destinations (the USA most): shown beside the official series, never deciding a verdict.
DERIVED_REVISIONS = {"undesa_ims2019"}


@lru_cache(maxsize=None)
def _migrant_stock_ranking(year: int, root: str) -> pd.DataFrame:
    stocks = indicators.migrant_stocks_by_revision(data.load("wdi_migrant_stock"),
                                                   data.load("undesa_destination_totals"))
    return indicators.migrant_stock_ranking(stocks, year)


def _migrant_stock_rows(code: str, year: int) -> list[pd.Series]:
    """The country's row in the ranking of `year`, once per UN revision we hold."""
    ranking = _migrant_stock_ranking(year, str(data.book_root()))
    rows = ranking[ranking.country_code == code]
    if rows.empty:
        raise ValueError(f"no migrant stock for {code} in {year} in any revision")
    order = list(indicators.REVISION_LABELS)
    return sorted((row for _, row in rows.iterrows()), key=lambda row: order.index(row["vintage"]))


def _years_used(row: pd.Series) -> str:
    if row["from_year"] == row["to_year"]:
        return str(int(row["from_year"]))
    return f"interpolated between {int(row['from_year'])} and {int(row['to_year'])}"


def _stock_result(value: float, basis: str, row: pd.Series) -> Recomputed:
    return Recomputed(value, basis, row["revision"], official=row["vintage"] not in DERIVED_REVISIONS)


@check("migrant_stock", kind=INDEPENDENT, arguments=("ISO3 country code",))
def _migrant_stock(args, claim, ledger) -> list[Recomputed]:
    return [_stock_result(float(row["international_migrant_stock"]),
                          f"UN migrant stock of {row['country_name']}, {_years_used(row)}", row)
            for row in _migrant_stock_rows(args[0], ref_year(claim))]


@check("migrant_stock_rank", kind=INDEPENDENT, arguments=("ISO3 country code",))
def _migrant_stock_rank(args, claim, ledger) -> list[Recomputed]:
    return [_stock_result(float(row["rank"]), f"rank of {row['country_name']} among countries by UN migrant "
                          f"stock, {_years_used(row)}", row)
            for row in _migrant_stock_rows(args[0], ref_year(claim))]


@check("migrant_stock_growth_since", kind=INDEPENDENT, arguments=("ISO3 country code", "base year"))
def _migrant_stock_growth(args, claim, ledger) -> list[Recomputed]:
    code, base_year = args[0], int(args[1])
    then = {row["vintage"]: row for row in _migrant_stock_rows(code, base_year)}
    return [_stock_result(float(now["international_migrant_stock"] / then[now["vintage"]]["international_migrant_stock"]),
                          f"UN migrant stock of {now['country_name']}, {ref_year(claim)} ({_years_used(now)}) "
                          f"divided by {base_year}", now)
            for now in _migrant_stock_rows(code, ref_year(claim)) if now["vintage"] in then]


@check("per_capita_of_claim", kind=INTERNAL, arguments=("ISO3 country code", "claim id"))
def _per_capita_of_claim(args, claim, ledger) -> Recomputed:
    code, claim_id = args
    year = ref_year(claim)
    people = indicators.country_year_value(data.load("wdi_population"), "population", code, year)
    return Recomputed(claim_value(ledger, claim_id) / people,
                      f"the document's own {claim_id} divided by the population of {code} in {year} "
                      f"({people / 1e6:,.1f} million, {vintage('wdi_population')})",
                      "the source document's own figure over the World Bank's population")


def rouble_value(usd: float, year: int, exchange_rate: pd.DataFrame) -> float:
    """A US$ amount in roubles at the World Bank's average official rate of `year`."""
    return usd * indicators.country_year_value(exchange_rate, "lcu_per_usd", "RUS", year)


@check("usd_claim_in_local_currency", kind=INTERNAL, arguments=("ISO3 country code", "claim id"))
def _usd_in_local_currency(args, claim, ledger) -> Recomputed:
    code, claim_id = args
    year = ref_year(claim)
    rate = indicators.country_year_value(data.load("wdi_exchange_rate"), "lcu_per_usd", code, year)
    return Recomputed(claim_value(ledger, claim_id) * rate,
                      f"the document's own {claim_id} in US$ times the {year} average official rate "
                      f"({rate:.2f} per US$, {vintage('wdi_exchange_rate')})",
                      "the source document's own figure at the World Bank's exchange rate")


@lru_cache(maxsize=None)
def _remittance_ranking(year: int, root: str) -> pd.DataFrame:
    shares = indicators.remittances_share_of_gdp(data.load("wdi_remittances"))
    return indicators.rank_within(shares[shares.year == year], "remittances_pct_gdp", "year")


def _remittance_row(code: str, year: int) -> pd.Series:
    ranked = _remittance_ranking(year, str(data.book_root()))
    row = ranked[ranked.country_code == code]
    if row.empty:
        raise ValueError(f"no remittances or GDP for {code} in {year} in the World Bank's data")
    return row.iloc[0]


@check("remittance_share_gdp", kind=INDEPENDENT, arguments=("ISO3 country code",))
def _remittance_share(args, claim, ledger) -> Recomputed:
    row = _remittance_row(args[0], ref_year(claim))
    return Recomputed(float(row["remittances_pct_gdp"]),
                      f"personal remittances received / GDP, {row['country_name']}, {int(row['year'])}",
                      vintage("wdi_remittances"))


@check("remittance_rank", kind=INDEPENDENT, arguments=("ISO3 country code",))
def _remittance_rank(args, claim, ledger) -> Recomputed:
    row = _remittance_row(args[0], ref_year(claim))
    return Recomputed(float(row["rank"]),
                      f"rank of {row['country_name']} among all economies by remittances as % of GDP, "
                      f"{int(row['year'])}",
                      vintage("wdi_remittances"))


@check("remittances_received_upper_bound", kind=BOUND, arguments=("ISO3 country code",))
def _remittances_upper_bound(args, claim, ledger) -> Recomputed:
    """What a country received from all countries caps what it received from Russia."""
    row = _remittance_row(args[0], ref_year(claim))
    return Recomputed(float(row["remittances_received_usd"]),
                      f"personal remittances {row['country_name']} received from all countries in "
                      f"{int(row['year'])} (World Bank), an upper bound for those from Russia alone",
                      vintage("wdi_remittances"))


def remittance_bounds(tabel2: pd.DataFrame, wdi_remittances: pd.DataFrame, year: int) -> pd.DataFrame:
    """Tabel 2's transfers from Russia beside the World Bank's remittances received from all
    countries in `year` (the upper bound), the share of the bound and by how much a row exceeds it."""
    received = wdi_remittances.loc[wdi_remittances.year == year, ["country_code", "remittances_received_usd"]]
    table = tabel2.merge(received, left_on="iso3", right_on="country_code", how="left")
    table["total_usd"] = table["total_usd"].astype(float)
    table["received_from_all_usd"] = table["remittances_received_usd"].astype(float)
    table["share_of_bound_pct"] = indicators.share_pct(table["total_usd"], table["received_from_all_usd"])
    table["above_bound"] = table["total_usd"] > table["received_from_all_usd"]
    table["excess_pct"] = indicators.relative_difference_pct(
        table["total_usd"], table["received_from_all_usd"]).where(table["above_bound"])
    return table.drop(columns=["country_code", "remittances_received_usd"])


# --- charts with a reader control -------------------------------------------------------------

# The remittance chart's two measures: the article argues from the share of GDP, but a share is
# large where the economy is small; the amount in dollars shows where the money goes.
REMITTANCE_MEASURES = {"share": "% of GDP", "usd": "billion US$"}


def remittances_chart(cis: pd.DataFrame, year: int, country_order: list[str]):
    """Small multiples of remittances received by the CIS countries of Tabel 1, with buttons that
    switch the y axis between % of GDP (the default, what the article claims) and billion US$.

    cis: one row per country and year with country, year, remittances_pct_gdp,
    remittances_usd_bn and is_focus ("focus country" or "other"); both measures travel in the
    chart's data, so its CSV holds what either button shows. `year` is marked by a dashed line."""
    import altair as alt

    from . import charts

    missing = {"country", "year", "remittances_pct_gdp", "remittances_usd_bn", "is_focus"} - set(cis.columns)
    if missing:
        raise ValueError(f"remittances_chart: the table lacks column(s) {sorted(missing)}")
    measure = charts.reader_control("remittance_measure", "share", list(REMITTANCE_MEASURES),
                                    labels=list(REMITTANCE_MEASURES.values()), label="Remittances as ", kind="radio")
    in_dollars = f"{measure.name} === 'usd'"
    lines = alt.Chart().transform_calculate(
        shown=f"{in_dollars} ? datum.remittances_usd_bn : datum.remittances_pct_gdp").mark_line(
        point=alt.OverlayMarkDef(size=12)).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickCount=4)),
        # An axis title cannot follow a parameter, and a long one runs into the next row of
        # small charts on a phone: the tick labels carry the unit instead.
        # minExtent: room for the wider dollar labels in both views, so that a chart laid out for a
        # phone's column in % (book.js) still fits it in dollars.
        y=alt.Y("shown:Q", title=None,
                axis=alt.Axis(labelExpr=f"{in_dollars} ? '$' + datum.label + ' bn' : datum.label + ' %'",
                              minExtent=48)),
        color=alt.Color("is_focus:N", title=None, scale=alt.Scale(domain=["focus country", "other"],
                                                                   range=[charts.OKABE_ITO[5], charts.OKABE_ITO[0]])),
        tooltip=[alt.Tooltip("country"), alt.Tooltip("year"),
                 alt.Tooltip("remittances_pct_gdp:Q", format=".1f", title="% of GDP"),
                 alt.Tooltip("remittances_usd_bn:Q", format=".2f", title="billion US$")])
    year_rule = alt.Chart().mark_rule(color="black", strokeDash=[3, 3], aria=False).encode(x=alt.XDatum(year))
    return (alt.layer(lines, year_rule, data=cis).properties(width=170, height=110)
            .facet(facet=alt.Facet("country:N", sort=country_order, title=None), columns=3)
            .add_params(measure))
