"""Bin codes as narwhals expressions: :meth:`FeatureBins.codes` run inside any engine.

Codes follow :meth:`FeatureBins.codes <infodiv.core.FeatureBins.codes>` exactly (see
:mod:`infodiv.scale._count_table`); an unseen category gets ``UNSEEN`` (-1) and an infinite
numeric value :data:`INF_CODE` (-2), both turned into errors after the aggregation.
"""

from __future__ import annotations

import math
from typing import Any

import narwhals as nw
import numpy as np

from infodiv.core import UNSEEN, FeatureBins
from infodiv.exceptions import InvalidParameterError
from infodiv.scale._frames import _comparable, _is_float, _is_numeric

__all__ = ["INF_CODE", "code_expr"]

_INT_TYPES: dict[Any, type[np.integer[Any]]] = {
    nw.Int8: np.int8,
    nw.Int16: np.int16,
    nw.Int32: np.int32,
    nw.Int64: np.int64,
    nw.UInt8: np.uint8,
    nw.UInt16: np.uint16,
    nw.UInt32: np.uint32,
    nw.UInt64: np.uint64,
}
INF_CODE = -2  # sentinel code of an infinite value in a numeric column (an error, as in pandas)


def _ge(raw: nw.Expr, xf: nw.Expr, e: float | int, dtype: Any) -> nw.Expr | bool:
    """``x >= e`` as numpy decides it: on the float64 values, or, for an integer column, on
    the integers against ``ceil(e)`` (the same test below 2**53, and the exact one pandas
    makes beyond, where an edge is a Python int). ``True``/``False`` when every value passes
    or none does."""
    kind = next((t for d, t in _INT_TYPES.items() if dtype == d), None)
    if kind is not None:
        info = np.iinfo(kind)
        c = e if isinstance(e, int) else math.ceil(float(e))
        if c <= int(info.min) or c > int(info.max):
            return c <= int(info.min)
        return raw >= nw.lit(int(c), dtype=dtype)
    return xf >= float(e)


def _search(raw: nw.Expr, xf: nw.Expr, edges: tuple[Any, ...], dtype: Any) -> nw.Expr:
    """``#{j: x >= edges[j]}`` as a balanced tree of ``CASE WHEN``: about ``log2(k)``
    comparisons per value instead of ``k`` (the tests are monotone in ``j``, so the count is
    the first edge that fails, found by bisection)."""

    def node(lo: int, hi: int) -> nw.Expr:  # the count, known to lie in [lo, hi]
        if lo == hi:
            return nw.lit(lo)
        mid = (lo + hi + 1) // 2
        cond = _ge(raw, xf, edges[mid - 1], dtype)
        if cond is True:
            return node(mid, hi)
        if cond is False:
            return node(lo, mid - 1)
        return nw.when(cond).then(node(mid, hi)).otherwise(node(lo, mid - 1))

    return node(0, len(edges))


def code_expr(bins: FeatureBins, dtype: Any) -> nw.Expr:
    """The narwhals expression of the bin codes of ``bins.feature`` (see the module docstring).

    Unseen categories get ``-1`` and infinite numeric values ``-2``; :func:`count_table`
    turns both into errors after the aggregation (one pass over the data).

    Parameters
    ----------
    bins : FeatureBins
        The bins of one column.
    dtype : narwhals dtype
        The column's type in the frame's schema.

    Returns
    -------
    narwhals.Expr
        Int32 bin codes, as :meth:`FeatureBins.codes <infodiv.core.FeatureBins.codes>` gives.

    Raises
    ------
    ValueError
        Numeric edges on a column that is not numeric.
    """
    f = bins.feature
    raw = nw.col(f)
    numeric_col = _is_numeric(dtype)
    if bins.is_numeric and not numeric_col:
        raise InvalidParameterError(
            f"column {f!r} holds {dtype} values but its bins have numeric edges; "
            "give it category bins (FeatureBins(categories=...)) or cast it to a number"
        )
    missing = raw.is_null() | raw.is_nan() if _is_float(dtype) else raw.is_null()
    x = raw.cast(nw.Float64) if numeric_col and dtype != nw.Boolean else raw
    chain = nw.when(missing).then(nw.lit(bins.missing_code))
    R = bins.n_regular
    for i, sv in enumerate(bins.special_values):
        vals = _comparable([sv], dtype)
        if vals:
            chain = chain.when(x.is_in(vals)).then(nw.lit(R + i))
    if bins.is_numeric:
        xf = x.cast(nw.Float64)
        chain = chain.when(~xf.is_finite()).then(nw.lit(INF_CODE))
        expr = chain.otherwise(_search(raw, xf, tuple(bins.edges or ()), dtype))
    else:
        for j, group in enumerate(bins.categories or ()):
            vals = _comparable(group, dtype)
            if vals:
                chain = chain.when(x.is_in(vals)).then(nw.lit(j))
        expr = chain.otherwise(nw.lit(UNSEEN))
    return expr.cast(nw.Int32)
