"""Count tables from any dataframe engine: pandas, Polars, DuckDB, PySpark, Dask.

:func:`count_table` turns a dataframe plus :class:`~infodiv.core.FeatureBins` into the
project's :class:`~infodiv.core.CountTable` with one code path written in `narwhals`_
expressions. Bin assignment and aggregation run natively in the engine that holds the data
(for Spark the expressions compile to ``CASE WHEN`` columns, ``stack`` and a
``groupBy().agg()``; no Python UDF touches a row), and only the small table (feature x bin x key
values: ``n``, ``sum_w``, ``sum_w2``) comes back to the driver. The result is the table that
:meth:`CountTable.from_frame <infodiv.core.CountTable.from_frame>` gives on the same data:
same bin codes and labels, missing and special-value bins included, same validation errors.

Bin codes follow :meth:`FeatureBins.codes <infodiv.core.FeatureBins.codes>` exactly:

* missing first (null, and NaN in float columns) -> the missing bin;
* then the special values -> one bin each;
* then numeric values -> ``#{edges <= x}`` with ``x`` read as float64 (left-closed bins, as
  ``numpy.searchsorted(edges, x, side="right")``); an infinite value is an error. The
  ``"sums"`` strategy compares float32 and small-integer columns on their own type against
  edges rounded so that the test is the same (:func:`~infodiv.scale._sums._ge_literal`);
* or categories -> their group; rows whose category is in no bin are counted in an extra
  last bin, ``"unseen"``, with an ``UnseenCategoryWarning`` (as :meth:`CountTable.from_frame`).

Tables of partitions merge by addition, so ``count_table(a) + count_table(b)`` equals
``count_table(union of a and b)``.

.. _narwhals: https://narwhals-dev.github.io/narwhals/
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from infodiv.core import STATS, UNSEEN, CountTable, FeatureBins, unseen_label, warn_unseen_rows
from infodiv.exceptions import InvalidParameterError
from infodiv.scale._codes import INF_CODE, code_expr
from infodiv.scale._frames import (
    _BIN,
    _FEAT,
    _W,
    _W2,
    _WCOUNT,
    _WMIN,
    _is_numeric,
    _time_kind,
    lazy_engine,
    times_as_ns,
    to_lazy,
)
from infodiv.scale._sums import aggregate_sums, key_values

__all__ = ["Strategy", "count_table"]

Strategy = Literal["auto", "sums", "unpivot", "per_feature"]


def _check_columns(schema: Mapping[str, Any], names: Iterable[str], what: str) -> None:
    missing = [c for c in names if c not in schema]
    if missing:
        raise InvalidParameterError(
            f"data lacks {what} columns {missing}; it has {list(schema)[:20]}"
        )


def _as_bins(bins: Mapping[str, FeatureBins] | Sequence[FeatureBins]) -> list[FeatureBins]:
    items = list(bins.values()) if isinstance(bins, Mapping) else list(bins)
    if not items:
        raise InvalidParameterError("bins is empty: give at least one FeatureBins")
    for b in items:
        if not isinstance(b, FeatureBins):
            raise InvalidParameterError(f"bins must hold FeatureBins; got {type(b).__name__}")
    if isinstance(bins, Mapping):
        for k, b in bins.items():
            if str(k) != b.feature:
                raise InvalidParameterError(f"bins[{k!r}] holds the bins of {b.feature!r}")
    names = [b.feature for b in items]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InvalidParameterError(f"bins has two entries for {dup}")
    return items


def _auto_strategy(lf: nw.LazyFrame, weighted: bool) -> Strategy:
    impl = lazy_engine(lf)
    # Engines that recompute their input per query (Spark plans, Dask graphs) get one scan
    # (unpivot). Polars and DuckDB count unweighted rows fastest as sums of indicators (no
    # group-by); pandas, and weighted counts, take one small group-by per feature.
    if impl in ("pyspark", "pyspark_connect", "sqlframe", "dask"):
        return "unpivot"
    if impl in ("polars", "duckdb") and not weighted:
        return "sums"
    return "per_feature"


def _aggregate(
    lf: nw.LazyFrame, fbins: list[FeatureBins], keys: list[str], weighted: bool, strategy: str
) -> pd.DataFrame:
    schema = lf.collect_schema()
    codes = [code_expr(b, schema[b.feature]).alias(f"__infodiv_c{i}") for i, b in enumerate(fbins)]
    carry = [nw.col(k) for k in keys]
    if weighted:
        carry += [nw.col(_W), (nw.col(_W) * nw.col(_W)).alias(_W2)]
    aggs = [nw.len().alias("n")]
    if weighted:
        aggs += [
            nw.col(_W).sum().alias("sum_w"),
            nw.col(_W2).sum().alias("sum_w2"),
            nw.col(_W).min().alias(_WMIN),
            nw.col(_W).count().alias(_WCOUNT),
        ]
    if strategy == "unpivot":
        cols = [f"__infodiv_c{i}" for i in range(len(fbins))]
        index = [*keys, *([_W, _W2] if weighted else [])]
        long = lf.select(*carry, *codes).unpivot(
            on=cols, index=index, variable_name=_FEAT, value_name=_BIN
        )
        out = long.group_by(_FEAT, _BIN, *keys).agg(*aggs)
        res = out.collect().to_pandas()
        res[_FEAT] = res[_FEAT].astype(str).str.slice(len("__infodiv_c")).astype(np.int64)
    elif strategy == "per_feature":
        parts = []
        for i, c in enumerate(codes):
            part = (
                lf.select(*carry, c.alias(_BIN))
                .group_by(_BIN, *keys)
                .agg(*aggs)
                .with_columns(nw.lit(i).cast(nw.Int64).alias(_FEAT), nw.col("n").cast(nw.Int64))
            )
            if weighted:
                part = part.with_columns(nw.col(_WCOUNT).cast(nw.Int64))
            parts.append(part)
        res = nw.concat(parts, how="vertical").collect().to_pandas()
    else:
        raise InvalidParameterError(
            f"strategy must be 'auto', 'sums', 'unpivot' or 'per_feature'; got {strategy!r}"
        )
    return res.reset_index(drop=True)


def _normalise_key(s: pd.Series) -> pd.Series:
    """Engine-independent key dtypes: int64, float64, bool or pandas' default string dtype."""
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(bool)
    if pd.api.types.is_integer_dtype(s.dtype):
        return s.astype(np.int64)
    if pd.api.types.is_float_dtype(s.dtype):
        return s.astype(np.float64)
    if pd.api.types.is_string_dtype(s.dtype) or isinstance(s.dtype, pd.CategoricalDtype):
        return pd.Series(s.astype(object).tolist(), index=s.index, name=s.name)
    return s


