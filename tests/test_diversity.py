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


# --- sections e-j: the report's tables, the typology, the foreign-born, asylum ----------------------

def test_the_typology_names_eight_types_and_every_example_with_its_2022_municipality(municipal):
    typology = data.load("seed003_municipality_typology")
    assert len(typology) == 61 and typology["municipality_as_written"].nunique() == 59
    assert sorted(typology["type_number"].unique()) == list(range(9))
    assert set(typology["statcode_2022"]) <= set(municipal["statcode"])
    # Hengelo stands twice (average in Kader 2.3, a former industrial town at L611); Leerdam and
    # Zederik both lie in Vijfheerenlanden
    assert sorted(typology.loc[typology.municipality_as_written == "Hengelo", "type_number"]) == [0, 4]
    assert set(typology.loc[typology.statcode_2022 == "GM1961", "municipality_as_written"]) == {"Leerdam", "Zederik"}
    assert typology["merged_into_2022"].notna().sum() == 6
    den_haag = typology[typology.municipality_as_written == "Den Haag"].iloc[0]
    assert (den_haag.statcode_2022, den_haag.seed_line, den_haag.also_at) == ("GM0518", 1962, "601-602, 3053")


def test_the_profile_says_how_the_report_types_a_municipality():
    typology = data.load("seed003_municipality_typology")
    assert diversity.type_sentence("GM0518", "'s-Gravenhage", typology) == (
        "The report names Den Haag (its name for 's-Gravenhage) as an example of majority-minority cities (line 1962).")
    assert "horticultural municipalities (line 2049)" in diversity.type_sentence("GM1783", "Westland", typology)
    both = diversity.type_sentence("GM1961", "Vijfheerenlanden", typology)
    assert "Leerdam, now part of Vijfheerenlanden," in both and "Zederik" in both
    assert "none of its types" in diversity.type_sentence("GM0034", "Almere", typology)


def test_tabel_2_1_rows_add_up_and_the_big_cities_give_the_texts_36_and_47():
    table = diversity.stay_table(data.load("seed003_tabel2_1_length_of_stay")).set_index(["type_nl", "cohort"])
    assert len(table) == 18
    assert table["row_sum_pct"].min() == pytest.approx(99.7) and table["row_sum_pct"].max() == pytest.approx(100.3)
    g3 = "Meerderheid-minderheden steden (G3)"
    assert table.at[(g3, "1999-2005"), "left_within_5_years_pct"] == pytest.approx(36.0)
    assert table.at[(g3, "2006-2010"), "left_within_5_years_pct"] == pytest.approx(47.6)
    assert table.at[("Totaal", "1999-2005"), "left_within_5_years_pct"] == pytest.approx(31.7)
    assert table.at[("Totaal", "2006-2010"), "left_within_5_years_pct"] == pytest.approx(39.3)
    assert set(table["cohort_as_headed"]) == {"Cohort 1995-2005", "Cohort 2006-2010"}


def test_tabel_7_1_central_and_eastern_europe_is_the_only_group_worse_off_at_work():
    table = data.load("seed003_tabel7_1_discrimination").set_index("origin_group_nl")
    assert len(table) == 8
    assert list(table.loc["Marokko", ["job_search_pct", "job_search_incl_doubt_pct", "working_conditions_pct",
                                      "working_conditions_incl_doubt_pct"]]) == [28, 51, 14, 22]
    assert table.index[table["working_conditions_pct"] > table["job_search_pct"]].tolist() == ["Midden- en Oost-Europa"]
    assert (table["job_search_incl_doubt_pct"] >= table["job_search_pct"]).all()


def test_the_policy_tables_hold_four_models_and_fifteen_measures():
    assert list(data.load("seed003_tabel4_1_integration_models")["period"]) == [
        "1960-1975", "1975-1990", "1990-2000", "2000-heden"]
    assert len(data.load("seed003_tabel4_2_model_limits")) == 4
    timeline = data.load("seed003_policy_timeline")
    assert len(timeline) == 15 and timeline["policy_emphasis_nl"].nunique() == 4
    recruitment = timeline[timeline.measure_nl.str.startswith("Wervingsovereenkomsten")].iloc[0]
    assert (recruitment.year_first, recruitment.year_last) == (1960, 1971)
    assert timeline["year_first"].isna().sum() == 5


def test_the_map_is_one_topojson_text_with_every_municipality_once():
    import json

    text = diversity.municipal_topojson(data.load("cbs_gemeente_2022_boundaries"), data.load("cbs_gemeente_2022_arcs"))
    topology = json.loads(text)
    geometries = topology["objects"]["municipalities"]["geometries"]
    assert len(geometries) == 345 and len({item["id"] for item in geometries}) == 345
    used = set()

    def walk(part):
        if isinstance(part, int):
            used.add(part if part >= 0 else ~part)  # ~i: arc i reversed
        else:
            for item in part:
                walk(item)

    walk([item["arcs"] for item in geometries])
    # every arc is used (the cartomap/nl file carries 15 that no municipality uses: left out)
    assert used == set(range(len(topology["arcs"]))) and len(used) == 1088
    assert len(text) < 90_000  # the GeoJSON of the same shapes is about 130,000 characters


