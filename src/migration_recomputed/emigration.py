"""Chapter 2: emigration from Russia after 2022. Its tables (asylum applications by Russians,
Russia's population, where Russians live abroad, permits to Russians in Europe; data frames in,
data frames out) and its checks of the claims ledger (data/claims.csv, sources 001 and 002).

Counts of people who left Russia do not exist; what exists are registrations by the countries
they reached, each with its own definition. The functions keep those definitions apart:
UNHCR's asylum applications (claims, new or repeated or appealed; persons, or cases in the USA),
Eurostat's asylum applicants, first residence permits and resident citizens, CBS's registered
immigrants, and the UN's stock of people born in Russia."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pycountry

from . import data, indicators
from .claims import INDEPENDENT, INTERNAL, Recomputed, check, claim_value, ref_year, vintage

RUSSIA = "RUS"
NEW = "N"  # UNHCR application type: a new claim (R repeat, A appeal, other codes where not split)
SOVIET_UNION_ENDED = 1991  # the last year Russia was part of the Soviet Union (dissolved in December 1991)

# The 27 members of the European Union (since 2020), ISO 3166 alpha-3.
EU27 = ["AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
        "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE"]
EU27_CODE = "EU27"
# The destinations the article names (L17, L55-63, L11): former Soviet republics, Turkey, the EU,
# the Emirates (Dubai) and South Korea.
NAMED_DESTINATIONS = ["KAZ", "ARM", "GEO", "TUR", EU27_CODE, "KOR", "ARE"]

# Short English names where ISO 3166 (as pycountry spells it) or UNHCR is long or unfamiliar.
NAME_OVERRIDES = {"TUR": "Turkey", "SRB": "Serbia", "GBR": "United Kingdom", "USA": "United States",
                  "HKG": "Hong Kong", EU27_CODE: "European Union (27)", "RUS": "Russia"}

# Short labels (chart legends must fit a phone); the charts' subtitles say they are about Russians.
MEASURE_NEW = "UNHCR: new asylum claims"
MEASURE_ALL = "UNHCR: all asylum claims"
MEASURE_EUROSTAT_ASYLUM = "Eurostat: asylum applicants"
MEASURE_PERMITS = "Eurostat: first permits, all reasons"
MEASURE_EMPLOYMENT = "Eurostat: first permits for employment"


@lru_cache(maxsize=None)
def country_name(code: str) -> str:
    """A short English name for an ISO 3166 alpha-3 code (or EU27)."""
    if code in NAME_OVERRIDES:
        return NAME_OVERRIDES[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise KeyError(f"no ISO 3166 country has the code {code!r}")
    return getattr(country, "common_name", None) or country.name


THE = ("Netherlands", "United States", "United Kingdom", "United Arab Emirates", "European Union", "Philippines",
       "Dominican Republic", "Czech Republic", "Bahamas", "Maldives")


def in_prose(name: str) -> str:
    """A country's name as it stands in a sentence: 'the Netherlands', 'Germany'."""
    return f"the {name}" if name.startswith(THE) else name


# --- asylum applications (UNHCR) ------------------------------------------------------------------

def applications_by_host(applications: pd.DataFrame) -> pd.DataFrame:
    """Per year and country of asylum: all claims by Russians, new claims (app_type N), and whether
    the country reports cases rather than persons (the USA)."""
    frame = pd.DataFrame({
        "year": applications["year"].astype(int), "code": applications["coa_iso"].astype(str),
        "all_applications": applications["applied"].astype(int),
        "new_applications": applications["applied"].where(applications["app_type"] == NEW, 0).astype(int),
        "counts_cases": applications["app_pc"] == "C"})
    table = frame.groupby(["year", "code"], as_index=False).agg(
        all_applications=("all_applications", "sum"), new_applications=("new_applications", "sum"),
        counts_cases=("counts_cases", "max"))
    table["country"] = table["code"].map(country_name)
    return table[["year", "code", "country", "all_applications", "new_applications", "counts_cases"]]


