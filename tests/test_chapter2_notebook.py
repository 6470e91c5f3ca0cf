"""Chapter 2 run by papermill with its defaults and for another host country: the glued numbers
against values computed here from the CSV files with nothing but pandas, the charts it writes,
and parameters it must refuse by name."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import papermill
import pytest

from test_notebooks import (PARAMETER_SETS, _data_copy_without_hash, assert_figure_written, assert_glued_values,
                            csv, execute, execute_each, glued, switch_off_checks)

REPO = Path(__file__).resolve().parents[1]
CHAPTER_2 = REPO / "notebooks" / "02_post_2022_emigration.ipynb"
DEFAULTS = {"host_country": "Netherlands", "from_year": 2015}
CHARTS = ["ch02_asylum_by_destination", "ch02_host_profile", "ch02_russia_population", "ch02_population_components",
          "ch02_russians_abroad", "ch02_permit_jump"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return execute_each(CHAPTER_2, PARAMETER_SETS[CHAPTER_2.stem], tmp_path_factory)


def expected_chapter2(host_country: str, from_year: int) -> dict:
    """The chapter's key numbers, recomputed from the CSV files with nothing but pandas."""
    asylum = csv("external/unhcr_asylum_applications_by_russians_2000_2025.csv")
    new = asylum[asylum.app_type == "N"]
    per_year = asylum.groupby("year")["applied"].sum()
    peak_year = int(per_year.loc[2022:].idxmax())
    codes = {"Netherlands": "NLD", "Germany": "DEU"}
    host = codes[host_country]
    host_new = new[new.coa_iso == host].groupby("year")["applied"].sum()
    nl_new = new[new.coa_iso == "NLD"].groupby("year")["applied"].sum()
    nl_all = asylum[asylum.coa_iso == "NLD"].groupby("year")["applied"].sum()
    korea_new = new[new.coa_iso == "KOR"].groupby("year")["applied"].sum()
    eurostat = csv("external/eurostat_asylum_applicants_russians_by_sex_2011_2024.csv")
    eurostat_nl = eurostat[eurostat.geo_iso3 == "NLD"].groupby("year")["asylum_applicants"].sum()
    population = csv("external/wdi_population_russia_1960_2025.csv").set_index("year")["population"]
    cbs = csv("pages/cbs60032_arrivals_from_russia_2022.csv")
    born = cbs[(cbs.sex == "Totaal mannen en vrouwen") & (cbs.country_of_birth == "Land herkomst / vestiging")]
    citizens = csv("external/eurostat_russian_citizens_first_permits_residents_1998_2024.csv")
    permits = citizens[(citizens.dataset == "migr_resfirst") & (citizens.geo == "Netherlands")].set_index("year")["value"]
    jobs = csv("external/eurostat_first_permits_employment_russians_2008_2025.csv")
    jobs = jobs[jobs.iso3 == "NLD"].set_index("year")["first_permits_employment_russia"]
    thresholds = csv("seeds/seed004_kennismigrant_thresholds_2008.csv").set_index("group")["threshold_eur_gross_per_year"]
    since = asylum[asylum.year >= 2022]
    wpp = csv("external/wpp2024_demographic_components_russia_1950_2023.csv")
    wpp = wpp[wpp.year > 1991]
    protection = csv("external/unhcr_refugees_asylum_seekers_from_russia_1990_2025.csv")
    protection = protection[protection.coa_iso != "RUS"]
    sheltered = (protection.refugees + protection.asylum_seekers).groupby(protection.year).sum()
    kazakhstan = protection[(protection.coa_iso == "KAZ") & (protection.year == asylum.year.max())]
    eu_permits = citizens[(citizens.dataset == "migr_resfirst") & citizens.value.notna()
                          & ~citizens.geo.isin(["Norway", "United Kingdom"])]
    eu_permits = eu_permits.groupby("year")["value"].sum()
    stock_peak = int(sheltered.loc[2022:].idxmax())
    return {
        "ch02_host_country": host_country, "ch02_from_year": from_year, "ch02_latest_year": int(asylum.year.max()),
        "ch02_world_before": int(per_year[2021]), "ch02_world_peak_year": peak_year,
        "ch02_world_peak": int(per_year[peak_year]),
        "ch02_host_new_before": float(host_new.get(2021, 0)), "ch02_host_new_invasion": float(host_new.get(2022, 0)),
        "ch02_host_window": int(since[since.coa_iso == host]["applied"].sum()),
        "ch02_korea_new": int(korea_new[2023]), "ch02_korea_earlier_total": int(korea_new.loc[:2022].sum()),
        "ch02_nl_new_before": int(nl_new[2021]), "ch02_nl_new_invasion": int(nl_new[2022]),
        "ch02_nl_new_after": int(nl_new[2023]), "ch02_nl_all_invasion": int(nl_all[2022]),
        "ch02_nl_ratio_new": nl_new[2022] / nl_new[2021], "ch02_nl_eurostat_invasion": int(eurostat_nl[2022]),
        "ch02_pop_invasion_m": population[2022] / 1e6, "ch02_pop_gap_end_m": (population[1991] - population[2022]) / 1e6,
        "ch02_pop_peak_year": int(population.idxmax()),
        "ch02_cbs_born": float(born["immigration"].iloc[0]),
        "ch02_nl_permits_ratio": permits[2022] / permits[2021], "ch02_nl_jobs_ratio": jobs[2022] / jobs[2021],
        "ch02_nl_jobs_ratio_mean": jobs[2022] / jobs.loc[2019:2021].mean(),
        "ch02_threshold_general": float(thresholds["knowledge migrants (general criterion)"]),
        "ch02_threshold_young": float(thresholds["knowledge migrants under 30"]),
        "ch02_claims_total": int((csv("claims.csv")["chapter"] == 2).sum()),
        "ch02_deaths_excess_m": (wpp.deaths_thousands - wpp.births_thousands).sum() / 1e3,
        "ch02_kaz_protection": float((kazakhstan.refugees + kazakhstan.asylum_seekers).sum()),
        "ch02_eu_permits_invasion": float(eu_permits[2022]),
        "ch02_registrations_sum": float(sheltered[stock_peak] - sheltered[2021] + per_year.loc[2022:2023].sum()
                                        + eu_permits.loc[2022:2023].sum()),
    }


