"""Binning depends only on the order of the values (issue 14, parts 3, 4 and 9).

XGBoost compares float32: before, ``x + 1e8``, epoch timestamps or ``x * 1e-300`` collapsed to
one bin, values beyond 3.4e38 crashed it, weights of 1e200 overflowed it, datetime edges were
raw integers of the fit's unit, and quantile cells swallowed a heavy top value. Every check
here compares a transformed column with the plain one (same codes, same IV), or an IV with the
Jeffreys divergence computed by hand from the 2 x 2 table.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from infodiv.binning import StumpBinner
from infodiv.core import FeatureBins, infer_bins, quantile_edges
from infodiv.credit import iv_summary
from infodiv.exceptions import InfodivWarning, InvalidParameterError
from infodiv.io import bins_from_json, bins_to_json

STRATEGIES = ("per_feature", "joint")


def _data(n: int = 3000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Integer-valued x (so that a * x + b stays strictly increasing) and a logistic target."""
    rng = np.random.default_rng(seed)
    x = np.round(rng.normal(size=n) * 300)
    y = (rng.random(n) < 1 / (1 + np.exp(-x / 150))).astype(int)
    return x, y


def _fit(col, y, strategy="per_feature", w=None, **kw):
    X = pd.DataFrame({"x": col})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfodivWarning)
        b = StumpBinner(max_bins=6, strategy=strategy, random_state=0, **kw).fit(
            X, y, sample_weight=w
        )
    return b.transform(X)[:, 0], b.woe_tables_["x"].iv.estimate, b


