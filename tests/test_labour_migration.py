"""Chapter 1's tables (migration_recomputed.labour_migration) on the real data files."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migration_recomputed import data, indicators, labour_migration, prose


@pytest.fixture(scope="module")
def tabel1() -> pd.DataFrame:
    return data.load("seed000_tabel1_cis_migrants")


def test_implied_home_population_of_tajikistan(tabel1):
    home = labour_migration.implied_home_population(tabel1, data.load("wdi_population"), 2015).set_index("iso3")
    # seed Tabel 1: 999,169 Tajiks at 12.5 % -> 7,993,352; WDI SP.POP.TOTL TJK 2015 = 8,643,840
    assert home.at["TJK", "implied_home_population"] == pytest.approx(7_993_352)
    assert home.at["TJK", "world_bank_population"] == 8_643_840
    assert home.at["TJK", "difference_pct"] == pytest.approx(100 * (7_993_352 / 8_643_840 - 1))
    # Moldova is the outlier: 561,033 at 15.8 % imply 3.55 million against 2.84 million
    assert home["difference_pct"].abs().idxmax() == "MDA"
    assert len(home) == 9


def test_remittance_transfers_implied_counts(tabel1):
    transfers = labour_migration.remittance_transfers(data.load("seed000_tabel2_remittances"), tabel1).set_index("iso3")
    # seed Tabel 2: Tajikistan 4.17 bn US$ at 275 US$ a transfer
    assert transfers.at["TJK", "implied_transfers"] == pytest.approx(4.17e9 / 275)
    assert transfers.at["TJK", "transfers_per_migrant"] == pytest.approx(4.17e9 / 275 / 999_169)
    assert transfers["implied_transfers"].sum() == pytest.approx(60.72e6, rel=1e-3)


def test_two_counts_of_central_asians(tabel1):
    counts = labour_migration.central_asians_in_russia(data.load("undesa_bilateral_stock"), tabel1)
    assert set(counts["country"]) == set(labour_migration.CENTRAL_ASIA)
    fms = counts[counts.measure == labour_migration.FMS_MEASURE]
    assert len(fms) == 4 and set(fms.year) == {2015}  # Turkmenistan is not in Tabel 1
    both = labour_migration.fms_against_un(counts)
    # UN IMS 2019: 2,560,269 Kazakhstan-born in Russia in 2015; FMS: 597,559 Kazakh citizens
    assert both.at["Kazakhstan", "un_born_there"] == 2_560_269
    assert both.at["Kazakhstan", "fms_per_un"] == pytest.approx(597_559 / 2_560_269)
    assert both["fms_per_un"].idxmax() == "Tajikistan"


def test_rankings_keep_published_years_and_the_asked_one():
    stocks = indicators.migrant_stocks_by_revision(data.load("wdi_migrant_stock"), data.load("undesa_destination_totals"))
    rankings = indicators.migrant_stock_rankings(stocks, also={2013})
    years = rankings.groupby("vintage")["year"].unique().map(sorted).to_dict()
    assert years["undesa_ims2019"] == [1990, 1995, 2000, 2005, 2010, 2013, 2015, 2019]
    assert years["wdi_2026-07-01"] == [1990, 1995, 2000, 2005, 2010, 2013, 2015, 2020, 2024]
    assert rankings[rankings.year == 2013]["interpolated"].all()


def test_years_with_data_for_all():
    shares = indicators.remittances_share_of_gdp(data.load("wdi_remittances"))
    years = indicators.years_with_data_for_all(shares, {"TJK", "KGZ", "MDA"})
    assert years[0] == 2002 and 2013 in years  # Tajikistan's series starts in 2002


def test_glued_values_are_plain_python():
    assert type(prose.plain(np.float64(1.5))) is float
    assert type(prose.plain(np.int64(3))) is int
    assert prose.plain("Tajikistan") == "Tajikistan"
    with pytest.raises(TypeError, match="cannot glue a list"):
        prose.plain([1, 2])


def _cis_remittances(tabel1: pd.DataFrame) -> pd.DataFrame:
    share = indicators.remittances_share_of_gdp(data.load("wdi_remittances"))
    cis = share[share.country_code.isin(tabel1["iso3"])].copy()
    cis["country"] = cis["country_code"].map(tabel1.set_index("iso3")["country"])
    cis["is_focus"] = cis["country"].eq("Tajikistan").map({True: "focus country", False: "other"})
    cis["remittances_usd_bn"] = cis["remittances_received_usd"] / 1e9
    return cis[["country", "year", "remittances_pct_gdp", "remittances_usd_bn", "is_focus"]]


def _y_labels(svg: str) -> list[str]:
    """The axis labels of a drawn chart that are not years (the x axis's)."""
    import re

    group = re.findall(r'<g class="mark-text role-axis-label"[^>]*>(.*?)</g>', svg, flags=re.S)
    labels = [label for block in group for label in re.findall(r">([^<>]+)</text>", block)]
    return [label for label in labels if not re.fullmatch(r"\d{4}", label)]


def _reaches(ticks: list[float], largest: float) -> bool:
    """The axis ends within one tick step of the data's largest value (Vega rounds the end up)."""
    step = ticks[1] - ticks[0]
    return abs(ticks[-1] - largest) <= step


def test_remittance_chart_buttons_switch_between_share_and_dollars(tabel1):
    import copy

    from migration_recomputed import charts

    cis = _cis_remittances(tabel1)
    spec = labour_migration.remittances_chart(cis, 2013, sorted(cis.country.unique())).to_dict()
    [param] = spec["params"]
    assert param["name"] == "remittance_measure" and param["value"] == "share"
    assert param["bind"] == {"input": "radio", "options": ["share", "usd"], "labels": ["% of GDP", "billion US$"],
                             "name": "Remittances as "}
    layer = spec["spec"]["layer"][0]
    assert "remittance_measure" in layer["transform"][0]["calculate"] and layer["encoding"]["y"]["field"] == "shown"
    assert "remittance_measure" in layer["encoding"]["y"]["axis"]["labelExpr"]
    # drawn at the default (what the static image shows): % of GDP, ticks up to Tajikistan's peak
    labels = _y_labels(charts.static_svg(spec))
    assert labels and all(label.endswith(" %") for label in labels), labels
    assert _reaches(sorted({float(label.removesuffix(" %")) for label in labels}), cis["remittances_pct_gdp"].max())
    # drawn with the other button: billion US$, ticks up to the largest amount (Ukraine's)
    in_dollars = copy.deepcopy(spec)
    in_dollars["params"][0]["value"] = "usd"
    labels = _y_labels(charts.static_svg(in_dollars))
    assert labels and all(label.startswith("$") and label.endswith(" bn") for label in labels), labels
    assert _reaches(sorted({float(label[1:].removesuffix(" bn")) for label in labels}), cis["remittances_usd_bn"].max())
    with pytest.raises(ValueError, match="remittances_usd_bn"):
        labour_migration.remittances_chart(cis.drop(columns="remittances_usd_bn"), 2013, [])