def _check_result(
    res: pd.DataFrame, fbins: list[FeatureBins], keys: list[str], weight_col: str | None
) -> None:
    first = res[res[_FEAT] == 0]
    if first["n"].sum() == 0:
        raise InvalidParameterError("data has no rows")
    for k in keys:
        bad = first[k].isna()
        if bad.any():
            raise InvalidParameterError(
                f"key {k!r} has missing values ({int(first.loc[bad, 'n'].sum())} rows)"
            )
    if weight_col is not None:
        nulls = int((first["n"] - first[_WCOUNT]).sum())
        if nulls:
            raise InvalidParameterError(
                f"sample_weight column {weight_col!r} has {nulls} missing (null or NaN) rows"
            )
        if not np.isfinite(first["sum_w"].to_numpy(dtype=float)).all():
            raise InvalidParameterError(f"sample_weight column {weight_col!r} contains NaN or inf")
        wmin = float(first[_WMIN].min())
        if wmin < 0:
            raise InvalidParameterError(
                f"sample_weight column {weight_col!r} contains a negative weight ({wmin!r})"
            )
        if first["sum_w"].sum() <= 0:
            raise InvalidParameterError(
                f"sample_weight column {weight_col!r} sums to zero: no row carries weight"
            )
    for i, b in enumerate(fbins):
        part = res[res[_FEAT] == i]
        inf = int(part.loc[part[_BIN] == INF_CODE, "n"].sum())
        if inf:
            raise InvalidParameterError(f"column {b.feature!r} contains inf ({inf} rows)")
        # unseen categories are counted in a bin of their own (see _table)
        outside = part[((part[_BIN] < 0) | (part[_BIN] >= b.n_bins)) & (part[_BIN] != UNSEEN)]
        if len(outside):
            raise InvalidParameterError(
                f"column {b.feature!r} has {int(outside['n'].sum())} rows with codes "
                f"{sorted(outside[_BIN].unique())[:5]} outside its bins"
            )


