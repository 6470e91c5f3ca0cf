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


@pytest.mark.parametrize("claimed, recomputed, expected", [
    (25.0, 25.0, claims.CONSISTENT),
    (20.0, 21.1, claims.ROUGHLY_CONSISTENT),
    (1000.0, 795.9, claims.INCONSISTENT),
])
def test_internal_checks_have_their_own_verdicts_never_confirmed(claimed, recomputed, expected):
    got = claims.verdict(claimed, recomputed, "usd", claims.INTERNAL)
    assert got == expected
    assert got not in claims.VERDICTS_BY_KIND[claims.INDEPENDENT]


@pytest.mark.parametrize("claimed, bound, expected", [
    (4.17e9, 3.70e9, "contradicted"),       # Tajikistan: more from Russia than from all countries
    (3.42e9, 9.67e9, claims.WITHIN_BOUND),   # Ukraine
    (5.0, 5.0, claims.WITHIN_BOUND),         # the bound itself is allowed
])
def test_a_bound_can_contradict_but_never_confirm(claimed, bound, expected):
    assert claims.verdict(claimed, bound, "usd", claims.BOUND) == expected


def test_a_stricter_tolerance_changes_a_verdict():
    assert claims.verdict(102.0, 100.0, "percent") == "confirmed"
    assert claims.verdict(102.0, 100.0, "percent", confirmed_within=1.0) == "close"


# --- check_claim on real ledger rows -------------------------------------------------------

def test_tajikistan_47_percent_of_gdp_recomputes_to_43_77_close(ledger):
    result = claims.check_claim(_claim(ledger, "S000-C21"), ledger)
    assert result["claimed"] == 47.0
    # 100 * remittances / GDP, Tajikistan 2013, data/external/wdi_remittances_oda_fdi_gdp.csv
    assert result["recomputed"] == pytest.approx(43.77, abs=0.005)
    assert result["difference_pct"] == pytest.approx(100 * (47.0 - result["recomputed"]) / result["recomputed"])
    assert (result["kind"], result["verdict"]) == (claims.INDEPENDENT, "close")
    assert result["basis"] == "personal remittances received / GDP, Tajikistan, 2013"
    assert result["vintage"] == "World Bank (World Development Indicators) (data as of 2026-07-01)"


def test_moldova_23_percent_of_gdp_is_confirmed(ledger):
    result = claims.check_claim(_claim(ledger, "S000-C26"), ledger)
    assert result["recomputed"] == pytest.approx(23.08, abs=0.005)
    assert result["verdict"] == "confirmed"


@pytest.mark.parametrize("claim_id, rank, verdict", [
    ("S000-C22", 1, "confirmed"),     # Tajikistan first
    ("S000-C23", 2, "contradicted"),  # the article says Kyrgyzstan third; WDI 2026 has it second
    ("S000-C25", 5, "confirmed"),     # Moldova fifth
])
def test_remittance_rank_claims(ledger, claim_id, rank, verdict):
    result = claims.check_claim(_claim(ledger, claim_id), ledger)
    assert result["recomputed"] == rank
    assert result["verdict"] == verdict


def test_one_trillion_roubles_is_inconsistent_with_the_articles_own_dollars(ledger):
    result = claims.check_claim(_claim(ledger, "S000-C20"), ledger)
    rate = _rus_rate_2013()
    assert rate == pytest.approx(31.837, abs=5e-4)
    assert result["recomputed"] == pytest.approx(25e9 * rate, rel=1e-9)  # about 796 billion roubles
    assert (result["kind"], result["verdict"]) == (claims.INTERNAL, claims.INCONSISTENT)
    assert "31.84 per US$" in result["basis"] and "S000-C19" in result["basis"]


