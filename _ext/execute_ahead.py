"""Execute the pages' notebooks one after another in a thread, ahead of Sphinx reading them.

myst-nb executes a page's notebook when Sphinx reads that page, and only then parses its text
and outputs into a document; the next page's kernel starts after that. So every page's parsing
(MyST, glue, transforms: about 1 s over the book) waited for its kernel and held up the next
kernel. Here, when Sphinx knows which pages it will read (`env-before-read-docs`), a thread
starts executing them in reading order, each exactly as myst-nb would (the same reader, the same
`single_nb_execution` call, cwd and settings), one kernel at a time, while the main thread
parses the pages already executed. When myst-nb comes to a page, its client takes the executed
notebook if it was made from the identical notebook (compared whole, before execution), and
reports it as myst-nb does; otherwise (a page changed since, per-page settings, a failure
outside the notebook's cells) myst-nb executes the page itself, as before. Cell errors are
reported by myst-nb's own code, with the same messages (tests/test_execute_ahead.py).
"""
from __future__ import annotations

import copy
import json
import threading
from datetime import datetime
from pathlib import Path

import myst_nb.core.execute as nb_execute
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.execute.base import ExecutionError
from myst_nb.core.execute.direct import NotebookClientDirect
from myst_nb.core.read import create_nb_reader


def fingerprint(notebook) -> str:
    """The whole notebook as text but its cells' ids, which a reader draws at random: two
    notebooks with the same fingerprint execute alike."""
    cells = [{key: value for key, value in cell.items() if key != "id"} for cell in notebook.get("cells", [])]
    return json.dumps({**notebook, "cells": cells}, sort_keys=True, ensure_ascii=False, default=str)


class Ahead:
    """The executions of one build: page path -> (fingerprint, result), filled in reading order."""

    def __init__(self, pages: list[tuple[Path, str]], md_config, nb_config):
        self.pages, self.md_config, self.nb_config = pages, md_config, nb_config
        self.results: dict[Path, tuple[str, object]] = {}
        self.ready: dict[Path, threading.Event] = {path: threading.Event() for path, _ in pages}
        self.thread = threading.Thread(target=self._run, name="execute_ahead", daemon=True)

    def _run(self) -> None:
        for path, text in self.pages:
            try:
                reader = create_nb_reader(str(path), self.md_config, self.nb_config, text)
                notebook = reader.read(text) if reader is not None else None
                if notebook is not None and self.nb_config.metadata_key not in notebook.metadata:
                    before = fingerprint(notebook)
                    result = single_nb_execution(notebook, cwd=str(path.parent),
                                                 allow_errors=self.nb_config.execution_allow_errors,
                                                 timeout=self.nb_config.execution_timeout, meta_override=True)
                    self.results[path] = (before, result)
            except Exception:  # noqa: BLE001 - myst-nb executes the page itself and reports the failure
                pass
            finally:
                self.ready[path].set()

    def take(self, path: Path, notebook):
        """The result of executing `notebook` at `path`, if it was executed ahead, else None."""
        event = self.ready.get(path)
        if event is None:
            return None
        event.wait()
        before, result = self.results.pop(path, (None, None))
        return result if before == fingerprint(notebook) else None


class AheadClient(NotebookClientDirect):
    """myst-nb's direct execution, using the page's notebook executed ahead when there is one."""

    ahead: Ahead | None = None

    def start_client(self):
        result = None
        if self.ahead is not None and self.path is not None and not self.nb_config.execution_in_temp:
            result = self.ahead.take(Path(self.path).resolve(), self.notebook)
        if result is None:
            return super().start_client()
        self.logger.info("Executing notebook using local CWD (ahead, while the pages before it were read)")
        for cell, executed in zip(self.notebook.cells, result.nb.cells):
            if "id" in cell:
                executed["id"] = cell["id"]  # the ids of the notebook myst-nb read and parsed
        self.notebook.clear()
        self.notebook.update(result.nb)
        # as NotebookClientDirect.start_client reports an execution
        if result.err is not None:
            if self.nb_config.execution_raise_on_error:
                raise ExecutionError(str(self.path)) from result.err
            msg = f"Executing notebook failed: {result.err.__class__.__name__}"
            if self.nb_config.execution_show_tb:
                msg += f"\n{result.exc_string}"
            self.logger.warning(msg, subtype="exec")
        else:
            self.logger.info(f"Executed notebook in {result.time:.2f} seconds")
        self.exec_metadata = {
            "mtime": datetime.now().timestamp(),
            "runtime": result.time,
            "method": self.nb_config.execution_mode,
            "succeeded": False if result.err else True,
            "error": f"{result.err.__class__.__name__}" if result.err else None,
            "traceback": result.exc_string if result.err else None,
        }
        return None


def _start(app, env, docnames) -> None:
    AheadClient.ahead = None
    nb_config = env.mystnb_config
    if app.parallel > 1 or nb_config.execution_mode != "force" or nb_config.execution_in_temp:
        return  # the book's build forces execution; any other way is left to myst-nb
    if nb_config.execution_excludepatterns:
        return  # which pages run then depends on more than the page: left to myst-nb
    pages = []
    for docname in docnames:
        path = Path(env.doc2path(docname)).resolve()
        if path.suffix not in (".md", ".ipynb"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md" and "{code-cell}" not in text:
            continue
        pages.append((path, text))
    if pages:
        # a copy: the thread must not share the configuration the main thread's parser updates
        AheadClient.ahead = Ahead(pages, copy.deepcopy(env.myst_config), nb_config)
        AheadClient.ahead.thread.start()


def _finish(app, exception) -> None:
    AheadClient.ahead = None


def setup(app):
    nb_execute.NotebookClientDirect = AheadClient
    app.connect("env-before-read-docs", _start)
    app.connect("build-finished", _finish)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
