"""One column made ready for the stumps: the ``_Column`` record, its preparation and compression.

A column becomes one float64 array ``z`` (the numeric value, datetimes in nanoseconds, for an
integer column beyond 2**53 the rank of its exact value, or for a categorical column the rank of
its category by smoothed event rate), with its missing and special
values set aside. With ``strategy="per_feature"`` the column is then compressed to at most about
``2 * n_cells`` weighted cells (quantile bin, class), see :func:`_compress`.

XGBoost never sees these values: it compares float32, which merges values that differ by less
than one part in 2**24 (``x + 1e8``, epoch timestamps) and overflows beyond 3.4e38. It gets small
integer codes instead (the index of the value's quantile cell, with either strategy), and its
splits are read back as the smallest value of the first cell at or above the split
(:func:`infodiv.binning._xgb._snap`): the binning depends only on the order of the values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from infodiv.core import (
    check_no_inf,
    integer_values,
    is_categorical,
    is_plain_number,
    numeric_array,
    quantile_edges,
    right_codes,
    time_kind,
)
from infodiv.exceptions import InvalidParameterError


@dataclass
class _Column:
    name: str
    categorical: bool
    z: np.ndarray  # numeric value (float64) or category rank; NaN if missing/special
    special_codes: np.ndarray  # -1 regular / missing, else index into specials
    specials: tuple[Any, ...]
    missing: np.ndarray  # bool
    categories: list[Any] | None = None  # categories in rank order (categorical only)
    time_dtype: str | None = None  # "datetime64[ns]" / "timedelta64[ns]": z is in ns
    # an integer column beyond 2**53: z is the dense rank of the value, values[rank] the exact
    # integer (int64 or uint64), read back by ``StumpBinner._make_bins``
    values: np.ndarray | None = None
    # a column given as a cell table (``StumpBinner.fit_counts``): z is the cell index and
    # edge_values[k] the lower edge of cell k (as given: float, exact int or nanoseconds)
    edge_values: tuple[Any, ...] | None = None

    def value_of(self, z: Any) -> Any:
        """The value a ``z`` stands for: itself, the exact integer of a rank, or a cell edge."""
        if self.edge_values is not None:
            return self.edge_values[int(z)]
        return z if self.values is None else int(self.values[int(z)])


def _prepare_column(
    s: pd.Series, name: str, specials: tuple[Any, ...], y: np.ndarray, w: np.ndarray
) -> _Column:
    n = len(s)
    # plain numbers: work on one float array (same checks as core.numeric_array)
    arr = None
    # integers beyond 2**53 (integer or object dtype): binned on their ranks, exactly
    exact = None if is_categorical(s) else integer_values(s)
    if exact is not None:
        arr = np.where(exact[1], np.nan, 0.0)  # the missing rows; z comes from the ranks
    elif pd.api.types.is_float_dtype(s.dtype):
        arr = s.to_numpy(dtype=float, na_value=np.nan)
    elif is_plain_number(s.dtype):
        arr = numeric_array(s, name)
    missing = np.isnan(arr) if arr is not None else s.isna().to_numpy()
    special_codes = np.full(n, -1, dtype=np.int64)
    if specials:
        lookup = {v: i for i, v in enumerate(specials)}
        is_special = s.isin(list(specials)).to_numpy(dtype=bool, na_value=False) & ~missing
        if is_special.any():
            special_codes[is_special] = s[is_special].map(lookup).to_numpy(dtype=np.int64)
    regular = ~missing & (special_codes < 0)
    if missing.all():
        raise InvalidParameterError(f"column {name!r} has only missing values")
    if not regular.any():
        raise InvalidParameterError(
            f"column {name!r} has no values besides missing values and its special values "
            f"{list(specials)}"
        )
    if is_categorical(s):
        z = np.full(n, np.nan)
        codes, uniques = pd.factorize(s[regular].astype(object), sort=False)
        if len(uniques) == 1:
            raise InvalidParameterError(
                f"column {name!r} is constant (every value is {uniques[0]!r})"
            )
        wr, yr = w[regular], y[regular]
        tot = np.bincount(codes, weights=wr, minlength=len(uniques))
        bad = np.bincount(codes, weights=wr * yr, minlength=len(uniques))
        prior = bad.sum() / tot.sum()
        rate = (bad + prior) / (tot + 1.0)  # one pseudo-observation at the overall rate
        if isinstance(s.dtype, pd.CategoricalDtype):  # ties keep the dtype's category order
            pos = {c: i for i, c in enumerate(s.cat.categories)}
            base = np.array([pos[u] for u in uniques])
        else:
            base = np.argsort(np.argsort([str(u) for u in uniques]))
        order = np.lexsort((base, rate))
        rank = np.empty(len(uniques), dtype=float)
        rank[order] = np.arange(len(uniques))
        z[regular] = rank[codes]
        cats = [_py(uniques[i]) for i in order]
        return _Column(name, True, z, special_codes, specials, missing, cats)
    if exact is not None:  # dense ranks of the exact integers (float64 holds every rank)
        uniq, rank = np.unique(exact[0][regular], return_inverse=True)
        if uniq.size == 1:
            raise InvalidParameterError(
                f"column {name!r} is constant (every value is {int(uniq[0])})"
            )
        z = np.full(n, np.nan)
        z[regular] = rank.astype(float)
        return _Column(name, False, z, special_codes, specials, missing, values=uniq)
    if arr is not None and not (special_codes >= 0).any():
        # NaN exactly where missing: the float array is z itself (read, never written)
        check_no_inf(arr, name)
        vals = arr[regular] if missing.any() else arr
        z = arr
    else:
        if arr is not None:  # mask in numpy rather than index the Series
            vals = check_no_inf(arr[regular], name)
        else:  # datetimes (ns), objects holding numbers; text and complex values are refused
            vals = numeric_array(s[regular], name)
        z = np.full(n, np.nan)
        z[regular] = vals
    if vals.min() == vals.max():
        raise InvalidParameterError(f"column {name!r} is constant (every value is {vals[0]!r})")
    kind = time_kind(s.dtype)
    tdt = None if kind is None else f"{kind}64[ns]"
    return _Column(name, False, z, special_codes, specials, missing, time_dtype=tdt)


def _py(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _trend_direction(col: _Column, trend: Any, comp: tuple[np.ndarray, ...]) -> int:
    if trend is None:
        return 0
    if trend not in ("auto", "increasing", "decreasing"):
        raise InvalidParameterError(
            f"monotone_trend for {col.name!r} must be 'auto', 'increasing', 'decreasing' or "
            f"None; got {trend!r}"
        )
    if col.categorical:  # ranks are ordered by event rate: the trend is increasing by design
        return 1
    if trend == "increasing":
        return 1
    if trend == "decreasing":
        return -1
    return 1 if _auc(comp[0], comp[1], comp[3]) >= 0.5 else -1  # on the quantile-binned column


def _auc(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Weighted Mann-Whitney AUC of ``x`` for ``y`` (ties count one half): P(x_event > x_other)."""
    uniq, inv = np.unique(x, return_inverse=True)
    bad = np.bincount(inv, weights=w * (y == 1), minlength=uniq.size)
    good = np.bincount(inv, weights=w * (y == 0), minlength=uniq.size)
    below = np.cumsum(good) - good
    denom = bad.sum() * good.sum()
    return float(np.sum(bad * (below + 0.5 * good)) / denom) if denom > 0 else 0.5


