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

__all__ = ["engine_name", "lazy_engine", "times_as_ns", "to_lazy"]

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


#: nanoseconds per unit of a datetime or duration column
_NS_PER_UNIT = {"s": 1e9, "ms": 1e6, "us": 1e3, "ns": 1.0}


def _time_kind(dtype: Any) -> str | None:
    """``"datetime"`` or ``"timedelta"`` for a narwhals time dtype, else ``None``."""
    if dtype == nw.Datetime:
        return "datetime"
    if dtype == nw.Duration:
        return "timedelta"
    return None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def times_as_ns(lf: nw.LazyFrame, names: Iterable[str]) -> nw.LazyFrame:
    """The frame with its datetime and duration columns among ``names`` as float64 nanoseconds.

    Datetimes become nanoseconds since 1970-01-01 UTC, durations nanoseconds, as
    :func:`infodiv.core.numeric_array` reads them in pandas: the float64 nearest the exact
    number of nanoseconds, whatever the column's unit, so the engine compares them with the
    ``ns`` edges of :class:`~infodiv.core.FeatureBins` (``time_dtype``) exactly as numpy
    does. DuckDB runs ``epoch_ns`` (``epoch_us`` for intervals), Spark ``unix_micros``; the
    other engines cast the integers of the column's unit. Other columns are unchanged.

    Parameters
    ----------
    lf : narwhals.LazyFrame
        A frame from :func:`to_lazy`.
    names : iterable of str
        Columns to convert when they hold datetimes or durations.

    Returns
    -------
    narwhals.LazyFrame
        The same frame, with those columns as ``Float64`` (null where missing).
    """
    schema = lf.collect_schema()
    todo = [(c, _time_kind(schema[c])) for c in dict.fromkeys(names) if c in schema]
    todo = [(c, k) for c, k in todo if k is not None]
    if not todo:
        return lf
    impl = lazy_engine(lf)
    native = lf.to_native()
    if impl == "duckdb":
        parts = [
            f"CAST(epoch_ns({_quote(c)}) AS DOUBLE) AS {_quote(c)}"
            if k == "datetime"
            else f"CAST(epoch_us({_quote(c)}) AS DOUBLE) * 1000.0 AS {_quote(c)}"
            for c, k in todo
        ]
        return nw.from_native(native.project(f"* REPLACE ({', '.join(parts)})")).lazy()
    if impl in ("pyspark", "pyspark_connect"):
        from pyspark.sql import functions as F  # noqa: N812 (Spark's usual name)

        for c, k in todo:
            if k != "datetime":
                raise InvalidParameterError(
                    f"column {c!r} holds durations: on Spark, cast it to a number of "
                    "nanoseconds first"
                )
            native = native.withColumn(c, F.unix_micros(F.col(c)).cast("double") * 1000.0)
        return nw.from_native(native).lazy()
    exprs = []
    for c, _ in todo:
        unit = str(getattr(schema[c], "time_unit", "ns"))
        ns = nw.col(c).cast(nw.Int64).cast(nw.Float64) * _NS_PER_UNIT.get(unit, 1.0)
        exprs.append(nw.when(~nw.col(c).is_null()).then(ns).alias(c))
    return lf.with_columns(*exprs)


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