def _table(res: pd.DataFrame, fbins: list[FeatureBins], keys: list[str]) -> CountTable:
    """The count table from the aggregated rows (``_FEAT``, ``_BIN``, keys, stats)."""
    names = np.asarray([b.feature for b in fbins], dtype=object)
    n = res["n"].to_numpy(dtype=float)
    feat = res[_FEAT].to_numpy(dtype=np.int64)
    code = res[_BIN].to_numpy(dtype=np.int64)
    labels = {b.feature: list(b.labels) for b in fbins}
    for i, b in enumerate(fbins):  # categories in no bin: a bin of their own, as from_codes
        out = (feat == i) & (code == UNSEEN) & (n > 0)
        if out.any():
            labels[b.feature].append(unseen_label(labels[b.feature]))
            code = np.where((feat == i) & (code == UNSEEN), len(labels[b.feature]) - 1, code)
            warn_unseen_rows(b.feature, int(n[out].sum()), labels[b.feature][-1])
    keep = code != UNSEEN  # zero rows of a feature without unseen categories
    res, n, feat, code = res[keep], n[keep], feat[keep], code[keep]
    frame = pd.DataFrame(
        {
            "feature": names[feat],
            "bin": code,
            **{k: _normalise_key(res[k]).to_numpy() for k in keys},
            **{st: res[st].to_numpy(dtype=float) if st in res.columns else n for st in STATS},
        }
    )
    return CountTable(frame, keys, labels)


