"""Issue 15, item 7: the AUC interval with few events.

References are independent of the code under test: the DeLong variance from the pairwise kernel
matrix (no ranks), the delta method by hand, a naive bootstrap by index resampling.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from infodiv.credit import auc
from infodiv.credit._metrics import AUC_BOOTSTRAP_BELOW, _bootstrap_aucs


def _kernel(pos, neg):
    return (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])


def _sample(rng, m, n, A):
    d = np.sqrt(2.0) * stats.norm.ppf(A)
    s = np.r_[rng.normal(d, 1.0, m), rng.normal(0.0, 1.0, n)]
    return np.r_[np.ones(m, int), np.zeros(n, int)], s


def test_delong_logit_interval_by_hand():
    rng = np.random.default_rng(0)
    y, s = _sample(rng, 40, 400, 0.9)
    s = np.round(s, 1)  # ties
    r = auc(y, s, ci_method="delong-logit")
    C = _kernel(s[y == 1], s[y == 0])
    A = C.mean()
    var = C.mean(1).var(ddof=1) / 40 + C.mean(0).var(ddof=1) / 400
    assert r.estimate == pytest.approx(A, rel=1e-12)
    assert r.se == pytest.approx(np.sqrt(var), rel=1e-10)
    half = 1.959963984540054 * np.sqrt(var) / (A * (1 - A))
    L = np.log(A / (1 - A))
    lo, hi = 1 / (1 + np.exp(-(L - half))), 1 / (1 + np.exp(-(L + half)))
    assert tuple(r.conf_int()) == pytest.approx((lo, hi), rel=1e-10)
    assert r.summary().loc["auc", "ci_method"] == "delong-logit"


def test_bootstrap_aucs_match_a_naive_bootstrap():
    rng = np.random.default_rng(1)
    pos = np.round(rng.normal(1.5, 1.0, 30), 1)
    neg = np.round(rng.normal(0.0, 1.0, 300), 1)
    fast = _bootstrap_aucs(pos, neg, 4000, 2)
    naive = np.empty(4000)
    for b in range(4000):
        p = pos[rng.integers(0, pos.size, pos.size)]
        q = neg[rng.integers(0, neg.size, neg.size)]
        naive[b] = _kernel(p, q).mean()
    # same law: means and SDs agree within a few Monte-Carlo SEs
    sd = naive.std()
    assert fast.mean() == pytest.approx(naive.mean(), abs=4 * sd / np.sqrt(2000))
    assert fast.std() == pytest.approx(sd, rel=0.08)
    assert np.quantile(fast, 0.05) == pytest.approx(np.quantile(naive, 0.05), abs=0.3 * sd)


def test_hull_is_both_intervals_by_hand():
    rng = np.random.default_rng(3)
    y, s = _sample(rng, 40, 400, 0.95)
    r = auc(y, s)
    assert r.ci_method == "hull" and 40 < AUC_BOOTSTRAP_BELOW
    eps = 0.5 / (40 * 400)
    A = min(max(r.estimate, eps), 1 - eps)
    L = np.log(A / (1 - A))
    q_lo, q_hi = np.quantile(r.boot_logits, [0.025, 0.975])
    b_lo, b_hi = 1 / (1 + np.exp(-(2 * L - q_hi))), 1 / (1 + np.exp(-(2 * L - q_lo)))
    d_lo, d_hi = r.conf_int(method="delong-logit")
    assert tuple(r.conf_int(method="bootstrap-logit")) == pytest.approx((b_lo, b_hi), rel=1e-12)
    assert tuple(r.conf_int()) == pytest.approx((min(b_lo, d_lo), max(b_hi, d_hi)), rel=1e-12)
    assert r.summary().loc["auc", "ci_method"] == "hull"
    # reproducible (seeded), and many events keep the DeLong interval
    assert tuple(auc(y, s).conf_int()) == tuple(r.conf_int())
    y2, s2 = _sample(rng, 200, 2000, 0.9)
    assert auc(y2, s2).ci_method == "delong-logit"


def test_few_events_coverage_at_high_auc():
    """40 events, AUC 0.95: the DeLong logit interval misses the truth mostly by its lower
    bound (5-9% of samples); the default interval's lower misses stay near 2.5%."""
    rng = np.random.default_rng(4)
    reps, A = 100, 0.95
    low_miss_new = low_miss_old = cover = 0
    for _ in range(reps):
        y, s = _sample(rng, 40, 400, A)
        r = auc(y, s, n_resamples=300)
        lo, hi = r.conf_int()
        cover += lo <= A <= hi
        low_miss_new += A < lo
        low_miss_old += A < r.conf_int(method="delong-logit")[0]
    # binomial MC tolerance (100 reps): coverage SD ~0.022, lower misses ~3 +- 1.7
    assert cover / reps >= 0.88
    assert low_miss_new <= 7
    assert low_miss_new <= low_miss_old


def test_few_rows_say_so():
    rng = np.random.default_rng(5)
    y, s = _sample(rng, 20, 200, 0.9)
    r = auc(y, s)
    assert "20 rows in the smaller class" in r.ci_note
    assert "note:" in repr(r)
    y, s = _sample(rng, 60, 600, 0.9)
    assert auc(y, s).ci_note == ""
