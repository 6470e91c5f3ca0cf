"""Chapter 4's tables and checks (migration_recomputed.development) on the real data files."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from migration_recomputed import claims, data, development
from migration_recomputed.parameters import ParameterError

REPO = Path(__file__).resolve().parents[1]


def _rows(relative: str) -> list[dict]:
    with open(REPO / "data" / relative, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def tabel1() -> pd.DataFrame:
    return data.load("seed004_tabel1_asylum_nl")


@pytest.fixture(scope="module")
def unhcr() -> pd.DataFrame:
    return data.load("unhcr_asylum_nld")


@pytest.fixture(scope="module")
def ledger() -> pd.DataFrame:
    return data.load("claims")


def _check(ledger: pd.DataFrame, claim_id: str) -> dict:
    return claims.check_claim(ledger[ledger.claim_id == claim_id].iloc[0], ledger)


# --- Tabel 1 ---------------------------------------------------------------------------------------

def test_tabel1_is_sixty_cells_parsed_from_lines_315_to_320(tabel1):
    assert len(tabel1) == 60 and tabel1["seed_line"].between(315, 320).all()
    # seed 004 line 320: "2007 2445 2006 519 355 79 228 64 168 147 272 6283"
    in_2007 = tabel1[tabel1.year == 2007].set_index("iso3")["applications"]
    assert in_2007.tolist() == [2445, 2006, 519, 355, 79, 228, 64, 168, 147, 272]
    assert set(tabel1.loc[tabel1.year == 2007, "seed_line"]) == {320}
    assert tabel1.set_index(["year", "iso3"]).at[(2002, "AGO"), "nationality_nl"] == "Angola"
    assert "Servië en Montenegro" in set(tabel1["nationality_nl"])


def test_tabel1_totals_re_add_to_the_printed_ones(tabel1):
    totals = development.tabel1_totals(tabel1)
    # the printed Totaal column, seed lines 315-320, and the grand total on line 321
    assert totals.to_dict() == {2002: 8960, 2003: 7158, 2004: 4691, 2005: 6182, 2006: 8213, 2007: 6283}
    assert int(totals.sum()) == 41487
    raw = sum(int(row["applications"]) for row in _rows("seeds/seed004_tabel1_asylum_applications_nl.csv"))
    assert raw == 41487


def test_unhcr_counts_for_the_netherlands(unhcr, tabel1):
    totals = development.unhcr_totals(unhcr)
    # every application type summed; unhcr_asylum_applications_nld.csv
    assert (totals[2004], totals[2005], totals[2006], totals[2007]) == (9751, 12325, 14449, 7085)
    ten = development.unhcr_for_tabel1(unhcr, tabel1)
    assert (ten.at[2007, "IRQ"], ten.at[2007, "SOM"], ten.at[2006, "SOM"]) == (2004, 1874, 1462)
    # Serbia and Montenegro (Tabel 1's SCG) is UNHCR's SRB plus MNE
    raw = sum(int(row["applied"]) for row in _rows("external/unhcr_asylum_applications_nld.csv")
              if row["year"] == "2006" and row["coo_iso"] in ("SRB", "MNE"))
    assert ten.at[2006, "SCG"] == raw == 607


def test_two_sources_agree_until_2006_and_part_in_2007(tabel1, unhcr):
    comparison = development.asylum_comparison(tabel1, unhcr)
    assert comparison.loc[comparison.year < 2007, "difference_pct"].abs().max() == pytest.approx(100 * 20 / 285)
    afghans = comparison[(comparison.year == 2007) & (comparison.iso3 == "AFG")].iloc[0]
    assert (afghans["tabel1"], afghans["unhcr"]) == (519, 143)


def test_rises_and_risen(tabel1, unhcr):
    assert development.rises(development.tabel1_totals(tabel1), 2004, 2007) == [2005, 2006]
    assert development.rises(development.unhcr_totals(unhcr), 2004, 2007) == [2005, 2006]
    assert development.risen(development.tabel1_wide(tabel1), 2007) == ["SOM", "SLE"]
    assert development.risen(development.unhcr_for_tabel1(unhcr, tabel1), 2007) == ["SOM"]
    with pytest.raises(ValueError, match="no 2001 and 2002"):
        development.risen(development.tabel1_wide(tabel1), 2002)


def test_origin_ranks_leave_out_unknown_origins(unhcr):
    ranked = development.origin_ranks(unhcr, 2005).set_index("coo_iso")
    assert "UNK" not in ranked.index  # 1,213 applications of unknown origin in 2005
    assert (ranked.at["IRQ", "rank"], ranked.at["SOM", "rank"], ranked.at["AFG", "rank"]) == (1, 2, 3)


# --- Figure 3: migrant stock by UN region ------------------------------------------------------------

def test_country_converter_groups_countries_into_the_six_regions():
    regions = development.un_regions(["MAR", "NAM", "MEX", "USA", "CYP", "RUS", "AUS", "CHI", "WLD"])
    # Namibia's "NA" survives pandas 3; the Channel Islands, obsolete as an ISO code but still a World
    # Bank economy, are in Northern Europe as in the UN's regions; an aggregate has no region
    assert regions.to_dict() == {"MAR": "Africa", "NAM": "Africa", "MEX": "Latin America and the Caribbean",
                                 "USA": "Northern America", "CYP": "Asia", "RUS": "Europe", "AUS": "Oceania",
                                 "CHI": "Europe", "WLD": None}
    assert development.iso3_from_any("Ivory Coast") == "CIV" and development.iso3_from_any("Narnia") is None


def test_the_region_table_is_country_converters_own():
    # the grouping reads the table CountryConverter reads, not the converter's name patterns
    converter = development._converter().data.set_index("ISO3")["UNregion"].map(development.UN_REGIONS)
    grouped = development.un_regions(converter.index)
    assert grouped.dropna().to_dict() == converter.dropna().to_dict()
    assert development.economies_without_region(data.load("wdi_migrant_stock")).empty


def test_regional_stocks_in_2005_by_edition():
    regions = development.migrant_stock_by_region(data.load("wdi_migrant_stock"),
                                                  data.load("wdi2018_migrant_stock_before_1990"))
    in_2005 = regions[regions.year == 2005].set_index(["vintage", "region"])["migrant_stock"]
    # the shared regions file (made the same way, Channel Islands in Europe) gives Africa 15.0, Asia 53.4,
    # Europe 64.1 million for 2018, and Europe 12,384,194 in 1960
    assert in_2005[("wdi_2018-08-01", "Africa")] == 15_008_516
    assert in_2005[("wdi_2018-08-01", "Asia")] / 1e6 == pytest.approx(53.37, abs=0.01)
    assert in_2005[("wdi_2018-08-01", "Europe")] / 1e6 == pytest.approx(64.09, abs=0.01)
    assert regions.set_index(["vintage", "year", "region"]).at[("wdi_2018-08-01", 1960, "Europe"), "migrant_stock"] \
        == 12_384_194
    assert in_2005[("wdi_2026-07-01", "Africa")] == 16_420_496
    # the Channel Islands are part of Europe's sum
    stock = data.load("wdi_migrant_stock")
    chi = stock[(stock.country_code == "CHI") & (stock.year == 2005) & (stock.vintage == "wdi_2018-08-01")]
    assert float(chi["international_migrant_stock"].iloc[0]) > 0
    # the hole: Asia and Europe are incomplete 1960-1985 in the 2018 edition, nothing else is
    incomplete = regions[~regions["complete"]]
    assert set(incomplete["region"]) == {"Asia", "Europe"} and set(incomplete["vintage"]) == {"wdi_2018-08-01"}
    assert sorted(incomplete["year"].unique()) == [1960, 1965, 1970, 1975, 1980, 1985]


def test_the_hole_before_1990_is_24_economies():
    hole = development.missing_before_1990(data.load("wdi_migrant_stock"), data.load("wdi2018_migrant_stock_before_1990"))
    assert len(hole) == 24 and {"DEU", "RUS", "UKR", "PSE", "CZE", "SRB"} <= set(hole["country_code"])
    assert int(hole["international_migrant_stock"].sum()) == 36_856_769


def test_world_stock_interpolated_for_2007():
    world = development.world_stock(data.load("wdi_migrant_stock"), data.load("wdi2018_migrant_stock_before_1990"))
    series = world[world.vintage == "wdi_2018-08-01"].set_index("year")["migrant_stock"]
    # WLD: 190,789,342 (2005) and 221,233,994 (2010)
    assert development.interpolated(series, 2007) == pytest.approx(190_789_342 + 0.4 * (221_233_994 - 190_789_342))
    assert development.interpolated(series, 2005) == 190_789_342
    with pytest.raises(ValueError, match="both sides"):
        development.interpolated(series, 2020)


# --- remittances, aid, investment, shares ------------------------------------------------------------

def test_flows_to_low_and_middle_income_countries():
    flows = development.external_flows(data.load("wdi_remittances"), "LMY")
    ranks = development.flow_ranks(flows)
    assert ranks.loc[2006].to_dict() == {"remittances_received_usd": 2, "fdi_net_inflows_usd": 1, "net_oda_received_usd": 3}
    assert ranks.at[2023, "remittances_received_usd"] == 1
    assert development.overtook_since(flows, "remittances_received_usd", "net_oda_received_usd") == 1997
    assert flows.at[2006, "remittances_received_usd"] / 1e9 == pytest.approx(191.47, abs=0.01)


def test_remittance_shares_in_both_editions():
    codes = ["MAR", "GHA", "ERI", "LMY"]
    today = development.remittance_shares(data.load("wdi_remittances"), codes, 2006)
    assert today["MAR"] == pytest.approx(100 * 5_451_371_054.8234 / 75_883_823_300.8545)
    assert today["GHA"] == pytest.approx(0.504, abs=0.001)
    assert pd.isna(today["ERI"])  # no remittances for Eritrea after 2000
    then = development.remittance_shares(data.load("wdi2018_population_remittances_gdp"), codes, 2006)
    assert then["MAR"] == pytest.approx(7.9, abs=0.05)


def test_share_revisions_say_which_side_moved():
    now, then = data.load("wdi_remittances"), data.load("wdi2018_population_remittances_gdp")
    revised = development.share_revisions(then, now, ["SEN", "ERI", "MEX"], 2006)
    assert list(revised.index) == ["SEN", "MEX"]  # Eritrea: no remittances in 2006
    rows = {frame_name: frame[(frame.country_code == "SEN") & (frame.year == 2006)].iloc[0]
            for frame_name, frame in (("then", then), ("now", now))}
    senegal = revised.loc["SEN"]
    assert senegal["share_then"] == pytest.approx(100 * float(rows["then"]["remittances_received_usd"])
                                                  / float(rows["then"]["gdp_current_usd"]))
    assert senegal["gdp_revised_pct"] == pytest.approx(100 * (float(rows["now"]["gdp_current_usd"])
                                                              / float(rows["then"]["gdp_current_usd"]) - 1))
    # the shares' verdicts depend on the edition: the 2018 edition's and today's lie on either side of a line
    assert senegal["share_then"] > senegal["share_now"]


def test_country_profile_has_three_panels():
    profile = development.country_profile("MAR", data.load("wdi_remittances"), data.load("wdi_population"),
                                          data.load("wdi_migrant_stock"), data.load("undesa_ims2020_totals"))
    assert set(profile["panel"]) == set(development.PROFILE_PANELS.values())
    emigrants = profile[profile.series.str.startswith("Emigrants")].set_index("year")["value"]
    assert emigrants[2020] == pytest.approx(3.262222)  # stock_totals_2020.csv: MAR 2020 disp 3262222


def test_a_country_is_found_by_name_or_code_or_not_at_all():
    choices = development.economies_with_remittances(data.load("wdi_remittances"))
    assert development.resolve_country("sierra leone", "focus_country", choices) == ("SLE", "Sierra Leone")
    assert development.resolve_country("mar", "focus_country", choices) == ("MAR", "Morocco")
    with pytest.raises(ParameterError, match=r"focus_country='Narnia'.*Morocco \(MAR\)"):
        development.resolve_country("Narnia", "focus_country", choices)


def test_join_words():
    assert development.join_words([]) == "none"
    assert development.join_words(["Somalia"]) == "Somalia"
    assert development.join_words(["a", "b", "c"]) == "a, b and c"


# --- the checks, on real ledger rows ------------------------------------------------------------------

@pytest.mark.parametrize("claim_id, kind, verdict, recomputed", [
    ("S004-C20", claims.INTERNAL, claims.CONSISTENT, 100 * (2006 / 1462 - 1)),  # "a good third": +37 %
    ("S004-C21", claims.INDEPENDENT, claims.CONTRADICTED, 100 * (1874 / 1462 - 1)),  # UNHCR: +28 %
    ("S004-C06", claims.INTERNAL, claims.CONSISTENT, 6283),            # 2007's printed total re-adds
    ("S004-C07", claims.INTERNAL, claims.CONSISTENT, 41487),           # the grand total re-adds
    ("S004-C08", claims.INTERNAL, claims.INCONSISTENT, 100 * 4451 / 6283),  # "about half" of the table: 71 %
    ("S004-C09", claims.INDEPENDENT, claims.CLOSE, 100 * 3878 / 7085),      # of all applications (UNHCR): 55 %
    ("S004-C12", claims.INDEPENDENT, claims.CONFIRMED, 1),             # Iraqis first in 2007 (places)
    ("S004-C15", claims.INDEPENDENT, claims.CONFIRMED, 2),             # Somalis second in 2006
    ("S004-C16", claims.INTERNAL, claims.INCONSISTENT, 2),             # the table rose in 2005 and 2006
    ("S004-C17", claims.INDEPENDENT, claims.CONTRADICTED, 2),          # so did all applications (UNHCR)
    ("S004-C18", claims.INTERNAL, claims.INCONSISTENT, 2),             # Somalis and Sierra Leoneans rose
    ("S004-C19", claims.INDEPENDENT, claims.CONFIRMED, 1),             # by UNHCR's count, Somalis only
    ("S004-C28", claims.INDEPENDENT, claims.CONFIRMED, 2),             # remittances second after FDI in 2006
])
def test_chapter4_checks(ledger, claim_id, kind, verdict, recomputed):
    result = _check(ledger, claim_id)
    assert (result["kind"], result["verdict"]) == (kind, verdict)
    assert result["recomputed"] == pytest.approx(recomputed)


def test_regional_claims_depend_on_the_edition(ledger):
    africa = _check(ledger, "S004-C22")
    # 17 million against 15.0 (2018 edition: contradicted) and 16.4 (UN 2024 revision: close)
    assert africa["verdict"] == claims.DEPENDS
    assert africa["recomputed"] == 16_420_496
    assert "15 million people (contradicted)" in africa["basis"]
    assert _check(ledger, "S004-C26")["verdict"] == claims.CONFIRMED  # Northern America, 45 million


@pytest.mark.parametrize("claim_id", ["S004-C22", "S004-C23", "S004-C24", "S004-C36", "S004-C37", "S004-C40"])
def test_depends_on_the_revision_only_where_two_official_editions_disagree(ledger, claim_id):
    claim = ledger[ledger.claim_id == claim_id].iloc[0]
    check, args = claims._parse(claim)
    editions = check.function(args, claim, ledger)
    assert len(editions) == 2 and all(edition.official for edition in editions)
    said = {claims.verdict(float(claim["value"]), edition.value, claim["unit"], check.kind) for edition in editions}
    assert len(said) == 2, said  # the two editions give different verdicts
    assert _check(ledger, claim_id)["verdict"] == claims.DEPENDS


def test_remittance_share_claims_use_two_editions(ledger):
    morocco = _check(ledger, "S004-C34")
    assert morocco["verdict"] == claims.CONTRADICTED
    assert morocco["recomputed"] == pytest.approx(7.18, abs=0.01)
    assert "as of 2018" in morocco["basis"] and "By revision" in morocco["basis"]
    middle_income = _check(ledger, "S004-C33")
    assert middle_income["recomputed"] / 1e9 == pytest.approx(187.2, abs=0.1)
    assert _check(ledger, "S004-C30")["verdict"] == claims.NOT_CHECKABLE  # Eritrea: no data


def test_chapter4_claims_account_for_every_verdict(ledger):
    checked = claims.evaluate(ledger, chapter=4)
    assert len(checked) == 55
    counts = claims.verdict_counts(checked).set_index(["kind", "verdict"])["claims"]
    assert counts[(claims.UNCHECKED, claims.NOT_CHECKABLE)] == 16
    assert counts[(claims.INTERNAL, claims.CONSISTENT)] == 10
    assert counts[(claims.INDEPENDENT, claims.DEPENDS)] == 6
    assert int(counts.sum()) == 55


def test_profile_chart_draws_the_country_picked_in_its_menu():
    import copy
    import re

    from migration_recomputed import charts

    names = {"SLE": "Sierra Leone", "MAR": "Morocco", "AGO": "Angola"}
    profiles = development.country_profiles(names, data.load("wdi_remittances"), data.load("wdi_population"),
                                            data.load("wdi_migrant_stock"), data.load("undesa_ims2020_totals"))
    assert list(dict.fromkeys(profiles["country"])) == list(names.values())
    spec = development.profile_chart(profiles, "Sierra Leone").to_dict()
    [param] = spec["params"]
    assert param == {"name": "profile_country", "value": "Sierra Leone",
                     "bind": {"input": "select", "options": list(names.values()), "name": "Country "}}
    assert spec["spec"]["transform"] == [{"filter": "datum.country === profile_country"}]
    assert spec["facet"]["header"]["labelExpr"].startswith("profile_country + ")

    def drawn(country: str) -> tuple[list[str], int]:
        """The panel headings and the number of points drawn with the menu at `country`."""
        picked = copy.deepcopy(spec)
        picked["params"][0]["value"] = country
        svg = charts.static_svg(picked)
        headings = [text for text in re.findall(r">([^<>]+)</text>", svg) if text.endswith(tuple(
            development.PROFILE_PANELS.values()))]
        symbols = re.findall(r'<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', svg, flags=re.S)
        return headings, sum(block.count("<path") for block in symbols)

    for country in ("Sierra Leone", "Angola"):
        headings, points = drawn(country)
        assert headings == [f"{country}: {panel}" for panel in development.PROFILE_PANELS.values()]
        assert points == (profiles["country"] == country).sum()  # one point per row of that country
    with pytest.raises(ValueError, match="'Narnia' is not one of its options"):
        development.profile_chart(profiles, "Narnia")
