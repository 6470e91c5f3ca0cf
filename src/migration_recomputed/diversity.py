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
import json
import re
import unicodedata
from functools import lru_cache

import pandas as pd

from . import claims, data
from .claims import BOUND, INDEPENDENT, INTERNAL, Recomputed
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
    series = _flows().set_index("year")[variable]
    series = series.loc[int(first):int(last)]
    if side not in ("above", "below"):
        raise ValueError("the second argument must be 'above' or 'below'")
    hits = series > float(threshold) if side == "above" else series < float(threshold)
    return Recomputed(float(hits.sum()), f"years {first}-{last} with {variable} {side} {float(threshold):,.0f} "
                      f"(of {len(series)}): {', '.join(map(str, series[hits].index)) or 'none'}",
                      claims.vintage("cbs_nl_migration_flows"))


@claims.check("nl_flow", kind=INDEPENDENT, arguments=("CBS flow variable",))
def _nl_flow(args, claim, ledger) -> Recomputed:
    series = _flows().set_index("year")[args[0]]
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
    records = record_years(_flows())
    inside = records[(records >= int(args[0])) & (records <= int(args[1]))]
    return Recomputed(float(len(inside)), f"years {args[0]}-{args[1]} in which immigration exceeded every earlier "
                      f"year since 1900: {', '.join(map(str, inside)) or 'none'}", claims.vintage("cbs_nl_migration_flows"))


@claims.check("net_migration_above_natural_increase", kind=INDEPENDENT, arguments=("first year", "last year"))
def _net_above_natural(args, claim, ledger) -> Recomputed:
    wide = _flows().set_index("year").loc[int(args[0]):int(args[1])]
    hits = wide["net_migration_incl_admin_corrections"] > wide["natural_increase"]
    return Recomputed(float(hits.sum()), f"years {args[0]}-{args[1]} in which net migration exceeded births minus "
                      f"deaths: {', '.join(map(str, wide.index[hits])) or 'none'}", claims.vintage("cbs_nl_migration_flows"))


@claims.check("top_motive_years", kind=INDEPENDENT, arguments=("motive", "first year", "last year"))
def _top_motive_years(args, claim, ledger) -> Recomputed:
    motive, first, last = args
    top = _cached("motives")["top"].loc[int(first):int(last)]
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
    table = _cached("background").set_index("year")
    year = claims.ref_year(claim)
    return Recomputed(float(table.at[year, "share_pct"]), f"people with a migration background as % of the "
                      f"population on 1 January {year} (old classification)",
                      claims.vintage("cbs_nl_population_by_migration_background"))


@claims.check("migration_background_growth", kind=INDEPENDENT, arguments=("first year", "last year"))
def _background_growth(args, claim, ledger) -> Recomputed:
    table = _cached("background").set_index("year")
    first, last = int(args[0]), int(args[1])
    value = table.at[last, "migration_background_total"] - table.at[first, "migration_background_total"]
    return Recomputed(float(value), f"people with a migration background on 1 January {last} minus {first}",
                      claims.vintage("cbs_nl_population_by_migration_background"))


@lru_cache(maxsize=None)
def _derived(what: str, root: str) -> pd.DataFrame:
    """A table several checks recompute, made once per data folder (the checks only read it)."""
    if what == "municipal":
        return municipal_diversity(data.load("cbs_kwb2022_gemeente_origin"))
    if what == "flows":
        return national_flows(data.load("cbs_nl_migration_flows"), 1900)
    if what == "profile":
        return municipal_profile(_derived("municipal", root))
    if what == "motives":
        return top_motive(motives_by_year(data.load("cbs_nl_immigration_by_motive"))).to_frame("top")
    if what == "background":
        return migration_background(data.load("cbs_nl_population_by_migration_background"))
    if what == "national":
        return national_index(data.load("cbs_kwb_national_origin_groups"))
    if what == "stay":
        return stay_table(data.load("seed003_tabel2_1_length_of_stay"))
    if what == "asylum":
        return asylum_by_year(data.load("unhcr_asylum_nld"))
    raise KeyError(what)


def _cached(what: str) -> pd.DataFrame:
    return _derived(what, str(data.book_root())).copy()


def _municipal() -> pd.DataFrame:
    return _cached("municipal")


