"""The claims engine: check a source document's claim, say what kind of check it was, judge it.

The ledger (data/claims.csv) says for each claim how to check it, in its `check` column:
either `none: <reason>` or a key `name:arg:arg` naming a registered check. Checks live beside
the chapter that owns them (e.g. `labour_migration` for chapter 1) and register themselves with
`@check(...)`; this module finds them by importing the package's modules, so a chapter adds its
checks without touching any other. The verdict is computed here, never stored.

Every check has a *kind*, because a check against another publisher's data is not the same as
one that re-adds the document's own numbers:

- independent  the claim against another publisher's data: confirmed / close / contradicted,
               or depends on the data revision when official revisions disagree;
- bound        the claim against an upper bound from another publisher's data (what a country
               received from all countries caps what it received from one): within its upper
               bound, or contradicted when it exceeds it;
- internal     the document's own figures re-added or re-expressed (a sum of its own table, a
               per-capita of its own figure): consistent / roughly consistent / inconsistent
               with the source's own figures. Never counted as confirmed by data.
"""
from __future__ import annotations

import importlib
import math
import pkgutil
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from . import data, formatting, indicators

# Relative difference (in % of the recomputed value) within which a claim counts as
# confirmed (or consistent), or close (roughly consistent): the documents round
# ("11 miljoen", "47 procent").
CONFIRMED_WITHIN_PCT = 2.5
CLOSE_WITHIN_PCT = 10.0

INDEPENDENT, BOUND, INTERNAL, UNCHECKED = "independent", "bound", "internal", "unchecked"
KIND_LABELS = {
    INDEPENDENT: "checked against independent data",
    BOUND: "checked against an upper bound from independent data",
    INTERNAL: "checked against the source's own figures only",
    UNCHECKED: "not checkable with our data",
}

CONFIRMED, CLOSE, CONTRADICTED = "confirmed", "close", "contradicted"
DEPENDS = "depends on the data revision"
WITHIN_BOUND = "within its upper bound"
CONSISTENT = "consistent with the source's own figures"
ROUGHLY_CONSISTENT = "roughly consistent with the source's own figures"
INCONSISTENT = "inconsistent with the source's own figures"
NOT_CHECKABLE = "not checkable with our data"

# Every verdict a kind of check can give, in the order a summary lists them.
VERDICTS_BY_KIND = {
    INDEPENDENT: (CONFIRMED, CLOSE, CONTRADICTED, DEPENDS),
    BOUND: (WITHIN_BOUND, CONTRADICTED),
    INTERNAL: (CONSISTENT, ROUGHLY_CONSISTENT, INCONSISTENT),
    UNCHECKED: (NOT_CHECKABLE,),
}
VERDICTS = tuple(dict.fromkeys(v for verdicts in VERDICTS_BY_KIND.values() for v in verdicts))
# How a verdict reads for a reader scanning a list: failed, held, or neither.
VERDICT_TONE = {CONFIRMED: "holds", CLOSE: "near", CONTRADICTED: "fails", DEPENDS: "mixed",
                WITHIN_BOUND: "holds", CONSISTENT: "holds", ROUGHLY_CONSISTENT: "near",
                INCONSISTENT: "fails", NOT_CHECKABLE: "none"}


class ClaimCheckError(ValueError):
    """A claim's check cannot be run: the message names the claim and its check."""


@dataclass(frozen=True)
class Recomputed:
    value: float
    basis: str              # what was computed, in words
    vintage: str            # which data, which vintage
    official: bool = True   # False for a series the project derives itself: shown, never decisive


Recomputation = Callable[[list[str], pd.Series, pd.DataFrame], "Recomputed | list[Recomputed]"]


@dataclass(frozen=True)
class Check:
    name: str
    kind: str
    arguments: tuple[str, ...]   # what each `:arg` of the key means, for error messages
    function: Recomputation


RECOMPUTATIONS: dict[str, Check] = {}


