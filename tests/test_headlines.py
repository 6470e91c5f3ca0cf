"""The chapters' headline findings (migration_recomputed.headlines) against values recomputed here
from the CSV files with nothing but pandas; the front page's other computed parts (claim counts,
data licences, citation); and, in a build, that the front page shows each chapter's own sentence."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pycountry
import pytest
import yaml

import gates
from migration_recomputed import claims, data, headlines
from test_notebooks import csv

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((REPO / "book" / "chapters").glob("0[1-4]_*.md"))


def claimed(claim_id: str) -> float:
    ledger = csv("claims.csv").set_index("claim_id")
    return float(ledger.at[claim_id, "value"])


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


# --- chapter 1: Russia's rank by migrant stock -----------------------------------------------------

def russia_rank(vintage: str, year: int) -> int:
    """Russia's place among economies (ISO 3166 codes, plus Kosovo and the Channel Islands) by
    migrant stock, linear between the two published years around `year`."""
    stock = csv("external/wdi_international_migrant_stock.csv")
    economy = stock.country_code.map(lambda c: c in ("XKX", "CHI") or pycountry.countries.get(alpha_3=c) is not None)
    stock = stock[(stock.vintage == vintage) & economy]
    wide = stock.pivot_table(index="country_code", columns="year", values="international_migrant_stock")
    before = max(y for y in wide.columns if y <= year)
    after = min(y for y in wide.columns if y >= year)
    if before == after:
        at = wide[before]
    else:
        at = wide[before] + (wide[after] - wide[before]) * (year - before) / (after - before)
    at = at.dropna()
    return int((at > at["RUS"]).sum()) + 1


def test_chapter1_headline_ranks_russia_as_the_data_do():
    headline = headlines.russia_migrant_stock_rank()
    stock = csv("external/wdi_international_migrant_stock.csv")
    latest_year = int(stock.loc[stock.vintage == "wdi_2026-07-01", "year"].max())
    expected = {"claimed_rank": int(claimed("S000-C01")), "rank_2013_wdi2018": russia_rank("wdi_2018-08-01", 2013),
                "rank_2013_today": russia_rank("wdi_2026-07-01", 2013), "latest_year": latest_year,
                "rank_latest": russia_rank("wdi_2026-07-01", latest_year)}
    assert dict(headline.numbers) == expected
    # the official series disagree with the article's 2nd place; a rank is written as a place
    assert (expected["rank_2013_wdi2018"], expected["rank_2013_today"]) == (3, 4)
    assert headline.finding.startswith("Not in the UN's official series we hold")
    for key in ("rank_2013_wdi2018", "rank_2013_today", "rank_latest", "claimed_rank"):
        assert ordinal(expected[key]) in headline.finding, key
    assert "%" not in headline.finding
    assert "2018-08-01" in headline.source and "2026-07-01" in headline.source


# --- chapter 2: asylum claims and the exodus -------------------------------------------------------

def test_chapter2_headline_sizes_the_exodus_as_the_data_do():
    headline = headlines.russian_exodus()
    applied = csv("external/unhcr_asylum_applications_by_russians_2000_2025.csv").groupby("year")["applied"].sum()
    peak_year = int(applied.loc[2022:].idxmax())
    concern = csv("external/unhcr_refugees_asylum_seekers_from_russia_1990_2025.csv").query("coa_iso != 'RUS'")
    abroad = (concern["refugees"] + concern["asylum_seekers"]).groupby(concern["year"]).sum()
    stock_peak = int(abroad.loc[2022:].idxmax())
    increase = float(abroad[stock_peak] - abroad[2021])
    lower = claimed("S001-C08")
    numbers = dict(headline.numbers)
    assert numbers == pytest.approx({"claims_before": int(applied[2021]), "peak_year": peak_year,
                                     "claims_peak": int(applied[peak_year]), "stock_peak_year": stock_peak,
                                     "protection_increase": increase, "lowest_estimate": lower,
                                     "share_of_lowest_estimate_pct": 100 * increase / lower}, rel=1e-12)
    for text in (f"{applied[2021]:,}", f"{applied[peak_year]:,} in {peak_year}", f"{increase:,.0f}",
                 f"{100 * increase / lower:.0f}\u00a0%", f"{applied[peak_year] / applied[2021]:.1f} times",
                 f"{lower:,.0f} leavers", "small part"):
        assert text in headline.finding, text


# --- chapter 3: migration background and diversity -------------------------------------------------

def test_chapter3_headline_measures_the_migration_society_as_the_data_do():
    headline = headlines.dutch_migration_society()
    background = csv("external/cbs_nl_population_by_migration_background_1972_2025.csv")
    old = background[background.classification.str.startswith("migratieachtergrond")]
    wide = old.pivot_table(index="year", columns="variable", values="value")
    share = 100 * wide["migration_background_total"] / wide["population_1jan"]
    national = csv("external/cbs_kwb_national_origin_groups_2017_2024.csv").pivot_table(
        index="year", columns="group", values="count").dropna(subset=["western", "turkish"])
    national["dutch"] = national["total"] - national["western"] - national["non_western_total"]
    groups = ["dutch", "western", "turkish", "moroccan", "surinamese", "antillean_aruban", "other_non_western"]
    shares = national[groups].div(national[groups].sum(axis=1), axis=0)
    index = 1 - (shares ** 2).sum(axis=1)
    first, last = int(index.index.min()), int(index.index.max())
    assert dict(headline.numbers) == pytest.approx({
        "share_from_pct": share[1972], "share_to_pct": share[2020], "claimed_share_to_pct": claimed("S003-C17"),
        "index_first_year": first, "index_first": index[first], "index_last_year": last,
        "index_last": index[last]}, rel=1e-9)
    assert (first, last) == (2017, 2022)
    for text in (f"{share[2020]:.1f}\u00a0%", f"{share[1972]:.1f}\u00a0% in 1972", f"{index[first]:.3f} in {first}",
                 f"{index[last]:.3f} in {last}"):
        assert text in headline.finding, text


# --- chapter 4: remittances against aid ------------------------------------------------------------

def test_chapter4_headline_sets_remittances_against_aid_as_the_data_do():
    headline = headlines.remittances_against_aid()
    wdi = csv("external/wdi_remittances_oda_fdi_gdp.csv")
    flows = wdi[wdi.country_code == "LMY"].set_index("year")[
        ["remittances_received_usd", "fdi_net_inflows_usd", "net_oda_received_usd"]].dropna()
    above = flows["remittances_received_usd"] > flows["net_oda_received_usd"]
    overtook = int(above.index[above.index > above[~above].index.max()][0])
    latest = int(flows.index.max())
    row = flows.loc[latest]
    rank = int((row > row["remittances_received_usd"]).sum()) + 1
    assert dict(headline.numbers) == pytest.approx({
        "overtook_aid_year": overtook, "latest_year": latest, "remittance_rank": rank,
        "remittances_usd": row["remittances_received_usd"], "fdi_usd": row["fdi_net_inflows_usd"],
        "aid_usd": row["net_oda_received_usd"],
        "remittances_per_aid": row["remittances_received_usd"] / row["net_oda_received_usd"]}, rel=1e-12)
    assert rank == 1
    for text in (f"since {overtook}", f"in {latest} they were the largest",
                 f"{row['remittances_received_usd'] / 1e9:,.0f} billion US$",
                 f"{row['net_oda_received_usd'] / 1e9:,.0f} billion of aid"):
        assert text in headline.finding, text


def test_every_headline_is_one_sentence_with_a_question_and_a_source():
    found = headlines.all_headlines()
    assert [h.chapter for h in found] == [1, 2, 3, 4]
    for headline in found:
        assert headline.question.endswith("?") and headline.finding.endswith(".")
        assert headline.finding.count(". ") == 0, headline.finding
        assert "data as of" in headline.source
        assert all(pd.notna(value) for value in headline.numbers.values())


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_each_chapter_glues_its_headline(chapter):
    """The chapter glues the function's sentence, so the front page and the chapter cannot differ."""
    source = chapter.read_text(encoding="utf-8")
    prefix = f"ch{chapter.name[:2]}"
    assert re.search(rf'headlines\.\w+\(\)\.glue\("{prefix}_headline"\)', source), chapter.name
    assert f"{{glue:text}}`{prefix}_headline_finding`" in source
    function = re.search(rf'headlines\.(\w+)\(\)\.glue\("{prefix}_headline"\)', source)[1]
    assert getattr(headlines, function)().chapter == int(chapter.name[:2])


