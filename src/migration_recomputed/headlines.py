"""Each chapter's headline finding, computed once so that the chapter and the front page say the same.

myst-nb cannot glue a value from one page into another, so the front page cannot borrow a
chapter's glued sentence. Instead each chapter's central finding is one function here, computed
from the data with the chapter's own functions: the chapter glues it near its top and the front
page (book/intro.md) glues the same four. A change to the data moves both, or neither.

Every headline is independent of the chapter's parameters (focus country, year, host country,
municipality): it is what the chapter finds with its defaults, and the same whatever they are set
to, so a chapter glues it in every run. The claims ledger gives only what a source document
claimed (never a recomputed value, never a verdict: a claim may be switched to `none:` at any time).

The front page's other computed parts live here too: the ledger's counts per kind of check and
verdict, the distinct data licences, and the citation made from CITATION.cff.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from . import claims, data, development, diversity, emigration, formatting, indicators
from .labour_migration import DERIVED_REVISIONS

__all__ = ["Headline", "russia_migrant_stock_rank", "russian_exodus", "dutch_migration_society",
           "remittances_against_aid", "all_headlines", "claim_counts", "data_licences", "citation"]


@dataclass(frozen=True)
class Headline:
    chapter: int
    question: str                      # what the chapter asks, in English
    finding: str                       # one sentence, its numbers written in
    numbers: Mapping[str, float | int] = field(default_factory=dict)  # the numbers the sentence states
    source: str = ""                   # publishers and vintages of the data behind it

    def glue(self, prefix: str) -> None:
        """Glue question, finding and source as `<prefix>_question`, `_finding`, `_source`."""
        from .prose import glue_values

        glue_values(**{f"{prefix}_question": self.question, f"{prefix}_finding": self.finding,
                       f"{prefix}_source": self.source})


def _headline(chapter: int, question: str, finding: str, numbers: dict, resources: list[str]) -> Headline:
    return Headline(chapter, question, finding, MappingProxyType(dict(numbers)),
                    "; ".join(dict.fromkeys(claims.vintage(name) for name in resources)))


def _claim(claim_id: str) -> pd.Series:
    """A source document's claim, as data/claims.csv states it (its value and year, never a verdict)."""
    ledger = data.load("claims")
    rows = ledger[ledger.claim_id == claim_id]
    if rows.empty:
        raise KeyError(f"the chapters' headlines need claim {claim_id}, which is not in data/claims.csv")
    return rows.iloc[0]


def _claimed(claim_id: str) -> float:
    return float(_claim(claim_id)["value"])


def _claim_year(claim_id: str) -> int:
    return claims.ref_year(_claim(claim_id))


def _count(value: float) -> str:
    return formatting.number(value, 0)


def kept_in_build(function: Callable[[], Headline]) -> Callable[[], Headline]:
    """`function`, whose headline the book's build computes once: its chapter computes it and keeps
    it in $BOOK_DATA_CACHE (as JSON, keyed on data.inputs_digest, like the checked claims), and the
    front page, executed after the chapters, reads the four instead of computing them again.
    Anywhere else (papermill, the tests) it is computed on every call."""

    @functools.wraps(function)
    def headline() -> Headline:
        path = data.kept_result(f"headline-{function.__name__}.json")
        if path is None:
            return function()
        if path.is_file():
            kept = json.loads(path.read_text(encoding="utf-8"))
            return Headline(kept["chapter"], kept["question"], kept["finding"],
                            MappingProxyType(kept["numbers"]), kept["source"])
        from .prose import plain

        found = function()
        data.keep_text(json.dumps({"chapter": found.chapter, "question": found.question, "finding": found.finding,
                                   "numbers": {name: plain(value) for name, value in found.numbers.items()},
                                   "source": found.source}, ensure_ascii=False), path)
        return found

    return headline


# --- chapter 1 ---------------------------------------------------------------------------------

