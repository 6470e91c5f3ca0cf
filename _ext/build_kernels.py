"""How the build runs each page's kernel: the garbage collector frozen after each cell, glued
values sent in batches, and the kernel killed after the last one.

myst-nb (and _ext/execute_ahead.py) execute the pages with nbclient and pass it no settings of
its own, so these are nbclient's class defaults for the build's process
(tests/test_build_kernels.py):

- After each cell the kernel moves every object it holds into the garbage collector's permanent
  generation (`gc.freeze()`, an IPython `post_run_cell` hook set up when the kernel starts), so a
  full collection no longer walks the 130,000 objects of pandas, Altair and the data a page has
  loaded, which live until the kernel ends anyway. Measured in the kernels with `gc.callbacks`:
  the collector's time after the imports fell from 0.045-0.05 s to 0.006-0.009 s per chapter
  (chapters 2-4). Over a whole build this is within the noise (three interleaved pairs of
  builds: 0.05 s faster on average). New objects are still collected within the cell that makes
  them; what a cell leaves behind lives until the kernel stops, two seconds later (chapter 3's
  kernel peaks at 140 MB either way).
- When the last cell has run, the kernel is killed (nbclient's "immediate" shutdown) instead of
  asked to shut down and polled until the process has gone: that took 0.21 s a page, and
  ipykernel 7.4 sometimes hung while shutting down (its control thread blocked publishing its
  status on the I/O thread that is stopping, as a stack dump of the stuck kernel showed) until it
  was killed 3 s later, in about one build in three. A page's kernel holds nothing to save (the
  pages' code registers no exit hooks; the files it writes are closed by the cells that write
  them). A kill takes 0.11 s.
- Each glue_values() call sends its values as one display message, not one message a value
  (`prose.GLUE_BATCHES`, set in the kernel when it starts), and each cell's batches are split back
  into myst-nb's glue outputs as soon as the cell has run, before myst-nb or the page sees them
  (`prose.split_glue_batches`, nbclient's `on_cell_executed` hook), so the pages' glued values are
  byte for byte the same. The client took 0.3-0.5 ms to receive each message, and the kernel's
  next cell waited for it: the book glues 743 plain values in 73 calls (670 messages fewer). In
  nine interleaved pairs of builds the four chapters' kernels took 0.27 s less on average (from
  0.55 s less to 0.10 s more); the benchmark's "executing pages" went from 11.4 to 10.5 s.
"""
from __future__ import annotations

from nbclient import NotebookClient

from migration_recomputed import prose

# run by IPython when the kernel starts, one line per option
FREEZE_AFTER_EACH_CELL = [
    "--IPKernelApp.exec_lines=import gc",
    "--IPKernelApp.exec_lines=get_ipython().events.register('post_run_cell', lambda result: gc.freeze())",
]
# __import__, so that the page's own namespace gets no `os` it did not import
GLUE_IN_BATCHES = [f"--IPKernelApp.exec_lines=__import__('os').environ[{prose.GLUE_BATCHES!r}] = '1'"]


def split_glue_batches(cell, **_) -> None:
    """nbclient's on_cell_executed hook: the cell's glue batches split into myst-nb's outputs."""
    cell.outputs = prose.split_glue_batches(cell.outputs)


def setup(app):
    NotebookClient.extra_arguments.default_value = FREEZE_AFTER_EACH_CELL + GLUE_IN_BATCHES
    NotebookClient.on_cell_executed.default_value = split_glue_batches
    NotebookClient.shutdown_kernel.default_value = "immediate"
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
