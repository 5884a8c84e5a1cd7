"""Values a column may hold, read the same way whatever their storage (issue 14, parts 3, 4, 9)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from infodiv.core import FeatureBins, infer_bins, numeric_array, quantile_edges
from infodiv.exceptions import InvalidParameterError


def test_datetimes_are_nanoseconds_in_every_unit():
    days = pd.Series(pd.to_datetime(["1969-12-31", "1970-01-02", "2262-04-11", None]))
    want = np.array([-86_400e9, 86_400e9, 9_223_286_400e9, np.nan])
    for unit in ("s", "ms", "us", "ns"):
        got = numeric_array(days.astype(f"datetime64[{unit}]"), "d")
        np.testing.assert_array_equal(got, want)
    aware = days.dt.tz_localize("Europe/Paris")  # midnight in Paris is 23:00 UTC the day before
    np.testing.assert_array_equal(numeric_array(aware, "d")[:2], want[:2] - 3600e9)


def test_times_beyond_the_ns_range_do_not_overflow():
    far = pd.Series(np.array(["1500-01-01", "3000-01-01"], dtype="datetime64[s]"))
    got = numeric_array(far, "d")
    secs = far.astype("int64").to_numpy()  # seconds since the epoch, exact
    np.testing.assert_array_equal(got, secs.astype(float) * 1e9)
    assert quantile_edges(far, 2) == (got[1],)


def test_objects_holding_numbers_are_numbers():
    obj = pd.Series([3, 1.5, None, np.nan, 2, True], dtype=object)
    np.testing.assert_array_equal(
        numeric_array(obj, "x"), np.array([3.0, 1.5, np.nan, np.nan, 2.0, 1.0])
    )
    with pytest.raises(InvalidParameterError, match=r"column 'x' holds strings.*'a'"):
        numeric_array(pd.Series([1, "a"], dtype=object), "x")
    with pytest.raises(InvalidParameterError, match="column 'x' holds values that are not numbers"):
        numeric_array(pd.Series([1, {"a": 1}], dtype=object), "x")


def test_complex_and_indistinguishable_integers_are_refused_by_name():
    with pytest.raises(InvalidParameterError, match="column 'z' holds complex"):
        numeric_array(pd.Series([1 + 2j, 3]), "z")
    dense = pd.Series(np.array([2**63, 2**63 + 1, 2**63 + 2], dtype=np.uint64))
    with pytest.raises(InvalidParameterError, match="column 'u' holds integers beyond 2"):
        numeric_array(dense, "u")
    # above 2**53 but apart in float64: read as they are
    apart = pd.Series(np.array([2**63, 2**63 + 4096], dtype=np.uint64))
    np.testing.assert_array_equal(numeric_array(apart, "u"), [2.0**63, 2.0**63 + 4096])


@pytest.mark.parametrize("scale", [1e300, 1e-300])
def test_quantile_edges_ignore_the_scale_of_the_weights(scale):
    rng = np.random.default_rng(0)
    x = rng.normal(size=1000)
    w = rng.uniform(0.5, 2, size=1000)
    assert quantile_edges(x, 7, w * scale) == quantile_edges(x, 7, w)


def test_quantile_edges_by_hand():
    # values 0..9, one row each: the cut for level k/4 is the smallest value whose share of
    # the rows at or below it exceeds k/4: 2 (0.3 > .25), 5 (0.6 > .5), 7 (0.8 > .75)
    x = np.arange(10.0)
    assert quantile_edges(x, 4) == (2.0, 5.0, 7.0)
    # 0 0 0 1 2 3 4 9 9 9: level cuts 0 (dropped: the smallest value), 3 (0.6 > .5), 9 (0.8);
    # 0 and 9 hold 30% >= 1/4 each: 0 is closed by an edge at the next value, 1
    x = np.r_[np.zeros(3), np.arange(1.0, 5.0), np.full(3, 9.0)]
    assert quantile_edges(x, 4) == (1.0, 3.0, 9.0)


@pytest.mark.parametrize("share", [0.001, 0.01, 0.09])
def test_a_rare_top_value_of_a_two_valued_column_keeps_its_bin(share):
    n = 10_000
    x = np.zeros(n)
    x[: int(share * n)] = 1.0
    assert quantile_edges(x, 10) == (1.0,)
    assert infer_bins(x, 10, "s").codes(np.array([0.0, 1.0])).tolist() == [0, 1]


def test_infer_bins_records_the_time_dtype_and_keeps_it_through_dicts():
    t = pd.Series(pd.date_range("2020-01-01", periods=50, freq="7D"))
    fb = infer_bins(t, 4, "t")
    assert fb.time_dtype == "datetime64[ns]"
    assert FeatureBins.from_dict(fb.to_dict()) == fb
    assert fb.labels[0].startswith("(-inf, 2020-")
    num = infer_bins(np.arange(50.0), 4, "n")
    assert num.time_dtype is None and "time_dtype" not in num.to_dict()


@pytest.mark.parametrize("scale", [1e200, 1e-200])
def test_count_tables_rescale_weights_whose_squares_overflow(scale):
    from infodiv.core import CountTable
    from infodiv.exceptions import InfodivWarning

    codes = {"x": np.array([0, 1, 0, 1, 1, 0])}
    keys = {"class": [0, 0, 1, 1, 1, 0]}
    t1 = CountTable.from_codes(codes, {"x": ["a", "b"]}, keys)
    with pytest.warns(InfodivWarning, match="sample_weight"):
        t2 = CountTable.from_codes(codes, {"x": ["a", "b"]}, keys, np.full(6, scale))
    r1, r2 = t1.divergence("x", "class", 1, 0), t2.divergence("x", "class", 1, 0)
    # a common factor changes no share and no Kish size: the same IV, SE and interval
    assert r2.estimate == pytest.approx(r1.estimate, rel=1e-12)
    assert r2.se == pytest.approx(r1.se, rel=1e-12)
    np.testing.assert_allclose(r2.conf_int(), r1.conf_int(), rtol=1e-9)


@settings(max_examples=80, deadline=None)
@given(
    a=st.sampled_from([1e-300, 1e-9, 0.5, 3.0, 1e9, 1e290]),
    b=st.sampled_from([0.0, -7.0, 1e8, 1.7e12, -1e15]),
    n_bins=st.integers(1, 15),
    seed=st.integers(0, 10_000),
    distinct=st.integers(2, 60),
)
def test_quantile_bins_follow_increasing_affine_maps(a, b, n_bins, seed, distinct):
    rng = np.random.default_rng(seed)
    x = rng.integers(-500, 500, size=distinct).astype(float)[rng.integers(0, distinct, 300)]
    assume(np.unique(x).size >= 2)
    t = a * x + b
    assume(np.unique(t).size == np.unique(x).size)  # the map keeps every value apart
    w = rng.uniform(0.1, 5.0, size=x.size)
    e0 = np.asarray(quantile_edges(x, n_bins, w))
    e1 = np.asarray(quantile_edges(t, n_bins, w * 1e-250))
    np.testing.assert_array_equal(e1, a * e0 + b)
    f0, f1 = FeatureBins("x", edges=tuple(e0)), FeatureBins("x", edges=tuple(e1))
    np.testing.assert_array_equal(f1.codes(t), f0.codes(x))


def test_pyarrow_backed_times_read_as_the_numpy_ones():
    pytest.importorskip("pyarrow")
    days = pd.Series(pd.to_datetime(["1969-12-31", "1970-01-02", None]))
    want = np.array([-86_400e9, 86_400e9, np.nan])
    np.testing.assert_array_equal(numeric_array(days.astype("timestamp[ms][pyarrow]"), "d"), want)
    aware = days.dt.tz_localize("UTC").astype("timestamp[s, tz=UTC][pyarrow]")
    np.testing.assert_array_equal(numeric_array(aware, "d"), want)
    span = (days - days.min()).astype("duration[ms][pyarrow]")
    np.testing.assert_array_equal(numeric_array(span, "d"), [0.0, 2 * 86_400e9, np.nan])
    fb = infer_bins(days, 5, "d")
    np.testing.assert_array_equal(fb.codes(days.astype("timestamp[s][pyarrow]")), fb.codes(days))


# ---------------------------------------------------------------- exact integers beyond 2**53
def test_integer_edges_beyond_2_53_compare_exactly():
    top = 2**63
    b = FeatureBins("u", edges=(top + 1, top + 3))
    assert b.edges == (top + 1, top + 3) and all(type(e) is int for e in b.edges)
    assert b.labels[:2] == [f"(-inf, {top + 1})", f"[{top + 1}, {top + 3})"]
    u = np.array([top, top + 1, top + 2, top + 3, 2**64 - 1], dtype=np.uint64)
    assert b.codes(u).tolist() == [0, 1, 1, 2, 2]  # by hand: x >= edge, exactly
    # int64 values all lie below both edges (an edge beyond int64 is not cast into it)
    i = np.array([-(2**63), -1, 0, 2**63 - 1], dtype=np.int64)
    assert b.codes(i).tolist() == [0, 0, 0, 0]
    # a float column: 2**63 as a float is below top + 1, the next float (top + 2048) is not
    f = np.array([float(top), float(np.nextafter(float(top), np.inf))])
    assert b.codes(f).tolist() == [0, 2]
    # nullable integers with a missing value and a special value (the general path)
    s = pd.Series([top, None, top + 2, 2**64 - 1], dtype="UInt64")
    bs = FeatureBins("u", edges=(top + 1, top + 3), special_values=(2**64 - 1,))
    assert bs.codes(s).tolist() == [0, 4, 1, 3]
    assert FeatureBins("u", edges=(top + 1, top + 3)).codes(s).tolist() == [0, 3, 1, 2]


def test_float_edges_on_big_integers_compare_exactly():
    # by hand: 2**62 - 1 (one float64 with 2**62) is below the edge 2**62, 2**62 is not;
    # the edge -2**63 - 4096 lies below every int64, so it counts for all of them
    b = FeatureBins("i", edges=(-(2.0**63) - 4096.0, 2.0**62))
    i = np.array([2**62 - 1, 2**62, 2**62 + 1, -(2**63)], dtype=np.int64)
    assert b.codes(i).tolist() == [1, 2, 2, 1]


def test_integer_edges_must_increase_and_small_ones_stay_floats():
    with pytest.raises(InvalidParameterError, match="strictly increasing"):
        FeatureBins("u", edges=(2**63 + 1, 2**63 + 1))
    assert FeatureBins("a", edges=(25, 40)).edges == (25.0, 40.0)
    assert all(type(e) is float for e in FeatureBins("a", edges=(25, 40)).edges)


def test_quantile_edges_of_big_integers_are_observed_integers():
    # 0..9 shifted by 2**63 (floats would merge them all): the cuts of the plain column
    # by hand (test_quantile_edges_by_hand), shifted exactly
    top = 2**63
    u = pd.Series(np.array([top + k for k in range(10)], dtype=np.uint64))
    assert quantile_edges(u, 4) == (top + 2, top + 5, top + 7)
    i = pd.Series([2**60 + k for k in range(10)] + [None], dtype="Int64")
    assert quantile_edges(i, 4) == (2**60 + 2, 2**60 + 5, 2**60 + 7)
    with pytest.raises(InvalidParameterError, match="column 'x' is constant"):
        quantile_edges(pd.Series(np.full(5, top, dtype=np.uint64)), 4)


def test_object_columns_of_big_integers_bin_exactly():
    # Python ints stored as objects (e.g. read from JSON): as floats they were one value
    top = 2**63
    o = pd.Series([top + k for k in range(10)] + [None], dtype=object)
    assert quantile_edges(o, 4) == (top + 2, top + 5, top + 7)
    assert FeatureBins("o", edges=(top + 2, top + 5)).codes(o).tolist() == [0] * 2 + [1] * 3 + [
        2
    ] * 5 + [3]
    neg = pd.Series([-(2**62) - k for k in range(10)], dtype=object)  # int64 range, negative
    assert quantile_edges(neg, 4) == (-(2**62) - 7, -(2**62) - 4, -(2**62) - 2)
