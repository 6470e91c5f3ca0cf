"""prose: glued values are plain and finite, and show() renders the book's MyST text for Jupyter
with the numbers of the current run. The passages below are chapter 1's own sentences."""
from __future__ import annotations

import math

import numpy as np
import pytest
from IPython.display import Markdown

from migration_recomputed import prose

ORIGINAL_GLUE_PLAIN = prose._glue_plain  # before the fixture below replaces it


@pytest.fixture(autouse=True)
def registry(monkeypatch):
    """A fresh registry for each test, and myst-nb's glue recorded instead of displayed."""
    calls = []
    monkeypatch.setattr(prose, "GLUED", {})
    monkeypatch.setattr(prose, "_myst_glue", lambda name, value, display=True: calls.append((name, value, display)))
    monkeypatch.setattr(prose, "_glue_plain", lambda name, value: calls.append((name, value, False)))
    return calls


@pytest.fixture
def shown(monkeypatch):
    displayed = []
    monkeypatch.setattr("IPython.display.display", lambda *objects, **_: displayed.extend(objects))
    return displayed


TABEL1_SENTENCE = ("Together the nine rows count\n{glue:text}`ch01_tabel1_total:,.0f` people. "
                   "The table gives no total of its own.")
FOCUS_PASSAGE = """For {glue:text}`ch01_focus_country`, {glue:text}`ch01_focus_immigrants:,.0f` migrants at
{glue:text}`ch01_focus_share_pct:.1f` % imply a home population of
{glue:text}`ch01_focus_implied_population:,.0f`; the World Bank counts
{glue:text}`ch01_focus_wb_population:,.0f` for 2015, a difference of
{glue:text}`ch01_focus_population_difference_pct:+.1f` %."""


def test_glue_values_glues_plain_values_and_keeps_them(registry):
    prose.glue_values(ch01_tabel1_total=np.int64(2_722_491), ch01_share=np.float64(43.5), ch01_country="Tajikistan")
    assert registry == [("ch01_tabel1_total", 2722491, False), ("ch01_share", 43.5, False),
                        ("ch01_country", "Tajikistan", False)]
    assert [type(value) for _, value, _ in registry] == [int, float, str]
    assert prose.GLUED == {"ch01_tabel1_total": 2722491, "ch01_share": 43.5, "ch01_country": "Tajikistan"}


@pytest.mark.parametrize("value", [2_722_491, 43.5, 0.1 + 0.2, -1e-7, 12345678901234567890.0, True,
                                   "Tajikistan", "'s-Gravenhage", 'say "no"', "Moldavi\u00eb\nline two", "x" * 300])
def test_the_quick_glue_of_a_plain_value_is_myst_nbs_glue_byte_for_byte(value):
    """prose._glue_plain skips IPython's formatters; the page must not tell the difference."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    from myst_nb import glue as myst_glue

    InteractiveShell.instance()
    with capture_output() as theirs:
        myst_glue("ch00_x", value, display=False)
    with capture_output() as ours:
        ORIGINAL_GLUE_PLAIN("ch00_x", value)
    assert [(o.data, o.metadata) for o in ours.outputs] == [(o.data, o.metadata) for o in theirs.outputs]
    assert len(ours.outputs) == 1


def test_in_a_kernel_glue_values_sends_myst_nbs_glue_after_the_text_printed_before():
    """In a Jupyter kernel glue_values flushes the streams once and sends each value itself
    (prose._glue_plain_values): the outputs must be myst-nb's, in their place among printed text."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    values = "ch00_n=3, ch00_place=\"'s-Gravenhage\", ch00_share=0.1 + 0.2, ch00_yes=True"
    notebook = new_notebook(cells=[
        new_code_cell(f"from migration_recomputed.prose import _kernel_publisher, glue_values\n"
                      f"print('before', _kernel_publisher() is not None)\n"
                      f"glue_values({values})\nprint('after')"),
        new_code_cell(f"from myst_nb import glue\nfor name, value in dict({values}).items():\n"
                      f"    glue(name, value, display=False)")])
    NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    ours, theirs = notebook.cells[0].outputs, notebook.cells[1].outputs
    assert [output.output_type for output in ours] == ["stream"] + ["display_data"] * 4 + ["stream"]
    assert (ours[0].text, ours[-1].text) == ("before True\n", "after\n")  # True: sent by glue_values itself
    assert [(output.data, output.metadata) for output in ours[1:-1]] == [
        (output.data, output.metadata) for output in theirs]
    assert [output.metadata["scrapbook"]["name"] for output in ours[1:-1]] == [
        "ch00_n", "ch00_place", "ch00_share", "ch00_yes"]


