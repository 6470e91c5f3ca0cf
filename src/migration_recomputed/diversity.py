"""Chapter 3: the Netherlands as a migration society (WRR 2020), recomputed from CBS data.

Tables the chapter draws (flows, motives, migration background, diversity per municipality and
district) and the checks of the report's claims, registered with the claims engine.

The WRR's diversity index ("hhi") is the chance that two inhabitants drawn at random belong to
different origin groups: 1 - sum of squared shares. That is the Simpson (or Gini-Simpson) index,
the complement of the Herfindahl-Hirschman concentration index (sum of squared shares). It
depends on the groups: merging groups can only lower it, so an index over coarser groups is a
lower bound of the same index over finer ones.
"""
from __future__ import annotations

import difflib
import re
import unicodedata

import pandas as pd

from . import claims, data
from .claims import INDEPENDENT, INTERNAL, Recomputed
from .parameters import ParameterError

# The seven groups of CBS's Kerncijfers wijken en buurten 2022 (old classification), in the order
# the chapter lists them; they add up to the population.
KWB_GROUPS = {"dutch": "Dutch background", "western": "Western background",
              "turkish": "Turkish", "moroccan": "Moroccan", "surinamese": "Surinamese",
              "antillean_aruban": "Antillean/Aruban", "other_non_western": "Other non-western"}
# CBS's classification from 2023 on (85458NED): three groups
NEW_GROUPS = {"herkomst-nederland": "Origin the Netherlands", "herkomst-europa-excl-nl": "Origin Europe (excl. NL)",
              "herkomst-buiten-europa": "Origin outside Europe"}
G3 = {"GM0518": "'s-Gravenhage", "GM0363": "Amsterdam", "GM0599": "Rotterdam"}
MOTIVES = {"work": "Work", "family": "Family", "asylum": "Asylum", "study": "Study",
           "temporary_protection": "Temporary protection", "other": "Other or unknown"}
MIN_DISTRICT_INHABITANTS = 100


def simpson(shares) -> float:
    """1 - sum of squared shares (shares as fractions adding up to 1)."""
    shares = pd.Series(shares, dtype=float)
    if shares.lt(0).any() or abs(shares.sum() - 1) > 1e-6:
        raise ValueError(f"shares must be non-negative and add up to 1, not {shares.sum():.6f}")
    return float(1 - (shares ** 2).sum())


def _index(counts: pd.DataFrame) -> pd.Series:
    shares = counts.div(counts.sum(axis=1), axis=0)
    return 1 - (shares ** 2).sum(axis=1)


# --- diversity by origin --------------------------------------------------------------------

def municipal_diversity(kwb: pd.DataFrame) -> pd.DataFrame:
    """One row per municipality (KWB 2022): counts of the seven groups, population, Dutch share,
    the index and its rank (1 = most diverse)."""
    wide = kwb.pivot_table(index=["code", "name"], columns="group", values="count", aggfunc="sum")
    counts = wide[list(KWB_GROUPS)]
    if (counts.sum(axis=1) != wide["total"]).any():
        raise ValueError("the seven KWB groups do not add up to the population")
    table = counts.reset_index().rename(columns={"code": "statcode", "name": "municipality"})
    table["population"] = wide["total"].to_numpy()
    table["dutch_share_pct"] = 100 * table["dutch"] / table["population"]
    table["index"] = _index(counts).to_numpy()
    table["rank"] = table["index"].rank(ascending=False, method="min").astype(int)
    return table.sort_values("rank").reset_index(drop=True)


def district_diversity(wijk: pd.DataFrame, min_inhabitants: int = MIN_DISTRICT_INHABITANTS) -> pd.DataFrame:
    """The same per district; districts under `min_inhabitants` are left out (CBS suppressed
    their cells), and negative derived counts (rounding to 5) are set to 0."""
    wide = wijk.pivot_table(index=["code", "name"], columns="group", values="count", aggfunc="sum")
    wide = wide[wide["total"] >= min_inhabitants]
    counts = wide[list(KWB_GROUPS)].clip(lower=0)
    table = counts.reset_index().rename(columns={"code": "district_code", "name": "district"})
    table["district"] = table["district"].str.replace(r"^Wijk \d+ ", "", regex=True)
    table["population"] = wide["total"].to_numpy()
    table["dutch_share_pct"] = 100 * table["dutch"] / counts.sum(axis=1).to_numpy()
    table["non_western_share_pct"] = 100 * counts[["turkish", "moroccan", "surinamese", "antillean_aruban",
                                                   "other_non_western"]].sum(axis=1).to_numpy() / counts.sum(axis=1).to_numpy()
    table["index"] = _index(counts).to_numpy()
    return table.sort_values("index", ascending=False).reset_index(drop=True)


