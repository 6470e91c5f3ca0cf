"""_ext/build_kernels.py: the build's kernels freeze the garbage collector's objects after each
cell and are killed after the last one; the pages' outputs are unchanged."""
from __future__ import annotations

import time

import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from file_modules import load


@pytest.fixture
def build_defaults(monkeypatch):
    """_ext/build_kernels.py set up, and nbclient's defaults put back after the test, so that no
    other test's client runs with them."""
    for trait in (NotebookClient.shutdown_kernel, NotebookClient.extra_arguments, NotebookClient.on_cell_executed):
        monkeypatch.setattr(trait, "default_value", trait.default_value)
    build_kernels = load("_ext/build_kernels.py")
    build_kernels.setup(app=None)
    return build_kernels


def test_the_builds_kernels_freeze_after_each_cell_and_are_killed_after_the_last(build_defaults, monkeypatch):
    notebook = new_notebook(cells=[
        new_code_cell("import gc\nbefore = gc.get_freeze_count()\nmade = [[n] for n in range(1000)]\nprint('first cell')"),
        new_code_cell("print(gc.get_freeze_count() >= before + 1000)\n6 * 7")])
    client = NotebookClient(notebook, kernel_name="python3", timeout=60)
    assert client.shutdown_kernel == "immediate"
    stopped = []
    cleanup = client._async_cleanup_kernel

    async def timed_cleanup():
        started = time.perf_counter()
        await cleanup()
        stopped.append(time.perf_counter() - started)

    monkeypatch.setattr(client, "_async_cleanup_kernel", timed_cleanup)
    client.execute()
    first, second = (cell.outputs for cell in notebook.cells)
    assert [output.output_type for output in first] == ["stream"] and first[0].text == "first cell\n"
    # what the first cell made (1000 lists at least) was frozen once it had run
    assert [output.output_type for output in second] == ["stream", "execute_result"], second
    assert second[0].text == "True\n" and second[1].data["text/plain"] == "42"
    # a kill takes about 0.1 s; a graceful shutdown took 0.2 s and sometimes hung for 3 s
    assert stopped and stopped[0] < 1.0, stopped


def test_the_builds_kernels_send_glued_values_in_batches_and_the_page_gets_myst_nbs_outputs(build_defaults):
    """The build's kernels batch each glue_values() call (prose.GLUE_BATCHES, set when the kernel
    starts, without adding `os` to the page's names) and the client splits each batch as soon as
    its cell has run, so the notebook holds myst-nb's glue outputs, one a value."""
    build_kernels = build_defaults
    notebook = new_notebook(cells=[
        new_code_cell("import os as imported\nprint(imported.environ.get('BOOK_GLUE_BATCHES'), 'os' in dir())"),
        new_code_cell("from migration_recomputed.prose import glue_values\nglue_values(ch00_a=1, ch00_b='two')")])
    sent = []
    client = NotebookClient(notebook, kernel_name="python3", timeout=60)
    hook = client.on_cell_executed
    assert hook is build_kernels.split_glue_batches

    def spy(cell, **kwargs):
        sent.append([list(output.get("data", {})) for output in cell.outputs])
        hook(cell=cell, **kwargs)

    client.on_cell_executed = spy
    client.execute()
    first, second = (cell.outputs for cell in notebook.cells)
    assert first[0].text == "1 False\n"
    assert sent[1] == [["application/vnd.migration-recomputed.glue-batch+json"]]  # one message for two values
    assert [(output.metadata["scrapbook"]["name"], output.data) for output in second] == [
        ("ch00_a", {"application/papermill.record/text/plain": "1"}),
        ("ch00_b", {"application/papermill.record/text/plain": "'two'"})]
