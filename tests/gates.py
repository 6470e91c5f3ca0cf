"""The book-wide gates' figures (issue 9), printed at the end of every test run.

A test that measures a gate calls ``report(gate, figure)``; ``pytest_terminal_summary`` in
tests/conftest.py prints every reported figure under "Gates", in the order of GATE_ORDER,
so CI's log shows what was checked, not only that it passed.
"""
from __future__ import annotations

GATE_ORDER = ("pages in a browser", "accessibility", "links", "determinism", "bad input", "pdf", "suite time")

_FIGURES: dict[str, list[str]] = {}


def report(gate: str, figure: str) -> None:
    """Record one figure for `gate` (one of GATE_ORDER, or another name printed last)."""
    _FIGURES.setdefault(gate, []).append(figure)


def reported() -> list[tuple[str, str]]:
    """Every (gate, figure) reported so far, gates in GATE_ORDER then by name."""
    order = {gate: i for i, gate in enumerate(GATE_ORDER)}
    gates = sorted(_FIGURES, key=lambda gate: (order.get(gate, len(order)), gate))
    return [(gate, figure) for gate in gates for figure in _FIGURES[gate]]
