"""Check papermill parameters at the top of a chapter, before any work is done.

A chapter's first cells are its `parameters` cell and, when papermill runs it, the cell papermill
injects. The cell after them calls these functions, so that a mistyped name, a value of the
wrong type or one without data stops the chapter with a message that names the parameter."""
from __future__ import annotations

import numbers
import types
from collections.abc import Iterable


class ParameterError(ValueError):
    """A chapter parameter has a name or a value the chapter cannot use."""


def reject_unknown(namespace: dict, known: Iterable[str]) -> None:
    """Stop if the notebook's namespace holds a value that is not one of the chapter's parameters.

    Call it in the cell right after the parameters cell with globals(): at that point the only
    plain values in the namespace are the parameters and whatever papermill injected, so
    `-p focus_contry Kyrgyzstan` is caught instead of silently running the defaults."""
    known = set(known)
    unknown = sorted(
        name for name, value in namespace.items()
        if not name.startswith("_") and name not in known and name not in {"In", "Out"}
        and not callable(value) and not isinstance(value, types.ModuleType))
    if unknown:
        raise ParameterError(f"unknown parameter(s) {', '.join(unknown)}; this chapter's parameters are: "
                             + ", ".join(sorted(known)))


def as_integer(name: str, value) -> int:
    """An integer parameter: 2013 and 2013.0 give 2013; '2013', True or 2013.5 stop with a message."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterError(f"parameter {name}={value!r} must be a whole number (e.g. -p {name} 2013), "
                             f"not {type(value).__name__}")
    if value != int(value):
        raise ParameterError(f"parameter {name}={value!r} must be a whole number")
    return int(value)


def as_text(name: str, value) -> str:
    """A text parameter, without surrounding spaces; anything but text stops with a message."""
    if not isinstance(value, str):
        raise ParameterError(f"parameter {name}={value!r} must be text, not {type(value).__name__}")
    return value.strip()


def require_choice(name: str, value, valid: Iterable, meaning: str = "") -> None:
    """Stop with a message naming the parameter and its valid values unless value is one of them.

    meaning: what the valid values are, e.g. "years with data for Tajikistan".
    """
    valid = sorted(set(valid))
    if value not in valid:
        because = f" ({meaning})" if meaning else ""
        raise ParameterError(f"parameter {name}={value!r} is not valid{because}; choose one of: "
                             + ", ".join(map(repr, valid)))