def test_russia_second_in_world_is_contradicted_by_both_official_series(ledger):
    """The UN 2019 series is this book's own sum of origin columns: shown, never decisive."""
    result = claims.check_claim(_claim(ledger, "S000-C01"), ledger)
    assert result["verdict"] == "contradicted"
    assert result["recomputed"] == 4.0  # the latest official revision (UN 2024 via WDI 2026) is shown
    assert "UN revision in WDI, 2018: 3rd (contradicted)" in result["basis"]
    assert "UN 2019 revision (sum of origins): 2nd (confirmed; derived by this book, not used for the verdict)" \
        in result["basis"]
    assert "UN 2024 revision (WDI, 2026): 4th (contradicted)" in result["basis"]
    assert result["vintage"] == "latest of: UN revision in WDI, 2018, UN 2024 revision (WDI, 2026)"


def test_eleven_million_depends_on_the_revision_because_official_editions_disagree(ledger):
    result = claims.check_claim(_claim(ledger, "S000-C02"), ledger)
    assert result["verdict"] == claims.DEPENDS  # 11.46 million in 2018 (close), 9.94 million today (contradicted)
    assert "11.5 million people (close)" in result["basis"] and "9.9 million people (contradicted)" in result["basis"]


def test_derived_series_alone_cannot_decide():
    ledger = pd.DataFrame([{"claim_id": "T-1", "value": 1.0, "unit": "count", "check": "only_derived",
                            "ref_year": 2000}])
    claims.check("only_derived", kind=claims.INDEPENDENT)(
        lambda args, claim, ledger: [claims.Recomputed(1.0, "x", "ours", official=False)])
    try:
        with pytest.raises(claims.ClaimCheckError, match="T-1.*no official series"):
            claims.check_claim(ledger.iloc[0], ledger)
    finally:
        del claims.RECOMPUTATIONS["only_derived"]


def test_twenty_plus_five_billion_is_consistent_with_the_articles_own_figures(ledger):
    result = claims.check_claim(_claim(ledger, "S000-C19"), ledger)
    assert result["recomputed"] == pytest.approx(25e9)  # S000-C17 (20e9) + S000-C18 (5e9)
    assert (result["kind"], result["verdict"]) == (claims.INTERNAL, claims.CONSISTENT)


def test_twenty_billion_bank_transfers_against_tabel2_sum_is_roughly_consistent(ledger):
    result = claims.check_claim(_claim(ledger, "S000-C17"), ledger)
    assert result["recomputed"] == pytest.approx(21.1e9)  # sum of Tabel 2 total_usd
    assert result["verdict"] == claims.ROUGHLY_CONSISTENT  # 20 vs 21.1: 5.2 % off


def test_tabel2_rows_above_their_upper_bound_are_contradicted(ledger):
    bounds = ledger[ledger["check"].astype(str).str.startswith("remittances_received_upper_bound:")]
    assert len(bounds) == 8  # one per row of Tabel 2
    tabel2 = pd.read_csv(REPO / "data/seeds/seed000_tabel2_remittances_2013.csv").set_index("iso3")["total_usd"]
    verdicts = {}
    for _, claim in bounds.iterrows():
        code = claim["check"].split(":")[1]
        assert claim["value"] == tabel2[code], f"{claim['claim_id']}: ledger and Tabel 2 disagree for {code}"
        verdicts[code] = claims.check_claim(claim, ledger)["verdict"]
    # World Bank 2013: Tajikistan received 3.70 bn from all countries, Uzbekistan 6.44 bn
    assert {code for code, v in verdicts.items() if v == "contradicted"} == {"TJK", "UZB"}
    assert set(verdicts.values()) == {"contradicted", claims.WITHIN_BOUND}


def test_none_claim_is_not_checkable_and_keeps_the_reason(ledger):
    result = claims.check_claim(_claim(ledger, "S000-C07"), ledger)
    assert (result["kind"], result["verdict"]) == (claims.UNCHECKED, "not checkable with our data")
    assert result["basis"] == "no count of irregular migrants in our data"
    assert math.isnan(result["recomputed"]) and math.isnan(result["difference"])


