"""Numbers written for prose and tables: a true minus sign, signs where a difference is meant.

myst-nb's format specs write a hyphen-minus ("-5.7"); typeset text uses the minus sign U+2212.
Values whose sign matters are glued as text made here; plain magnitudes are glued as numbers."""
from __future__ import annotations

import math

MINUS = "\u2212"


def number(value: float, decimals: int = 1, *, sign: bool = False, thousands: bool = True) -> str:
    """'1,234.5', '−5.7', or with sign=True '+5.7' / '−5.7' (zero is written without a sign)."""
    if not math.isfinite(value):
        raise ValueError(f"cannot write {value} as a number in the text")
    if round(value, decimals) == 0:
        value = 0.0
    spec = f"{'+' if sign and value != 0 else ''}{',' if thousands else ''}.{decimals}f"
    return format(value, spec).replace("-", MINUS)


def percent(value: float, decimals: int = 1, *, sign: bool = False) -> str:
    """'−5.7 %', '+25.2 %' (with a space before %, as the book writes it)."""
    return number(value, decimals, sign=sign) + "\u00a0%"  # no break between a number and its %


def signed_percent(value: float, decimals: int = 1) -> str:
    """A difference in percent, always signed: '+25.2 %', '−5.7 %'."""
    return percent(value, decimals, sign=True)
