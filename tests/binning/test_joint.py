"""The joint strategy (one xgboost model on all columns): round budget and its xgboost input."""

import numpy as np
import pandas as pd
import pytest

from infodiv.binning import StumpBinner
from infodiv.core import CountTable


def _informative(n=20_000, p_info=20, p_noise=20, seed=0):
    """``p_info`` columns with a linear effect on the log-odds each, then ``p_noise`` noise."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({f"x{j:02d}": rng.normal(size=n) for j in range(p_info + p_noise)})
    eta = -1.0 + sum(0.35 * X[f"x{j:02d}"] for j in range(p_info))
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    return X, y


def test_auto_rounds_of_the_joint_model_are_fifty_per_feature_within_the_work_budget():
    # the rule by hand: min(50 F, max(10 F, 5e8 // (rows F))), at least 50
    X, y = _informative(n=2000, p_info=3, p_noise=2)
    b = StumpBinner(strategy="joint").fit(X, y)
    assert b._rounds(2000) == 250  # 5 columns: 50 each (2000 * 5 * 250 = 2.5e6 <= 5e8)
    assert b._rounds() == 50  # no row count (the device probe): 10 per feature, at least 50
    assert b._rounds(10**9) == 50  # beyond the budget: the floor
    X, y = _informative(n=2000, p_info=4, p_noise=4)
    X = pd.concat([X, X.add_suffix("_b")], axis=1)  # 16 columns
    assert StumpBinner(strategy="joint").fit(X, y)._rounds(2000) == 800
    assert StumpBinner().fit(X, y)._rounds(2000) == 50  # per feature: 50 rounds per model
    assert StumpBinner(strategy="joint", n_estimators=7).fit(X, y)._rounds(2000) == 7
    X50 = pd.DataFrame(np.zeros((4, 50)), columns=[f"c{j}" for j in range(50)])
    b = StumpBinner(strategy="joint")
    b.features_ = list(X50.columns)
    assert b._rounds(700) == 2500  # German-sized: 50 per feature
    assert b._rounds(400_000) == 500  # 25 by the budget, raised to 10 per feature
    assert b._rounds(100_000) == 500  # 100 by the budget: still the floor
    assert b._rounds(5_000) == 2000  # 5e8 // (5,000 * 50) = 2000, between 500 and 2500
    # the benchmark's 1,000,000 x 50 table (800,000 training rows) keeps its 500 rounds
    assert b._rounds(800_000) == 500


def test_joint_default_bins_every_informative_feature_finely():
    # 20 equally informative linear effects: each needs several bins. 50 rounds shared by 40
    # columns (the former default) leave every informative column two or three thresholds;
    # the default budget (here 625 rounds: 5e8 // (20,000 rows x 40 columns)) gives each at
    # least six bins, as fine as the per-feature binning (its own 50 rounds per column).
    X, y = _informative()
    info = [f"x{j:02d}" for j in range(20)]
    old = StumpBinner(strategy="joint", n_estimators=50, random_state=0).fit(X, y)
    new = StumpBinner(strategy="joint", random_state=0).fit(X, y)
    n_old = np.array([old.bins_[f].n_regular for f in info])
    n_new = np.array([new.bins_[f].n_regular for f in info])
    assert (n_old <= 4).all()  # the regression the default fixes
    assert (n_new >= 6).all(), dict(zip(info, n_new, strict=True))
    per = StumpBinner(random_state=0).fit(X[info], y)
    assert (np.array([per.bins_[f].n_regular for f in info]) >= 6).all()


def _weak_step(step, seed, n=10_000, p_strong=9):
    """``p_strong`` strong linear effects and a column ``s`` ~ U(-1, 1) whose only effect is a
    ``step`` in the log-odds at ``s = 0``."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({f"x{j}": rng.normal(size=n) for j in range(p_strong)})
    X["s"] = rng.uniform(-1, 1, n)
    eta = -0.5 + X.iloc[:, :p_strong].sum(axis=1) + step * (X["s"] >= 0)
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    return X, y


