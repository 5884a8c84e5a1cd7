"""Shared data and checks for the engine tests (imported by test_engines / test_spark_counts)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from infodiv.core._bins import FeatureBins
from infodiv.core._counts import CountTable

# a float32 value and an edge a quarter ulp above it: float32(edge) == value, so an engine
# that compared in float32 would put the value in the upper bin; float64 (pandas) does not.
V32 = np.float32(0.1)
EDGE32 = float(V32) + 0.25 * float(np.spacing(V32))
assert np.float32(EDGE32) == V32 and float(V32) < EDGE32

BINS = {
    "x": FeatureBins("x", edges=(-0.5, 0.0, 0.7), special_values=(-999,)),
    "i": FeatureBins("i", edges=(5.0, 10.0), special_values=(9999,)),
    "f32": FeatureBins("f32", edges=(-1.0, EDGE32, 1.0)),
    "c": FeatureBins("c", categories=(("a", "b"), ("c",), ("d",)), special_values=("?",)),
    "b": FeatureBins("b", categories=((False,), (True,))),
    "e": FeatureBins("e", edges=()),
}
FEATURES = list(BINS)


def make_frame(n: int = 1200, seed: int = 0) -> pd.DataFrame:
    """Rows with NaN, None, special values, values on edges, float32 and dyadic weights."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    x[: 3 * n // 100] = np.nan
    x[3 * n // 100 : 5 * n // 100] = -999.0
    x[5 * n // 100 : 7 * n // 100] = rng.choice([-0.5, 0.0, 0.7], 2 * n // 100)  # on the edges
    i = rng.integers(0, 15, n)
    i[rng.random(n) < 0.04] = 9999
    f32 = rng.normal(size=n).astype(np.float32)
    f32[::7] = V32
    c = rng.choice(np.array(["a", "b", "c", "d", "?"], dtype=object), n)
    c[rng.random(n) < 0.05] = None
    e = rng.normal(size=n)
    e[rng.random(n) < 0.1] = np.nan
    frame = pd.DataFrame(
        {
            "x": x,
            "i": i.astype(np.int64),
            "f32": f32,
            "c": pd.array(c, dtype="str"),
            "b": rng.random(n) < 0.3,
            "e": e,
            "y": rng.integers(0, 2, n).astype(np.int64),
            "g": pd.array(rng.choice(["A", "B", "C"], n), dtype="str"),
            "day": rng.integers(1, 4, n).astype(np.int64),
            "w": rng.choice([0.25, 0.5, 1.0, 1.5, 2.0], n),
        }
    )
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def reference_table(frame: pd.DataFrame, by, sample_weight: str | None = "w") -> CountTable:
    """The pandas/numpy count table (CountTable.from_frame) of the same rows."""
    by = [by] if isinstance(by, str) else list(by)
    w = None if sample_weight is None else frame[sample_weight].to_numpy()
    return CountTable.from_frame(frame, BINS, by=frame[by], sample_weight=w)


def assert_identical(a: CountTable, b: CountTable) -> None:
    """Same keys, key values, bins, labels and exactly equal n, sum_w, sum_w2 arrays."""
    assert a.keys == b.keys
    assert a.labels == b.labels
    ka, kb = a.key_frame.to_dict("list"), b.key_frame.to_dict("list")
    assert ka == kb, (ka, kb)
    for f in a.labels:
        np.testing.assert_array_equal(a.arrays[f], b.arrays[f], err_msg=f)


def to_engine(frame: pd.DataFrame, engine: str):
    """The same rows as a pandas, Polars (eager/lazy), DuckDB or Dask dataframe."""
    if engine == "pandas":
        return frame
    if engine in ("polars", "polars-lazy"):
        import polars as pl

        out = pl.from_pandas(frame)
        return out.lazy() if engine == "polars-lazy" else out
    if engine == "duckdb":
        import duckdb

        return duckdb.from_arrow(_arrow(frame))
    if engine == "dask":
        import dask.dataframe as dd

        return dd.from_pandas(frame, npartitions=3)
    raise ValueError(engine)


def _arrow(frame: pd.DataFrame):
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)