#: at most this many values of a column cut its fine cells; more are sampled (uniformly,
#: without replacement) down to about it
SAMPLE_SIZE = 200_000


def _draw(size: int, seed: int, cache: dict[int, np.ndarray] | None) -> np.ndarray:
    """Sorted positions of :data:`SAMPLE_SIZE` of ``range(size)``, a function of ``size`` and
    ``seed`` only (drawn once per fit and size through ``cache``)."""
    if cache is not None and size in cache:
        return cache[size]
    pick = np.sort(np.random.default_rng(seed).choice(size, SAMPLE_SIZE, replace=False))
    if cache is not None:
        cache[size] = pick
    return pick


def _quantile_sample(
    z: np.ndarray,
    w: np.ndarray,
    ok: np.ndarray,
    v: np.ndarray,
    wv: np.ndarray,
    seed: int,
    cache: dict[int, np.ndarray] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """The values (and weights) whose quantiles cut the cells of one column.

    All ``v`` (the non-missing values of ``z``) up to :data:`SAMPLE_SIZE`; beyond, the
    non-missing values of one sample of rows shared by every column of the fit (as
    :func:`infodiv.scale.fine_cells` samples rows), unless that leaves fewer than half of
    :data:`SAMPLE_SIZE` values (a mostly missing column): then a sample of ``v`` itself.
    """
    if v.size <= SAMPLE_SIZE:
        return v, wv
    pick = _draw(z.size, seed, cache)
    if v.size == z.size:
        return v[pick], wv[pick]
    keep = ok[pick]
    if int(keep.sum()) >= SAMPLE_SIZE // 2:
        rows = pick[keep]
        return z[rows], w[rows]
    pick = _draw(v.size, seed, cache)
    return v[pick], wv[pick]


def _compress(
    z: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    n_cells: int,
    seed: int,
    min_share: float = 0.0,
    name: str = "x",
    out_codes: list[np.ndarray] | None = None,
    *,
    unit: bool = False,
    samples: dict[int, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One column as at most about ``2 * n_cells`` cells (quantile bin, class).

    The non-missing values are cut at the weighted quantiles of at most about
    :data:`SAMPLE_SIZE` of them (:func:`_quantile_sample`; :func:`infodiv.core.quantile_edges`,
    all cuts observed values): a column with at most ``n_cells`` distinct values gets a cell per value, and
    every value holding at least ``min(min_share, 1 / n_cells)`` of the weight a cell of its
    own. Each cell is represented by its smallest value. Returns per non-empty (cell, class):
    the representative value, the class, the row count, the sum of weights and of squared
    weights, and the cell index (the small integer xgboost is given). A depth-1 booster only
    sees gradient sums per histogram bin, so on the weighted cells it finds the splits it
    would find on the pre-binned column, at a cost that no longer grows with the number of
    rows. With ``out_codes`` (a list), the cell index of every non-missing value (in the
    order of ``z``) is appended to it. ``unit``: every weight is 1 (the sums are the counts);
    ``samples``: the cache of :func:`_draw` shared by the columns of one fit.
    """
    ok = ~np.isnan(z)
    v, yv, wv = (z, y, w) if ok.all() else (z[ok], y[ok], w[ok])  # no copy without NaN
    sample, ws = _quantile_sample(z, w, ok, v, wv, seed, samples)
    lo = v.min()
    cuts = np.empty(0)
    if unit:
        if sample.min() < sample.max():
            cuts = np.asarray(
                quantile_edges(sample, n_cells, None, name, min_share=min_share or None),
                dtype=float,
            )
    elif (ws > 0).any() and sample[ws > 0].min() < sample[ws > 0].max():
        cuts = np.asarray(
            quantile_edges(sample, n_cells, ws, name, min_share=min_share or None), dtype=float
        )
    cuts = cuts[cuts > lo]
    code = right_codes(cuts, v)
    if out_codes is not None:
        out_codes.append(code)
    reps = np.concatenate([[lo], cuts])  # the smallest value of each bin
    cell_id = code * 2 + yv
    m = 2 * reps.size
    n = np.bincount(cell_id, minlength=m).astype(float)
    keep = np.flatnonzero(n > 0)
    if unit:
        wsum = w2 = n
    else:
        wsum = np.bincount(cell_id, weights=wv, minlength=m)
        w2 = np.bincount(cell_id, weights=wv * wv, minlength=m)
    cell = keep // 2
    return reps[cell], keep % 2, n[keep], wsum[keep], w2[keep], cell.astype(float)
