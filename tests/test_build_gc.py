"""_ext/build_gc.py: the build's process freezes its garbage collector after each page is read
and when it exits."""
from __future__ import annotations

import atexit
import gc
import subprocess
import sys
from pathlib import Path

import file_modules

REPO = Path(__file__).resolve().parents[1]


class App:
    def __init__(self):
        self.handlers = []

    def connect(self, event, handler, priority=500):
        self.handlers.append((event, handler, priority))


# An exit handler registered before the extension runs after its gc.freeze (handlers run last
# registered first): it sees everything frozen, and a file written before exit is complete.
SCRIPT = """
import atexit, gc, sys
sys.path.insert(0, {ext!r})
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0, flush=True))
import build_gc
build_gc.setup(type("App", (), {{"connect": lambda self, *args, **kwargs: None}})())
print("frozen before exit:", gc.get_freeze_count() > 0, flush=True)
cycles = []
for index in range(1000):
    node = {{"index": index}}
    node["self"] = node
    cycles.append(node)
with open({out!r}, "w", encoding="utf-8") as handle:
    handle.write("written")
"""


def test_the_process_freezes_its_objects_when_it_exits(tmp_path):
    out = tmp_path / "written.txt"
    result = subprocess.run([sys.executable, "-c", SCRIPT.format(ext=str(REPO / "_ext"), out=str(out))],
                            capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.splitlines() == ["frozen before exit: False", "frozen at exit: True"]
    assert out.read_text(encoding="utf-8") == "written"


def test_the_exit_handler_is_registered_once_and_each_page_read_freezes(monkeypatch):
    build_gc = file_modules.load("_ext/build_gc.py")
    registered = []
    monkeypatch.setattr(atexit, "register", registered.append)
    first, second = App(), App()
    build_gc.setup(first)
    build_gc.setup(second)  # a second Sphinx application in the same process
    assert registered == [gc.freeze]
    (event, handler, priority), = second.handlers
    assert event == "doctree-read" and priority > 500  # after the extensions that read the doctree
    frozen = gc.get_freeze_count()
    try:
        handler(second, None)
        assert gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()
