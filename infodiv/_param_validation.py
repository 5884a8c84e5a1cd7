"""Declarative parameter constraints, checked once in ``fit`` (scikit-learn's practice).

An estimator lists what each constructor parameter may be in a class attribute, and ``fit``
checks them all in one call before any work::

    class Criterion(BaseEstimator):  # an illustration, not infodiv's PNCriterion
        _parameter_constraints = {
            "epsilon": [Interval(Real, 0, None, closed="neither")],
            "alpha": [Interval(Real, 0, 1, closed="neither")],
            "family": [StrOptions({"bernoulli", "poisson"}), ExponentialFamily],
            "n_jobs": [
                Interval(Integral, 1, None, closed="left"),
                Interval(Integral, -1, -1, closed="both"),  # -1: all cores
                None,
            ],
        }

        def fit(self, X, y=None):
            validate_estimator_params(self)
            ...

A parameter is valid when it satisfies *any* of its constraints. A constraint is one of:

* an :class:`Interval` or :class:`StrOptions` instance;
* ``None`` (the value ``None``);
* a type (``isinstance``; ``float`` accepts any real number but not ``bool``, ``int`` any
  integer but not ``bool``);
* the strings ``"boolean"`` (``bool`` or ``numpy.bool_``), ``"array-like"`` (a list, tuple,
  NumPy array, pandas object or anything with ``__array__``), ``"callable"``, and
  ``"no_validation"`` (anything).

The error is :class:`infodiv.exceptions.InvalidParameterError` (a ``ValueError`` and a
``TypeError``) and names the parameter, the value received and what is allowed.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np

from infodiv._validation import _show
from infodiv.exceptions import InvalidParameterError

__all__ = [
    "Interval",
    "StrOptions",
    "validate_estimator_params",
    "validate_params",
]

_CLOSED = ("left", "right", "both", "neither")
_STRING_CONSTRAINTS = ("boolean", "array-like", "callable", "no_validation")


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool | np.bool_)


@dataclass(frozen=True)
class Interval:
    """A range of real or integer numbers, bounded or not on either side.

    Parameters
    ----------
    type : {numbers.Real, numbers.Integral, float, int}
        The kind of number allowed. ``Real`` (or ``float``) accepts any real number (Python or
        NumPy ints and floats); ``Integral`` (or ``int``) accepts integers only. Booleans are
        refused in both cases (``True`` is an ``int`` to Python, never a count to infodiv).
    left, right : float or int or None
        The bounds; ``None`` leaves that side unbounded.
    closed : {"left", "right", "both", "neither"}, default "left"
        Which bounds belong to the interval.

    Examples
    --------
    >>> from numbers import Real
    >>> Interval(Real, 0, 1, closed="neither").is_satisfied_by(0.05)
    True
    >>> str(Interval(int, 1, None))
    'an int in the range [1, inf)'
    """

    type: type
    left: float | None
    right: float | None
    closed: str = field(default="left")

    def __post_init__(self) -> None:
        kind = {float: numbers.Real, int: numbers.Integral}.get(self.type, self.type)
        if kind not in (numbers.Real, numbers.Integral):
            raise ValueError(f"Interval type must be Real or Integral; got {self.type!r}")
        object.__setattr__(self, "type", kind)
        if self.closed not in _CLOSED:
            raise ValueError(f"closed must be one of {_CLOSED}; got {self.closed!r}")
        for side in ("left", "right"):
            bound = getattr(self, side)
            if bound is None:
                continue
            if kind is numbers.Integral and not isinstance(bound, numbers.Integral):
                raise TypeError(f"an integer Interval needs integer bounds; {side}={bound!r}")
            if not isinstance(bound, numbers.Real) or math.isnan(bound):
                raise TypeError(f"Interval {side} bound must be a number or None; got {bound!r}")
        if self.left is not None and self.right is not None and self.right < self.left:
            raise ValueError(f"Interval right bound {self.right} is below left bound {self.left}")

    def is_satisfied_by(self, value: Any) -> bool:
        """Whether ``value`` is a number of the right kind inside the interval.

        Parameters
        ----------
        value : object
            The value to test.

        Returns
        -------
        bool
            ``True`` when ``value`` belongs to the interval.
        """
        if _is_bool(value) or not isinstance(value, self.type):
            return False
        # a numbers.Real (or Integral) here: ``self.type`` is one of the two after __post_init__
        number = cast(float, value)
        if math.isnan(number):
            return False
        if self.left is not None:
            inside = number >= self.left if self.closed in ("left", "both") else number > self.left
            if not inside:
                return False
        if self.right is not None:
            inside = (
                number <= self.right if self.closed in ("right", "both") else number < self.right
            )
            if not inside:
                return False
        return True

    def __str__(self) -> str:
        kind = "an int" if self.type is numbers.Integral else "a float"
        lo = "-inf" if self.left is None else f"{self.left!r}"
        hi = "inf" if self.right is None else f"{self.right!r}"
        left = "[" if self.closed in ("left", "both") and self.left is not None else "("
        right = "]" if self.closed in ("right", "both") and self.right is not None else ")"
        return f"{kind} in the range {left}{lo}, {hi}{right}"


@dataclass(frozen=True)
class StrOptions:
    """A fixed set of allowed strings.

    Parameters
    ----------
    options : set of str
        The allowed values (compared exactly: case matters).

    Examples
    --------
    >>> StrOptions({"kl", "jeffreys"}).is_satisfied_by("kl")
    True
    >>> str(StrOptions({"kl", "jeffreys"}))
    "a str among {'jeffreys', 'kl'}"
    """

    options: frozenset[str]

    def __init__(self, options: Iterable[str]) -> None:
        opts = frozenset(options)
        if not opts or not all(isinstance(o, str) for o in opts):
            raise TypeError(f"StrOptions needs a non-empty set of strings; got {options!r}")
        object.__setattr__(self, "options", opts)

    def is_satisfied_by(self, value: Any) -> bool:
        """Whether ``value`` is one of the allowed strings.

        Parameters
        ----------
        value : object
            The value to test.

        Returns
        -------
        bool
            ``True`` when ``value`` is a ``str`` among the options.
        """
        return isinstance(value, str) and value in self.options

    def __str__(self) -> str:
        return "a str among {" + ", ".join(repr(o) for o in sorted(self.options)) + "}"


def _satisfies(value: Any, constraint: Any) -> bool:
    if constraint is None:
        return value is None
    if isinstance(constraint, Interval | StrOptions):
        return constraint.is_satisfied_by(value)
    if isinstance(constraint, str):
        if constraint == "no_validation":
            return True
        if constraint == "boolean":
            return _is_bool(value)
        if constraint == "callable":
            return callable(value)
        if constraint == "array-like":
            return not isinstance(value, str | bytes) and (
                isinstance(value, list | tuple | np.ndarray) or hasattr(value, "__array__")
            )
    if isinstance(constraint, type):
        if constraint is float:
            return isinstance(value, numbers.Real) and not _is_bool(value)
        if constraint is int:
            return isinstance(value, numbers.Integral) and not _is_bool(value)
        return isinstance(value, constraint)
    raise ValueError(f"unknown parameter constraint {constraint!r}")


def _describe(constraint: Any) -> str:
    if constraint is None:
        return "None"
    if isinstance(constraint, Interval | StrOptions):
        return str(constraint)
    if isinstance(constraint, str):
        return {"boolean": "a bool", "array-like": "an array-like", "callable": "a callable"}.get(
            constraint, constraint
        )
    if isinstance(constraint, type):
        return f"an instance of {constraint.__module__}.{constraint.__qualname__}".replace(
            "builtins.", ""
        )
    return repr(constraint)


def _check_constraint(constraint: Any, name: str) -> None:
    ok = (
        constraint is None
        or isinstance(constraint, Interval | StrOptions | type)
        or (isinstance(constraint, str) and constraint in _STRING_CONSTRAINTS)
    )
    if not ok:
        raise ValueError(f"unknown constraint {constraint!r} for parameter {name!r}")


def validate_params(
    params: Mapping[str, Any],
    constraints: Mapping[str, list[Any]],
    caller: str | None = None,
) -> None:
    """Check every parameter that has constraints; raise on the first one that fails them.

    Parameters
    ----------
    params : mapping of str to object
        The parameter values, e.g. ``estimator.get_params(deep=False)``.
    constraints : mapping of str to list
        For each parameter, the list of constraints it may satisfy (any one suffices): see the
        module docstring. Parameters without an entry are not checked; an unknown constraint
        is a programming error (``ValueError``), raised whether or not the value satisfies it.
    caller : str, optional
        The function or class named in the message (e.g. ``"PNCriterion"``).

    Raises
    ------
    infodiv.exceptions.InvalidParameterError
        Naming the parameter, the value received and what is allowed.

    Examples
    --------
    >>> from numbers import Real
    >>> validate_params({"alpha": 0.05}, {"alpha": [Interval(Real, 0, 1, closed="neither")]})
    >>> validate_params({"alpha": 5}, {"alpha": [Interval(Real, 0, 1, closed="neither")]})
    Traceback (most recent call last):
    ...
    infodiv.exceptions.InvalidParameterError: The 'alpha' parameter must be a float in the range (0, 1); got 5.
    """
    allowed: list[Any] | None
    for name, allowed in constraints.items():
        for c in allowed:
            _check_constraint(c, name)
    for name, value in params.items():
        allowed = constraints.get(name)
        if allowed is None:
            continue
        if any(_satisfies(value, c) for c in allowed):
            continue
        shown = [_describe(c) for c in allowed]
        if len(shown) == 1:
            what = shown[0]
        else:
            what = ", ".join(shown[:-1]) + " or " + shown[-1]
        of = f" of {caller}" if caller else ""
        raise InvalidParameterError(
            f"The {name!r} parameter{of} must be {what}; got {_show(value)}."
        )


def validate_estimator_params(estimator: Any) -> None:
    """Check an estimator's constructor parameters against its ``_parameter_constraints``.

    Call it first in ``fit``; the message names the estimator's class.

    Parameters
    ----------
    estimator : object
        A scikit-learn style estimator (``get_params(deep=False)``) whose class defines
        ``_parameter_constraints`` (a mapping as in :func:`validate_params`).

    Raises
    ------
    infodiv.exceptions.InvalidParameterError
        Naming the parameter, the value received and what is allowed.
    """
    constraints = getattr(type(estimator), "_parameter_constraints", None)
    if constraints is None:
        raise AttributeError(f"{type(estimator).__name__} defines no _parameter_constraints")
    validate_params(estimator.get_params(deep=False), constraints, caller=type(estimator).__name__)