def _flows() -> pd.DataFrame:
    return _cached("flows")


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
    table = _cached("national").set_index("year")
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


# --- the map: a TopoJSON written from the boundaries' arcs -------------------------------------

MAP_QUANTUM = 0.001  # degrees: the grid of the cartomap/nl file (about 70 by 110 m)


def _arc_indices(part) -> set[int]:
    """Every arc a TopoJSON geometry's nested lists use (~i, a negative index, is arc i reversed)."""
    if isinstance(part, int):
        return {part if part >= 0 else ~part}
    return set().union(*(_arc_indices(item) for item in part)) if part else set()


def _renumbered(part, renumber: dict[int, int]):
    if isinstance(part, int):
        return renumber[part] if part >= 0 else ~renumber[~part]
    return [_renumbered(item, renumber) for item in part]


def municipal_topojson(boundaries: pd.DataFrame, arcs: pd.DataFrame, object_name: str = "municipalities") -> str:
    """The 345 municipalities as one TopoJSON text (the statcode as each feature's id): each border
    is stored once as a quantised, delta-encoded arc, which makes it about half the size of the
    same shapes as GeoJSON. A text, not nested lists: Altair passes it on without copying it, and
    Vega-Lite reads it with format {"type": "topojson", "feature": object_name}."""
    points = [json.loads(text) for text in arcs.sort_values("arc")["points"]]
    if list(arcs.sort_values("arc")["arc"]) != list(range(len(points))):
        raise ValueError("the arcs must be numbered 0, 1, 2, ... without gaps")
    rings = [json.loads(text) for text in boundaries["arcs"]]
    used = sorted(_arc_indices(rings))
    renumber = {old: new for new, old in enumerate(used)}  # the file carries arcs no municipality uses
    points = [points[i] for i in used]
    x0 = min(x for arc in points for x, _ in arc)
    y0 = min(y for arc in points for _, y in arc)
    encoded = []
    for arc in points:
        grid = [(round((x - x0) / MAP_QUANTUM), round((y - y0) / MAP_QUANTUM)) for x, y in arc]
        # a point that falls on its predecessor's grid cell adds nothing (ends are kept)
        kept = [grid[0]] + [p for p, q in zip(grid[1:-1], grid[:-2]) if p != q] + [grid[-1]]
        encoded.append([list(kept[0])] + [[b[0] - a[0], b[1] - a[1]] for a, b in zip(kept, kept[1:])])
    geometries = [{"type": row.geometry_type, "arcs": _renumbered(ring, renumber), "id": row.statcode}
                  for row, ring in zip(boundaries.itertuples(), rings)]
    topology = {"type": "Topology", "transform": {"scale": [MAP_QUANTUM, MAP_QUANTUM], "translate": [x0, y0]},
                "objects": {object_name: {"type": "GeometryCollection", "geometries": geometries}}, "arcs": encoded}
    return json.dumps(topology, separators=(",", ":"))


# --- the foreign-born by country of birth (UN DESA) ----------------------------------------------

# The report's "big four" classic origins (L1581-1583) and, with the big three European ones
# (Indonesia/Dutch East Indies, Germany, Belgium; L1583-1584), its seven classic origins. The
# former Netherlands Antilles are four entries of the UN's list.
ANTILLES = ["Curaçao", "Aruba", "Sint Maarten (Dutch part)", "Bonaire, Sint Eustatius and Saba"]
CLASSIC_FOUR = ["Turkey", "Morocco", "Suriname", *ANTILLES]
CLASSIC_SEVEN = [*CLASSIC_FOUR, "Indonesia", "Germany", "Belgium"]


def foreign_born(stocks: pd.DataFrame) -> pd.DataFrame:
    """People living in the Netherlands born in each other country (UN DESA IMS 2019), with the
    four Caribbean parts of the former Netherlands Antilles also shown as one group."""
    table = stocks[stocks.destination == "Netherlands"][["year", "origin", "migrant_stock"]].copy()
    table["group"] = table["origin"].where(~table["origin"].isin(ANTILLES), "Former Netherlands Antilles")
    return table.reset_index(drop=True)


