"""migration_recomputed.claims: verdict thresholds, and real ledger rows checked against data."""
from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from migration_recomputed import claims, data

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ledger() -> pd.DataFrame:
    return data.load("claims")


def _claim(ledger: pd.DataFrame, claim_id: str) -> pd.Series:
    return ledger[ledger.claim_id == claim_id].iloc[0]


def _rus_rate_2013() -> float:
    with open(REPO / "data/external/wdi_official_exchange_rate.csv", newline="", encoding="utf-8") as handle:
        return next(float(r["lcu_per_usd"]) for r in csv.DictReader(handle)
                    if r["country_code"] == "RUS" and r["year"] == "2013")


# --- verdict ------------------------------------------------------------------------------

def test_thresholds_are_2_5_and_10_percent():
    assert (claims.CONFIRMED_WITHIN_PCT, claims.CLOSE_WITHIN_PCT) == (2.5, 10.0)


@pytest.mark.parametrize("claimed, recomputed, expected", [
    (100.0, 100.0, "confirmed"),
    (102.5, 100.0, "confirmed"),      # exactly 2.5 % is still confirmed
    (97.5, 100.0, "confirmed"),
    (102.6, 100.0, "close"),
    (110.0, 100.0, "close"),          # exactly 10 % is still close
    (90.0, 100.0, "close"),           # 10 % of the recomputed value (11.1 % of the claim)
    (110.1, 100.0, "contradicted"),
    (89.9, 100.0, "contradicted"),
    (47.0, 43.77, "close"),
])
def test_verdict_by_relative_difference_from_recomputed_value(claimed, recomputed, expected):
    assert claims.verdict(claimed, recomputed, "percent") == expected


@pytest.mark.parametrize("claimed, recomputed, expected", [
    (2, 2.0, "confirmed"),
    (2, 3.0, "contradicted"),
    (100, 101.0, "contradicted"),     # 1 % off is confirmed for values, not for ranks
    (5, 4.0, "contradicted"),
])
def test_rank_verdict_needs_an_exact_match(claimed, recomputed, expected):
    assert claims.verdict(claimed, recomputed, "rank") == expected


# --- check_claim on real ledger rows -------------------------------------------------------

def test_tajikistan_47_percent_of_gdp_recomputes_to_43_77_close(ledger):
    result = claims.check_claim(_claim(ledger, "S000-C21"), ledger)
    assert result["claimed"] == 47.0
    # 100 * remittances / GDP, Tajikistan 2013, data/external/wdi_remittances_oda_fdi_gdp.csv
    assert result["recomputed"] == pytest.approx(43.77, abs=0.005)
    assert result["difference"] == pytest.approx(47.0 - result["recomputed"])
    assert result["difference_pct"] == pytest.approx(100 * (47.0 - result["recomputed"]) / result["recomputed"])
    assert result["verdict"] == "close"
    assert result["basis"] == "personal remittances received / GDP, Tajikistan, 2013"
    assert result["vintage"] == "World Bank (World Development Indicators) (data as of 2026-07-01)"


def test_moldova_23_percent_of_gdp_is_confirmed(ledger):
    result = claims.check_claim(_claim(ledger, "S000-C26"), ledger)
    assert result["recomputed"] == pytest.approx(23.08, abs=0.005)
    assert result["verdict"] == "confirmed"


@pytest.mark.parametrize("claim_id, rank, verdict", [
    ("S000-C22", 1, "confirmed"),     # Tajikistan first
    ("S000-C23", 2, "contradicted"),  # the seed says Kyrgyzstan third; WDI 2026 has it second
    ("S000-C25", 5, "confirmed"),     # Moldova fifth
])
def test_remittance_rank_claims(ledger, claim_id, rank, verdict):
    result = claims.check_claim(_claim(ledger, claim_id), ledger)
    assert result["recomputed"] == rank
    assert result["verdict"] == verdict


def test_one_trillion_roubles_is_contradicted_at_the_2013_rate(ledger):
    result = claims.check_claim(_claim(ledger, "S000-C20"), ledger)
    rate = _rus_rate_2013()
    assert rate == pytest.approx(31.837, abs=5e-4)
    assert result["claimed"] == 1e12
    assert result["recomputed"] == pytest.approx(25e9 * rate, rel=1e-9)  # about 796 billion roubles
    assert result["verdict"] == "contradicted"
    assert "31.84 per US$" in result["basis"]
    assert "S000-C19" in result["basis"]


