"""Check papermill parameters at the top of a chapter, before any work is done."""
from __future__ import annotations

from collections.abc import Iterable


class ParameterError(ValueError):
    """A chapter parameter has a value the chapter cannot use."""


def require_choice(name: str, value, valid: Iterable, meaning: str = "") -> None:
    """Stop with a message naming the parameter and its valid values unless value is one of them.

    meaning: what the valid values are, e.g. "years with data for Tajikistan".
    """
    valid = sorted(set(valid))
    if value not in valid:
        because = f" ({meaning})" if meaning else ""
        raise ParameterError(f"parameter {name}={value!r} is not valid{because}; choose one of: "
                             + ", ".join(map(repr, valid)))