# --- the front page's other parts ---------------------------------------------------------------

def test_claim_counts_keep_independent_data_apart_from_the_sources_own_figures():
    checked = claims.evaluate(data.load("claims"))
    counts = headlines.claim_counts(checked).set_index("kind")
    assert list(counts.index) == [claims.INDEPENDENT, claims.BOUND, claims.INTERNAL, claims.UNCHECKED]
    assert counts["claims"].sum() == len(csv("claims.csv"))
    assert counts.at[claims.UNCHECKED, "claims"] == csv("claims.csv")["check"].str.startswith("none").sum()
    # the words add up to each kind's total, and "confirmed" belongs to independent data only
    for kind, row in counts.iterrows():
        assert sum(int(n) for n in re.findall(r"(\d+) ", row["verdicts"])) == row["claims"], kind
    assert "confirmed" in counts.at[claims.INDEPENDENT, "verdicts"]
    assert "confirmed" not in counts.at[claims.INTERNAL, "verdicts"]


def test_data_licences_are_the_distinct_licences_of_the_package():
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    names = {licence["name"] for item in package["resources"] for licence in item["licenses"]}
    licences = headlines.data_licences(package)
    assert set(licences["name"]) == names and len(licences) == len(names)
    assert licences["files"].sum() == sum(len(item["licenses"]) for item in package["resources"])
    cc_by = licences.set_index("name").loc["CC-BY-4.0"]
    assert cc_by["title"] == "Creative Commons Attribution 4.0" and "World Bank" in cc_by["publishers"]