def origin_diversity(born_abroad: pd.DataFrame, population: pd.Series) -> pd.DataFrame:
    """Per UN year: origin countries listed, the foreign-born, the classic origins' shares, and two
    indices (1 - sum of squared shares): over the countries of birth of the foreign-born, and over
    the whole population with everyone born in the Netherlands as one group. `population`: the
    population by year (CBS, 1 January; the UN's stocks are for mid-year)."""
    rows = []
    for year, part in born_abroad.groupby("year"):
        total = part["migrant_stock"].sum()
        shares = part["migrant_stock"] / total
        people = float(population[year])
        whole = pd.concat([part["migrant_stock"], pd.Series([people - total])]) / people
        rows.append({"year": int(year), "origins": int((part["migrant_stock"] > 0).sum()), "foreign_born": int(total),
                     "foreign_born_pct": 100 * total / people,
                     "classic_four_pct": 100 * part.loc[part.origin.isin(CLASSIC_FOUR), "migrant_stock"].sum() / total,
                     "classic_seven_pct": 100 * part.loc[part.origin.isin(CLASSIC_SEVEN), "migrant_stock"].sum() / total,
                     "index_foreign_born": float(1 - (shares ** 2).sum()),
                     "index_population": float(1 - (whole ** 2).sum())})
    return pd.DataFrame(rows)


# --- the report's municipality typology ----------------------------------------------------------

CLASSIC_GROUPS = ["turkish", "moroccan", "surinamese", "antillean_aruban"]
# Short names of the types for chart axes (a phone has room for about twenty characters)
TYPE_SHORT = {0: "Average", 1: "Majority-minority cities", 2: "Suburbs", 3: "Large provincial cities",
              4: "One large minority group", 5: "Expat municipalities", 6: "Horticultural", 7: "Border municipalities",
              8: "Homogeneous"}


def municipal_profile(municipal: pd.DataFrame) -> pd.DataFrame:
    """municipal_diversity() plus the western share and the classic four's share of everyone
    without a Dutch background (both %)."""
    table = municipal.copy()
    table["western_pct"] = 100 * table["western"] / table["population"]
    table["classic_pct_of_non_dutch"] = 100 * table[CLASSIC_GROUPS].sum(axis=1) / (table["population"] - table["dutch"])
    return table


def national_shares(municipal: pd.DataFrame) -> dict[str, float]:
    """The same measures for the Netherlands as a whole (sums over the municipalities)."""
    total = municipal[[*KWB_GROUPS, "population"]].sum()
    return {"dutch_share_pct": 100 * total["dutch"] / total["population"],
            "western_pct": 100 * total["western"] / total["population"],
            "classic_pct_of_non_dutch": 100 * total[CLASSIC_GROUPS].sum() / (total["population"] - total["dutch"]),
            "index": float(_index(total[list(KWB_GROUPS)].to_frame().T).iloc[0])}


def typology_examples(typology: pd.DataFrame, municipal: pd.DataFrame) -> pd.DataFrame:
    """Every example municipality the report names, with the 2022 measures of the municipality
    that holds it (two named ones may share one: Leerdam and Zederik are both in Vijfheerenlanden)."""
    columns = ["statcode", "index", "rank", "population", "dutch_share_pct", "western_pct", "classic_pct_of_non_dutch"]
    typology = typology.astype({"merged_into_2022": object, "also_at": object}).fillna({"merged_into_2022": "", "also_at": ""})
    return typology.merge(municipal_profile(municipal)[columns], left_on="statcode_2022", right_on="statcode",
                          how="left", validate="many_to_one").drop(columns="statcode")


def type_sentence(statcode: str, municipality: str, typology: pd.DataFrame) -> str:
    """How the report types a municipality of 2022, in one sentence for its profile."""
    named = typology[typology.statcode_2022 == statcode].astype({"merged_into_2022": object}).fillna({"merged_into_2022": ""})
    if named.empty:
        return f"The report names {municipality} as an example of none of its types of municipality."
    parts = []
    for written, rows in named.groupby("municipality_as_written", sort=False):
        kinds = " and of ".join(("an average municipality" if row.type_number == 0 else row.type_en.lower())
                                + f" (line {row.seed_line})" for row in rows.itertuples())
        now = "" if written == municipality else (f", now part of {municipality}," if rows.merged_into_2022.iloc[0]
                                                   else f" (its name for {municipality})")
        parts.append(f"{written}{now} as an example of {kinds}")
    return "The report names " + "; and ".join(parts) + "."


