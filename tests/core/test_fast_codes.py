"""The fast paths of binning equal the plain computations they replace.

* :func:`infodiv.core.right_codes` (edges counted by comparisons) against
  ``np.searchsorted(edges, x, side="right")``;
* the quantile edges of a column counted by hashing (few distinct values) against the
  edges of the sorted column, and against ``np.quantile``'s inverted-CDF rule computed here
  by brute force on the sorted values;
* the plain-float fast path of :func:`infodiv.core.quantile_edges` against its Series path.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from infodiv.core import quantile_edges, right_codes
from infodiv.core._bins import _share_cuts
from infodiv.core._codes import COMPARE_MAX_EDGES

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=300, deadline=None)
@given(
    edges=st.lists(finite, min_size=0, max_size=COMPARE_MAX_EDGES + 10),
    values=arrays(
        np.float64,
        st.integers(0, 300),
        elements=st.one_of(finite, st.just(np.nan), st.just(np.inf), st.just(-np.inf)),
    ),
    reuse=st.booleans(),
)
def test_right_codes_equal_searchsorted(edges, values, reuse):
    e = np.sort(np.asarray(edges, dtype=float))
    if reuse and e.size and values.size:  # values equal to edges: ties go right
        values = values.copy()
        values[::2] = e[np.arange(values[::2].size) % e.size]
    got = right_codes(e, values)
    want = np.searchsorted(e, values, side="right")
    assert got.dtype == np.intp
    np.testing.assert_array_equal(got, want)


def test_right_codes_signed_zero_and_other_dtypes():
    e = np.array([-0.0, 0.0, 1.0])
    x = np.array([-0.0, 0.0, 0.5, np.nan, -1.0])
    np.testing.assert_array_equal(right_codes(e, x), np.searchsorted(e, x, side="right"))
    ints = np.array([3, 1, 2], dtype=np.int64)  # not float64: searchsorted itself
    np.testing.assert_array_equal(right_codes(np.array([1.5]), ints), [1, 0, 1])


def _brute_cuts(v: np.ndarray, n_bins: int, min_share: float | None) -> np.ndarray:
    """The rule of ``quantile_edges`` on unit weights, written out on the sorted values:
    position ``#{j : j / n <= l}`` (clipped) per level, plus every value of at least the
    threshold share and the value after it."""
    s = np.sort(v)
    n = s.size
    uniq, counts = np.unique(s, return_counts=True)
    if uniq.size <= n_bins:
        return uniq[1:]
    cuts = set()
    for k in range(1, n_bins):
        level = k / n_bins
        pos = sum(1 for j in range(1, n + 1) if j / n <= level)
        cuts.add(s[min(pos, n - 1)])
    thr = 1.0 / n_bins
    if min_share is not None and 0 < min_share < thr:
        thr = min_share
    for i, c in enumerate(counts):
        if c / n >= thr * (1 - 1e-9):
            cuts.add(uniq[i])
            cuts.add(uniq[min(i + 1, uniq.size - 1)])
    out = np.array(sorted(cuts))
    return out[out > uniq[0]]


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.integers(-5, 40), min_size=2, max_size=400),
    n_bins=st.integers(1, 30),
    min_share=st.sampled_from([None, 0.01, 0.03, 0.2]),
)
def test_counted_cuts_equal_sorted_cuts_and_brute_force(values, n_bins, min_share):
    v = np.asarray(values, dtype=float)
    if np.unique(v).size == 1:
        return
    counted = _share_cuts(v, None, n_bins, min_share, "x", counted=True)
    sorted_ = _share_cuts(v, None, n_bins, min_share, "x", counted=False)
    np.testing.assert_array_equal(counted, sorted_)
    np.testing.assert_array_equal(counted, _brute_cuts(v, n_bins, min_share))


@pytest.mark.parametrize("n", [5_000, 123_457, 1_000_003])
def test_counted_cuts_on_large_columns(n):
    """Float rounding of ``j / n`` at sizes where ``floor(l * n)`` is off by one."""
    rng = np.random.default_rng(n)
    v = rng.poisson(3, n).astype(float)
    v[: n // 7] = 2.0  # a heavy value
    for n_bins in (3, 7, 67, 100):
        np.testing.assert_array_equal(
            _share_cuts(v, None, n_bins, 0.03, "x", counted=True),
            _share_cuts(v, None, n_bins, 0.03, "x", counted=False),
        )


def test_float_fast_path_equals_series_path():
    rng = np.random.default_rng(0)
    x = rng.lognormal(3, 1, 20_000)
    x[rng.random(x.size) < 0.1] = np.nan
    w = rng.random(x.size)
    w[:100] = 0.0
    for weights in (None, w):
        fast = quantile_edges(x, 20, weights, "x", min_share=0.01)
        slow = quantile_edges(pd.Series(x), 20, weights, "x", min_share=0.01)
        assert fast == slow
    with pytest.raises(Exception, match="inf"):
        quantile_edges(np.array([1.0, np.inf, 2.0]), 3)
    with pytest.raises(Exception, match="only missing"):
        quantile_edges(np.array([np.nan, np.nan]), 3)


def test_float32_sort_path_is_exact():
    """Values float32 holds exactly are sorted as float32; others (and -0.0) are not lost."""
    from infodiv.core._bins import _sorted

    rng = np.random.default_rng(1)
    exact = rng.integers(-(2**24), 2**24, 10_000).astype(float)
    exact[:3] = [-0.0, 0.0, 2.0**24]
    np.testing.assert_array_equal(_sorted(exact), np.sort(exact))
    inexact = exact + 0.1  # not float32 values: the float64 sort
    np.testing.assert_array_equal(_sorted(inexact), np.sort(inexact))
    big = exact.copy()
    big[5] = 2.0**24 + 1  # float32 rounds it: the float64 sort
    np.testing.assert_array_equal(_sorted(big), np.sort(big))
    huge = exact * 1e36  # beyond float32's range: no overflow warning, the float64 sort
    np.testing.assert_array_equal(_sorted(huge), np.sort(huge))