def test_in_the_builds_kernels_glue_values_sends_one_batch_that_splits_into_myst_nbs_outputs():
    """With prose.GLUE_BATCHES set in the kernel (as the build sets it) one glue_values() call is
    one display message; split_glue_batches turns it back into the outputs each value would have
    had on its own, byte for byte as JSON, in its place between the printed lines."""
    import json

    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    values = "ch00_n=3, ch00_place=\"'s-Gravenhage\", ch00_share=0.1 + 0.2, ch00_yes=True"
    cell = (f"from migration_recomputed.prose import glue_values\nprint('before')\n"
            f"glue_values({values})\nglue_values(ch00_alone=1)\nprint('after')")
    batched = new_notebook(cells=[new_code_cell(f"import os\nos.environ[{prose.GLUE_BATCHES!r}] = '1'\n" + cell)])
    one_by_one = new_notebook(cells=[new_code_cell(cell)])
    for notebook in (batched, one_by_one):  # nbclient's own defaults, whatever the build sets
        NotebookClient(notebook, kernel_name="python3", timeout=120, extra_arguments=[],
                       on_cell_executed=None).execute()
    sent = batched.cells[0].outputs
    assert [output.output_type for output in sent] == ["stream", "display_data", "display_data", "stream"]
    assert list(sent[1].data) == [prose.GLUE_BATCH_MIME] and len(sent[1].data[prose.GLUE_BATCH_MIME]) == 4
    assert "scrapbook" in sent[2].metadata  # a call with one value is sent as it is
    split = prose.split_glue_batches(sent)
    assert json.dumps(split) == json.dumps(one_by_one.cells[0].outputs)
    assert [output.metadata["scrapbook"]["name"] for output in split[1:-1]] == [
        "ch00_n", "ch00_place", "ch00_share", "ch00_yes", "ch00_alone"]


def test_split_glue_batches_leaves_outputs_without_a_batch_as_they_are():
    from nbformat.v4 import new_output

    outputs = [new_output("stream", name="stdout", text="x\n"), new_output("display_data", data={"text/plain": "1"})]
    assert prose.split_glue_batches(outputs) is outputs


def test_each_output_split_from_a_batch_is_checked_as_an_output_from_a_message_is():
    """nbclient checks every output a kernel sends against nbformat's schema; the outputs a batch
    carries are checked the same way when it is split."""
    from nbformat import ValidationError
    from nbformat.v4 import new_output

    bad = new_output("display_data", data={prose.GLUE_BATCH_MIME: [{"data": {"text/plain": 5}, "metadata": {}}]})
    with pytest.raises(ValidationError):
        prose.split_glue_batches([bad])


@pytest.mark.parametrize("value, shown_as", [(math.inf, "inf"), (-math.inf, "-inf"), (math.nan, "nan"),
                                             (np.float64("inf"), "inf"), (np.float64("nan"), "nan")])
def test_glue_values_refuses_a_number_that_is_not_finite(registry, value, shown_as):
    with pytest.raises(ValueError, match=rf"^glue key ch01_x is {shown_as}: "):
        prose.glue_values(ch01_ok=1.0, ch01_x=value)
    assert registry == [] and prose.GLUED == {}  # nothing glued, not even the good value before it


def test_a_division_by_zero_upstream_stops_with_the_key_named():
    with np.errstate(divide="ignore"):
        ratio = np.float64(1.0) / np.float64(0.0)
    with pytest.raises(ValueError, match="glue key ch01_ratio is inf"):
        prose.glue_values(ch01_ratio=ratio)


def test_glue_values_refuses_what_is_not_a_number_or_text():
    with pytest.raises(TypeError, match="glue key ch01_missing: cannot glue a NoneType"):
        prose.glue_values(ch01_missing=None)


def test_glue_figure_keeps_the_chart_and_its_description(registry):
    class Chart:
        description = "Dot chart of nine CIS countries."

    chart = Chart()
    prose.glue_figure("ch01_fig_x", chart)
    assert prose.GLUED["ch01_fig_x"] is chart
    assert prose.GLUED["ch01_fig_x_description"].data == "Dot chart of nine CIS countries."
    assert [name for name, _, _ in registry] == ["ch01_fig_x", "ch01_fig_x_description"]
    assert prose.render("{glue:md}`ch01_fig_x_description`") == "Dot chart of nine CIS countries."


def test_glue_keeps_any_object_for_show_figure(registry, shown):
    table = object()
    prose.glue("ch01_claims_how_checked", table, display=False)
    assert registry == [("ch01_claims_how_checked", table, False)]
    prose.show_figure("ch01_claims_how_checked")
    assert shown == [table]
    with pytest.raises(ValueError, match="glue key ch01_x is nan"):
        prose.glue("ch01_x", float("nan"))


def test_render_fills_in_the_tabel1_total_with_its_format():
    prose.glue_values(ch01_tabel1_total=2722491)
    assert prose.render(TABEL1_SENTENCE) == ("Together the nine rows count\n2,722,491 people. "
                                             "The table gives no total of its own.")