def world_totals(by_host: pd.DataFrame) -> pd.DataFrame:
    """All and new applications by Russians per year, every country of asylum together (a sum that
    mixes the persons most countries count with the cases the USA counts)."""
    return by_host.groupby("year", as_index=False)[["all_applications", "new_applications"]].sum()


def destinations_ranked(by_host: pd.DataFrame, first_year: int, last_year: int,
                        measure: str = "all_applications") -> pd.DataFrame:
    """Countries of asylum ranked by the applications of Russians summed over first_year-last_year."""
    window = by_host[by_host.year.between(first_year, last_year)]
    summed = window.groupby(["code", "country"], as_index=False)[measure].sum()
    return indicators.rank_within(summed.assign(window=f"{first_year}-{last_year}"), measure, "window")


def host_series(by_host: pd.DataFrame, code: str) -> pd.DataFrame:
    """One country of asylum, every year of UNHCR's series (zeros where it reports nothing)."""
    years = pd.Index(range(int(by_host.year.min()), int(by_host.year.max()) + 1), name="year")
    rows = by_host[by_host.code == code].set_index("year")[["all_applications", "new_applications"]]
    return rows.reindex(years, fill_value=0).reset_index()


def year_against_earlier(by_host: pd.DataFrame, code: str, year: int, earlier_years: int,
                         measure: str = "new_applications") -> dict:
    """A year's applications set against the total of the `earlier_years` years before it, as far
    as UNHCR's series reaches back. rank: 1 if the year alone is larger, 2 if not. The years the
    series lacks could only add to the earlier total."""
    series = host_series(by_host, code).set_index("year")[measure]
    wanted_first = year - earlier_years
    first = max(wanted_first, int(series.index.min()))
    earlier = int(series.loc[first:year - 1].sum())
    count = int(series.get(year, 0))
    return {"count": count, "earlier_total": earlier, "first_year": first, "last_year": year - 1,
            "wanted_first_year": wanted_first, "years_missing": first - wanted_first,
            "rank": 1 if count > earlier else 2}


# --- the population of Russia (World Bank, UN WPP) ----------------------------------------------------

def population_gaps(population: pd.DataFrame, year: int, last_soviet_year: int = SOVIET_UNION_ENDED) -> pd.DataFrame:
    """For every Soviet year (to last_soviet_year), how many more people Russia had then than in `year`."""
    series = population.set_index("year")["population"].astype(float)
    then = series.loc[:last_soviet_year]
    return pd.DataFrame({"year": then.index.astype(int), "population": then.values,
                         "more_than_in_year": then.values - series[year]})


def population_components(wpp: pd.DataFrame, first_year: int) -> pd.DataFrame:
    """Natural change (births minus deaths) and modelled net migration, thousands, tidy (one row
    per year and component)."""
    frame = wpp[wpp.year >= first_year]
    wide = pd.DataFrame({"year": frame["year"].astype(int).values,
                         "Natural change (births minus deaths)": (frame["births_thousands"] - frame["deaths_thousands"]).astype(float).values,
                         "Net migration (UN model estimate)": frame["net_migration_thousands"].astype(float).values})
    return wide.melt(id_vars="year", var_name="component", value_name="thousands")


# --- where Russians live abroad -------------------------------------------------------------------

def _iso3_or_none(name: str) -> str | None:
    try:
        return indicators.iso3_from_name(name)
    except KeyError:  # a region of the UN's table ("South America"), not a country
        return None


def born_in_russia_abroad(bilateral: pd.DataFrame) -> pd.DataFrame:
    """UN DESA 2019: people born in Russia by country of residence (ISO3) and year, with an EU27 row."""
    born = bilateral[bilateral.origin == "Russian Federation"]
    codes = {name: _iso3_or_none(name) for name in born["destination"].unique()}
    table = pd.DataFrame({"year": born["year"].astype(int).values,
                          "code": born["destination"].map(codes).values,
                          "born_in_russia": born["migrant_stock"].astype(float).values}).dropna(subset=["code"])
    eu = table[table.code.isin(EU27)].groupby("year", as_index=False)["born_in_russia"].sum().assign(code=EU27_CODE)
    return pd.concat([table, eu], ignore_index=True)