def _jeffreys(codes: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> float:
    """Hand IV: sum_i (p_i - q_i) ln(p_i / q_i) over the bins, p bads, q goods."""
    w = np.ones(len(y)) if w is None else w
    k = codes.max() + 1
    p = np.bincount(codes, weights=w * (y == 1), minlength=k)
    q = np.bincount(codes, weights=w * (y == 0), minlength=k)
    p, q = p / p.sum(), q / q.sum()
    keep = (p > 0) | (q > 0)
    return float(np.sum((p[keep] - q[keep]) * np.log(p[keep] / q[keep])))


# ------------------------------------------------------------------ part 3: offsets and scales
@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize(
    "a, b",
    [
        (1.0, 1e8),  # offset large against the spread: float32 merges neighbours
        (1.0, 1e12),
        (1e3, 1.7e12),  # epoch milliseconds
        (1e-300, 0.0),  # below float32's range (and subnormal float64 for some rows)
        (1e36, 0.0),  # beyond float32's range (3.4e38)
        (1e296, 0.0),  # near float64's limit
    ],
)
def test_stumps_depend_only_on_the_order_of_the_values(strategy, a, b):
    x, y = _data()
    t = a * x + b
    assert np.unique(t).size == np.unique(x).size  # the transform keeps every value apart
    c0, iv0, b0 = _fit(x, y, strategy)
    c1, iv1, b1 = _fit(t, y, strategy)
    assert b0.bins_["x"].n_regular >= 3  # a real binning, not the collapsed one of before
    np.testing.assert_array_equal(c1, c0)
    assert iv1 == pytest.approx(iv0, abs=1e-9)
    # the edges are the transformed edges: the smallest value of each bin
    e0 = np.asarray(b0.bins_["x"].edges)
    np.testing.assert_array_equal(np.asarray(b1.bins_["x"].edges), a * e0 + b)
    # and the IV is the Jeffreys divergence of the bins on the original values
    assert iv0 == pytest.approx(_jeffreys(c0, y), abs=1e-9)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    a=st.sampled_from([1e-300, 1e-8, 0.37, 1.0, 1e5, 1e30, 1e290]),
    b=st.sampled_from([0.0, -3.0, 1e8, 1e12, -1e15]),
    seed=st.integers(0, 10_000),
    strategy=st.sampled_from(STRATEGIES),
)
def test_stumps_invariant_to_increasing_affine_maps(a, b, seed, strategy):
    x, y = _data(n=1500, seed=seed)
    t = a * x + b
    assume(np.unique(t).size == np.unique(x).size)
    c0, iv0, _ = _fit(x, y, strategy)
    c1, iv1, _ = _fit(t, y, strategy)
    np.testing.assert_array_equal(c1, c0)
    assert iv1 == pytest.approx(iv0, abs=1e-9)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_values_beyond_float32_bin_like_any_values(strategy):
    x, y = _data()
    rank = np.unique(x, return_inverse=True)[1]
    big = np.logspace(39, 300, np.unique(x).size)[rank]  # 1e39 .. 1e300, increasing with x
    c0, iv0, _ = _fit(x, y, strategy)
    c1, iv1, b1 = _fit(big, y, strategy)
    np.testing.assert_array_equal(c1, c0)
    assert iv1 == pytest.approx(iv0, abs=1e-9)
    assert np.all(np.asarray(b1.bins_["x"].edges) > 1e38)


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("scale", [1e200, 1e-200, 1e-30, 7.0])
def test_weight_scale_does_not_change_bins_or_iv(strategy, scale):
    x, y = _data()
    w = np.random.default_rng(1).uniform(0.5, 2.0, size=x.size)
    c0, iv0, b0 = _fit(x, y, strategy, w=w)
    c1, iv1, b1 = _fit(x, y, strategy, w=w * scale)
    np.testing.assert_array_equal(c1, c0)
    assert iv1 == pytest.approx(iv0, abs=1e-9)
    assert iv0 == pytest.approx(_jeffreys(c0, y, w), abs=1e-9)
    # the Wald SE uses Kish's effective size, which does not depend on the scale either
    se0 = b0.woe_tables_["x"].iv.se
    assert b1.woe_tables_["x"].iv.se == pytest.approx(se0, rel=1e-9)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_constant_weights_give_the_unweighted_bins(strategy):
    x, y = _data()
    c0, iv0, _ = _fit(x, y, strategy)
    for v in (1e200, 1e-200):
        with pytest.warns(InfodivWarning, match="sample_weight"):
            StumpBinner(max_bins=6, strategy=strategy, random_state=0).fit(
                pd.DataFrame({"x": x}), y, sample_weight=np.full(x.size, v)
            )
        c1, iv1, _ = _fit(x, y, strategy, w=np.full(x.size, v))
        np.testing.assert_array_equal(c1, c0)
        assert iv1 == pytest.approx(iv0, abs=1e-9)


# ------------------------------------------------------------------ part 3: datetimes
def _times(n: int = 3000, seed: int = 0) -> tuple[pd.Series, np.ndarray]:
    rng = np.random.default_rng(seed)
    secs = rng.integers(0, 10**8, n)
    t = pd.Series(pd.Timestamp("2015-03-01") + pd.to_timedelta(secs, unit="s"))
    y = (rng.random(n) < 1 / (1 + np.exp(-(secs / 3e7 - 1.5)))).astype(int)
    return t, y


UNITS = ("s", "ms", "us", "ns")


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_datetime_units_give_the_same_bins(strategy):
    t, y = _times()
    fits = {u: _fit(t.astype(f"datetime64[{u}]"), y, strategy) for u in UNITS}
    c0, iv0, b0 = fits["s"]
    assert b0.bins_["x"].n_regular >= 3
    assert iv0 == pytest.approx(_jeffreys(c0, y), abs=1e-9)
    for u in UNITS:
        c, iv, b = fits[u]
        np.testing.assert_array_equal(c, c0)
        assert iv == pytest.approx(iv0, abs=1e-9)
        assert b.bins_["x"] == b0.bins_["x"]
        # bins fitted in one unit, applied to the same instants in every other unit
        for v in UNITS:
            col = t.astype(f"datetime64[{v}]")
            np.testing.assert_array_equal(b.bins_["x"].codes(col), c0)
    # a bin holds exactly the instants between its edges (checked on timestamps)
    edges = [pd.Timestamp(int(e), unit="ns") for e in b0.bins_["x"].edges]
    want = np.searchsorted(np.array(edges, dtype="datetime64[ns]"), t.to_numpy(), side="right")
    np.testing.assert_array_equal(c0, want)


