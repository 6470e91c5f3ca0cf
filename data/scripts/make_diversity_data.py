"""Rebuild the data files of chapter 3 (Dutch diversity, the WRR report of 2020) from the files
the project's data scouts made.

The scouts' files were made by scripts that read pinned commits of public repositories (their
PROVENANCE.md names each repository, commit and path; data/datapackage.json repeats them per
resource). This script only copies and trims: it keeps the rows chapter 3 reads and writes the
values as they stand (nothing is rounded or recomputed). The project never reads these folders at
build or test time; run this by hand, then refresh the hashes:

    python data/scripts/make_diversity_data.py \\
        --cbs  <folder whose data/ holds the scouts' CBS files (kwb2022_*, cbs_nl_*, cbs85458_*)> \\
        --maps <folder holding cbs_gemeente_2022_cartomap_wgs84.geojson>
    python data/scripts/update_datapackage_hashes.py

Files written (data/ relative):
    external/cbs_nl_migration_flows_1900_2024.csv
    external/cbs_nl_immigration_by_motive_1999_2024.csv
    external/cbs_nl_population_by_migration_background_1972_2025.csv
    external/cbs_kwb2022_gemeente_origin.csv
    external/cbs_kwb2022_denhaag_wijk_origin.csv
    external/cbs_kwb_national_origin_groups_2017_2024.csv
    external/cbs85458_gemeente_origin_2022_2025.csv
    maps/cbs_gemeente_2022_boundaries.csv
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from data_files import read, write
# 85458NED: the three origin groups of CBS's new classification, which add up to the total
NEW_CLASSIFICATION_METRICS = ["total_population", "herkomst-nederland", "herkomst-europa-excl-nl",
                              "herkomst-buiten-europa"]


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


def make_map(maps: Path) -> None:
    collection = json.loads((maps / "cbs_gemeente_2022_cartomap_wgs84.geojson").read_text(encoding="utf-8"))
    rows = [{"statcode": feature["properties"]["statcode"], "statnaam": feature["properties"]["statnaam"],
             # the geometry as it stands, as compact JSON (coordinates unchanged)
             "geometry_geojson": json.dumps(feature["geometry"], separators=(",", ":"))}
            for feature in collection["features"]]
    write(pd.DataFrame(rows).sort_values("statcode"), "maps/cbs_gemeente_2022_boundaries.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cbs", type=Path, required=True)
    parser.add_argument("--maps", type=Path, required=True)
    arguments = parser.parse_args()
    make_cbs(arguments.cbs)
    make_map(arguments.maps)


if __name__ == "__main__":
    main()