# --- errors name the claim ---------------------------------------------------------------------

def test_unknown_check_key_names_file_claim_and_column(ledger):
    claim = _claim(ledger, "S000-C21").copy()
    claim["check"] = "no_such_check:TJK"
    with pytest.raises(claims.ClaimCheckError) as caught:
        claims.check_claim(claim, ledger)
    message = str(caught.value)
    assert message.startswith("data/claims.csv, claim S000-C21, column 'check': unknown check 'no_such_check'")
    assert "remittance_share_gdp" in message  # lists the known checks


@pytest.mark.parametrize("check, expected", [
    ("remittance_share_gdp", "'remittance_share_gdp' does not match the form 'remittance_share_gdp:<ISO3 country code>'"),
    ("remittance_share_gdp:TJK:extra", "(1 argument(s), got 2)"),
    ("remittance_share_gdp:XYZ", "claim S000-C21, column 'check' ('remittance_share_gdp:XYZ'): no remittances or GDP for XYZ"),
    ("sum_of_claims:S000-C99", "claim S000-C21, column 'check' ('sum_of_claims:S000-C99'): it refers to claim S000-C99"),
])
def test_a_bad_check_argument_names_the_claim(ledger, check, expected):
    claim = _claim(ledger, "S000-C21").copy()
    claim["check"] = check
    with pytest.raises(claims.ClaimCheckError) as caught:
        claims.check_claim(claim, ledger)
    assert expected in str(caught.value)
    assert "S000-C21" in str(caught.value)


def test_check_that_needs_a_year_says_so(ledger):
    claim = _claim(ledger, "S000-C21").copy()
    claim["ref_year"] = pd.NA
    with pytest.raises(claims.ClaimCheckError, match="claim S000-C21.*needs the claim's ref_year"):
        claims.check_claim(claim, ledger)


# --- evaluate and the summary ----------------------------------------------------------------------

def test_evaluate_one_chapter_returns_one_row_per_claim_of_that_chapter(ledger):
    extra = _claim(ledger, "S000-C07").copy()
    extra["claim_id"], extra["chapter"] = "S001-C99", 2  # an id no real claim has
    with_extra = pd.concat([ledger, extra.to_frame().T], ignore_index=True)
    with_extra["chapter"] = with_extra["chapter"].astype("Int64")
    result = claims.evaluate(with_extra, chapter=1)
    chapter_1 = ledger[ledger.chapter == 1]["claim_id"].tolist()
    assert result["claim_id"].tolist() == chapter_1
    assert set(result["verdict"]) <= set(claims.VERDICTS)
    verdicts = result.set_index("claim_id")["verdict"]
    assert verdicts["S000-C21"] == "close" and verdicts["S000-C26"] == "confirmed"
    assert (verdicts == "not checkable with our data").sum() == \
        ledger.loc[ledger.chapter == 1, "check"].astype(str).str.startswith("none").sum()


@pytest.mark.parametrize("chapter", [1, 2, 3, 4])
def test_a_chapters_share_of_the_checked_ledger_is_what_evaluating_its_claims_gives(ledger, chapter):
    pd.testing.assert_frame_equal(claims.checked_ledger(chapter=chapter), claims.evaluate(ledger, chapter=chapter))


def test_the_checked_ledger_is_checked_once_in_the_build_and_read_by_the_other_pages(tmp_path, monkeypatch, ledger):
    monkeypatch.setenv("BOOK_DATA_CACHE", str(tmp_path))
    whole = claims.checked_ledger()
    assert len(list(tmp_path.glob("checked-claims-*.pkl"))) == 1 and len(whole) == len(ledger)

    def not_again(*args, **kwargs):
        raise AssertionError("the ledger was checked a second time")

    monkeypatch.setattr(claims, "evaluate", not_again)
    pd.testing.assert_frame_equal(claims.checked_ledger(), whole)
    pd.testing.assert_frame_equal(claims.checked_ledger(chapter=3),
                                  whole[whole["chapter"] == 3].reset_index(drop=True))
    monkeypatch.delenv("BOOK_DATA_CACHE")  # outside the build: computed
    with pytest.raises(AssertionError, match="second time"):
        claims.checked_ledger()