def test_time_zone_aware_datetimes_bin_by_instant():
    t, y = _times()
    fb = infer_bins(t.astype("datetime64[ms]"), 5, "t")
    aware = t.dt.tz_localize("UTC").dt.tz_convert("Asia/Tokyo").astype("datetime64[us, Asia/Tokyo]")
    np.testing.assert_array_equal(fb.codes(aware), fb.codes(t))


@pytest.mark.parametrize("n_bins", [2, 5, 10])
def test_quantile_bins_of_datetimes_are_unit_invariant(n_bins):
    t, _ = _times(n=997)
    ref = infer_bins(t.astype("datetime64[s]"), n_bins, "t")
    assert ref.time_dtype == "datetime64[ns]"
    for u in UNITS:
        fb = infer_bins(t.astype(f"datetime64[{u}]"), n_bins, "t")
        assert fb == ref
        assert quantile_edges(t.astype(f"datetime64[{u}]"), n_bins) == ref.edges
        for v in UNITS:
            np.testing.assert_array_equal(
                fb.codes(t.astype(f"datetime64[{v}]")), ref.codes(t.astype("datetime64[s]"))
            )
    # edges are observed instants; the labels show them as timestamps
    assert set(ref.edges) <= set((t.astype("datetime64[ns]").astype("int64")).astype(float))
    assert ref.labels[1].startswith("[20")


def test_timedeltas_are_unit_invariant():
    t, _ = _times(n=500)
    d = t - t.min()
    ref = infer_bins(d.astype("timedelta64[s]"), 4, "d")
    assert ref.time_dtype == "timedelta64[ns]"
    for u in UNITS:
        np.testing.assert_array_equal(
            ref.codes(d.astype(f"timedelta64[{u}]")), ref.codes(d.astype("timedelta64[s]"))
        )


def test_datetime_bins_round_trip_through_json_and_refuse_numbers():
    t, y = _times()
    _, _, b = _fit(t.astype("datetime64[ms]"), y)
    fb = b.bins_["x"]
    text = bins_to_json({"x": fb})
    back = bins_from_json(text)["x"]
    assert back == fb and back.time_dtype == "datetime64[ns]"
    np.testing.assert_array_equal(back.codes(t.astype("datetime64[us]")), fb.codes(t))
    with pytest.raises(InvalidParameterError, match="'x'.*datetime"):
        fb.codes(np.arange(10.0))


def test_datetime_edges_given_as_timestamps():
    t, _ = _times(n=200)
    cut = pd.Timestamp("2016-01-01")
    fb = infer_bins(t.astype("datetime64[s]"), [cut], "t")
    np.testing.assert_array_equal(fb.codes(t.astype("datetime64[ms]")), (t >= cut).astype(int))


# ------------------------------------------------------------------ part 4: vanishing bins
@pytest.mark.parametrize("share", [0.3, 0.08, 0.02])
def test_binary_score_with_minority_on_top_gets_two_bins(share):
    rng = np.random.default_rng(5)
    n = 20_000
    s = (rng.random(n) < share).astype(float)  # minority value 1 is the higher one
    y = (rng.random(n) < np.where(s == 1, 0.3, 0.1)).astype(int)
    assert quantile_edges(s, 10) == (1.0,)
    fb = infer_bins(s, 10, "score")
    assert fb.n_regular == 2
    iv = iv_summary(pd.DataFrame({"score": s}), y, bins=10)["estimate"].iloc[0]
    # the 2 x 2 table by hand
    b = np.array([np.sum((s == 0) & (y == 1)), np.sum((s == 1) & (y == 1))]) / np.sum(y == 1)
    g = np.array([np.sum((s == 0) & (y == 0)), np.sum((s == 1) & (y == 0))]) / np.sum(y == 0)
    assert iv == pytest.approx(np.sum((b - g) * np.log(b / g)), rel=1e-12)
    assert iv > 0.01


