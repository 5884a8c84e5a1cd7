"""Binning where the data lives: cells and table by the engine, then ``fit_counts``.

The DuckDB (Polars, pandas) path is ``fine_cells`` -> ``count_table`` -> ``fit_counts``. The
independent references: the cells are checked against :func:`infodiv.core.quantile_edges`
on the rows (the numpy quantiles), the table against ``CountTable.from_frame`` (the core's own
counting), and the bins against ``StumpBinner.fit`` on the pandas rows (when every row is
sampled the cells are those ``fit`` cuts) or ``fit_counts`` on the in-memory table of the same
cells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from infodiv.binning import StumpBinner
from infodiv.core import CountTable, FeatureBins, quantile_edges
from infodiv.exceptions import InvalidParameterError
from infodiv.scale import count_table, fine_cells

duckdb = pytest.importorskip("duckdb")

SPECIALS = {"cnt": [-1.0]}


def _data(seed: int, n: int = 5000) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    u = rng.uniform(-2, 2, size=n)  # U-shaped effect
    g = rng.choice(list("abcdefg"), size=n)
    cnt = rng.poisson(3, size=n).astype(float)
    logit = 0.8 * x + 0.6 * u**2 - 1 + (g == "a") - 0.5 * (g == "b")
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    x[rng.random(n) < 0.05] = np.nan  # missing values
    cnt[rng.random(n) < 0.08] = -1.0  # a special value
    t = pd.Series(pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D"))
    t[rng.random(n) < 0.03] = pd.NaT
    X = pd.DataFrame(
        {
            "x": x,
            "u": u,
            "g": pd.Categorical(g, categories=list("gfedcba")),
            "cnt": cnt,
            "t": t,
            "big": (2**60 + rng.integers(0, 500, n) * 3).astype(np.int64),  # beyond 2**53
        }
    )
    return X, y


def _engine(df: pd.DataFrame, engine: str) -> object:
    if engine == "polars":
        pl = pytest.importorskip("polars")
        return pl.from_pandas(df)
    if engine == "duckdb":
        return duckdb.from_df(df)
    return df


def _same_bins(a: StumpBinner, b: StumpBinner) -> None:
    assert list(a.bins_) == list(b.bins_)
    for f in a.bins_:
        assert a.bins_[f] == b.bins_[f], f
    pd.testing.assert_frame_equal(a.splits_, b.splits_, check_exact=True)


@pytest.mark.parametrize("engine", ["duckdb", "polars", "pandas"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", [0, 1])
def test_engine_path_gives_the_bins_of_fit_on_the_rows(
    engine: str, weighted: bool, seed: int
) -> None:
    X, y = _data(seed)
    w = np.random.default_rng(seed + 50).gamma(2.0, 0.7, size=len(y)) if weighted else None
    data = _engine(X.assign(cls=y, w=1.0 if w is None else w), engine)
    wcol = "w" if weighted else None
    cells = fine_cells(
        data, list(X.columns), 40, sample_weight=wcol, special_values=SPECIALS, min_share=0.05
    )
    # every row is in the sample: the cells are the numpy quantiles of the regular values
    for f in ("x", "u", "t", "big"):
        ok = X[f].notna().to_numpy()
        ref = quantile_edges(X[f][ok], 40, None if w is None else w[ok], f, min_share=0.05)
        assert cells[f].edges == ref, f
    regular = X["cnt"] != -1.0
    assert cells["cnt"].edges == quantile_edges(
        X["cnt"][regular], 40, None if w is None else w[regular.to_numpy()], min_share=0.05
    )
    assert cells["cnt"].special_values == (-1.0,)
    assert cells["t"].time_dtype == "datetime64[ns]"
    assert all(isinstance(e, int) for e in cells["big"].edges or ())
    if engine != "polars":  # a pandas category (DuckDB ENUM) keeps its order
        assert cells["g"].categories == tuple((c,) for c in "gfedcba")
    table = count_table(data, cells, by="cls", sample_weight=wcol)
    assert table == CountTable.from_frame(X, cells, by={"cls": y}, sample_weight=w)
    params = dict(special_values=SPECIALS, random_state=seed, min_bin_share=0.05)
    on_engine = StumpBinner(**params).fit_counts(table, cells, by="cls")
    on_rows = StumpBinner(**params).fit(X, y, sample_weight=w, weights="sampling")
    _same_bins(on_rows, on_engine)


@pytest.mark.parametrize("strategy", ["auto", "per_feature"])
def test_parquet_file_sampled_cells_match_the_in_memory_fit_on_the_same_cells(
    tmp_path, strategy: str
) -> None:
    """A Parquet file read by DuckDB, cells from a sample smaller than the data: the bins are
    those of ``fit_counts`` on the in-memory table of the same cells."""
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    X, y = _data(3, n=20_000)
    df = X.assign(cls=y)
    path = tmp_path / "rows.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path)
    rel = duckdb.read_parquet(str(path))
    cells = fine_cells(rel, list(X.columns), 40, special_values=SPECIALS, sample_size=3000)
    for f in ("x", "u", "cnt"):  # edges are observed values, fewer rows than fit would use
        assert set(cells[f].edges or ()) <= set(X[f].dropna())
    assert cells["g"].categories is not None
    assert {c for (c,) in cells["g"].categories} == set("abcdefg")
    table = count_table(rel, cells, by="cls", strategy=strategy)
    ref_table = CountTable.from_frame(X, cells, by={"cls": y})
    assert table == ref_table
    params = dict(special_values=SPECIALS, random_state=0)
    _same_bins(
        StumpBinner(**params).fit_counts(ref_table, cells, by="cls"),
        StumpBinner(**params).fit_counts(table, cells, by="cls"),
    )


def test_engine_quantile_cells() -> None:
    """``method="quantiles"``: DuckDB's exact ``quantile_disc`` of all rows (numpy's
    ``inverted_cdf`` quantiles), and the bins of the in-memory table of those cells."""
    X, y = _data(4)
    X = X.drop(columns=["big"])
    rel = duckdb.from_df(X.assign(cls=y))
    cells = fine_cells(rel, ["x", "u", "t", "g"], 20, method="quantiles")
    v = X["u"].to_numpy()
    levels = np.arange(20) / 20
    ref = np.unique(np.quantile(v, levels, method="inverted_cdf"))[1:]
    np.testing.assert_array_equal(cells["u"].edges, ref)
    assert cells["t"].time_dtype == "datetime64[ns]"
    table = count_table(rel, cells, by="cls")
    assert table == CountTable.from_frame(X, cells, by={"cls": y})
    _same_bins(
        StumpBinner(random_state=0).fit_counts(table, cells, by="cls"),
        StumpBinner(random_state=0).fit_counts(
            CountTable.from_frame(X, cells, by={"cls": y}), cells, by="cls"
        ),
    )


@pytest.mark.parametrize("engine", ["duckdb", "polars", "pandas"])
@pytest.mark.parametrize("strategy", ["auto", "per_feature", "unpivot"])
def test_datetime_and_duration_columns_are_counted_in_nanoseconds(
    engine: str, strategy: str
) -> None:
    """Before: numeric edges on a datetime column were refused by the engines."""
    rng = np.random.default_rng(0)
    n = 3000
    t = pd.Series(pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 10**9, n), "ms"))
    t[rng.random(n) < 0.1] = pd.NaT
    df = pd.DataFrame(
        {
            "t_ns": t.astype("datetime64[ns]"),
            "t_us": t.astype("datetime64[us]"),
            "t_s": t.dt.floor("s").astype("datetime64[s]"),
            "tz": t.dt.tz_localize("UTC").dt.tz_convert("Europe/Paris"),
            "d": pd.Series(pd.to_timedelta(rng.integers(0, 10**6, n), "s")),
            "y": rng.integers(0, 2, n),
        }
    )
    cells = {}
    for c in ["t_ns", "t_us", "t_s", "tz", "d"]:
        kind = "timedelta64[ns]" if c == "d" else "datetime64[ns]"
        edges = quantile_edges(df[c], 15, feature=c)
        cells[c] = FeatureBins(c, edges=edges, time_dtype=kind)
    # an edge on every observed instant's neighbourhood: values on the edges are in the data
    assert set(cells["t_ns"].edges or ()) <= set(df["t_ns"].dropna().astype("int64").astype(float))
    ref = CountTable.from_frame(df, cells, by={"y": df["y"]})
    got = count_table(_engine(df, engine), cells, by="y", strategy=strategy)
    assert got == ref


@pytest.mark.parametrize("engine", ["duckdb", "polars", "pandas"])
@pytest.mark.parametrize("strategy", ["auto", "per_feature"])
def test_int64_beyond_2_53_is_compared_exactly(engine: str, strategy: str) -> None:
    """Edges one apart near 2**60 split the rows as the exact integers do (float64 cannot)."""
    base = 2**60
    vals = np.asarray([base + k for k in (-3, 0, 1, 2, 3, 4, 7)], dtype=np.int64)
    df = pd.DataFrame({"b": np.repeat(vals, 3), "y": np.tile([0, 1, 1], len(vals))})
    cells = {"b": FeatureBins("b", edges=(base + 1, base + 2, base + 4))}
    got = count_table(_engine(df, engine), cells, by="y", strategy=strategy)
    assert got == CountTable.from_frame(df, cells, by={"y": df["y"]})
    # by hand: bins (-inf, b+1), [b+1, b+2), [b+2, b+4), [b+4, inf): 2, 1, 2, 2 values x 3
    assert got.vector("b", "n").tolist()[:4] == [6.0, 3.0, 6.0, 6.0]


def test_refusals() -> None:
    X, y = _data(5, n=500)
    rel = duckdb.from_df(X.assign(cls=y))
    with pytest.raises(InvalidParameterError, match="lacks columns"):
        fine_cells(rel, ["x", "nope"])
    with pytest.raises(InvalidParameterError, match="method"):
        fine_cells(rel, ["x"], method="exact")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="n_cells"):
        fine_cells(rel, ["x"], 0)
    with pytest.raises(InvalidParameterError, match="only missing"):
        fine_cells(duckdb.from_df(pd.DataFrame({"x": [np.nan, np.nan]})), ["x"])
    # datetime bins on a numeric column (and the reverse) are refused, as FeatureBins.codes does
    tb = FeatureBins("x", edges=(0.0,), time_dtype="datetime64[ns]")
    with pytest.raises(InvalidParameterError, match="fitted on datetime"):
        count_table(rel, {"x": tb}, by="cls")


@pytest.mark.parametrize("k", [1, 2, 3, 5, 8, 13, 41])
def test_bin_codes_by_bisection_equal_numpy(k: int) -> None:
    """The per-feature strategy finds bin codes by bisection over the edges: every tree shape
    (k edges), values on, between and outside the edges, an int8 column with edges beyond
    its range, against ``numpy.searchsorted`` (via ``CountTable.from_frame``)."""
    rng = np.random.default_rng(k)
    edges = np.unique(np.round(rng.normal(size=k) * 50, 1))
    vals = np.concatenate([edges, edges - 0.05, edges + 0.05, rng.normal(size=200) * 80])
    i8 = np.clip(np.round(vals), -128, 127).astype(np.int8)
    df = pd.DataFrame({"f": vals, "i8": i8, "y": rng.integers(0, 2, len(vals))})
    cells = {
        "f": FeatureBins("f", edges=tuple(edges)),
        "i8": FeatureBins("i8", edges=(-300.0, *edges, 200.5)),
    }
    ref = CountTable.from_frame(df, cells, by={"y": df["y"]})
    for data in (df, duckdb.from_df(df)):
        assert count_table(data, cells, by="y", strategy="per_feature") == ref
