"""Chapter 4 run by papermill with its defaults, for another focus country and year, and for a
country given by its ISO code (Ghana): the glued numbers against values computed here from the CSV
files with nothing but pandas, the charts it writes, parameters it must refuse by name, and a ledger
with every check switched off."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import papermill
import pytest

from test_notebooks import (PARAMETER_SETS, assert_figure_written, assert_glued_values, csv, execute, execute_each,
                            glued, switch_off_checks)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
CHAPTER_4 = REPO / "notebooks" / "04_migration_and_development.ipynb"
DEFAULTS = {"focus_country": "Morocco", "reference_year": 2006}
CODES = {"Morocco": "MAR", "Sierra Leone": "SLE", "Ghana": "GHA"}
# the two sets every notebook runs with, and a third: a country given by its ISO code, in lower case
RUN_SETS = [*PARAMETER_SETS[CHAPTER_4.stem], {"focus_country": "gha"}]
CHARTS = ["ch04_asylum_applications_nl", "ch04_migrants_by_region", "ch04_remittances_aid_investment",
          "ch04_remittance_shares", "ch04_focus_country_profile"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return execute_each(CHAPTER_4, RUN_SETS, tmp_path_factory)


def _parameters(index: int) -> dict:
    given = DEFAULTS | RUN_SETS[index]
    name = next(name for name, code in CODES.items()
                if given["focus_country"].casefold() in (name.casefold(), code.casefold()))
    return {"focus_country": name, "reference_year": int(given["reference_year"])}


def expected_chapter4(focus_country: str, reference_year: int) -> dict:
    """The chapter's key numbers, recomputed from the CSV files with nothing but pandas."""
    tabel1 = csv("seeds/seed004_tabel1_asylum_applications_nl.csv")
    totals = tabel1.groupby("year")["applications"].sum()
    in_2007 = tabel1[tabel1.year == 2007].set_index("iso3")["applications"]
    unhcr = csv("external/unhcr_asylum_applications_nld.csv")
    all_origins = unhcr.groupby("year")["applied"].sum()
    two_2007 = unhcr[(unhcr.year == 2007) & unhcr.coo_iso.isin(["IRQ", "SOM"])]["applied"].sum()
    somali = unhcr[unhcr.coo_iso == "SOM"].groupby("year")["applied"].sum()

    wdi = csv("external/wdi_remittances_oda_fdi_gdp.csv")
    lmy = wdi[wdi.country_code == "LMY"].set_index("year")
    flows = lmy[["remittances_received_usd", "fdi_net_inflows_usd", "net_oda_received_usd"]].dropna()
    above = flows["remittances_received_usd"] > flows["net_oda_received_usd"]
    overtook = int(above.index[above.index > above[~above].index.max()][0])
    latest_share_year = int(lmy.dropna(subset=["remittances_received_usd", "gdp_current_usd"]).index.max())
    code = CODES[focus_country]
    focus = wdi[wdi.country_code == code].set_index("year")
    mar = wdi[wdi.country_code == "MAR"].set_index("year")

    stock = csv("external/wdi_international_migrant_stock.csv")
    early = csv("external/wdi2018_migrant_stock_1960_1985.csv")
    world_2018 = pd.concat([early[early.country_code == "WLD"].set_index("year")["international_migrant_stock"],
                            stock[(stock.country_code == "WLD") & (stock.vintage == "wdi_2018-08-01")]
                            .set_index("year")["international_migrant_stock"]])
    world_2026 = stock[(stock.country_code == "WLD") & (stock.vintage == "wdi_2026-07-01")].set_index("year")[
        "international_migrant_stock"]
    in_1990 = set(stock[(stock.vintage == "wdi_2018-08-01") & (stock.year == 1990)]["country_code"])
    # every aggregate has a value in 1985: what 1990 adds are the economies missing before it
    hole = in_1990 - set(early[early.year == 1985]["country_code"])
    emigrants = csv("external/undesa_ims2020_migrant_totals.csv")
    abroad = emigrants[emigrants.country_code == code].set_index("year")["emigrants_abroad"]
    # Senegal's remittance share for the note's year in the two editions (its verdict depends on them)
    then = csv("external/wdi2018_population_remittances_gdp.csv")
    senegal = {edition: frame[(frame.country_code == "SEN") & (frame.year == 2006)].iloc[0]
               for edition, frame in (("then", then), ("now", wdi))}
    senegal_share = {edition: 100 * row["remittances_received_usd"] / row["gdp_current_usd"]
                     for edition, row in senegal.items()}
    return {
        "ch04_focus_country": focus_country, "ch04_focus_code": code, "ch04_reference_year": reference_year,
        "ch04_tabel1_grand_total": int(totals.sum()), "ch04_tabel1_2007": int(totals[2007]),
        "ch04_unhcr_all_2007": int(all_origins[2007]),
        "ch04_half_table": 100 * (in_2007["IRQ"] + in_2007["SOM"]) / totals[2007],
        "ch04_half_unhcr": 100 * two_2007 / all_origins[2007],
        "ch04_total_2005": int(totals[2005]), "ch04_all_2005": int(all_origins[2005]),
        "ch04_rises_table": int((totals.diff().loc[2005:2007] > 0).sum()),
        "ch04_rises_unhcr": int((all_origins.diff().loc[2005:2007] > 0).sum()),
        "ch04_focus_is_note_country": ("one of the note's three" if code in {"MAR", "SLE", "AGO"}
                                       else "not one of the note's three"),
        "ch04_somalis_unhcr": int(somali[2007]),
        "ch04_world_2007_m": (world_2026[2005] + 0.4 * (world_2026[2010] - world_2026[2005])) / 1e6,
        "ch04_world_1985_m": world_2018[1985] / 1e6, "ch04_world_1990_m": world_2018[1990] / 1e6,
        "ch04_hole_economies": len(hole),
        "ch04_overtook_aid_year": overtook, "ch04_latest_flow_year": int(flows.index.max()),
        "ch04_latest_share_year": latest_share_year,
        "ch04_ref_remittances_bn": flows.at[reference_year, "remittances_received_usd"] / 1e9,
        "ch04_ref_fdi_bn": flows.at[reference_year, "fdi_net_inflows_usd"] / 1e9,
        "ch04_ref_aid_bn": flows.at[reference_year, "net_oda_received_usd"] / 1e9,
        "ch04_lmy_ref": 100 * lmy.at[reference_year, "remittances_received_usd"] / lmy.at[reference_year, "gdp_current_usd"],
        "ch04_mar_ref": 100 * mar.at[reference_year, "remittances_received_usd"] / mar.at[reference_year, "gdp_current_usd"],
        "ch04_focus_share_text": (
            f"{100 * focus.at[reference_year, 'remittances_received_usd'] / focus.at[reference_year, 'gdp_current_usd']:.1f}"
            f" % of GDP in {reference_year} and "
            f"{100 * focus.at[latest_share_year, 'remittances_received_usd'] / focus.at[latest_share_year, 'gdp_current_usd']:.1f}"
            f" % in {latest_share_year}"),
        "_emigrants_2020_m": f"{abroad[2020] / 1e6:.2f} million",
        "_senegal": f"Senegal ({senegal_share['then']:.1f} % as published in 2018, {senegal_share['now']:.1f} % today",
    }