@kept_in_build
def russia_migrant_stock_rank() -> Headline:
    """Chapter 1: Russia's rank among all countries by international migrant stock in 2013 in
    each official UN series we hold, against the article's rank, and its rank in the latest year of
    today's series. The 2019 edition (the book's own sum of origins) is left out, as in the
    chapter's verdict. Does not depend on the chapter's parameters (focus_country, year)."""
    stocks = indicators.migrant_stocks_by_revision(data.load("wdi_migrant_stock"),
                                                   data.load("undesa_destination_totals"))
    official = [vintage for vintage in indicators.REVISION_LABELS if vintage not in DERIVED_REVISIONS]
    year = _claim_year("S000-C01")  # the article's 2013, interpolated between the UN's 2010 and 2015
    in_year = indicators.migrant_stock_ranking(stocks, year)
    russia = in_year[in_year.country_code == "RUS"].set_index("vintage")
    ranks = {vintage: int(russia.at[vintage, "rank"]) for vintage in official}
    earlier, today = official[0], official[-1]
    today_series = stocks[(stocks.vintage == today)]
    latest_year = int(today_series["year"].max())
    latest = indicators.migrant_stock_ranking(today_series, latest_year)
    latest_rank = int(latest.loc[latest.country_code == "RUS", "rank"].iloc[0])
    claimed = int(_claimed("S000-C01"))
    agree = sum(rank == claimed for rank in ranks.values())
    opening = ("Yes: " if agree == len(ranks) else "Only in one of the UN's official series we hold: " if agree
               else "Not in the UN's official series we hold: ")
    finding = (f"{opening}for {year} they rank Russia {claims.ordinal(ranks[earlier])} "
               f"(as the World Bank published them in 2018) and {claims.ordinal(ranks[today])} (today's, "
               f"the UN's 2024 revision), where the article says {claims.ordinal(claimed)}; by {latest_year} "
               f"today's series ranks it {claims.ordinal(latest_rank)}.")
    return _headline(
        1, "Is Russia the world's second-largest country of immigration, as a Dutch article said in 2015?",
        finding, {"claimed_rank": claimed, "rank_2013_wdi2018": ranks[earlier], "rank_2013_today": ranks[today],
                  "latest_year": latest_year, "rank_latest": latest_rank},
        ["wdi_migrant_stock"])


# --- chapter 2 ---------------------------------------------------------------------------------

INVASION = 2022


@kept_in_build
def russian_exodus() -> Headline:
    """Chapter 2: asylum claims by Russians worldwide from the year before the invasion to their
    peak, and how much of the article's lowest estimate of leavers (claim S001-C08) the rise in
    refugees and asylum-seekers from Russia abroad covers. Does not depend on the chapter's
    parameters (host_country, from_year)."""
    world = emigration.world_totals(
        emigration.applications_by_host(data.load("unhcr_asylum_applications_russians"))).set_index("year")
    claims_before = int(world.at[INVASION - 1, "all_applications"])
    peak_year = int(world.loc[INVASION:, "all_applications"].idxmax())
    claims_peak = int(world.at[peak_year, "all_applications"])
    sheltered = emigration.protection_abroad(data.load("unhcr_population_of_concern_russians"))
    abroad = sheltered[sheltered.code != emigration.EU27_CODE].groupby("year")["refugees_and_asylum_seekers"].sum()
    stock_peak_year = int(abroad.loc[INVASION:].idxmax())
    increase = float(abroad[stock_peak_year] - abroad[INVASION - 1])
    lower = _claimed("S001-C08")
    share = 100 * increase / lower
    reach = ("registrations see a small part of the exodus" if increase < lower
             else "registrations alone reach the estimate")
    finding = (f"Asylum claims by Russians worldwide rose from {_count(claims_before)} in {INVASION - 1} to "
               f"{_count(claims_peak)} in {peak_year}, {claims_peak / claims_before:.1f} times the pre-war year, "
               f"but refugees and asylum-seekers from Russia abroad grew by {_count(increase)} up to the end "
               f"of {stock_peak_year}, {share:.0f}\u00a0% of the article's lowest estimate of "
               f"{_count(lower)} leavers: {reach}.")
    return _headline(
        2, "How many Russians left after the invasion of Ukraine in 2022, and where do the registrations see them?",
        finding, {"claims_before": claims_before, "peak_year": peak_year, "claims_peak": claims_peak,
                  "stock_peak_year": stock_peak_year, "protection_increase": increase, "lowest_estimate": lower,
                  "share_of_lowest_estimate_pct": share},
        ["unhcr_asylum_applications_russians", "unhcr_population_of_concern_russians"])