def new_classification_diversity(cbs85458: pd.DataFrame) -> pd.DataFrame:
    """Index per municipality and year over CBS's three new groups (85458NED)."""
    wide = cbs85458.pivot_table(index=["year", "gemeente_code", "gemeente_name"], columns="metric",
                                values="count", aggfunc="sum").dropna()
    counts = wide[list(NEW_GROUPS)]
    table = wide.reset_index()[["year", "gemeente_code", "gemeente_name"]].rename(columns={"gemeente_code": "statcode"})
    table["population"] = wide["total_population"].to_numpy()
    table["index_3_groups"] = _index(counts).to_numpy()
    table["dutch_origin_share_pct"] = 100 * counts["herkomst-nederland"].to_numpy() / table["population"]
    return table


def national_index(national: pd.DataFrame) -> pd.DataFrame:
    """National index per year from the KWB NL00 rows, in the old classification (seven groups)."""
    old = national[national.group.isin(KWB_GROUPS) | national.group.isin(["total", "western", "non_western_total"])]
    wide = old.pivot_table(index="year", columns="group", values="count")
    wide = wide.dropna(subset=["western", "non_western_total", "turkish"])
    wide["dutch"] = wide["total"] - wide["western"] - wide["non_western_total"]
    counts = wide[list(KWB_GROUPS)]
    return pd.DataFrame({"year": wide.index.astype(int), "population": wide["total"].to_numpy(),
                         "dutch_share_pct": 100 * (wide["dutch"] / wide["total"]).to_numpy(),
                         "index": _index(counts).to_numpy()}).reset_index(drop=True)


def population_share_pct(table: pd.DataFrame, mask: pd.Series) -> float:
    """Share of the population (%) living in the rows of `mask`."""
    return float(100 * table.loc[mask, "population"].sum() / table["population"].sum())


# --- names ----------------------------------------------------------------------------------

ALIASES = {"den haag": "'s-gravenhage", "the hague": "'s-gravenhage", "s-gravenhage": "'s-gravenhage",
           "den bosch": "'s-hertogenbosch", "s-hertogenbosch": "'s-hertogenbosch"}


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKC", str(name)).replace("\u2019", "'").replace("`", "'").strip().lower()
    text = re.sub(r"\s*\((gemeente|gem\.?)\)$", "", text)
    text = re.sub(r"\s+", " ", text)
    return ALIASES.get(text, text)


def match_municipality(name: str, names, parameter: str = "municipality") -> str:
    """The CBS spelling of `name` among `names`: case, spaces, the "(gemeente)" suffix, curly
    apostrophes and "Den Haag" forgiven; an unknown name stops with close matches."""
    names = list(names)
    by_key = {_key(candidate): candidate for candidate in names}
    key = _key(name)
    if key in by_key:
        return by_key[key]
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)
    hint = ("; did you mean " + " or ".join(repr(by_key[k]) for k in close) + "?") if close else ""
    raise ParameterError(f"parameter {parameter}={name!r} is not one of the {len(names)} municipalities "
                         f"of 2022{hint}")


# --- national series -------------------------------------------------------------------------

def national_flows(flows: pd.DataFrame, first_year: int = 1946) -> pd.DataFrame:
    """Immigration, emigration (incl. administrative corrections), net migration, births, deaths
    and population per year from `first_year`; emigration per 1,000 inhabitants (on the average
    of the population on 1 January of the year and of the next)."""
    wide = flows.pivot_table(index="year", columns="variable", values="value").sort_index()
    average = (wide["population_1jan"] + wide["population_1jan"].shift(-1)) / 2
    wide["emigration_per_1000"] = 1000 * wide["emigration_incl_admin_corrections"] / average
    wide["natural_increase"] = wide["live_births"] - wide["deaths"]
    wide = wide[wide.index >= first_year].dropna(subset=["immigration"])
    return wide.reset_index()


def record_years(flows_wide: pd.DataFrame, column: str = "immigration") -> pd.Series:
    """Years in which `column` exceeded every earlier year of the series."""
    series = flows_wide.set_index("year")[column]
    return series[series > series.cummax().shift(1)].index.to_series()


