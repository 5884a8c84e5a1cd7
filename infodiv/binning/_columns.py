"""One column made ready for the stumps: the ``_Column`` record, its preparation and compression.

A column becomes one float array ``z`` fed to xgboost (the numeric value, or for a categorical
column the rank of its category by smoothed event rate), with its missing and special values set
aside. With ``strategy="per_feature"`` the column is then compressed to at most
``2 * n_cells`` weighted cells (quantile bin, class), see :func:`_compress`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from infodiv.core import check_no_inf, is_categorical, is_plain_number, is_text, numeric_array


@dataclass
class _Column:
    name: str
    categorical: bool
    z: np.ndarray  # values fed to xgboost: numeric value or category rank; NaN if missing/special
    special_codes: np.ndarray  # -1 regular / missing, else index into specials
    specials: tuple[Any, ...]
    missing: np.ndarray  # bool
    categories: list[Any] | None = None  # categories in rank order (categorical only)


def _prepare_column(
    s: pd.Series, name: str, specials: tuple[Any, ...], y: np.ndarray, w: np.ndarray
) -> _Column:
    n = len(s)
    # plain numbers: work on one float array (same checks as core.numeric_array)
    arr = s.to_numpy(dtype=float, na_value=np.nan) if is_plain_number(s.dtype) else None
    missing = np.isnan(arr) if arr is not None else s.isna().to_numpy()
    special_codes = np.full(n, -1, dtype=np.int64)
    if specials:
        lookup = {v: i for i, v in enumerate(specials)}
        is_special = s.isin(list(specials)).to_numpy() & ~missing
        if is_special.any():
            special_codes[is_special] = s[is_special].map(lookup).to_numpy(dtype=np.int64)
    regular = ~missing & (special_codes < 0)
    if missing.all():
        raise ValueError(f"column {name!r} has only missing values")
    if not regular.any():
        raise ValueError(
            f"column {name!r} has no values besides missing values and its special values "
            f"{list(specials)}"
        )
    z = np.full(n, np.nan)
    if is_categorical(s):
        codes, uniques = pd.factorize(s[regular].astype(object), sort=False)
        if len(uniques) == 1:
            raise ValueError(f"column {name!r} is constant (every value is {uniques[0]!r})")
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
    if is_text(s):
        raise ValueError(
            f"column {name!r} holds strings (dtype {s.dtype}); mark it categorical "
            f"(X[{name!r}] = X[{name!r}].astype('category')) to bin it by category"
        )
    if arr is not None:  # mask in numpy rather than index the Series
        vals = check_no_inf(arr[regular], name)
    else:
        vals = numeric_array(s[regular], name)
    if vals.min() == vals.max():
        raise ValueError(f"column {name!r} is constant (every value is {vals[0]!r})")
    z[regular] = vals
    return _Column(name, False, z, special_codes, specials, missing)


def _py(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _trend_direction(col: _Column, trend: Any, comp: tuple[np.ndarray, ...]) -> int:
    if trend is None:
        return 0
    if trend not in ("auto", "increasing", "decreasing"):
        raise ValueError(
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


def _compress(
    z: np.ndarray, y: np.ndarray, w: np.ndarray, n_cells: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One column as at most ``2 * n_cells`` cells (quantile bin, class).

    The non-missing values are cut at ``n_cells`` quantiles (of at most 200,000 sampled rows),
    all of them observed values; each bin is represented by its smallest value. Returns per
    non-empty cell: the representative value, the class, the row count, the sum of weights and
    of squared weights. A depth-1 booster only sees gradient sums per histogram bin, so on the
    weighted cells it finds the splits it would find on the pre-binned column, at a cost that
    no longer grows with the number of rows.
    """
    ok = ~np.isnan(z)
    v, yv, wv = z[ok], y[ok], w[ok]
    sample = v
    if v.size > 200_000:
        sample = np.random.default_rng(seed).choice(v, 200_000, replace=False)
    # np.quantile(sample, probs, method="lower"), read off one sort (np.quantile partitions
    # once per probability and costs ~10x more here)
    probs = np.linspace(0, 1, n_cells + 1)[1:-1]
    ordered = np.sort(sample)
    cuts = np.unique(ordered[np.floor((ordered.size - 1) * probs).astype(np.intp)])
    lo = v.min()
    cuts = cuts[cuts > lo]
    code = np.searchsorted(cuts, v, side="right")
    reps = np.concatenate([[lo], cuts])  # the smallest value of each bin
    cell_id = code * 2 + yv
    m = 2 * reps.size
    wsum = np.bincount(cell_id, weights=wv, minlength=m)
    n = np.bincount(cell_id, minlength=m).astype(float)
    keep = np.flatnonzero(n > 0)
    w2 = np.bincount(cell_id, weights=wv * wv, minlength=m)
    return reps[keep // 2], keep % 2, n[keep], wsum[keep], w2[keep]
