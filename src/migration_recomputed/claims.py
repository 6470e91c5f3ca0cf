"""Check a source document's claim against data: claimed, recomputed, difference, verdict.

The ledger (data/claims.csv) says for each claim how to check it, in its `check`
column: either `none: <reason>` or a key `name:arg:arg` naming one of the
recomputations registered below. The verdict is computed here, never stored.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import pandas as pd

from . import data, indicators

# Relative difference (in % of the recomputed value) within which a claim counts as
# confirmed, or close: the seeds round ("11 miljoen", "47 procent").
CONFIRMED_WITHIN_PCT = 2.5
CLOSE_WITHIN_PCT = 10.0

DEPENDS = "depends on the data revision"
VERDICTS = ("confirmed", "close", "contradicted", DEPENDS, "not checkable with our data")


@dataclass(frozen=True)
class Recomputed:
    value: float
    basis: str      # what was computed, in words
    vintage: str    # which data, which vintage


# A recomputation returns one value, or one per data revision where the publisher
# rewrites history (the UN's migrant stocks).
Recomputation = Callable[[list[str], pd.Series, pd.DataFrame], "Recomputed | list[Recomputed]"]
RECOMPUTATIONS: dict[str, Recomputation] = {}


def recomputation(name: str):
    def register(function: Recomputation) -> Recomputation:
        RECOMPUTATIONS[name] = function
        return function
    return register


def _vintage(resource_name: str, detail: str = "") -> str:
    item = data.resource(resource_name)
    commits = sorted({source.get("commit_date", "") for source in item.get("sources", [])} - {""})
    label = item["publisher"] + (f", {detail}" if detail else "")
    return label + (f" (data as of {', '.join(commits)})" if commits and not detail else "")


def _ref_year(claim: pd.Series) -> int:
    if pd.isna(claim["ref_year"]):
        raise ValueError(f"claim {claim['claim_id']}: check '{claim['check']}' needs a ref_year")
    return int(claim["ref_year"])


@lru_cache(maxsize=None)
def _migrant_stock_ranking(year: int, root: str) -> pd.DataFrame:
    stocks = indicators.migrant_stocks_by_revision(data.load("wdi_migrant_stock"),
                                                   data.load("undesa_destination_totals"))
    return indicators.migrant_stock_ranking(stocks, year)


def _migrant_stock_rows(code: str, year: int) -> list[pd.Series]:
    """The country's row in the ranking of `year`, once per UN revision we hold."""
    ranking = _migrant_stock_ranking(year, str(data.book_root()))
    rows = ranking[ranking.country_code == code]
    if rows.empty:
        raise ValueError(f"no migrant stock for {code} in {year} in any revision")
    order = list(indicators.REVISION_LABELS)
    return sorted((row for _, row in rows.iterrows()), key=lambda row: order.index(row["vintage"]))


def _years_used(row: pd.Series) -> str:
    if row["from_year"] == row["to_year"]:
        return str(int(row["from_year"]))
    return f"interpolated between {int(row['from_year'])} and {int(row['to_year'])}"


@recomputation("migrant_stock")
def _migrant_stock(args, claim, ledger) -> list[Recomputed]:
    return [Recomputed(float(row["international_migrant_stock"]),
                       f"UN migrant stock of {row['country_name']}, {_years_used(row)}", row["revision"])
            for row in _migrant_stock_rows(args[0], _ref_year(claim))]


@recomputation("migrant_stock_rank")
def _migrant_stock_rank(args, claim, ledger) -> list[Recomputed]:
    return [Recomputed(float(row["rank"]),
                       f"rank of {row['country_name']} among countries by UN migrant stock, {_years_used(row)}",
                       row["revision"])
            for row in _migrant_stock_rows(args[0], _ref_year(claim))]