def motives_by_year(motives: pd.DataFrame) -> pd.DataFrame:
    """Immigrants per year and motive, EU/EFTA and other nationals added up; EU/EFTA immigrants
    without a derived motive counted under "other or unknown". Years with both groups only."""
    table = motives[motives.motive != "total"].copy()
    table["motive"] = table["motive"].replace({"no_derived_motive": "other"})
    both = table.groupby("year_of_immigration")["nationality_group"].nunique().eq(2)
    table = table[table.year_of_immigration.isin(both[both].index)]
    wide = table.pivot_table(index="year_of_immigration", columns="motive", values="immigrants", aggfunc="sum",
                             fill_value=0)
    return wide[[m for m in MOTIVES if m in wide.columns]].rename_axis(index="year", columns=None)


def top_motive(motives_wide: pd.DataFrame) -> pd.Series:
    """The largest named motive per year ("other or unknown" is no motive, so it is left out)."""
    return motives_wide.drop(columns="other").idxmax(axis=1)


def migration_background(background: pd.DataFrame) -> pd.DataFrame:
    """Old classification (1972-2021): first and second generation and their shares of the population."""
    old = background[background.classification.str.startswith("migratieachtergrond")]
    wide = old.pivot_table(index="year", columns="variable", values="value")
    wide = wide.dropna(subset=["first_generation", "second_generation", "population_1jan"])
    wide["share_pct"] = 100 * wide["migration_background_total"] / wide["population_1jan"]
    wide["first_generation_pct"] = 100 * wide["first_generation"] / wide["population_1jan"]
    wide["second_generation_pct"] = 100 * wide["second_generation"] / wide["population_1jan"]
    return wide.reset_index()


def new_background(background: pd.DataFrame) -> pd.DataFrame:
    """New classification (from 2022): born abroad, and born in the Netherlands with one or two
    parents born abroad, as shares of the population."""
    new = background[background.classification.str.startswith("geboorteland")]
    wide = new.pivot_table(index="year", columns="variable", values="value")
    total = wide[["born_abroad_total", "born_nl_one_parent_born_abroad", "born_nl_both_parents_born_abroad",
                  "both_parents_born_nl"]].sum(axis=1)
    wide["population"] = total
    wide["born_abroad_pct"] = 100 * wide["born_abroad_total"] / total
    wide["born_nl_parent_abroad_pct"] = 100 * (wide["born_nl_one_parent_born_abroad"]
                                              + wide["born_nl_both_parents_born_abroad"]) / total
    return wide.reset_index()


# --- checks of the report's claims -------------------------------------------------------------

def _codes(argument: str) -> list[str]:
    return argument.split("+")


@claims.check("nl_years_count", kind=INDEPENDENT,
              arguments=("CBS flow variable", "above or below", "threshold", "first year", "last year"))
def _nl_years_count(args, claim, ledger) -> Recomputed:
    variable, side, threshold, first, last = args
    series = national_flows(data.load("cbs_nl_migration_flows"), 1900).set_index("year")[variable]
    series = series.loc[int(first):int(last)]
    if side not in ("above", "below"):
        raise ValueError("the second argument must be 'above' or 'below'")
    hits = series > float(threshold) if side == "above" else series < float(threshold)
    return Recomputed(float(hits.sum()), f"years {first}-{last} with {variable} {side} {float(threshold):,.0f} "
                      f"(of {len(series)}): {', '.join(map(str, series[hits].index)) or 'none'}",
                      claims.vintage("cbs_nl_migration_flows"))


@claims.check("nl_flow", kind=INDEPENDENT, arguments=("CBS flow variable",))
def _nl_flow(args, claim, ledger) -> Recomputed:
    series = national_flows(data.load("cbs_nl_migration_flows"), 1900).set_index("year")[args[0]]
    year = claims.ref_year(claim)
    return Recomputed(float(series[year]), f"CBS {args[0]} in {year}", claims.vintage("cbs_nl_migration_flows"))


@claims.check("nl_population_1jan", kind=INDEPENDENT)
def _nl_population(args, claim, ledger) -> Recomputed:
    flows = data.load("cbs_nl_migration_flows")
    year = claims.ref_year(claim)
    value = flows[(flows.variable == "population_1jan") & (flows.year == year)]["value"].iloc[0]
    return Recomputed(float(value), f"CBS population on 1 January {year}", claims.vintage("cbs_nl_migration_flows"))


