"""Count tables from any dataframe engine: pandas, Polars, DuckDB, PySpark, Dask.

:func:`count_table` turns a dataframe plus :class:`~infodiv.core._bins.FeatureBins` into the
project's :class:`~infodiv.core._counts.CountTable` with one code path written in `narwhals`_
expressions. Bin assignment and aggregation run natively in the engine that holds the data
(for Spark the expressions compile to ``CASE WHEN`` columns, ``stack`` and a
``groupBy().agg()``; no Python UDF touches a row), and only the small table (feature x bin x key
values: ``n``, ``sum_w``, ``sum_w2``) comes back to the driver. The result is the table that
:meth:`CountTable.from_frame <infodiv.core._counts.CountTable.from_frame>` gives on the same data:
same bin codes and labels, missing and special-value bins included, same validation errors.

Bin codes follow :meth:`FeatureBins.codes <infodiv.core._bins.FeatureBins.codes>` exactly:

* missing first (null, and NaN in float columns) -> the missing bin;
* then the special values -> one bin each;
* then numeric values -> ``#{edges <= x}`` with ``x`` read as float64 (left-closed bins, as
  ``numpy.searchsorted(edges, x, side="right")``); an infinite value is an error. The
  ``"sums"`` strategy compares float32 and small-integer columns on their own type against
  edges rounded so that the test is the same (:func:`_ge_literal`);
* or categories -> their group; an unseen category is an error.

Tables of partitions merge by addition, so ``count_table(a) + count_table(b)`` equals
``count_table(union of a and b)``.

.. _narwhals: https://narwhals-dev.github.io/narwhals/
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from infodiv.core import STATS, UNSEEN, CountTable, FeatureBins

__all__ = ["count_table", "engine_name", "to_lazy"]

Strategy = Literal["auto", "sums", "unpivot", "per_feature"]

INF_CODE = -2  # sentinel code of an infinite value in a numeric column (an error, as in pandas)
_BIN, _FEAT, _W, _W2 = "__infodiv_bin", "__infodiv_feature", "__infodiv_w", "__infodiv_w2"
_WMIN, _WCOUNT = "__infodiv_wmin", "__infodiv_wcount"
MAX_SUMS_KEYS = 16  # "sums" on Polars: key masks up to this many key groups, else a group-by
SUMS_CHUNK = 25  # features per query of the "sums" strategy (bounds eager engines' memory)
_SMALL_INTS = {
    nw.Int8: np.int8,
    nw.Int16: np.int16,
    nw.Int32: np.int32,
    nw.UInt8: np.uint8,
    nw.UInt16: np.uint16,
    nw.UInt32: np.uint32,
}


# --------------------------------------------------------------------------- frames
def to_lazy(data: Any) -> nw.LazyFrame:
    """Wrap a native dataframe (pandas, Polars, DuckDB relation, PySpark, Dask) as narwhals.

    Raises ``ValueError`` naming the type for anything narwhals does not support.
    """
    try:
        frame = nw.from_native(data)
    except TypeError:
        raise ValueError(
            "data must be a pandas, Polars, DuckDB, PySpark or Dask dataframe; "
            f"got {type(data).__module__}.{type(data).__name__}"
        ) from None
    if isinstance(frame, nw.Series):
        raise ValueError("data must be a dataframe, not a series")
    return frame.lazy() if isinstance(frame, nw.DataFrame) else frame


def engine_name(data: Any) -> str:
    """The engine behind ``data`` as narwhals names it: ``"pandas"``, ``"polars"``, ``"pyspark"``..."""
    return lazy_engine(to_lazy(data))


def lazy_engine(lf: nw.LazyFrame) -> str:
    """:func:`engine_name` of a narwhals LazyFrame."""
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


# --------------------------------------------------------------------------- bin codes
def code_expr(bins: FeatureBins, dtype: Any) -> nw.Expr:
    """The narwhals expression of the bin codes of ``bins.feature`` (see the module docstring).

    Unseen categories get ``-1`` and infinite numeric values ``-2``; :func:`count_table`
    turns both into errors after the aggregation (one pass over the data).
    """
    f = bins.feature
    raw = nw.col(f)
    numeric_col = _is_numeric(dtype)
    if bins.is_numeric and not numeric_col:
        raise ValueError(
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
        if bins.edges:
            regular = None
            for e in bins.edges:
                term = (xf >= float(e)).cast(nw.Int32)
                regular = term if regular is None else regular + term
        else:
            regular = nw.lit(0)
        expr = chain.otherwise(regular)
    else:
        for j, group in enumerate(bins.categories):
            vals = _comparable(group, dtype)
            if vals:
                chain = chain.when(x.is_in(vals)).then(nw.lit(j))
        expr = chain.otherwise(nw.lit(UNSEEN))
    return expr.cast(nw.Int32)


# --------------------------------------------------------------------------- counting
def _check_columns(schema: Mapping[str, Any], names: Iterable[str], what: str) -> None:
    missing = [c for c in names if c not in schema]
    if missing:
        raise ValueError(f"data lacks {what} columns {missing}; it has {list(schema)[:20]}")


def _as_bins(bins: Mapping[str, FeatureBins] | Sequence[FeatureBins]) -> list[FeatureBins]:
    items = list(bins.values()) if isinstance(bins, Mapping) else list(bins)
    if not items:
        raise ValueError("bins is empty: give at least one FeatureBins")
    for b in items:
        if not isinstance(b, FeatureBins):
            raise ValueError(f"bins must hold FeatureBins; got {type(b).__name__}")
    if isinstance(bins, Mapping):
        for k, b in bins.items():
            if str(k) != b.feature:
                raise ValueError(f"bins[{k!r}] holds the bins of {b.feature!r}")
    names = [b.feature for b in items]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f"bins has two entries for {dup}")
    return items


def _auto_strategy(lf: nw.LazyFrame, weighted: bool) -> str:
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
        raise ValueError(
            f"strategy must be 'auto', 'sums', 'unpivot' or 'per_feature'; got {strategy!r}"
        )
    return res.reset_index(drop=True)


# --------------------------------------------------------------------------- "sums" strategy
def _key_values(lf: nw.LazyFrame, keys: list[str]) -> pd.DataFrame | None:
    """The distinct key combinations when they are few integer/boolean/string values."""
    schema = lf.collect_schema()
    for k in keys:
        dt = schema[k]
        if not (dt.is_integer() or dt == nw.Boolean or dt == nw.String):
            return None
    u = lf.select(*[nw.col(k) for k in keys]).unique().collect().to_pandas()
    if len(u) == 0 or len(u) > MAX_SUMS_KEYS or u.isna().to_numpy().any():
        return None  # no rows or missing keys: the grouped form reports them
    return u.reset_index(drop=True)


def _py(v: Any, dtype: Any) -> Any:
    """A key value as the plain Python literal of its column's type."""
    if dtype == nw.Boolean:
        return bool(v)
    if dtype.is_integer():
        return int(v)
    return str(v)