def count_table(
    data: Any,
    bins: Mapping[str, FeatureBins] | Sequence[FeatureBins],
    by: str | Sequence[str],
    sample_weight: str | None = None,
    *,
    strategy: Strategy = "auto",
    weights: Literal["sampling", "frequency"] = "sampling",
) -> CountTable:
    """Count table of ``data`` computed inside its own engine; only the small table returns.

    Parameters
    ----------
    data : dataframe
        pandas or Polars (eager or lazy) dataframe, DuckDB relation, PySpark or Dask dataframe
        (anything `narwhals` wraps).
    bins : dict of FeatureBins or sequence of FeatureBins
        Bins of every feature to count (e.g. fitted on a sample and loaded with
        :func:`infodiv.io.load_bins`).
    by : str or sequence of str
        Key column(s) of ``data``: the class, the period, the protected group...
    sample_weight : str, optional
        Column of ``data`` holding non-negative row weights.
    strategy : {"auto", "sums", "unpivot", "per_feature"}
        ``"sums"`` (unweighted only): every count is the sum of a row indicator (missing,
        special value, regular, ``x >= edge`` and regular), bins are differences of these
        cumulative counts; one scan and no group-by over bins. On Polars with at most
        ``MAX_SUMS_KEYS`` key combinations the key groups are boolean masks (only column sums);
        otherwise one group-by over the keys sums all indicators.
        ``"unpivot"``: one scan; every row yields one (feature, bin) record per feature, which
        the engine aggregates (Spark: ``stack`` + partial aggregation, so the shuffle carries
        only partial counts). ``"per_feature"``: one small group-by per feature, combined with
        ``UNION ALL``; cheaper for in-memory engines that scan their data for free (pandas,
        Polars, DuckDB) but a full re-scan per feature on Spark. ``"auto"`` picks sums for
        unweighted counts on Polars and DuckDB, unpivot for Spark and Dask, per-feature
        otherwise. All give the same table.
    weights : {"sampling", "frequency"}, default "sampling"
        How ``sample_weight`` is read: sampling weights (Kish effective sizes from ``sum_w``
        and ``sum_w2``) or frequency weights (each row stands for ``w`` identical
        observations, as in an aggregated table: ``n`` and ``sum_w2`` become ``sum_w``, the
        table of the expanded rows). Unlike the in-memory entry points, the rows are not
        inspected here, so weights that look like counts are not detected: name the reading
        (``docs/numbers.md``, "Weights").

    Returns
    -------
    CountTable
        Keyed by ``by``; identical to ``CountTable.from_frame(df, bins, by=df[by],
        sample_weight=df[sample_weight])`` on the same rows (key columns come back as int64,
        float64, bool or str whatever the engine's integer or string type; weighted sums may
        differ in the last bits because engines add in another order). Rows whose category
        is in no bin are counted in an extra last bin, ``"unseen"``, with an
        ``UnseenCategoryWarning``: such a table still adds to and compares with tables
        without it (:func:`infodiv.psi_from_counts`, :func:`infodiv.psi_by_period`).

    Raises
    ------
    ValueError
        Missing columns, numeric edges on a text column, infinite values,
        missing keys, null/NaN/negative/all-zero weights, no rows.

    Examples
    --------
    >>> import pandas as pd
    >>> from infodiv.core import FeatureBins
    >>> df = pd.DataFrame({"age": [22, 35, 51, None], "bad": [1, 0, 0, 1]})
    >>> t = count_table(df, [FeatureBins("age", edges=(40.0,))], by="bad")
    >>> t.vector("age", "n", bad=1).tolist()
    [1.0, 0.0, 1.0]

    The same call takes ``pl.DataFrame(df)``, ``duckdb.from_df(df)`` or
    ``spark.createDataFrame(df)``.
    """
    keys = [by] if isinstance(by, str) else [str(k) for k in by]
    if not keys:
        raise InvalidParameterError("by must name at least one key column (e.g. 'default')")
    fbins = _as_bins(bins)
    lf = to_lazy(data)
    schema = lf.collect_schema()
    _check_columns(schema, [b.feature for b in fbins], "feature")
    _check_columns(schema, keys, "key")
    for b in fbins:
        kind = _time_kind(schema[b.feature])
        if b.time_dtype is not None and kind != b.time_dtype.split("64")[0]:
            raise InvalidParameterError(
                f"bins of {b.feature!r} were fitted on {b.time_dtype.split('64')[0]} values "
                f"(edges in ns); column {b.feature!r} has type {schema[b.feature]}: pass the "
                "same kind of values (any unit)"
            )
    # datetimes and durations as float64 nanoseconds, as FeatureBins.codes reads them
    lf = times_as_ns(lf, [b.feature for b in fbins if b.is_numeric])
    weighted = sample_weight is not None
    if sample_weight is not None:
        _check_columns(schema, [sample_weight], "sample_weight")
        if not _is_numeric(schema[sample_weight]):
            raise InvalidParameterError(
                f"sample_weight column {sample_weight!r} must be numeric; got {schema[sample_weight]}"
            )
        lf = lf.with_columns(nw.col(sample_weight).cast(nw.Float64).alias(_W))
    if strategy == "auto":
        strategy = _auto_strategy(lf, weighted)
    if strategy == "sums":
        if weighted:
            raise InvalidParameterError(
                "strategy='sums' counts unweighted rows only; use 'per_feature' or 'unpivot' "
                f"with sample_weight={sample_weight!r}"
            )
        polars = lazy_engine(lf) == "polars"
        res = aggregate_sums(lf, fbins, keys, key_values(lf, keys) if polars else None)
    else:
        res = _aggregate(lf, fbins, keys, weighted, strategy)
    _check_result(res, fbins, keys, sample_weight)
    if weights not in ("sampling", "frequency"):
        raise InvalidParameterError(
            f"weights must be 'sampling' or 'frequency' (the reading of sample_weight); "
            f"got {weights!r}"
        )
    if weighted and weights == "frequency":  # the sums of the expanded rows
        res = res.assign(n=res["sum_w"], sum_w2=res["sum_w"])
    return _table(res, fbins, keys)
