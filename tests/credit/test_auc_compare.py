"""DeLong AUC and the three-encoding comparison."""

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import roc_auc_score

from infodiv.core import ConfidenceInterval
from infodiv.credit._compare import compare_encodings
from infodiv.credit._metrics import auc, auc_difference, calibration_summary, ks_statistic
from infodiv.datasets import load_simucredit_v2
from tests.reference.contract import check_result_contract


def _delong_brute(y, s):
    """DeLong variance from the O(m n) kernel psi(x, z) = 1{x > z} + 1/2 1{x = z}."""
    pos, neg = s[y == 1], s[y == 0]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    return psi.mean(), v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg)


def test_auc_and_delong_se_match_the_brute_force_kernel():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    s = np.round(y * 0.8 + rng.normal(size=300), 1)  # ties on purpose
    r = auc(y, s)
    est, var = _delong_brute(y, s)
    assert r.estimate == pytest.approx(est, rel=1e-12)
    assert r.estimate == pytest.approx(roc_auc_score(y, s), rel=1e-12)
    assert r.se == pytest.approx(np.sqrt(var), rel=1e-10)


def test_paired_difference_matches_the_brute_force_covariance():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 250)
    a = y + rng.normal(size=250)
    b = 0.5 * y + rng.normal(size=250) + 0.3 * a
    d = auc_difference(y, a, b)
    pos, neg = y == 1, y == 0

    def comps(s):
        psi = (s[pos][:, None] > s[neg][None, :]) + 0.5 * (s[pos][:, None] == s[neg][None, :])
        return psi.mean(axis=1), psi.mean(axis=0)

    (a10, a01), (b10, b01) = comps(a), comps(b)
    var = np.var(a10 - b10, ddof=1) / pos.sum() + np.var(a01 - b01, ddof=1) / neg.sum()
    assert d.estimate == pytest.approx(roc_auc_score(y, a) - roc_auc_score(y, b), rel=1e-12)
    assert d.se == pytest.approx(np.sqrt(var), rel=1e-10)


def test_delong_interval_covers_the_true_auc():
    # binormal model: AUC = Phi(delta / sqrt(2)) exactly
    rng = np.random.default_rng(2)
    delta = 1.0
    true = stats.norm.cdf(delta / np.sqrt(2))
    hits = 0
    reps = 300
    for _ in range(reps):
        y = (rng.random(200) < 0.3).astype(int)
        s = rng.normal(size=200) + delta * y
        lo, hi = auc(y, s).conf_int()
        hits += lo <= true <= hi
    assert abs(hits / reps - 0.95) < 0.035


def test_ks_and_calibration_summary():
    rng = np.random.default_rng(3)
    p = rng.uniform(0.05, 0.95, 20_000)
    y = (rng.random(p.size) < p).astype(int)
    assert ks_statistic(y, p) == pytest.approx(stats.ks_2samp(p[y == 1], p[y == 0]).statistic)
    cal = calibration_summary(y, p)
    assert abs(cal.slope - 1) < 0.06 and abs(cal.intercept) < 0.04 and cal.ece < 0.015
    over = calibration_summary(y, 1 / (1 + np.exp(-2 * np.log(p / (1 - p)))))  # overconfident
    assert over.slope == pytest.approx(0.5, abs=0.04)


def test_simucredit_loader():
    df = load_simucredit_v2()
    assert df.shape == (20_000, 10)
    assert df["Status"].mean() == pytest.approx(0.5516, abs=1e-4)


def test_compare_encodings_runs_on_a_split():
    df = load_simucredit_v2().sample(6000, random_state=0)
    X = df.drop(columns=["Status", "Gender", "Race"])
    y = df["Status"].to_numpy()
    res = compare_encodings(X.iloc[:4000], y[:4000], X.iloc[4000:], y[4000:], n_estimators=10)
    t = res.table
    assert list(t.index) == ["one-hot bins + LR", "WoE + LR", "depth-1 XGBoost"]
    assert ((t["auc_ci_low"] < t["auc"]) & (t["auc"] < t["auc_ci_high"])).all()
    assert (t["auc"] > 0.7).all() and (t["brier"] < 0.25).all()
    # each row's AUC is the AUC of its stored holdout predictions
    for name, p in res.predictions.items():
        assert t.loc[name, "auc"] == pytest.approx(roc_auc_score(y[4000:], p))
    assert isinstance(repr(res), str) and isinstance(res.conf_int(0.1), ConfidenceInterval)
    check_result_contract(res)
    summ = res.summary()
    assert (summ["estimate"] == t["auc"]).all() and (summ["ci_low"] == t["auc_ci_low"]).all()
    assert (res.conf_int(0.1).low > t["auc_ci_low"]).all()  # 90% inside the 95% interval