def _iv_by_hand(y, groups):
    """IV of the bins ``groups`` (integer labels) from the event and non-event counts."""
    iv = 0.0
    for g in np.unique(groups):
        b = np.mean(groups[y == 1] == g)  # share of the events in bin g
        good = np.mean(groups[y == 0] == g)
        iv += (b - good) * np.log(b / good)
    return iv


@pytest.mark.parametrize(("step", "seed"), [(0.4, 1), (0.4, 3), (0.3, 4)])
def test_joint_default_finds_the_step_of_a_weak_feature_among_strong_ones(step, seed):
    # Issue 16 (German credit): with 10 rounds per feature the joint model spends its rounds
    # on the strong columns (each revisited many times under learning_rate=0.3) and never
    # splits a weak one that the per-feature binning cuts. Here the former default (100
    # rounds on 10 columns) leaves ``s`` a single bin; the default now (500 rounds: 50 per
    # column, 10,000 x 10 x 500 within the work budget) puts an edge near its true step at 0,
    # as the per-feature binning does. Checked against the step itself: the edge is within
    # 0.15 of 0, and the bins' IV is at least 80% of the IV of the true split {s < 0, s >= 0}
    # computed by hand from the counts (a real marginal effect: its G-test gives p < 1e-4).
    X, y = _weak_step(step, seed)
    truth = (X["s"].to_numpy() >= 0).astype(int)
    iv_true = _iv_by_hand(y, truth)
    n1, n = np.array([y[truth == k].sum() for k in (0, 1)]), np.bincount(truth)
    p_all = y.mean()
    g_stat = 2 * sum(
        n1[k] * np.log(n1[k] / (n[k] * p_all))
        + (n[k] - n1[k]) * np.log((n[k] - n1[k]) / (n[k] * (1 - p_all)))
        for k in (0, 1)
    )
    assert g_stat > 15.1  # chi2(1) 0.9999 quantile
    old = StumpBinner(strategy="joint", n_estimators=100, random_state=0).fit(X, y)
    assert old.bins_["s"].n_regular == 1  # the regression: no edge at all
    new = StumpBinner(strategy="joint", random_state=0).fit(X, y)
    edges = np.asarray(new.bins_["s"].edges, dtype=float)
    assert edges.size >= 1 and np.min(np.abs(edges)) < 0.15, edges
    groups = np.searchsorted(edges, X["s"].to_numpy(), side="right")
    assert new.woe_tables_["s"].iv.estimate == pytest.approx(_iv_by_hand(y, groups), rel=1e-9)
    assert new.woe_tables_["s"].iv.estimate >= 0.8 * iv_true
    per = StumpBinner(random_state=0).fit(X, y)
    assert np.min(np.abs(np.asarray(per.bins_["s"].edges, dtype=float))) < 0.15
    assert new._rounds(len(y)) == 500


@pytest.fixture(scope="module")
def mixed():
    rng = np.random.default_rng(3)
    n = 6000
    X = pd.DataFrame({f"x{j}": rng.normal(size=n) * 10**j for j in range(4)})
    X["big"] = 1e8 + rng.integers(0, 40, n)  # neighbours merge in float32: cells keep them
    X.loc[rng.random(n) < 0.05, "x1"] = np.nan
    eta = X["x0"] - 0.3 * X["x1"].fillna(0) / 10 + 0.5 * (X["x2"] / 100) ** 2
    eta = eta + 0.6 * (X["big"] - 1e8 > 20)
    y = (rng.random(n) < 1 / (1 + np.exp(1 - eta))).astype(int)
    w = rng.exponential(size=n)
    return X, y, w


