"""_ext/build_kernels.py: the build's kernels freeze the garbage collector's objects after each
cell and are killed after the last one; the pages' outputs are unchanged."""
from __future__ import annotations

import time

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from file_modules import load


def test_the_builds_kernels_freeze_after_each_cell_and_are_killed_after_the_last(monkeypatch):
    for trait in (NotebookClient.shutdown_kernel, NotebookClient.extra_arguments):
        monkeypatch.setattr(trait, "default_value", trait.default_value)  # put back after the test
    load("_ext/build_kernels.py").setup(app=None)
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
