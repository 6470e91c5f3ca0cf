"""Chapter 3's package module: the diversity index, tables and name matching, against real values
from the data files."""
from __future__ import annotations

import pytest

from migration_recomputed import claims, data, diversity
from migration_recomputed.parameters import ParameterError


@pytest.fixture(scope="module")
def municipal():
    return diversity.municipal_diversity(data.load("cbs_kwb2022_gemeente_origin"))


def test_simpson_is_one_minus_the_sum_of_squared_shares():
    assert diversity.simpson([1.0]) == 0
    assert diversity.simpson([0.5, 0.5]) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        diversity.simpson([0.5, 0.4])


def test_den_haag_is_the_most_diverse_municipality_of_2022(municipal):
    den_haag = municipal.set_index("statcode").loc["GM0518"]
    assert den_haag["population"] == 553417
    assert den_haag["index"] == pytest.approx(0.7418, abs=1e-4)
    assert den_haag["dutch_share_pct"] == pytest.approx(43.005, abs=1e-3)
    assert den_haag["rank"] == 1
    assert list(municipal.head(3)["statcode"]) == ["GM0518", "GM0363", "GM0599"]
    assert len(municipal) == 345 and municipal["population"].sum() == 17590672


def test_a_third_of_the_population_lives_below_0_30(municipal):
    share = diversity.population_share_pct(municipal, municipal["index"] < 0.30)
    assert share == pytest.approx(36.58, abs=0.01)


def test_national_index_rises_from_2017_to_2022():
    table = diversity.national_index(data.load("cbs_kwb_national_origin_groups")).set_index("year")
    assert table.at[2017, "index"] == pytest.approx(0.3871, abs=1e-4)
    assert table.at[2022, "index"] == pytest.approx(0.4233, abs=1e-4)


def test_districts_of_den_haag_leave_out_small_ones():
    districts = diversity.district_diversity(data.load("cbs_kwb2022_denhaag_wijk_origin"))
    assert len(districts) == 43
    assert districts.iloc[0]["district"] == "Moerwijk" and districts.iloc[0]["index"] == pytest.approx(0.837, abs=1e-3)
    assert districts.iloc[-1]["district"] == "Duindorp"


def test_three_groups_give_a_lower_index_for_den_haag():
    table = diversity.new_classification_diversity(data.load("cbs85458_gemeente_origin"))
    row = table[(table.statcode == "GM0518") & (table.year == 2022)].iloc[0]
    assert row["index_3_groups"] == pytest.approx(0.6221, abs=1e-4)


def test_flows_records_and_negative_years():
    flows = diversity.national_flows(data.load("cbs_nl_migration_flows"))
    assert flows.set_index("year").at[2017, "emigration_incl_admin_corrections"] == 154292
    records = diversity.record_years(diversity.national_flows(data.load("cbs_nl_migration_flows"), 1900))
    assert 2006 not in set(records) and 2008 in set(records)


def test_family_tops_the_motives_until_2017():
    top = diversity.top_motive(diversity.motives_by_year(data.load("cbs_nl_immigration_by_motive")))
    assert (top.loc[1999:2017] == "family").all()
    assert top[2018] == "work"


@pytest.mark.parametrize("given", ["Den Haag", "den haag", "'s-Gravenhage (gemeente)", "\u2019s-Gravenhage", "s-gravenhage"])
def test_municipality_names_are_matched_forgivingly(given, municipal):
    assert diversity.match_municipality(given, municipal["municipality"]) == "'s-Gravenhage"


def test_an_unknown_municipality_names_the_parameter_and_close_matches(municipal):
    with pytest.raises(ParameterError, match=r"municipality='Amsterdm'.*'Amsterdam'"):
        diversity.match_municipality("Amsterdm", municipal["municipality"])


def test_chapter3_claims_all_check():
    checked = claims.evaluate(data.load("claims"), chapter=3).set_index("claim_id")
    assert len(checked) >= 27
    assert checked.at["S003-C20", "verdict"] == claims.CONFIRMED
    assert checked.at["S003-C03", "verdict"] == claims.CONTRADICTED
    assert checked.at["S003-C09", "kind"] == claims.INTERNAL
