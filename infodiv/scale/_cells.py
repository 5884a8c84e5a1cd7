"""Fine quantile cells of every column, computed where the data lives.

The cells a per-feature stump binner needs before it counts (``StumpBinner.fit_counts``):
numeric, datetime and duration columns are cut at quantiles, categorical columns (text,
category, enum, boolean) get one cell per category. Two ways to place the numeric cuts:

* ``method="sample"`` (default): a uniform sample of about ``sample_size`` rows, drawn by the
  engine (DuckDB ``USING SAMPLE ... (bernoulli)``, Spark and Dask Bernoulli samples, Polars
  and pandas ``sample``), and :func:`infodiv.core.quantile_edges` on it, weighted, with the
  heavy-value rule. This is what ``StumpBinner.fit`` does in memory (quantiles of at most
  200,000 sampled rows), so with ``data`` of at most ``sample_size`` rows the cells are the
  ones ``fit`` cuts.
* ``method="quantiles"``: the engine's own quantiles over all rows
  (:func:`~infodiv.scale.approx_quantile_edges`: DuckDB ``quantile_disc``, Spark
  ``approxQuantile``), unweighted, without the heavy-value rule.

Category lists are read from all rows (one ``DISTINCT`` per column), so no category is unseen
when the table is counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from infodiv.core import FeatureBins, quantile_edges
from infodiv.exceptions import InvalidParameterError
from infodiv.scale._edges import approx_quantile_edges
from infodiv.scale._frames import _is_numeric, _time_kind, lazy_engine, times_as_ns, to_lazy

__all__ = ["fine_cells"]


def _sample(lf: nw.LazyFrame, columns: list[str], size: int, seed: int) -> pd.DataFrame:
    """A uniform sample of about ``size`` rows of ``columns`` (all rows when fewer), as pandas."""
    impl = lazy_engine(lf)
    part = lf.select(*[nw.col(c) for c in columns])
    native = part.to_native()
    if impl == "polars":
        df = native.collect() if hasattr(native, "collect") else native
        if df.height > size:
            df = df.sample(n=int(size), seed=int(seed))
        return nw.from_native(df).to_pandas()
    if impl == "pandas":
        return native if len(native) <= size else native.sample(n=int(size), random_state=seed)
    if impl not in ("duckdb", "pyspark", "pyspark_connect", "dask"):
        raise InvalidParameterError(f"fine_cells does not support the {impl!r} engine")
    # a Bernoulli sample of expected size ``size`` (a file's row count is in its metadata);
    # DuckDB's reservoir sample costs 4x the CPU of a Bernoulli one
    n = int(part.select(nw.len()).collect().item())
    frac = size / max(n, 1)
    if frac >= 1:
        out = native
    elif impl == "duckdb":
        pct = f"{100.0 * frac!r}%"
        out = native.query("t", f"SELECT * FROM t USING SAMPLE {pct} (bernoulli, {int(seed)})")
    elif impl == "dask":
        out = native.sample(frac=frac, random_state=int(seed))
    else:
        out = native.sample(False, frac, int(seed))
    return nw.from_native(out).lazy().collect().to_pandas()


def _categories(lf: nw.LazyFrame, f: str, specials: Sequence[Any]) -> tuple[tuple[Any, ...], ...]:
    """One cell per category present in ``f`` (all rows): the dtype's order, else sorted.

    The order of an enum (DuckDB ``ENUM``, Polars ``Enum``) or of a pandas ``category``, as
    ``StumpBinner.fit`` takes it (it breaks ties in event rate); a Polars ``Categorical`` has
    no declared order, so its categories are sorted like text.
    """
    unordered = lf.collect_schema()[f] == nw.Categorical and lazy_engine(lf) == "polars"
    u = lf.select(nw.col(f)).unique().collect().to_pandas()[f]
    drop = set(specials)
    present = [v for v in u.dropna().tolist() if v not in drop]
    if isinstance(u.dtype, pd.CategoricalDtype) and not unordered:
        keep = set(present)
        order = [c for c in u.cat.categories if c in keep]
    else:
        order = sorted(present, key=str)
    if not order:
        raise InvalidParameterError(f"column {f!r} has only missing or special values")
    return tuple((v.item() if isinstance(v, np.generic) else v,) for v in order)


def fine_cells(
    data: Any,
    features: Sequence[str],
    n_cells: int = 67,
    *,
    sample_weight: str | None = None,
    special_values: Mapping[str, Sequence[Any]] | None = None,
    min_share: float | None = 0.03,
    method: Literal["sample", "quantiles"] = "sample",
    sample_size: int = 200_000,
    seed: int = 0,
) -> dict[str, FeatureBins]:
    """Fine cells of every feature, computed by the engine that holds ``data``.

    The first step of binning where the data lives: cut the fine cells here, count them with
    :func:`~infodiv.scale.count_table` (``bins=cells``, ``by=<class>``) in one pass, then fit
    the bins from the small table with ``StumpBinner().fit_counts(table, cells)``. Only the
    sample (or the quantiles), the category lists and the table leave the engine.

    Parameters
    ----------
    data : dataframe
        A pandas or Polars (eager or lazy) dataframe, DuckDB relation (e.g.
        ``duckdb.read_parquet(path)``), PySpark or Dask dataframe.
    features : sequence of str
        Columns to cut. Numbers, datetimes and durations are cut at quantiles (datetimes and
        durations in nanoseconds, with ``time_dtype`` set); text, category, enum and boolean
        columns get one cell per category.
    n_cells : int, default=67
        Quantile cells per numeric column. ``StumpBinner``'s default is
        ``auto_n_cells(min_bin_share)`` = ``ceil(2 / min_bin_share)`` (67 at its default 3%,
        40 at 5%); the defaults here (67 cells, ``min_share=0.03``) are the cells a default
        ``StumpBinner().fit`` cuts. With other binner settings pass its ``n_cells`` and
        ``min_share=min_bin_share``.
    sample_weight : str, optional
        Column of row weights: the sampled quantiles are weighted (``method="sample"``).
    special_values : dict of str -> sequence, optional
        Per feature, values that get a cell each (left out of the quantiles).
    min_share : float or None, default=0.03
        Passed to :func:`~infodiv.core.quantile_edges`: a value holding at least this share
        of the weight (when below ``1 / n_cells``) gets a cell of its own.
    method : {"sample", "quantiles"}, default="sample"
        ``"sample"``: weighted quantiles of a uniform sample of about ``sample_size`` rows,
        as ``StumpBinner.fit`` cuts them in memory. ``"quantiles"``: the engine's quantiles
        of all rows (:func:`~infodiv.scale.approx_quantile_edges`), unweighted.
    sample_size : int, default=200000
        Expected rows sampled for ``method="sample"`` (all rows when ``data`` has no more;
        a Bernoulli sample on DuckDB, Spark and Dask, an exact-size one on Polars and pandas).
    seed : int, default=0
        Seed of the sample.

    Returns
    -------
    dict of str -> FeatureBins
        The cells, in the order of ``features``: edges at observed values (numeric) or one
        category per group (categorical), with the special values.

    Raises
    ------
    InvalidParameterError
        Missing columns, bad ``n_cells``/``method``/``sample_size``, a column with only
        missing or special values, an engine without sampling.

    Notes
    -----
    With ``method="sample"`` and ``data`` of at most ``sample_size`` rows every row is used,
    and the numeric cells are those ``StumpBinner(n_cells=n_cells, min_bin_share=min_share)``
    cuts in :meth:`fit`, so ``fit_counts`` on the engine's table gives the bins of ``fit`` on
    the rows. On larger data the cells carry the sample's noise (a quantile level is off by
    about ``sqrt(l (1 - l) / sample_size)`` in share), as ``fit``'s do. Integer columns beyond
    2**53 get exact integer edges, which :func:`~infodiv.scale.count_table` compares exactly.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"x": np.arange(100.0), "g": list("ab") * 50})
    >>> cells = fine_cells(df, ["x", "g"], n_cells=4)
    >>> cells["x"].edges, cells["g"].categories
    ((25.0, 50.0, 75.0), (('a',), ('b',)))
    """
    if isinstance(n_cells, bool) or not isinstance(n_cells, int | np.integer) or n_cells < 1:
        raise InvalidParameterError(f"n_cells must be a positive integer; got {n_cells!r}")
    if method not in ("sample", "quantiles"):
        raise InvalidParameterError(f"method must be 'sample' or 'quantiles'; got {method!r}")
    if isinstance(sample_size, bool) or not isinstance(sample_size, int | np.integer):
        raise InvalidParameterError(f"sample_size must be an integer; got {sample_size!r}")
    if sample_size < 2:
        raise InvalidParameterError(f"sample_size must be at least 2; got {sample_size!r}")
    if isinstance(features, str):
        features = [features]
    features = [str(f) for f in features]
    if not features:
        raise InvalidParameterError("features is empty: name the columns to cut")
    lf = to_lazy(data)
    schema = lf.collect_schema()
    need = [*features, *([sample_weight] if sample_weight is not None else [])]
    missing = [c for c in need if c not in schema]
    if missing:
        raise InvalidParameterError(f"data lacks columns {missing}; it has {list(schema)[:20]}")
    specials = {f: tuple(v) for f, v in (special_values or {}).items()}
    kinds = {f: _time_kind(schema[f]) for f in features}
    numeric = [
        f
        for f in features
        if kinds[f] is not None or (_is_numeric(schema[f]) and schema[f] != nw.Boolean)
    ]
    edges: dict[str, tuple[Any, ...]] = {}
    if numeric and method == "quantiles":
        ns = times_as_ns(lf, numeric)
        edges = approx_quantile_edges(ns, numeric, max(int(n_cells), 2), special_values=specials)
    elif numeric:
        cols = [*numeric, *([sample_weight] if sample_weight is not None else [])]
        sample = _sample(lf, list(dict.fromkeys(cols)), int(sample_size), int(seed))
        w = None
        if sample_weight is not None:
            w = sample[sample_weight].to_numpy(dtype=float, na_value=np.nan)
            if not np.isfinite(w).all() or (w < 0).any():
                raise InvalidParameterError(
                    f"sample_weight column {sample_weight!r} has missing, infinite or negative "
                    "values"
                )
        for f in numeric:
            s = sample[f]
            ok = ~s.isna().to_numpy()
            if specials.get(f):
                ok &= ~s.isin(list(specials[f])).to_numpy(dtype=bool, na_value=False)
            if w is not None:
                ok &= w > 0
            v = s[ok]
            if v.empty:
                raise InvalidParameterError(
                    f"column {f!r} has only missing or special values in the sample of "
                    f"{len(s)} rows"
                )
            if v.min() == v.max():  # constant in the sample: one cell
                edges[f] = ()
                continue
            edges[f] = quantile_edges(
                v, int(n_cells), None if w is None else w[ok], f, min_share=min_share
            )
    out = {}
    for f in features:
        sv = specials.get(f, ())
        if f in edges:
            kind = kinds[f]
            out[f] = FeatureBins(
                f,
                edges=edges[f],
                special_values=sv,
                time_dtype=None if kind is None else f"{kind}64[ns]",
            )
        else:
            out[f] = FeatureBins(f, categories=_categories(lf, f, sv), special_values=sv)
    return out
