"""migration_recomputed.emigration (chapter 2): its tables and its checks of the claims ledger,
against real values read straight from the data files."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from migration_recomputed import claims, data, emigration

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


def _rows(relative_path: str) -> list[dict]:
    with open(DATA / relative_path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _applied(code: str, year: int, new_only: bool) -> int:
    return sum(int(row["applied"]) for row in _rows("external/unhcr_asylum_applications_by_russians_2000_2025.csv")
               if row["coa_iso"] == code and int(row["year"]) == year and (row["app_type"] == "N" or not new_only))


@pytest.fixture(scope="module")
def by_host() -> pd.DataFrame:
    return emigration.applications_by_host(data.load("unhcr_asylum_applications_russians"))


@pytest.fixture(scope="module")
def ledger() -> pd.DataFrame:
    return data.load("claims")


def _claim(ledger: pd.DataFrame, claim_id: str) -> pd.Series:
    return ledger[ledger.claim_id == claim_id].iloc[0]


# --- asylum applications ------------------------------------------------------------------------

@pytest.mark.parametrize("code, year, new, everything", [
    ("NLD", 2021, 205, 233), ("NLD", 2022, 590, 619), ("NLD", 2023, 330, 359),  # the article's 590 and 330
    ("KOR", 2023, 5750, 6174),                                                  # the article's 5,750; with appeals
])
def test_applications_by_host_splits_new_claims_from_all(by_host, code, year, new, everything):
    row = by_host[(by_host.code == code) & (by_host.year == year)].iloc[0]
    assert (row["new_applications"], row["all_applications"]) == (new, everything)
    assert (_applied(code, year, True), _applied(code, year, False)) == (new, everything)


def test_names_are_short_and_said_with_their_article(by_host):
    assert emigration.country_name("KOR") == "South Korea" and emigration.country_name("TUR") == "Turkey"
    assert emigration.in_prose("Netherlands") == "the Netherlands" and emigration.in_prose("Germany") == "Germany"
    assert by_host.set_index("code").loc["NLD", "country"].iloc[0] == "Netherlands"


def test_world_totals_peak_in_2023(by_host):
    world = emigration.world_totals(by_host).set_index("year")
    raw = sum(int(row["applied"]) for row in _rows("external/unhcr_asylum_applications_by_russians_2000_2025.csv")
              if row["year"] == "2023")
    assert world.at[2023, "all_applications"] == raw == 81_075
    assert world.at[2021, "all_applications"] == 16_903
    assert int(world.loc[2022:, "all_applications"].idxmax()) == 2023


def test_the_largest_destinations_since_the_invasion(by_host):
    ranked = emigration.destinations_ranked(by_host, 2022, 2025).set_index("code")
    assert ranked.at["USA", "rank"] == 1 and ranked.at["DEU", "rank"] == 2
    assert ranked.at["USA", "all_applications"] == 80_830


def test_korea_2023_against_the_25_years_before(by_host):
    found = emigration.year_against_earlier(by_host, "KOR", 2023, 25)
    # UNHCR starts in 2000: 2000-2022 holds 7,942 new claims (324 + 692 + 1,916 + 2,829 + 1,064 + ... )
    assert found == {"count": 5750, "earlier_total": 7942, "first_year": 2000, "last_year": 2022,
                     "wanted_first_year": 1998, "years_missing": 2, "rank": 2}
    assert sum(_applied("KOR", year, True) for year in range(2000, 2023)) == 7942


def test_host_series_fills_years_without_claims_with_zero(by_host):
    korea = emigration.host_series(by_host, "KOR").set_index("year")
    assert korea.index.min() == 2000 and korea.at[2000, "new_applications"] == 0
    assert korea.at[2019, "new_applications"] == 2829


# --- Russia's population ------------------------------------------------------------------------

def test_population_gaps_exceed_four_million_only_in_1991():
    gaps = emigration.population_gaps(data.load("wdi_population_russia"), 2022).set_index("year")
    raw = {int(row["year"]): int(row["population"]) for row in _rows("external/wdi_population_russia_1960_2025.csv")}
    assert raw[2022] == 144_236_933 and raw[1991] == 148_394_216
    assert gaps.at[1991, "more_than_in_year"] == raw[1991] - raw[2022] == 4_157_283
    assert gaps.at[1990, "more_than_in_year"] == 3_732_473
    assert list(gaps.index[gaps["more_than_in_year"] > 4e6]) == [1991]


def test_population_components_separate_natural_change_from_modelled_migration():
    components = emigration.population_components(data.load("wpp2024_components_russia"), 1990)
    wide = components.pivot(index="year", columns="component", values="thousands")
    assert wide.at[2022, "Net migration (UN model estimate)"] == pytest.approx(765.629)
    row = next(r for r in _rows("external/wpp2024_demographic_components_russia_1950_2023.csv") if r["year"] == "2022")
    assert wide.at[2022, "Natural change (births minus deaths)"] == pytest.approx(
        float(row["births_thousands"]) - float(row["deaths_thousands"]))  # 1,334.912 - 1,909.498


# --- Russians abroad ----------------------------------------------------------------------------

def test_born_in_russia_abroad_with_an_eu_row():
    born = emigration.born_in_russia_abroad(data.load("undesa_bilateral_stock"))
    in_2019 = born[born.year == 2019].set_index("code")["born_in_russia"]
    assert in_2019["KAZ"] == 2_458_414 and in_2019["DEU"] == 999_162
    assert in_2019["EU27"] == in_2019.reindex(emigration.EU27).sum()


def test_protection_abroad_leaves_russia_itself_out():
    sheltered = emigration.protection_abroad(data.load("unhcr_population_of_concern_russians"))
    assert "RUS" not in set(sheltered["code"])
    assert emigration.host_row(sheltered, "NLD", 2022) == 1060 + 524  # refugees + asylum-seekers
    assert emigration.host_row(sheltered, "KAZ", 2022) == 23
    assert emigration.host_row(sheltered, "TUR", 2022) == 0  # no row: UNHCR reports none


# --- permits and arrivals -------------------------------------------------------------------------

def test_first_permits_jump_in_the_netherlands():
    permits = emigration.first_permits(data.load("eurostat_russian_citizens"))
    jump = emigration.permit_jump(permits, data.load("eurostat_employment_permits_russians"), 2021, 2022)
    every = jump[jump.measure == emigration.MEASURE_PERMITS].set_index("code")
    jobs = jump[jump.measure == emigration.MEASURE_EMPLOYMENT].set_index("code")
    assert (every.at["NLD", "base"], every.at["NLD", "value"]) == (2855, 6435)
    assert every.at["NLD", "rank"] == 2 and every.at["DNK", "rank"] == 1 and len(every) == 8
    assert jobs.at["NLD", "ratio"] == pytest.approx(2521 / 724) and jobs.at["NLD", "rank"] == 1


def test_employment_permits_almost_four_times_the_three_years_before():
    jobs = emigration.employment_series(data.load("eurostat_employment_permits_russians"), "NLD")
    assert jobs[2022] / jobs.loc[2019:2021].mean() == pytest.approx(2521 / ((675 + 508 + 724) / 3))


def test_cbs_counts_4458_arrivals_born_in_russia():
    cbs = data.load("cbs_arrivals_from_russia_2022")
    assert emigration.cbs_born_in_russia(cbs) == 4458
    assert emigration.cbs_born_in_russia(cbs, "Mannen") + emigration.cbs_born_in_russia(cbs, "Vrouwen") == 4458


def test_host_measures_hold_what_the_files_have(by_host):
    args = (by_host, data.load("eurostat_asylum_applicants_russians"),
            emigration.first_permits(data.load("eurostat_russian_citizens")),
            data.load("eurostat_employment_permits_russians"))
    netherlands = emigration.host_measures(*args, "NLD", 2015)
    assert netherlands["measure"].nunique() == 5 and netherlands["year"].min() == 2015
    eurostat = netherlands[netherlands.measure == emigration.MEASURE_EUROSTAT_ASYLUM].set_index("year")["value"]
    assert eurostat[2022] == 620  # 180 women + 440 men, rounded by Eurostat
    korea = emigration.host_measures(*args, "KOR", 2015)
    assert set(korea["measure"]) == {emigration.MEASURE_NEW, emigration.MEASURE_ALL}


def test_the_2008_thresholds_are_parsed_from_the_policy_note():
    table = data.load("seed004_kennismigrant_thresholds").set_index("group")
    assert table.at["knowledge migrants (general criterion)", "threshold_eur_gross_per_year"] == 47_565
    assert table.at["knowledge migrants under 30", "threshold_eur_gross_per_year"] == 34_881
    assert pd.isna(table.at["scientific researchers", "threshold_eur_gross_per_year"])


# --- the checks of chapter 2 -------------------------------------------------------------------------

def test_chapter2_checks_are_registered_beside_their_tables():
    checks = claims.registered_checks()
    kinds = {"unhcr_new_applications_by_russians": claims.INDEPENDENT,
             "unhcr_new_applications_by_russians_ratio": claims.INDEPENDENT,
             "unhcr_year_against_earlier_years": claims.INDEPENDENT, "russia_population": claims.INDEPENDENT,
             "russia_population_decline_since": claims.INDEPENDENT, "cbs_arrivals_born_in_russia": claims.INDEPENDENT,
             "within_range_of_claims": claims.INTERNAL}
    for name, kind in kinds.items():
        assert checks[name].kind == kind, name
        assert checks[name].function.__module__ == "migration_recomputed.emigration"


@pytest.mark.parametrize("claim_id, recomputed, verdict", [
    ("S001-C05", 5750, "confirmed"),                  # South Korea, 2023
    ("S001-C07", 2, "contradicted"),                  # 2023 comes second against 2000-2022 combined
    ("S001-C15", 144_236_933, "confirmed"),           # about 144 million in 2022
    ("S001-C16", 4_157_283, "close"),                 # 1991 minus 2022: 'ruim vier miljoen' rounded down
    ("S001-C23", 4458, "confirmed"),                  # CBS arrivals born in Russia, 2022
    ("S001-C25", 590, "confirmed"),
    ("S001-C26", 590 / 205, "close"),                 # almost three times 2021
    ("S001-C27", 330, "confirmed"),
    ("S001-C01", 1_000_000, claims.CONSISTENT),       # the lede's million within the article's range
    ("S001-C02", 5, claims.CONSISTENT),               # five men = 2 + 3
])
def test_chapter2_claims_against_the_data(ledger, claim_id, recomputed, verdict):
    result = claims.check_claim(_claim(ledger, claim_id), ledger)
    assert result["recomputed"] == pytest.approx(recomputed)
    assert result["verdict"] == verdict


def test_the_korean_comparison_says_which_years_it_covers(ledger):
    basis = claims.check_claim(_claim(ledger, "S001-C07"), ledger)["basis"]
    assert "5,750 in 2023 against 7,942 in 2000-2022 combined" in basis
    assert "2 of the 25 years are missing" in basis


def test_within_range_gives_the_nearest_end_outside_the_range(ledger):
    claim = _claim(ledger, "S001-C01").copy()
    claim["value"] = 2_000_000
    result = claims.check_claim(claim, ledger)
    assert result["recomputed"] == 1_000_000 and result["verdict"] == claims.INCONSISTENT


def test_a_country_without_claims_is_named_in_the_error(ledger):
    claim = _claim(ledger, "S001-C25").copy()
    claim["check"] = "unhcr_new_applications_by_russians:XYZ"
    with pytest.raises(claims.ClaimCheckError, match="S001-C25.*no asylum application by Russians in XYZ"):
        claims.check_claim(claim, ledger)


def test_chapter2_ledger_accounts_for_every_claim(ledger):
    checked = claims.evaluate(ledger, chapter=2)
    assert len(checked) == 31 and set(checked["seed_file"]) == {"001_12cc6a5d36c896d5.txt", "002_5c5167c31e393191.txt"}
    counts = checked.groupby(["kind", "verdict"]).size().to_dict()
    assert counts == {("independent", "confirmed"): 5, ("independent", "close"): 2,
                      ("independent", "contradicted"): 1, ("internal", claims.CONSISTENT): 2,
                      ("unchecked", claims.NOT_CHECKABLE): 21}
    reasons = checked.loc[checked["kind"] == claims.UNCHECKED, "basis"]
    assert reasons.str.len().gt(20).all()  # every 'none:' names why, and what would check it
