"""The merge's named bin statistics, its WoE p-values, and the binner's summary."""

import warnings

import numpy as np
import pandas as pd
import pytest

from infodiv.binning import StumpBinner
from infodiv.binning._merge import BinStats, _adjacent_pvalues, _count_table
from infodiv.core import SUMMARY_COLUMNS
from infodiv.credit import WoETable


def _stats(rng, k):
    n_bad, n_good = rng.integers(5, 60, k).astype(float), rng.integers(50, 400, k).astype(float)
    w_bad, w_good = n_bad * rng.uniform(0.5, 2, k), n_good * rng.uniform(0.5, 2, k)
    w2_bad, w2_good = w_bad**2 / n_bad * 1.2, w_good**2 / n_good * 1.1
    return BinStats(np.column_stack([n_bad, w_bad, w2_bad, n_good, w_good, w2_good]))


def test_bin_stats_names_the_six_columns_and_merges_keep_the_totals():
    st = _stats(np.random.default_rng(0), 5)
    t = st.table
    for j, name in enumerate(BinStats.COLUMNS):
        np.testing.assert_array_equal(getattr(st, name), t[:, j])
    np.testing.assert_array_equal(st.bad, t[:, 0:3])
    np.testing.assert_array_equal(st.good, t[:, 3:6])
    before, third = t.sum(axis=0), t[3].copy()
    merged = t[1] + t[2]
    st.merge(1)
    np.testing.assert_allclose(st.table.sum(axis=0), before)  # nothing lost or added
    np.testing.assert_array_equal(st.table[1], merged)
    np.testing.assert_array_equal(st.table[2], third)  # later bins shift up
    np.testing.assert_array_equal(st.table[-1], 0.0)
    assert len(st.head(3)) == 3 and st.head(3).table.base is not None  # a view
    assert len(st.stack(BinStats.zeros(2))) == 7


def test_adjacent_pvalues_equal_those_of_the_woe_table():
    # the WoE and its SE computed from the engine's p and q must be the WoE table's
    rng = np.random.default_rng(1)
    st, extra = _stats(rng, 6), _stats(rng, 2)
    labels = [f"b{i}" for i in range(8)]
    p = _adjacent_pvalues("f", st, extra, labels)
    t = WoETable.from_count_table(_count_table({"f": st.stack(extra)}, {"f": labels}), "f")
    woe = t.table["woe"].to_numpy()[:6]
    se = t.table["woe_se"].to_numpy()[:6]
    var = se[:-1] ** 2 + se[1:] ** 2 + 2.0 / t.iv.n1 + 2.0 / t.iv.n2
    from scipy import stats

    np.testing.assert_allclose(p, 2 * stats.norm.sf(np.abs(np.diff(woe)) / np.sqrt(var)))


def test_adjacent_pvalues_silence_only_the_zero_cell_note():
    rng = np.random.default_rng(2)
    st, extra = _stats(rng, 4), _stats(rng, 2)
    st.table[2, 0:3] = 0.0  # a bin without events: the engine smooths that cell and says so
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = _adjacent_pvalues("f", st, extra, [f"b{i}" for i in range(6)])
    assert p.shape == (3,) and np.all((p >= 0) & (p <= 1))


def test_summary_puts_the_iv_contract_columns_first():
    rng = np.random.default_rng(3)
    n = 4000
    X = pd.DataFrame({"x": rng.normal(size=n), "c": pd.Categorical(rng.choice(list("abc"), n))})
    y = (rng.random(n) < 1 / (1 + np.exp(-X["x"]))).astype(int)
    b = StumpBinner(random_state=0).fit(X, y)
    s = b.summary()
    lead = [c for c in SUMMARY_COLUMNS if c in s.columns]
    assert list(s.columns[: len(lead)]) == lead and lead[:4] == [
        "estimate",
        "se",
        "ci_low",
        "ci_high",
    ]
    assert list(s.index) == ["x", "c"]
    for f in ("x", "c"):
        iv = b.woe_tables_[f].iv
        assert s.loc[f, "estimate"] == iv.estimate and s.loc[f, "se"] == iv.se
        assert s.loc[f, "pvalue"] == iv.pvalue
        assert s.loc[f, "n_regular_bins"] == b.bins_[f].n_regular
    assert s.loc["x", "kind"] == "numeric" and s.loc["c", "kind"] == "categorical"
    assert s.loc["x", "trend"] == "increasing"
    with pytest.raises(Exception, match="not fitted"):
        StumpBinner().summary()