def _ge_literal(e: float, dtype: Any) -> tuple[str, Any]:
    """How ``x >= e`` (x cast to float64, as numpy does) reads on ``x``'s own type.

    Returns ``("lit", v)`` when ``x >= v`` on the native type is the same test, ``("all", None)``
    when every finite ``x`` passes and ``("none", None)`` when none does. For float32 ``v`` is the
    smallest float32 not below ``e`` (a float32 ``x`` is ``>= e`` exactly when ``x >= v``); for
    the small integer types it is ``ceil(e)``.
    """
    e = float(e)
    if dtype == nw.Float32:
        with np.errstate(over="ignore"):
            v = np.float32(e)
        if float(v) < e:
            v = np.nextafter(v, np.float32(np.inf))
        if np.isposinf(v):
            return "none", None
        return "lit", float(v)
    if dtype in _SMALL_INTS:
        info = np.iinfo(_SMALL_INTS[dtype])
        c = math.ceil(e)
        if c > info.max:
            return "none", None
        if c <= info.min:
            return "all", None
        return "lit", int(c)
    return "lit", e


def _native_kind(dtype: Any) -> str:
    """``"native"`` when edges compare on the column's own type, else ``"float64"``."""
    return "native" if dtype in (nw.Float32, nw.Float64) or dtype in _SMALL_INTS else "float64"