def protection_abroad(population_of_concern: pd.DataFrame) -> pd.DataFrame:
    """UNHCR: refugees plus asylum-seekers from Russia, end of year, by country of asylum (Russia
    itself left out), with an EU27 row."""
    abroad = population_of_concern[population_of_concern.coa_iso != RUSSIA]
    table = pd.DataFrame({"year": abroad["year"].astype(int).values, "code": abroad["coa_iso"].astype(str).values,
                          "refugees_and_asylum_seekers": (abroad["refugees"] + abroad["asylum_seekers"]).astype(float).values})
    eu = (table[table.code.isin(EU27)].groupby("year", as_index=False)["refugees_and_asylum_seekers"].sum()
          .assign(code=EU27_CODE))
    return pd.concat([table, eu], ignore_index=True)


def host_row(protection: pd.DataFrame, code: str, year: int) -> float:
    """Refugees plus asylum-seekers from Russia in one country at the end of `year` (protection_abroad);
    0 where UNHCR has no row, i.e. reports none."""
    rows = protection[(protection.code == code) & (protection.year == year)]["refugees_and_asylum_seekers"]
    return float(rows.sum())


def destination_profile(born: pd.DataFrame, protection: pd.DataFrame, codes: list[str],
                        born_year: int, protection_years: list[int]) -> pd.DataFrame:
    """For each destination: people born in Russia (UN, born_year) and refugees plus asylum-seekers
    from Russia at the end of each of protection_years (UNHCR); missing where a source has no row."""
    table = pd.DataFrame({"code": codes})
    table["destination"] = table["code"].map(country_name)
    stock = born[born.year == born_year].set_index("code")["born_in_russia"]
    table[f"born_in_russia_{born_year}"] = table["code"].map(stock)
    for year in protection_years:
        people = protection[protection.year == year].set_index("code")["refugees_and_asylum_seekers"]
        table[f"protection_{year}"] = table["code"].map(people)
    return table


# --- permits and arrivals in Europe (Eurostat, CBS) -----------------------------------------------------

def first_permits(citizens: pd.DataFrame) -> pd.DataFrame:
    """Eurostat first residence permits to Russian citizens, all reasons: code, year, permits."""
    permits = citizens[(citizens.dataset == "migr_resfirst") & citizens["value"].notna()]
    return pd.DataFrame({"code": permits["geo"].map(indicators.iso3_from_name).values,
                         "year": permits["year"].astype(int).values,
                         "permits": permits["value"].astype(float).values})


def permit_jump(permits: pd.DataFrame, employment: pd.DataFrame, base_year: int, year: int) -> pd.DataFrame:
    """Per country: first permits to Russians in `year` divided by those in `base_year`, all reasons
    and for employment (tidy: one row per country and measure), ranked within each measure."""
    def ratio(frame: pd.DataFrame, value: str, measure: str) -> pd.DataFrame:
        wide = frame.pivot_table(index="code", columns="year", values=value, aggfunc="sum")
        if base_year not in wide or year not in wide:
            return pd.DataFrame(columns=["code", "measure", "base", "value", "ratio"])
        both = wide[[base_year, year]].dropna()
        both = both[both[base_year] > 0]
        return pd.DataFrame({"code": both.index, "measure": measure, "base": both[base_year].values,
                             "value": both[year].values, "ratio": (both[year] / both[base_year]).values})

    jobs = pd.DataFrame({"code": employment["iso3"], "year": employment["year"].astype(int),
                         "permits": employment["first_permits_employment_russia"].astype(float)})
    table = pd.concat([ratio(permits, "permits", MEASURE_PERMITS), ratio(jobs, "permits", MEASURE_EMPLOYMENT)],
                      ignore_index=True)
    table["country"] = table["code"].map(country_name)
    table["rank"] = table.groupby("measure")["ratio"].rank(ascending=False, method="min").astype(int)
    return table


