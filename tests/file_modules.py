"""Load a script or a Sphinx extension of the repository as a module, from its file: tools/,
_ext/ and data/scripts/ are not packages, and putting them on sys.path would let their names
shadow other modules in every test."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def load(relative_path: str) -> ModuleType:
    """The module in REPO/`relative_path` (e.g. "tools/benchmark.py"), freshly executed."""
    path = REPO / relative_path
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
