"""The "sums" strategy of count_table (counts as sums of row indicators, no group-by).

Every table is checked against CountTable.from_frame (FeatureBins.codes + numpy.bincount) on the
same rows: values on edges, float32 columns against edges that float32 cannot hold, edges beyond
float32's range, small integer columns with fractional and out-of-range edges, NaN, null,
special values, inf, unseen categories, and the fall-backs and errors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from infodiv.core._bins import FeatureBins
from infodiv.core._counts import CountTable
from infodiv.exceptions import UnseenCategoryWarning
from infodiv.scale import count_table
from tests.scale.helpers import BINS, assert_identical, make_frame, reference_table, to_engine

pytest.importorskip("polars", reason="polars is not installed (pip install infodiv[scale])")
pytest.importorskip("duckdb", reason="duckdb is not installed (pip install infodiv[scale])")
pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install infodiv[scale])")

pytestmark = pytest.mark.filterwarnings(
    "ignore:Dask support is moving out of Narwhals:FutureWarning"
)

ENGINES = ["pandas", "polars", "polars-lazy", "duckdb"]


@pytest.fixture(scope="module")
def frame():
    return make_frame()


@pytest.mark.parametrize(
    "engine, by",
    [(e, by) for e in ENGINES for by in ("y", "day", ["y", "g"], ["y", "b", "day"])]
    + [("dask", ["y", "g"])],
)
def test_sums_identical_to_pandas_table(frame, engine, by):
    if engine == "dask":
        pytest.importorskip("dask.dataframe", reason="dask is not installed")
    t = count_table(to_engine(frame, engine), BINS, by=by, strategy="sums")
    assert_identical(t, reference_table(frame, by, sample_weight=None))


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_auto_is_sums_and_agrees_with_group_by(frame, engine):
    df = to_engine(frame, engine)
    a = count_table(df, BINS, by=["y", "g"])
    b = count_table(df, BINS, by=["y", "g"], strategy="per_feature")
    assert_identical(a, b)


def _edge_frame(n: int = 4000, seed: int = 3) -> tuple[pd.DataFrame, dict]:
    """float32 / float64 / int8 / uint8 / int16 columns with values on and around the edges."""
    rng = np.random.default_rng(seed)
    f64_edges = [-1.0, 0.1, 0.3, 1.0 / 3.0, 2.0]  # 0.1, 0.3, 1/3 are not float32 numbers
    below = [float(np.nextafter(np.float32(e), np.float32(-np.inf))) for e in f64_edges]
    above = [float(np.nextafter(np.float32(e), np.float32(np.inf))) for e in f64_edges]
    near = np.array(
        f64_edges + [float(np.float32(e)) for e in f64_edges] + below + above, dtype=np.float32
    )
    f32 = rng.normal(size=n).astype(np.float32)
    f32[: n // 2] = rng.choice(near, n // 2)
    f32[rng.random(n) < 0.03] = np.nan
    f32[rng.random(n) < 0.03] = np.float32(-7.5)  # a special value float32 holds exactly
    f32[rng.random(n) < 0.03] = np.float32(0.7)  # float32(0.7) != 0.7: never the special 0.7
    f64 = f32.astype(np.float64)
    f64[rng.random(n) < 0.2] = rng.choice(f64_edges, 1)[0]  # exactly on a float64 edge
    i8 = rng.integers(-128, 128, n).astype(np.int8)
    u8 = rng.integers(0, 256, n).astype(np.uint8)
    i16 = rng.integers(-40, 40, n).astype(np.int16)
    frame = pd.DataFrame(
        {
            "f32": f32,
            "f64": f64,
            "big": rng.normal(size=n).astype(np.float32),
            "i8": i8,
            "u8": u8,
            "i16": i16,
            "y": rng.integers(0, 2, n),
            "g": pd.array(rng.choice(["A", "B"], n), dtype="str"),
        }
    )
    bins = {
        "f32": FeatureBins("f32", edges=tuple(f64_edges), special_values=(-7.5, 0.7)),
        "f64": FeatureBins("f64", edges=tuple(f64_edges), special_values=(-7.5,)),
        # edges beyond float32's range: the first holds every value, the last none
        "big": FeatureBins("big", edges=(-1e39, 0.0, 1e39)),
        "i8": FeatureBins("i8", edges=(-200.0, -0.5, 0.0, 2.5, 127.0, 300.0), special_values=(5,)),
        "u8": FeatureBins("u8", edges=(-3.0, 0.5, 100.0, 255.0, 255.5), special_values=(7.0,)),
        "i16": FeatureBins("i16", edges=(-10.25, 0.0, 10.75), special_values=(1.5, 3)),
    }
    return frame, bins


@pytest.mark.parametrize("engine", ENGINES)
def test_native_comparisons_match_float64_codes(engine):
    frame, bins = _edge_frame()
    ref = CountTable.from_frame(frame, bins, by=frame[["y", "g"]])
    t = count_table(to_engine(frame, engine), bins, by=["y", "g"], strategy="sums")
    assert_identical(t, ref)
    # the test data does exercise the hard cases
    f32 = frame["f32"].to_numpy()
    assert (f32 == np.float32(0.1)).any() and (f32 == np.float32(0.7)).any()
    assert (ref.arrays["f32"][bins["f32"].n_regular, :, 0].sum()) > 0  # special -7.5 counted


def test_float32_edge_rounding_by_hand():
    """float32 rounds 0.1 up and 0.7 down; each bin starts at the first float32 >= its edge."""
    import polars as pl

    v1, v7 = np.float32(0.1), np.float32(0.7)
    down1 = np.nextafter(v1, np.float32(0))
    up7 = np.nextafter(v7, np.float32(1))
    assert float(down1) < 0.1 < float(v1) and float(v7) < 0.7 < float(up7)
    x = np.array([down1, v1, v7, up7, v1, 0.0], dtype=np.float32)
    df = pl.DataFrame({"v": x, "y": [0, 0, 0, 0, 1, 1]})
    t = count_table(df, [FeatureBins("v", edges=(0.1, 0.7))], by="y", strategy="sums")
    # [down1] < 0.1 <= [v1, v7] < 0.7 <= [up7]
    assert t.vector("v", "n", y=0).tolist() == [1.0, 2.0, 1.0, 0.0]
    assert t.vector("v", "n", y=1).tolist() == [1.0, 1.0, 0.0, 0.0]


@pytest.mark.parametrize("engine", ["polars", "duckdb", "pandas"])
def test_sums_errors_match_the_group_by_path(frame, engine):
    bad = frame.copy()
    bad.loc[5, "x"] = np.inf
    with pytest.raises(ValueError, match=r"column 'x' contains inf \(1 rows\)"):
        count_table(to_engine(bad, engine), BINS, by="y", strategy="sums")
    bad = frame.copy()
    bad.loc[5, "x"] = -np.inf
    with pytest.raises(ValueError, match=r"column 'x' contains inf \(1 rows\)"):
        count_table(to_engine(bad, engine), BINS, by="y", strategy="sums")
    bad = frame.copy()
    bad["c"] = bad["c"].astype(object)
    bad.loc[[3, 9], "c"] = "zz"
    bad["c"] = bad["c"].astype("str")
    # categories in no bin: a last bin "unseen" holding the two rows (no longer an error)
    with pytest.warns(UnseenCategoryWarning, match="'c': 2 rows"):
        t = count_table(to_engine(bad, engine), {"c": BINS["c"]}, by="y", strategy="sums")
    assert t.labels["c"][-1] == "unseen"
    assert t.vector("c", "n").tolist()[-1] == 2
    bad = frame.copy()
    bad["y"] = bad["y"].astype(float)
    bad.loc[4, "y"] = np.nan
    with pytest.raises(ValueError, match="key 'y' has missing values"):
        count_table(to_engine(bad, engine), BINS, by="y")


def test_special_inf_is_a_bin_not_an_error():
    import polars as pl

    x = np.array([np.inf, 1.0, -np.inf, np.inf, np.nan], dtype=np.float32)
    b = FeatureBins("x", edges=(0.5,), special_values=(float("inf"),))
    df = pd.DataFrame({"x": x, "y": [0, 1, 0, 1, 1]})
    with pytest.raises(ValueError, match=r"contains inf \(1 rows\)"):  # -inf is not special
        count_table(pl.from_pandas(df), [b], by="y", strategy="sums")
    ok = df.iloc[[0, 1, 3, 4]].reset_index(drop=True)
    t = count_table(pl.from_pandas(ok), [b], by="y", strategy="sums")
    assert_identical(t, CountTable.from_frame(ok, {"x": b}, by=ok[["y"]]))
    assert t.vector("x", "n").tolist() == [0.0, 1.0, 2.0, 1.0]


def test_sums_refuses_weights(frame):
    import polars as pl

    with pytest.raises(ValueError, match="strategy='sums' counts unweighted rows only"):
        count_table(pl.from_pandas(frame), BINS, by="y", sample_weight="w", strategy="sums")
    # weighted auto takes the group-by path
    assert_identical(
        count_table(pl.from_pandas(frame), BINS, by="y", sample_weight="w"),
        reference_table(frame, "y"),
    )


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_sums_with_many_key_groups_and_float_keys(frame, engine):
    """Polars' key masks give way to one group-by over the keys: 40 groups, float keys."""
    many = frame.assign(k=np.arange(len(frame)) % 40, wk=frame["w"])
    for by in ("k", ["wk", "y"]):
        t = count_table(to_engine(many, engine), BINS, by=by, strategy="sums")
        cols = [by] if isinstance(by, str) else by
        assert_identical(t, CountTable.from_frame(many, BINS, by=many[cols]))


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_sums_no_rows_and_null_key(frame, engine):
    with pytest.raises(ValueError, match="data has no rows"):
        count_table(to_engine(frame.iloc[:0], engine), BINS, by="y", strategy="sums")
    bad = frame.assign(y=frame["y"].astype("Int64"))
    bad.loc[[2, 8, 9], "y"] = pd.NA
    with pytest.raises(ValueError, match=r"key 'y' has missing values \(3 rows\)"):
        count_table(to_engine(bad, engine), BINS, by="y", strategy="sums")


def test_sums_partitions_merge(frame):
    import polars as pl

    parts = [frame.iloc[:500], frame.iloc[500:]]
    tables = [count_table(pl.from_pandas(p), BINS, by=["y", "g"], strategy="sums") for p in parts]
    assert_identical(sum(tables), reference_table(frame, ["y", "g"], sample_weight=None))
