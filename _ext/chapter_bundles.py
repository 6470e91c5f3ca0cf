"""Write each chapter's runnable download (bundle.write_chapter_bundle) during the build.

A chapter's zip (book/chapters/chart_data/<stem>.zip: the notebook for readers, its data, the
package, pinned requirements, a README) is made from the repository's files, not from the
chapter's run, so it need not cost the chapter's kernel any time. At `builder-inited` every
chapter that has a notebook in notebooks/ is handed to a background process; a page that links
its zip waits for it at `doctree-read`, before Sphinx checks that the download exists. The
process is the build's one background worker (_ext/background.py). While no file of the
repository changed since the bundles were last written (repository_digest, kept in a stamp), they
are not made again, so a rebuild with nothing changed does not wait for them. The README's
example command uses the chapter's front matter `example_parameters` (else the notebook's
defaults). A bundle that cannot be written stops the build naming the chapter.
"""
from __future__ import annotations

import re
from concurrent.futures import Future
from pathlib import Path

from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "book" / "chapters"
STAMP = ".bundles.inputs"  # the repository_digest the chapters' downloads were written from


def chapter_stems(root: Path = ROOT) -> list[str]:
    """Chapters with a paired notebook: NN_name for each book/chapters/NN_name.md."""
    return sorted(path.stem for path in (root / "book" / "chapters").glob("[0-9][0-9]_*.md")
                  if (root / "notebooks" / f"{path.stem}.ipynb").is_file())


def _start(app) -> None:
    from background import submit
    from source_archive import repository_digest

    folder = CHAPTERS / "chart_data"
    stems = chapter_stems()
    # A bundle is made from the repository's files only: when none changed since the bundles were
    # last written (the stamp), they are as they were, and a rebuild does not wait for them.
    app._chapter_bundles_inputs = repository_digest(ROOT)
    stamp = folder / STAMP
    if (stamp.is_file() and stamp.read_text(encoding="utf-8") == app._chapter_bundles_inputs
            and all((folder / f"{stem}.zip").is_file() for stem in stems)):
        app._chapter_bundles = {}
        logger.info("chapter_bundles: no file of the repository changed, %d download(s) kept", len(stems))
        return
    stamp.unlink(missing_ok=True)
    app._chapter_bundles = {stem: submit(app, "migration_recomputed.bundle:write_chapter_bundle", stem, folder)
                            for stem in stems}


def _record(app, exception) -> None:
    jobs: dict[str, Future] = getattr(app, "_chapter_bundles", {})
    if exception is None and jobs and all(job.exception() is None for job in jobs.values()):
        (CHAPTERS / "chart_data" / STAMP).write_text(app._chapter_bundles_inputs, encoding="utf-8")


def _wait_for_linked_bundles(app, doctree) -> None:
    jobs: dict[str, Future] = getattr(app, "_chapter_bundles", {})
    for node in doctree.findall(addnodes.download_reference):
        match = re.search(r"([0-9]{2}_[A-Za-z0-9_]+)\.zip$", node.get("reftarget", ""))
        if match and match[1] in jobs:
            error = jobs[match[1]].exception()
            if error is not None:
                raise ExtensionError(f"chapter_bundles: cannot write the download of {match[1]}: {error}")


def setup(app):
    app.setup_extension("background")
    app.connect("builder-inited", _start)
    # before Sphinx's download collector (priority 500) checks that each linked file exists
    app.connect("doctree-read", _wait_for_linked_bundles, priority=400)
    app.connect("build-finished", _record)
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