@claims.check("nl_record_years", kind=INDEPENDENT, arguments=("first year", "last year"))
def _nl_record_years(args, claim, ledger) -> Recomputed:
    records = record_years(national_flows(data.load("cbs_nl_migration_flows"), 1900))
    inside = records[(records >= int(args[0])) & (records <= int(args[1]))]
    return Recomputed(float(len(inside)), f"years {args[0]}-{args[1]} in which immigration exceeded every earlier "
                      f"year since 1900: {', '.join(map(str, inside)) or 'none'}", claims.vintage("cbs_nl_migration_flows"))


@claims.check("net_migration_above_natural_increase", kind=INDEPENDENT, arguments=("first year", "last year"))
def _net_above_natural(args, claim, ledger) -> Recomputed:
    wide = national_flows(data.load("cbs_nl_migration_flows"), 1900).set_index("year").loc[int(args[0]):int(args[1])]
    hits = wide["net_migration_incl_admin_corrections"] > wide["natural_increase"]
    return Recomputed(float(hits.sum()), f"years {args[0]}-{args[1]} in which net migration exceeded births minus "
                      f"deaths: {', '.join(map(str, wide.index[hits])) or 'none'}", claims.vintage("cbs_nl_migration_flows"))


@claims.check("top_motive_years", kind=INDEPENDENT, arguments=("motive", "first year", "last year"))
def _top_motive_years(args, claim, ledger) -> Recomputed:
    motive, first, last = args
    top = top_motive(motives_by_year(data.load("cbs_nl_immigration_by_motive"))).loc[int(first):int(last)]
    hits = top[top == motive]
    return Recomputed(float(len(hits)), f"years {first}-{last} (of {len(top)} with data) in which {motive} was the "
                      f"largest motive of non-Dutch immigrants: {', '.join(map(str, hits.index)) or 'none'}",
                      claims.vintage("cbs_nl_immigration_by_motive"))


@claims.check("eu_share_of_work_migration", kind=INDEPENDENT)
def _eu_share_work(args, claim, ledger) -> Recomputed:
    table = data.load("cbs_nl_immigration_by_motive")
    year = claims.ref_year(claim)
    work = table[(table.year_of_immigration == year) & (table.motive == "work")].set_index("nationality_group")["immigrants"]
    return Recomputed(float(100 * work["EU_EFTA"] / work.sum()),
                      f"EU/EFTA labour immigrants as % of all labour immigrants of non-Dutch nationality in {year}",
                      claims.vintage("cbs_nl_immigration_by_motive"))


@claims.check("migration_background_share", kind=INDEPENDENT)
def _background_share(args, claim, ledger) -> Recomputed:
    table = migration_background(data.load("cbs_nl_population_by_migration_background")).set_index("year")
    year = claims.ref_year(claim)
    return Recomputed(float(table.at[year, "share_pct"]), f"people with a migration background as % of the "
                      f"population on 1 January {year} (old classification)",
                      claims.vintage("cbs_nl_population_by_migration_background"))


@claims.check("migration_background_growth", kind=INDEPENDENT, arguments=("first year", "last year"))
def _background_growth(args, claim, ledger) -> Recomputed:
    table = migration_background(data.load("cbs_nl_population_by_migration_background")).set_index("year")
    first, last = int(args[0]), int(args[1])
    value = table.at[last, "migration_background_total"] - table.at[first, "migration_background_total"]
    return Recomputed(float(value), f"people with a migration background on 1 January {last} minus {first}",
                      claims.vintage("cbs_nl_population_by_migration_background"))


def _municipal() -> pd.DataFrame:
    return municipal_diversity(data.load("cbs_kwb2022_gemeente_origin"))


KWB_BASIS = " (seven KWB groups, 1 January 2022; the WRR used 18 finer groups, which give a higher index)"


@claims.check("municipalities_index_above", kind=INDEPENDENT, arguments=("threshold", "GM codes joined by +"))
def _municipalities_above(args, claim, ledger) -> Recomputed:
    table = _municipal().set_index("statcode").loc[_codes(args[1])]
    above = table[table["index"] > float(args[0])]
    return Recomputed(float(len(above)), f"of {', '.join(table.municipality)}, those with an index above {args[0]}: "
                      + (", ".join(f"{r.municipality} {r.index:.3f}" for r in above.itertuples()) or "none")
                      + KWB_BASIS, claims.vintage("cbs_kwb2022_gemeente_origin"))


