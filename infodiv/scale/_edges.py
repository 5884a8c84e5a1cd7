"""Bin edges for data too big for one machine, and merging a fine count table into coarse bins.

Two routes, both ending in :class:`~infodiv.core.FeatureBins` that serialise to JSON
(:func:`infodiv.io.save_bins`) so that bins fitted in one place are applied elsewhere:

1. **Subsample.** Draw rows natively (:func:`sample_rows`), bring them to pandas and fit the
   bins there (:func:`infodiv.core.frame_bins`: weighted quantiles, or any binner that works on
   pandas). Exact and weight-aware on the sample; the edges carry the sample's noise, a
   quantile level is off by about ``sqrt(l (1 - l) / n_sample)`` in share.
2. **Approximate quantiles, then binning on the small table** (:func:`fit_bins_at_scale`).
   Pass 1: the engine's own quantile sketch gives ``n_fine`` fine edges per feature
   (:func:`approx_quantile_edges`; Spark ``approxQuantile``, DuckDB ``quantile_disc``).
   Pass 2: :func:`infodiv.scale.count_table` counts the fine bins by class (or any key) on
   all rows. Then the coarse edges are chosen *on the small fine table*: weighted quantiles
   (default) or any supervised ``binner`` (e.g. a stump/optimal binner) that picks a subset of
   the fine edges; the coarse table is the fine table with bins merged (:func:`merge_bins`), so
   no third pass is needed. Uses every row and the weights in the coarse step; coarse edges
   can only sit on fine edges, so the resolution is one fine bin (about ``1 / n_fine`` of the
   mass plus the sketch's rank error).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from infodiv.core import CountTable, FeatureBins, quantile_edges
from infodiv.exceptions import InvalidParameterError
from infodiv.scale._count_table import _table, count_table
from infodiv.scale._frames import _BIN, _FEAT, _is_float, _is_numeric, lazy_engine, to_lazy

__all__ = [
    "approx_quantile_edges",
    "coarse_bins",
    "fit_bins_at_scale",
    "merge_bins",
    "sample_rows",
]

Binner = Callable[[CountTable, str, tuple[float, ...]], Sequence[float]]


def _check_fine(n_fine: Any, name: str = "n_fine") -> int:
    if isinstance(n_fine, bool) or int(n_fine) != n_fine or n_fine < 2:
        raise InvalidParameterError(f"{name} must be an integer >= 2; got {n_fine!r}")
    return int(n_fine)


def sample_rows(data: Any, fraction: float, seed: int = 0) -> pd.DataFrame:
    """A Bernoulli sample of ``data``'s rows drawn by its engine, returned as pandas.

    Spark ``DataFrame.sample``, DuckDB ``USING SAMPLE ... (bernoulli)``, Dask and pandas
    ``sample(frac=)``, Polars ``sample(fraction=)``. Fit bins on the result with
    :func:`infodiv.core.frame_bins`.
    """
    if not 0.0 < float(fraction) <= 1.0:
        raise InvalidParameterError(f"fraction must be in (0, 1]; got {fraction!r}")
    lf = to_lazy(data)
    impl = lazy_engine(lf)
    native = lf.to_native()
    if impl in ("pyspark", "pyspark_connect"):
        out = native.sample(withReplacement=False, fraction=float(fraction), seed=int(seed))
    elif impl == "duckdb":
        pct = 100.0 * float(fraction)
        out = native.query("t", f"SELECT * FROM t USING SAMPLE {pct!r}% (bernoulli, {int(seed)})")
    elif impl == "polars":
        out = native.collect().sample(fraction=float(fraction), seed=int(seed))
    elif impl in ("pandas", "dask"):
        out = native.sample(frac=float(fraction), random_state=int(seed))
    else:
        raise InvalidParameterError(f"sample_rows does not support the {impl!r} engine")
    return nw.from_native(out).lazy().collect().to_pandas()


def _clean(lf: nw.LazyFrame, f: str, special_values: Sequence[Any]) -> nw.Expr:
    """The column as float64 with missing, special and infinite values set to null."""
    dtype = lf.collect_schema()[f]
    if not _is_numeric(dtype) or dtype == nw.Boolean:
        raise InvalidParameterError(
            f"column {f!r} is not numeric ({dtype}): quantile edges need numbers"
        )
    x = nw.col(f).cast(nw.Float64)
    bad = x.is_null() | ~x.is_finite()
    if _is_float(dtype):
        bad = bad | x.is_nan()
    specials = [float(v) for v in special_values if isinstance(v, int | float | np.number)]
    if specials:
        bad = bad | x.is_in(specials)
    return nw.when(~bad).then(x).alias(f)


def _from_levels(values: Sequence[float], f: str) -> tuple[float, ...]:
    """Edges from quantiles at levels 0, 1/m, ..., (m-1)/m: distinct, above the minimum."""
    v = np.asarray([np.nan if x is None else x for x in values], dtype=float)
    if np.isnan(v).all():
        raise InvalidParameterError(f"column {f!r} has only missing or special values")
    v = np.unique(v[np.isfinite(v)])
    if v.size < 2:
        raise InvalidParameterError(f"column {f!r} is constant (every value is {v[0]!r})")
    return tuple(float(e) for e in v[1:])


def approx_quantile_edges(
    data: Any,
    features: Sequence[str],
    n_fine: int = 100,
    *,
    special_values: Mapping[str, Sequence[Any]] | None = None,
    relative_error: float = 1e-3,
    sample_fraction: float = 0.05,
    seed: int = 0,
) -> dict[str, tuple[float, ...]]:
    """Fine interior edges of every feature at the levels ``1/n_fine, ..., (n_fine-1)/n_fine``.

    Missing, infinite and special values are left out. Per engine:

    * Spark: ``DataFrame.approxQuantile`` (Greenwald-Khanna sketch, one pass for all columns;
      rank error at most ``relative_error``);
    * DuckDB: ``quantile_disc`` (exact, observed values; DuckDB's ``approx_quantile``
      interpolates, which puts edges between the values of a discrete column);
    * pandas and Polars: exact quantiles (the data is already in this process);
    * Dask: exact quantiles of a native Bernoulli sample of ``sample_fraction`` of the rows
      (Dask's own quantiles are biased when partitions are sorted).

    Sketches ignore weights; weights enter when the coarse edges are chosen from the fine
    count table (:func:`coarse_bins`). Ties collapse, so a column with few distinct values
    gets fewer edges.
    """
    n_fine = _check_fine(n_fine)
    if not 0 < float(relative_error) < 1:
        raise InvalidParameterError(f"relative_error must be in (0, 1); got {relative_error!r}")
    features = [str(f) for f in features]
    if not features:
        raise InvalidParameterError("features is empty")
    lf = to_lazy(data)
    schema = lf.collect_schema()
    missing = [f for f in features if f not in schema]
    if missing:
        raise InvalidParameterError(f"data lacks feature columns {missing}")
    specials = special_values or {}
    clean = lf.select(*[_clean(lf, f, specials.get(f, ())) for f in features])
    levels = [i / n_fine for i in range(n_fine)]
    impl = lazy_engine(lf)
    if impl in ("pyspark", "pyspark_connect"):
        q = clean.to_native().approxQuantile(features, levels, float(relative_error))
        return {f: _from_levels(v, f) for f, v in zip(features, q, strict=True)}
    if impl == "duckdb":
        lv = ", ".join(repr(x) for x in levels)
        sql = ", ".join(
            f'quantile_disc("{f.replace(chr(34), chr(34) * 2)}", [{lv}])' for f in features
        )
        row = clean.to_native().aggregate(sql).fetchall()[0]
        return {f: _from_levels(v, f) for f, v in zip(features, row, strict=True)}
    if impl == "dask":
        sample = sample_rows(clean.to_native(), sample_fraction, seed)
        cols = {f: sample[f] for f in features}
    elif impl in ("pandas", "polars"):
        cols = {f: clean.select(f).collect().to_pandas()[f] for f in features}
    else:
        raise InvalidParameterError(f"approx_quantile_edges does not support the {impl!r} engine")
    out = {}
    for f, s in cols.items():
        s = s.dropna()
        if s.empty:
            raise InvalidParameterError(f"column {f!r} has only missing or special values")
        out[f] = quantile_edges(s.to_numpy(dtype=float), n_fine, feature=f)
    return out


# --------------------------------------------------------------------------- fine -> coarse
def _fine_to_coarse(fine: FeatureBins, coarse: FeatureBins) -> np.ndarray:
    """Coarse code of every fine code; raises when a fine bin straddles a coarse edge."""
    f = fine.feature
    if fine.is_numeric != coarse.is_numeric:
        raise InvalidParameterError(
            f"feature {f!r}: fine and coarse bins must both be numeric or categorical"
        )
    if tuple(fine.special_values) != tuple(coarse.special_values):
        raise InvalidParameterError(
            f"feature {f!r}: fine special values {fine.special_values} differ from coarse "
            f"{coarse.special_values}"
        )
    if fine.is_numeric:
        fe, ce = np.asarray(fine.edges), np.asarray(coarse.edges)
        off = ce[~np.isin(ce, fe)]
        if off.size:
            raise InvalidParameterError(
                f"feature {f!r}: coarse edges {off[:5].tolist()} are not fine edges, so fine bins "
                "cannot be merged into them"
            )
        lower = np.concatenate([[-np.inf], fe])
        regular = np.searchsorted(ce, lower, side="right")
    else:
        where = {c: j for j, g in enumerate(coarse.categories or ()) for c in g}
        groups: list[int] = []
        for g in fine.categories or ():
            targets = {where.get(c, -1) for c in g}
            if len(targets) != 1 or -1 in targets:
                raise InvalidParameterError(
                    f"feature {f!r}: fine group {list(g)} is not inside one coarse group"
                )
            groups.append(targets.pop())
        regular = np.asarray(groups, dtype=np.int64)
    S = len(fine.special_values)
    tail = np.arange(coarse.n_regular, coarse.n_regular + S + 1)
    return np.concatenate([regular, tail]).astype(np.int64)


def merge_bins(
    table: CountTable, fine: Mapping[str, FeatureBins], coarse: Mapping[str, FeatureBins]
) -> CountTable:
    """The count table of ``coarse`` bins, obtained by adding up the ``fine`` bins of ``table``.

    Exact (it equals counting the data again with ``coarse``) when every coarse edge is a fine
    edge (or every fine category group lies inside one coarse group), with the same special
    values; otherwise ``ValueError``. Features of ``table`` not named in ``coarse`` are dropped.
    """
    if not coarse:
        raise InvalidParameterError("coarse is empty")
    frames = []
    order = []
    for i, (f, cb) in enumerate(coarse.items()):
        if f not in table.labels:
            raise InvalidParameterError(f"feature {f!r} is not in the count table")
        if f not in fine:
            raise InvalidParameterError(f"fine has no bins for {f!r}")
        fb = fine[f]
        if fb.labels != table.labels[f]:
            raise InvalidParameterError(
                f"feature {f!r}: the fine bins do not match the table's bins"
            )
        mapping = _fine_to_coarse(fb, cb)
        part = table.frame[table.frame["feature"] == f]
        res = pd.DataFrame(
            {
                _FEAT: i,
                _BIN: mapping[part["bin"].to_numpy(dtype=np.int64)],
                **{k: part[k].to_numpy() for k in table.keys},
                "n": part["n"].to_numpy(),
                "sum_w": part["sum_w"].to_numpy(),
                "sum_w2": part["sum_w2"].to_numpy(),
            }
        )
        frames.append(res[res["n"] > 0])
        order.append(cb)
    res = pd.concat(frames, ignore_index=True)
    res = res.groupby([_FEAT, _BIN, *table.keys], sort=False, as_index=False)[
        ["n", "sum_w", "sum_w2"]
    ].sum()
    return _table(res, order, list(table.keys))


def _quantile_choice(table: CountTable, feature: str, fine: FeatureBins, n_bins: int) -> tuple:
    """Fine edges nearest the weighted quantile levels ``k / n_bins`` of the regular bins."""
    w = table.vector(feature, "sum_w")[: fine.n_regular]
    if w.sum() <= 0:
        raise InvalidParameterError(f"column {feature!r} has no weight in its regular bins")
    below = np.cumsum(w)[:-1] / w.sum()  # share strictly below fine edge j
    edges = np.asarray(fine.edges)
    chosen = []
    for level in np.arange(1, n_bins) / n_bins:
        j = int(np.argmin(np.abs(below - level)))
        if 0.0 < below[j] < 1.0:
            chosen.append(edges[j])
    return tuple(float(e) for e in np.unique(chosen))


def coarse_bins(
    table: CountTable,
    fine: Mapping[str, FeatureBins],
    n_bins: int = 10,
    *,
    binner: Binner | None = None,
) -> dict[str, FeatureBins]:
    """Coarse numeric bins chosen among the fine edges, from the fine count table alone.

    Parameters
    ----------
    table : CountTable
        Counts of the ``fine`` bins (any keys).
    fine : dict of FeatureBins
        Numeric fine bins of the features to coarsen.
    n_bins : int
        Target number of regular bins for the default rule: the fine edge nearest each weighted
        quantile level ``k / n_bins`` (weights summed over every key).
    binner : callable, optional
        The hook for supervised binning: ``binner(table, feature, candidates)`` returns the
        coarse edges, a subset of ``candidates`` (the fine edges), e.g. from stump binning of
        ``table.select(feature, **{"class": 1})`` against ``class 0``.
    """
    n_bins = _check_fine(n_bins, "n_bins")
    out = {}
    for f, fb in fine.items():
        if not fb.is_numeric:
            raise InvalidParameterError(
                f"feature {f!r} has category bins; coarse_bins handles numeric bins"
            )
        if binner is None:
            edges = _quantile_choice(table, f, fb, n_bins)
        else:
            fine_edges = fb.edges or ()  # numeric bins: never None
            edges = tuple(sorted(float(e) for e in binner(table, f, tuple(fine_edges))))
            off = [e for e in edges if e not in set(fine_edges)]
            if off:
                raise InvalidParameterError(
                    f"binner returned edges {off[:5]} for {f!r} that are not fine edges"
                )
        out[f] = FeatureBins(f, edges=edges, special_values=fb.special_values)
    return out


def fit_bins_at_scale(
    data: Any,
    features: Sequence[str],
    by: str | Sequence[str],
    n_bins: int = 10,
    *,
    sample_weight: str | None = None,
    special_values: Mapping[str, Sequence[Any]] | None = None,
    n_fine: int = 100,
    relative_error: float = 1e-3,
    binner: Binner | None = None,
) -> tuple[dict[str, FeatureBins], CountTable]:
    """Coarse bins of numeric features from the engine's quantiles and one counting pass.

    Pass 1: :func:`approx_quantile_edges` (``n_fine`` fine bins). Pass 2:
    :func:`~infodiv.scale.count_table` of the fine bins by ``by``. Then :func:`coarse_bins`
    (weighted quantiles or ``binner``) and :func:`merge_bins` on the small table.

    Returns
    -------
    bins : dict of FeatureBins
        The coarse bins (save them with :func:`infodiv.io.save_bins`).
    table : CountTable
        The coarse count table keyed by ``by``, equal to counting ``data`` with ``bins``.
    """
    specials = special_values or {}
    fine_edges = approx_quantile_edges(
        data, features, n_fine, special_values=specials, relative_error=relative_error
    )
    fine = {
        f: FeatureBins(f, edges=e, special_values=tuple(specials.get(f, ())))
        for f, e in fine_edges.items()
    }
    fine_table = count_table(data, fine, by, sample_weight)
    coarse = coarse_bins(fine_table, fine, n_bins, binner=binner)
    return coarse, merge_bins(fine_table, fine, coarse)
