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