def employment_series(employment: pd.DataFrame, code: str) -> pd.Series:
    """First permits for employment to Russians in one country, by year."""
    rows = employment[employment.iso3 == code]
    return pd.Series(rows["first_permits_employment_russia"].astype(float).values,
                     index=rows["year"].astype(int).values, name="employment_permits")


def host_measures(by_host: pd.DataFrame, eurostat_asylum: pd.DataFrame, permits: pd.DataFrame,
                  employment: pd.DataFrame, code: str, first_year: int) -> pd.DataFrame:
    """One host country's registrations of Russians per year from first_year, tidy (year, measure,
    value): UNHCR's new and all asylum claims, and where our files have the country, Eurostat's
    asylum applicants (the Netherlands only), first permits for every reason and for employment."""
    claims_ = host_series(by_host, code)
    parts = [pd.DataFrame({"year": claims_["year"], "measure": MEASURE_NEW, "value": claims_["new_applications"]}),
             pd.DataFrame({"year": claims_["year"], "measure": MEASURE_ALL, "value": claims_["all_applications"]})]
    asylum = eurostat_asylum[eurostat_asylum.geo_iso3 == code].groupby("year", as_index=False)["asylum_applicants"].sum()
    parts.append(pd.DataFrame({"year": asylum["year"], "measure": MEASURE_EUROSTAT_ASYLUM, "value": asylum["asylum_applicants"]}))
    first = permits[permits.code == code]
    parts.append(pd.DataFrame({"year": first["year"], "measure": MEASURE_PERMITS, "value": first["permits"]}))
    jobs = employment[employment.iso3 == code]
    parts.append(pd.DataFrame({"year": jobs["year"], "measure": MEASURE_EMPLOYMENT,
                               "value": jobs["first_permits_employment_russia"]}))
    table = pd.concat([part for part in parts if not part.empty], ignore_index=True)
    table["year"] = table["year"].astype(int)
    table["value"] = table["value"].astype(float)
    return table[table.year >= first_year].reset_index(drop=True)


def cbs_born_in_russia(cbs: pd.DataFrame, sex: str = "Totaal mannen en vrouwen") -> float:
    """CBS 60032: people arriving from Russia in 2022 who were born there."""
    row = cbs[(cbs.sex == sex) & (cbs.country_of_birth == "Land herkomst / vestiging")]
    if len(row) != 1:
        raise ValueError(f"CBS 60032 has {len(row)} rows for people born in Russia ({sex})")
    return float(row["immigration"].iloc[0])


# --- chapter 2's checks of the claims ledger ----------------------------------------------------------
# Each registers itself with the claims engine; the ledger row only names it.

@lru_cache(maxsize=None)
def _by_host(root: str) -> pd.DataFrame:
    return applications_by_host(data.load("unhcr_asylum_applications_russians"))


def _host_row(code: str, year: int) -> pd.Series:
    table = _by_host(str(data.book_root()))
    if code not in set(table.code):
        raise ValueError(f"UNHCR records no asylum application by Russians in {code}")
    return host_series(table, code).set_index("year").loc[year]


@check("unhcr_new_applications_by_russians", kind=INDEPENDENT, arguments=("ISO3 country of asylum",))
def _new_applications(args, claim, ledger) -> Recomputed:
    code, year = args[0], ref_year(claim)
    row = _host_row(code, year)
    return Recomputed(float(row["new_applications"]),
                      f"new asylum applications (UNHCR application type N) lodged by Russians in {in_prose(country_name(code))} "
                      f"in {year}; with repeat claims and appeals: {int(row['all_applications']):,}",
                      vintage("unhcr_asylum_applications_russians"))


@check("unhcr_new_applications_by_russians_ratio", kind=INDEPENDENT,
       arguments=("ISO3 country of asylum", "base year"))
