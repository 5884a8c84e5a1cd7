"""Numbers for people: the one place where the report turns numbers into text.

Every table cell, summary line and caption of the report goes through these functions:

* counts as integers with thousands separators (``12,345``), or with two decimals when they are
  sums of weights (``1,234.50``);
* estimates to 4 significant digits in fixed notation between 1e-4 and 1e6 (``0.1235``,
  ``123.5``, ``12,346``), in scientific notation outside (``1.235e-05``);
* p-values with three decimals, and ``<0.001`` below 0.001;
* intervals as ``[a, b]`` with both ends formatted as estimates;
* missing or infinite values as an empty string (infinite interval ends as ``-inf``/``inf``).
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "format_count",
    "format_estimate",
    "format_interval",
    "format_percent",
    "format_pvalue",
]


def _finite(v: Any) -> float | None:
    """``v`` as a finite float, or None (missing, NaN, infinite, not a number)."""
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def format_count(v: Any, decimals: int | None = None) -> str:
    """A count with thousands separators: ``12345`` -> ``"12,345"``.

    Parameters
    ----------
    v : number
        The count (rows, or a sum of weights).
    decimals : int, optional
        Decimals to print; by default 0 for whole numbers and 2 otherwise (sums of weights).

    Returns
    -------
    str
        The text; empty for a missing or infinite value.

    Examples
    --------
    >>> format_count(1032.0), format_count(1234.5), format_count(7, decimals=2)
    ('1,032', '1,234.50', '7.00')
    """
    f = _finite(v)
    if f is None:
        return ""
    if decimals is None:
        decimals = 0 if f == round(f) else 2
    return f"{f:,.{decimals}f}"


def format_estimate(v: Any, digits: int = 4) -> str:
    """An estimate to ``digits`` significant digits.

    Fixed notation for magnitudes in [1e-4, 1e6) (thousands separated), scientific outside;
    trailing zeros are kept (they state the precision).

    Parameters
    ----------
    v : number
        The estimate.
    digits : int, default 4
        Significant digits (3 or 4 in the report).

    Returns
    -------
    str
        The text; empty for a missing value, ``inf``/``-inf`` for infinite ones.

    Examples
    --------
    >>> format_estimate(0.123456), format_estimate(123.456), format_estimate(12345.6)
    ('0.1235', '123.5', '12,346')
    >>> format_estimate(0.0000123456), format_estimate(0), format_estimate(-2.5, digits=3)
    ('1.235e-05', '0', '-2.50')
    """
    if v is not None and not isinstance(v, bool):
        try:
            f0 = float(v)
        except (TypeError, ValueError):
            f0 = math.nan
        if math.isinf(f0):
            return "inf" if f0 > 0 else "-inf"
    f = _finite(v)
    if f is None:
        return ""
    if f == 0:
        return "0"
    # the magnitude after rounding to `digits` significant digits (9.9996 -> 10.00)
    rounded = float(f"{f:.{digits - 1}e}")
    mag = math.floor(math.log10(abs(rounded)))
    if -4 <= mag < 6:
        return f"{f:,.{max(0, digits - 1 - mag)}f}"
    return f"{f:.{digits - 1}e}"


def format_pvalue(v: Any) -> str:
    """A p-value: ``<0.001`` below 0.001, else three decimals.

    Parameters
    ----------
    v : number
        The p-value.

    Returns
    -------
    str
        The text; empty for a missing value.

    Examples
    --------
    >>> format_pvalue(0.0004), format_pvalue(0.0123), format_pvalue(1.0)
    ('<0.001', '0.012', '1.000')
    """
    f = _finite(v)
    if f is None:
        return ""
    return "<0.001" if f < 0.001 else f"{f:.3f}"


def format_interval(low: Any, high: Any, digits: int = 4) -> str:
    """An interval as ``[a, b]``, each end an estimate (``-inf``/``inf`` for open ends).

    Parameters
    ----------
    low, high : number
        The ends.
    digits : int, default 4
        Significant digits of each end.

    Returns
    -------
    str
        The text; empty when both ends are missing.

    Examples
    --------
    >>> format_interval(0.70213, 0.73391)
    '[0.7021, 0.7339]'
    >>> format_interval(0.5, float("inf"), digits=3)
    '[0.500, inf]'
    """
    a, b = format_estimate(low, digits), format_estimate(high, digits)
    if a == "" and b == "":
        return ""
    return f"[{a}, {b}]"


def format_percent(v: Any, digits: int = 3) -> str:
    """A share as a percentage to ``digits`` significant digits: ``0.02216`` -> ``"2.22%"``.

    Parameters
    ----------
    v : number
        The share (0.25 is 25%).
    digits : int, default 3
        Significant digits.

    Returns
    -------
    str
        The text; empty for a missing value.

    Examples
    --------
    >>> format_percent(0.02216), format_percent(0.5)
    ('2.22%', '50.0%')
    """
    f = _finite(v)
    if f is None:
        return ""
    return f"{format_estimate(100 * f, digits)}%"
