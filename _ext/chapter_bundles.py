"""Write each chapter's runnable download (bundle.write_chapter_bundle) during the build.

A chapter's zip (book/chapters/chart_data/<stem>.zip: the notebook for readers, its data, the
package, pinned requirements, a README) is made from the repository's files, not from the
chapter's run, so it need not cost the chapter's kernel any time. At `builder-inited` every
chapter that has a notebook in notebooks/ is handed to a background thread; a page that links
its zip waits for it at `doctree-read`, before Sphinx checks that the download exists. The
README's example command uses the chapter's front matter `example_parameters` (else the
notebook's defaults). A bundle that cannot be written stops the build naming the chapter.
"""
from __future__ import annotations

import re
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "book" / "chapters"


def chapter_stems(root: Path = ROOT) -> list[str]:
    """Chapters with a paired notebook: NN_name for each book/chapters/NN_name.md."""
    return sorted(path.stem for path in (root / "book" / "chapters").glob("[0-9][0-9]_*.md")
                  if (root / "notebooks" / f"{path.stem}.ipynb").is_file())


def _start(app) -> None:
    from migration_recomputed import bundle

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chapter-bundles")
    folder = CHAPTERS / "chart_data"
    app._chapter_bundles = {stem: pool.submit(bundle.write_chapter_bundle, stem, folder)
                            for stem in chapter_stems()}
    pool.shutdown(wait=False)


def _wait_for_linked_bundles(app, doctree) -> None:
    jobs: dict[str, Future] = getattr(app, "_chapter_bundles", {})
    for node in doctree.findall(addnodes.download_reference):
        match = re.search(r"([0-9]{2}_[A-Za-z0-9_]+)\.zip$", node.get("reftarget", ""))
        if match and match[1] in jobs:
            error = jobs[match[1]].exception()
            if error is not None:
                raise ExtensionError(f"chapter_bundles: cannot write the download of {match[1]}: {error}")


def setup(app):
    app.connect("builder-inited", _start)
    # before Sphinx's download collector (priority 500) checks that each linked file exists
    app.connect("doctree-read", _wait_for_linked_bundles, priority=400)
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