# --- chapter 3 ---------------------------------------------------------------------------------

@kept_in_build
def dutch_migration_society() -> Headline:
    """Chapter 3: the share of the Dutch population with a migration background (CBS, the old
    classification) in the report's two years, against the report's figure, and the national
    diversity index (seven KWB groups) from its first to its last year. Does not depend on the
    chapter's parameters (municipality, year)."""
    background = diversity.migration_background(
        data.load("cbs_nl_population_by_migration_background")).set_index("year")
    year_from, year_to = _claim_year("S003-C15"), _claim_year("S003-C17")  # the report's two years
    share_from, share_to = (float(background.at[year, "share_pct"]) for year in (year_from, year_to))
    index = diversity.national_index(data.load("cbs_kwb_national_origin_groups")).set_index("year")["index"]
    first, last = int(index.index.min()), int(index.index.max())
    claimed = _claimed("S003-C17")
    finding = (f"At the start of {year_to}, {share_to:.1f}\u00a0% of the population had a migration background "
               f"(the report: {claimed:.1f}\u00a0%), against {share_from:.1f}\u00a0% in {year_from}, and the "
               f"chance that two inhabitants drawn at random differ in origin rose from {index[first]:.3f} in {first} "
               f"to {index[last]:.3f} in {last}.")
    return _headline(
        3, "Has the Netherlands become a migration society, with more people of more origins?",
        finding, {"share_from_pct": share_from, "share_to_pct": share_to, "claimed_share_to_pct": claimed,
                  "index_first_year": first, "index_first": float(index[first]),
                  "index_last_year": last, "index_last": float(index[last])},
        ["cbs_nl_population_by_migration_background", "cbs_kwb_national_origin_groups"])


# --- chapter 4 ---------------------------------------------------------------------------------

FLOW_RANK_WORDS = {1: "the largest", 2: "the second-largest", 3: "the smallest"}


@kept_in_build
def remittances_against_aid() -> Headline:
    """Chapter 4: remittances, aid and foreign investment received by low- and middle-income
    countries (World Bank aggregate LMY): the year from which remittances exceed aid for good, and
    the three flows in the latest year with all three. Does not depend on the chapter's parameters
    (focus_country, reference_year)."""
    flows = development.external_flows(data.load("wdi_remittances"), "LMY")
    overtook = development.overtook_since(flows, "remittances_received_usd", "net_oda_received_usd")
    latest = int(flows.index.max())
    rank = int(development.flow_ranks(flows).at[latest, "remittances_received_usd"])
    remittances, fdi, aid = (float(flows.at[latest, column]) for column in
                             ("remittances_received_usd", "fdi_net_inflows_usd", "net_oda_received_usd"))
    since = (f"have exceeded aid every year since {overtook}" if overtook is not None
             else "do not exceed aid in the latest year")
    finding = (f"Remittances to low- and middle-income countries {since}, and in {latest} they were "
               f"{FLOW_RANK_WORDS[rank]} of the three foreign flows: {remittances / 1e9:,.0f} billion US$, against "
               f"{fdi / 1e9:,.0f} billion of foreign direct investment and {aid / 1e9:,.0f} billion of aid "
               f"({remittances / aid:.1f} times the aid).")
    return _headline(
        4, "Do remittances matter more to developing countries than aid, as a Dutch policy note argued in 2008?",
        finding, {"overtook_aid_year": overtook if overtook is not None else 0, "latest_year": latest,
                  "remittance_rank": rank, "remittances_usd": remittances, "fdi_usd": fdi, "aid_usd": aid,
                  "remittances_per_aid": remittances / aid},
        ["wdi_remittances"])


