"""Bins of one feature: numeric edges or category groups, special values and a missing bin.

A :class:`FeatureBins` maps raw values to integer bin codes. The code layout is fixed:
regular bins ``0 .. R-1`` (numeric intervals ``[e_i, e_{i+1})``, left-closed, as xgboost
splits ``x < t``; or category groups), then one bin per special value, then the missing bin.
Unseen categories get code ``-1`` and the caller decides (error, or a documented value).
Bins serialise to JSON-friendly dicts so that edges learned on a sample can be applied elsewhere.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from infodiv._param_validation import Interval, StrOptions, validate_params
from infodiv._validation import as_series, check_sample_weight
from infodiv.exceptions import InvalidParameterError

__all__ = [
    "FeatureBins",
    "UNSEEN",
    "check_bins",
    "check_no_inf",
    "frame_bins",
    "infer_bins",
    "is_categorical",
    "is_plain_number",
    "is_text",
    "numeric_array",
    "quantile_edges",
]

UNSEEN = -1


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

    Parameters
    ----------
    x : pandas.Series
        The column: numbers (nullable integer and float dtypes included) or numeric objects.
    feature : str
        Column name, used in the error messages.

    Returns
    -------
    numpy.ndarray
        ``float`` values, NaN for missing ones.

    Raises
    ------
    ValueError
        If the column holds strings that are not marked categorical, is not numeric, or
        contains inf.
    """
    if is_text(x) and not is_categorical(x):
        raise ValueError(
            f"column {feature!r} holds strings (dtype {x.dtype}); mark it categorical "
            "(astype('category')) to bin it by category"
        )
    try:
        arr = pd.to_numeric(x).to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise ValueError(f"column {feature!r} is not numeric (dtype {x.dtype})") from None
    return check_no_inf(arr, feature)


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
        raise ValueError(f"column {feature!r} contains inf ({int(np.isinf(arr).sum())} rows)")
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


@dataclass(frozen=True)
class FeatureBins:
    """Bins of one feature.

    Parameters
    ----------
    feature : str
        Column name.
    edges : tuple of float, optional
        Sorted interior cut points of a numeric feature; bins are ``(-inf, e1)``,
        ``[e1, e2)``, ..., ``[ek, inf)``.
    categories : tuple of tuples, optional
        Category groups of a categorical feature; each group is one bin.
    special_values : tuple
        Codes (e.g. -1, 9999) that get a bin each, checked before the regular bins.

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

    def __post_init__(self) -> None:
        if (self.edges is None) == (self.categories is None):
            raise ValueError(f"bins of {self.feature!r}: give exactly one of edges or categories")
        if self.edges is not None:
            e = np.asarray(self.edges, dtype=float)
            if not np.isfinite(e).all():
                raise ValueError(
                    f"bins of {self.feature!r}: edges must be finite; got {self.edges}"
                )
            if (np.diff(e) <= 0).any():
                raise ValueError(
                    f"bins of {self.feature!r}: edges must be strictly increasing; got {self.edges}"
                )
            object.__setattr__(self, "edges", tuple(float(v) for v in e))
        else:
            seen: set[Any] = set()
            for group in self.categories or ():
                for c in group:
                    if c in seen:
                        raise ValueError(
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
            pts = ["-inf", *map(_fmt, self.edges), "inf"]
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
            special = s.isin(list(self.special_values)).to_numpy() & todo
            if special.any():
                lookup = {v: R + i for i, v in enumerate(self.special_values)}
                out[special] = s[special].map(lookup).to_numpy(dtype=np.int64)
            todo &= ~special
        if self.edges is not None:
            vals = numeric_array(s[todo], self.feature) if todo.any() else np.empty(0)
            out[todo] = np.searchsorted(np.asarray(self.edges), vals, side="right")
        else:
            lookup = {c: i for i, g in enumerate(self.categories or ()) for c in g}
            mapped = s[todo].astype(object).map(lookup)
            out[todo] = mapped.fillna(UNSEEN).to_numpy(dtype=np.int64)
        return out

    def _fast_codes(self, s: pd.Series) -> np.ndarray | None:
        """The codes by numpy alone where no special value needs a lookup, else ``None``.

        Numeric bins of a float or integer column: one ``searchsorted`` on the float array
        (a column with inf takes the general path, which raises). Category groups of a pandas
        ``category`` column: one lookup per category of the dtype, then the integer codes.
        Both give the codes of the general path.
        """
        if self.special_values:
            return None
        if self.edges is not None and is_plain_number(s.dtype):
            v = s.to_numpy(dtype=float, na_value=np.nan)
            if np.isinf(v).any():
                return None
            codes = np.searchsorted(np.asarray(self.edges, dtype=float), v, side="right")
            codes[np.isnan(v)] = self.missing_code
            return codes.astype(np.int64)
        if self.categories is not None and isinstance(s.dtype, pd.CategoricalDtype):
            lookup = {c: i for i, g in enumerate(self.categories) for c in g}
            per_cat = np.array(
                [lookup.get(_py(c), UNSEEN) for c in s.cat.categories] + [self.missing_code],
                dtype=np.int64,
            )
            return per_cat[s.cat.codes.to_numpy()]  # code -1 (NaN) picks the missing bin
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly description (see :meth:`from_dict`)."""
        d: dict[str, Any] = {"feature": self.feature, "special_values": list(self.special_values)}
        if self.edges is not None:
            d["edges"] = list(self.edges)
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
    bad = [e for e in edges if not isinstance(e, numbers.Real) or isinstance(e, bool | np.bool_)]
    if bad or np.asarray(bins, dtype=object).ndim != 1:
        raise InvalidParameterError(
            f"{name}: interior edges must be a one-dimensional sequence of numbers; got "
            f"{bad[0]!r} in {bins!r}"
            if bad
            else f"{name} must be one-dimensional; got {bins!r}"
        )


