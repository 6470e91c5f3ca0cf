"""Run every notebook in notebooks/ with papermill, with its defaults and other parameters,
and check the glued numbers against values computed here straight from the data files
(plain pandas, not the book's package), so a wrong computation in the chapter shows up."""
from __future__ import annotations

import ast
import json
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
    # 2015.0, not 2015: a whole number given as a float must be normalised, never shown as "2015.0"
    "01_russian_labour_migration": [{}, {"focus_country": "Kyrgyzstan", "year": 2015.0}],
    # from_year as a float must be normalised too (test_chapter2_notebook.py checks the rest)
    "02_post_2022_emigration": [{}, {"host_country": "Germany", "from_year": 2010.0}],
    # a name in lower case without the apostrophe and a float year (test_chapter3_notebook.py checks the rest)
    "03_dutch_diversity": [{}, {"municipality": "westland", "year": 2023.0}],
    # a name in lower case and a float year must be normalised (test_chapter4_notebook.py checks the rest)
    "04_migration_and_development": [{}, {"focus_country": "sierra leone", "reference_year": 2010.0}],
}


def execute(notebook: Path, folder: Path, parameters: dict):
    """Run `notebook` in `folder`; the kernel inherits BOOK_ROOT (set in conftest.py), which
    tells the chapter where data/ is."""
    output = folder / f"{notebook.stem}.out.ipynb"
    # The kernel is stopped at once when the run is over: asked to shut down politely, it took
    # 3.5 s longer in about 1 run of 3 (ipykernel), after every output had arrived.
    papermill.execute_notebook(
        str(notebook), str(output), parameters=parameters, cwd=str(folder), kernel_name="python3",
        progress_bar=False, log_output=False, request_save_on_cell_execute=False, shutdown_kernel="immediate")
    return nbformat.read(output, as_version=4)


# (notebook, parameters as JSON) -> (executed notebook, folder): each run once per session, shared by
# this module and the chapter modules (the same notebook with the same parameters gives the same
# result, and a papermill run of a chapter takes seconds). Tests that change a run's inputs call
# execute() themselves.
_RUNS: dict[tuple[str, str], tuple] = {}


def execute_each(notebook: Path, parameter_sets: list[dict], tmp_path_factory) -> list[tuple]:
    """Run `notebook` once per parameter set, each in a folder of its own: [(executed notebook, folder)].
    A notebook already run with the same parameters in this session is not run again."""
    results = []
    for index, parameters in enumerate(parameter_sets):
        key = (str(notebook), json.dumps(parameters, sort_keys=True))
        if key not in _RUNS:
            folder = tmp_path_factory.mktemp(f"{notebook.stem[:2]}_{index}")
            _RUNS[key] = (execute(notebook, folder, parameters), folder)
        results.append(_RUNS[key])
    return results


def assert_glued_values(values: dict, expected: dict) -> None:
    """Every expected value was glued: text exactly, numbers to a relative 1e-9."""
    for name, value in expected.items():
        assert name in values, f"{name} was not glued"
        if isinstance(value, str):
            assert values[name] == value, name
        else:
            assert values[name] == pytest.approx(value, rel=1e-9), name


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
    """Each notebook and parameter set executed once for the whole session (execute_each)."""
    results = {}
    for notebook in NOTEBOOKS:
        for index, run in enumerate(execute_each(notebook, PARAMETER_SETS.get(notebook.stem, [{}]), tmp_path_factory)):
            results[(notebook.stem, index)] = run
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
    assert values["ch01_year"] == int(parameters["year"]) and isinstance(values["ch01_year"], int)
    assert_glued_values(values, expected_chapter1(parameters["focus_country"], int(parameters["year"])))


def test_chapter1_defaults_reproduce_the_seed_checks(runs):
    values = glued(runs[(CHAPTER_1.stem, 0)][0])
    # Tajikistan was the world's most remittance-dependent economy in 2013 (the seed's rank 1 holds)
    assert values["ch01_focus_remittance_rank"] == 1
    assert values["ch01_tjk_share_in_year"] == pytest.approx(43.77, abs=0.01)
    # Russia's 2013 rank by migrant stock differs by UN revision: 3 (WDI 2018), 2 (UN 2019), 4 (UN 2024);
    # the UN 2019 figure is the book's own sum of origins, so the two official series decide
    assert (values["ch01_rus_rank_2013_wdi2018"], values["ch01_rus_rank_2013_un2019"],
            values["ch01_rus_rank_2013_wdi2026"]) == (3, 2, 4)
    assert values["ch01_rus_rank_verdict"] == "contradicted"
    assert values["ch01_claims_total"] == len(csv("claims.csv").query("chapter == 1"))
    assert values["ch01_claims_summary"].startswith(f"Of {values['ch01_claims_total']} claims of the article")
    # Moldova's gap is a population revision: within 0.1 % of the World Bank's 2018 edition
    assert values["ch01_largest_gap_country"] == "Moldova"
    assert values["ch01_largest_gap_earlier"] == "\u22120.1\u00a0%"
    # Tabel 2: Tajikistan and Uzbekistan claim more from Russia than they received from all countries
    assert values["ch01_rows_above_bound"] == 2
    assert values["ch01_rows_above_bound_list"].startswith("Tajikistan: 4.17 billion from Russia")


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
        assert_figure_written(folder, stem)


