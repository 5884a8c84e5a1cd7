"""Bins of one feature: numeric edges or category groups, special values and a missing bin.

A :class:`FeatureBins` maps raw values to integer bin codes. The code layout is fixed:
regular bins ``0 .. R-1`` (numeric intervals ``[e_i, e_{i+1})``, left-closed, as xgboost
splits ``x < t``; or category groups), then one bin per special value, then the missing bin.
Unseen categories get code ``-1`` and the caller decides (error, or a documented value).
Bins serialise to JSON-friendly dicts so that edges learned on a sample can be applied elsewhere.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from infodiv._param_validation import Interval, StrOptions, validate_params
from infodiv._validation import as_series, check_sample_weight
from infodiv.core._codes import right_codes
from infodiv.exceptions import InvalidParameterError

__all__ = [
    "FeatureBins",
    "UNSEEN",
    "UNSEEN_LABEL",
    "check_bins",
    "check_no_inf",
    "frame_bins",
    "infer_bins",
    "integer_values",
    "is_categorical",
    "is_plain_number",
    "is_text",
    "is_time",
    "numeric_array",
    "quantile_edges",
    "time_kind",
    "unseen_label",
]

UNSEEN = -1
#: The label of the bin that counts rows whose category is in no bin (see :func:`unseen_label`).
UNSEEN_LABEL = "unseen"


def unseen_label(labels: Sequence[str]) -> str:
    """The label of the extra bin for categories in no bin: ``"unseen"`` unless taken.

    Parameters
    ----------
    labels : sequence of str
        The feature's bin labels.

    Returns
    -------
    str
        ``"unseen"``, or ``"unseen categories"`` when a bin is already labelled ``"unseen"``.
    """
    return UNSEEN_LABEL if UNSEEN_LABEL not in labels else f"{UNSEEN_LABEL} categories"


def is_categorical(x: pd.Series) -> bool:
    """True for pandas ``category`` and ``bool`` columns (bins are categories, not intervals)."""
    return isinstance(x.dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(x.dtype)


def is_text(x: pd.Series) -> bool:
    """True for ``object`` and string columns (text unless the column is marked categorical).

    Parameters
    ----------
    x : pandas.Series
        The column.

    Returns
    -------
    bool
        Whether the dtype is ``object`` or a pandas string dtype.
    """
    return pd.api.types.is_object_dtype(x.dtype) or pd.api.types.is_string_dtype(x.dtype)


def numeric_array(x: pd.Series, feature: str) -> np.ndarray:
    """The values of a numeric column as one float array (NaN where missing).

    Datetimes (naive, read as UTC, or time-zone aware) become nanoseconds since
    1970-01-01 UTC and timedeltas nanoseconds, whatever the unit of the column (``s``, ``ms``,
    ``us`` or ``ns``): the same instants give the same numbers in every unit. An ``object``
    column that holds only numbers (and missing values) is read as numbers.

    Parameters
    ----------
    x : pandas.Series
        The column: numbers (nullable integer and float dtypes included), numeric objects,
        datetimes or timedeltas.
    feature : str
        Column name, used in the error messages.

    Returns
    -------
    numpy.ndarray
        ``float`` values, NaN for missing ones.

    Raises
    ------
    InvalidParameterError
        If the column holds strings that are not marked categorical, is not numeric (complex
        numbers included), holds integers that float64 cannot tell apart (beyond 2**53), or
        contains inf. Integer columns beyond 2**53 are binned on their exact values by
        :func:`quantile_edges` and :meth:`FeatureBins.codes` (see :func:`integer_values`),
        which do not call this function for them.
    """
    dtype = x.dtype
    if is_time(dtype):
        return _time_ns(x)
    if pd.api.types.is_complex_dtype(dtype):
        raise InvalidParameterError(
            f"column {feature!r} holds complex numbers (dtype {dtype}); bins need real values: "
            f"pass the real part, the modulus or another real feature"
        )
    if is_text(x) and not is_categorical(x):
        x = _object_numbers(x, feature)
    try:
        arr = pd.to_numeric(x).to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"column {feature!r} is not numeric (dtype {x.dtype}); mark it categorical "
            "(astype('category')) to bin it by category"
        ) from None
    if pd.api.types.is_integer_dtype(x.dtype):
        _check_exact_integers(x, arr, feature)
    return check_no_inf(arr, feature)


def is_time(dtype: Any) -> bool:
    """True for datetime (naive or time-zone aware) and timedelta dtypes.

    Parameters
    ----------
    dtype : numpy or pandas dtype
        The column's dtype.

    Returns
    -------
    bool
        Whether values of this dtype are instants or durations (binned as nanoseconds).
    """
    return time_kind(dtype) is not None


def time_kind(dtype: Any) -> str | None:
    """``"datetime"``, ``"timedelta"`` or ``None``: what the numbers of a column stand for.

    Parameters
    ----------
    dtype : numpy or pandas dtype
        The column's dtype.

    Returns
    -------
    str or None
        ``"datetime"`` for datetime dtypes (naive or aware), ``"timedelta"`` for timedeltas,
        ``None`` otherwise.
    """
    kind = getattr(dtype, "kind", None)  # numpy, DatetimeTZDtype and pyarrow dtypes alike
    if kind == "M" or pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if kind == "m" or pd.api.types.is_timedelta64_dtype(dtype):
        return "timedelta"
    return None


_NS_PER = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}


def _time_ns(x: pd.Series) -> np.ndarray:
    """Datetimes (ns since the epoch, UTC) or timedeltas (ns) as floats, NaN where missing.

    The integers of the column's own unit are scaled by an exact power of ten in float64:
    the same instant gives the same float in every unit (a correctly rounded product of
    exact factors), and order is kept.
    """
    if not hasattr(x.array, "asi8"):  # e.g. pyarrow-backed: as the numpy-backed dtype
        # the unit and zone from the arrow type (pandas 2.1 has no .dt on arrow durations)
        pa_type = getattr(x.dtype, "pyarrow_dtype", None)
        unit = str(getattr(pa_type, "unit", None) or getattr(x.dt, "unit", "ns"))
        tz = getattr(pa_type, "tz", None) if pa_type is not None else getattr(x.dt, "tz", None)
        if time_kind(x.dtype) == "timedelta":
            x = x.astype(f"timedelta64[{unit}]")
        elif tz is not None:
            x = x.astype(f"datetime64[{unit}, UTC]")
        else:
            x = x.astype(f"datetime64[{unit}]")
    unit = str(getattr(x.dt, "unit", "ns"))
    ints = np.asarray(x.array.asi8)
    out = ints.astype(float) * float(_NS_PER.get(unit, 1))
    out[x.isna().to_numpy()] = np.nan
    return out


def _holds_numbers(x: pd.Series, feature: str) -> bool:
    """Whether an ``object``/string column holds only numbers (read as numbers when binned)."""
    try:
        _object_numbers(x, feature)
    except InvalidParameterError:
        return False
    return True


def _object_numbers(x: pd.Series, feature: str) -> pd.Series:
    """An ``object``/string column that holds only numbers as numbers, else a clear error."""
    present = x[~x.isna()]
    texts = [v for v in present.head(100_000) if isinstance(v, str | bytes)]
    if not texts and len(present):
        if any(isinstance(v, complex | np.complexfloating) for v in present):
            raise InvalidParameterError(
                f"column {feature!r} holds complex numbers; bins need real values"
            )
        try:
            vals = pd.to_numeric(present, errors="raise")
        except (TypeError, ValueError):
            vals = None
        if vals is not None and not pd.api.types.is_object_dtype(vals.dtype):
            out = pd.Series(np.nan, index=x.index, dtype=float)
            out[present.index] = vals.to_numpy(dtype=float)
            return out
    what = "strings" if texts else "values that are not numbers"
    example = texts[0] if texts else next(iter(present), None)
    raise InvalidParameterError(
        f"column {feature!r} holds {what} (dtype {x.dtype}); mark it categorical "
        f"(X[{feature!r}] = X[{feature!r}].astype('category')) to bin it by category, or "
        f"convert it to numbers (first such value: {example!r})"
    )


_EXACT = 2**53  # every integer up to this magnitude is a float64


def integer_values(x: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """The exact values of an integer column that float64 cannot hold, else ``None``.

    An integer column (``int64``, ``uint64``, nullable ``Int64``/``UInt64``, ...) with a
    value beyond 2**53 in magnitude is binned on its integers, not on floats, which merge
    neighbouring integers there (``2**63 + 1000`` and ``2**63 + 1500`` are one float64):
    quantile edges are observed integers (Python ``int``) and codes compare integers.

    Parameters
    ----------
    x : pandas.Series
        The column.

    Returns
    -------
    tuple of (numpy.ndarray, numpy.ndarray) or None
        ``(values, missing)``: the values as ``int64`` or ``uint64`` (missing rows hold 0) and
        the boolean mask of missing rows; ``None`` for any other column (floats, small
        integers, datetimes, text), whose float64 values are exact or already floats. An
        ``object`` column holding only integers (beyond 2**53, within 64 bits) counts as an
        integer column.
    """
    dtype = x.dtype
    if pd.api.types.is_object_dtype(dtype):
        return _object_integers(x)
    if not is_plain_number(dtype) or not pd.api.types.is_integer_dtype(dtype):
        return None
    try:
        np_dtype = np.dtype(getattr(dtype, "numpy_dtype", dtype))
    except TypeError:
        return None
    if np_dtype.kind not in "iu" or np_dtype.itemsize < 8:  # 32-bit values are exact floats
        return None
    missing = x.isna().to_numpy()
    if missing.all():
        return None
    if missing.any():
        vals = np.asarray(x.to_numpy(dtype=np_dtype, na_value=0), dtype=np_dtype)
        present = vals[~missing]
    else:  # no copy for a numpy column
        vals = present = np.asarray(x.to_numpy(dtype=np_dtype), dtype=np_dtype)
    if max(abs(int(present.min())), abs(int(present.max()))) <= _EXACT:
        return None
    return vals, missing


def _object_integers(x: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`integer_values` of an ``object`` column that holds only (Python or numpy) ints."""
    missing = x.isna().to_numpy()
    present = x.to_numpy(dtype=object)[~missing]
    if not present.size or not all(
        isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_) for v in present
    ):
        return None
    ints = [int(v) for v in present]
    lo, hi = min(ints), max(ints)
    if max(abs(lo), abs(hi)) <= _EXACT:
        return None
    if -(2**63) <= lo and hi < 2**63:
        np_dtype: type[np.integer[Any]] = np.int64
    elif 0 <= lo and hi < 2**64:
        np_dtype = np.uint64
    else:  # beyond 64 bits: read as floats (numeric_array)
        return None
    vals = np.zeros(len(x), dtype=np_dtype)
    vals[~missing] = np.array(ints, dtype=np_dtype)
    return vals, missing


