"""The ``"sums"`` strategy of :func:`~infodiv.scale.count_table`: counts as indicator sums.

Every count is the sum of a row indicator (missing, special value, regular, ``x >= edge`` and
regular); bins are differences of consecutive cumulative counts, so one scan and no group-by
over bins. Each sum carries a :class:`SumSpec` that says what it counts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import narwhals as nw
import numpy as np
import pandas as pd

from infodiv.core import UNSEEN, FeatureBins
from infodiv.exceptions import InvalidParameterError
from infodiv.scale._codes import INF_CODE
from infodiv.scale._frames import _BIN, _FEAT, _comparable, _is_float, _is_numeric, lazy_engine

__all__ = ["MAX_SUMS_KEYS", "SUMS_CHUNK", "SumSpec", "aggregate_sums", "key_values"]

MAX_SUMS_KEYS = 16  # "sums" on Polars: key masks up to this many key groups, else a group-by
SUMS_CHUNK = 25  # features per query of the "sums" strategy (bounds eager engines' memory)
_SMALL_INTS: dict[Any, type[np.integer[Any]]] = {
    nw.Int8: np.int8,
    nw.Int16: np.int16,
    nw.Int32: np.int32,
    nw.UInt8: np.uint8,
    nw.UInt16: np.uint16,
    nw.UInt32: np.uint32,
}
#: integer types compared natively with ``ceil(e)``: the small ones, and the 64-bit ones, whose
#: values beyond 2**53 pandas compares exactly (edges kept as Python ints, ``integer_values``)
_INTS: dict[Any, type[np.integer[Any]]] = {**_SMALL_INTS, nw.Int64: np.int64, nw.UInt64: np.uint64}


class SumSpec(NamedTuple):
    """What one indicator sum of the ``"sums"`` strategy counts (a hashable key of the sums).

    Attributes
    ----------
    feature : int
        Position of the feature in the list of bins counted.
    what : str
        The indicator: ``"missing"``, ``"special"`` (special value ``index``), ``"regular"``
        (neither missing nor special), ``"inf"`` (an infinite value, an error), ``"ge"``
        (regular and ``x >= edges[index]``: cumulative counts) or ``"group"`` (regular and in
        category group ``index``).
    item : int
        The special value, edge or category group the indicator refers to (0 otherwise).
        (Not ``index``: a NamedTuple field of that name would hide ``tuple.index``.)
    combo : int
        The key combination: a key mask (masked form) or, once the grouped form's result is
        read, the row of the key group; 0 for the grouped form's queries.
    """

    feature: int
    what: str
    item: int
    combo: int


def key_values(lf: nw.LazyFrame, keys: list[str]) -> pd.DataFrame | None:
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


def _ge_literal(e: float | int, dtype: Any) -> tuple[str, Any]:
    """How ``x >= e`` (x cast to float64, as numpy does) reads on ``x``'s own type.

    Returns ``("lit", v)`` when ``x >= v`` on the native type is the same test, ``("all", None)``
    when every finite ``x`` passes and ``("none", None)`` when none does. For float32 ``v`` is the
    smallest float32 not below ``e`` (a float32 ``x`` is ``>= e`` exactly when ``x >= v``); for
    the integer types it is ``ceil(e)`` (an ``int`` edge, beyond 2**53, is kept exact: for such
    columns pandas compares the exact integers too, and below 2**53 both tests agree).
    """
    if dtype in _INTS:
        info = np.iinfo(_INTS[dtype])
        c = e if isinstance(e, int) else math.ceil(float(e))
        if c > info.max:
            return "none", None
        if c <= info.min:
            return "all", None
        return "lit", int(c)
    e = float(e)
    if dtype == nw.Float32:
        with np.errstate(over="ignore"):
            v = np.float32(e)
        if float(v) < e:
            v = np.nextafter(v, np.float32(np.inf))
        if np.isposinf(v):
            return "none", None
        return "lit", float(v)
    return "lit", e


def _native_kind(dtype: Any) -> str:
    """``"native"`` when edges compare on the column's own type, else ``"float64"``."""
    return "native" if dtype in (nw.Float32, nw.Float64) or dtype in _INTS else "float64"