def _special_values(bins: FeatureBins, dtype: Any, native: bool) -> list[list[Any]]:
    """Per special value, the literals it matches on the (native or float64) column."""
    out = []
    for sv in bins.special_values:
        vals = _comparable([sv], dtype)
        if native and dtype == nw.Float32:
            vals = [v for v in vals if float(np.float32(v)) == v]
        elif native and dtype in _SMALL_INTS:
            info = np.iinfo(_SMALL_INTS[dtype])
            vals = [int(v) for v in vals if float(v).is_integer() and info.min <= v <= info.max]
        out.append(vals)
    return out


def _polars_streaming() -> dict[str, str]:
    """``collect`` arguments for Polars' streaming engine (``engine="streaming"``, Polars 1.25+)."""
    import polars as pl

    version = tuple(int(p) for p in pl.__version__.split(".")[:2] if p.isdigit())
    return {"engine": "streaming"} if version >= (1, 25) else {}


def _aggregate_sums(
    lf: nw.LazyFrame, fbins: list[FeatureBins], keys: list[str], combos: pd.DataFrame | None
) -> pd.DataFrame:
    """Counts as sums of row indicators: one scan, no group-by over bins.

    For every numeric feature the engine sums, per key group, the indicators ``missing``,
    ``special_s``, ``regular`` and, for every edge ``e_j``, ``(x >= e_j) & regular``
    (cumulative counts); bin ``j`` holds the difference of consecutive cumulative counts.
    ``x >= e_j`` runs on the column's own type (a float32 column against the float32
    rounding of the edge that makes the same test, see :func:`_ge_literal`). Category bins
    sum ``x in group & regular``; the rest of ``regular`` is unseen.

    With ``combos`` (the few key combinations, Polars) every count is the column sum of an
    indicator and a key mask: no group-by at all, each ``x >= e_j`` computed once and
    shared by the masks. Without (``None``), one group-by over the key columns sums all
    indicators (DuckDB's hash aggregate does this fastest; any number of key groups).
    """
    schema = lf.collect_schema()
    impl = lazy_engine(lf)
    polars = impl == "polars"
    as_int = impl not in ("polars", "duckdb")  # Spark, pandas: sum integers, not booleans
    if combos is None:
        masks: list[nw.Expr | None] = [None]
        base = lf
    else:
        exprs = []
        for k in range(len(combos)):
            m = None
            for key in keys:
                term = nw.col(key) == nw.lit(_py(combos.at[k, key], schema[key]))
                m = term if m is None else m & term
            exprs.append(m.alias(f"__infodiv_m{k}"))
        base = lf.with_columns(*exprs)
        masks = [nw.col(f"__infodiv_m{k}") for k in range(len(combos))]

    def run(q: nw.LazyFrame) -> pd.DataFrame:
        return q.collect(**(_polars_streaming() if polars else {})).to_pandas()

    pending = []
    for start in range(0, len(fbins), SUMS_CHUNK):
        idx = range(start, min(start + SUMS_CHUNK, len(fbins)))
        stages, aggs, spec = _sums_exprs(fbins, idx, schema, masks, as_int)
        q = base
        for stage in stages:
            if stage:
                q = q.with_columns(*stage)
        q = q.select(*aggs) if combos is not None else q.group_by(*keys).agg(*aggs)
        pending.append((spec, run(q)))

    sums: dict[tuple[int, str, int, int], int] = {}
    groups = None
    for spec, out in pending:
        names = [f"__infodiv_a{a}" for a in range(len(spec))]
        if combos is None:
            out = out.sort_values(keys, na_position="last").reset_index(drop=True)
            if groups is None:
                groups = out[keys].reset_index(drop=True)
            elif not groups.equals(out[keys].reset_index(drop=True)):
                raise RuntimeError("key groups differ between queries")  # cannot happen
        values = out[names].fillna(0).to_numpy()
        for r in range(values.shape[0]):
            for (i, what, j, k), v in zip(spec, values[r], strict=True):
                at = (i, what, j, k if combos is not None else r)  # masked: one row, k masks
                sums[at] = sums.get(at, 0) + int(v)
    return _sums_to_rows(sums, fbins, keys, groups if combos is None else combos)