def test_few_distinct_values_get_one_bin_each():
    rng = np.random.default_rng(2)
    v = rng.choice([1.0, 2.0, 5.0, 9.0, 100.0], p=[0.9, 0.04, 0.03, 0.02, 0.01], size=5000)
    assert quantile_edges(v, 5) == (2.0, 5.0, 9.0, 100.0)
    assert quantile_edges(v, 10) == (2.0, 5.0, 9.0, 100.0)


def test_stump_cells_keep_a_heavy_top_value():
    rng = np.random.default_rng(4)
    n = 20_000
    x = rng.normal(size=n)
    top = rng.random(n) < 0.06  # 6% of the rows at the maximum, above the 5% minimum share
    x[top] = 10.0
    y = (rng.random(n) < np.where(top, 0.5, 0.1)).astype(int)
    for strategy in STRATEGIES:
        _, _, b = _fit(x, y, strategy, monotone_trend=None, min_bin_share=0.05)
        assert 10.0 in b.bins_["x"].edges  # the top value has a bin of its own


@settings(max_examples=60, deadline=None)
@given(
    probs=st.lists(st.floats(0.001, 1.0), min_size=2, max_size=30),
    n_bins=st.integers(2, 12),
    seed=st.integers(0, 10_000),
    weighted=st.booleans(),
)
def test_heavy_values_are_separable_in_quantile_bins(probs, n_bins, seed, weighted):
    rng = np.random.default_rng(seed)
    p = np.asarray(probs) / np.sum(probs)
    values = np.sort(rng.choice(10_000, size=p.size, replace=False)).astype(float)
    x = rng.choice(values, p=p, size=400)
    w = rng.uniform(0.1, 3.0, size=x.size) if weighted else np.ones(x.size)
    assume(np.unique(x).size >= 2)
    edges = np.asarray(quantile_edges(x, n_bins, w if weighted else None))
    uniq = np.unique(x)
    share = np.array([w[x == u].sum() for u in uniq]) / w.sum()
    if uniq.size <= n_bins:
        np.testing.assert_array_equal(edges, uniq[1:])
        return
    for i in np.flatnonzero(share >= 1.0 / n_bins):
        # its own bin: an edge at the value (unless it is the smallest) and just above it
        assert i == 0 or uniq[i] in edges
        assert i == uniq.size - 1 or uniq[i + 1] in edges


# ------------------------------------------------------------------ part 9: column types
def test_numbers_stored_as_objects_bin_like_numbers():
    x, y = _data()
    obj = pd.Series(x.astype(object))
    obj[::50] = None
    num = pd.to_numeric(obj)
    c0, iv0, _ = _fit(num, y)
    c1, iv1, _ = _fit(obj, y)
    np.testing.assert_array_equal(c1, c0)
    assert iv1 == pytest.approx(iv0, abs=1e-12)
    assert infer_bins(obj, 5, "x") == infer_bins(num, 5, "x")
    s0 = iv_summary(pd.DataFrame({"x": num}), y)["estimate"].iloc[0]
    assert iv_summary(pd.DataFrame({"x": obj}), y)["estimate"].iloc[0] == pytest.approx(s0)


def test_text_and_complex_values_get_errors_naming_the_column():
    x, y = _data(n=400)
    cases = [
        (pd.Series(np.where(x > 0, "hi", "lo").astype(object)), "'col' holds strings"),
        (pd.Series(np.append(x[:-1].astype(object), "x")), "'col' holds strings"),
        (pd.Series(x + 1j), "'col' holds complex"),
        (pd.Series((x + 1j).astype(object)), "'col' holds complex"),
    ]
    for col, msg in cases:
        X = pd.DataFrame({"col": col})
        with pytest.raises(InvalidParameterError, match=msg):
            StumpBinner().fit(X, y)
        with pytest.raises(InvalidParameterError, match=msg):
            quantile_edges(col, 5, feature="col")


