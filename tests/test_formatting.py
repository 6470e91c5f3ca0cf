"""migration_recomputed.formatting: numbers as the prose writes them."""
from __future__ import annotations

import math

import pytest

from migration_recomputed import formatting


@pytest.mark.parametrize("value, expected", [
    (-5.23, "\u22125.2\u00a0%"),      # a true minus sign, and no line break before %
    (25.19, "+25.2\u00a0%"),
    (0.01, "0.0\u00a0%"),             # what rounds to zero carries no sign
    (-0.04, "0.0\u00a0%"),
])
def test_signed_percent(value, expected):
    assert formatting.signed_percent(value) == expected


def test_number_with_thousands_and_minus():
    assert formatting.number(-1234567.0, 0) == "\u22121,234,567"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_non_finite_number_is_refused(value):
    with pytest.raises(ValueError, match="cannot write"):
        formatting.number(value)
