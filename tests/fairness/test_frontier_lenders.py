"""FairnessFrontier.cutoff_metrics and .alternatives against independent computations."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.metrics import roc_auc_score

from infodiv.credit import Scorecard
from infodiv.exceptions import InvalidParameterError
from infodiv.fairness import AlternativesResult, FairnessFrontier
from tests.reference.contract import check_result_contract


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(5)
    n = 6000
    g = rng.integers(0, 2, n)
    proxy = g + rng.normal(0, 0.7, n)  # predictive, and a proxy of the group
    x1 = rng.normal(size=n)
    x2 = rng.normal(size=n)
    eta = -1.2 + 0.8 * x1 + 0.4 * x2 + 0.6 * proxy
    y = rng.binomial(1, 1 / (1 + np.exp(-eta)))
    X = pd.DataFrame({"x1": x1, "x2": x2, "proxy": proxy, "grp": np.where(g == 1, "b", "a")})
    return X, pd.Series(y, name="y")


@pytest.fixture(scope="module")
def ff(data):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return FairnessFrontier(protected="grp", n_points=3, max_features=3, random_state=0).fit(
            X, y
        )


def _held_out(ff, data):
    X, y = data
    idx = ff.validation_index_
    return X.iloc[idx], y.to_numpy()[idx]


def test_cutoff_metrics_match_hand_counts(ff, data):
    Xv, yv = _held_out(ff, data)
    cm = ff.cutoff_metrics(approval_rate=0.6, reference="a")
    assert set(cm.index.get_level_values("point")) == set(ff.frontier_.index)
    for k in ff.frontier_.index:
        sc = ff.points_[k].scorecard
        s = sc.score(Xv[list(sc.feature_names_in_)])
        row = cm.loc[(k, 0.6, "b")]
        c = row["cutoff"]
        # the cut-off approves at least 60% of the held-out rows, the next score up fewer
        assert (s >= c).mean() >= 0.6 > (s > c).mean()
        a, b = (Xv["grp"] == "a").to_numpy(), (Xv["grp"] == "b").to_numpy()
        pa, pb = (s[a] >= c).mean(), (s[b] >= c).mean()
        assert row["air"] == pytest.approx(pb / pa)
        good = yv == 0
        eo = (s[b & good] >= c).mean() - (s[a & good] >= c).mean()
        assert row["eo_difference"] == pytest.approx(eo)


def test_cutoff_metrics_on_given_rows_and_bad_input(ff, data):
    X, y = data
    sub = X.iloc[:2000]
    cm = ff.cutoff_metrics(sub, y.iloc[:2000], cutoff=[500.0, 530.0], reference="a")
    sc = ff.points_[0].scorecard
    s = sc.score(sub[list(sc.feature_names_in_)])
    a, b = (sub["grp"] == "a").to_numpy(), (sub["grp"] == "b").to_numpy()
    assert cm.loc[(0, 530.0, "b"), "air"] == pytest.approx(
        (s[b] >= 530).mean() / (s[a] >= 530).mean()
    )
    with pytest.raises(InvalidParameterError, match=r"point \d+: cutoff 5000.0 lies outside"):
        ff.cutoff_metrics(cutoff=5000.0)
    with pytest.raises(InvalidParameterError, match="reference must be one of the groups"):
        ff.cutoff_metrics(approval_rate=0.5, reference="zz")
    with pytest.raises(InvalidParameterError, match="y and sample_weight go with X"):
        ff.cutoff_metrics(y=y, approval_rate=0.5)
    with pytest.raises(InvalidParameterError, match="points must be rows"):
        ff.cutoff_metrics(approval_rate=0.5, points=[99])


def test_alternatives_against_sklearn_and_the_rule(ff, data):
    Xv, yv = _held_out(ff, data)
    res = ff.alternatives(approval_rate=0.6, reference="a")
    assert isinstance(res, AlternativesResult)
    check_result_contract(res)
    t = res.table
    base = ff.points_[0].scorecard
    b_lo = base.decision_function(Xv[list(base.feature_names_in_)])
    z1 = stats.norm.ppf(0.95)
    for k, row in t.iterrows():
        sc = ff.points_[k].scorecard
        lo = sc.decision_function(Xv[list(sc.feature_names_in_)])
        d = roc_auc_score(yv, lo) - roc_auc_score(yv, b_lo)
        assert row["estimate"] == pytest.approx(d, abs=1e-12)
        # retained exactly when the one-sided DeLong test does not find the AUC below
        assert bool(row["retained"]) == (row["estimate"] + z1 * row["se"] >= 0) or row["se"] == 0
        assert bool(row["retained"]) == (row["pvalue"] > 0.05)
    assert t.loc[0, "estimate"] == 0 and bool(t.loc[0, "retained"])
    # ranked: retained first, by AIR parity (higher first)
    kept = t[t["retained"].astype(bool)]
    assert list(kept["rank"]) == list(range(1, len(kept) + 1))
    assert (np.diff(kept["air_parity"].to_numpy()) <= 1e-12).all()
    assert t["rank"].isna().sum() == (~t["retained"].astype(bool)).sum()
    # air_parity is min(air, 1/air) of the group furthest from parity
    np.testing.assert_allclose(t["air_parity"], np.minimum(t["air"], 1 / t["air"]))
    assert "AlternativesResult(baseline point 0" in repr(res)


def test_alternatives_with_tolerance_is_non_inferiority(ff):
    res = ff.alternatives(approval_rate=0.6, tolerance=0.05)
    t = res.table
    z1 = stats.norm.ppf(0.95)
    lower = t["estimate"] - z1 * t["se"]
    np.testing.assert_allclose(t["auc_lower_bound"], lower)
    assert (t["retained"].astype(bool) == (lower >= -0.05)).all()
    assert "non-inferiority" in res.criterion


def test_alternatives_with_a_given_baseline_scorecard(ff, data):
    X, y = data
    tr, va = ff.train_index_, ff.validation_index_
    feats = ["x1", "x2", "proxy"]
    base = Scorecard(ci_method="wald", random_state=0).fit(X.iloc[tr][feats], y.iloc[tr])
    res = ff.alternatives(base, X.iloc[va], y.iloc[va], cutoff=520.0, reference="a")
    assert res.baseline["name"] == "the given scorecard"
    yv = y.to_numpy()[va]
    b_auc = roc_auc_score(yv, base.decision_function(X.iloc[va][feats]))
    assert res.baseline["auc"] == pytest.approx(b_auc)
    sc0 = ff.points_[0].scorecard
    d0 = roc_auc_score(yv, sc0.decision_function(X.iloc[va][list(sc0.feature_names_in_)]))
    assert res.table.loc[0, "estimate"] == pytest.approx(d0 - b_auc)
    # fairness IV recomputed on the given rows: finite, bound above the estimate's bias-corrected
    assert np.isfinite(res.table["fairness_upper_bound"]).all()
    with pytest.raises(InvalidParameterError, match="y is required with X"):
        ff.alternatives(base, X.iloc[va], cutoff=520.0)
    with pytest.raises(InvalidParameterError, match="baseline must be a fitted Scorecard"):
        ff.alternatives("model", approval_rate=0.5)
    with pytest.raises(InvalidParameterError, match="approval_rate must be a single value"):
        ff.alternatives(approval_rate=[0.5, 0.6])
    with pytest.raises(InvalidParameterError, match="tolerance must be a number"):
        ff.alternatives(approval_rate=0.5, tolerance=2.0)
    with pytest.raises(InvalidParameterError, match="X lacks the columns"):
        ff.alternatives(base, X.iloc[va].drop(columns="proxy"), y.iloc[va], cutoff=520.0)
