"""Count tables on pandas, Polars, DuckDB and Dask equal CountTable.from_frame on the same rows.

(Spark is in test_spark_counts.py, with one session for the module.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from infodiv import (
    FeatureBins,
    WoETable,
    divergence,
    iv_from_counts,
    iv_summary,
    psi_by_period,
    psi_from_counts,
    psi_summary,
    woe_tables,
)
from infodiv.core._counts import CountTable
from infodiv.scale import count_table, engine_name
from tests.scale.helpers import (
    BINS,
    EDGE32,
    FEATURES,
    V32,
    assert_identical,
    make_frame,
    reference_table,
    to_engine,
)

pytest.importorskip("polars", reason="polars is not installed (pip install infodiv[scale])")
pytest.importorskip("duckdb", reason="duckdb is not installed (pip install infodiv[scale])")
pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install infodiv[scale])")

pytestmark = pytest.mark.filterwarnings(
    "ignore:Dask support is moving out of Narwhals:FutureWarning"
)

ENGINES = ["pandas", "polars", "polars-lazy", "duckdb", "dask"]


@pytest.fixture(scope="module")
def frame():
    return make_frame()


@pytest.mark.parametrize(
    "engine, strategy",
    [
        (e, s)
        for e in ENGINES
        for s in ("per_feature", "unpivot")
        if (e, s) != ("dask", "per_feature")
    ],
)
def test_engine_table_identical_to_pandas_table(frame, engine, strategy):
    if engine == "dask":
        pytest.importorskip("dask.dataframe", reason="dask is not installed")
    ref = reference_table(frame, ["y", "g"])
    t = count_table(
        to_engine(frame, engine), BINS, by=["y", "g"], sample_weight="w", strategy=strategy
    )
    assert_identical(t, ref)
    assert t == ref


@pytest.mark.parametrize("engine", ["pandas", "polars", "duckdb"])
def test_unweighted_single_key(frame, engine):
    t = count_table(to_engine(frame, engine), BINS, by="day")
    assert_identical(t, reference_table(frame, "day", sample_weight=None))
    np.testing.assert_array_equal(t.arrays["x"][..., 0], t.arrays["x"][..., 2])  # w = 1


def test_counts_by_hand():
    """A tiny table counted by hand (independent of both code paths)."""
    import polars as pl

    df = pl.DataFrame(
        {
            "x": [-3.0, 0.0, 0.5, 1.0, 2.0, None, float("nan"), -1.0, 7.0],
            "y": [0, 0, 1, 1, 1, 0, 1, 0, 1],
            "w": [1.0, 2.0, 1.0, 1.0, 3.0, 1.0, 0.5, 1.0, 2.0],
        }
    )
    b = FeatureBins("x", edges=(0.0, 1.0), special_values=(-1,))
    t = count_table(df, [b], by="y", sample_weight="w")
    # bins: (-inf,0) [0,1) [1,inf) special:-1 missing
    assert b.labels == ["(-inf, 0)", "[0, 1)", "[1, inf)", "special: -1", "missing"]
    np.testing.assert_array_equal(t.vector("x", "n", y=0), [1, 1, 0, 1, 1])
    np.testing.assert_array_equal(t.vector("x", "n", y=1), [0, 1, 3, 0, 1])
    np.testing.assert_array_equal(t.vector("x", "sum_w", y=1), [0, 1, 6, 0, 0.5])
    np.testing.assert_array_equal(t.vector("x", "sum_w2", y=1), [0, 1, 14, 0, 0.25])


def test_float32_column_compared_in_float64():
    """A float32 value a quarter ulp below an edge stays below it, as in numpy/pandas."""
    import polars as pl

    df = pl.DataFrame({"v": np.array([V32, V32, 2.0], dtype=np.float32), "y": [0, 1, 1]})
    t = count_table(df, [FeatureBins("v", edges=(EDGE32,))], by="y")
    assert t.vector("v", "n").tolist() == [2.0, 1.0, 0.0]


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_partition_tables_merge_to_the_union(frame, engine):
    parts = [frame.iloc[:300], frame.iloc[300:700], frame.iloc[700:]]
    tables = [
        count_table(
            to_engine(p.reset_index(drop=True), engine), BINS, by=["y", "g"], sample_weight="w"
        )
        for p in parts
    ]
    whole = count_table(to_engine(frame, engine), BINS, by=["y", "g"], sample_weight="w")
    assert_identical(sum(tables), whole)
    assert_identical(whole, reference_table(frame, ["y", "g"]))


def test_partition_missing_a_key_value_merges(frame):
    import polars as pl

    a = frame[frame["g"] != "C"]
    b = frame[frame["g"] == "C"]
    ta = count_table(pl.from_pandas(a), BINS, by="g", sample_weight="w")
    tb = count_table(pl.from_pandas(b), BINS, by="g", sample_weight="w")
    assert ta.key_values("g") == ["A", "B"]
    assert_identical(ta + tb, reference_table(frame, "g"))


def test_strategies_agree_and_auto(frame):
    import polars as pl

    df = pl.from_pandas(frame)
    a = count_table(df, BINS, by="y", strategy="unpivot")
    b = count_table(df, BINS, by="y", strategy="per_feature")
    c = count_table(df, BINS, by="y")
    assert_identical(a, b)
    assert_identical(a, c)
    assert engine_name(df) == "polars"


def test_polars_categorical_and_enum():
    import polars as pl

    vals = ["lo", "hi", None, "mid", "hi"]
    b = FeatureBins("c", categories=(("lo", "mid"), ("hi",)))
    ref = CountTable.from_frame(pd.DataFrame({"c": vals}), {"c": b}, by={"y": [0, 1, 0, 1, 1]})
    for dtype in (pl.Categorical, pl.Enum(["lo", "mid", "hi"])):
        df = pl.DataFrame({"c": pl.Series(vals, dtype=dtype), "y": [0, 1, 0, 1, 1]})
        assert_identical(count_table(df, {"c": b}, by="y"), ref)


def test_pandas_category_column_and_duckdb_enum(frame):
    import duckdb

    cat = frame[["c", "y"]].astype({"c": "category"})
    ref = CountTable.from_frame(cat, {"c": BINS["c"]}, by=cat[["y"]])
    assert_identical(count_table(cat, {"c": BINS["c"]}, by="y"), ref)
    assert_identical(count_table(duckdb.from_df(cat), {"c": BINS["c"]}, by="y"), ref)


# ----------------------------------------------------------------------------- errors
def _both_errors(frame, bins, **kw):
    """The pandas path's and the Polars path's error messages on the same rows."""
    import polars as pl

    with pytest.raises(ValueError) as e_ref:
        CountTable.from_frame(frame, bins, by=frame[["y"]])
    with pytest.raises(ValueError) as e_eng:
        count_table(pl.from_pandas(frame), bins, by="y", **kw)
    return str(e_ref.value), str(e_eng.value)


def test_inf_is_an_error_with_the_pandas_message(frame):
    f = frame.copy()
    f.loc[[3, 8], "x"] = np.inf
    ref, eng = _both_errors(f, {"x": BINS["x"]})
    assert ref == eng == "column 'x' contains inf (2 rows)"


@pytest.mark.parametrize("engine", ENGINES)
def test_unseen_categories_get_a_bin_of_their_own(frame, engine):
    """Categories in no bin are counted in a last bin "unseen" (they were an error, which lost
    a monitoring run); every engine gives the pandas table, and the counts are the rows."""
    from infodiv.exceptions import UnseenCategoryWarning

    f = frame.copy()
    f.loc[[1, 2, 5], "c"] = "zzz"
    with pytest.warns(UnseenCategoryWarning, match="'c': 3 rows"):
        ref = CountTable.from_frame(f, {"c": BINS["c"]}, by=f[["y"]])
    with pytest.warns(UnseenCategoryWarning, match="'c': 3 rows"):
        eng = count_table(to_engine(f, engine), {"c": BINS["c"]}, by="y")
    assert_identical(eng, ref)
    assert ref.labels["c"] == [*BINS["c"].labels, "unseen"]
    for y in (0, 1):
        n_unseen = int(((f.index.isin([1, 2, 5])) & (f["y"] == y)).sum())
        assert ref.vector("c", "n", y=y)[-1] == n_unseen


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_bad_keys_and_weights(frame, engine):
    f = frame.copy()
    f["g2"] = f["g"].astype(object)
    f.loc[[0, 1], "g2"] = None
    with pytest.raises(ValueError, match=r"key 'g2' has missing values \(2 rows\)"):
        count_table(to_engine(f, engine), BINS, by="g2")
    for bad, match in [
        (np.nan, "'w' has 1 missing"),
        (-1.0, "negative weight"),
        (np.inf, "NaN or inf"),
    ]:
        g = frame.copy()
        g.loc[4, "w"] = bad
        with pytest.raises(ValueError, match=match):
            count_table(to_engine(g, engine), BINS, by="y", sample_weight="w")
    g = frame.assign(w=0.0)
    with pytest.raises(ValueError, match="sums to zero"):
        count_table(to_engine(g, engine), BINS, by="y", sample_weight="w")


def test_null_weight_in_polars(frame):
    import polars as pl

    df = pl.from_pandas(frame).with_columns(
        pl.when(pl.int_range(pl.len()) == 3).then(None).otherwise(pl.col("w")).alias("w")
    )
    with pytest.raises(ValueError, match="'w' has 1 missing"):
        count_table(df, BINS, by="y", sample_weight="w")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"by": "nope"}, r"lacks key columns \['nope'\]"),
        ({"by": "y", "sample_weight": "nope"}, "lacks sample_weight columns"),
        ({"by": "y", "sample_weight": "g"}, "must be numeric"),
        ({"by": []}, "at least one key"),
        ({"by": "y", "strategy": "fast"}, "strategy must be"),
        (
            {"by": "y", "bins": {"zz": FeatureBins("zz", edges=(1.0,))}},
            r"lacks feature columns \['zz'\]",
        ),
        ({"by": "y", "bins": {"c": FeatureBins("c", edges=(1.0,))}}, "'c' holds String values"),
        ({"by": "y", "bins": {}}, "bins is empty"),
        ({"by": "y", "bins": {"a": BINS["x"]}}, r"bins\['a'\] holds the bins of 'x'"),
        ({"by": "y", "bins": [BINS["x"], BINS["x"]]}, "two entries"),
        ({"by": "y", "bins": [1.0]}, "must hold FeatureBins"),
    ],
)
def test_bad_arguments(frame, kwargs, match):
    import polars as pl

    kw = {"bins": BINS, **kwargs}
    with pytest.raises(ValueError, match=match):
        count_table(pl.from_pandas(frame), **kw)


def test_bad_data_types(frame):
    import polars as pl

    with pytest.raises(ValueError, match="must be a pandas, Polars"):
        count_table(frame.to_numpy(), BINS, by="y")
    with pytest.raises(ValueError, match="no rows"):
        count_table(pl.from_pandas(frame).head(0), BINS, by="y")


# ----------------------------------------------------------------------------- downstream
def test_woe_iv_from_an_engine_table_match_the_pandas_path(frame):
    import polars as pl

    X, y = frame[FEATURES], frame["y"]
    t = count_table(pl.from_pandas(frame), BINS, by="y", sample_weight="w")
    ref = woe_tables(X, y, bins=BINS, sample_weight=frame["w"])
    for f in FEATURES:
        got = WoETable.from_count_table(t, f, key="y", bins=BINS[f])
        pd.testing.assert_frame_equal(got.table, ref[f].table)
    ivs = iv_from_counts(t, key="y")
    pd.testing.assert_frame_equal(ivs, iv_summary(X, y, bins=BINS, sample_weight=frame["w"]))


def test_psi_from_counts_matches_psi_summary_and_the_formula(frame):
    import duckdb

    t = count_table(duckdb.from_arrow(_arrow(frame)), BINS, by="day", sample_weight="w")
    e, a = frame[frame["day"] == 1], frame[frame["day"] == 3]
    got = psi_from_counts(t, expected_where={"day": 1}, actual_where={"day": 3})
    ref = psi_summary(
        e[FEATURES], a[FEATURES], bins=BINS, expected_weight=e["w"], actual_weight=a["w"]
    )
    pd.testing.assert_frame_equal(got, ref)
    # PSI = sum (a - e) ln(a / e) on the weighted shares, counted here with numpy alone
    codes_e = np.searchsorted(BINS["i"].edges, e["i"].to_numpy(float), side="right")
    codes_e[e["i"].to_numpy() == 9999] = 3
    codes_a = np.searchsorted(BINS["i"].edges, a["i"].to_numpy(float), side="right")
    codes_a[a["i"].to_numpy() == 9999] = 3
    pe = np.bincount(codes_e, weights=e["w"], minlength=4)
    pa = np.bincount(codes_a, weights=a["w"], minlength=4)
    pe, pa = pe / pe.sum(), pa / pa.sum()
    assert got.loc["i", "psi"] == pytest.approx(np.sum((pa - pe) * np.log(pa / pe)), rel=1e-12)


def test_fairness_divergence_by_group_from_an_engine_table(frame):
    import polars as pl

    t = count_table(pl.from_pandas(frame), BINS, by=["g", "y"], sample_weight="w")
    r = t.divergence("x", "g", "A", "B", "jeffreys")
    codes = BINS["x"].codes(frame["x"])
    A, B = (frame["g"] == "A").to_numpy(), (frame["g"] == "B").to_numpy()
    w = frame["w"].to_numpy()
    K = BINS["x"].n_bins
    ref = divergence(
        np.bincount(codes[A], weights=w[A], minlength=K),
        np.bincount(codes[B], weights=w[B], minlength=K),
        "jeffreys",
        p_sumsq=(w[A] ** 2).sum(),
        q_sumsq=(w[B] ** 2).sum(),
    )
    assert r.estimate == pytest.approx(ref.estimate, rel=1e-12)
    assert r.se == pytest.approx(ref.se, rel=1e-12)


def _arrow(frame):
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


def test_psi_by_period_against_a_baseline_table(frame):
    import polars as pl

    daily = count_table(pl.from_pandas(frame), BINS, by="day")
    base = CountTable.from_frame(frame, BINS, by=frame[["y"]])  # baseline keyed by class
    rep = psi_by_period(base, daily, "day", reference="fixed")
    assert rep.index.names == ["day", "feature"]
    assert sorted({d for d, _ in rep.index}) == [1, 2, 3]
    for d in (1, 3):
        sub = frame[frame["day"] == d]
        one = psi_summary(frame[FEATURES], sub[FEATURES], bins=BINS, reference="fixed")
        pd.testing.assert_frame_equal(rep.xs(d, level="day"), one)


def test_psi_from_counts_bad_input(frame):
    t = CountTable.from_frame(frame, BINS, by=frame[["day"]])
    other = CountTable.from_frame(frame, {"x": FeatureBins("x", edges=(0.0,))}, by=frame[["day"]])
    with pytest.raises(ValueError, match="'x' has different bins"):
        psi_from_counts(t, other, features=["x"])
    with pytest.raises(ValueError, match="'i' is not in the actual count table"):
        psi_from_counts(t, other, features=["i"])
    with pytest.raises(ValueError, match="'expected' parameter of psi_from_counts .*CountTable"):
        psi_from_counts(frame)
    with pytest.raises(ValueError, match="period must be a key"):
        psi_by_period(t, t, "month")
    with pytest.raises(ValueError, match="no rows"):
        psi_from_counts(t, expected_where={"day": 1}, actual_where={"day": 9})