def _sums_exprs(
    fbins: list[FeatureBins],
    idx: Iterable[int],
    schema: Mapping[str, Any],
    masks: list[nw.Expr | None],
    as_int: bool,
) -> tuple[list[list[nw.Expr]], list[nw.Expr], list[tuple[int, str, int, int]]]:
    """The staged indicator columns, their sums and the sums' meaning for features ``idx``.

    ``masks``: one boolean column per key combination ("masked" form, every sum is a column
    sum), or ``[None]`` ("grouped" form: the last stage holds the indicators, summed per key
    group). ``as_int`` casts what is summed to Int64 (engines that do not sum booleans).
    """
    K = len(masks)
    grouped = masks == [None]
    cols: list[nw.Expr] = []  # indicators of the raw values (first stage)
    regs: list[nw.Expr] = []  # regular & key masks (second stage, from the first)
    inds: list[nw.Expr] = []  # grouped form: what is summed (third stage)
    aggs: list[nw.Expr] = []
    spec: list[tuple[int, str, int, int]] = []  # feature, what, index, key combination

    def M(expr: nw.Expr, k: int) -> nw.Expr:
        return expr if masks[k] is None else expr & masks[k]

    def add(expr: nw.Expr, i: int, what: str, j: int, k: int) -> None:
        name = f"__infodiv_a{len(aggs)}"
        spec.append((i, what, j, k))
        if as_int:
            expr = expr.cast(nw.Int64)
        if grouped:
            inds.append(expr.alias(name))
            aggs.append(nw.col(name).sum())
        else:
            aggs.append(expr.sum().alias(name))

    for i in idx:
        b = fbins[i]
        dtype = schema[b.feature]
        raw = nw.col(b.feature)
        if b.is_numeric and not _is_numeric(dtype):
            raise ValueError(
                f"column {b.feature!r} holds {dtype} values but its bins have numeric edges; "
                "give it category bins (FeatureBins(categories=...)) or cast it to a number"
            )
        is_float = _is_float(dtype)
        native = b.is_numeric and _native_kind(dtype) == "native"
        if native or dtype == nw.Boolean or not _is_numeric(dtype):
            xs = raw
        else:
            xs = raw.cast(nw.Float64)
        xc = raw if native else raw.cast(nw.Float64)
        p = f"__infodiv_f{i}"
        miss_raw = raw.is_null() | raw.is_nan() if is_float else raw.is_null()
        cols.append(miss_raw.alias(p))
        miss = nw.col(p)
        special = None
        earlier: list[Any] = []
        for s, vals in enumerate(_special_values(b, dtype, native)):
            if not vals:
                continue
            sp = xs.is_in(vals) & ~miss_raw
            if earlier:  # the first special value that matches wins
                sp = sp & ~xs.is_in(earlier)
            earlier += vals
            cols.append(sp.alias(f"{p}s{s}"))
            sp = nw.col(f"{p}s{s}")
            special = sp if special is None else special | sp
            for k in range(K):
                add(M(sp, k), i, "special", s, k)
        regular = ~miss if special is None else ~miss & ~special
        if is_float and b.is_numeric:
            add(~raw.is_finite() & regular, i, "inf", 0, 0)
            regular = regular & raw.is_finite()
        for k in range(K):
            regs.append(M(regular, k).alias(f"{p}r{k}"))
            add(M(miss, k), i, "missing", 0, k)
            add(nw.col(f"{p}r{k}"), i, "regular", 0, k)
        R = [nw.col(f"{p}r{k}") for k in range(K)]
        if b.is_numeric:
            j_first = True  # grouped form: the column of regular values is made once
            for j, e in enumerate(b.edges or ()):
                how, v = _ge_literal(e, dtype if native else nw.Float64)
                if how == "none":
                    continue
                if how == "all":
                    for k in range(K):
                        add(R[k], i, "ge", j, k)
                    continue
                lit = nw.lit(v, dtype=dtype if native else nw.Float64)
                if grouped:  # the regular values only (null elsewhere, which sums skip)
                    if j_first:
                        regs.append(nw.when(regular).then(xc).alias(f"{p}x"))
                        j_first = False
                    add(nw.col(f"{p}x") >= lit, i, "ge", j, 0)
                    continue
                ge = xc >= lit
                if K > 1:
                    cols.append(ge.alias(f"{p}g{j}"))
                    ge = nw.col(f"{p}g{j}")
                for k in range(K):
                    add(ge & R[k], i, "ge", j, k)
        else:
            for j, group in enumerate(b.categories):
                vals = _comparable(group, dtype)
                if not vals:
                    continue
                g = xs.is_in(vals)
                for k in range(K):
                    add(g & R[k], i, "group", j, k)
    return [cols, regs, inds], aggs, spec