def test_render_uses_each_format_spec_like_myst_nb():
    prose.glue_values(ch01_focus_country="Kyrgyzstan", ch01_focus_immigrants=np.int64(559_931),
                      ch01_focus_share_pct=10.0, ch01_focus_implied_population=5_599_310.0,
                      ch01_focus_wb_population=5_956_900.0, ch01_focus_population_difference_pct=-6.0,
                      ch01_ratio=0.456)
    assert prose.render(FOCUS_PASSAGE) == (
        "For Kyrgyzstan, 559,931 migrants at\n10.0 % imply a home population of\n5,599,310; the World Bank "
        "counts\n5,956,900 for 2015, a difference of\n-6.0 %.")
    assert prose.render("{glue:text}`ch01_focus_share_pct:+.1f`") == "+10.0"
    assert prose.render("{glue:text}`ch01_ratio:.2f`") == "0.46"
    # as myst-nb: no format means str(); an integer format on a float, a float format on an integer
    assert prose.render("{glue:text}`ch01_ratio` {glue}`ch01_focus_country`") == "0.456 Kyrgyzstan"
    assert prose.render("{glue:text}`ch01_focus_immigrants:.1f`") == "559931.0"


def test_render_names_a_key_used_before_the_cell_that_computes_it():
    with pytest.raises(prose.GlueKeyError, match="ch01_tabel1_total is used in the text before the cell that computes it"):
        prose.render(TABEL1_SENTENCE)


def test_render_names_a_value_its_format_does_not_fit():
    prose.glue_values(ch01_focus_country="Tajikistan")
    with pytest.raises(ValueError, match="ch01_focus_country: cannot format 'Tajikistan' with '.1f'"):
        prose.render("{glue:text}`ch01_focus_country:.1f`")


def test_render_turns_the_other_roles_into_markdown():
    text = ("In early 2015 a Dutch background article {cite}`seed000` made a striking claim. Most of those "
            "migrants are *gastarbeiders* ({term}`gastarbeider`: guest workers), of the *GOS* "
            "({term}`the Commonwealth <GOS>`). Data: {download}`CSV <chart_data/ch01_claims.csv>`, "
            "{download}`chart_data/x.svg`; see {ref}`ch01-exercises`, {numref}`Figure %s <fig-ch01-rank>`, "
            "{doc}`the ledger <../appendix/claims_ledger>`.")
    assert prose.render(text) == (
        "In early 2015 a Dutch background article (source: seed000) made a striking claim. Most of those "
        "migrants are *gastarbeiders* (gastarbeider: guest workers), of the *GOS* (the Commonwealth). "
        "Data: [CSV](chart_data/ch01_claims.csv), [x.svg](chart_data/x.svg); see ch01-exercises, Figure ?, "
        "the ledger.")
    resolved = prose.myst_to_markdown(
        "{cite}`wdi2026,wdi2018` and {cite:t}`okabe2008`; see {ref}`ch01-exercises`, {numref}`Figure %s <fig-r>`",
        citations={"wdi2026": "World Bank (2026)", "wdi2018": "World Bank (2018)", "okabe2008": "Okabe and Ito (2008)"},
        labels={"ch01-exercises": "Exercises", "fig-r": "Figure 3"})
    assert resolved == "(World Bank, 2026; World Bank, 2018) and Okabe and Ito (2008); see Exercises, Figure 3"


def test_render_leaves_code_alone_and_drops_labels_and_comments():
    prose.glue_values(ch01_total_bn=25.0)
    text = ("(ch01-exercises)=\n## Exercises\n% a MyST comment\nRun `papermill {glue:text}` x`.\n\n"
            "```bash\n% not a comment here\n{term}`x`\n```\nThe text's {glue:text}`ch01_total_bn:.0f` billion US$.")
    assert prose.render(text) == ("## Exercises\nRun `papermill {glue:text}` x`.\n\n```bash\n% not a comment here\n"
                                  "{term}`x`\n```\nThe text's 25 billion US\\$.")


def test_dollar_signs_stay_currency_in_jupyter():
    """The book has no dollar math; Jupyter would typeset the text between two `$` as a formula."""
    prose.glue_values(ch01_total_bn=25.0, ch01_unit="US$")
    assert prose.render("{glue:text}`ch01_total_bn:.0f` billion US$ and `US$` in code, {glue:text}`ch01_unit`") == (
        "25 billion US\\$ and `US$` in code, US\\$")
    assert prose.render("already \\$ escaped") == "already \\$ escaped"


def test_show_displays_markdown_with_this_runs_numbers(shown):
    prose.glue_values(ch01_tabel1_total=2722491)
    prose.show(TABEL1_SENTENCE)
    assert len(shown) == 1 and isinstance(shown[0], Markdown)
    assert "2,722,491 people" in shown[0].data
    prose.glue_values(ch01_tabel1_total=100)  # a re-run with other data: the text follows
    prose.show(TABEL1_SENTENCE)
    assert "count\n100 people" in shown[1].data


def test_show_figure_names_a_figure_not_glued_yet():
    with pytest.raises(prose.GlueKeyError, match="ch01_fig_x is used in the text before the cell that computes it"):
        prose.show_figure("ch01_fig_x")


def test_a_chart_cannot_be_pasted_into_a_sentence():
    prose.GLUED["ch01_fig_x"] = object()
    with pytest.raises(prose.GlueKeyError, match='show_figure\\("ch01_fig_x"\\)'):
        prose.render("see {glue}`ch01_fig_x`")