def quantile_edges(
    x: Any, n_bins: int = 10, sample_weight: Any = None, feature: str = "x"
) -> tuple[float, ...]:
    """Interior edges at the (weighted) quantiles of the non-missing values of ``x``.

    Ties collapse, so a column with few distinct values gets fewer bins. Edges are placed at
    observed values, giving left-closed bins ``[e_i, e_{i+1})``.
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
    s = as_series(x, feature)
    vals = numeric_array(s, feature)
    w = check_sample_weight(sample_weight, len(vals))
    ok = ~np.isnan(vals)
    if not ok.any():
        raise ValueError(f"column {feature!r} has only missing values")
    v, w = vals[ok], w[ok]
    uniq = np.unique(v)
    if uniq.size == 1:
        raise ValueError(f"column {feature!r} is constant (every value is {uniq[0]!r})")
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    # weights relative to the largest: quantiles do not depend on the weights' unit (constant
    # weights of any size give the unweighted edges exactly; 1e200 or 1e-200 stay finite)
    w = w / w.max()
    cw = np.cumsum(w) / w.sum()
    levels = np.arange(1, n_bins) / n_bins
    idx = np.searchsorted(cw, levels, side="right")
    idx = np.clip(idx, 0, v.size - 1)
    cuts = np.unique(v[idx])
    cuts = cuts[cuts > v[0]]
    return tuple(float(c) for c in cuts)


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
            raise ValueError(f"column {feature!r} has only missing values")
        return FeatureBins(feature, categories=tuple((v,) for v in values), special_values=specials)
    if isinstance(bins, int | np.integer):
        if is_text(s):
            raise InvalidParameterError(
                f"column {feature!r} holds strings (dtype {s.dtype}): quantile bins need "
                "numbers; mark it categorical (astype('category')) or pass bins='values' to "
                "make each distinct value a bin"
            )
        keep = ~s.isin(list(specials)).to_numpy()
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=float)[keep]
        edges = quantile_edges(s[keep], int(bins), w, feature)
        return FeatureBins(feature, edges=edges, special_values=specials)
    try:
        edges = tuple(float(e) for e in bins)
    except (TypeError, ValueError):
        raise ValueError(
            f"bins must be None, an int, a sequence of edges or FeatureBins; got {bins!r}"
        ) from None
    edges = tuple(e for e in edges if np.isfinite(e))
    return FeatureBins(feature, edges=edges, special_values=specials)


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