def test_large_unsigned_integers_apart_in_float64_bin_by_order():
    x, y = _data()
    rank = np.unique(x, return_inverse=True)[1].astype(np.uint64)
    big = pd.Series(np.uint64(2**63) + rank * np.uint64(4096))  # above 2**63, distinct floats
    c0, iv0, _ = _fit(x, y)
    c1, iv1, _ = _fit(big, y)
    np.testing.assert_array_equal(c1, c0)
    assert iv1 == pytest.approx(iv0, abs=1e-9)


def test_feature_bins_time_dtype_is_checked():
    with pytest.raises(InvalidParameterError, match="time_dtype"):
        FeatureBins("t", edges=(1.0,), time_dtype="datetime64[s]")
    with pytest.raises(InvalidParameterError, match="time_dtype"):
        FeatureBins("t", categories=(("a",),), time_dtype="datetime64[ns]")


def test_scorecard_keeps_an_offset_column():
    from infodiv.credit import Scorecard

    x, y = _data()
    noise = np.random.default_rng(3).normal(size=x.size)
    ivs = []
    for col in (x, x * 1e-3 + 1e8):  # a spread of +-1 around 1e8: one float32 value
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InfodivWarning)
            sc = Scorecard(random_state=0).fit(pd.DataFrame({"x": col, "noise": noise}), y)
        assert "x" in sc.features_
        ivs.append(sc.summary().loc["x", "iv"])
    assert ivs[1] == pytest.approx(ivs[0], abs=1e-9)


def test_stump_cells_give_each_of_few_values_a_cell_and_keep_heavy_values():
    from infodiv.binning._columns import _compress

    rng = np.random.default_rng(6)
    n = 5000
    y = rng.integers(0, 2, n)
    w = np.ones(n)
    # 7 distinct values (one at 0.2% of the rows, on top) and 40 cells: one cell per value
    few = rng.choice([0.0, 1.0, 2.0, 3.0, 4.0, 5.0], size=n)
    few[:10] = 99.0
    reps = _compress(few, y, w, 40, 0, 0.05)[0]
    np.testing.assert_array_equal(np.unique(reps), np.unique(few))
    # a continuous column with a value at 3% of the rows (>= 1/40 of them, below min share):
    # that value is a cell of its own
    x = rng.normal(size=n)
    x[: int(0.03 * n)] = 0.123
    reps, _, cnt, _, _, cell = _compress(x, y, w, 40, 0, 0.05)
    i = np.flatnonzero(reps == 0.123)
    assert i.size > 0
    in_cell = cnt[cell == cell[i[0]]].sum()
    assert in_cell == int(0.03 * n)  # nothing else shares its cell


# ------------------------------------------------------------ integers beyond 2**53, exactly
# Integers closer together than float64's spacing there (2048 at 2**63, 256 at 2**60): as
# floats they would merge, so they are binned on their exact values. Each check compares
# with the plain column shifted by the offset (Python ints, exact), and the IV with the
# Jeffreys divergence computed by hand from the codes.
BIG = [
    ("uint64 above 2**63", 2**63, np.uint64),
    ("int64 above 2**60", 2**60, np.int64),
    ("int64 below -2**62", -(2**62), np.int64),
    ("Python ints as objects above 2**63", 2**63, object),
]


def _shifted(x: np.ndarray, offset: int, dtype) -> pd.Series:
    """``x - min(x) + offset`` in ``dtype``, built in Python ints (exact)."""
    base = (x - x.min()).astype(np.int64)
    return pd.Series(np.array([offset + int(v) for v in base], dtype=dtype))


