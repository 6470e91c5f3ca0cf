"""migration_recomputed.indicators: the reusable computations, on small frames and on the
real WDI and UN DESA files."""
from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from migration_recomputed import data, indicators

REPO = Path(__file__).resolve().parents[1]
EXTERNAL = REPO / "data" / "external"


def _csv(name: str) -> list[dict]:
    with open(EXTERNAL / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- economies and aggregates ------------------------------------------------------------

@pytest.mark.parametrize("code", ["WLD", "LMY", "ECS", "EUU"])
def test_world_bank_aggregates_are_not_economies(code):
    assert indicators.is_economy(code) is False


@pytest.mark.parametrize("code", ["TJK", "RUS", "XKX", "CHI"])
def test_countries_kosovo_and_channel_islands_are_economies(code):
    assert indicators.is_economy(code) is True


def test_drop_aggregates_keeps_economies_in_order_with_their_columns():
    frame = pd.DataFrame({"country_code": ["WLD", "TJK", "LMY", "XKX", "ECS", "CHI", "EUU"],
                          "value": [1, 2, 3, 4, 5, 6, 7]})
    kept = indicators.drop_aggregates(frame)
    assert kept["country_code"].tolist() == ["TJK", "XKX", "CHI"]
    assert kept["value"].tolist() == [2, 4, 6]
    assert len(frame) == 7  # the input is not modified


def test_drop_aggregates_uses_the_named_code_column():
    frame = pd.DataFrame({"iso": ["WLD", "MDA"], "country_code": ["TJK", "TJK"]})
    assert indicators.drop_aggregates(frame, code_column="iso")["iso"].tolist() == ["MDA"]


def test_real_wdi_file_holds_217_economies_and_47_aggregates():
    # The World Bank classifies 217 economies; the other 47 codes in the file are aggregates
    # (WLD, LMY, ECS, EUU, ... counted by hand from data/external/wdi_remittances_oda_fdi_gdp.csv).
    wdi = data.load("wdi_remittances")
    codes = set(wdi["country_code"])
    economies = set(indicators.drop_aggregates(wdi)["country_code"])
    assert len(codes) == 264
    assert len(economies) == 217
    assert {"WLD", "LMY", "ECS", "EUU", "EMU", "HIC", "SSF"} <= codes - economies
    assert {"TJK", "KGZ", "MDA", "RUS", "XKX", "CHI"} <= economies


# --- arithmetic ---------------------------------------------------------------------------

def test_implied_total_of_tajik_migrants_is_7_993_352():
    tabel1 = data.load("seed000_tabel1_cis_migrants").set_index("iso3")
    part, share = int(tabel1.loc["TJK", "immigrants"]), float(tabel1.loc["TJK", "share_of_home_population_pct"])
    assert (part, share) == (999169, 12.5)  # seed 000 line 190
    assert indicators.implied_total(part, share) == pytest.approx(7_993_352)  # 999169 / 0.125


def test_implied_total_works_elementwise_on_series():
    result = indicators.implied_total(pd.Series([50.0, 30.0]), pd.Series([25.0, 10.0]))
    assert result.tolist() == pytest.approx([200.0, 300.0])


def test_share_pct_is_part_over_whole_in_percent():
    assert indicators.share_pct(25, 200) == pytest.approx(12.5)
    assert indicators.share_pct(pd.Series([1.0, 3.0]), pd.Series([4.0, 4.0])).tolist() == pytest.approx([25.0, 75.0])


def test_relative_difference_is_in_percent_of_the_reference():
    assert indicators.relative_difference_pct(110, 100) == pytest.approx(10.0)
    assert indicators.relative_difference_pct(90, 100) == pytest.approx(-10.0)
    assert indicators.relative_difference_pct(100, 90) == pytest.approx(11.1111, rel=1e-4)  # not symmetric


def test_growth_pct_compares_with_previous_year_of_the_same_group_in_input_order():
    frame = pd.DataFrame({"code": ["A", "B", "A", "B", "A"],
                          "year": [2012, 2010, 2010, 2011, 2011],
                          "value": [150.0, 40.0, 100.0, 50.0, 120.0]},
                         index=[10, 11, 12, 13, 14])
    growth = indicators.growth_pct(frame, "value", by="code")
    assert list(growth.index) == [10, 11, 12, 13, 14]
    assert growth[10] == pytest.approx(25.0)   # A 2012 / A 2011 = 150/120
    assert math.isnan(growth[11])              # B's first year
    assert math.isnan(growth[12])              # A's first year
    assert growth[13] == pytest.approx(25.0)   # B 2011 / B 2010 = 50/40
    assert growth[14] == pytest.approx(20.0)   # A 2011 / A 2010 = 120/100


def test_rank_within_gives_ties_the_lowest_rank_and_leaves_out_missing_values():
    frame = pd.DataFrame({"group": ["x", "x", "x", "x", "x", "y", "y"],
                          "name": ["a", "b", "c", "d", "e", "f", "g"],
                          "value": [10.0, 20.0, 20.0, 5.0, None, 1.0, 2.0]})
    ranked = indicators.rank_within(frame, "value", "group")
    assert "e" not in set(ranked["name"])
    ranks = dict(zip(ranked["name"], ranked["rank"]))
    assert ranks == {"b": 1, "c": 1, "a": 3, "d": 4, "g": 1, "f": 2}
    assert ranked["rank"].dtype == "int64"
    assert ranked["group"].tolist() == ["x", "x", "x", "x", "y", "y"]  # sorted by group, then rank


def test_rank_within_accepts_a_list_of_groups_and_a_rank_column_name():
    frame = pd.DataFrame({"g1": ["a", "a", "b"], "g2": [1, 1, 1], "v": [1.0, 2.0, 3.0]})
    ranked = indicators.rank_within(frame, "v", ["g1", "g2"], rank_column="place")
    assert ranked["place"].tolist() == [1, 2, 1]
    assert ranked["v"].tolist() == [2.0, 1.0, 3.0]


def test_interpolate_year_exact_between_and_outside_range():
    frame = pd.DataFrame({
        "country_code": ["AAA", "AAA", "BBB", "BBB", "BBB", "CCC", "CCC", "DDD", "DDD", "DDD"],
        "year":         [2010, 2015, 2010, 2013, 2015, 2015, 2020, 2010, 2015, 2020],
        "value":        [100.0, 200.0, 1.0, 7.0, 3.0, 5.0, 6.0, 10.0, None, 30.0]})
    result = indicators.interpolate_year(frame, "value", 2013).set_index("country_code")
    assert list(result.index) == ["AAA", "BBB", "DDD"]  # CCC starts after 2013: dropped
    assert result.loc["AAA", "value"] == pytest.approx(160.0)  # 100 + 3/5 * 100
    assert (result.loc["AAA", "from_year"], result.loc["AAA", "to_year"]) == (2010, 2015)
    assert result.loc["BBB", "value"] == pytest.approx(7.0)    # the observed year itself
    assert (result.loc["BBB", "from_year"], result.loc["BBB", "to_year"]) == (2013, 2013)
    assert result.loc["DDD", "value"] == pytest.approx(16.0)   # missing 2015 skipped: 10 + 3/10 * 20
    assert (result.loc["DDD", "from_year"], result.loc["DDD", "to_year"]) == (2010, 2020)


def test_interpolate_year_after_the_last_observation_returns_an_empty_frame_with_columns():
    frame = pd.DataFrame({"country_code": ["AAA", "AAA"], "year": [2010, 2015], "value": [1.0, 2.0]})
    result = indicators.interpolate_year(frame, "value", 2016)
    assert result.empty
    assert list(result.columns) == ["country_code", "value", "from_year", "to_year"]


# --- remittances as % of GDP, real WDI file ---------------------------------------------

def _raw_remittance_share(code: str, year: int) -> float:
    row = next(r for r in _csv("wdi_remittances_oda_fdi_gdp.csv")
               if r["country_code"] == code and r["year"] == str(year))
    return 100 * float(row["remittances_received_usd"]) / float(row["gdp_current_usd"])


@pytest.fixture(scope="module")
def shares_2013() -> pd.DataFrame:
    shares = indicators.remittances_share_of_gdp(data.load("wdi_remittances"))
    return indicators.rank_within(shares[shares.year == 2013], "remittances_pct_gdp", "year").set_index("country_code")


@pytest.mark.parametrize("code, share, rank", [
    # 100 * remittances / GDP from data/external/wdi_remittances_oda_fdi_gdp.csv, 2013, economies only:
    # TJK 43.768, KGZ 31.056, TON 27.154, NPL 25.195, MDA 23.077
    ("TJK", 43.77, 1),
    ("KGZ", 31.06, 2),
    ("MDA", 23.08, 5),
])
def test_remittance_share_of_gdp_2013_and_rank_among_economies(shares_2013, code, share, rank):
    assert shares_2013.loc[code, "remittances_pct_gdp"] == pytest.approx(_raw_remittance_share(code, 2013), rel=1e-9)
    assert shares_2013.loc[code, "remittances_pct_gdp"] == pytest.approx(share, abs=0.005)
    assert shares_2013.loc[code, "rank"] == rank


def test_remittance_ranking_2013_top_five_and_no_aggregates(shares_2013):
    top = shares_2013.sort_values("rank").head(5)
    assert top.index.tolist() == ["TJK", "KGZ", "TON", "NPL", "MDA"]
    assert not {"WLD", "LMY", "ECS", "EUU"} & set(shares_2013.index)


def test_remittances_share_drops_rows_without_gdp_or_remittances():
    wdi = pd.DataFrame({"country_name": ["A", "B", "C", "W"], "country_code": ["TJK", "KGZ", "MDA", "WLD"],
                        "year": [2013] * 4, "remittances_received_usd": [10.0, None, 5.0, 1.0],
                        "gdp_current_usd": [40.0, 100.0, None, 4.0]})
    shares = indicators.remittances_share_of_gdp(wdi)
    assert shares["country_code"].tolist() == ["TJK"]
    assert shares["remittances_pct_gdp"].tolist() == pytest.approx([25.0])


# --- migrant stocks by UN revision, real files ---------------------------------------------

@pytest.fixture(scope="module")
def stocks() -> pd.DataFrame:
    return indicators.migrant_stocks_by_revision(data.load("wdi_migrant_stock"),
                                                 data.load("undesa_destination_totals"))


@pytest.fixture(scope="module")
def ranking_2013(stocks) -> pd.DataFrame:
    return indicators.migrant_stock_ranking(stocks, 2013)


def _raw_stock_2013(rows: list[dict], name_column: str, name: str, value_column: str, **match) -> float:
    by_year = {int(r["year"]): float(r[value_column]) for r in rows
               if r[name_column] == name and all(r[k] == v for k, v in match.items())}
    return by_year[2010] + 3 / 5 * (by_year[2015] - by_year[2010])


def test_migrant_stocks_hold_three_revisions_economies_only(stocks):
    assert set(stocks["vintage"]) == {"wdi_2018-08-01", "undesa_ims2019", "wdi_2026-07-01"}
    assert stocks["revision"].notna().all()
    assert not {"WLD", "LMY", "ECS", "EUU"} & set(stocks["country_code"].dropna())
    un_russia = stocks[(stocks.vintage == "undesa_ims2019") & (stocks.country_name == "Russian Federation")]
    assert set(un_russia["country_code"]) == {"RUS"}
    # data/external/undesa_ims2019_destination_totals.csv: Russian Federation 2019 = 11,639,894
    assert un_russia.set_index("year").loc[2019, "international_migrant_stock"] == pytest.approx(11_639_894)


@pytest.mark.parametrize("vintage, rank, raw", [
    # ranks verified by interpolating every economy's 2010 and 2015 values in the CSV files:
    # 2018 vintage: USA, DEU, RUS; UN 2019: USA, RUS, DEU; 2026 vintage: USA, DEU, SAU, RUS
    ("wdi_2018-08-01", 3, ("wdi_international_migrant_stock.csv", "country_name", "international_migrant_stock",
                           {"vintage": "wdi_2018-08-01"})),
    ("undesa_ims2019", 2, ("undesa_ims2019_destination_totals.csv", "destination", "migrant_stock_sum_of_origins",
                           {})),
    ("wdi_2026-07-01", 4, ("wdi_international_migrant_stock.csv", "country_name", "international_migrant_stock",
                           {"vintage": "wdi_2026-07-01"})),
])
def test_russia_migrant_stock_rank_2013_depends_on_revision(ranking_2013, vintage, rank, raw):
    row = ranking_2013[(ranking_2013.vintage == vintage) & (ranking_2013.country_code == "RUS")]
    assert len(row) == 1
    row = row.iloc[0]
    assert row["rank"] == rank
    assert bool(row["interpolated"]) is True
    assert (row["from_year"], row["to_year"]) == (2010, 2015)
    assert row["year"] == 2013
    file, name_column, value_column, match = raw
    expected = _raw_stock_2013(_csv(file), name_column, "Russian Federation", value_column, **match)
    assert row["international_migrant_stock"] == pytest.approx(expected, rel=1e-12)


def test_russia_interpolated_2013_stock_values(ranking_2013):
    russia = ranking_2013[ranking_2013.country_code == "RUS"].set_index("vintage")["international_migrant_stock"]
    # 0.4 * 2010 + 0.6 * 2015 from the CSV files
    assert russia["wdi_2018-08-01"] == pytest.approx(11_463_849.6)
    assert russia["undesa_ims2019"] == pytest.approx(11_463_245.4)
    assert russia["wdi_2026-07-01"] == pytest.approx(9_938_828.2)


def test_united_states_ranks_first_in_every_revision_2013(ranking_2013):
    first = ranking_2013[ranking_2013["rank"] == 1]
    assert sorted(first["vintage"]) == ["undesa_ims2019", "wdi_2018-08-01", "wdi_2026-07-01"]
    assert set(first["country_code"]) == {"USA"}


def test_migrant_stock_ranking_of_a_published_year_is_not_interpolated(stocks):
    ranking = indicators.migrant_stock_ranking(stocks, 2015)
    russia = ranking[(ranking.country_code == "RUS") & (ranking.vintage == "wdi_2018-08-01")].iloc[0]
    assert bool(russia["interpolated"]) is False
    assert russia["international_migrant_stock"] == pytest.approx(11_643_276)  # see the descriptor


def test_iso3_from_un_name():
    assert indicators.iso3_from_name("Republic of Moldova") == "MDA"
    assert indicators.iso3_from_name("Russian Federation") == "RUS"


def test_iso3_from_unknown_name_raises_key_error_naming_it():
    with pytest.raises(KeyError, match="Atlantis of Nowhere"):
        indicators.iso3_from_name("Atlantis of Nowhere")


def test_country_year_value_reads_one_cell_and_names_what_is_missing():
    rates = pd.read_csv(REPO / "data" / "external" / "wdi_official_exchange_rate.csv")
    # RUS 2013 in data/external/wdi_official_exchange_rate.csv: 31.8371436402813 roubles per US$
    assert indicators.country_year_value(rates, "lcu_per_usd", "RUS", 2013) == pytest.approx(31.8371436, rel=1e-8)
    with pytest.raises(KeyError, match="no lcu_per_usd for RUS in 1850"):
        indicators.country_year_value(rates, "lcu_per_usd", "RUS", 1850)


# --- rankings over every year at once, on a frame small enough to check by hand -------------

def _tiny_stocks() -> pd.DataFrame:
    rows = [  # vintage, code, name, year, stock
        ("v1", "AAA", "Aland", 2010, 100.0), ("v1", "AAA", "Aland", 2015, 200.0),
        ("v1", "BBB", "Borduria", 2010, 150.0), ("v1", "BBB", "Borduria", 2015, 150.0),
        ("v1", None, "Carpania", 2015, 300.0),                      # no 2010: not ranked before 2015
        ("v2", "AAA", "Aland", 2010, 10.0), ("v2", "AAA", "Aland", 2015, 40.0), ("v2", "AAA", "Aland", 2020, 50.0),
        ("v2", "BBB", "Borduria", 2010, 20.0), ("v2", "BBB", "Borduria", 2015, 40.0),
        ("v2", "BBB", "Borduria", 2020, None),                      # a published year without a value
    ]
    frame = pd.DataFrame(rows, columns=["vintage", "country_code", "country_name", "year", "international_migrant_stock"])
    frame["revision"] = frame["vintage"].map({"v1": "first revision", "v2": "second revision"})
    return frame.sample(frac=1, random_state=3)  # the input order must not matter


def test_migrant_stock_rankings_every_published_year_plus_2013_by_hand():
    rankings = indicators.migrant_stock_rankings(_tiny_stocks(), also={2013})
    got = [(r.year, r.vintage, r.country_name, r.international_migrant_stock, r.from_year, r.to_year, r.rank,
            r.interpolated) for r in rankings.itertuples()]
    assert got == [
        (2010, "v1", "Borduria", 150.0, 2010, 2010, 1, False),
        (2010, "v1", "Aland", 100.0, 2010, 2010, 2, False),
        (2010, "v2", "Borduria", 20.0, 2010, 2010, 1, False),
        (2010, "v2", "Aland", 10.0, 2010, 2010, 2, False),
        (2013, "v1", "Aland", pytest.approx(160.0), 2010, 2015, 1, True),   # 100 + 3/5 * (200 - 100)
        (2013, "v1", "Borduria", 150.0, 2010, 2015, 2, True),
        (2013, "v2", "Borduria", pytest.approx(32.0), 2010, 2015, 1, True),  # 20 + 3/5 * (40 - 20)
        (2013, "v2", "Aland", pytest.approx(28.0), 2010, 2015, 2, True),     # 10 + 3/5 * (40 - 10)
        (2015, "v1", "Carpania", 300.0, 2015, 2015, 1, False),
        (2015, "v1", "Aland", 200.0, 2015, 2015, 2, False),
        (2015, "v1", "Borduria", 150.0, 2015, 2015, 3, False),
        (2015, "v2", "Aland", 40.0, 2015, 2015, 1, False),                   # a tie: both first, by name
        (2015, "v2", "Borduria", 40.0, 2015, 2015, 1, False),
        (2020, "v2", "Aland", 50.0, 2020, 2020, 1, False),                   # v1 publishes no 2020
    ]
    assert list(rankings.columns) == ["vintage", "revision", "year", "country_code", "country_name",
                                      "international_migrant_stock", "from_year", "to_year", "rank", "interpolated"]
    assert rankings["country_code"].tolist()[:2] == ["BBB", "AAA"]
    assert pd.isna(rankings.loc[8, "country_code"])  # Carpania has no code
    assert rankings.loc[4, "revision"] == "first revision"
    dtypes = rankings.dtypes.astype(str).to_dict()
    assert {column: dtypes[column] for column in ["year", "international_migrant_stock", "from_year", "to_year",
                                                  "rank", "interpolated"]} == {
        "year": "int64", "international_migrant_stock": "float64", "from_year": "int64", "to_year": "int64",
        "rank": "int64", "interpolated": "bool"}


def test_migrant_stock_ranking_of_one_year_is_that_year_of_the_rankings():
    stocks = _tiny_stocks()
    one = indicators.migrant_stock_ranking(stocks, 2013)
    block = indicators.migrant_stock_rankings(stocks, also={2013}).query("year == 2013").reset_index(drop=True)
    pd.testing.assert_frame_equal(one, block, check_dtype=False)
    # a year no revision reaches on both sides gives no rows, but the same columns
    assert indicators.migrant_stock_ranking(stocks, 2030).empty
    assert list(indicators.migrant_stock_ranking(stocks, 2030).columns) == list(one.columns)


def test_interpolate_year_keeps_the_first_row_of_a_duplicated_year_and_int_keys():
    frame = pd.DataFrame({"code": [7, 7, 7, 3, 3], "year": [2013, 2013, 2010, 2010, 2020],
                          "value": [5.0, 6.0, 1.0, 0.0, 100.0]})
    result = indicators.interpolate_year(frame, "value", 2013, by="code")
    assert result.to_dict("list") == {"code": [3, 7], "value": [pytest.approx(30.0), 5.0],
                                      "from_year": [2010, 2013], "to_year": [2020, 2013]}
    assert result["code"].dtype == "int64"
