"""Rebuild the data files of chapter 3 (Dutch diversity, the WRR report of 2020) from the files
the project's data scouts made and from the report's own lines.

The scouts' files were made by scripts that read pinned commits of public repositories (their
PROVENANCE.md names each repository, commit and path; data/datapackage.json repeats them per
resource). This script only copies and trims them: it keeps the rows chapter 3 reads and writes the
values as they stand (nothing is rounded or recomputed). The report's tables are parsed from the
seed's own lines, and each row keeps its seed_line; where a table is text (the policy tables, the
municipality typology), the Dutch words are written here and the script stops unless they stand
on the lines it cites (spaces, hyphens and footnote numbers ignored). The English translations are
the book's. The project never reads these folders at build or test time; run this by hand, then
refresh the hashes:

    python data/scripts/make_diversity_data.py \\
        --cbs   <folder whose data/ holds the scouts' CBS and Eurostat files (kwb2022_*, cbs_nl_*, cbs85458_*)> \\
        --maps  <folder holding cbs_gemeente_2022_cartomap_wgs84.topojson> \\
        --seeds <folder holding 003_301f203c46596c65.txt>
    python data/scripts/update_datapackage_hashes.py

Files written (data/ relative):
    external/cbs_nl_migration_flows_1900_2024.csv
    external/cbs_nl_immigration_by_motive_1999_2024.csv
    external/cbs_nl_population_by_migration_background_1972_2025.csv
    external/cbs_kwb2022_gemeente_origin.csv
    external/cbs_kwb2022_denhaag_wijk_origin.csv
    external/cbs_kwb_national_origin_groups_2017_2024.csv
    external/cbs85458_gemeente_origin_2022_2025.csv
    external/eurostat_asylum_applicants_nld_eu27_2011_2024.csv
    maps/cbs_gemeente_2022_boundaries.csv      each municipality's TopoJSON geometry (its arcs)
    maps/cbs_gemeente_2022_arcs.csv            the arcs they share, decoded to longitude/latitude
    seeds/seed003_municipality_typology.csv    the eight types (and the "average" municipality)
                                               with every example municipality the report names
    seeds/seed003_tabel2_1_length_of_stay.csv  Tabel 2.1 (L2107-2139)
    seeds/seed003_tabel7_1_discrimination.csv  Tabel 7.1 (L7174-7209)
    seeds/seed003_tabel4_1_integration_models.csv   Tabel 4.1 (L3406-3538)
    seeds/seed003_tabel4_2_model_limits.csv    Tabel 4.2 (L4216-4233)
    seeds/seed003_policy_timeline.csv          Tabel 4.3 (L4266-4354), one row per measure
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pandas as pd

from data_files import read, seed_lines, write
# 85458NED: the three origin groups of CBS's new classification, which add up to the total
NEW_CLASSIFICATION_METRICS = ["total_population", "herkomst-nederland", "herkomst-europa-excl-nl",
                              "herkomst-buiten-europa"]
SEED003 = "003_301f203c46596c65.txt"


def copy(folder: Path, name: str, relative: str) -> None:
    write(read(folder / name), relative)


def make_cbs(cbs: Path) -> None:
    folder = cbs / "data"
    copy(folder, "cbs_nl_population_migration_flows_1899_2024.csv", "external/cbs_nl_migration_flows_1900_2024.csv")
    copy(folder, "cbs_nl_immigration_by_motive_1999_2024.csv", "external/cbs_nl_immigration_by_motive_1999_2024.csv")
    copy(folder, "cbs_nl_population_by_migration_background_1972_2025.csv",
         "external/cbs_nl_population_by_migration_background_1972_2025.csv")
    copy(folder, "kwb2022_gemeente_origin_long.csv", "external/cbs_kwb2022_gemeente_origin.csv")
    copy(folder, "kwb2022_denhaag_wijk_origin_long.csv", "external/cbs_kwb2022_denhaag_wijk_origin.csv")
    copy(folder, "kwb_national_origin_groups_2017_2024.csv", "external/cbs_kwb_national_origin_groups_2017_2024.csv")
    new = read(folder / "cbs85458_gemeente_origin_2022_2025.csv")
    new = new[new.metric.isin(NEW_CLASSIFICATION_METRICS)]
    # Voorne aan Zee (GM1992) was formed on 1 January 2023: CBS has no count for it in 2022
    empty = new[new["count"].isna()]
    if set(zip(empty.year, empty.gemeente_code)) - {("2022", "GM1992")}:
        raise SystemExit(f"cbs85458: empty counts beyond Voorne aan Zee 2022:\n{empty}")
    new = new.dropna(subset=["count"])
    write(new, "external/cbs85458_gemeente_origin_2022_2025.csv")
    # Eurostat migr_asyappctza (via iom/gdidata): the Netherlands and the EU27 by citizenship, as it stands
    asylum = read(folder / "eurostat_asyappctza_nld_eu27_by_citizenship_2011_2024.csv")
    write(asylum.sort_values(["geo_iso3", "year", "citizenship_iso3"]),
          "external/eurostat_asylum_applicants_nld_eu27_2011_2024.csv")


def make_map(maps: Path) -> None:
    """The TopoJSON of cartomap/nl as two tables: each municipality's geometry (the indices of its
    arcs, as they stand) and the arcs, decoded from the file's quantised, delta-encoded integers to
    longitude and latitude with its own transform. Chapter 3 writes a TopoJSON again from them:
    shared borders are stored once, which keeps the page light."""
    topology = json.loads((maps / "cbs_gemeente_2022_cartomap_wgs84.topojson").read_text(encoding="utf-8"))
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for number, arc in enumerate(topology["arcs"]):
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append([round(x * scale_x + shift_x, 6), round(y * scale_y + shift_y, 6)])
        arcs.append({"arc": number, "points": json.dumps(points, separators=(",", ":"))})
    geometries = topology["objects"]["gemeente_2022"]["geometries"]
    rows = [{"statcode": item["properties"]["statcode"], "statnaam": item["properties"]["statnaam"],
             "geometry_type": item["type"], "arcs": json.dumps(item["arcs"], separators=(",", ":"))}
            for item in geometries]
    if len(rows) != 345 or len({row["statcode"] for row in rows}) != 345:
        raise SystemExit("the TopoJSON should hold the 345 municipalities of 2022 once each")
    write(pd.DataFrame(rows).sort_values("statcode"), "maps/cbs_gemeente_2022_boundaries.csv")
    write(pd.DataFrame(arcs), "maps/cbs_gemeente_2022_arcs.csv")


# --- the report's tables and lists ------------------------------------------------------------

def _plain(text: str) -> str:
    """Text as compared with the seed: no spaces, hyphens or footnote numbers after a bracket or a
    full stop, lower case (the PDF extract breaks words over lines and inside words)."""
    text = re.sub(r"(?<=[)a-z.])\d{1,3}(?=[\s,.]|$)", "", text)
    return re.sub(r"[\s\-\u2010\u2011\u00ad]", "", text).lower()


def _stands(lines: list[str], first: int, last: int, words: str, what: str) -> None:
    found = _plain(" ".join(lines[first - 1:last]))
    if _plain(words) not in found:
        raise SystemExit(f"{SEED003}: {what}: '{words}' does not stand on L{first}-{last}")


TYPES = {  # Kader 2.3 (L1954-2061), the Dutch names as the box writes them; English: the book's
    0: ("gemiddelde Nederlandse gemeente", "Average municipality", 1956),
    1: ("Meerderheid-minderheden steden", "Majority-minority cities", 1960),
    2: ("Voorsteden", "Suburbs", 1966),
    3: ("Grootstedelijke provinciegemeenten", "Large provincial cities", 1972),
    4: ("Middelgrote gemeenten met een specifieke grote minderheidsgroep",
        "Medium-sized municipalities with one large minority group", 1978),
    5: ("Expatgemeenten", "Expat municipalities", 2042),
    6: ("Tuinbouwgemeenten", "Horticultural municipalities", 2049),
    7: ("Grensgemeenten", "Border municipalities", 2054),
    8: ("Homogene gemeenten", "Homogeneous municipalities", 2059),
}
# Every example municipality the report names for a type: (type, as written, first line, last line
# of the mention, where). Kader 2.3 stands twice in the extract (L1954-2007 and L2009-2061); the
# first copy is cited. Repeated mentions of the same municipality for the same type are listed in
# also_at by make_typology().
TYPOLOGY = [
    (0, "Oegstgeest", 1957, 1957, "Kader 2.3"), (0, "Soest", 1957, 1957, "Kader 2.3"),
    (0, "Huizen", 1957, 1957, "Kader 2.3"), (0, "Weert", 1957, 1957, "Kader 2.3"),
    (0, "Oosterhout", 1957, 1957, "Kader 2.3"), (0, "Hengelo", 1958, 1958, "Kader 2.3"),
    (0, "Hoogezand-Sappemeer", 1958, 1958, "Kader 2.3"), (0, "Middelburg", 1958, 1958, "Kader 2.3"),
    (0, "Heerhugowaard", 1958, 1958, "Kader 2.3"),
    (1, "Amsterdam", 1960, 1960, "Kader 2.3"), (1, "Rotterdam", 1960, 1960, "Kader 2.3"),
    (1, "Den Haag", 1962, 1962, "Kader 2.3"),
    (1, "Den Haag", 601, 602, "chapter 1"), (1, "Amsterdam", 601, 602, "chapter 1"),
    (1, "Rotterdam", 601, 602, "chapter 1"),
    (1, "Amsterdam", 3053, 3053, "section 3.4"), (1, "Rotterdam", 3053, 3053, "section 3.4"),
    (1, "Den Haag", 3053, 3053, "section 3.4"),
    (2, "Capelle aan den IJssel", 1966, 1966, "Kader 2.3"), (2, "Diemen", 1966, 1966, "Kader 2.3"),
    (2, "Rijswijk", 1966, 1966, "Kader 2.3"),
    (2, "Diemen", 605, 606, "chapter 1"), (2, "Rijswijk", 605, 606, "chapter 1"),
    (2, "Capelle aan den IJssel", 605, 606, "chapter 1"),
    (2, "Amstelveen", 3050, 3050, "section 3.4: a suburb of Amsterdam with many expats"),
    (2, "Schiedam", 3095, 3095, "section 3.4: the suburb of Rotterdam"),
    (2, "Zoetermeer", 3095, 3096, "section 3.4: the suburb of Den Haag"),
    (2, "Veldhoven", 3098, 3098, "section 3.4: a suburb with a large firm (ASML) whose staff live in Eindhoven"),
    (3, "Utrecht", 1972, 1972, "Kader 2.3"), (3, "Eindhoven", 1972, 1972, "Kader 2.3"),
    (3, "Amersfoort", 1973, 1973, "Kader 2.3"), (3, "Leiden", 1973, 1973, "Kader 2.3"),
    (3, "Arnhem", 1973, 1973, "Kader 2.3"),
    (3, "Utrecht", 3121, 3121, "section 3.4"), (3, "Haarlem", 3121, 3121, "section 3.4"),
    (3, "Dordrecht", 3121, 3121, "section 3.4"), (3, "Nijmegen", 3122, 3122, "section 3.4"),
    (3, "Enschede", 3122, 3122, "section 3.4"),
    (3, "Arnhem", 3131, 3131, "section 3.4: its largest group has a Turkish background"),
    (3, "Tilburg", 3132, 3132, "section 3.4: its largest group has a Somali background"),
    (3, "Groningen", 3132, 3132, "section 3.4: its largest group has an Antillean background"),
    (3, "Eindhoven", 3133, 3133, "section 3.4: recruiting knowledge migrants"),
    (4, "Leerdam", 1979, 1979, "Kader 2.3"), (4, "Gouda", 1979, 1979, "Kader 2.3"),
    (4, "Almelo", 1979, 1979, "Kader 2.3"), (4, "Den Helder", 1979, 1979, "Kader 2.3"),
    (4, "Delfzijl", 1979, 1979, "Kader 2.3"),
    (4, "Gouda", 3142, 3142, "section 3.4: Moroccan workers"),
    (4, "Leerdam", 3143, 3143, "section 3.4: Turkish workers"),
    (4, "Almelo", 3143, 3143, "section 3.4: Turkish workers"),
    (4, "Den Helder", 3143, 3143, "section 3.4: many Antilleans"),
    (4, "Delfzijl", 3143, 3143, "section 3.4: many Antilleans"),
    (4, "Culemborg", 3158, 3158, "Kader 3.5: a large Moroccan community"),
    (4, "Hengelo", 611, 611, "chapter 1: a former industrial town with many 'classic' migrants, named with "
                             "Gouda and Leerdam (the same report lists Hengelo as average in Kader 2.3)"),
    (5, "Amstelveen", 2042, 2042, "Kader 2.3"), (5, "Wassenaar", 2042, 2042, "Kader 2.3"),
    (5, "Voorschoten", 2042, 2042, "Kader 2.3"),
    (5, "Amstelveen", 612, 612, "chapter 1"), (5, "Wassenaar", 613, 613, "chapter 1"),
    (5, "Voorschoten", 613, 613, "chapter 1"), (5, "Wageningen", 613, 613, "chapter 1"),
    (5, "Amstelveen", 3178, 3178, "section 3.4"), (5, "Wassenaar", 3178, 3178, "section 3.4"),
    (5, "Voorschoten", 3179, 3179, "section 3.4"), (5, "Wageningen", 3179, 3179, "section 3.4"),
    (6, "Westland", 2049, 2049, "Kader 2.3"), (6, "Zundert", 2049, 2049, "Kader 2.3"),
    (6, "Zeewolde", 2049, 2049, "Kader 2.3"), (6, "Horst aan de Maas", 2049, 2050, "Kader 2.3"),
    (6, "Westland", 609, 609, "chapter 1"), (6, "Zundert", 609, 609, "chapter 1"),
    (6, "Westland", 3196, 3196, "section 3.4"), (6, "Zundert", 3197, 3197, "section 3.4"),
    (6, "Zeewolde", 3197, 3197, "section 3.4"), (6, "Horst aan de Maas", 3197, 3197, "section 3.4"),
    (6, "Montferland", 3230, 3230, "Kader 3.6: hotels let to an agency for workers from Central and Eastern Europe"),
    (7, "Vaals", 2054, 2054, "Kader 2.3"), (7, "Kerkrade", 2054, 2054, "Kader 2.3"),
    (7, "Terneuzen", 2054, 2054, "Kader 2.3"), (7, "Baarle-Nassau", 2054, 2055, "Kader 2.3"),
    (7, "Kerkrade", 615, 615, "chapter 1"), (7, "Vaals", 615, 615, "chapter 1"),
    (7, "Baarle-Nassau", 615, 615, "chapter 1"),
    (7, "Vaals", 3240, 3240, "section 3.4"), (7, "Kerkrade", 3241, 3241, "section 3.4"),
    (7, "Heerlen", 3253, 3253, "Kader 3.7: Parkstad Limburg, Germans living just across the border"),
    (7, "Kerkrade", 3254, 3254, "Kader 3.7"),
    (7, "Landgraaf", 3254, 3254, "Kader 3.7: Parkstad Limburg"),
    (7, "Brunssum", 3254, 3254, "Kader 3.7: Parkstad Limburg"),
    (7, "Voerendaal", 3254, 3254, "Kader 3.7: Parkstad Limburg"),
    (7, "Simpelveld", 3254, 3254, "Kader 3.7: Parkstad Limburg"),
    (7, "Beekdaelen", 3254, 3254, "Kader 3.7: Parkstad Limburg"),
    (8, "Urk", 2059, 2059, "Kader 2.3"), (8, "Staphorst", 2059, 2059, "Kader 2.3"),
    (8, "Grootegast", 2059, 2059, "Kader 2.3"),
    (8, "Urk", 616, 616, "chapter 1: hardly any inhabitants with a migration background"),
    (8, "Grootegast", 616, 616, "chapter 1"), (8, "Staphorst", 616, 616, "chapter 1"),
    (8, "Zederik", 3269, 3269, "section 3.4"), (8, "Twenterand", 3269, 3269, "section 3.4"),
    (8, "Staphorst", 3269, 3269, "section 3.4"),
]
# Municipalities the report names that no longer existed on 1 January 2022 (CBS's 2022 boundaries,
# those of the book's data): the 2022 municipality that took them in (the book's addition).
MERGED_BY_2022 = {"Hoogezand-Sappemeer": ("Midden-Groningen", 2018), "Heerhugowaard": ("Dijk en Waard", 2022),
                  "Leerdam": ("Vijfheerenlanden", 2019), "Delfzijl": ("Eemsdelta", 2021),
                  "Grootegast": ("Westerkwartier", 2019), "Zederik": ("Vijfheerenlanden", 2019)}
NAMES_2022 = {"Den Haag": "'s-Gravenhage"}


def make_typology(lines: list[str], municipalities: pd.DataFrame) -> pd.DataFrame:
    for number, (dutch, _, line) in TYPES.items():
        _stands(lines, line, line + 1, dutch, f"type {number}")
    codes = dict(zip(municipalities["name"], municipalities["code"]))
    rows: dict[tuple[int, str], dict] = {}
    for number, written, first, last, where in TYPOLOGY:
        _stands(lines, first, last, written, f"type {number} example")
        key = (number, written)
        if key in rows:
            rows[key]["also_at"] += f", {first}" if first == last else f", {first}-{last}"
            continue
        merged = MERGED_BY_2022.get(written)
        name_2022 = merged[0] if merged else NAMES_2022.get(written, written)
        if name_2022 not in codes:
            raise SystemExit(f"{written}: {name_2022!r} is not a municipality of 2022")
        dutch, english, _ = TYPES[number]
        rows[key] = {"type_number": number, "type_nl": dutch, "type_en": english, "municipality_as_written": written,
                     "municipality_2022": name_2022, "statcode_2022": codes[name_2022],
                     "merged_into_2022": f"merged into {merged[0]} in {merged[1]}" if merged else "",
                     "where": where, "seed_line": first, "also_at": ""}
    table = pd.DataFrame(rows.values())
    table["also_at"] = table["also_at"].str.removeprefix(", ")
    return table.sort_values(["type_number", "seed_line", "municipality_as_written"])


# Tabel 2.1 (L2107-2139): each row's name (Dutch as printed), English, its type of TYPES (or
# none), the line of its six numbers
TABEL21_ROWS = [
    ("Meerderheid-minderheden steden (G3)", "Majority-minority cities (G3)", 1, 2114, 2117),
    ("Grootstedelijke provinciegemeenten", "Large provincial cities", 3, 2119, 2122),
    ("Voorsteden", "Suburbs", 2, 2124, 2124),
    ("Gemeenten met één grote minderheidsgroep", "Municipalities with one large minority group", 4, 2126, 2129),
    ("Expatgemeenten", "Expat municipalities", 5, 2131, 2131),
    ("Tuinbouwgemeenten", "Horticultural municipalities", 6, 2133, 2133),
    ("Grensgemeenten", "Border municipalities", 7, 2135, 2135),
    ("Overige 359 gemeenten", "Other 359 municipalities", None, 2137, 2137),
    ("Totaal", "Total", None, 2139, 2139),
]
NUMBER = r"(\d{1,2},\d)"


def _dutch_decimal(text: str) -> float:
    return float(text.replace(",", "."))


def make_tabel21(lines: list[str]) -> pd.DataFrame:
    _stands(lines, 2107, 2108, "Tabel 2.1 Verblijfstermijn naar typologie gemeenten, cohort 1999-2005 en 2006-2010 (in %)",
            "Tabel 2.1 title")
    _stands(lines, 2110, 2110, "Cohort 1995-2005 Cohort 2006-2010", "Tabel 2.1 header")
    rows = []
    for dutch, english, number, name_line, value_line in TABEL21_ROWS:
        _stands(lines, name_line, value_line, dutch, "Tabel 2.1 row")
        values = re.findall(NUMBER, lines[value_line - 1])
        if len(values) != 6:
            raise SystemExit(f"{SEED003}: L{value_line} should hold six numbers of Tabel 2.1: {lines[value_line - 1]!r}")
        for cohort, header, part in (("1999-2005", "Cohort 1995-2005", values[:3]), ("2006-2010", "Cohort 2006-2010", values[3:])):
            rows.append({"type_nl": dutch, "type_en": english, "type_number": number, "cohort": cohort,
                         "cohort_as_headed": header, "stay_under_2_years_pct": _dutch_decimal(part[0]),
                         "stay_2_to_5_years_pct": _dutch_decimal(part[1]),
                         "stay_over_5_years_pct": _dutch_decimal(part[2]), "seed_line": value_line})
    table = pd.DataFrame(rows)
    table["type_number"] = table["type_number"].astype("Int64")  # the last two rows are no type
    return table


TABEL71_ROWS = [  # (Dutch as printed, English, first line of the name, line of the numbers)
    ("Marokko", "Morocco", 7179, 7179), ("Turkije", "Turkey", 7181, 7181), ("Suriname", "Suriname", 7183, 7183),
    ("Antillen", "Antilles", 7185, 7185),
    ("Overig niet-Europees/-Angelsaksisch", "Other non-European/non-Anglo-Saxon", 7187, 7190),
    ("Midden- en Oost-Europa", "Central and Eastern Europe", 7192, 7195),
    ("Overige Europese/Angelsaksische migratieachtergrond", "Other European/Anglo-Saxon", 7197, 7201),
    ("Nederland", "Dutch background", 7203, 7203),
]


def make_tabel71(lines: list[str]) -> pd.DataFrame:
    _stands(lines, 7174, 7175, "Tabel 7.1 Ervaren discriminatie op de arbeidsmarkt in 2018, naar deelterrein en "
            "herkomstgroep*", "Tabel 7.1 title")
    _stands(lines, 7177, 7177, "Zoeken naar werk** Arbeidsvoorwaarden***", "Tabel 7.1 header")
    rows = []
    for dutch, english, name_line, value_line in TABEL71_ROWS:
        _stands(lines, name_line, value_line, dutch, "Tabel 7.1 row")
        match = re.search(r"(\d+)% \((\d+)%\) (\d+)% \((\d+)%\)\s*$", lines[value_line - 1])
        if not match:
            raise SystemExit(f"{SEED003}: L{value_line} is not a row of Tabel 7.1: {lines[value_line - 1]!r}")
        job, job_doubt, terms, terms_doubt = map(int, match.groups())
        rows.append({"origin_group_nl": dutch, "origin_group_en": english, "job_search_pct": job,
                     "job_search_incl_doubt_pct": job_doubt, "working_conditions_pct": terms,
                     "working_conditions_incl_doubt_pct": terms_doubt, "seed_line": value_line})
    return pd.DataFrame(rows)


TABEL41 = [  # one row per model: Dutch cells as they stand (words joined), the book's English
    dict(model_nl="Laissez-faire-beleid", model_en="Laissez-faire policy", period="1960-1975",
         migration_nl="Productiegerichte arbeidsmigratie uit Zuid-Europa, Turkije en de Maghreb, en postkoloniale "
                      "migratie van Zuid-Molukkers",
         migration_en="Production-driven labour migration from Southern Europe, Turkey and the Maghreb; postcolonial "
                      "migration of South Moluccans",
         diagnosis_nl="Migranten verblijven tijdelijk", diagnosis_en="Migrants stay for a while only",
         integration_nl="Integratie is geen overheidstaak", integration_en="Integration is not a task of government",
         remedy_nl="Lokale aandacht voor huisvesting", remedy_en="Local attention to housing",
         design_nl="Specifiek beleid voor gastarbeiders", design_en="Specific policy for guest workers (gastarbeiders)",
         seed_line=3420, seed_line_last=3445),
    dict(model_nl="Multicultureel beleid", model_en="Multicultural policy", period="1975-1990",
         migration_nl="Gezinshereniging, postkoloniale migratie uit Suriname en de Antillen",
         migration_en="Family reunification (gezinshereniging); postcolonial migration from Suriname and the Antilles",
         diagnosis_nl="Migranten blijven: inpassing migranten in Nederlandse samenleving",
         diagnosis_en="Migrants stay: they have to find a place in Dutch society",
         integration_nl="Integratie met behoud van eigen cultuur en identiteit, overheidscommunicatie in eigen taal",
         integration_en="Integration while keeping one's own culture and identity; government information in "
                        "migrants' own languages",
         remedy_nl="Subsidiëring zelforganisaties, onderwijs in eigen taal en cultuur",
         remedy_en="Subsidies for migrants' own organisations (zelforganisaties); teaching in their own language "
                   "and culture",
         design_nl="Specifiek beleid voor minderheden", design_en="Specific policy for minorities (minderhedenbeleid)",
         seed_line=3447, seed_line_last=3478),
    dict(model_nl="Achterstandsbeleid", model_en="Disadvantage policy (achterstandsbeleid)", period="1990-2000",
         migration_nl="Gezinsvorming, asielmigratie", migration_en="Family formation (gezinsvorming); asylum migration",
         diagnosis_nl="Sociaal-economische achterstanden bij specifieke groepen",
         diagnosis_en="Socio-economic disadvantage of specific groups",
         integration_nl="Evenredige sociaal-economische participatie",
         integration_en="Proportional socio-economic participation",
         remedy_nl="Wegwerken van achterstanden in huisvesting, taal en opleiding",
         remedy_en="Closing the gaps in housing, language and education",
         design_nl="Algemeen beleid en specifiek beleid voor achterstandsgroepen",
         design_en="General policy plus specific policy for disadvantaged groups",
         seed_line=3480, seed_line_last=3507),
    dict(model_nl="Burgerschapsbeleid", model_en="Citizenship policy (burgerschapsbeleid)", period="2000-heden",
         migration_nl="Asielmigratie, eu-arbeidsmigratie, kennismigratie",
         migration_en="Asylum migration; labour migration from the EU; knowledge migration (kennismigratie)",
         diagnosis_nl="Iedereen moet participeren in de Nederlandse samenleving",
         diagnosis_en="Everyone has to take part in Dutch society",
         integration_nl="Migranten dienen een bijdrage te leveren aan de samenleving, zelfredzaamheid",
         integration_en="Migrants should contribute to society; self-reliance (zelfredzaamheid)",
         remedy_nl="Focus op sociaal-culturele inburgering, naast aandacht voor sociaal-economische participatie",
         remedy_en="Focus on socio-cultural civic integration (inburgering), alongside socio-economic participation",
         design_nl="Algemeen beleid", design_en="General (mainstream) policy",
         seed_line=3509, seed_line_last=3538),
]

TABEL42 = [
    ("Laissez-faire", "Laissez-faire policy",
     "Bij sommige groepen is arbeidsdeelname precair. Sociale samenhang komt niet vanzelf tot stand.",
     "For some groups labour participation (arbeidsdeelname) is precarious. Social cohesion does not come about "
     "by itself.", 4221, 4222),
    ("Multicultureel beleid", "Multicultural policy",
     "Lastig toepasbaar vanwege de grote verscheidenheid naar herkomst en de gemiddeld kortere verblijfsduur van "
     "migranten. Kan averechts werken voor samenhang.",
     "Hard to apply given the great diversity of origin (verscheidenheid) and migrants' shorter stays on average. "
     "Can work against cohesion.", 4224, 4226),
    ("Achterstandsbeleid", "Disadvantage policy (achterstandsbeleid)",
     "Veel ‘nieuwe’ migranten hebben geen sociaal-economische achterstanden. Geen aandacht voor samenhang.",
     "Many 'new' migrants have no socio-economic disadvantage. No attention to cohesion.", 4228, 4229),
    ("Burgerschapsbeleid", "Citizenship policy (burgerschapsbeleid)",
     "Veel ‘nieuwe’ migranten zijn tijdelijk en hebben geen behoefte aan staatsburgerschap. Weinig aandacht voor "
     "lokale vormen van samenhang.",
     "Many 'new' migrants are temporary and do not need citizenship. Little attention to local forms of cohesion.",
     4231, 4233),
]

EMPHASES = {  # Tabel 4.3: policy emphasis (Dutch, English), the kind of migration open to policy, lines
    "Actief wervingsbeleid": ("Active recruitment", "Arbeidsmigratie van laaggeschoolden",
                              "Labour migration of the low-skilled", 4275, 4280),
    "Liberaal migratiebeleid": ("Liberal migration policy",
                                "Irreguliere migratie, gezinshereniging, postkoloniale migratie uit Suriname",
                                "Irregular migration; family reunification; postcolonial migration from Suriname",
                                4299, 4307),
    "Restrictief migratiebeleid": ("Restrictive migration policy", "Irreguliere migratie, gezinsvorming, asielmigratie",
                                   "Irregular migration; family formation; asylum migration", 4319, 4325),
    "Selectief migratiebeleid": ("Selective migration policy", "Asielmigratie, arbeidsmigratie van hoger opgeleiden",
                                 "Asylum migration; labour migration of the highly educated", 4336, 4342),
}
TABEL43 = [  # (emphasis, measure as printed, English, years the measure names, note, lines)
    ("Actief wervingsbeleid",
     "Tot de recessie van 1966/1967 hadden migranten de mogelijkheid om met een toeristenvisum gedurende twee weken "
     "werk te zoeken in Nederland (de zogenoemde spontanen-regeling).",
     "Until the recession of 1966/1967 migrants could look for work in the Netherlands for two weeks on a tourist "
     "visa (the 'spontaneous' scheme, spontanen-regeling)", (1966, 1967), "", 4282, 4286),
    ("Actief wervingsbeleid",
     "Wervingsovereenkomsten met mediterrane landen: Italië (1960), Spanje (1961), Portugal (1963), Turkije (1964), "
     "Griekenland (1966), Marokko (1969), Joegoslavië (1970) en Tunesië (1971)",
     "Recruitment agreements with Mediterranean countries: Italy (1960), Spain (1961), Portugal (1963), Turkey "
     "(1964), Greece (1966), Morocco (1969), Yugoslavia (1970) and Tunisia (1971)", (1960, 1971), "", 4288, 4292),
    ("Actief wervingsbeleid", "Introductie Wet Arbeidsvreemdelingen (wav) in 1969",
     "Introduction of the Aliens Employment Act (Wet arbeid vreemdelingen, WAV) in 1969", (1969, 1969),
     "The act of 1969 was the Wet arbeid buitenlandse werknemers; the report itself dates the Wet arbeid "
     "vreemdelingen to 1995 (L8351) and in the next row.", 4294, 4295),
    ("Actief wervingsbeleid", "Geen wervingen meer na 1975", "No more recruitment after 1975", (1975, 1975), "",
     4297, 4297),
    ("Liberaal migratiebeleid", "Regularisatie (1975, 1980) irreguliere arbeidsmigranten",
     "Regularisation of irregular labour migrants (1975, 1980)", (1975, 1980), "", 4309, 4310),
    ("Liberaal migratiebeleid", "Liberalisering regelgeving voor gezinsmigratie",
     "More liberal rules for family migration", (None, None), "", 4312, 4313),
    ("Liberaal migratiebeleid",
     "Toescheidingsovereenkomst inzake nationaliteiten tussen het Koninkrijk der Nederlanden en de Republiek Suriname",
     "Agreement between the Kingdom of the Netherlands and the Republic of Suriname on the allocation of nationality "
     "(toescheidingsovereenkomst)", (None, None), "The table gives no year; the agreement was made at Suriname's "
     "independence in 1975.", 4315, 4317),
    ("Restrictief migratiebeleid", "Nieuwe Wet Arbeid Vreemdelingen 1995",
     "New Aliens Employment Act (Wet arbeid vreemdelingen, WAV), 1995", (1995, 1995), "", 4327, 4327),
    ("Restrictief migratiebeleid",
     "Effectieve bestrijding illegaal verblijf (koppeling sofinummer aan belastingnummer 1991; Koppelingswet 1998)",
     "Fighting irregular residence (social-security number linked to the tax number, 1991; Linking Act, "
     "Koppelingswet, 1998)", (1991, 1998), "", 4328, 4331),
    ("Restrictief migratiebeleid", "Verscherping voorwaarden gezinsmigratie",
     "Stricter conditions for family migration", (None, None), "", 4333, 4333),
    ("Restrictief migratiebeleid", "Nieuwe vreemdelingenwet 2000", "New Aliens Act (Vreemdelingenwet 2000)",
     (2000, 2000), "", 4334, 4334),
    ("Selectief migratiebeleid", "Introductie Kennismigrantenregeling 2004",
     "Introduction of the knowledge-migrant scheme (kennismigrantenregeling), 2004", (2004, 2004), "", 4344, 4345),
    ("Selectief migratiebeleid", "Wet Modern Migratiebeleid 2010", "Modern Migration Policy Act (Wet modern "
     "migratiebeleid), 2010", (2010, 2010), "Adopted in 2010; in force from June 2013.", 4347, 4347),
    ("Selectief migratiebeleid", "Vereenvoudiging aanvraagprocedures studiemigratie",
     "Simpler application procedures for study migration", (None, None), "", 4348, 4350),
    ("Selectief migratiebeleid",
     "Strengere voorwaarden aan gezinsvorming (waaronder inburgeren in buitenland)",
     "Stricter conditions for family formation (among them civic integration abroad, inburgeren in het buitenland)",
     (None, None), "The report dates civic integration abroad to 2006 (L8566).", 4351, 4354),
]


def make_policy_tables(lines: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    _stands(lines, 3406, 3406, "Tabel 4.1 Nederlandse beleidsmodellen voor integratie (1960-heden)", "Tabel 4.1 title")
    for row in TABEL41:
        first, last = row["seed_line"], row["seed_line_last"]
        period = row["period"]
        for column in ("model_nl", "migration_nl", "diagnosis_nl", "integration_nl", "remedy_nl", "design_nl"):
            _stands(lines, first, last, row[column], f"Tabel 4.1 {row['model_nl']} {column}")
        _stands(lines, first, last, period, f"Tabel 4.1 {row['model_nl']} period")
    tabel41 = pd.DataFrame(TABEL41)
    _stands(lines, 4216, 4217, "Tabel 4.2 Beperkingen van bestaande beleidsmodellen voor de toegenomen verscheidenheid "
            "naar herkomst en verblijf", "Tabel 4.2 title")
    rows = []
    for model_nl, model_en, limits_nl, limits_en, first, last in TABEL42:
        _stands(lines, first, last, model_nl + " " + limits_nl, f"Tabel 4.2 {model_nl}")
        rows.append({"model_nl": model_nl, "model_en": model_en, "limits_nl": limits_nl, "limits_en": limits_en,
                     "seed_line": first, "seed_line_last": last})
    tabel42 = pd.DataFrame(rows)
    _stands(lines, 4266, 4266, "Tabel 4.3 Nederlands migratiebeleid (1960-heden)", "Tabel 4.3 title")
    rows = []
    for emphasis, measure_nl, measure_en, (year_first, year_last), note, first, last in TABEL43:
        emphasis_en, migration_nl, migration_en, e_first, e_last = EMPHASES[emphasis]
        _stands(lines, e_first, e_last, emphasis + " " + migration_nl, f"Tabel 4.3 {emphasis}")
        _stands(lines, first, last, measure_nl, f"Tabel 4.3 measure at L{first}")
        rows.append({"policy_emphasis_nl": emphasis, "policy_emphasis_en": emphasis_en,
                     "migration_nl": migration_nl, "migration_en": migration_en,
                     "measure_nl": measure_nl, "measure_en": measure_en,
                     "year_first": year_first, "year_last": year_last, "note_en": note,
                     "seed_line": first, "seed_line_last": last})
    tabel43 = pd.DataFrame(rows)
    for column in ("year_first", "year_last"):
        tabel43[column] = tabel43[column].astype("Int64")
    return tabel41, tabel42, tabel43


def make_seeds(seeds: Path) -> None:
    lines = seed_lines((seeds / SEED003).read_bytes())
    municipalities = read(Path(__file__).resolve().parents[1] / "external" / "cbs_kwb2022_gemeente_origin.csv")
    write(make_typology(lines, municipalities[["code", "name"]].drop_duplicates()),
          "seeds/seed003_municipality_typology.csv")
    write(make_tabel21(lines), "seeds/seed003_tabel2_1_length_of_stay.csv")
    write(make_tabel71(lines), "seeds/seed003_tabel7_1_discrimination.csv")
    tabel41, tabel42, tabel43 = make_policy_tables(lines)
    write(tabel41, "seeds/seed003_tabel4_1_integration_models.csv")
    write(tabel42, "seeds/seed003_tabel4_2_model_limits.csv")
    write(tabel43, "seeds/seed003_policy_timeline.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cbs", type=Path)
    parser.add_argument("--maps", type=Path)
    parser.add_argument("--seeds", type=Path)
    arguments = parser.parse_args()
    if not (arguments.cbs or arguments.maps or arguments.seeds):
        parser.error("give at least one of --cbs, --maps, --seeds")
    if arguments.cbs:
        make_cbs(arguments.cbs)
    if arguments.maps:
        make_map(arguments.maps)
    if arguments.seeds:
        make_seeds(arguments.seeds)


if __name__ == "__main__":
    main()