def all_headlines() -> list[Headline]:
    """The four chapters' headlines, in chapter order."""
    return [russia_migrant_stock_rank(), russian_exodus(), dutch_migration_society(), remittances_against_aid()]


# --- the front page's other computed parts --------------------------------------------------------

# A verdict as it reads after its kind of check is named ("against the source's own figures: 21 consistent").
SHORT_VERDICTS = {claims.WITHIN_BOUND: "within the bound", claims.CONSISTENT: "consistent",
                  claims.ROUGHLY_CONSISTENT: "roughly consistent", claims.INCONSISTENT: "inconsistent"}


def _verdict_words(kind: str, verdict: str, count: int) -> str:
    if verdict == claims.DEPENDS:
        return f"{count} {'depends' if count == 1 else 'depend'} on the data revision"
    if kind == claims.BOUND and verdict == claims.CONTRADICTED:
        return f"{count} above it (contradicted)"
    return f"{count} {SHORT_VERDICTS.get(verdict, verdict)}"


def claim_counts(checked: pd.DataFrame) -> pd.DataFrame:
    """Claims per kind of check (the ledger's four, each kept apart), with its total and its
    verdicts in words ('45 confirmed, 9 close and ...'); zero counts are left out of the words."""
    counts = claims.verdict_counts(checked)
    rows = []
    for kind, group in counts.groupby("kind", sort=False):
        present = group[group.claims > 0]
        parts = [_verdict_words(kind, row.verdict, row.claims) for row in present.itertuples()]
        words = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1] if parts else "none"
        rows.append({"kind": kind, "check": claims.KIND_LABELS[kind], "claims": int(group["claims"].sum()),
                     "verdicts": words})
    return pd.DataFrame(rows)


def _short_publisher(publisher: str) -> str:
    return publisher.split(" (")[0].split(", from ")[0].split("; ")[0]


def data_licences(package: dict) -> pd.DataFrame:
    """The distinct licences of data/datapackage.json's resources: one row per licence name, most
    files first, with its shortest title (up to the first bracket or semicolon), its link if any,
    the publishers whose files carry it and how many files do. A resource without a licence is
    refused, named."""
    rows = []
    for item in package["resources"]:
        if not item.get("licenses"):
            raise ValueError(f"data/datapackage.json, resource '{item['name']}': no 'licenses'")
        for licence in item["licenses"]:
            rows.append({"name": licence["name"], "title": licence.get("title", licence["name"]),
                         "path": licence.get("path", ""), "publisher": _short_publisher(item["publisher"])})
    table = pd.DataFrame(rows)
    table["short"] = table["title"].str.split(r" \(|; ", regex=True).str[0]
    return (table.groupby("name", sort=False)
            .agg(title=("short", lambda titles: min(titles, key=len)), path=("path", "max"),
                 publishers=("publisher", lambda names: ", ".join(sorted(set(names)))),
                 files=("publisher", "size"))
            .sort_values("files", ascending=False, kind="stable").reset_index())


def _author(author: Mapping) -> str:
    if "name" in author:
        return str(author["name"])
    return " ".join(str(author[key]) for key in ("given-names", "name-particle", "family-names") if author.get(key))


def citation(cff: Mapping) -> str:
    """A reference in Markdown from a parsed CITATION.cff: authors (year). *Title* (version, date)."""
    for key in ("authors", "title", "version", "date-released"):
        if key not in cff:
            raise ValueError(f"CITATION.cff has no '{key}'")
    released = str(cff["date-released"])
    where = f" {cff['url']}" if cff.get("url") else ""
    doi = f" https://doi.org/{cff['doi']}" if cff.get("doi") else ""
    return (f"{'; '.join(_author(a) for a in cff['authors'])} ({released[:4]}). *{cff['title']}* "
            f"(version {cff['version']}, released {released}).{doi or where}")