def test_checking_ahead_keeps_every_checked_table_and_the_verdicts_for_the_pages(tmp_path, monkeypatch, ledger):
    """claims.check_ahead, run by the build's background process while Sphinx starts
    (_ext/check_ahead.py), leaves the pages' kernels nothing to validate or evaluate."""
    monkeypatch.setenv("BOOK_DATA_CACHE", str(tmp_path))
    data._load_cached.cache_clear()  # as in a fresh process: nothing kept in memory
    assert claims.check_ahead() == len(ledger)
    names = [item["name"] for item in data.datapackage()["resources"]]
    assert {path.name.rsplit("-", 1)[0] for path in tmp_path.glob("*.pkl")} == set(names) | {"checked-claims"}

    def not_again(*args, **kwargs):
        raise AssertionError("checked a second time")

    data._load_cached.cache_clear()  # a page's kernel
    monkeypatch.setattr(data, "validate_table", not_again)
    monkeypatch.setattr(claims, "evaluate", not_again)
    assert all(len(data.load(name)) > 0 for name in names)
    assert len(claims.checked_ledger(chapter=2)) == (ledger.chapter == 2).sum()
    data._load_cached.cache_clear()


def test_the_build_checks_ahead_only_from_scratch_and_where_it_can_keep_the_results(monkeypatch, tmp_path):
    import sys
    from types import SimpleNamespace

    sys.path.insert(0, str(data.book_root() / "_ext"))
    try:
        import background
        import check_ahead
    finally:
        sys.path.remove(str(data.book_root() / "_ext"))
    submitted = []
    monkeypatch.setattr(background, "submit", lambda app, function, *args: submitted.append(function))
    app = SimpleNamespace(doctreedir=str(tmp_path / ".doctrees"))
    monkeypatch.delenv("BOOK_DATA_CACHE", raising=False)
    check_ahead._start(app, None)
    assert submitted == []
    monkeypatch.setenv("BOOK_DATA_CACHE", str(tmp_path / "cache"))
    check_ahead._start(app, None)  # a build from scratch
    assert submitted == ["migration_recomputed.claims:check_ahead"]
    (tmp_path / ".doctrees").mkdir()
    (tmp_path / ".doctrees" / "environment.pickle").write_bytes(b"")
    check_ahead._start(app, None)  # a rebuild: the last build's results are in the cache
    assert submitted == ["migration_recomputed.claims:check_ahead"]


def test_verdict_counts_add_up_to_every_claim(ledger):
    checked = claims.evaluate(ledger, chapter=1)
    counts = claims.verdict_counts(checked)
    assert counts["claims"].sum() == len(checked) == (ledger.chapter == 1).sum()
    for kind, verdicts in claims.VERDICTS_BY_KIND.items():
        assert counts.loc[counts.kind == kind, "claims"].sum() == (checked["kind"] == kind).sum()
        assert set(counts.loc[counts.kind == kind, "verdict"]) == set(verdicts)


def test_the_summary_sentence_accounts_for_every_claim(ledger):
    checked = claims.evaluate(ledger, chapter=1)
    sentence = claims.summary_sentence(checked, "the article")
    numbers = [int(n) for n in __import__("re").findall(r"\b(\d+) (?:were|against|only|cannot)", sentence)]
    total = int(__import__("re").match(r"Of (\d+) claims", sentence).group(1))
    assert total == len(checked)
    assert sum(numbers) == total, sentence  # unchecked + independent + bound + internal
    assert "confirmed" in sentence and "depends on the data revision" in sentence


