"""One background process for the build's own work: the chapters' downloads (_ext/chapter_bundles.py)
and the charts' static images (_ext/static_charts.py).

A process, not a thread: that work is pure Python or holds the GIL (vl-convert, the schema
check, compressing), and in a thread it starved the thread that talks to the executing kernel:
the seven executed pages took 37.7 s with drawing in a thread, 29.4 s with it deferred. One process, not one per task: on the two
cores the book is built on, the kernel has one and this worker the other. It is spawned, not
forked, because the build's process has zmq and asyncio threads running. A task names its
function as "module:function", imported in the worker only, so the build's own process never
imports pandas or Altair for it. The worker is started by the first task and stopped when the
build finishes.
"""
from __future__ import annotations

import importlib
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor

from build_gc import freeze_at_exit


def submit(app, function: str, *args) -> Future:
    """Run `function` ("package.module:name") with `args` in the build's background process."""
    if getattr(app, "_background_worker", None) is None:
        # the worker's teardown collected pandas, Altair and vl-convert's objects while the build waited
        app._background_worker = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                     initializer=freeze_at_exit)
    return app._background_worker.submit(_call, function, *args)


def _call(function: str, *args):
    module, _, name = function.partition(":")
    return getattr(importlib.import_module(module), name)(*args)


def _stop(app, exception) -> None:
    pool = getattr(app, "_background_worker", None)
    if pool is not None:
        app._background_worker = None
        pool.shutdown(wait=True, cancel_futures=exception is not None)


def setup(app):
    app.connect("build-finished", _stop, priority=900)  # after the extensions that wait for its work
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
