"""Count tables on local Spark: identical to Polars, DuckDB and pandas; partitions merge; recipe.

One Spark session for the module (start-up is the slow part), small data.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from infodiv.core._counts import CountTable
from infodiv.credit._psi import psi_from_counts
from infodiv.exceptions import UnseenCategoryWarning
from infodiv.scale import count_table, engine_name
from infodiv.scale._edges import fit_bins_at_scale
from tests.scale.helpers import BINS, assert_identical, make_frame, reference_table, to_engine

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install infodiv[scale])")
pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install infodiv[scale])")
pytest.importorskip("polars", reason="polars is not installed (pip install infodiv[scale])")
pytest.importorskip("duckdb", reason="duckdb is not installed (pip install infodiv[scale])")

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def spark():
    import shutil

    from pyspark.sql import SparkSession

    if shutil.which("java") is None:
        raise RuntimeError("Spark needs a Java runtime: run .ci/install-java.sh")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("infodiv-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.session.timeZone", "UTC")
        # small, short jobs: a quick JIT and no adaptive re-planning
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def frame():
    return make_frame(n=1000, seed=5)


def _spark_df(spark, frame):
    # through Arrow: NaN stays NaN and None becomes null, as in the other engines
    return spark.createDataFrame(pa.Table.from_pandas(frame, preserve_index=False))


@pytest.fixture(scope="module")
def spark_df(spark, frame):
    return _spark_df(spark, frame.assign(part=np.arange(len(frame)) % 3))


@pytest.fixture(scope="module")
def spark_table(spark_df):
    return count_table(spark_df, BINS, by=["y", "g", "day"], sample_weight="w")


def test_spark_polars_duckdb_pandas_tables_identical(spark_df, spark_table, frame):
    assert engine_name(spark_df) == "pyspark"
    keys = ["y", "g", "day"]
    ref = reference_table(frame, keys)
    tables = {
        "spark": spark_table,
        "polars": count_table(to_engine(frame, "polars"), BINS, by=keys, sample_weight="w"),
        "duckdb": count_table(to_engine(frame, "duckdb"), BINS, by=keys, sample_weight="w"),
        "pandas": count_table(frame, BINS, by=keys, sample_weight="w"),
    }
    for t in tables.values():
        assert_identical(t, ref)
    # the fairness divergence between groups is the same number from Spark's table
    r = spark_table.divergence("x", "g", "A", "C")
    assert r.estimate == ref.divergence("x", "g", "A", "C").estimate


def test_spark_sums_strategy_identical(spark_df, frame):
    """Counts as sums of indicators (one group-by over the keys) on Spark: the same table."""
    keys = ["y", "g"]
    t = count_table(spark_df, BINS, by=keys, strategy="sums")
    assert_identical(t, reference_table(frame, keys, sample_weight=None))


def test_spark_partition_tables_merge_to_the_union(spark_df, spark_table):
    from pyspark.sql import functions as F

    parts = [
        count_table(
            spark_df.filter(F.col("part") == 0), BINS, by=["y", "g", "day"], sample_weight="w"
        ),
        count_table(
            spark_df.filter(F.col("part") != 0), BINS, by=["y", "g", "day"], sample_weight="w"
        ),
    ]
    assert_identical(parts[0] + parts[1], spark_table)


def test_spark_errors_match_pandas(spark, frame):
    f = frame.copy()
    f.loc[[2, 9], "x"] = np.inf
    f.loc[[4], "c"] = "zzz"
    sdf = _spark_df(spark, f)
    with pytest.raises(ValueError, match=r"^column 'x' contains inf \(2 rows\)$"):
        count_table(sdf, {"x": BINS["x"]}, by="y")
    # categories in no bin: a last bin "unseen", as in pandas (no longer an error)
    with pytest.warns(UnseenCategoryWarning):
        ref = CountTable.from_frame(f, {"c": BINS["c"]}, by=f[["y"]])
    with pytest.warns(UnseenCategoryWarning):
        assert_identical(count_table(sdf, {"c": BINS["c"]}, by="y"), ref)
    assert ref.vector("c", "n").tolist()[-1] == 1


def test_spark_approx_quantile_bins(spark):
    rng = np.random.default_rng(11)
    n = 4000
    import pandas as pd

    df = pd.DataFrame({"v": rng.gamma(2.0, size=n), "y": rng.integers(0, 2, n)})
    df.loc[:99, "v"] = -1.0  # special
    sdf = spark.createDataFrame(pa.Table.from_pandas(df, preserve_index=False))
    bins, table = fit_bins_at_scale(
        sdf, ["v"], by="y", n_bins=4, special_values={"v": [-1]}, n_fine=40, relative_error=0.001
    )
    direct = CountTable.from_frame(df, bins, by=df[["y"]])
    np.testing.assert_array_equal(table.arrays["v"], direct.arrays["v"])
    # quartiles of the regular values: each coarse bin holds about a quarter
    n_reg = table.vector("v", "n")[:4]
    np.testing.assert_allclose(n_reg / n_reg.sum(), 0.25, atol=0.03)
    assert table.vector("v", "n")[4] == 100  # the special bin


def test_daily_psi_recipe(spark, tmp_path):
    spec = importlib.util.spec_from_file_location(
        "spark_daily_psi", ROOT / "examples" / "spark_daily_psi.py"
    )
    mod = importlib.util.module_from_spec(spec)
    sys.modules["spark_daily_psi"] = mod
    spec.loader.exec_module(mod)
    report = mod.main(spark, tmp_path)
    assert (tmp_path / "bins.json").exists() and (tmp_path / "baseline.parquet").exists()
    days = sorted({d for d, _ in report.index})
    assert days == [dt.date(2024, 6, 1) + dt.timedelta(days=k) for k in range(5)]
    assert set(report.columns) >= {
        "psi",
        "se",
        "ci_low",
        "ci_high",
        "pvalue",
        "traffic_light",
        "drift",
    }
    drifted = report.xs(mod.DRIFTED, level="feature")
    assert drifted["drift"].tolist() == [False, False, False, True, True]
    assert (drifted["traffic_light"].iloc[3:] == "red").all()
    # the Spark report equals the same computation on pandas tables of the same rows
    dev, new = mod.development_and_daily()
    bins = mod.load_bins(tmp_path / "bins.json")
    base = CountTable.from_frame(dev, bins, by=dev[["default"]])
    day4 = new[new["date"] == days[3]]
    ref = psi_from_counts(base, CountTable.from_frame(day4, bins, by=day4[["default"]]))
    got = report.xs(days[3], level="date")
    np.testing.assert_allclose(got.loc[ref.index, "psi"], ref["psi"], rtol=1e-12)
    np.testing.assert_allclose(got.loc[ref.index, "se"], ref["se"], rtol=1e-12)


def test_spark_binning_where_the_data_lives(spark):
    """fine_cells + count_table on Spark (a datetime column, missing and special values, a
    string column), then fit_counts: the bins of StumpBinner.fit on the pandas rows (every
    row is sampled, so the cells are fit's)."""
    import pandas as pd

    from infodiv.binning import StumpBinner
    from infodiv.core import FeatureBins
    from infodiv.scale import fine_cells

    rng = np.random.default_rng(3)
    n = 3000
    x = rng.normal(size=n)
    t = pd.Series(pd.to_datetime("2021-01-01") + pd.to_timedelta(rng.integers(0, 10**7, n), "s"))
    g = rng.choice(list("pqrs"), size=n)
    eta = x + (t - t.min()).dt.days.to_numpy() / 60 - 1 + (g == "p")
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(np.int64)
    x[rng.random(n) < 0.05] = np.nan
    cnt = rng.poisson(2, n).astype(float)
    cnt[rng.random(n) < 0.1] = -1.0
    X = pd.DataFrame({"x": x, "t": t.astype("datetime64[us]"), "g": g, "cnt": cnt})
    sdf = _spark_df(spark, X.assign(cls=y))
    specials = {"cnt": [-1.0]}
    cells = fine_cells(sdf, list(X.columns), 40, special_values=specials, min_share=0.05)
    assert cells["t"].time_dtype == "datetime64[ns]"
    assert cells["g"] == FeatureBins("g", categories=(("p",), ("q",), ("r",), ("s",)))
    table = count_table(sdf, cells, by="cls")
    assert_identical(table, CountTable.from_frame(X, cells, by={"cls": y}))
    on_spark = StumpBinner(special_values=specials, min_bin_share=0.05).fit_counts(
        table, cells, by="cls"
    )
    on_rows = StumpBinner(special_values=specials, min_bin_share=0.05).fit(
        X.assign(g=X["g"].astype("category")), y
    )
    for f in X.columns:
        assert on_spark.bins_[f] == on_rows.bins_[f], f