# --- Tabel 2.1: length of stay ---------------------------------------------------------------------

def stay_table(stay: pd.DataFrame) -> pd.DataFrame:
    """Tabel 2.1 with the share that left within five years and the row sum (both from the
    table's own numbers)."""
    table = stay.copy()
    table["left_within_5_years_pct"] = table["stay_under_2_years_pct"] + table["stay_2_to_5_years_pct"]
    table["row_sum_pct"] = table[["stay_under_2_years_pct", "stay_2_to_5_years_pct", "stay_over_5_years_pct"]].sum(axis=1)
    return table


# --- asylum applications in the Netherlands (UNHCR) -----------------------------------------------

def asylum_by_year(unhcr: pd.DataFrame) -> pd.DataFrame:
    """Applications per year: new (app_type N, from 2006), repeat (R, from 2010), the series before
    2006 (V), all of them, and 'first': new applications, before 2006 the only series there is."""
    wide = unhcr.pivot_table(index="year", columns="app_type", values="applied", aggfunc="sum", fill_value=0)
    for code in ("N", "R", "V"):
        if code not in wide:
            wide[code] = 0
    table = pd.DataFrame({"year": wide.index.astype(int), "new": wide["N"].to_numpy(), "repeat": wide["R"].to_numpy(),
                          "before_2006": wide["V"].to_numpy(), "all": wide.sum(axis=1).to_numpy()})
    table["first"] = table["new"].where(table["year"] >= 2006, table["before_2006"])
    return table.reset_index(drop=True)


def asylum_by_origin(unhcr: pd.DataFrame, top: int, first: int, last: int) -> tuple[pd.DataFrame, list[str]]:
    """Applications of all types per year and origin: the `top` origins of `first`-`last` by
    name, every other origin as "Other origins"; the named origins in order of size."""
    totals = unhcr[unhcr.year.between(first, last)].groupby("coo_name")["applied"].sum().sort_values(ascending=False)
    named = [name for name in totals.index if name != "Unknown"][:top]
    table = unhcr.assign(origin=unhcr["coo_name"].where(unhcr["coo_name"].isin(named), "Other origins"))
    table = table.groupby(["year", "origin"], as_index=False)["applied"].sum()
    return table, named


# --- checks of the later sections --------------------------------------------------------------

MEASURES = {"dutch_share_pct": "a share with a Dutch background (%)", "western_pct": "a share with a western background (%)",
            "classic_pct_of_non_dutch": "a share of the four classic non-western groups among everyone without a "
                                        "Dutch background (%)",
            "index": "an index"}


def _measure(table: pd.DataFrame, measure: str) -> pd.Series:
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; known: {', '.join(MEASURES)}")
    return table[measure]


@claims.check("municipalities_where", kind=INDEPENDENT,
              arguments=("measure", "above or below", "a number, 'national' or 'median'", "GM codes joined by +"))
def _municipalities_where(args, claim, ledger) -> Recomputed:
    measure, side, threshold, codes = args
    everyone = _cached("profile")
    if threshold == "national":
        level, said = national_shares(_municipal())[measure], "the national figure"
    elif threshold == "median":
        level, said = float(_measure(everyone, measure).median()), f"the median of the {len(everyone)} municipalities"
    else:
        level, said = float(threshold), ""
    if side not in ("above", "below"):
        raise ValueError("the second argument must be 'above' or 'below'")
    named = everyone.set_index("statcode").loc[_codes(codes)]
    values = _measure(named, measure)
    hits = values > level if side == "above" else values < level
    shown = ", ".join(f"{name} {value:.{3 if measure == 'index' else 1}f}{'' if hit else ' (not)'}"
                      for name, value, hit in zip(named["municipality"], values, hits))
    level_text = f"{level:.{3 if measure == 'index' else 1}f}"
    return Recomputed(float(hits.sum()), f"of {len(named)} municipalities, those with {MEASURES[measure]} {side} "
                      + (f"{said} ({level_text})" if said else level_text) + f": {shown}. 1 January 2022, the "
                      "municipalities of that date, seven origin groups; the report describes 2015 with eighteen",
                      claims.vintage("cbs_kwb2022_gemeente_origin"))