@pytest.mark.parametrize("index", [0, 1], ids=["defaults", "germany_2010"])
def test_chapter2_glued_numbers_match_the_data(runs, index):
    parameters = DEFAULTS | PARAMETER_SETS[CHAPTER_2.stem][index]
    values = glued(runs[index][0])
    assert isinstance(values["ch02_from_year"], int)  # 2010.0 is normalised, never shown as "2010.0"
    assert_glued_values(values, expected_chapter2(parameters["host_country"], int(parameters["from_year"])))


def test_chapter2_defaults_reproduce_the_article_checks(runs):
    values = glued(runs[0][0])
    assert values["ch02_korea_verdict"] == "confirmed" and values["ch02_korea_rank_verdict"] == "contradicted"
    assert (values["ch02_korea_data_first"], values["ch02_korea_years_missing"]) == (2000, 2)
    assert values["ch02_pop_soviet_years"] == "only for 1991, the last Soviet year"
    assert values["ch02_cbs_verdict"] == "confirmed" and values["ch02_cbs_gap"] == "+0.9\u00a0%"
    assert values["ch02_nl_verdicts"] == "confirmed, close and confirmed"
    assert values["ch02_summary_article"].startswith("Of 28 claims of the article, 18 cannot be checked")
    assert values["ch02_summary_news"] == "Of 3 claims of the news item, 3 cannot be checked with our data."
    assert values["ch02_nl_permits_place_phrase"].startswith("the 2nd largest, after Denmark")
    # "more than four million fewer": right against 1991, and the text says so in words
    assert values["ch02_pop_gap_reading"].startswith("Against 1991 the sentence is right")
    assert values["ch02_natural_invasion"].startswith("\u2212")  # a true minus, not a hyphen
    assert values["ch02_registrations_against_lower"].startswith("even added up they stay below")
    assert values["ch02_kaz_stock_origin"] == "a stock left mostly by Soviet times"
    assert values["ch02_host_peak_clause"] == ""  # the Netherlands' peak was the invasion year itself


def test_chapter2_follows_its_parameters(runs):
    defaults, germany = glued(runs[0][0]), glued(runs[1][0])
    assert germany["ch02_host"] == "Germany" and defaults["ch02_host"] == "the Netherlands"
    assert germany["ch02_host_window"] != defaults["ch02_host_window"]
    # the stacked bars start in from_year and show the host country
    bars = pd.read_csv(runs[1][1] / "chart_data" / "ch02_asylum_by_destination.csv")
    assert bars["year"].min() == 2010 and "Germany" in set(bars["group"])
    profile = pd.read_csv(runs[1][1] / "chart_data" / "ch02_host_profile.csv")
    assert profile["year"].min() == 2010
    # asylum counts and permits sit in panels of their own (permits would flatten the asylum lines)
    panels = profile.groupby("panel")["measure"].agg(set).to_dict()
    assert panels == {"Asylum: claims and applicants": {"UNHCR: new asylum claims", "UNHCR: all asylum claims"},
                      "Residence permits: first permits": {"Eurostat: first permits, all reasons"}}
    assert "The article (source document 001)" not in set(profile["measure"])  # diamonds are the Netherlands' only
    nl_profile = pd.read_csv(runs[0][1] / "chart_data" / "ch02_host_profile.csv")
    assert set(nl_profile.loc[nl_profile.measure == "The article (source document 001)", "value"]) == {590, 330}