def check(name: str, *, kind: str, arguments: tuple[str, ...] = ()):
    """Register a recomputation under `name` (the first part of a ledger check key).

    kind: INDEPENDENT, BOUND or INTERNAL; arguments: the meaning of each `:arg` of the key,
    e.g. ("ISO3 country code",). The function gets (args, claim, ledger) and returns one
    Recomputed, or one per data revision where the publisher rewrites history."""
    if kind not in (INDEPENDENT, BOUND, INTERNAL):
        raise ValueError(f"check {name!r}: kind must be independent, bound or internal, not {kind!r}")

    def register(function: Recomputation) -> Recomputation:
        if name in RECOMPUTATIONS and RECOMPUTATIONS[name].function.__qualname__ != function.__qualname__:
            raise ValueError(f"check {name!r} is registered twice")
        RECOMPUTATIONS[name] = Check(name, kind, tuple(arguments), function)
        return function
    return register


_DISCOVERED = False


def registered_checks() -> dict[str, Check]:
    """Every check of every module of the package (each chapter's module registers its own)."""
    global _DISCOVERED
    if not _DISCOVERED:
        package = importlib.import_module(__package__)
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{__package__}.{module.name}")
        _DISCOVERED = True
    return RECOMPUTATIONS


# --- helpers for the checks ----------------------------------------------------------------

def vintage(resource_name: str, detail: str = "") -> str:
    """'<publisher> (data as of <commit date>)' for a resource of data/datapackage.json."""
    item = data.resource(resource_name)
    commits = sorted({source.get("commit_date", "") for source in item.get("sources", [])} - {""})
    label = item["publisher"] + (f", {detail}" if detail else "")
    return label + (f" (data as of {', '.join(commits)})" if commits and not detail else "")


def ref_year(claim: pd.Series) -> int:
    if pd.isna(claim["ref_year"]):
        raise ValueError("this check needs the claim's ref_year, which is empty")
    return int(claim["ref_year"])


def claim_value(ledger: pd.DataFrame, claim_id: str) -> float:
    match = ledger.loc[ledger.claim_id == claim_id, "value"]
    if match.empty:
        raise ValueError(f"it refers to claim {claim_id}, which is not in data/claims.csv")
    return float(match.iloc[0])


# --- checks any chapter can use: the document's own figures ----------------------------------

@check("sum_of_claims", kind=INTERNAL, arguments=("claim ids joined by +",))
def _sum_of_claims(args, claim, ledger) -> Recomputed:
    parts = args[0].split("+")
    return Recomputed(sum(claim_value(ledger, part) for part in parts),
                      "sum of the document's own figures " + " + ".join(parts),
                      "the source document's own figures")


@check("resource_column_sum", kind=INTERNAL, arguments=("resource name", "column"))
def _resource_column_sum(args, claim, ledger) -> Recomputed:
    name, column = args
    table = data.load(name)
    if column not in table.columns:
        raise ValueError(f"resource {name} has no column {column!r}")
    return Recomputed(float(table[column].sum()), f"sum of {column} over the {len(table)} rows of {name}",
                      "the source document's own table")


# --- verdicts ---------------------------------------------------------------------------------

def verdict(claimed: float, recomputed: float, unit: str, kind: str = INDEPENDENT, *,
            confirmed_within: float = CONFIRMED_WITHIN_PCT, close_within: float = CLOSE_WITHIN_PCT) -> str:
    """The verdict on one claimed value against one recomputed value, for a kind of check.

    Ranks and counts of places must match exactly; other values are compared by their relative
    difference from the recomputed value. For a bound, the recomputed value is the upper bound."""
    if kind == BOUND:
        return WITHIN_BOUND if claimed <= recomputed else CONTRADICTED
    if unit == "rank":
        level = 0 if round(claimed) == round(recomputed) else 2
    elif recomputed == 0:  # no relative difference from zero
        level = 0 if claimed == 0 else 2
    else:
        gap = abs(indicators.relative_difference_pct(claimed, recomputed))
        level = 0 if gap <= confirmed_within else 1 if gap <= close_within else 2
    return (VERDICTS_BY_KIND[INTERNAL] if kind == INTERNAL else (CONFIRMED, CLOSE, CONTRADICTED))[level]


