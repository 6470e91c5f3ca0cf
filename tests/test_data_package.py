"""data/datapackage.json: every resource loads, carries its provenance, and matches its file;
and a few real values read through the package agree with the CSV files."""
from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

import file_modules
from migration_recomputed import claims, data

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
PACKAGE = data.datapackage(REPO)
RESOURCES = PACKAGE["resources"]
NAMES = [item["name"] for item in RESOURCES]


def _rows(relative_path: str) -> list[dict]:
    with open(DATA / relative_path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_descriptor_profile_is_the_tabular_data_package_name_not_a_url():
    assert PACKAGE["profile"] == "tabular-data-package"


def test_descriptor_declares_data_package_v2_for_its_exclusive_bounds():
    # frictionless 5.21 refuses exclusiveMinimum/exclusiveMaximum under v1 (an absent $schema)
    assert PACKAGE["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    uses_exclusive = [field["name"] for item in RESOURCES for field in item["schema"]["fields"]
                      if {"exclusiveMinimum", "exclusiveMaximum"} & set(field.get("constraints", {}))]
    assert uses_exclusive


# The resources each chapter adds (a chapter's list may name a resource an earlier one added).
CHAPTER_RESOURCES = {
    1: ["seed000_tabel1_cis_migrants", "seed000_tabel2_remittances", "wdi_remittances", "wdi_population",
        "wdi_exchange_rate", "wdi_migrant_stock", "wdi2018_population_remittances_gdp", "undesa_bilateral_stock",
        "undesa_destination_totals"],
    2: ["unhcr_asylum_applications_russians", "unhcr_population_of_concern_russians", "wpp2024_components_russia",
        "wdi_population_russia", "eurostat_asylum_applicants_russians", "eurostat_russian_citizens",
        "eurostat_employment_permits_russians", "cbs_arrivals_from_russia_2022", "seed004_kennismigrant_thresholds"],
    3: ["cbs_nl_migration_flows", "cbs_nl_immigration_by_motive", "cbs_nl_population_by_migration_background",
        "cbs_kwb2022_gemeente_origin", "cbs_kwb2022_denhaag_wijk_origin", "cbs_kwb_national_origin_groups",
        "cbs85458_gemeente_origin", "cbs_gemeente_2022_boundaries"],
    4: ["seed004_tabel1_asylum_nl", "seed004_policy_priorities", "unhcr_asylum_nld",
        "wdi2018_migrant_stock_before_1990", "undesa_ims2020_totals"],
}


def test_every_resource_is_listed():
    for chapter, names in CHAPTER_RESOURCES.items():
        assert [name for name in NAMES if name in names] == names, f"chapter {chapter}'s resources, in this order"
        for name in names:
            assert chapter in data.resource(name, REPO)["chapters"], (chapter, name)
    assert NAMES[-2:] == ["source_documents", "claims"]  # the registry and the ledger close the package


def test_resource_names_are_unique():
    assert len(NAMES) == len(set(NAMES))


@pytest.mark.parametrize("name", NAMES)
def test_every_resource_loads_with_its_schema_and_hash(name):
    item = data.resource(name, REPO)
    table = data.load(name)
    assert list(table.columns) == [field["name"] for field in item["schema"]["fields"]]
    # as many rows as the CSV has data lines, read independently of pandas
    assert len(table) == len(_rows(item["path"]))
    assert len(table) > 0


@pytest.mark.parametrize("name", NAMES)
def test_every_resource_has_complete_provenance(name):
    item = data.resource(name, REPO)
    for key in ("title", "description", "publisher", "trimming"):
        assert isinstance(item.get(key), str) and item[key].strip(), f"{name}: {key} is empty"
    for key in ("sources", "licenses", "chapters"):
        assert isinstance(item.get(key), list) and item[key], f"{name}: {key} is empty"
    assert all(isinstance(chapter, int) and chapter >= 1 for chapter in item["chapters"])
    assert all(source.get("title", "").strip() for source in item["sources"])
    assert all(licence.get("name", "").strip() and licence.get("title", "").strip() for licence in item["licenses"])
    assert item["class"] in {"verbatim extract", "verbatim extract (reshaped)", "constructed",
                             "transcribed from the source document", "transcribed from the source documents"}, name
    assert item["schema"]["fields"], f"{name}: schema has no fields"
    assert item["schema"].get("primaryKey"), f"{name}: no primary key"
    assert (item["profile"], item["format"], item["mediatype"], item["encoding"]) == \
        ("tabular-data-resource", "csv", "text/csv", "utf-8")
    for field in item["schema"]["fields"]:
        assert field["type"] in {"string", "integer", "number"}, (name, field)


@pytest.mark.parametrize("name", [item["name"] for item in RESOURCES if item["path"].startswith("external/")])
def test_every_external_resource_says_when_and_from_which_files(name):
    item = data.resource(name, REPO)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item.get("retrieved", "")), name
    for source in item["sources"]:
        assert source["repository"].startswith("https://github.com/"), source
        assert source.get("files") and all(isinstance(path, str) and path for path in source["files"]), source
        assert source.get("publisher", "").strip(), source


