"""data/datapackage.json: every resource loads, carries its provenance, and matches its file;
and a few real values read through the package agree with the CSV files."""
from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest

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
    assert all(licence.get("name", "").strip() for licence in item["licenses"])
    assert item["schema"]["fields"], f"{name}: schema has no fields"


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
    assert len(on_disk) == 9


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
    assert len(ledger) == len(_rows("claims.csv")) == 38


def test_every_claim_check_is_none_with_reason_or_a_known_recomputation():
    ledger = data.load("claims")
    for claim_id, check in zip(ledger["claim_id"], ledger["check"]):
        check = str(check)
        if check.startswith("none"):
            assert re.fullmatch(r"none: \S.*", check), f"{claim_id}: '{check}' has no reason"
        else:
            assert check.split(":")[0] in claims.RECOMPUTATIONS, f"{claim_id}: unknown check '{check}'"


def test_claims_named_inside_a_check_exist_in_the_ledger():
    ledger = data.load("claims")
    ids = set(ledger["claim_id"])
    for claim_id, check in zip(ledger["claim_id"], ledger["check"]):
        for referenced in re.findall(r"S00[0-4]-C\d{2}", str(check)):
            assert referenced in ids, f"{claim_id} refers to {referenced}"