def _sums_to_rows(
    got: dict[tuple[int, str, int, int], int],
    fbins: list[FeatureBins],
    keys: list[str],
    combos: pd.DataFrame,
) -> pd.DataFrame:
    """The (feature, bin, keys, n) rows of the group-by strategies from the indicator sums."""
    K = len(combos)
    feat, code, key_idx, n = [], [], [], []

    def put(i: int, c: int, k: int, v: int) -> None:
        if v:
            feat.append(i)
            code.append(c)
            key_idx.append(k)
            n.append(v)

    for i, b in enumerate(fbins):
        R = b.n_regular
        for k in range(K):
            put(i, b.missing_code, k, got.get((i, "missing", 0, k), 0))
            for s in range(len(b.special_values)):
                put(i, R + s, k, got.get((i, "special", s, k), 0))
            reg = got.get((i, "regular", 0, k), 0)
            if b.is_numeric:
                cum = [reg] + [got.get((i, "ge", j, k), 0) for j in range(len(b.edges or ()))]
                cum.append(0)
                for j in range(R):
                    put(i, j, k, cum[j] - cum[j + 1])
            else:
                inside = 0
                for j in range(R):
                    v = got.get((i, "group", j, k), 0)
                    inside += v
                    put(i, j, k, v)
                put(i, UNSEEN, k, reg - inside)
            put(i, INF_CODE, k, got.get((i, "inf", 0, k), 0))
    ki = np.asarray(key_idx, dtype=np.int64)
    res = pd.DataFrame({_FEAT: np.asarray(feat, dtype=np.int64), _BIN: np.asarray(code)})
    for key in keys:
        res[key] = combos[key].to_numpy()[ki] if len(ki) else combos[key].iloc[:0].to_numpy()
    res["n"] = np.asarray(n, dtype=np.int64)
    return res


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
        raise ValueError("data has no rows")
    for k in keys:
        bad = first[k].isna()
        if bad.any():
            raise ValueError(
                f"key {k!r} has missing values ({int(first.loc[bad, 'n'].sum())} rows)"
            )
    if weight_col is not None:
        nulls = int((first["n"] - first[_WCOUNT]).sum())
        if nulls:
            raise ValueError(
                f"sample_weight column {weight_col!r} has {nulls} missing (null or NaN) rows"
            )
        if not np.isfinite(first["sum_w"].to_numpy(dtype=float)).all():
            raise ValueError(f"sample_weight column {weight_col!r} contains NaN or inf")
        wmin = float(first[_WMIN].min())
        if wmin < 0:
            raise ValueError(
                f"sample_weight column {weight_col!r} contains a negative weight ({wmin!r})"
            )
        if first["sum_w"].sum() <= 0:
            raise ValueError(
                f"sample_weight column {weight_col!r} sums to zero: no row carries weight"
            )
    for i, b in enumerate(fbins):
        part = res[res[_FEAT] == i]
        inf = int(part.loc[part[_BIN] == INF_CODE, "n"].sum())
        if inf:
            raise ValueError(f"column {b.feature!r} contains inf ({inf} rows)")
        bad = part[(part[_BIN] < 0) | (part[_BIN] >= b.n_bins)]
        if len(bad):
            what = (
                "unseen categories"
                if (bad[_BIN] == UNSEEN).any()
                else f"codes {sorted(bad[_BIN].unique())[:5]}"
            )
            raise ValueError(
                f"column {b.feature!r} has {int(bad['n'].sum())} rows with {what} outside its bins"
            )