def test_world_bank_files_are_cc_by_4_0():
    for item in RESOURCES:
        if item["name"].startswith("wdi"):
            assert [licence["name"] for licence in item["licenses"]] == ["CC-BY-4.0"], item["name"]
            assert item["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"


@pytest.mark.parametrize("name", NAMES)
def test_hash_is_sha256_of_the_file_and_bytes_is_its_size(name):
    item = data.resource(name, REPO)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", item["hash"]), item["hash"]
    path = DATA / item["path"]
    assert item["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert item["bytes"] == path.stat().st_size


@pytest.mark.parametrize("name", NAMES)
def test_every_repository_source_is_pinned_to_a_40_hex_commit(name):
    for source in data.resource(name, REPO)["sources"]:
        if "repository" in source:
            assert re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")), (name, source)
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", source.get("commit_date", "")), (name, source)


def test_external_resources_are_the_ones_with_repositories():
    # every file under data/external/ comes from a pinned repository, none of the transcribed ones do
    for item in RESOURCES:
        from_repository = any("repository" in source for source in item["sources"])
        assert from_repository == item["path"].startswith("external/"), item["name"]


def test_every_csv_under_data_is_described_by_exactly_one_resource():
    on_disk = sorted(path.relative_to(DATA).as_posix() for path in DATA.rglob("*.csv")
                     if "scripts" not in path.relative_to(DATA).parts)
    described = sorted(item["path"] for item in RESOURCES)
    assert described == on_disk  # no unlisted file, no path listed twice, no listed file missing
    assert len(on_disk) == len(RESOURCES)


def test_unknown_resource_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="no resource 'nope'.*wdi_remittances"):
        data.resource("nope", REPO)


def test_source_line_names_publisher_and_title():
    item = data.resource("wdi_exchange_rate", REPO)
    assert data.source_line("wdi_exchange_rate") == f"Source: {item['publisher']}, {item['title']}"


# --- real values -------------------------------------------------------------------------

def test_seed000_tabel1_immigrants_sum_to_8_913_410_over_nine_rows():
    table = data.load("seed000_tabel1_cis_migrants")
    # seed 000 lines 188-196: 2417575 + 2215780 + 999169 + 597559 + 579493 + 561033
    #                         + 544956 + 517828 + 480017 = 8,913,410
    assert len(table) == 9
    assert int(table["immigrants"].sum()) == 8_913_410
    assert sum(int(row["immigrants"]) for row in _rows("seeds/seed000_tabel1_cis_migrants_in_russia_2015.csv")) \
        == 8_913_410
    assert table.set_index("iso3").loc["TJK", "immigrants"] == 999169


def test_seed000_tabel2_total_usd_sums_to_21_1_billion():
    table = data.load("seed000_tabel2_remittances")
    # 6.67 + 4.17 + 3.42 + 2.11 + 1.71 + 1.34 + 1.28 + 0.40 = 21.10 billion US$ (seed lines 296-303)
    assert float(table["total_usd"].sum()) == pytest.approx(21.1e9)
    assert len(table) == 8


def test_wdi_official_exchange_rate_russia_2013_is_about_31_84_roubles_per_dollar():
    table = data.load("wdi_exchange_rate")
    rate = table[(table.country_code == "RUS") & (table.year == 2013)]["lcu_per_usd"]
    assert len(rate) == 1
    raw = [float(row["lcu_per_usd"]) for row in _rows("external/wdi_official_exchange_rate.csv")
           if row["country_code"] == "RUS" and row["year"] == "2013"]
    assert float(rate.iloc[0]) == pytest.approx(raw[0], rel=1e-12)
    assert float(rate.iloc[0]) == pytest.approx(31.84, abs=0.005)  # CSV: 31.837144


def test_claims_ledger_ids_are_unique():
    ledger = data.load("claims")
    assert ledger["claim_id"].is_unique
    assert len(ledger) == len(_rows("claims.csv"))
    assert (ledger.chapter == 1).sum() == 46  # 38 claims of the text, 8 rows of Tabel 2
    assert (ledger.chapter == 2).sum() == 31  # 28 of source 001, 3 of source 002
    assert (ledger.chapter == 4).sum() == 55  # 39 checked (7 of them Tabel 1's totals), 16 without data here


def test_every_claim_check_is_none_with_reason_or_a_known_recomputation():
    ledger = data.load("claims")
    for claim_id, check in zip(ledger["claim_id"], ledger["check"]):
        check = str(check)
        if check.startswith("none"):
            assert re.fullmatch(r"none: \S.*", check), f"{claim_id}: '{check}' has no reason"
        else:
            assert check.split(":")[0] in claims.registered_checks(), f"{claim_id}: unknown check '{check}'"


def test_claims_named_inside_a_check_exist_in_the_ledger():
    ledger = data.load("claims")
    ids = set(ledger["claim_id"])
    for claim_id, check in zip(ledger["claim_id"], ledger["check"]):
        for referenced in re.findall(r"S00[0-4]-C\d{2}", str(check)):
            assert referenced in ids, f"{claim_id} refers to {referenced}"


# --- the 2018 World Bank vintage -----------------------------------------------------------

def test_wdi2018_is_read_at_the_2018_commit_and_ends_in_2016():
    item = data.resource("wdi2018_population_remittances_gdp", REPO)
    assert [source["commit"] for source in item["sources"]] == ["e73c49d5ab4381c90d5dca35274953b25031fc2a"]
    assert item["sources"][0]["commit_date"] == "2018-08-01"
    assert item["sources"][0]["files"] == ["indicators/sp.pop.totl/data.csv", "indicators/bx.trf.pwkr.cd.dt/data.csv",
                                           "indicators/ny.gdp.mktp.cd/data.csv"]
    table = data.load("wdi2018_population_remittances_gdp")
    assert (int(table["year"].min()), int(table["year"].max())) == (1990, 2016)
    assert {"WLD", "LMY", "RUS", "TJK", "MDA"} <= set(table["country_code"])  # aggregates kept, like the others


def test_wdi2018_holds_moldova_before_the_revisions():
    old = data.load("wdi2018_population_remittances_gdp").set_index(["country_code", "year"])
    population = data.load("wdi_population").set_index(["country_code", "year"])
    gdp = data.load("wdi_remittances").set_index(["country_code", "year"])
    # as the descriptor says: 3,554,108 then, 2,835,978 now; GDP 2013 7.99 bn then, 9.50 bn now
    assert float(old.loc[("MDA", 2015), "population"]) == 3_554_108
    assert int(population.loc[("MDA", 2015), "population"]) == 2_835_978
    assert float(old.loc[("MDA", 2013), "gdp_current_usd"]) / 1e9 == pytest.approx(7.99, abs=0.005)
    assert float(gdp.loc[("MDA", 2013), "gdp_current_usd"]) / 1e9 == pytest.approx(9.50, abs=0.005)
    raw = {row["year"]: row for row in _rows("external/wdi2018_population_remittances_gdp.csv")
           if row["country_code"] == "MDA"}
    assert raw["2013"]["gdp_current_usd"] == "7985349731.46471"
    description = data.resource("wdi2018_population_remittances_gdp", REPO)["description"]
    assert "3,554,108" in description and "2,835,978" in description and "7.99" in description


# --- the registry of source documents ------------------------------------------------------

SEEDS = ["000_e1450e3e99c1b5b0.txt", "001_12cc6a5d36c896d5.txt", "002_5c5167c31e393191.txt",
         "003_301f203c46596c65.txt", "004_9b263e1afd2b163e.txt"]


def test_source_documents_registers_the_five_seed_files():
    table = data.load("source_documents")
    assert list(table["seed_file"]) == SEEDS
    assert list(table["chapters"]) == ["1", "2", "2", "3", "4"]
    # lines as cat -n numbers them (wc -l says 413, 114, 46, 9975, 1298: four files end without a newline)
    assert list(table["lines"]) == [414, 115, 47, 9976, 1298]
    assert table["sha256"].str.fullmatch(r"[0-9a-f]{64}").all() and table["sha256"].is_unique
    assert table.set_index("seed_file").loc[SEEDS[0], "sha256"].startswith("0fa9d1098a26e729")


def test_source_documents_say_where_each_statement_stands():
    for row in _rows("source_documents.csv"):
        for column in ("document", "kind_and_outlet", "date", "address_note"):
            assert re.search(r"\bL\d+", row[column]) or "not stated in the extract" in row[column] \
                or row[column] == "no web address of its own in the extract", (row["seed_file"], column)
        assert row["address"] == "" and row["address_note"]  # none of the five gives its own address
    rows = {row["seed_file"]: row for row in _rows("source_documents.csv")}
    assert "c. March 2015" in rows[SEEDS[0]]["date"] and "Achtergrond" in rows[SEEDS[0]]["kind_and_outlet"]
    assert rows[SEEDS[4]]["document"].startswith("Beleidsnotitie Internationale Migratie en Ontwikkeling 2008")


def test_seed_tables_cite_lines_inside_their_source_document():
    lines = data.load("source_documents").set_index("seed_file")["lines"]
    for name in ("seed000_tabel1_cis_migrants", "seed000_tabel2_remittances"):
        assert [source["file"] for source in data.resource(name, REPO)["sources"]] == [SEEDS[0]]
        assert int(data.load(name)["seed_line"].max()) <= lines[SEEDS[0]]


def test_every_claim_cites_a_registered_document_within_its_lines():
    ledger = data.load("claims")  # runs ledger.check_claim_provenance
    lines = data.load("source_documents").set_index("seed_file")["lines"]
    assert set(ledger["seed_file"]) <= set(lines.index)
    for seed_file, seed_lines in zip(ledger["seed_file"], ledger["seed_lines"]):
        last = max(int(number) for number in re.findall(r"\d+", seed_lines))
        assert last <= lines[seed_file]


def test_update_hashes_refuses_a_file_not_in_the_one_byte_form():
    module = file_modules.load("data/scripts/update_datapackage_hashes.py")
    assert module.byte_form_problem(b"a,b\n1,2\n") == ""
    assert "CRLF" in module.byte_form_problem(b"a,b\r\n1,2\r\n")
    assert "byte-order mark" in module.byte_form_problem(b"\xef\xbb\xbfa,b\n1,2\n")
    assert "not valid UTF-8" in module.byte_form_problem("a,b\nMoldavië,2\n".encode("latin-1"))
    assert module.byte_form_problem(b"") == "the file is empty"


def test_the_builds_cache_serves_a_checked_table_once_and_rechecks_changed_bytes(tmp_path, monkeypatch):
    """With $BOOK_DATA_CACHE (tools/build.sh) a file is validated once per build; the next kernel
    loads the checked copy. Other bytes (or another schema) are validated afresh."""
    from migration_recomputed import schema

    monkeypatch.setenv("BOOK_DATA_CACHE", str(tmp_path / "cache"))
    descriptor = data.resource("wdi_population")
    first = data.read_resource(descriptor, REPO / "data")
    assert len(list((tmp_path / "cache").glob("wdi_population-*.pkl"))) == 1

    def refuse(*args, **kwargs):
        raise AssertionError("validated again")

    monkeypatch.setattr(data, "validate_table", refuse)
    again = data.read_resource(descriptor, REPO / "data")
    pd.testing.assert_frame_equal(again, first)

    changed = tmp_path / "data" / descriptor["path"]
    changed.parent.mkdir(parents=True)
    lines = (REPO / "data" / descriptor["path"]).read_bytes().split(b"\n")
    changed.write_bytes(b"\n".join(lines[:-3] + [b""]))  # two rows fewer: other bytes
    unhashed = dict(descriptor, hash="")
    with pytest.raises(AssertionError, match="validated again"):
        data.read_resource(unhashed, tmp_path / "data")
    monkeypatch.setattr(data, "validate_table", schema.validate_table)
    assert len(data.read_resource(unhashed, tmp_path / "data")) == len(first) - 2