def test_russia_second_in_world_depends_on_the_revision(ledger):
    result = claims.check_claim(_claim(ledger, "S000-C01"), ledger)
    assert result["verdict"] == claims.DEPENDS == "depends on the data revision"
    assert result["recomputed"] == 4.0  # the latest revision (UN 2024 via WDI 2026) is shown
    assert "UN revision in WDI, 2018: 3 (contradicted)" in result["basis"]
    assert "UN 2019 revision (sum of origins): 2 (confirmed)" in result["basis"]
    assert "UN 2024 revision (WDI, 2026): 4 (contradicted)" in result["basis"]
    assert "interpolated between 2010 and 2015" in result["basis"]
    assert result["vintage"].startswith("latest of: ")


def test_twenty_plus_five_billion_is_internally_consistent(ledger):
    result = claims.check_claim(_claim(ledger, "S000-C19"), ledger)
    assert result["recomputed"] == pytest.approx(25e9)  # S000-C17 (20e9) + S000-C18 (5e9)
    assert result["difference"] == pytest.approx(0.0)
    assert result["verdict"] == "confirmed"
    assert result["vintage"] == "internal consistency of the source document"


def test_twenty_billion_bank_transfers_against_tabel2_sum_is_close(ledger):
    result = claims.check_claim(_claim(ledger, "S000-C17"), ledger)
    assert result["recomputed"] == pytest.approx(21.1e9)  # sum of Tabel 2 total_usd
    assert result["verdict"] == "close"                    # 20 vs 21.1: 5.2 % off


def test_none_claim_is_not_checkable_and_keeps_the_reason(ledger):
    result = claims.check_claim(_claim(ledger, "S000-C07"), ledger)
    assert result["verdict"] == "not checkable with our data"
    assert result["basis"] == "no count of irregular migrants in our data"
    assert result["claimed"] == 4e6
    assert math.isnan(result["recomputed"]) and math.isnan(result["difference"])


def test_unknown_check_key_raises_value_error_naming_file_claim_and_column(ledger):
    claim = _claim(ledger, "S000-C21").copy()
    claim["check"] = "no_such_check:TJK"
    with pytest.raises(ValueError) as caught:
        claims.check_claim(claim, ledger)
    message = str(caught.value)
    assert message.startswith("data/claims.csv, claim S000-C21, column 'check': unknown check 'no_such_check'")
    assert "remittance_share_gdp" in message  # lists the known checks


def test_check_that_needs_a_year_says_so(ledger):
    claim = _claim(ledger, "S000-C21").copy()
    claim["ref_year"] = pd.NA
    with pytest.raises(ValueError, match="claim S000-C21: check 'remittance_share_gdp:TJK' needs a ref_year"):
        claims.check_claim(claim, ledger)


def test_evaluate_one_chapter_returns_one_row_per_claim_of_that_chapter(ledger):
    # add a chapter-2 claim to make sure the chapter filter is applied
    extra = _claim(ledger, "S000-C07").copy()
    extra["claim_id"], extra["chapter"] = "S001-C01", 2
    with_extra = pd.concat([ledger, extra.to_frame().T], ignore_index=True)
    with_extra["chapter"] = with_extra["chapter"].astype("Int64")
    result = claims.evaluate(with_extra, chapter=1)
    chapter_1 = ledger[ledger.chapter == 1]["claim_id"].tolist()
    assert len(chapter_1) == 38
    assert result["claim_id"].tolist() == chapter_1
    assert set(result["verdict"]) <= set(claims.VERDICTS)
    assert {"seed_lines", "quote_nl", "claim_en", "claimed", "recomputed", "verdict", "basis"} <= set(result.columns)
    verdicts = result.set_index("claim_id")["verdict"]
    assert verdicts["S000-C21"] == "close" and verdicts["S000-C26"] == "confirmed"
    assert (verdicts == "not checkable with our data").sum() == \
        ledger["check"].astype(str).str.startswith("none").sum()
