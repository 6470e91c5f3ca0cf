"""Run every notebook in notebooks/ with papermill, with its defaults and other parameters,
and check the glued numbers against values computed here straight from the data files
(plain pandas, not the book's package), so a wrong computation in the chapter shows up."""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
CHAPTER_1 = REPO / "notebooks" / "01_russian_labour_migration.ipynb"

# Parameter sets every notebook must run with: its defaults, and at least one other.
PARAMETER_SETS = {
    "01_russian_labour_migration": [{}, {"focus_country": "Kyrgyzstan", "year": 2015}],
}


def execute(notebook: Path, folder: Path, parameters: dict):
    """Run `notebook` in `folder`; the kernel inherits BOOK_ROOT (set in conftest.py), which
    tells the chapter where data/ is."""
    output = folder / f"{notebook.stem}.out.ipynb"
    papermill.execute_notebook(
        str(notebook), str(output), parameters=parameters, cwd=str(folder), kernel_name="python3",
        progress_bar=False, log_output=False, request_save_on_cell_execute=False)
    return nbformat.read(output, as_version=4)


def glued(notebook) -> dict:
    """Glued values by name, read from the outputs myst-nb's glue() leaves in the notebook."""
    values = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if name and text is not None:
                try:
                    values[name] = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    values[name] = text
    return values


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Each notebook and parameter set executed once for the whole module."""
    results = {}
    for notebook in NOTEBOOKS:
        for index, parameters in enumerate(PARAMETER_SETS.get(notebook.stem, [{}])):
            folder = tmp_path_factory.mktemp(f"{notebook.stem}_{index}")
            results[(notebook.stem, index)] = (execute(notebook, folder, parameters), folder)
    return results


def test_every_notebook_has_two_parameter_sets():
    assert NOTEBOOKS
    for notebook in NOTEBOOKS:
        assert len(PARAMETER_SETS.get(notebook.stem, [])) >= 2, f"add parameter sets for {notebook.name}"


def csv(path: str) -> pd.DataFrame:
    return pd.read_csv(DATA / path, keep_default_na=False, na_values=[""])


def expected_chapter1(focus_country: str, year: int) -> dict:
    """The chapter's key numbers, recomputed from the CSV files with nothing but pandas."""
    tabel1 = csv("seeds/seed000_tabel1_cis_migrants_in_russia_2015.csv").set_index("country")
    tabel2 = csv("seeds/seed000_tabel2_remittances_2013.csv")
    population = csv("external/wdi_population_net_migration.csv")
    wdi = csv("external/wdi_remittances_oda_fdi_gdp.csv")
    rates = csv("external/wdi_official_exchange_rate.csv")
    code = tabel1.at[focus_country, "iso3"]
    row = wdi[(wdi.country_code == code) & (wdi.year == year)].iloc[0]
    wb_population = population[(population.country_code == code) & (population.year == 2015)]["population"].iloc[0]
    implied = tabel1.at[focus_country, "immigrants"] / tabel1.at[focus_country, "share_of_home_population_pct"] * 100
    return {
        "ch01_focus_country": focus_country,
        "ch01_year": year,
        "ch01_tabel1_total": int(tabel1["immigrants"].sum()),
        "ch01_focus_implied_population": implied,
        "ch01_focus_wb_population": float(wb_population),
        "ch01_focus_population_difference_pct": 100 * (implied - wb_population) / wb_population,
        "ch01_tabel2_total_bn": tabel2["total_usd"].sum() / 1e9,
        "ch01_focus_remittance_share": 100 * row["remittances_received_usd"] / row["gdp_current_usd"],
        "ch01_rouble_rate_2013": float(rates[(rates.country_code == "RUS") & (rates.year == 2013)]["lcu_per_usd"].iloc[0]),
        "ch01_implied_rouble_rate": 1e12 / 25e9,  # the seed's 1 trillion roubles for 25 bn US$ (claims S000-C20, C19)
    }


@pytest.mark.parametrize("index", [0, 1], ids=["defaults", "kyrgyzstan_2015"])
def test_chapter1_glued_numbers_match_the_data(runs, index):
    parameters = {"focus_country": "Tajikistan", "year": 2013} | PARAMETER_SETS[CHAPTER_1.stem][index]
    values = glued(runs[(CHAPTER_1.stem, index)][0])
    for name, expected in expected_chapter1(**parameters).items():
        assert name in values, f"{name} was not glued"
        if isinstance(expected, str):
            assert values[name] == expected, name
        else:
            assert values[name] == pytest.approx(expected, rel=1e-9), name


