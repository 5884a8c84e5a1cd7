"""The declarative parameter checks (infodiv._param_validation) and the shared input checks.

Interval membership is checked against the plain comparisons it stands for; messages must name
the parameter, the value and what is allowed; the error must be catchable as ValueError and as
TypeError (so callers written before InvalidParameterError keep working).
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.base import BaseEstimator

from infodiv import _validation
from infodiv._param_validation import (
    Interval,
    StrOptions,
    validate_estimator_params,
    validate_params,
)
from infodiv.exceptions import InvalidParameterError

CLOSED = ["left", "right", "both", "neither"]


def _inside(x: float, lo: float | None, hi: float | None, closed: str) -> bool:
    """The textbook definition, written out case by case."""
    if lo is not None:
        if closed in ("left", "both") and not x >= lo:
            return False
        if closed in ("right", "neither") and not x > lo:
            return False
    if hi is not None:
        if closed in ("right", "both") and not x <= hi:
            return False
        if closed in ("left", "neither") and not x < hi:
            return False
    return True


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)


@given(
    x=finite,
    a=st.one_of(st.none(), finite),
    b=st.one_of(st.none(), finite),
    closed=st.sampled_from(CLOSED),
)
def test_real_interval_is_the_comparison_it_names(x, a, b, closed):
    if a is not None and b is not None and b < a:
        a, b = b, a
    assert Interval(Real, a, b, closed=closed).is_satisfied_by(x) == _inside(x, a, b, closed)


@pytest.mark.parametrize("closed", CLOSED)
def test_bounds_belong_to_the_interval_as_closed_says(closed):
    iv = Interval(Real, 0, 1, closed=closed)
    assert iv.is_satisfied_by(0) == (closed in ("left", "both"))
    assert iv.is_satisfied_by(1.0) == (closed in ("right", "both"))
    assert iv.is_satisfied_by(0.5) and not iv.is_satisfied_by(-0.5)
    assert not iv.is_satisfied_by(float("nan"))


def test_integer_interval_refuses_floats_and_bools_and_accepts_numpy_ints():
    iv = Interval(Integral, 1, None, closed="left")
    assert iv.is_satisfied_by(1) and iv.is_satisfied_by(np.int64(7))
    assert not iv.is_satisfied_by(0)
    assert not iv.is_satisfied_by(2.0)
    assert not iv.is_satisfied_by(True)  # an int to Python, never a count here
    assert Interval(int, 1, None).type is Integral and Interval(float, 0, 1).type is Real
    assert Interval(Real, 0, None).is_satisfied_by(np.float32(0.5))
    assert not Interval(Real, 0, None).is_satisfied_by("1")


def test_interval_and_options_refuse_malformed_definitions():
    with pytest.raises(ValueError, match="closed"):
        Interval(Real, 0, 1, closed="open")
    with pytest.raises(ValueError, match="below"):
        Interval(Real, 2, 1)
    with pytest.raises(TypeError, match="integer bounds"):
        Interval(Integral, 0.5, 2)
    with pytest.raises(ValueError, match="Real or Integral"):
        Interval(str, 0, 1)
    with pytest.raises(TypeError):
        StrOptions(set())


def test_interval_and_options_describe_themselves():
    assert str(Interval(Real, 0, 1, closed="neither")) == "a float in the range (0, 1)"
    assert str(Interval(Integral, 1, None, closed="left")) == "an int in the range [1, inf)"
    assert str(Interval(Real, None, 0, closed="both")) == "a float in the range (-inf, 0]"
    assert str(StrOptions({"kl", "chi2"})) == "a str among {'chi2', 'kl'}"


CONSTRAINTS = {
    "alpha": [Interval(Real, 0, 1, closed="neither")],
    "kind": [StrOptions({"jeffreys", "kl", "hellinger"})],
    "n_jobs": [Interval(Integral, 1, None, closed="left"), None],
    "verbose": ["boolean"],
    "weights": ["array-like", None],
    "scorer": ["callable", None],
    "anything": ["no_validation"],
    "frame": [pd.DataFrame],
    "tol": [float],
    "depth": [int],
}
GOOD = {
    "alpha": 0.05,
    "kind": "kl",
    "n_jobs": None,
    "verbose": np.bool_(True),
    "weights": pd.Series([1.0, 2.0]),
    "scorer": len,
    "anything": object(),
    "frame": pd.DataFrame({"a": [1]}),
    "tol": 1,
    "depth": np.int32(3),
}


def test_valid_parameters_pass_and_unconstrained_ones_are_ignored():
    validate_params({**GOOD, "not_constrained": "whatever"}, CONSTRAINTS)


@pytest.mark.parametrize(
    ("name", "bad", "allowed"),
    [
        ("alpha", 1.0, "a float in the range (0, 1)"),
        ("alpha", "0.05", "a float in the range (0, 1)"),
        ("kind", "KL", "a str among {'hellinger', 'jeffreys', 'kl'}"),
        ("n_jobs", 0, "an int in the range [1, inf) or None"),
        ("verbose", 1, "a bool"),
        ("weights", "abc", "an array-like or None"),
        ("scorer", 3, "a callable or None"),
        ("frame", [1], "an instance of pandas.DataFrame"),
        ("tol", True, "an instance of float"),
        ("depth", 2.5, "an instance of int"),
    ],
)
def test_error_names_parameter_value_and_what_is_allowed(name, bad, allowed):
    with pytest.raises(InvalidParameterError) as info:
        validate_params({**GOOD, name: bad}, CONSTRAINTS, caller="Thing")
    msg = str(info.value)
    assert msg == f"The {name!r} parameter of Thing must be {allowed}; got {bad!r}.", msg
    assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)


def test_an_unknown_constraint_is_a_programming_error_even_when_unused():
    with pytest.raises(ValueError, match="unknown constraint"):
        validate_params({"a": 1}, {"a": [int, "positive"]})


class _Toy(BaseEstimator):
    _parameter_constraints = {"n_cells": [Interval(Integral, 2, None, closed="left")]}

    def __init__(self, n_cells=10):
        self.n_cells = n_cells

    def fit(self, X=None, y=None):
        validate_estimator_params(self)
        return self


def test_estimator_params_are_checked_in_fit_with_the_class_name():
    _Toy().fit()
    with pytest.raises(InvalidParameterError, match=r"'n_cells' parameter of _Toy .* got 1\."):
        _Toy(n_cells=1).fit()
    with pytest.raises(ValueError):  # callers catching ValueError keep working
        _Toy(n_cells=1).fit()


def test_estimator_without_constraints_is_refused():
    class Bare(BaseEstimator):
        pass

    with pytest.raises(AttributeError, match="_parameter_constraints"):
        validate_estimator_params(Bare())


@pytest.mark.parametrize(
    "call",
    [
        lambda: _validation.check_alpha(1.5),
        lambda: _validation.check_alpha("x"),
        lambda: _validation.check_counts([1, -1], "counts"),
        lambda: _validation.check_same_length({"x": [1, 2], "y": [1]}),
        lambda: _validation.check_sample_weight([1.0, np.nan], 2),
        lambda: _validation.check_binary_target([0, 2]),
        lambda: _validation.as_series(np.zeros((2, 2))),
    ],
)
def test_shared_checks_raise_invalid_parameter_error(call):
    with pytest.raises(InvalidParameterError) as info:
        call()
    assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)