def test_a_resource_without_a_licence_is_named():
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"][3]["licenses"] = []
    with pytest.raises(ValueError, match=package["resources"][3]["name"]):
        headlines.data_licences(package)


def test_citation_is_made_from_citation_cff():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    text = headlines.citation(cff)
    assert text.startswith(f"{cff['authors'][0]['name']} ({str(cff['date-released'])[:4]}). *{cff['title']}*")
    assert f"version {cff['version']}" in text
    person = dict(cff, authors=[{"given-names": "Ada", "family-names": "Lovelace"}])
    assert headlines.citation(person).startswith("Ada Lovelace (")
    with pytest.raises(ValueError, match="CITATION.cff has no 'version'"):
        headlines.citation({key: value for key, value in cff.items() if key != "version"})


# --- the built site --------------------------------------------------------------------------------

# Sphinx typesets quotes ("smartquotes"); spaces and line breaks differ between source and page.
TYPESET = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def same_spacing(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(TYPESET))


def page_text(path: Path) -> str:
    from bs4 import BeautifulSoup

    article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article")
    return same_spacing(article.get_text(" "))


@pytest.mark.slow
def test_front_page_shows_each_chapters_own_sentence(built_site):
    front = page_text(built_site / "book" / "intro.html")
    for headline in headlines.all_headlines():
        chapter = next(p for p in CHAPTERS if p.name.startswith(f"{headline.chapter:02d}_"))
        on_chapter = page_text(built_site / "book" / "chapters" / f"{chapter.stem}.html")
        for text in (headline.question, headline.finding):
            assert same_spacing(text) in front, f"front page lacks chapter {headline.chapter}'s: {text}"
            assert same_spacing(text) in on_chapter, f"{chapter.stem} page lacks: {text}"
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert same_spacing(headlines.citation(cff).replace("*", "")) in front
    for title in headlines.data_licences(data.datapackage())["title"]:
        assert same_spacing(title) in front, title
    checked = claims.evaluate(data.load("claims"))
    assert f"make {len(checked)} quantitative claims" in front
    assert 'href="../migration-recomputed.pdf"' in (built_site / "book" / "intro.html").read_text(encoding="utf-8")
    gates.report("front page", f"{len(headlines.all_headlines())} chapter headlines shown word for word on the "
                               "front page and on their chapters; citation from CITATION.cff, data licences from "
                               "data/datapackage.json")


def test_in_the_build_a_headline_is_computed_once_and_read_back_the_same(tmp_path, monkeypatch):
    """headlines.kept_in_build: the chapter computes and keeps its headline in $BOOK_DATA_CACHE; the
    front page reads the same headline back, without computing it; other data, another key."""
    monkeypatch.setenv("BOOK_DATA_CACHE", str(tmp_path))
    computed = headlines.dutch_migration_society()
    kept = list(tmp_path.glob("headline-dutch_migration_society-*.json"))
    assert len(kept) == 1 and data.inputs_digest()[:32] in kept[0].name
    monkeypatch.setattr(headlines.diversity, "national_index", lambda *args: pytest.fail("computed again"))
    read = headlines.dutch_migration_society()
    assert read == computed and dict(read.numbers) == dict(computed.numbers)
    assert [type(value) for value in read.numbers.values()] == [type(value) for value in computed.numbers.values()]
    monkeypatch.setattr(headlines.data, "inputs_digest", lambda: "0" * 64)  # as if a data file changed
    with pytest.raises(pytest.fail.Exception, match="computed again"):
        headlines.dutch_migration_society()


def test_the_inputs_digest_follows_a_changed_file(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    monkeypatch.setattr(data, "book_root", lambda: tmp_path)
    (tmp_path / "data" / "flows.csv").write_text("year,count\n2022,1\n", encoding="utf-8")
    first = data.inputs_digest()
    assert data.inputs_digest() == first
    (tmp_path / "data" / "flows.csv").write_text("year,count\n2022,20\n", encoding="utf-8")
    assert data.inputs_digest() != first