def _parse(claim: pd.Series) -> tuple[Check, list[str]]:
    key = str(claim["check"])
    name, *args = key.split(":")
    checks = registered_checks()
    if name not in checks:
        raise ClaimCheckError(f"data/claims.csv, claim {claim['claim_id']}, column 'check': unknown check "
                              f"'{name}'; known checks: {', '.join(sorted(checks))}")
    found = checks[name]
    if len(args) != len(found.arguments) or any(not arg.strip() for arg in args):
        form = ":".join([name, *(f"<{meaning}>" for meaning in found.arguments)])
        raise ClaimCheckError(
            f"data/claims.csv, claim {claim['claim_id']}, column 'check': '{key}' does not match the "
            f"form '{form}' ({len(found.arguments)} argument(s), got {len([a for a in args if a.strip()])})")
    return found, args


def check_claim(claim: pd.Series, ledger: pd.DataFrame, **tolerances) -> dict:
    """Claimed value, recomputed value, kind of check, verdict and data vintage for one claim.

    Where the data come in several revisions, each official one is judged; if they disagree
    the verdict is "depends on the data revision". A series the project derives itself
    (official=False) is listed in `basis` but never decides the verdict. The value shown is
    the latest official revision's. tolerances: confirmed_within, close_within (percent).
    """
    result = {"claim_id": claim["claim_id"], "claimed": float(claim["value"]), "unit": claim["unit"],
              "kind": UNCHECKED, "recomputed": float("nan"), "difference": float("nan"),
              "difference_pct": float("nan"), "verdict": NOT_CHECKABLE, "basis": "", "vintage": ""}
    key = str(claim["check"])
    if key.startswith("none"):
        result["basis"] = key.partition(":")[2].strip()
        return result
    found, args = _parse(claim)
    try:
        outcome = found.function(args, claim, ledger)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise ClaimCheckError(f"data/claims.csv, claim {claim['claim_id']}, column 'check' ('{key}'): "
                              f"{str(error).strip(chr(34) + chr(39))}") from error
    revisions = outcome if isinstance(outcome, list) else [outcome]
    official = [item for item in revisions if item.official]
    if not official:
        raise ClaimCheckError(f"data/claims.csv, claim {claim['claim_id']}: check '{key}' returned no "
                              "official series; a derived series alone cannot decide a verdict")
    judged = {id(item): verdict(result["claimed"], item.value, claim["unit"], found.kind, **tolerances)
              for item in revisions}
    decisive = {judged[id(item)] for item in official}
    shown = official[-1]
    if not math.isfinite(shown.value):
        raise ClaimCheckError(f"data/claims.csv, claim {claim['claim_id']}: check '{key}' gave {shown.value}")
    result.update(kind=found.kind, recomputed=shown.value, vintage=shown.vintage,
                  difference=result["claimed"] - shown.value,
                  difference_pct=(float(indicators.relative_difference_pct(result["claimed"], shown.value))
                                  if shown.value != 0 else float("nan")),
                  verdict=decisive.pop() if len(decisive) == 1 else DEPENDS)
    if len(revisions) == 1:
        result["basis"] = shown.basis
    else:
        result["basis"] = shown.basis + ". By revision: " + "; ".join(
            f"{item.vintage}: {readable(item.value, claim['unit'], like=result['claimed'])} "
            f"({judged[id(item)]}{'' if item.official else '; derived by this book, not used for the verdict'})"
            for item in revisions)
        result["vintage"] = "latest of: " + ", ".join(item.vintage for item in official)
    return result


def evaluate(ledger: pd.DataFrame, chapter: int | None = None, **tolerances) -> pd.DataFrame:
    """Check every claim of the ledger (or of one chapter); one row per claim."""
    selected = ledger if chapter is None else ledger[ledger.chapter == chapter]
    checked = pd.DataFrame([check_claim(claim, ledger, **tolerances) for _, claim in selected.iterrows()],
                           columns=["claim_id", "claimed", "unit", "kind", "recomputed", "difference",
                                    "difference_pct", "verdict", "basis", "vintage"])
    columns = ["claim_id", "chapter", "seed_file", "seed_lines", "quote_nl", "claim_en"]
    return selected[columns].merge(checked, on="claim_id")