@claims.check("largest_classic_group", kind=INDEPENDENT, arguments=("GM code=KWB group, joined by +",))
def _largest_classic_group(args, claim, ledger) -> Recomputed:
    table = _municipal().set_index("statcode")
    pairs = [part.split("=") for part in args[0].split("+")]
    found = []
    for code, group in pairs:
        if group not in CLASSIC_GROUPS:
            raise ValueError(f"{group!r} is not one of {CLASSIC_GROUPS}")
        largest = table.loc[code, CLASSIC_GROUPS].astype(float).idxmax()
        found.append((table.at[code, "municipality"], group, largest))
    hits = sum(group == largest for _, group, largest in found)
    return Recomputed(float(hits), "municipalities whose largest of the four classic non-western groups is the one "
                      "the report names: " + "; ".join(f"{name}: {KWB_GROUPS[largest]}"
                                                       + ("" if group == largest else f" (not {KWB_GROUPS[group]})")
                                                       for name, group, largest in found)
                      + " (1 January 2022; merged municipalities are counted in the municipality of 2022)",
                      claims.vintage("cbs_kwb2022_gemeente_origin"))


@claims.check("typology_types", kind=INTERNAL)
def _typology_types(args, claim, ledger) -> Recomputed:
    typology = data.load("seed003_municipality_typology")
    types = typology.loc[typology.type_number >= 1, "type_en"].unique()
    return Recomputed(float(len(types)), f"types of municipality the report describes with examples (Kader 2.3, "
                      f"section 3.4): {', '.join(types)}", "the source document's own list")


def _stay_row(row: str, cohort: str) -> pd.Series:
    table = _cached("stay")
    mask = table.type_nl.eq("Totaal") if row == "total" else table.type_number.eq(int(row))
    found = table[mask & table.cohort.eq(cohort)]
    if len(found) != 1:
        raise ValueError(f"Tabel 2.1 has no single row {row!r} for cohort {cohort!r}")
    return found.iloc[0]


STAY_MEASURES = {"under_2": "stay_under_2_years_pct", "left_within_5": "left_within_5_years_pct",
                 "over_5": "stay_over_5_years_pct"}
STAY_WORDS = {"under_2": "left within two years", "left_within_5": "left within five years",
              "over_5": "stayed more than five years"}


@claims.check("tabel21", kind=INTERNAL, arguments=("type number or 'total'", "cohort", "under_2, left_within_5 or over_5"))
def _tabel21(args, claim, ledger) -> Recomputed:
    row, cohort, measure = args
    found = _stay_row(row, cohort)
    column = STAY_MEASURES[measure]
    parts = (f" ({found.stay_under_2_years_pct:.1f} + {found.stay_2_to_5_years_pct:.1f})"
             if measure == "left_within_5" else "")
    return Recomputed(float(found[column]), f"Tabel 2.1, row '{found.type_nl}', cohort {cohort}: "
                      f"{STAY_WORDS[measure]} (%){parts}", "the source document's own table")


@claims.check("tabel21_cohorts_above", kind=INTERNAL, arguments=("type number", "under_2, left_within_5 or over_5", "percent"))
def _tabel21_cohorts_above(args, claim, ledger) -> Recomputed:
    row, measure, threshold = args
    found = {cohort: _stay_row(row, cohort) for cohort in ("1999-2005", "2006-2010")}
    values = {cohort: float(item[STAY_MEASURES[measure]]) for cohort, item in found.items()}
    hits = [cohort for cohort, value in values.items() if value > float(threshold)]
    name = found["1999-2005"]["type_nl"]
    return Recomputed(float(len(hits)), f"Tabel 2.1, row '{name}', the cohorts in which more than {threshold} % "
                      f"{STAY_WORDS[measure]}: " + ", ".join(f"{cohort} {value:.1f} %" for cohort, value in values.items()),
                      "the source document's own table")


TABEL71_COLUMNS = {"job_search_pct": "looking for work, discrimination experienced without doubt (%)",
                   "job_search_incl_doubt_pct": "looking for work, including doubt (%)",
                   "working_conditions_pct": "at work, without doubt (%)",
                   "working_conditions_incl_doubt_pct": "at work, including doubt (%)"}