def test_the_classic_origins_share_of_the_foreign_born_falls():
    flows = diversity.national_flows(data.load("cbs_nl_migration_flows")).set_index("year")
    table = diversity.origin_diversity(diversity.foreign_born(data.load("undesa_bilateral_stock")),
                                       flows["population_1jan"]).set_index("year")
    assert table.at[1990, "classic_seven_pct"] == pytest.approx(69.79, abs=0.01)
    assert table.at[2019, "classic_seven_pct"] == pytest.approx(43.94, abs=0.01)
    assert table.at[2019, "classic_four_pct"] == pytest.approx(29.97, abs=0.01)
    assert table.at[2019, "foreign_born"] == 2276551
    assert table["index_foreign_born"].is_monotonic_increasing and table["index_population"].is_monotonic_increasing


def test_asylum_applications_peak_in_2015():
    table = diversity.asylum_by_year(data.load("unhcr_asylum_nld")).set_index("year")
    assert (table.at[2015, "new"], table.at[2018, "new"], table.at[2017, "all"]) == (43042, 20501, 18213)
    assert table.loc[2006:2019, "first"].idxmax() == 2015
    assert table.at[2000, "first"] == 43871  # UNHCR's older series, about as many as 2015


@pytest.mark.parametrize("claim_id, kind, verdict", [
    ("S003-C33", claims.INTERNAL, claims.CONSISTENT),
    ("S003-C34", claims.INDEPENDENT, claims.CONTRADICTED),   # Diemen under half Dutch in 2022
    ("S003-C36", claims.INDEPENDENT, claims.CONFIRMED),
    ("S003-C38", claims.INDEPENDENT, claims.CONTRADICTED),   # Horst aan de Maas below the median
    ("S003-C43", claims.INTERNAL, claims.INCONSISTENT),      # "bijna 35" against 30.9
    ("S003-C45", claims.INTERNAL, claims.INCONSISTENT),      # 36 against the total's 31.7
    ("S003-C52", claims.INTERNAL, claims.INCONSISTENT),      # "more than half" against its own 47
    ("S003-C57", claims.INTERNAL, claims.CONSISTENT),
    ("S003-C63", claims.INDEPENDENT, claims.CONTRADICTED),   # 30,600 against 18,213
    ("S003-C66", claims.INDEPENDENT, claims.CONFIRMED),      # 20,500 against 20,501
    ("S003-C71", claims.INTERNAL, claims.INCONSISTENT),      # EUR 40 against 392
    ("S003-C72", claims.BOUND, claims.WITHIN_BOUND),
    ("S003-C28", claims.UNCHECKED, claims.NOT_CHECKABLE),
])
def test_the_later_claims_verdicts(claim_id, kind, verdict):
    checked = claims.evaluate(data.load("claims"), chapter=3).set_index("claim_id")
    assert (checked.at[claim_id, "kind"], checked.at[claim_id, "verdict"]) == (kind, verdict)


def _ranked_table(municipal):
    typology = data.load("seed003_municipality_typology")
    types = typology.groupby("statcode_2022")["type_en"].agg(lambda kinds: "; ".join(dict.fromkeys(kinds)))
    table = municipal[["rank", "statcode", "municipality", "dutch_share_pct", "index"]].copy()
    table["report_type"] = table["statcode"].map(types).fillna("")
    return table


def _bold_texts(svg: str) -> list[str]:
    import re

    return re.findall(r'<text[^>]*font-weight="bold"[^>]*>([^<]+)</text>', svg)


def test_ranked_chart_names_the_municipality_picked_in_its_menu(municipal):
    import copy
    import html

    from migration_recomputed import charts

    table = _ranked_table(municipal)
    spec = diversity.ranked_chart(table, "GM0518", 0.30).to_dict()
    [param] = spec["params"]
    assert param["name"] == "municipality_pick" and param["value"] == "GM0518"
    assert param["bind"]["input"] == "select" and param["bind"]["name"] == "Municipality "
    # every municipality is in the menu, by name, in alphabetical order ('s-Gravenhage under S)
    options, labels = param["bind"]["options"], param["bind"]["labels"]
    assert sorted(options) == sorted(municipal["statcode"]) and len(options) == 345
    assert labels[0] == "Aa en Hunze" and labels[options.index("GM0518")] == "'s-Gravenhage"
    assert labels.index("'s-Gravenhage") > labels.index("Rotterdam")
    filters = [t["filter"] for layer in spec["layer"] for t in layer.get("transform", []) if "filter" in t]
    assert sum("datum.statcode === municipality_pick" in f for f in filters) == 3  # the dot and its two labels

    by_code = municipal.set_index("statcode")
    named = lambda code: f"{by_code.at[code, 'municipality']} {by_code.at[code, 'index']:.3f}"  # noqa: E731
    texts = [html.unescape(text) for text in _bold_texts(charts.static_svg(spec))]
    assert named("GM0518") in texts and named("GM0363") not in texts
    amsterdam = copy.deepcopy(spec)
    amsterdam["params"][0]["value"] = "GM0363"
    texts = [html.unescape(text) for text in _bold_texts(charts.static_svg(amsterdam))]
    assert named("GM0363") in texts and named("GM0518") not in texts

    with pytest.raises(ValueError, match="'GM9999' is not one of its options"):
        diversity.ranked_chart(table, "GM9999", 0.30)