def checked_ledger(chapter: int | None = None) -> pd.DataFrame:
    """evaluate() of data/claims.csv with the default tolerances: every claim, or one chapter's.

    Four chapters, the claims ledger page and the front page each need these verdicts. In the
    book's build ($BOOK_DATA_CACHE, set by tools/build.sh and the test build) the whole ledger is
    checked once, by the first page to ask (the claims ledger page, read first), and kept, keyed
    on the bytes of every file in data/ and of the package's code; the other pages read it, so a
    change to either is checked afresh. Anywhere else (papermill, the tests) it is computed."""
    cache = data.kept_result("checked-claims.pkl")
    if cache is None:
        checked = evaluate(data.load("claims"))
    else:
        if cache.is_file():
            checked = pd.read_pickle(cache)
        else:
            checked = evaluate(data.load("claims"))
            data.keep_pickle(checked, cache)
    if chapter is None:
        return checked
    # evaluate(ledger, chapter) checks each claim against the whole ledger too: the same rows
    return checked[checked["chapter"] == chapter].reset_index(drop=True)


def check_ahead() -> int:
    """Check every data file and the whole ledger once, keeping both in $BOOK_DATA_CACHE.

    The book's build runs this in its background process while Sphinx starts
    (_ext/check_ahead.py), so the pages' kernels read checked tables and verdicts instead of the
    first one checking them while the reader waits. The ledger first: the first page read (the
    claims ledger) needs it soonest. Returns the number of claims checked."""
    checked = checked_ledger()
    for item in data.datapackage()["resources"]:
        data.load(item["name"])
    return len(checked)


# --- summaries ----------------------------------------------------------------------------------

def verdict_counts(checked: pd.DataFrame) -> pd.DataFrame:
    """Claims per kind of check and verdict, every possible pair in a fixed order (zeros kept)."""
    pairs = [(kind, verdict_) for kind, verdicts in VERDICTS_BY_KIND.items() for verdict_ in verdicts]
    counts = checked.groupby(["kind", "verdict"]).size()
    unknown = set(counts.index) - set(pairs)
    if unknown:
        raise ValueError(f"verdicts outside the engine's families: {sorted(unknown)}")
    return pd.DataFrame([{"kind": kind, "check": KIND_LABELS[kind], "verdict": verdict_,
                          "claims": int(counts.get((kind, verdict_), 0))} for kind, verdict_ in pairs])


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def summary_sentence(checked: pd.DataFrame, document: str = "the source") -> str:
    """One paragraph that accounts for every claim: how many of each kind, and each verdict."""
    counts = verdict_counts(checked)
    total = int(counts["claims"].sum())
    per_kind = counts.groupby("kind", sort=False)["claims"].sum()
    sentences = [f"Of {total} claims of {document}, {per_kind[UNCHECKED]} cannot be checked with our data."]
    phrases = {INDEPENDENT: "{n} were checked against independent data: {parts}",
               BOUND: "{n} against an upper bound from independent data: {parts}",
               INTERNAL: "{n} only against {document}'s own figures, a test of its arithmetic rather than "
                         "of the world: {parts}"}
    short = {WITHIN_BOUND: "within it", CONSISTENT: "consistent", ROUGHLY_CONSISTENT: "roughly consistent",
             INCONSISTENT: "inconsistent"}
    for kind, phrase in phrases.items():
        rows = counts[(counts.kind == kind) & (counts.claims > 0)]
        if per_kind[kind]:
            parts = [f"{row.claims} " + (("depends" if row.claims == 1 else "depend") + " on the data revision"
                                         if row.verdict == DEPENDS else short.get(row.verdict, row.verdict))
                     + (" (above the bound)" if kind == BOUND and row.verdict == CONTRADICTED else "")
                     for row in rows.itertuples()]
            sentences.append(phrase.format(n=per_kind[kind], parts=_join(parts), document=document) + ".")
    return " ".join(sentences)