@claims.check("tabel71", kind=INTERNAL, arguments=("origin group as printed", "column of Tabel 7.1"))
def _tabel71(args, claim, ledger) -> Recomputed:
    table = data.load("seed003_tabel7_1_discrimination").set_index("origin_group_nl")
    group, column = args
    if column not in TABEL71_COLUMNS:
        raise ValueError(f"unknown column {column!r}; known: {', '.join(TABEL71_COLUMNS)}")
    return Recomputed(float(table.at[group, column]), f"Tabel 7.1, {group} ({table.at[group, 'origin_group_en']}): "
                      f"{TABEL71_COLUMNS[column]}",
                      "the source document's own table")


@claims.check("claim_above", kind=INTERNAL, arguments=("claim id", "threshold"))
def _claim_above(args, claim, ledger) -> Recomputed:
    value = claims.claim_value(ledger, args[0])
    return Recomputed(float(value > float(args[1])), f"whether the document's own {args[0]} ({value:g}) exceeds "
                      f"{args[1]} (1 = yes, 0 = no)", "the source document's own figures")


@claims.check("claim_value_of", kind=INTERNAL, arguments=("claim id",))
def _claim_value_of(args, claim, ledger) -> Recomputed:
    return Recomputed(claims.claim_value(ledger, args[0]), f"the document's own figure {args[0]}",
                      "the source document's own figures")


@claims.check("ratio_of_claims", kind=INTERNAL, arguments=("claim id of the numerator", "claim id of the denominator"))
def _ratio_of_claims(args, claim, ledger) -> Recomputed:
    top, bottom = claims.claim_value(ledger, args[0]), claims.claim_value(ledger, args[1])
    return Recomputed(top / bottom, f"the document's own {args[0]} divided by {args[1]} ({top:,.0f} / {bottom:,.0f})",
                      "the source document's own figures")


@claims.check("product_of_claims", kind=INTERNAL, arguments=("claim ids joined by *",))
def _product_of_claims(args, claim, ledger) -> Recomputed:
    parts = args[0].split("*")
    value = 1.0
    for part in parts:
        value *= claims.claim_value(ledger, part)
    return Recomputed(value, "the document's own " + " times ".join(parts), "the source document's own figures")


def _asylum() -> pd.DataFrame:
    return _cached("asylum").set_index("year")


@claims.check("asylum_rank", kind=INDEPENDENT, arguments=("first year", "last year"))
def _asylum_rank(args, claim, ledger) -> Recomputed:
    year = claims.ref_year(claim)
    series = _asylum().loc[int(args[0]):int(args[1]), "first"]
    rank = int((series > series[year]).sum() + 1)
    top = series.sort_values(ascending=False).head(3)
    return Recomputed(float(rank), f"rank of {year} among {args[0]}-{args[1]} by new asylum applications lodged in the "
                      f"Netherlands (UNHCR, app_type N): " + ", ".join(f"{y} {v:,.0f}" for y, v in top.items()),
                      claims.vintage("unhcr_asylum_nld"))


@claims.check("asylum_rises", kind=INDEPENDENT, arguments=("first year", "last year"))
def _asylum_rises(args, claim, ledger) -> Recomputed:
    series = _asylum()["first"]
    years = range(int(args[0]), int(args[1]) + 1)
    rises = [year for year in years if series[year] > series[year - 1]]
    return Recomputed(float(len(rises)), f"years {args[0]}-{args[1]} with more new asylum applications than the year "
                      "before (UNHCR): " + ", ".join(f"{y} {series[y]:,.0f}" for y in [years[0] - 1, *years]),
                      claims.vintage("unhcr_asylum_nld"))


@claims.check("asylum_applications", kind=INDEPENDENT, arguments=("new or all",))
def _asylum_applications(args, claim, ledger) -> Recomputed:
    year, column = claims.ref_year(claim), args[0]
    if column not in ("new", "all"):
        raise ValueError("the argument must be 'new' or 'all'")
    row = _asylum().loc[year]
    what = ("new asylum applications (app_type N)" if column == "new"
            else f"asylum applications of every type (new {row['new']:,.0f}, repeat {row['repeat']:,.0f})")
    return Recomputed(float(row[column]), f"{what} lodged in the Netherlands in {year} (UNHCR)",
                      claims.vintage("unhcr_asylum_nld"))


