"""Stop each page's kernel at once when its last cell has run, not by a graceful shutdown.

myst-nb executes a page with nbclient, which by default shuts the kernel down gracefully: it asks
the kernel to shut down and polls until the process has gone. That took 0.21 s a page, and
ipykernel 7.4 sometimes hangs while shutting down (its control thread blocked publishing its
status on the I/O thread that is stopping, as a stack dump of the stuck kernel showed) until the
kernel is killed 3 s later: about one build in three took 3 s longer, the floor's as often as
the book's. A page's kernel holds nothing to save (the pages' code registers no exit hooks; the
files it writes are closed by the cell that writes them), so this makes nbclient's "immediate"
shutdown, a kill, the default for the build: 0.11 s a page, and no hang
(tests/test_kernel_stop.py). myst-nb passes no settings to nbclient, hence the class default.
"""
from __future__ import annotations

from nbclient import NotebookClient


def setup(app):
    NotebookClient.shutdown_kernel.default_value = "immediate"
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
