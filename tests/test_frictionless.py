"""The descriptor is a valid Frictionless Data Package by the standard's own validator, and the
validator agrees with the book's loader about the data (both must reject a broken file)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from frictionless import Package

REPO = Path(__file__).resolve().parents[1]


def test_datapackage_is_valid_by_the_frictionless_validator():
    report = Package(str(REPO / "data" / "datapackage.json")).validate()
    problems = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    problems += [error.message for error in report.errors]
    assert report.valid, "\n".join(problems[:20])


def test_frictionless_also_rejects_a_duplicate_key(tmp_path):
    shutil.copytree(REPO / "data", tmp_path / "data")
    path = tmp_path / "data" / "seeds" / "seed000_tabel2_remittances_2013.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")  # Uzbekistan twice
    descriptor = json.loads((tmp_path / "data" / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "seed000_tabel2_remittances")
    del resource["hash"], resource["bytes"]
    report = Package(descriptor, basepath=str(tmp_path / "data")).validate()
    types = {error.type for task in report.tasks for error in task.errors}
    assert not report.valid and "primary-key" in types, types
