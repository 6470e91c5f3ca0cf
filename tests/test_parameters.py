"""migration_recomputed.parameters: a bad papermill parameter stops the chapter with a
message naming the parameter and its valid values."""
from __future__ import annotations

import pytest

from migration_recomputed import indicators
from migration_recomputed.parameters import ParameterError, require_choice

VINTAGES = list(indicators.REVISION_LABELS)  # the chapters' choice of UN revision


@pytest.mark.parametrize("value", VINTAGES)
def test_require_choice_accepts_each_valid_value(value):
    assert require_choice("vintage", value, VINTAGES) is None


def test_require_choice_accepts_a_valid_integer_from_a_generator():
    assert require_choice("year", 2013, (year for year in range(2010, 2016))) is None


def test_invalid_value_raises_parameter_error_naming_parameter_and_sorted_valid_values():
    with pytest.raises(ParameterError) as caught:
        require_choice("vintage", "wdi_2020", VINTAGES)
    assert str(caught.value) == ("parameter vintage='wdi_2020' is not valid; choose one of: "
                                 "'undesa_ims2019', 'wdi_2018-08-01', 'wdi_2026-07-01'")


def test_invalid_integer_lists_integers_once_each():
    with pytest.raises(ParameterError, match=r"^parameter year=2030 is not valid; choose one of: 2013, 2015$"):
        require_choice("year", 2030, [2015, 2013, 2015])


def test_parameter_error_is_a_value_error():
    with pytest.raises(ValueError):
        require_choice("chapter", 9, [1, 2, 3, 4])


def test_a_string_that_looks_like_a_valid_number_is_not_accepted():
    with pytest.raises(ParameterError, match=r"parameter year='2013'"):
        require_choice("year", "2013", [2013])


def test_reject_unknown_names_a_misspelt_parameter():
    import types

    from migration_recomputed.parameters import ParameterError, reject_unknown

    namespace = {"focus_country": "Tajikistan", "year": 2013, "focus_contry": "Kyrgyzstan", "In": [], "Out": {},
                 "pd": types.ModuleType("pandas"), "show": print, "_": None}
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) focus_contry; this chapter's parameters are: "
                                             r"focus_country, year"):
        reject_unknown(namespace, known=["focus_country", "year"])
    del namespace["focus_contry"]
    reject_unknown(namespace, known=["focus_country", "year"])  # modules, functions, IPython names pass


@pytest.mark.parametrize("value, expected", [(2013, 2013), (2013.0, 2013)])
def test_as_integer_normalises_a_whole_float(value, expected):
    from migration_recomputed.parameters import as_integer

    result = as_integer("year", value)
    assert result == expected and type(result) is int


@pytest.mark.parametrize("value", ["2013", 2013.5, True, None])
def test_as_integer_refuses_anything_else_by_name(value):
    from migration_recomputed.parameters import ParameterError, as_integer

    with pytest.raises(ParameterError, match=r"parameter year="):
        as_integer("year", value)
