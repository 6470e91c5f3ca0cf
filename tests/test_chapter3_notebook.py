"""Chapter 3 run by papermill with its defaults and for Westland: the glued numbers against values
computed here from the CSV files with nothing but pandas, the charts it writes, and parameters it
must refuse by name."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import papermill
import pytest

from test_notebooks import (PARAMETER_SETS, assert_figure_written, assert_glued_values, csv, execute, execute_each,
                            glued)

REPO = Path(__file__).resolve().parents[1]
CHAPTER_3 = REPO / "notebooks" / "03_dutch_diversity.ipynb"
NAMES = {"'s-Gravenhage": "'s-Gravenhage", "westland": "Westland"}
GROUPS = ["dutch", "western", "turkish", "moroccan", "surinamese", "antillean_aruban", "other_non_western"]
CHARTS = ["ch03_migration_flows", "ch03_emigration_rate", "ch03_immigration_by_motive", "ch03_migration_background",
          "ch03_diversity_map", "ch03_diversity_ranked", "ch03_denhaag_districts", "ch03_index_new_classification",
          "ch03_classic_origins", "ch03_typology", "ch03_left_within_two_years", "ch03_discrimination", "ch03_asylum"]
# the report's classic origins (L1581-1584), as the UN names them
CLASSIC_SEVEN = ["Turkey", "Morocco", "Suriname", "Curaçao", "Aruba", "Sint Maarten (Dutch part)",
                 "Bonaire, Sint Eustatius and Saba", "Indonesia", "Germany", "Belgium"]
# what the profile must say of each parameter set's municipality (Kader 2.3)
TYPE_SAID = {"'s-Gravenhage": "majority-minority cities (line 1962)", "Westland": "horticultural municipalities (line 2049)"}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return execute_each(CHAPTER_3, PARAMETER_SETS[CHAPTER_3.stem], tmp_path_factory)


def expected(municipality: str) -> dict:
    kwb = csv("external/cbs_kwb2022_gemeente_origin.csv")
    wide = kwb.pivot_table(index="name", columns="group", values="count")
    shares = wide[GROUPS].div(wide["total"], axis=0)
    index = 1 - (shares ** 2).sum(axis=1)
    flows = csv("external/cbs_nl_migration_flows_1900_2024.csv").pivot_table(index="year", columns="variable", values="value")
    latest = int(flows["immigration"].dropna().index.max())
    born = csv("external/undesa_ims2019_bilateral_migrant_stock_selected.csv").query("destination == 'Netherlands'")
    last_un = born[born.year == born.year.max()]
    stay = csv("seeds/seed003_tabel2_1_length_of_stay.csv").set_index(["type_nl", "cohort"])
    total = stay.loc[("Totaal", "1999-2005")]
    unhcr = csv("external/unhcr_asylum_applications_nld.csv")
    discrimination = csv("seeds/seed003_tabel7_1_discrimination.csv").set_index("origin_group_nl")
    return {"ch03_municipality": municipality, "ch03_focus_index": index[municipality],
            "ch03_un_classic7_last": 100 * last_un.loc[last_un.origin.isin(CLASSIC_SEVEN), "migrant_stock"].sum()
            / last_un["migrant_stock"].sum(),
            "ch03_stay_total_left5_first": total["stay_under_2_years_pct"] + total["stay_2_to_5_years_pct"],
            "ch03_apps_2015": unhcr.loc[(unhcr.year == 2015) & (unhcr.app_type == "N"), "applied"].sum(),
            "ch03_apps_2017_all": unhcr.loc[unhcr.year == 2017, "applied"].sum(),
            "ch03_disc_moroccan": discrimination.at["Marokko", "job_search_pct"],
            "ch03_focus_rank": int((index > index[municipality]).sum() + 1),
            "ch03_focus_dutch_pct": 100 * shares.at[municipality, "dutch"],
            "ch03_below_population_pct": 100 * wide.loc[index < 0.30, "total"].sum() / wide["total"].sum(),
            "ch03_g3_max_index": index.max(), "ch03_flows_latest_year": latest,
            "ch03_immigration_latest": flows.at[latest, "immigration"],
            "ch03_emigration_2017": flows.at[2017, "emigration_incl_admin_corrections"]}


@pytest.mark.parametrize("index", [0, 1])
def test_chapter3_glued_numbers_match_the_data(runs, index):
    notebook, _ = runs[index]
    values = glued(notebook)
    given = PARAMETER_SETS[CHAPTER_3.stem][index].get("municipality", "'s-Gravenhage")
    assert_glued_values(values, expected(NAMES[given]))
    assert values["ch03_year"] == int(PARAMETER_SETS[CHAPTER_3.stem][index].get("year", 2025))
    assert TYPE_SAID[NAMES[given]] in values["ch03_focus_type"]


def test_chapter3_writes_every_chart_and_its_data(runs):
    _, folder = runs[0]
    for name in CHARTS:
        assert (folder / "chart_data" / f"{name}.csv").stat().st_size > 0, name
        assert_figure_written(folder / "chart_data", name)


@pytest.mark.parametrize("parameters, named", [
    ({"municipality": "Amsterdm"}, "municipality='Amsterdm'"),
    ({"year": 2019}, "year=2019"),
    ({"year": "2023"}, "year='2023'"),
    ({"municiplity": "Westland"}, "municiplity"),
])
def test_chapter3_rejects_a_bad_parameter_by_name(tmp_path, parameters, named):
    with pytest.raises(papermill.PapermillExecutionError) as error:
        execute(CHAPTER_3, tmp_path, parameters)
    assert "ParameterError" in str(error.value) and named in str(error.value)
