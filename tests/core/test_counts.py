"""The public seams of CountTable against independent re-counts of the rows.

Each method is checked against a table counted afresh from the rows it describes (the subset of
rows, the renamed key, the stacked samples). They replaced private helpers of the binner, PSI and
fairness modules; before the callers switched, each was also checked equal to its helper bit for
bit (the callers' own tests now hold their numbers).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from infodiv.core import STATS, CountTable, FeatureBins, divergence

BINS = {
    "x": FeatureBins("x", edges=(-0.5, 0.0, 0.7), special_values=(99.0,)),
    "c": FeatureBins("c", categories=(("a",), ("b", "c"), ("d",))),
}
GROUPS = ["g0", "g1", "g2", "g3", "g4"]


def _rows(seed=0, n=3000):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    x[rng.random(n) < 0.05] = np.nan
    x[rng.random(n) < 0.03] = 99.0
    X = pd.DataFrame({"x": x, "c": rng.choice(list("abcd"), size=n)})
    y = (rng.random(n) < 0.3).astype(int)
    g = rng.choice(GROUPS, size=n, p=[0.4, 0.25, 0.15, 0.12, 0.08])
    w = rng.gamma(2.0, 0.7, size=n)  # weights that are not integers: sums round
    return X, y, g, w


def _table(X, y, g, w):
    return CountTable.from_frame(X, BINS, by={"class": y, "group": g}, sample_weight=w)


def _identical(a: CountTable, b: CountTable) -> None:
    """Same keys, key rows (in order), labels and bit-identical arrays."""
    assert a.keys == b.keys and a.labels == b.labels
    pd.testing.assert_frame_equal(a.key_frame, b.key_frame)
    assert set(a.arrays) == set(b.arrays)
    for f in a.arrays:
        assert np.array_equal(a.arrays[f], b.arrays[f]), f


# ------------------------------------------------------------------ from_arrays
def test_from_arrays_equals_counting_the_rows():
    X, y, _, w = _rows()
    expected = CountTable.from_frame(X, BINS, by={"class": y}, sample_weight=w)
    arrays = {}
    for f, b in BINS.items():
        codes = b.codes(X[f])
        arr = np.zeros((len(b.labels), 2, 3))
        for c in (0, 1):  # an independent count: plain sums over the rows of each cell
            for j in range(len(b.labels)):
                rows = (codes == j) & (y == c)
                arr[j, c] = [rows.sum(), w[rows].sum(), (w[rows] ** 2).sum()]
        arrays[f] = arr
    labels = {f: b.labels for f, b in BINS.items()}
    t = CountTable.from_arrays(arrays, labels, {"class": [0, 1]})
    assert t == expected
    # key rows given in another order: the arrays follow, the table is the same
    flipped = {f: a[:, ::-1, :] for f, a in arrays.items()}
    assert CountTable.from_arrays(flipped, labels, {"class": [1, 0]}) == expected
    assert CountTable.from_arrays(flipped, labels, {"class": [1, 0]}).key_values("class") == [0, 1]


@pytest.mark.parametrize(
    "arrays,key_values,match",
    [
        ({"x": np.ones((2, 2, 3))}, {"class": [0, 1]}, "shape"),
        ({"x": -np.ones((3, 2, 3))}, {"class": [0, 1]}, "non-negative"),
        ({"x": np.ones((3, 2, 3))}, {"class": [0, 0]}, "repeated"),
        ({"x": np.ones((3, 2, 3))}, {"class": [0, None]}, "missing"),
        ({"x": np.ones((3, 2, 3))}, {}, "at least one key"),
        ({"y": np.ones((3, 2, 3))}, {"class": [0, 1]}, "no entry for feature 'y'"),
    ],
)
def test_from_arrays_rejects_bad_input(arrays, key_values, match):
    with pytest.raises(ValueError, match=match):
        CountTable.from_arrays(arrays, {"x": ["a", "b", "c"]}, key_values)


# ------------------------------------------------------------------ subset
def test_subset_equals_counting_the_rows_of_the_group():
    X, y, g, w = _rows()
    t = _table(X, y, g, w)
    for grp in GROUPS:
        rows = g == grp
        s = t.subset(group=grp)
        expected = CountTable.from_frame(
            X[rows].reset_index(drop=True), BINS, by={"class": y[rows]}, sample_weight=w[rows]
        )
        assert s.keys == ("class",)
        _identical(s, expected)  # the same rows summed in the same order: bit for bit


def test_subset_errors():
    X, y, g, w = _rows()
    t = _table(X, y, g, w)
    with pytest.raises(ValueError, match="remove every key"):
        t.subset(group="g1", **{"class": 1})
    with pytest.raises(ValueError, match="key must be one of"):
        t.subset(region="north")
    with pytest.raises(ValueError, match="no key row"):
        t.subset(group="nobody")


# ------------------------------------------------------------------ regroup
def test_regroup_equals_counting_with_the_renamed_key():
    X, y, g, w = _rows()
    t = _table(X, y, g, w)
    mapping = {grp: ("rest" if grp != "g1" else grp) for grp in GROUPS}
    r = t.regroup("group", mapping)
    renamed = np.array([mapping[v] for v in g], dtype=object)
    expected = _table(X, y, renamed, w)
    assert r.key_values("group") == ["g1", "rest"]
    assert r == expected  # weighted sums added in another order: equal to rtol 1e-12
    for f in r.arrays:  # counts are integers: exact
        assert np.array_equal(r.arrays[f][..., 0], expected.arrays[f][..., 0])
    # values not in the mapping keep their name; an identity mapping changes nothing
    _identical(t.regroup("group", {}), t)


# ------------------------------------------------------------------ stack
def test_stack_equals_counting_the_stacked_rows():
    X, y, g, w = _rows()
    month = np.where(np.arange(len(y)) < 1800, 1, 2)
    t = CountTable.from_frame(X, BINS, by={"month": month, "class": y}, sample_weight=w)
    s = CountTable.stack(
        {"expected": t, "actual": t}, where={"expected": {"month": 1}, "actual": {"month": 2}}
    )
    sample = np.where(month == 1, "expected", "actual")
    expected = CountTable.from_frame(X, BINS, by={"sample": sample}, sample_weight=w)
    assert s.keys == ("sample",) and s.key_values("sample") == ["actual", "expected"]
    assert s == expected
    # the PSI computed from the stacked table is the divergence of the two samples' sums
    res = s.divergence("x", "sample", "actual", "expected")
    a, e = t.stats("x", month=2), t.stats("x", month=1)
    ref = divergence(a[:, 1], e[:, 1], p_sumsq=a[:, 2].sum(), q_sumsq=e[:, 2].sum())
    assert res.estimate == ref.estimate and res.se == ref.se


def test_stack_errors_name_the_table():
    X, y, g, w = _rows()
    t = _table(X, y, g, w)
    other = CountTable.from_frame(X, {"x": FeatureBins("x", edges=(0.0,))}, by={"class": y})
    with pytest.raises(ValueError, match="'c' is not in the actual count table"):
        CountTable.stack({"expected": t, "actual": other}, features=["c"])
    with pytest.raises(ValueError, match="different bins in the expected and actual tables"):
        CountTable.stack({"expected": t, "actual": other}, features=["x"])
    with pytest.raises(ValueError, match="at least one"):
        CountTable.stack({})


# ------------------------------------------------------------------ cell_arrays
def test_cell_arrays_equal_the_selected_cells():
    X, y, g, w = _rows()
    t = _table(X, y, g, w)
    levels = {"group": [*GROUPS, "absent"], "class": [0, 1]}
    arrays = t.cell_arrays(levels, stats=("sum_w", "sum_w2"))
    for f in t.features:
        arr = arrays[f]
        assert arr.shape == (len(t.labels[f]), len(GROUPS) + 1, 2, 2)
        for i, grp in enumerate(GROUPS):
            for c in (0, 1):
                cell = t.select(f, group=grp, **{"class": c})
                assert np.array_equal(arr[:, i, c, :], cell[["sum_w", "sum_w2"]].to_numpy())
        assert not arr[:, -1].any()  # a level with no rows: zeros
        with pytest.raises(ValueError, match="read-only"):
            arr[0, 0, 0, 0] = 1.0
    # keys not named are summed over; no levels at all: the whole feature
    by_class = t.cell_arrays({"class": [0, 1]})["x"]
    assert np.allclose(by_class[:, 1, :], t.stats("x", **{"class": 1}), rtol=1e-13, atol=0)
    everything = t.cell_arrays({})["x"]
    assert everything.shape == (len(t.labels["x"]), len(STATS))
    assert np.allclose(everything, t.stats("x"), rtol=1e-13, atol=0)
    with pytest.raises(ValueError, match="outside the given levels"):
        t.cell_arrays({"group": GROUPS[:2]})


# ------------------------------------------------------------------ per-feature summary
def test_divergence_summary_rows_are_the_results_with_contract_columns_first():
    t = _table(*_rows())
    table, results = t.divergence_summary("class", 1, 0, value_name="iv")
    assert list(table.columns) == [
        *["iv", "se", "ci_low", "ci_high", "statistic", "df", "pvalue"],
        *["ci_method", "bias_corrected", "n_bins", "smoothed_cells"],
    ]
    assert table.index.name == "feature"
    assert list(table["iv"]) == sorted(table["iv"], reverse=True)
    for f in t.features:  # each row is the engine's result on the table's vectors
        res = t.divergence(f, "class", 1, 0)
        row = table.loc[f]
        lo, hi = res.conf_int()
        assert (row["iv"], row["se"], row["ci_low"], row["ci_high"]) == (
            res.estimate,
            res.se,
            lo,
            hi,
        )
        assert row["pvalue"] == res.pvalue and row["n_bins"] == res.df + 1
        assert row["ci_method"] == res.ci_method_used
        assert results[f].estimate == res.estimate