def test_chapter2_writes_every_chart_and_its_data(runs):
    folder = runs[0][1] / "chart_data"
    source = (REPO / "book" / "chapters" / "02_post_2022_emigration.md").read_text(encoding="utf-8")
    for stem in CHARTS:
        assert f"chart_data/{stem}.csv" in source, f"the chapter does not link {stem}.csv"
        assert len(pd.read_csv(folder / f"{stem}.csv")) > 5, f"{stem}.csv is nearly empty"
        assert_figure_written(folder, stem)
    claims_csv = pd.read_csv(folder / "ch02_claims.csv")
    assert len(claims_csv) == 31


def test_chapter2_lists_every_uncheckable_claim_with_its_source_and_what_would_check_it(runs):
    """Section e: a list (a four-column table of sentences does not fit a phone), one item per
    claim marked `none:` in the ledger, each naming the source the text names and the reason."""
    ledger = csv("claims.csv")
    unchecked = ledger[(ledger.chapter == 2) & ledger.check.str.startswith("none")]
    lists = [output["data"]["text/markdown"] for cell in runs[0][0].cells for output in cell.get("outputs", [])
             if "Why our data cannot check it" in output.get("data", {}).get("text/markdown", "")]
    assert len(lists) == 1
    items = lists[0].split("\n- ")
    assert len(items) == len(unchecked) == 21
    korea_origins = next(item for item in items if "any other country" in item)
    assert "Refugee Data Finder" in korea_origins  # the public table that would check it
    assert "*Source the text names:* Outrush (L51)." in lists[0]  # the source the article names


def test_chapter2_normalises_the_host_country_name(tmp_path):
    values = glued(execute(CHAPTER_2, tmp_path, {"host_country": "  germany "}))
    assert values["ch02_host_country"] == "Germany"


@pytest.mark.parametrize("parameters, named", [
    ({"host_country": "Narnia"}, ["host_country='Narnia'", "'Germany'", "'Netherlands'", "South Korea"]),
    ({"host_country": 7}, ["host_country=7", "must be text"]),
    ({"from_year": 2022}, ["from_year=2022", "before 2022", "2000", "2021"]),
    ({"from_year": "2015"}, ["from_year='2015'", "whole number"]),
    ({"from_year": 2015.5}, ["from_year", "2015.5", "whole number"]),
    ({"host_contry": "Germany"}, ["unknown parameter(s) host_contry", "from_year, host_country"]),
], ids=["unknown_country", "country_not_text", "year_after_invasion", "year_as_text", "fractional_year", "misspelt_name"])
def test_chapter2_rejects_a_bad_parameter_by_name(tmp_path, parameters, named):
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        execute(CHAPTER_2, tmp_path, parameters)
    assert failure.value.ename == "ParameterError"
    for text in named:
        assert text in failure.value.evalue, f"{text!r} not in: {failure.value.evalue}"


def test_chapter2_copes_with_every_check_switched_off(tmp_path, monkeypatch):
    """Marking every claim of chapter 2 `none: <reason>` must not break the chapter: it reads only
    claimed values and verdicts from the ledger, never a recomputed value."""
    switch_off_checks(tmp_path, chapter=2)
    monkeypatch.setenv("BOOK_ROOT", str(tmp_path))
    (tmp_path / "run").mkdir()
    values = glued(execute(CHAPTER_2, tmp_path / "run", {}))
    assert values["ch02_summary_article"].startswith("Of 28 claims of the article, 28 cannot be checked")
    assert values["ch02_korea_verdict"] == "not checkable with our data"
    assert values["ch02_nl_new_invasion"] == 590  # computed from the data, not read from the ledger


def test_chapter2_stops_on_a_malformed_data_file(tmp_path, monkeypatch):
    folder = _data_copy_without_hash(tmp_path, "cbs_arrivals_from_russia_2022")
    path = folder / "pages" / "cbs60032_arrivals_from_russia_2022.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",4458,", ",-4458,"), encoding="utf-8")
    monkeypatch.setenv("BOOK_ROOT", str(tmp_path))
    (tmp_path / "run").mkdir()
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        execute(CHAPTER_2, tmp_path / "run", {})
    assert failure.value.ename == "DataValidationError"
    for text in ["data/pages/cbs60032_arrivals_from_russia_2022.csv", "row 3", "column 'immigration'"]:
        assert text in failure.value.evalue, f"{text!r} not in: {failure.value.evalue}"
