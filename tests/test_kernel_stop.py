"""_ext/kernel_stop.py: the build's kernels are stopped at once after their last cell, and the
page's outputs are complete."""
from __future__ import annotations

import time

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from file_modules import load


def test_the_builds_notebook_client_kills_the_kernel_after_the_last_cell(monkeypatch):
    monkeypatch.setattr(NotebookClient.shutdown_kernel, "default_value", NotebookClient.shutdown_kernel.default_value)
    load("_ext/kernel_stop.py").setup(app=None)
    notebook = new_notebook(cells=[new_code_cell("import sys\nprint('last cell', file=sys.stdout)\n6 * 7")])
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
    outputs = notebook.cells[0].outputs
    assert [output.output_type for output in outputs] == ["stream", "execute_result"]
    assert outputs[0].text == "last cell\n" and outputs[1].data["text/plain"] == "42"
    # a kill takes about 0.1 s; a graceful shutdown took 0.2 s and sometimes hung for 3 s
    assert stopped and stopped[0] < 1.0, stopped