@pytest.mark.parametrize(("what", "offset", "dtype"), BIG, ids=[b[0] for b in BIG])
def test_big_integers_give_the_quantile_bins_and_iv_of_the_plain_column(what, offset, dtype):
    x, y = _data()
    plain = pd.Series((x - x.min()).astype(np.int64))
    big = _shifted(x, offset, dtype)
    assert np.unique(big.to_numpy(dtype=float)).size < np.unique(plain).size  # floats merge
    from infodiv.credit import woe_table

    t0, t1 = woe_table(plain, y, bins=10), woe_table(big, y, bins=10)
    # the same rows in each bin, edges the plain ones shifted exactly, as Python ints
    np.testing.assert_array_equal(t1.bins.codes(big), t0.bins.codes(plain))
    assert t1.bins.edges == tuple(offset + int(e) for e in t0.bins.edges)
    assert all(type(e) is int for e in t1.bins.edges)
    assert t1.iv.estimate == pytest.approx(t0.iv.estimate, abs=1e-12)
    assert t1.iv.estimate == pytest.approx(_jeffreys(t1.bins.codes(big), y), abs=1e-12)
    s0 = iv_summary(pd.DataFrame({"v": plain}), y, bins=10)
    s1 = iv_summary(pd.DataFrame({"v": big}), y, bins=10)
    assert s1.loc["v", "estimate"] == pytest.approx(s0.loc["v", "estimate"], abs=1e-12)
    assert s1.loc["v", "n_bins"] == s0.loc["v", "n_bins"]


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize(("what", "offset", "dtype"), BIG, ids=[b[0] for b in BIG])
def test_big_integers_give_the_stumps_of_the_plain_column(strategy, what, offset, dtype):
    x, y = _data()
    plain = pd.Series((x - x.min()).astype(np.int64))
    big = _shifted(x, offset, dtype)
    c0, iv0, b0 = _fit(plain, y, strategy)
    c1, iv1, b1 = _fit(big, y, strategy)
    np.testing.assert_array_equal(c1, c0)
    assert iv1 == pytest.approx(iv0, abs=1e-12)
    assert iv1 == pytest.approx(_jeffreys(c1, y), abs=1e-12)
    # edges read back from the ranks are the exact integers
    assert b1.bins_["x"].edges == tuple(offset + int(e) for e in b0.bins_["x"].edges)
    from infodiv.credit import WoEEncoder

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfodivWarning)
        e0 = WoEEncoder(random_state=0).fit(pd.DataFrame({"x": plain}), y)
        e1 = WoEEncoder(random_state=0).fit(pd.DataFrame({"x": big}), y)
    np.testing.assert_allclose(
        e1.transform(pd.DataFrame({"x": big})),
        e0.transform(pd.DataFrame({"x": plain})),
        rtol=0,
        atol=1e-12,
    )


def test_big_integer_edges_round_trip_through_json_exactly():
    x, y = _data(n=800)
    big = _shifted(x, 2**63, np.uint64)
    b = StumpBinner(max_bins=6, random_state=0).fit(pd.DataFrame({"x": big}), y).bins_
    q = {"x": infer_bins(big, 7, "x")}
    for bins in (b, q):
        text = bins_to_json(bins)
        back = bins_from_json(text)
        assert back["x"].edges == bins["x"].edges
        assert all(type(e) is int for e in back["x"].edges)
        for e in bins["x"].edges:  # written as exact integers, not rounded floats
            assert str(e) in text
        np.testing.assert_array_equal(back["x"].codes(big), bins["x"].codes(big))


def test_big_integers_with_few_values_split_above_the_smallest():
    from infodiv.binning import QuantileCandidates

    col = pd.Series(np.array([2**63] * 95 + [2**63 + 1] * 5, dtype=np.uint64))
    c = QuantileCandidates(n_bins=(2,)).generate(pd.DataFrame({"x": col}), None, None)
    (fb,) = c["x"].values()
    assert fb.edges == (2**63 + 1,)
    assert fb.codes(col).tolist() == [0] * 95 + [1] * 5