@pytest.mark.parametrize("index", [0, 1, 2], ids=["defaults", "sierra_leone_2010", "ghana_by_iso_code"])
def test_chapter4_glued_numbers_match_the_data(runs, index):
    parameters = _parameters(index)
    values = glued(runs[index][0])
    assert isinstance(values["ch04_reference_year"], int)  # 2010.0 is normalised to 2010
    # keys starting with "_" are parts of sentences, checked below, not glued values
    assert_glued_values(values, {name: value for name, value in expected_chapter4(**parameters).items()
                                 if not name.startswith("_")})
    emigrants = expected_chapter4(**parameters)["_emigrants_2020_m"]
    assert emigrants in values["ch04_focus_emigrant_sentence"], values["ch04_focus_emigrant_sentence"]
    assert expected_chapter4(**parameters)["_senegal"] in values["ch04_share_depend_text"]


def test_chapter4_defaults_reproduce_the_seed_checks(runs):
    values = glued(runs[0][0])
    # Tabel 1's totals re-add; its "about half" is 71 % of its own total, 55 % of UNHCR's count
    assert (values["ch04_tabel1_totals_match"], values["ch04_tabel1_grand_total"]) == (6, 41487)
    assert values["ch04_half_table_verdict"] == "inconsistent with the source's own figures"
    assert values["ch04_half_unhcr_verdict"] == "close"
    # applications rose in 2005 and 2006 in both sources; Sierra Leone rose with Somalia in the table only
    assert (values["ch04_rises_table"], values["ch04_rises_unhcr"]) == (2, 2)
    assert values["ch04_rose_table"] == "Somalia and Sierra Leone" and values["ch04_rose_unhcr"] == "Somalia"
    assert values["ch04_ranks_2006"] == values["ch04_ranks_2007"] == "1st and 2nd"
    # the hole before 1990: 24 economies, 36.9 million migrants in 1990, Asia and Europe marked
    assert values["ch04_hole_economies"] == 24 and values["ch04_hole_stock_m"] == pytest.approx(36.856769)
    assert values["ch04_hole_regions"] == "Asia and Europe"
    assert values["ch04_world_2007_verdict"] == "confirmed"
    # remittances: second after FDI in 2006, the largest flow in the latest year; above aid since 1997
    assert values["ch04_ref_remittance_rank"] == "the second-largest"
    assert values["ch04_flow_rank_claim_verdict"] == "confirmed"
    assert values["ch04_latest_remittance_rank"] == "the largest"
    assert values["ch04_overtook_aid_year"] == 1997
    assert values["ch04_eritrea_last_year"] == 2000
    assert values["ch04_claims_total"] == len(pd.read_csv(DATA / "claims.csv").query("chapter == 4"))
    assert values["ch04_claims_summary"].startswith(f"Of {values['ch04_claims_total']} claims of the note")
    assert values["ch04_focus_is_note_country"] == "one of the note's three"