def _ceil_float(e: float) -> float:
    """The smallest float64 at or above the edge ``e`` (an int beyond 2**53, or a float).

    For a float ``v``, ``v >= e`` holds exactly when ``v >= _ceil_float(e)``.
    """
    f = float(e)
    if isinstance(e, int) and f < e:  # Python compares int and float exactly
        f = float(np.nextafter(f, np.inf))
    return f


def _check_exact_integers(x: pd.Series, arr: np.ndarray, feature: str) -> None:
    """Refuse integers beyond 2**53 whose float64 values merge distinct integers."""
    finite = arr[~np.isnan(arr)]
    if finite.size == 0 or np.abs(finite).max() < 2.0**53:
        return
    ints = x.dropna().to_numpy()
    if np.unique(ints).size != np.unique(finite).size:
        raise InvalidParameterError(
            f"column {feature!r} holds integers beyond 2**53 (dtype {x.dtype}, up to "
            f"{int(ints.max())}) that float64 cannot tell apart; subtract a common offset "
            "(e.g. the column's minimum) or mark it categorical"
        )


def check_no_inf(arr: np.ndarray, feature: str) -> np.ndarray:
    """``arr`` unchanged, or a ``ValueError`` naming the column and counting its inf rows.

    Parameters
    ----------
    arr : numpy.ndarray
        Float values of one column.
    feature : str
        Column name, used in the error message.

    Returns
    -------
    numpy.ndarray
        ``arr`` itself.
    """
    if np.isinf(arr).any():
        raise InvalidParameterError(
            f"column {feature!r} contains inf ({int(np.isinf(arr).sum())} rows)"
        )
    return arr