def _new_applications_ratio(args, claim, ledger) -> Recomputed:
    code, base = args[0], int(args[1])
    year = ref_year(claim)
    now, then = _host_row(code, year), _host_row(code, base)
    if then["new_applications"] == 0:
        raise ValueError(f"UNHCR records no new application by Russians in {code} in {base}")
    return Recomputed(float(now["new_applications"] / then["new_applications"]),
                      f"new asylum applications by Russians in {in_prose(country_name(code))}, {year} "
                      f"({int(now['new_applications']):,}) divided by {base} ({int(then['new_applications']):,})",
                      vintage("unhcr_asylum_applications_russians"))


@check("unhcr_year_against_earlier_years", kind=INDEPENDENT,
       arguments=("ISO3 country of asylum", "number of earlier years"))
def _year_against_earlier(args, claim, ledger) -> Recomputed:
    code, years = args[0], int(args[1])
    year = ref_year(claim)
    found = year_against_earlier(_by_host(str(data.book_root())), code, year, years)
    missing = (f"; UNHCR's series starts in {found['first_year']}, so {found['years_missing']} of the {years} years "
               "are missing, which could only add to the earlier total") if found["years_missing"] else ""
    return Recomputed(float(found["rank"]),
                      f"new asylum applications by Russians in {in_prose(country_name(code))}: {found['count']:,} in {year} against "
                      f"{found['earlier_total']:,} in {found['first_year']}-{found['last_year']} combined; "
                      f"{year} comes {'first' if found['rank'] == 1 else 'second'}{missing}",
                      vintage("unhcr_asylum_applications_russians"))


def _russia_population(year: int) -> float:
    table = data.load("wdi_population_russia")
    row = table[table.year == year]
    if row.empty:
        raise ValueError(f"no World Bank population of Russia for {year}")
    return float(row["population"].iloc[0])


@check("russia_population", kind=INDEPENDENT)
def _population(args, claim, ledger) -> Recomputed:
    year = ref_year(claim)
    return Recomputed(_russia_population(year), f"population of Russia, {year} (SP.POP.TOTL)",
                      vintage("wdi_population_russia"))


@check("russia_population_decline_since", kind=INDEPENDENT, arguments=("base year",))
def _population_decline(args, claim, ledger) -> Recomputed:
    base, year = int(args[0]), ref_year(claim)
    then, now = _russia_population(base), _russia_population(year)
    return Recomputed(then - now, f"population of Russia in {base} ({then / 1e6:.2f} million) minus {year} "
                                  f"({now / 1e6:.2f} million), SP.POP.TOTL",
                      vintage("wdi_population_russia"))


@check("cbs_arrivals_born_in_russia", kind=INDEPENDENT)
def _cbs_arrivals(args, claim, ledger) -> Recomputed:
    year = ref_year(claim)
    table = data.load("cbs_arrivals_from_russia_2022")
    table = table[table.year == year]
    if table.empty:
        raise ValueError(f"our copy of CBS 60032 holds no year {year}")
    born = cbs_born_in_russia(table)
    everyone = float(table[(table.sex == "Totaal mannen en vrouwen") & (table.country_of_birth == "Totaal")]["immigration"].iloc[0])
    return Recomputed(born, f"CBS StatLine 60032: people arriving from Russia in {year} who were born in Russia "
                            f"(all arrivals from Russia, wherever born: {everyone:,.0f})",
                      "CBS (Statistics Netherlands), StatLine table 60032, as published for 2022")


@check("within_range_of_claims", kind=INTERNAL,
       arguments=("claim id of the range's lower end", "claim id of its upper end"))
def _within_range(args, claim, ledger) -> Recomputed:
    """The document's own value against a range the document gives elsewhere: the nearest point
    of the range (the value itself when it lies inside)."""
    low, high = claim_value(ledger, args[0]), claim_value(ledger, args[1])
    if low > high:
        raise ValueError(f"{args[0]} ({low:g}) is above {args[1]} ({high:g})")
    value = float(claim["value"])
    nearest = min(max(value, low), high)
    return Recomputed(nearest, f"the nearest point of the document's own range {args[0]} to {args[1]} "
                               f"({low:,.0f} to {high:,.0f}); the value itself when it lies inside",
                      "the source document's own figures")