def test_chapter4_follows_its_parameters(runs):
    defaults, sierra_leone = glued(runs[0][0]), glued(runs[1][0])
    assert sierra_leone["ch04_focus_country"] == "Sierra Leone" and sierra_leone["ch04_reference_year"] == 2010
    assert sierra_leone["ch04_ref_remittances_bn"] != defaults["ch04_ref_remittances_bn"]
    assert sierra_leone["ch04_focus_aid_sentence"] != defaults["ch04_focus_aid_sentence"]
    profile = pd.read_csv(runs[1][1] / "chart_data" / "ch04_focus_country_profile.csv")
    # the chart's menu holds the focus country and the note's three; the focus country comes first
    assert list(dict.fromkeys(profile["country"])) == ["Sierra Leone", "Morocco", "Angola"]
    profile = profile[profile.country == "Sierra Leone"]
    money = profile[profile.series == "Remittances received"].set_index("year")["value"]
    wdi = csv("external/wdi_remittances_oda_fdi_gdp.csv")
    sle = wdi[wdi.country_code == "SLE"].set_index("year")["remittances_received_usd"].dropna() / 1e9
    assert money.to_dict() == pytest.approx(sle.to_dict())


def test_chapter4_takes_an_iso_code(runs):
    ghana = glued(runs[2][0])
    assert (ghana["ch04_focus_country"], ghana["ch04_focus_code"]) == ("Ghana", "GHA")
    assert ghana["ch04_focus_is_note_country"] == "not one of the note's three"
    profile = pd.read_csv(runs[2][1] / "chart_data" / "ch04_focus_country_profile.csv")
    assert list(dict.fromkeys(profile["country"])) == ["Ghana", "Morocco", "Sierra Leone", "Angola"]
    profile = profile[profile.country == "Ghana"]
    aid = profile[profile.series == "Net official development assistance"].set_index("year")["value"]
    wdi = csv("external/wdi_remittances_oda_fdi_gdp.csv")
    gha = wdi[wdi.country_code == "GHA"].set_index("year")["net_oda_received_usd"].dropna() / 1e9
    assert aid.to_dict() == pytest.approx(gha.to_dict())