@recomputation("migrant_stock_growth_since")
def _migrant_stock_growth(args, claim, ledger) -> list[Recomputed]:
    code, base_year = args[0], int(args[1])
    then = {row["vintage"]: row for row in _migrant_stock_rows(code, base_year)}
    return [Recomputed(float(now["international_migrant_stock"] / then[now["vintage"]]["international_migrant_stock"]),
                       f"UN migrant stock of {now['country_name']}, {_ref_year(claim)} ({_years_used(now)}) "
                       f"divided by {base_year}", now["revision"])
            for now in _migrant_stock_rows(code, _ref_year(claim)) if now["vintage"] in then]


def _claim_value(ledger: pd.DataFrame, claim_id: str) -> float:
    match = ledger.loc[ledger.claim_id == claim_id, "value"]
    if match.empty:
        raise ValueError(f"the check refers to claim {claim_id}, which is not in data/claims.csv")
    return float(match.iloc[0])


@recomputation("sum_of_claims")
def _sum_of_claims(args, claim, ledger) -> Recomputed:
    parts = args[0].split("+")
    return Recomputed(sum(_claim_value(ledger, part) for part in parts),
                      "sum of the document's own figures " + " + ".join(parts),
                      "internal consistency of the source document")


@recomputation("per_capita_of_claim")
def _per_capita_of_claim(args, claim, ledger) -> Recomputed:
    code, claim_id = args
    year = _ref_year(claim)
    people = indicators.country_year_value(data.load("wdi_population"), "population", code, year)
    return Recomputed(_claim_value(ledger, claim_id) / people,
                      f"the document's {claim_id} divided by the population of {code} in {year} "
                      f"({people / 1e6:,.1f} million)",
                      _vintage("wdi_population"))


@recomputation("resource_column_sum")
def _resource_column_sum(args, claim, ledger) -> Recomputed:
    name, column = args
    table = data.load(name)
    return Recomputed(float(table[column].sum()), f"sum of {column} over the {len(table)} rows of {name}",
                      data.resource(name)["class"])


@recomputation("usd_claim_in_local_currency")
def _usd_in_local_currency(args, claim, ledger) -> Recomputed:
    code, claim_id = args
    year = _ref_year(claim)
    rate = indicators.country_year_value(data.load("wdi_exchange_rate"), "lcu_per_usd", code, year)
    return Recomputed(_claim_value(ledger, claim_id) * rate,
                      f"the document's {claim_id} in US$ times the {year} average official rate "
                      f"({rate:.2f} per US$)",
                      _vintage("wdi_exchange_rate"))


@lru_cache(maxsize=None)
def _remittance_ranking(year: int, root: str) -> pd.DataFrame:
    shares = indicators.remittances_share_of_gdp(data.load("wdi_remittances"))
    return indicators.rank_within(shares[shares.year == year], "remittances_pct_gdp", "year")


def _remittance_row(code: str, year: int) -> pd.Series:
    ranked = _remittance_ranking(year, str(data.book_root()))
    row = ranked[ranked.country_code == code]
    if row.empty:
        raise ValueError(f"no remittances or GDP for {code} in {year}")
    return row.iloc[0]


@recomputation("remittance_share_gdp")
def _remittance_share(args, claim, ledger) -> Recomputed:
    row = _remittance_row(args[0], _ref_year(claim))
    return Recomputed(float(row["remittances_pct_gdp"]),
                      f"personal remittances received / GDP, {row['country_name']}, {int(row['year'])}",
                      _vintage("wdi_remittances"))


@recomputation("remittance_rank")
def _remittance_rank(args, claim, ledger) -> Recomputed:
    row = _remittance_row(args[0], _ref_year(claim))
    return Recomputed(float(row["rank"]),
                      f"rank of {row['country_name']} among all economies by remittances as % of GDP, "
                      f"{int(row['year'])}",
                      _vintage("wdi_remittances"))