@pytest.mark.parametrize("weighted", [False, True])
def test_joint_counts_equal_a_recount_of_the_rows(mixed, weighted):
    # the joint fit sums the cells (its edges are cell values), not the rows: the final
    # counts must equal the rows counted in the final bins
    X, y, w = mixed
    w = w if weighted else None
    b = StumpBinner(strategy="joint", n_estimators=200, random_state=0).fit(X, y, sample_weight=w)
    recount = CountTable.from_frame(X, b.bins_, by={"class": y}, sample_weight=w)
    for f in X:
        got = np.asarray(b.counts_.cell_arrays({"class": [0, 1]})[f])
        want = np.asarray(recount.cell_arrays({"class": [0, 1]})[f])
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-9)


@pytest.mark.parametrize(("seed", "zeros"), [(0, False), (1, False), (2, True)])
def test_joint_splits_are_those_of_xgboost_on_the_cell_indices(mixed, seed, zeros):
    # independent construction of the xgboost input: each value's cell index among the cells
    # of fit (the cells _cell_table reports), sketched by a plain DMatrix (the binner gives
    # xgboost the cuts instead), trained with xgboost.train, splits read with
    # trees_to_dataframe and mapped back to the first value of the cell on their right
    import xgboost as xgb

    X, y, w = mixed
    if zeros:  # rows of weight 0, and cells of x3 holding only such rows
        w = np.where((np.random.default_rng(seed).random(len(w)) < 0.2) | (X["x3"] > 500), 0, w)
    rounds = 120
    est = StumpBinner(strategy="joint", n_estimators=rounds, random_state=seed)
    b = est.fit(X, y, sample_weight=w)
    cells, _ = StumpBinner(strategy="joint", random_state=seed)._cell_table(X, y, w)
    Z = np.column_stack(
        [
            np.where(
                X[f].isna(), np.nan, np.searchsorted(np.asarray(cells[f].edges), X[f], "right")
            )
            for f in X
        ]
    )
    wx = (w / w.max()) / np.mean(w / w.max())
    n_cells = max(67, *(len(cells[f].edges) + 1 for f in X))
    params = {
        "objective": "binary:logistic",
        "max_depth": 1,
        "eta": 0.3,
        "tree_method": "hist",
        "max_bin": n_cells,
        "nthread": 1,
        "seed": int(np.random.RandomState(seed).randint(np.iinfo(np.int32).max)),
        "lambda": 0.0,
        "min_child_weight": 1e-9,
    }
    bst = xgb.train(params, xgb.DMatrix(Z, label=y, weight=wx), num_boost_round=rounds)
    trees = bst.trees_to_dataframe()
    roots = trees[(trees["Node"] == 0) & (trees["Feature"] != "Leaf")]
    for j, f in enumerate(X):
        r = roots[roots["Feature"] == f"f{j}"]
        edges = np.asarray(cells[f].edges)
        # code < k goes left: the edge is where cell k starts, edges[k - 1]
        k = np.ceil(r["Split"].to_numpy()).astype(int)
        want = pd.Series(r["Gain"].to_numpy(), index=edges[k - 1]).groupby(level=0).sum()
        got = b.splits_[b.splits_["feature"] == f].set_index("split")["gain"]
        np.testing.assert_array_equal(got.index.to_numpy(), want.index.to_numpy())
        np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-5)


def test_joint_cuda_request_reports_the_device_and_keeps_the_bins(mixed):
    # without a usable GPU xgboost trains on the CPU: the binner says so (and the bins are the
    # CPU's); with one, the device is read from the booster and the bins are still the CPU's
    import warnings

    from infodiv.exceptions import DeviceFallbackWarning

    X, y, w = mixed
    cpu = StumpBinner(strategy="joint", n_estimators=60, random_state=0).fit(X, y, sample_weight=w)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        gpu = StumpBinner(strategy="joint", n_estimators=60, random_state=0, device="cuda").fit(
            X, y, sample_weight=w
        )
    fell_back = [r for r in rec if issubclass(r.category, DeviceFallbackWarning)]
    assert bool(fell_back) == (not gpu.device_.startswith("cuda"))
    for f in X:
        assert gpu.bins_[f] == cpu.bins_[f], f
