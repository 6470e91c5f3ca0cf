"""Check the data and the claims ledger ahead of the pages, in the build's background process.

Every data file is validated against data/datapackage.json once per build and the whole ledger
is checked once (both kept in $BOOK_DATA_CACHE, which tools/build.sh and the test build set).
Left to the pages, the first page read (the claims ledger) did both in its kernel while the
build waited. At `config-inited`, while Sphinx loads the theme, writes the source zips and
starts the first kernel, this hands claims.check_ahead to the background process
(_ext/background.py), so the kernels find the results ready. A kernel that asks before they are
kept checks the file itself, as before; a malformed file is reported by the page that reads it,
naming the file, row and column, so this task's own failure is not reported twice. A rebuild
(Sphinx's saved environment is there) finds the results of the last build in the cache, or reads
few pages, so only a build from scratch checks ahead.
"""
from __future__ import annotations

import os
from pathlib import Path


def _start(app, config) -> None:
    if not os.environ.get("BOOK_DATA_CACHE"):
        return  # no place to keep the results: each kernel checks what it reads
    if Path(app.doctreedir, "environment.pickle").is_file():
        return
    from background import submit

    submit(app, "migration_recomputed.claims:check_ahead")


def setup(app):
    app.setup_extension("background")
    app.connect("config-inited", _start)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