@claims.check("municipalities_dutch_below", kind=INDEPENDENT, arguments=("percent", "GM codes joined by +"))
def _municipalities_dutch_below(args, claim, ledger) -> Recomputed:
    table = _municipal().set_index("statcode").loc[_codes(args[1])]
    below = table[table["dutch_share_pct"] < float(args[0])]
    return Recomputed(float(len(below)), f"of {', '.join(table.municipality)}, those where under {args[0]} % have a "
                      "Dutch background: " + (", ".join(f"{r.municipality} {r.dutch_share_pct:.1f} %"
                                                          for r in below.itertuples()) or "none")
                      + " (KWB, 1 January 2022)", claims.vintage("cbs_kwb2022_gemeente_origin"))


@claims.check("population_share_index_below", kind=INDEPENDENT, arguments=("threshold",))
def _share_below(args, claim, ledger) -> Recomputed:
    table = _municipal()
    mask = table["index"] < float(args[0])
    return Recomputed(population_share_pct(table, mask), f"share of the population living in the {int(mask.sum())} "
                      f"municipalities with an index below {args[0]}" + KWB_BASIS, claims.vintage("cbs_kwb2022_gemeente_origin"))


@claims.check("population_share_index_at_least", kind=INDEPENDENT, arguments=("threshold",))
def _share_at_least(args, claim, ledger) -> Recomputed:
    table = _municipal()
    mask = table["index"] >= float(args[0])
    return Recomputed(population_share_pct(table, mask), f"share of the population living in the {int(mask.sum())} "
                      f"municipalities with an index of {args[0]} or more" + KWB_BASIS,
                      claims.vintage("cbs_kwb2022_gemeente_origin"))


@claims.check("index_rank", kind=INDEPENDENT, arguments=("GM code",))
def _index_rank(args, claim, ledger) -> Recomputed:
    table = _municipal().set_index("statcode")
    return Recomputed(float(table.at[args[0], "rank"]), f"rank of {table.at[args[0], 'municipality']} among the "
                      f"{len(table)} municipalities by index" + KWB_BASIS, claims.vintage("cbs_kwb2022_gemeente_origin"))


def _national_value(claim: pd.Series, column: str, what: str) -> Recomputed:
    """`column` of the national index table in the claim's year, or the earliest year the data hold."""
    table = national_index(data.load("cbs_kwb_national_origin_groups")).set_index("year")
    year = claims.ref_year(claim)
    used = year if year in table.index else int(table.index.min())
    return Recomputed(float(table.at[used, column]), f"{what} on 1 January {used}"
                      + ("" if used == year else f" (the earliest year in the data; the claim is for {year})"),
                      claims.vintage("cbs_kwb_national_origin_groups"))


@claims.check("national_index", kind=INDEPENDENT)
def _national_index(args, claim, ledger) -> Recomputed:
    found = _national_value(claim, "index", "national index")
    return Recomputed(found.value, found.basis + ", seven KWB groups; the WRR used 18 finer groups", found.vintage)


@claims.check("national_dutch_share", kind=INDEPENDENT)
def _national_dutch(args, claim, ledger) -> Recomputed:
    return _national_value(claim, "dutch_share_pct", "share with a Dutch background")


@claims.check("population_share_of", kind=INDEPENDENT, arguments=("GM codes joined by +",))
def _population_share_of(args, claim, ledger) -> Recomputed:
    table = _municipal()
    mask = table["statcode"].isin(_codes(args[0]))
    return Recomputed(population_share_pct(table, mask), f"share of the population living in "
                      f"{', '.join(table.loc[mask, 'municipality'])} on 1 January 2022",
                      claims.vintage("cbs_kwb2022_gemeente_origin"))


@claims.check("population_where_dutch_above", kind=INDEPENDENT, arguments=("percent",))
def _population_dutch_above(args, claim, ledger) -> Recomputed:
    table = _municipal()
    mask = table["dutch_share_pct"] > float(args[0])
    return Recomputed(float(table.loc[mask, "population"].sum()), f"people living in the {int(mask.sum())} "
                      f"municipalities where more than {args[0]} % have a Dutch background (1 January 2022)",
                      claims.vintage("cbs_kwb2022_gemeente_origin"))


@claims.check("growth_pct_of_claims", kind=INTERNAL, arguments=("claim id of the start", "claim id of the end"))
def _growth_pct(args, claim, ledger) -> Recomputed:
    start, end = claims.claim_value(ledger, args[0]), claims.claim_value(ledger, args[1])
    return Recomputed(100 * (end / start - 1), f"growth from the document's own {args[0]} to {args[1]}",
                      "the source document's own figures")