def _table(res: pd.DataFrame, fbins: list[FeatureBins], keys: list[str]) -> CountTable:
    """The count table from the aggregated rows (``_FEAT``, ``_BIN``, keys, stats)."""
    names = np.asarray([b.feature for b in fbins], dtype=object)
    n = res["n"].to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "feature": names[res[_FEAT].to_numpy(dtype=np.int64)],
            "bin": res[_BIN].to_numpy(dtype=np.int64),
            **{k: _normalise_key(res[k]).to_numpy() for k in keys},
            **{st: res[st].to_numpy(dtype=float) if st in res.columns else n for st in STATS},
        }
    )
    return CountTable(frame, keys, {b.feature: b.labels for b in fbins})


def count_table(
    data: Any,
    bins: Mapping[str, FeatureBins] | Sequence[FeatureBins],
    by: str | Sequence[str],
    sample_weight: str | None = None,
    *,
    strategy: Strategy = "auto",
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

    Returns
    -------
    CountTable
        Keyed by ``by``; identical to ``CountTable.from_frame(df, bins, by=df[by],
        sample_weight=df[sample_weight])`` on the same rows (key columns come back as int64,
        float64, bool or str whatever the engine's integer or string type; weighted sums may
        differ in the last bits because engines add in another order).

    Raises
    ------
    ValueError
        Missing columns, numeric edges on a text column, infinite values, unseen categories,
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
        raise ValueError("by must name at least one key column (e.g. 'default')")
    fbins = _as_bins(bins)
    lf = to_lazy(data)
    schema = lf.collect_schema()
    _check_columns(schema, [b.feature for b in fbins], "feature")
    _check_columns(schema, keys, "key")
    weighted = sample_weight is not None
    if weighted:
        _check_columns(schema, [sample_weight], "sample_weight")
        if not _is_numeric(schema[sample_weight]):
            raise ValueError(
                f"sample_weight column {sample_weight!r} must be numeric; got {schema[sample_weight]}"
            )
        lf = lf.with_columns(nw.col(sample_weight).cast(nw.Float64).alias(_W))
    if strategy == "auto":
        strategy = _auto_strategy(lf, weighted)
    if strategy == "sums":
        if weighted:
            raise ValueError(
                "strategy='sums' counts unweighted rows only; use 'per_feature' or 'unpivot' "
                f"with sample_weight={sample_weight!r}"
            )
        polars = lazy_engine(lf) == "polars"
        res = _aggregate_sums(lf, fbins, keys, _key_values(lf, keys) if polars else None)
    else:
        res = _aggregate(lf, fbins, keys, weighted, strategy)
    _check_result(res, fbins, keys, sample_weight)
    return _table(res, fbins, keys)