@pytest.mark.parametrize("parameters, named", [
    ({"focus_country": "Narnia"}, ["focus_country='Narnia'", "'Tajikistan'", "'Kyrgyzstan'"]),
    ({"year": 1850}, ["year", "1850", "2013", "for Tajikistan, Kyrgyzstan, Moldova)"]),
    ({"year": "2013"}, ["year", "'2013'", "whole number"]),
    ({"year": 2013.5}, ["year", "2013.5", "whole number"]),
    ({"focus_contry": "Kyrgyzstan"}, ["unknown parameter(s) focus_contry", "focus_country, year"]),
], ids=["unknown_country", "year_without_data", "year_as_text", "fractional_year", "misspelt_name"])
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


def test_chapter1_glues_its_charts_as_interactive_html(runs):
    """Each glued chart holds interactive HTML for the web; its static SVG is drawn by the build
    from the specification in chart_data (_ext/static_charts.py), not in the kernel."""
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


def assert_figure_written(folder: Path, stem: str) -> dict:
    """A chapter run wrote <stem>.vl.json: a finished Vega-Lite chart with the figure contract's
    title, description and footer (the build draws it as <stem>.svg). Returns the specification."""
    spec = json.loads((folder / f"{stem}.vl.json").read_text(encoding="utf-8"))
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/"), stem
    title = spec["title"]["text"]  # one line, or the lines figure() wrapped it into
    assert "".join(title if isinstance(title, list) else [title]).strip() and spec["description"].strip(), stem
    footer = " ".join(spec["vconcat"][0]["title"]["text"])
    assert footer.startswith("Source:") and "Note:" in footer, stem
    return spec


def _data_copy_without_hash(tmp_path: Path, name: str) -> Path:
    """A copy of data/ whose descriptor has no sha256 for `name`, so a deliberate edit of that
    file reaches the schema check (or the chapter) instead of stopping at the hash check."""
    shutil.copytree(DATA, tmp_path / "data")
    descriptor = tmp_path / "data" / "datapackage.json"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace(_recorded_hash(name), ""), encoding="utf-8")
    # the rest of the repository as it is (the chapter's last cell bundles notebooks/, src/, ...)
    for entry in REPO.iterdir():
        if entry.name not in {"data", ".git", ".venv", "_build", "test-artifacts"}:
            (tmp_path / entry.name).symlink_to(entry)
    return tmp_path / "data"


def switch_off_checks(tmp_path: Path, chapter: int) -> None:
    """A copy of the repository under tmp_path whose ledger marks every check of `chapter`
    `none: <reason>` (the form DESIGN.md documents), LF line endings kept."""
    import csv as csv_module
    path = _data_copy_without_hash(tmp_path, "claims") / "claims.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv_module.DictReader(handle))
    for row in rows:
        if row["chapter"] == str(chapter) and not row["check"].startswith("none"):
            row["check"] = "none: switched off by a test"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv_module.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_chapter1_reports_a_bad_data_cell_as_data_not_as_a_parameter(tmp_path, monkeypatch):
    folder = _data_copy_without_hash(tmp_path, "seed000_tabel1_cis_migrants")
    path = folder / "seeds" / "seed000_tabel1_cis_migrants_in_russia_2015.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",Tajikistan,", ",Tajikistan ,"), encoding="utf-8")
    monkeypatch.setenv("BOOK_ROOT", str(tmp_path))
    (tmp_path / "run").mkdir()
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        execute(CHAPTER_1, tmp_path / "run", {})
    assert failure.value.ename == "DataValidationError", failure.value.evalue
    for text in ["seed000_tabel1_cis_migrants_in_russia_2015.csv", "row 4", "column 'country'"]:
        assert text in failure.value.evalue


def test_chapter1_copes_with_any_verdict_of_the_ledger(tmp_path, monkeypatch):
    """Marking a claim `none: <reason>` (the form DESIGN.md documents) must not break the chapter;
    it broke with `cannot convert float NaN to integer` when the chapter read ledger results."""
    switch_off_checks(tmp_path, chapter=1)
    monkeypatch.setenv("BOOK_ROOT", str(tmp_path))
    (tmp_path / "run").mkdir()
    values = glued(execute(CHAPTER_1, tmp_path / "run", {}))
    assert values["ch01_claims_summary"].startswith(f"Of {values['ch01_claims_total']} claims of the article, "
                                                   f"{values['ch01_claims_total']} cannot be checked")
    assert values["ch01_rus_rank_verdict"] == "not checkable with our data"