def test_chapter4_copes_with_every_check_switched_off(tmp_path, monkeypatch):
    """Every claim of chapter 4 marked `none: <reason>`: the chapter still runs, and its prose numbers
    come from the data, never from a recomputed value in the ledger."""
    switch_off_checks(tmp_path, chapter=4)
    monkeypatch.setenv("BOOK_ROOT", str(tmp_path))
    (tmp_path / "run").mkdir()
    values = glued(execute(CHAPTER_4, tmp_path / "run", {}))
    total = values["ch04_claims_total"]
    assert values["ch04_claims_summary"].startswith(f"Of {total} claims of the note, {total} cannot be checked")
    assert values["ch04_half_table_verdict"] == values["ch04_world_2007_verdict"] == "not checkable with our data"
    expected = expected_chapter4("Morocco", 2006)
    for name in ("ch04_half_table", "ch04_half_unhcr", "ch04_rises_table", "ch04_rises_unhcr", "ch04_world_2007_m"):
        assert values[name] == pytest.approx(expected[name], rel=1e-9), name
    assert values["ch04_regions_depend"] == values["ch04_share_depend"] == 0


def test_chapter4_writes_every_chart_and_its_data(runs):
    folder = runs[0][1] / "chart_data"
    source = (REPO / "book" / "chapters" / "04_migration_and_development.md").read_text(encoding="utf-8")
    for stem in CHARTS:
        assert f"chart_data/{stem}.csv" in source, f"the chapter does not link {stem}.csv"
        table = pd.read_csv(folder / f"{stem}.csv")
        assert len(table) > 5, f"{stem}.csv is nearly empty"
        assert_figure_written(folder, stem)


def test_chapter4_marks_the_hole_instead_of_drawing_a_jump(runs):
    regions = pd.read_csv(runs[0][1] / "chart_data" / "ch04_migrants_by_region.csv")
    series = regions[regions.layer == "series"]
    incomplete = series[series.coverage == "countries missing"]
    assert set(incomplete.region) == {"Asia", "Europe"} and incomplete.year.max() == 1985
    # the incomplete years are their own line segment, never joined to 1990
    for region in ("Asia", "Europe"):
        edition_2018 = series[(series.region == region) & series.edition.str.contains("2018")]
        spans = edition_2018.groupby("segment")["year"].agg(["min", "max"]).sort_values("min")
        assert spans.values.tolist() == [[1960, 1985], [1990, 2015]]
    gaps = regions[regions.layer == "gap"]
    assert set(gaps.region) == {"Asia", "Europe"}
    assert regions[regions.layer == "note"].set_index("region")["migrant_stock_millions"].to_dict() == {
        "Africa": 17, "Asia": 53, "Europe": 64, "Latin America and the Caribbean": 7, "Northern America": 45}


@pytest.mark.parametrize("parameters, named", [
    ({"focus_country": "Narnia"}, ["focus_country='Narnia'", "Morocco (MAR)", "Sierra Leone (SLE)"]),
    ({"reference_year": 1850}, ["reference_year=1850", "1990", "low- and middle-income"]),
    ({"reference_year": "2006"}, ["reference_year", "'2006'", "whole number"]),
    ({"focus_contry": "Ghana"}, ["unknown parameter(s) focus_contry", "focus_country, reference_year"]),
], ids=["unknown_country", "year_without_data", "year_as_text", "misspelt_name"])
def test_chapter4_rejects_a_bad_parameter_by_name(tmp_path, parameters, named):
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        execute(CHAPTER_4, tmp_path, parameters)
    assert failure.value.ename == "ParameterError"
    for text in named:
        assert text in failure.value.evalue, f"{text!r} not in: {failure.value.evalue[:400]}"