def is_plain_number(dtype: Any) -> bool:
    """A float or integer dtype (not bool): the column converts to one float array.

    Parameters
    ----------
    dtype : numpy or pandas dtype
        The column's dtype (nullable ``Int64``/``Float64`` included).

    Returns
    -------
    bool
        Whether the dtype is a float or integer dtype other than bool.
    """
    return (
        pd.api.types.is_float_dtype(dtype) or pd.api.types.is_integer_dtype(dtype)
    ) and not pd.api.types.is_bool_dtype(dtype)


def _py(v: Any) -> Any:
    """A numpy scalar as the Python value it holds (category labels as dict keys)."""
    return v.item() if isinstance(v, np.generic) else v


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def _fmt_datetime(v: float) -> str:
    try:
        return str(pd.Timestamp(int(v), unit="ns"))
    except (OverflowError, ValueError, pd.errors.OutOfBoundsDatetime):
        return f"{v:.6g} ns"


def _fmt_timedelta(v: float) -> str:
    try:
        return str(pd.Timedelta(int(v), unit="ns"))
    except (OverflowError, ValueError):
        return f"{v:.6g} ns"


_TIME_DTYPES = ("datetime64[ns]", "timedelta64[ns]")


def _time_dtype_of(dtype: Any) -> str | None:
    kind = time_kind(dtype)
    return None if kind is None else f"{kind}64[ns]"


