"""Frames and engines for the scale layer: narwhals wrapping, engine names, dtype tests.

The helpers every engine code path shares: :func:`to_lazy` wraps any supported dataframe as a
narwhals LazyFrame, :func:`engine_name` names the engine behind it, the ``_is_*`` predicates
classify narwhals dtypes, :func:`_comparable` turns category groups and special values into
literals a column can equal, and the ``__infodiv_*`` names are the temporary columns the
aggregations use.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import narwhals as nw
import numpy as np

from infodiv.exceptions import InvalidParameterError

__all__ = ["engine_name", "lazy_engine", "to_lazy"]

# temporary columns of the aggregations (bin code, feature index, weight, squared weight, ...)
_BIN, _FEAT, _W, _W2 = "__infodiv_bin", "__infodiv_feature", "__infodiv_w", "__infodiv_w2"
_WMIN, _WCOUNT = "__infodiv_wmin", "__infodiv_wcount"


def to_lazy(data: Any) -> nw.LazyFrame:
    """Wrap a native dataframe (pandas, Polars, DuckDB relation, PySpark, Dask) as narwhals.

    Parameters
    ----------
    data : dataframe
        A pandas or Polars (eager or lazy) dataframe, DuckDB relation, PySpark or Dask
        dataframe.

    Returns
    -------
    narwhals.LazyFrame
        ``data`` as a lazy narwhals frame (eager frames are made lazy).

    Raises
    ------
    ValueError
        Naming the type, for anything narwhals does not support, or a series.
    """
    try:
        frame = nw.from_native(data)
    except TypeError:
        raise InvalidParameterError(
            "data must be a pandas, Polars, DuckDB, PySpark or Dask dataframe; "
            f"got {type(data).__module__}.{type(data).__name__}"
        ) from None
    if isinstance(frame, nw.Series):
        raise InvalidParameterError("data must be a dataframe, not a series")
    return frame.lazy() if isinstance(frame, nw.DataFrame) else frame


def engine_name(data: Any) -> str:
    """The engine behind ``data`` as narwhals names it.

    Parameters
    ----------
    data : dataframe
        Anything :func:`to_lazy` accepts.

    Returns
    -------
    str
        ``"pandas"``, ``"polars"``, ``"duckdb"``, ``"pyspark"``, ``"dask"``...

    Examples
    --------
    >>> import pandas as pd
    >>> engine_name(pd.DataFrame({"x": [1]}))
    'pandas'
    """
    return lazy_engine(to_lazy(data))


def lazy_engine(lf: nw.LazyFrame) -> str:
    """:func:`engine_name` of a narwhals LazyFrame.

    Parameters
    ----------
    lf : narwhals.LazyFrame
        A frame from :func:`to_lazy`.

    Returns
    -------
    str
        The engine's name, as :func:`engine_name` gives it.
    """
    return str(lf.implementation).split(".")[-1].lower()


def _is_float(dtype: Any) -> bool:
    return dtype.is_float()


def _is_numeric(dtype: Any) -> bool:
    return dtype.is_numeric() or dtype == nw.Boolean


def _is_text(dtype: Any) -> bool:
    return dtype in (nw.String, nw.Categorical, nw.Enum) or isinstance(
        dtype, nw.Categorical | nw.Enum
    )


def _plain_number(v: Any) -> bool:
    return isinstance(v, int | float | np.integer | np.floating | bool | np.bool_) and not (
        isinstance(v, float | np.floating) and math.isnan(v)
    )


def _comparable(values: Iterable[Any], dtype: Any) -> list[Any]:
    """Values of a category group or special-value list that can equal a value of ``dtype``.

    pandas compares with Python equality (``1 == 1.0 == True``); engines need a literal of the
    column's type, so values that cannot match (a string against a number column) are dropped,
    as they can never match in pandas either.
    """
    out: list[Any] = []
    for v in values:
        if dtype == nw.Boolean:
            if isinstance(v, bool | np.bool_) or (_plain_number(v) and float(v) in (0.0, 1.0)):
                out.append(bool(v))
        elif _is_numeric(dtype):
            if _plain_number(v):
                out.append(float(v))
        elif _is_text(dtype):
            if isinstance(v, str):
                out.append(v)
        else:
            out.append(v)
    return list(dict.fromkeys(out))