# --- display ------------------------------------------------------------------------------------

_SCALES = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")]


def _decimals(value: float) -> int:
    """How many decimals a value is written with (0.3333 -> 4, 45.8 -> 1, 25 -> 0)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return len(text.partition(".")[2])


def ordinal(number: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def readable(value: float, unit: str, like: float | None = None) -> str:
    """A value as a reader would write it, no more precise than the claim it is compared with.

    like: the claimed value; the display takes its scale (million, billion) and its decimals,
    with at least two significant digits so that a different value never looks the same."""
    if pd.isna(value):
        return ""
    if unit == "rank":
        return ordinal(int(round(value)))
    if unit in ("count", "years"):
        return f"{value:.0f}"
    reference = value if like is None or pd.isna(like) else like
    factor, word = next(((f, w) for f, w in _SCALES if abs(reference) >= f), (1, ""))
    scaled, claimed_scaled = value / factor, reference / factor
    decimals = _decimals(claimed_scaled) if like is not None else (1 if factor > 1 else 2)
    if scaled != 0 and value != like:  # two significant digits at least, except for the claim itself
        decimals = max(decimals, 1 - int(math.floor(math.log10(abs(scaled)))))
    if like is not None and not pd.isna(like) and value != like:
        # a value that differs by more than the confirmed tolerance must not look like the claim
        while (decimals < 4 and f"{scaled:,.{decimals}f}" == f"{claimed_scaled:,.{decimals}f}"
               and abs(indicators.relative_difference_pct(like, value)) > CONFIRMED_WITHIN_PCT):
            decimals += 1
    decimals = min(decimals, 4)
    text = f"{scaled:,.{decimals}f}".replace("-", "\u2212")
    suffix = {"percent": "\u00a0%", "percent_of_gdp": "\u00a0% of GDP", "percent_change": "\u00a0%", "usd": " US$",
              "rub": " roubles", "persons": " people", "ratio": ""}.get(unit, "")
    return f"{text} {word}{suffix}".replace("  ", " ").strip() if word else f"{text}{suffix}"


def difference_in_words(claimed: float, recomputed: float, unit: str, kind: str) -> str:
    """The gap the way the claim is made: places for a rank, a factor for a ratio, % otherwise."""
    if pd.isna(recomputed):
        return ""
    if kind == BOUND:
        if claimed <= recomputed:
            return f"{100 * claimed / recomputed:.0f}\u00a0% of the bound"
        return f"{indicators.relative_difference_pct(claimed, recomputed):.0f}\u00a0% above the bound"
    if unit == "rank":
        places = int(round(recomputed - claimed))
        if places == 0:
            return "same place"
        return f"{abs(places)} place{'s' if abs(places) > 1 else ''} {'lower' if places > 0 else 'higher'} in the data"
    if unit == "ratio":
        return "same" if recomputed == claimed else f"claim is {claimed / recomputed:.2g}× the data"
    if recomputed == 0:
        return ""
    gap = indicators.relative_difference_pct(claimed, recomputed)
    return "same" if round(gap, 1) == 0 else formatting.signed_percent(gap)


def for_readers(checked: pd.DataFrame) -> pd.DataFrame:
    """The result of evaluate() with values written as the claims are, for a page or a CSV."""
    rows = checked.itertuples()
    return checked.assign(
        check_kind=checked["kind"].map(KIND_LABELS),
        claimed=[readable(r.claimed, r.unit, like=r.claimed) for r in checked.itertuples()],
        recomputed=[readable(r.recomputed, r.unit, like=r.claimed) for r in checked.itertuples()],
        difference=[difference_in_words(r.claimed, r.recomputed, r.unit, r.kind) for r in rows],
    )[["claim_id", "chapter", "claim_en", "verdict", "check_kind", "claimed", "recomputed", "difference",
       "seed_file", "seed_lines", "quote_nl", "basis", "vintage"]]