def test_summary_of_a_ledger_with_a_claim_switched_to_none(ledger):
    """Marking a claim `none: <reason>` (the form DESIGN.md documents) must never break a summary."""
    edited = ledger.copy()
    edited.loc[edited.claim_id == "S000-C23", "check"] = "none: a reader disagrees"
    checked = claims.evaluate(edited, chapter=1)
    assert checked.set_index("claim_id").at["S000-C23", "verdict"] == claims.NOT_CHECKABLE
    assert claims.verdict_counts(checked)["claims"].sum() == len(checked)


# --- display -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, unit, like, expected", [
    (795_928_591_007.0, "rub", 1e12, "0.80 trillion roubles"),   # never 12 digits against "one trillion"
    (1e12, "rub", 1e12, "1 trillion roubles"),
    (21.1e9, "usd", 20e9, "21 billion US$"),
    (11.46e6, "persons", 11e6, "11.5 million people"),            # 4 % off must not look like "11"
    (46.34e6, "persons", 45.8e6, "46.3 million people"),
    (43.768, "percent_of_gdp", 47.0, "44\u00a0% of GDP"),
    (4.0, "rank", 2.0, "4th"),
    (-2.0, "percent_change", -2.0, "\u22122\u00a0%"),
])
def test_readable_carries_no_more_precision_than_the_claim(value, unit, like, expected):
    assert claims.readable(value, unit, like=like) == expected


@pytest.mark.parametrize("claimed, recomputed, unit, kind, expected", [
    (2, 4, "rank", claims.INDEPENDENT, "2 places lower in the data"),
    (3, 2, "rank", claims.INDEPENDENT, "1 place higher in the data"),
    (2.0, 0.85, "ratio", claims.INDEPENDENT, "claim is 2.4× the data"),
    (4.17e9, 3.70e9, "usd", claims.BOUND, "13\u00a0% above the bound"),
    (47.0, 43.77, "percent_of_gdp", claims.INDEPENDENT, "+7.4\u00a0%"),
])
def test_differences_are_said_the_way_the_claim_is_made(claimed, recomputed, unit, kind, expected):
    assert claims.difference_in_words(claimed, recomputed, unit, kind) == expected


def test_every_check_names_its_kind_and_arguments():
    checks = claims.registered_checks()
    assert {"migrant_stock_rank", "remittance_share_gdp", "remittances_received_upper_bound",
            "sum_of_claims"} <= set(checks)
    assert checks["sum_of_claims"].kind == claims.INTERNAL
    assert checks["per_capita_of_claim"].kind == claims.INTERNAL
    assert checks["remittances_received_upper_bound"].kind == claims.BOUND
    # chapter 1's checks live beside its tables, not in the engine
    assert checks["migrant_stock_rank"].function.__module__ == "migration_recomputed.labour_migration"


def test_every_word_of_a_claims_list_reaches_the_sites_search_on_its_own():
    """Sphinx's search indexes raw HTML by deleting its tags (sphinx.search, `<[^<]+?>`): words
    on either side of a tag with no space between became one search term ("1946data"), so a
    reader's search missed them. Every word of each claim, its terms and the claim counts must
    come out of that stripping as separate words."""
    import re

    from migration_recomputed import claims_view

    shown = claims.for_readers(claims.checked_ledger(chapter=1))
    html = claims_view.claim_list_html(shown, source_name="the article",
                                       chapter_pages={1: "../chapters/01_russian_labour_migration.html"})
    searched = set(re.findall(r"\w+", re.sub(r"<[^<]+?>", "", html).lower()))
    expected = {"kind", "check", "claims", "checked", "claimed", "chapter"}
    for _, row in shown.iterrows():
        expected |= set(re.findall(r"\w+", f"{row['claim_en']} {row['verdict']} {row['claim_id']}".lower()))
    assert expected <= searched, sorted(expected - searched)[:10]
