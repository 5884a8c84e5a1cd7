"""AUC with DeLong SE: checked against scikit-learn, the O(n^2) definition and simulation."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from infodiv.credit._metrics import auc


def _pairwise_auc(y, s):
    bad, good = s[y == 1], s[y == 0]
    diff = bad[:, None] - good[None, :]
    return (diff > 0).mean() + 0.5 * (diff == 0).mean()


def _delong_bruteforce(y, s):
    """DeLong's variance from the pairwise kernel, written out (O(n^2))."""
    bad, good = s[y == 1], s[y == 0]
    psi = (bad[:, None] > good[None, :]) + 0.5 * (bad[:, None] == good[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    return np.sqrt(v10.var(ddof=1) / bad.size + v01.var(ddof=1) / good.size)


@pytest.mark.parametrize("ties", [False, True])
def test_auc_and_se_match_definitions(ties):
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 600)
    s = y * 0.8 + rng.normal(size=600)
    if ties:
        s = np.round(s, 1)
    r = auc(y, s)
    assert r.estimate == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    assert r.estimate == pytest.approx(_pairwise_auc(y, s), abs=1e-12)
    assert r.se == pytest.approx(_delong_bruteforce(y, s), rel=1e-10)
    lo, hi = r.conf_int()
    assert 0 < lo < r.estimate < hi < 1
    assert r.summary().loc["auc", "n_events"] == int(y.sum())


def test_delong_se_matches_simulated_spread():
    rng = np.random.default_rng(7)
    est, ses, cover = [], [], 0
    true_auc = 0.7602499389  # Phi(1 / sqrt(2)) for N(1, 1) vs N(0, 1)
    for _ in range(400):
        y = np.r_[np.ones(150, int), np.zeros(250, int)]
        s = np.r_[rng.normal(1, 1, 150), rng.normal(0, 1, 250)]
        r = auc(y, s, ci_method="delong-logit")  # the DeLong SE and its interval
        est.append(r.estimate)
        ses.append(r.se)
        lo, hi = r.conf_int()
        cover += lo <= true_auc <= hi
    assert np.mean(ses) == pytest.approx(np.std(est, ddof=1), rel=0.12)
    assert 0.92 <= cover / 400 <= 0.98


def test_auc_bad_input():
    with pytest.raises(ValueError, match="score contains NaN or inf"):  # names the argument
        auc([0, 1, 0], [0.1, np.nan, 0.3])
    with pytest.raises(ValueError, match="single class"):
        auc([1, 1, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="length mismatch"):
        auc([0, 1, 0], [0.1, 0.2])