@dataclass(frozen=True)
class FeatureBins:
    """Bins of one feature.

    Parameters
    ----------
    feature : str
        Column name.
    edges : tuple of float, optional
        Sorted interior cut points of a numeric feature; bins are ``(-inf, e1)``,
        ``[e1, e2)``, ..., ``[ek, inf)``. Integer edges (Python or numpy ints) are kept as
        Python ``int`` when one of them is beyond 2**53 (the quantile edges of an integer
        column with such values, see :func:`integer_values`), and compared exactly; all
        other edges are stored as floats.
    categories : tuple of tuples, optional
        Category groups of a categorical feature; each group is one bin.
    special_values : tuple
        Codes (e.g. -1, 9999) that get a bin each, checked before the regular bins.
    time_dtype : {"datetime64[ns]", "timedelta64[ns]"} or None
        Set when the feature holds datetimes or timedeltas: the edges are then nanoseconds
        (since 1970-01-01 UTC for datetimes), and :meth:`codes` reads a column of any unit
        (``s``, ``ms``, ``us``, ``ns``) in nanoseconds, so the same instants get the same bins.

    Examples
    --------
    >>> b = FeatureBins("age", edges=(25.0, 40.0))
    >>> b.labels
    ['(-inf, 25)', '[25, 40)', '[40, inf)', 'missing']
    >>> b.codes([20, 25, 60, float("nan")]).tolist()
    [0, 1, 2, 3]
    """

    feature: str
    edges: tuple[float, ...] | None = None
    categories: tuple[tuple[Any, ...], ...] | None = None
    special_values: tuple[Any, ...] = field(default_factory=tuple)
    time_dtype: str | None = None

    def __post_init__(self) -> None:
        if self.time_dtype is not None and (
            self.time_dtype not in _TIME_DTYPES or self.edges is None
        ):
            raise InvalidParameterError(
                f"bins of {self.feature!r}: time_dtype must be None or one of {_TIME_DTYPES} "
                f"(with edges); got {self.time_dtype!r}"
            )
        if (self.edges is None) == (self.categories is None):
            raise InvalidParameterError(
                f"bins of {self.feature!r}: give exactly one of edges or categories"
            )
        if self.edges is not None and _big_ints(self.edges):
            ints = tuple(int(v) for v in self.edges)
            if any(b <= a for a, b in zip(ints, ints[1:], strict=False)):
                raise InvalidParameterError(
                    f"bins of {self.feature!r}: edges must be strictly increasing; got {ints}"
                )
            object.__setattr__(self, "edges", ints)
        elif self.edges is not None:
            e = np.asarray(self.edges, dtype=float)
            if not np.isfinite(e).all():
                raise InvalidParameterError(
                    f"bins of {self.feature!r}: edges must be finite; got {self.edges}"
                )
            if (np.diff(e) <= 0).any():
                raise InvalidParameterError(
                    f"bins of {self.feature!r}: edges must be strictly increasing; got {self.edges}"
                )
            object.__setattr__(self, "edges", tuple(float(v) for v in e))
        else:
            seen: set[Any] = set()
            for group in self.categories or ():
                for c in group:
                    if c in seen:
                        raise InvalidParameterError(
                            f"bins of {self.feature!r}: category {c!r} is in two groups"
                        )
                    seen.add(c)
        object.__setattr__(self, "special_values", tuple(self.special_values))

    @property
    def is_numeric(self) -> bool:
        return self.edges is not None

    @property
    def n_regular(self) -> int:
        """Number of regular bins (intervals or category groups)."""
        return len(self.edges) + 1 if self.edges is not None else len(self.categories or ())

    @property
    def n_bins(self) -> int:
        """Regular bins + one per special value + the missing bin."""
        return self.n_regular + len(self.special_values) + 1

    @property
    def missing_code(self) -> int:
        return self.n_bins - 1

    @property
    def labels(self) -> list[str]:
        if self.edges is not None:
            fmt = _fmt
            if self.time_dtype == "datetime64[ns]":
                fmt = _fmt_datetime
            elif self.time_dtype == "timedelta64[ns]":
                fmt = _fmt_timedelta
            pts = [
                "-inf",
                *(str(v) if isinstance(v, int) and fmt is _fmt else fmt(v) for v in self.edges),
                "inf",
            ]
            regular = [
                f"{'(' if i == 0 else '['}{pts[i]}, {pts[i + 1]})" for i in range(len(pts) - 1)
            ]
        else:
            regular = [" | ".join(map(str, g)) for g in (self.categories or ())]
        special = [f"special: {v}" for v in self.special_values]
        return [*regular, *special, "missing"]

    def codes(self, x: Any) -> np.ndarray:
        """Integer bin code of every value (``-1`` for unseen categories).

        Parameters
        ----------
        x : array-like or pandas.Series
            Raw values of the feature.

        Returns
        -------
        numpy.ndarray of int64
            Regular bins ``0 .. R-1``, then the special bins, then the missing bin;
            ``-1`` (:data:`UNSEEN`) for categories not in any group.
        """
        s = as_series(x, self.feature)
        if self.time_dtype is not None and len(s) and not s.isna().all():
            got = _time_dtype_of(s.dtype)
            if got != self.time_dtype:
                raise InvalidParameterError(
                    f"bins of {self.feature!r} were fitted on {self.time_dtype.split('6')[0]} "
                    f"values (edges in ns); column {self.feature!r} has dtype {s.dtype}: pass "
                    f"the same kind of values (any unit)"
                )
        fast = self._fast_codes(s)
        if fast is not None:
            return fast
        n = len(s)
        out = np.full(n, UNSEEN, dtype=np.int64)
        missing = s.isna().to_numpy()
        out[missing] = self.missing_code
        todo = ~missing
        R = self.n_regular
        if self.special_values:
            special = s.isin(list(self.special_values)).to_numpy(dtype=bool, na_value=False) & todo
            if special.any():
                lookup = {v: R + i for i, v in enumerate(self.special_values)}
                out[special] = s[special].map(lookup).to_numpy(dtype=np.int64)
            todo &= ~special
        if self.edges is not None:
            exact = integer_values(s)
            if exact is not None:
                out[todo] = self._int_codes(exact[0][todo])
            else:
                vals = numeric_array(s[todo], self.feature) if todo.any() else np.empty(0)
                out[todo] = np.searchsorted(self._float_edges(), vals, side="right")
        else:
            lookup = {c: i for i, g in enumerate(self.categories or ()) for c in g}
            mapped = s[todo].astype(object).map(lookup)
            out[todo] = mapped.fillna(UNSEEN).to_numpy(dtype=np.int64)
        return out

    def _fast_codes(self, s: pd.Series) -> np.ndarray | None:
        """The codes by numpy alone where no special value needs a lookup, else ``None``.

        Numeric bins of a float or integer column: one ``searchsorted`` on the float array
        (a column with inf takes the general path, which raises), or on the exact integers of
        an integer column beyond 2**53 (:func:`integer_values`). Category groups of a pandas
        ``category`` column: one lookup per category of the dtype, then the integer codes.
        Both give the codes of the general path.
        """
        if self.special_values:
            return None
        if self.edges is not None and is_plain_number(s.dtype):
            exact = integer_values(s)
            if exact is not None:
                codes = self._int_codes(exact[0])
                codes[exact[1]] = self.missing_code
                return codes
            v = s.to_numpy(dtype=float, na_value=np.nan)
            if np.isinf(v).any():
                return None
            codes = right_codes(self._float_edges(), v).astype(np.int64, copy=False)
            codes[np.isnan(v)] = self.missing_code
            return codes
        if self.categories is not None and isinstance(s.dtype, pd.CategoricalDtype):
            lookup = {c: i for i, g in enumerate(self.categories) for c in g}
            per_cat = np.array(
                [lookup.get(_py(c), UNSEEN) for c in s.cat.categories] + [self.missing_code],
                dtype=np.int64,
            )
            return per_cat[s.cat.codes.to_numpy()]  # code -1 (NaN) picks the missing bin
        return None

    def _float_edges(self) -> np.ndarray:
        """The edges as floats for float values: an int edge beyond 2**53 rounds up, so that
        ``v >= edge`` is decided exactly for every float ``v``."""
        return np.asarray([_ceil_float(e) for e in self.edges or ()], dtype=float)

    def _int_codes(self, vals: np.ndarray) -> np.ndarray:
        """Codes of exact integers (``int64`` or ``uint64``), compared with the edges exactly.

        For an integer ``x``, ``x >= e`` holds exactly when ``x >= ceil(e)``; thresholds
        outside the dtype's range count for every value (below) or none (above), so no
        threshold is cast into a dtype that cannot hold it.
        """
        th = [e if isinstance(e, int) else math.ceil(e) for e in self.edges or ()]
        info = np.iinfo(vals.dtype)
        below = sum(t <= int(info.min) for t in th)
        mid = np.asarray([t for t in th if int(info.min) < t <= int(info.max)], dtype=vals.dtype)
        return (below + np.searchsorted(mid, vals, side="right")).astype(np.int64)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly description (see :meth:`from_dict`)."""
        d: dict[str, Any] = {"feature": self.feature, "special_values": list(self.special_values)}
        if self.edges is not None:
            d["edges"] = list(self.edges)
            if self.time_dtype is not None:
                d["time_dtype"] = self.time_dtype
        else:
            d["categories"] = [list(g) for g in (self.categories or ())]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FeatureBins:
        cats = d.get("categories")
        return cls(
            feature=d["feature"],
            edges=tuple(d["edges"]) if d.get("edges") is not None else None,
            categories=tuple(tuple(g) for g in cats) if cats is not None else None,
            special_values=tuple(d.get("special_values", ())),
            time_dtype=d.get("time_dtype"),
        )


def _big_ints(edges: Any) -> bool:
    """Whether edges are all integers (not bools) and one is beyond 2**53 (kept exact)."""
    vals = tuple(edges)
    return (
        bool(vals)
        and all(
            isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_) for v in vals
        )
        and any(abs(int(v)) > _EXACT for v in vals)
    )


#: What a ``bins`` argument of one column may be (:func:`infer_bins`).
BINS_CONSTRAINTS: list[Any] = [
    Interval(numbers.Integral, 1, None, closed="left"),
    StrOptions({"values"}),
    "array-like",
    None,
]


def check_bins(bins: Any, name: str = "bins", caller: str | None = None) -> None:
    """Refuse a ``bins`` argument of one column that is not one of the documented forms.

    A positive int (not a bool), ``"values"``, ``None``, a :class:`FeatureBins` or a
    sequence of real numbers (interior edges; not a string, whose characters would be read
    as edges).

    Parameters
    ----------
    bins : object
        The argument.
    name : str, default "bins"
        Its name in the message (e.g. ``"bins['age']"``).
    caller : str, optional
        The function named in the message.

    Raises
    ------
    infodiv.exceptions.InvalidParameterError
        Naming the argument, the value and what is allowed.
    """
    if isinstance(bins, FeatureBins):
        return
    validate_params({name: bins}, {name: [*BINS_CONSTRAINTS, FeatureBins]}, caller=caller)
    if isinstance(bins, int | np.integer | str) or bins is None:
        return
    edges = np.asarray(bins, dtype=object).ravel()
    allowed: tuple[type, ...] = (numbers.Real, pd.Timestamp, pd.Timedelta, np.datetime64)
    allowed += (np.timedelta64, dt.datetime, dt.timedelta)
    bad = [e for e in edges if not isinstance(e, allowed) or isinstance(e, bool | np.bool_)]
    if bad or np.asarray(bins, dtype=object).ndim != 1:
        raise InvalidParameterError(
            f"{name}: interior edges must be a one-dimensional sequence of numbers; got "
            f"{bad[0]!r} in {bins!r}"
            if bad
            else f"{name} must be one-dimensional; got {bins!r}"
        )
    if any(pd.isna(e) for e in edges):  # NaN or NaT: no row is above or below it
        raise InvalidParameterError(
            f"{name}: interior edges must not be missing (NaN or NaT); got {bins!r}"
        )


def quantile_edges(
    x: Any,
    n_bins: int = 10,
    sample_weight: Any = None,
    feature: str = "x",
    *,
    min_share: float | None = None,
) -> tuple[float, ...]:
    """Interior edges at the (weighted) quantiles of the non-missing values of ``x``.

    Edges are placed at observed values, giving left-closed bins ``[e_i, e_{i+1})``; they
    depend only on the order of the values (and the weights), so a strictly increasing
    transform of the column moves the edges with it. Two rules keep every value that matters:

    * a column with no more distinct values (of positive weight) than ``n_bins`` gets one
      bin per distinct value;
    * otherwise the bins are cut at the quantiles, and every distinct value holding at least
      ``1 / n_bins`` of the weight (or ``min_share``, when given and smaller) gets a bin of
      its own: ties can make fewer bins, such values a few more.

    Datetimes and timedeltas are binned as nanoseconds (see :func:`numeric_array`), whatever
    their unit. An integer column with values beyond 2**53 is binned on its exact integers
    (:func:`integer_values`): its edges are then Python ``int``.

    Parameters
    ----------
    x : array-like or pandas.Series
        Numeric, datetime or timedelta values; NaN (NaT) is left out.
    n_bins : int, default=10
        Number of quantile bins (at least 1).
    sample_weight : array-like, optional
        Non-negative row weights (only their ratios matter).
    feature : str, default="x"
        Column name, used in the error messages.
    min_share : float, optional
        Smallest share a distinct value needs to be kept in a bin of its own, when below
        ``1 / n_bins``.

    Returns
    -------
    tuple of float (or of int)
        The sorted interior edges (ints for an integer column beyond 2**53).
    """
    validate_params(
        {"x": x, "n_bins": n_bins, "sample_weight": sample_weight, "feature": feature},
        {
            "x": ["array-like"],
            "n_bins": [Interval(numbers.Integral, 1, None, closed="left")],
            "sample_weight": ["array-like", None],
            "feature": [str],
        },
        caller="quantile_edges",
    )
    if isinstance(x, np.ndarray) and x.ndim == 1 and x.dtype == np.float64:
        # plain floats (the binners' samples): no Series, the same checks
        vals = check_no_inf(x, feature)
        w = check_sample_weight(sample_weight, len(vals)) if sample_weight is not None else None
        ok = ~np.isnan(vals) if w is None else ~np.isnan(vals) & (w > 0)
        if not ok.any():
            raise InvalidParameterError(
                f"column {feature!r} has only missing values (or no weight on its other values)"
            )
        every = bool(ok.all())
        cuts = _share_cuts(
            vals if every else vals[ok],
            None if w is None else (w if every else w[ok]),
            int(n_bins),
            min_share,
            feature,
        )
        return tuple(float(c) for c in cuts)
    s = as_series(x, feature)
    exact = integer_values(s)
    if exact is not None:  # the exact integers: edges are observed ints
        ints, missing = exact
        w = check_sample_weight(sample_weight, len(ints))
        ok = ~missing & (w > 0)
        if not ok.any():
            raise InvalidParameterError(
                f"column {feature!r} has only missing values (or no weight on its other values)"
            )
        cuts = _share_cuts(ints[ok], w[ok], int(n_bins), min_share, feature)
        return tuple(int(c) for c in cuts)
    vals = numeric_array(s, feature)
    w = check_sample_weight(sample_weight, len(vals))
    ok = ~np.isnan(vals) & (w > 0)
    if not ok.any():
        raise InvalidParameterError(
            f"column {feature!r} has only missing values (or no weight on its other values)"
        )
    return tuple(float(c) for c in _share_cuts(vals[ok], w[ok], int(n_bins), min_share, feature))


def _share_cuts(
    v: np.ndarray,
    w: np.ndarray | None,
    n_bins: int,
    min_share: float | None,
    feature: str,
    *,
    counted: bool | None = None,
) -> np.ndarray:
    """The edges of :func:`quantile_edges` from non-missing values and positive weights
    (``w=None``: every weight 1).

    With equal weights, a column with few distinct values is counted by hashing instead of
    sorted (``counted``: force either way; ``None`` decides from a strided probe of the
    values). Both give the same edges: the quantile of a sorted position is the distinct value
    whose run of equal values holds that position.
    """
    if w is not None and np.all(w == w[0]):
        w = None
    if counted is None:
        probe = v[:: max(1, v.size // 2048)]
        counted = w is None and v.size > 4096 and pd.unique(probe).size <= 256
    if counted and w is None:
        codes, uniq = pd.factorize(v, sort=True)
        uniq = np.asarray(uniq, dtype=v.dtype)
        counts = np.bincount(codes, minlength=uniq.size)
        return _cuts_of_counts(uniq, counts, n_bins, min_share, feature)
    # the order within ties does not matter: a cut is the value at a position
    if w is None:
        v, w = _sorted(v), np.ones(v.size)
    else:
        order = np.argsort(v)
        v, w = v[order], w[order] / w.max()  # a common scale: shares unchanged, no overflow
    starts = np.flatnonzero(np.r_[True, v[1:] != v[:-1]])
    uniq = v[starts]
    if uniq.size == 1:
        raise InvalidParameterError(f"column {feature!r} is constant (every value is {uniq[0]!r})")
    if uniq.size <= n_bins:  # one bin per distinct value
        return uniq[1:]
    cw = np.cumsum(w) / w.sum()
    levels = np.arange(1, n_bins) / n_bins
    idx = np.clip(np.searchsorted(cw, levels, side="right"), 0, v.size - 1)
    # every distinct value holding at least the threshold share is a bin by itself
    share = np.add.reduceat(w, starts) / w.sum()
    return _with_heavy(v[idx], uniq, share, n_bins, min_share)


def _sorted(v: np.ndarray) -> np.ndarray:
    """``np.sort(v)``; float64 values that float32 holds exactly (integers below 2**24, as in
    most credit tables) are sorted as float32, about twice as fast, and read back exactly."""
    if v.dtype == np.float64 and v.size > 2048:
        with np.errstate(over="ignore"):  # beyond float32's range: inf, not equal
            v32 = v.astype(np.float32)
        if np.array_equal(v32, v):
            return np.sort(v32).astype(np.float64)
    return np.sort(v)


def _with_heavy(
    at_levels: np.ndarray,
    uniq: np.ndarray,
    share: np.ndarray,
    n_bins: int,
    min_share: float | None,
) -> np.ndarray:
    """The quantile cuts plus every distinct value of at least the threshold share (a bin by
    itself: cut at it and at the next value)."""
    thr = 1.0 / n_bins
    if min_share is not None and 0 < min_share < thr:
        thr = float(min_share)
    heavy = np.flatnonzero(share >= thr * (1 - 1e-9))
    after = np.minimum(heavy + 1, uniq.size - 1)
    cuts = np.unique(np.concatenate([at_levels, uniq[heavy], uniq[after]]))
    return cuts[cuts > uniq[0]]


def _cuts_of_counts(
    uniq: np.ndarray, counts: np.ndarray, n_bins: int, min_share: float | None, feature: str
) -> np.ndarray:
    """:func:`_share_cuts` with unit weights from the sorted distinct values and their counts.

    The sorted column has ``n`` positions and cumulative share ``(i + 1) / n`` at position
    ``i``; level ``l`` is cut at the position ``#{j in 1..n : j / n <= l}`` (as
    ``searchsorted`` on those shares), whose value is the distinct value whose run holds it.
    """
    if uniq.size == 1:
        raise InvalidParameterError(f"column {feature!r} is constant (every value is {uniq[0]!r})")
    if uniq.size <= n_bins:
        return uniq[1:]
    n = int(counts.sum())
    levels = np.arange(1, n_bins) / n_bins
    # #{j >= 1 : j / n <= l} in floating point, as the shares cumsum(1) / n are computed
    pos = np.maximum(np.floor(levels * n).astype(np.int64) - 2, 0)
    for _ in range(5):
        step = pos + 1
        pos = pos + ((step <= n) & (step / n <= levels))
    idx = np.clip(pos, 0, n - 1)
    ends = np.cumsum(counts)  # run k covers positions ends[k-1] .. ends[k] - 1
    at_levels = uniq[np.searchsorted(ends, idx, side="right")]
    return _with_heavy(at_levels, uniq, counts / float(n), n_bins, min_share)


def infer_bins(
    x: Any,
    bins: FeatureBins | int | str | Sequence[float] | None,
    feature: str,
    sample_weight: Any = None,
    special_values: Sequence[Any] = (),
) -> FeatureBins:
    """Bins for ``x`` from a user's ``bins`` argument.

    ``"values"`` or ``None``: every distinct value is its own bin (``x`` is already binned,
    or categorical; on a continuous column this makes one bin per value, which inflates the
    plug-in divergence by its small-sample bias: ask for it explicitly); an int: that many
    weighted-quantile bins for a numeric column, one bin per category for a ``category`` or
    ``bool`` column; a sequence of numbers: interior edges; a :class:`FeatureBins`: used as
    it is. A string other than ``"values"``, a bool, or a sequence holding anything but
    numbers is refused.
    """
    if isinstance(bins, FeatureBins):
        return bins
    check_bins(bins, "bins", caller="infer_bins")
    validate_params(
        {"feature": feature, "special_values": special_values, "sample_weight": sample_weight},
        {
            "feature": [str],
            "special_values": ["array-like"],
            "sample_weight": ["array-like", None],
        },
        caller="infer_bins",
    )
    s = as_series(x, feature)
    specials = tuple(special_values)
    if (
        bins is None
        or isinstance(bins, str)
        or (is_categorical(s) and isinstance(bins, int | np.integer))
    ):
        present = s[~s.isna() & ~s.isin(list(specials))]
        if isinstance(s.dtype, pd.CategoricalDtype):
            used = set(present.unique().tolist())
            values = [c for c in s.cat.categories if c in used]
        else:
            values = sorted(present.unique().tolist(), key=lambda v: (str(type(v)), v))
        if not values:
            raise InvalidParameterError(f"column {feature!r} has only missing values")
        return FeatureBins(feature, categories=tuple((v,) for v in values), special_values=specials)
    if isinstance(bins, int | np.integer):
        if is_text(s) and not _holds_numbers(s[~s.isin(list(specials))], feature):
            raise InvalidParameterError(
                f"column {feature!r} holds strings (dtype {s.dtype}): quantile bins need "
                "numbers; mark it categorical (astype('category')) or pass bins='values' to "
                "make each distinct value a bin"
            )
        keep = ~s.isin(list(specials)).to_numpy(dtype=bool, na_value=False)
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=float)[keep]
        edges = quantile_edges(s[keep], int(bins), w, feature)
        return FeatureBins(
            feature, edges=edges, special_values=specials, time_dtype=_time_dtype_of(s.dtype)
        )
    tdt = _time_dtype_of(s.dtype)
    try:
        if tdt is not None and not all(isinstance(e, int | float | np.number) for e in bins):
            edges = tuple(_time_edges(bins, s))
        elif _big_ints(bins):  # integers beyond 2**53: kept exact
            edges = tuple(int(e) for e in bins)
        else:
            edges = tuple(float(e) for e in bins)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"bins must be None, an int, a sequence of edges or FeatureBins; got {bins!r}"
        ) from None
    edges = tuple(e for e in edges if isinstance(e, int) or np.isfinite(e))
    return FeatureBins(feature, edges=edges, special_values=specials, time_dtype=tdt)


def _time_edges(bins: Any, s: pd.Series) -> np.ndarray:
    """Edges given as datetimes or timedeltas (any unit; strings parsed) as nanoseconds."""
    if time_kind(s.dtype) == "timedelta":
        e = pd.Series(pd.to_timedelta(list(bins)))
    else:
        aware = getattr(s.dtype, "tz", None) is not None
        e = pd.Series(pd.to_datetime(list(bins), utc=aware))
    return _time_ns(e)


def frame_bins(
    X: pd.DataFrame,
    bins: Mapping[str, Any] | int | str | None,
    sample_weight: Any,
    special_values: Mapping[str, Sequence[Any]] | None,
    caller: str = "frame_bins",
) -> dict[str, FeatureBins]:
    """Bins for every column of ``X``: one ``bins`` setting for all, or a dict per column.

    Each setting is one of :func:`infer_bins`'s (default 10 quantile bins for a column a dict
    does not name). A key of the ``bins`` or ``special_values`` dict that names no column of
    ``X`` is an error (a misspelt column would otherwise be binned by the default silently).
    """
    if not isinstance(X, pd.DataFrame):
        raise InvalidParameterError(f"X must be a pandas DataFrame; got {type(X).__name__}")
    validate_params(
        {"bins": bins, "special_values": special_values, "sample_weight": sample_weight},
        {
            "bins": [Mapping, *BINS_CONSTRAINTS],
            "special_values": [Mapping, None],
            "sample_weight": ["array-like", None],
        },
        caller=caller,
    )
    if X.shape[1] == 0:
        raise InvalidParameterError("X has no columns")
    specials = _by_column(X, special_values or {}, "special_values")
    per_column = _by_column(X, bins, "bins") if isinstance(bins, Mapping) else None
    out = {}
    for c in X.columns:
        b: Any = per_column.get(c, 10) if per_column is not None else bins
        if per_column is not None:
            check_bins(b, f"bins[{c!r}]", caller=caller)
        sv = specials.get(c, ())
        validate_params(
            {f"special_values[{c!r}]": sv},
            {f"special_values[{c!r}]": ["array-like"]},
            caller=caller,
        )
        out[str(c)] = infer_bins(X[c], b, str(c), sample_weight, sv)
    return out


def _by_column(X: pd.DataFrame, settings: Mapping[Any, Any], name: str) -> dict[Any, Any]:
    """``settings`` keyed by the columns of ``X`` (a key may be a column or its ``str``).

    Raises naming the keys that are no column of ``X`` and listing the columns.
    """
    by_str = {str(c): c for c in X.columns}
    out: dict[Any, Any] = {}
    unknown = []
    for k, v in settings.items():
        if k in X.columns:
            out[k] = v
        elif str(k) in by_str:
            out[by_str[str(k)]] = v
        else:
            unknown.append(k)
    if unknown:
        cols = [str(c) for c in X.columns]
        shown = ", ".join(map(repr, cols[:20])) + (" ..." if len(cols) > 20 else "")
        raise InvalidParameterError(
            f"{name} names {', '.join(map(repr, unknown))}, which is not a column of the data "
            f"(columns: {shown})"
        )
    return out