def test_chapter1_defaults_reproduce_the_seed_checks(runs):
    values = glued(runs[(CHAPTER_1.stem, 0)][0])
    # Tajikistan was the world's most remittance-dependent economy in 2013 (the seed's rank 1 holds)
    assert values["ch01_focus_remittance_rank"] == 1
    assert values["ch01_tjk_share_in_year"] == pytest.approx(43.77, abs=0.01)
    # Russia's 2013 rank by migrant stock differs by UN revision: 3 (WDI 2018), 2 (UN 2019), 4 (UN 2024)
    assert (values["ch01_rus_rank_2013_wdi2018"], values["ch01_rus_rank_2013_un2019"],
            values["ch01_rus_rank_2013_wdi2026"]) == (3, 2, 4)
    assert values["ch01_rus_rank_verdict"] == "depends on the data revision"
    assert values["ch01_claims_total"] == len(csv("claims.csv").query("chapter == 1"))
    assert (values["ch01_claims_confirmed"] + values["ch01_claims_close"] + values["ch01_claims_contradicted"]
            <= values["ch01_claims_checkable"])


def test_chapter1_follows_its_parameters(runs):
    defaults, kyrgyzstan = glued(runs[(CHAPTER_1.stem, 0)][0]), glued(runs[(CHAPTER_1.stem, 1)][0])
    assert kyrgyzstan["ch01_focus_country"] == "Kyrgyzstan"
    assert kyrgyzstan["ch01_focus_implied_population"] != defaults["ch01_focus_implied_population"]
    # the remittance chart's data marks the focus country
    chart = pd.read_csv(runs[(CHAPTER_1.stem, 1)][1] / "chart_data" / "ch01_remittances_share_cis.csv")
    assert set(chart.loc[chart.is_focus == "focus country", "country"]) == {"Kyrgyzstan"}


def test_chapter1_writes_every_chart_and_its_data(runs):
    folder = runs[(CHAPTER_1.stem, 0)][1] / "chart_data"
    source = (REPO / "book" / "chapters" / "01_russian_labour_migration.md").read_text(encoding="utf-8")
    for stem in ["ch01_implied_home_population", "ch01_remittances_share_cis",
                 "ch01_russia_migrant_stock_rank", "ch01_central_asians_in_russia"]:
        assert f"chart_data/{stem}.csv" in source, f"the chapter does not link {stem}.csv"
        table = pd.read_csv(folder / f"{stem}.csv")
        assert len(table) > 5, f"{stem}.csv is nearly empty"
        assert (folder / f"{stem}.svg").read_text().lstrip().startswith("<svg")


@pytest.mark.parametrize("parameters, named", [
    ({"focus_country": "Narnia"}, ["focus_country='Narnia'", "'Tajikistan'", "'Kyrgyzstan'"]),
    ({"year": 1850}, ["year", "1850", "2013"]),
    ({"year": "2013"}, ["year", "'2013'"]),
], ids=["unknown_country", "year_without_data", "year_as_text"])
def test_chapter1_rejects_a_bad_parameter_by_name(tmp_path, parameters, named):
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        execute(CHAPTER_1, tmp_path, parameters)
    assert failure.value.ename == "ParameterError"
    for text in named:
        assert text in failure.value.evalue, f"{text!r} not in: {failure.value.evalue}"


def test_chapter1_stops_on_a_malformed_data_file(tmp_path, monkeypatch):
    """A broken data file must stop the chapter with the file, row and column named,
    never draw a silently wrong chart."""
    shutil.copytree(DATA, tmp_path / "data")
    path = tmp_path / "data" / "seeds" / "seed000_tabel1_cis_migrants_in_russia_2015.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("999169", "-999169")  # Tajikistan, spreadsheet row 4
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    descriptor = tmp_path / "data" / "datapackage.json"
    # drop the recorded hash so that the schema check, not the hash check, speaks
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace(
        _recorded_hash("seed000_tabel1_cis_migrants"), ""), encoding="utf-8")
    monkeypatch.setenv("BOOK_ROOT", str(tmp_path))
    (tmp_path / "run").mkdir()
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        execute(CHAPTER_1, tmp_path / "run", {})
    assert failure.value.ename == "DataValidationError"
    message = failure.value.evalue
    for text in ["data/seeds/seed000_tabel1_cis_migrants_in_russia_2015.csv", "row 4", "column 'immigrants'",
                 "below the minimum 0"]:
        assert text in message, f"{text!r} not in: {message}"


def _recorded_hash(name: str) -> str:
    import json
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    return next(r["hash"] for r in package["resources"] if r["name"] == name)


def test_chapter1_charts_carry_a_static_fallback(runs):
    """Each glued chart holds interactive HTML for the web and a PNG for PDF and plain viewers."""
    charts = {}
    for cell in runs[(CHAPTER_1.stem, 0)][0].cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name", "")
            if name.startswith("ch01_fig_") and not name.endswith("_description"):
                charts[name] = output["data"]
    assert len(charts) == 4, sorted(charts)
    record = "application/papermill.record/"  # how glue(display=False) stores each mimetype
    for name, bundle in charts.items():
        assert "vegaEmbed" in bundle[record + "text/html"], name
        assert bundle[record + "image/png"].startswith("iVBORw0KGgo"), f"{name}: no PNG fallback"  # PNG, base64
