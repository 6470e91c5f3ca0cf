"""_ext/fast_exit.py: the build's process skips the teardown's garbage collection."""
from __future__ import annotations

import atexit
import gc
import subprocess
import sys
from pathlib import Path

import file_modules

REPO = Path(__file__).resolve().parents[1]

# An exit handler registered before the extension runs after gc.freeze (handlers run last
# registered first): it sees everything frozen, and a file written before exit is complete.
SCRIPT = """
import atexit, gc, sys
sys.path.insert(0, {ext!r})
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0, flush=True))
import fast_exit
fast_exit.setup(None)
print("frozen before exit:", gc.get_freeze_count() > 0, flush=True)
cycles = []
for index in range(1000):
    node = {{"index": index}}
    node["self"] = node
    cycles.append(node)
with open({out!r}, "w", encoding="utf-8") as handle:
    handle.write("written")
"""


def test_the_process_freezes_its_objects_only_when_it_exits(tmp_path):
    out = tmp_path / "written.txt"
    result = subprocess.run([sys.executable, "-c", SCRIPT.format(ext=str(REPO / "_ext"), out=str(out))],
                            capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.splitlines() == ["frozen before exit: False", "frozen at exit: True"]
    assert out.read_text(encoding="utf-8") == "written"


def test_it_is_registered_once_however_many_builds_a_process_runs(monkeypatch):
    fast_exit = file_modules.load("_ext/fast_exit.py")
    registered = []
    monkeypatch.setattr(atexit, "register", registered.append)
    fast_exit.setup(None)
    fast_exit.setup(None)
    assert registered == [gc.freeze]