@claims.check("eu27_asylum_bound", kind=BOUND, arguments=("first year", "last year"))
def _eu27_bound(args, claim, ledger) -> Recomputed:
    table = data.load("eurostat_asylum_nld")
    years = table[(table.geo_iso3 == "EU27") & table.year.between(int(args[0]), int(args[1]))]
    return Recomputed(float(years["asylum_applicants"].sum()), f"asylum applicants in the whole EU27 in "
                      f"{args[0]}-{args[1]} (Eurostat; one member state cannot have received more)",
                      claims.vintage("eurostat_asylum_nld"))


# --- charts with a reader control -------------------------------------------------------------

INDEX_TITLE = "Index (chance that two inhabitants differ in origin)"


def ranked_chart(ranked: pd.DataFrame, focus_statcode: str, threshold: float):
    """Every municipality's diversity index against its rank, with a menu that picks the
    municipality drawn large and labelled (default: `focus_statcode`, the chapter's parameter).

    ranked: one row per municipality with rank, statcode, municipality, index and report_type
    (the report's types, "" for none; those are ringed). A reader looking for their own
    municipality among 345 dots needs it named, not a re-run of the chapter."""
    import altair as alt

    from . import charts

    missing = {"rank", "statcode", "municipality", "index", "report_type"} - set(ranked.columns)
    if missing:
        raise ValueError(f"ranked_chart: the table lacks column(s) {sorted(missing)}")
    # alphabetical as a reader expects it: case and accents ignored, "'s-Gravenhage" under S
    menu = ranked.sort_values("municipality", key=lambda names: names.map(
        lambda name: unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().lstrip("'")))
    pick = charts.reader_control("municipality_pick", focus_statcode, list(menu["statcode"]),
                                 labels=list(menu["municipality"]), label="Municipality ")
    picked = f"datum.statcode === {pick.name}"
    x_rank, y_index = alt.X("rank:Q", title="Rank (1 = most diverse)"), alt.Y("index:Q", title=INDEX_TITLE)
    tooltip = [alt.Tooltip("rank:Q"), alt.Tooltip("municipality:N"), alt.Tooltip("index:Q", format=".3f"),
               alt.Tooltip("dutch_share_pct:Q", format=".1f", title="Dutch background (%)"),
               alt.Tooltip("report_type:N", title="The report's type")]
    # aria=False on the marks drawn by the hundred: the description carries their values.
    everyone = alt.Chart().mark_point(filled=True, size=20, color=charts.OKABE_ITO[0], aria=False).encode(
        x=x_rank, y=y_index, tooltip=tooltip).properties(height=300)
    rings = alt.Chart().mark_point(filled=False, color="black", size=90, strokeWidth=1, aria=False).encode(
        x=x_rank, y=y_index).transform_filter("datum.report_type !== ''")
    rule = alt.Chart().mark_rule(color="black", strokeDash=[4, 3], aria=False).encode(
        y=alt.YDatum(threshold, axis=alt.Axis(title=INDEX_TITLE)))
    chosen = alt.Chart().transform_filter(picked).mark_point(
        filled=True, size=160, color=charts.OKABE_ITO[5], stroke="black", strokeWidth=0.8).encode(
        x=x_rank, y=y_index, tooltip=tooltip)
    # The name sits where the falling curve leaves room: right of the dot in the first half,
    # below and left of it in the second.
    half = int(ranked["rank"].max()) // 2
    label = "datum.municipality + ' ' + format(datum.index, '.3f')"
    names = [alt.Chart().transform_filter(f"{picked} && datum.rank {side} {half}").transform_calculate(
        label=label).mark_text(align=align, baseline=baseline, dx=dx, dy=dy, fontSize=12, fontWeight="bold",
                               color=charts.TEXT_COLOR).encode(x=x_rank, y=y_index, text=alt.Text("label:N"))
        for side, align, baseline, dx, dy in (("<=", "left", "middle", 10, 0), (">", "right", "top", -4, 8))]
    return alt.layer(everyone, rings, rule, chosen, *names, data=ranked).add_params(pick)