def _special_values(bins: FeatureBins, dtype: Any, native: bool) -> list[list[Any]]:
    """Per special value, the literals it matches on the (native or float64) column."""
    out = []
    for sv in bins.special_values:
        vals = _comparable([sv], dtype)
        if native and dtype == nw.Float32:
            vals = [v for v in vals if float(np.float32(v)) == v]
        elif native and dtype in _INTS:
            info = np.iinfo(_INTS[dtype])
            vals = [int(v) for v in vals if float(v).is_integer() and info.min <= v <= info.max]
        out.append(vals)
    return out


def _polars_streaming() -> dict[str, Any]:
    """``collect`` arguments for Polars' streaming engine (``engine="streaming"``, Polars 1.25+)."""
    import polars as pl

    version = tuple(int(p) for p in pl.__version__.split(".")[:2] if p.isdigit())
    return {"engine": "streaming"} if version >= (1, 25) else {}


def aggregate_sums(
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
            m: nw.Expr | None = None
            for key in keys:
                term = nw.col(key) == nw.lit(_py(combos.at[k, key], schema[key]))
                m = term if m is None else m & term
            assert m is not None  # keys is never empty
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

    sums: dict[SumSpec, int] = {}
    groups: pd.DataFrame | None = None
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
                at = SumSpec(i, what, j, k if combos is not None else r)  # masked: one row, k masks
                sums[at] = sums.get(at, 0) + int(v)
    rows = groups if combos is None else combos
    assert rows is not None  # the grouped form ran at least one query
    return _sums_to_rows(sums, fbins, keys, rows)


def _sums_exprs(
    fbins: list[FeatureBins],
    idx: Iterable[int],
    schema: Mapping[str, Any],
    masks: list[nw.Expr | None],
    as_int: bool,
) -> tuple[list[list[nw.Expr]], list[nw.Expr], list[SumSpec]]:
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
    spec: list[SumSpec] = []  # feature, what, index, key combination

    def M(expr: nw.Expr, k: int) -> nw.Expr:
        return expr if masks[k] is None else expr & masks[k]

    def add(expr: nw.Expr, i: int, what: str, j: int, k: int) -> None:
        name = f"__infodiv_a{len(aggs)}"
        spec.append(SumSpec(i, what, j, k))
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
            raise InvalidParameterError(
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
            for j, group in enumerate(b.categories or ()):
                vals = _comparable(group, dtype)
                if not vals:
                    continue
                g = xs.is_in(vals)
                for k in range(K):
                    add(g & R[k], i, "group", j, k)
    return [cols, regs, inds], aggs, spec


def _sums_to_rows(
    got: dict[SumSpec, int],
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
            put(i, b.missing_code, k, got.get(SumSpec(i, "missing", 0, k), 0))
            for s in range(len(b.special_values)):
                put(i, R + s, k, got.get(SumSpec(i, "special", s, k), 0))
            reg = got.get(SumSpec(i, "regular", 0, k), 0)
            if b.is_numeric:
                cum = [reg] + [
                    got.get(SumSpec(i, "ge", j, k), 0) for j in range(len(b.edges or ()))
                ]
                cum.append(0)
                for j in range(R):
                    put(i, j, k, cum[j] - cum[j + 1])
            else:
                inside = 0
                for j in range(R):
                    v = got.get(SumSpec(i, "group", j, k), 0)
                    inside += v
                    put(i, j, k, v)
                put(i, UNSEEN, k, reg - inside)
            put(i, INF_CODE, k, got.get(SumSpec(i, "inf", 0, k), 0))
    ki = np.asarray(key_idx, dtype=np.int64)
    res = pd.DataFrame({_FEAT: np.asarray(feat, dtype=np.int64), _BIN: np.asarray(code)})
    for key in keys:
        res[key] = combos[key].to_numpy()[ki] if len(ki) else combos[key].iloc[:0].to_numpy()
    res["n"] = np.asarray(n, dtype=np.int64)
    return res