def verdict(claimed: float, recomputed: float, unit: str) -> str:
    """confirmed / close / contradicted. Ranks must match exactly; other values are
    compared by their relative difference from the recomputed value."""
    if unit == "rank":
        return "confirmed" if round(claimed) == round(recomputed) else "contradicted"
    if recomputed == 0:  # no relative difference from zero
        return "confirmed" if claimed == 0 else "contradicted"
    gap = abs(indicators.relative_difference_pct(claimed, recomputed))
    if gap <= CONFIRMED_WITHIN_PCT:
        return "confirmed"
    if gap <= CLOSE_WITHIN_PCT:
        return "close"
    return "contradicted"


def check_claim(claim: pd.Series, ledger: pd.DataFrame) -> dict:
    """Claimed value, recomputed value, difference, verdict and data vintage for one claim.

    Where the data come in several revisions, each is judged; if they disagree the
    verdict is "depends on the data revision", the value shown is the latest revision's
    and `basis` lists every revision's value and verdict.
    """
    result = {"claim_id": claim["claim_id"], "claimed": float(claim["value"]), "unit": claim["unit"],
              "recomputed": float("nan"), "difference": float("nan"), "difference_pct": float("nan"),
              "verdict": VERDICTS[-1], "basis": "", "vintage": ""}
    check = str(claim["check"])
    if check.startswith("none"):
        result["basis"] = check.partition(":")[2].strip()
        return result
    name, *args = check.split(":")
    if name not in RECOMPUTATIONS:
        raise ValueError(f"data/claims.csv, claim {claim['claim_id']}, column 'check': unknown check "
                         f"'{name}'; known checks: {', '.join(sorted(RECOMPUTATIONS))}")
    outcome = RECOMPUTATIONS[name](args, claim, ledger)
    revisions = outcome if isinstance(outcome, list) else [outcome]
    verdicts = [verdict(result["claimed"], item.value, claim["unit"]) for item in revisions]
    shown = revisions[-1]
    result.update(recomputed=shown.value, vintage=shown.vintage,
                  difference=result["claimed"] - shown.value,
                  difference_pct=(float(indicators.relative_difference_pct(result["claimed"], shown.value))
                                  if shown.value != 0 else float("nan")),
                  verdict=verdicts[0] if len(set(verdicts)) == 1 else DEPENDS)
    if len(revisions) == 1:
        result["basis"] = shown.basis
    else:
        result["basis"] = shown.basis + ". By revision: " + "; ".join(
            f"{item.vintage}: {item.value:,.4g} ({judged})" for item, judged in zip(revisions, verdicts))
        result["vintage"] = "latest of: " + ", ".join(item.vintage for item in revisions)
    return result


def readable(value: float, unit: str) -> str:
    """A claimed or recomputed value as a reader would write it, in its unit ('' if missing)."""
    if pd.isna(value):
        return ""
    if unit in ("rank", "count", "years"):
        return f"{value:.0f}"
    if unit == "ratio":
        return f"{value:.3f}"
    if abs(value) >= 1e6:
        return f"{value:,.0f}"
    return f"{value:.1f}"


def for_readers(checked: pd.DataFrame) -> pd.DataFrame:
    """The result of evaluate() with values written out for a table or a CSV download."""
    return checked.assign(
        claimed=[readable(v, u) for v, u in zip(checked["claimed"], checked["unit"])],
        recomputed=[readable(v, u) for v, u in zip(checked["recomputed"], checked["unit"])],
        difference_pct=checked["difference_pct"].map(lambda v: "" if pd.isna(v) else f"{v:+.1f}"),
    )[["claim_id", "seed_lines", "quote_nl", "claim_en", "unit", "claimed", "recomputed", "difference_pct",
       "verdict", "basis", "vintage"]]


def evaluate(ledger: pd.DataFrame, chapter: int | None = None) -> pd.DataFrame:
    """Check every claim of the ledger (or of one chapter); one row per claim."""
    selected = ledger if chapter is None else ledger[ledger.chapter == chapter]
    checked = pd.DataFrame([check_claim(claim, ledger) for _, claim in selected.iterrows()])
    return selected[["claim_id", "seed_lines", "quote_nl", "claim_en"]].merge(checked, on="claim_id")
