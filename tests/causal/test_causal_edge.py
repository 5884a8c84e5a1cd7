"""Endpoint intervals at the support edge (issue 15, item 9).

* a fixed-seed Monte-Carlo run on a covariate-free binary design whose Hellinger upper bound of
  ``E[Y(1)]`` sits within a fraction of an SE of the edge: the former Wald interval misses
  (the estimate lands on the edge with SE 0 in a quarter of the samples), the boundary-aware one
  covers; the truth is an independent Bernoulli search (``tests/reference/causal.py``);
* far from the edge the endpoint interval is exactly ``estimate -/+ z se`` (written out here);
* near the edge it is the projected one-sided interval, checked against hand computations;
* the least inward reach is the exact one-sided binomial limit for zero events, checked
  against the Beta quantile (Clopper–Pearson) independently of the closed form;
* ``summary()`` reports both kinds of interval with their method.
"""

import warnings

import numpy as np
import pytest
from scipy import stats

from infodiv.causal import QUANTITIES, CausalBounds, DivergenceBounds, f_radius
from tests.reference.causal import bernoulli_upper


def _bounds(lower, upper, se_lower, se_upper, n=2000, alpha=0.05):
    return CausalBounds(
        method="f-divergence",
        divergence="hellinger",
        radius="propensity",
        support=(0.0, 1.0),
        alpha=alpha,
        n=n,
        lower=np.asarray(lower, float),
        upper=np.asarray(upper, float),
        se_lower=np.asarray(se_lower, float),
        se_upper=np.asarray(se_upper, float),
    )


def test_edge_design_without_covariates_covers():
    """Hellinger, Bernoulli outcome, e_1 = 0.4, P(Y=1 | A=1) = 0.36: truth 0.9983, edge 1."""
    share, p1, n, reps = 0.4, 0.36, 500, 60
    truth = bernoulli_upper("hellinger", p1, float(f_radius(share, "hellinger")))
    assert 0.99 < truth < 1.0
    z = stats.norm.ppf(0.975)
    rng = np.random.default_rng(2026)
    old = new = 0
    for _ in range(reps):
        A = rng.binomial(1, share, n)
        Y = rng.binomial(1, np.where(A == 1, p1, 0.3)).astype(float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = DivergenceBounds("hellinger", support=(0, 1)).fit(None, A, Y).result_
        est, se = res.upper[1], res.se_upper[1]
        old += np.clip(est - z * se, 0, 1) <= truth <= np.clip(est + z * se, 0, 1)
        ci = res.conf_int(interval="endpoint")
        new += ci.low["E[Y(1)]", "upper"] <= truth <= ci.high["E[Y(1)]", "upper"]
    mc_se = np.sqrt(0.95 * 0.05 / reps)  # 0.028
    # recorded at 300 repetitions: Wald 0.74, boundary-aware 1.00
    assert new / reps >= 0.95 - 2 * mc_se, new / reps
    assert old / reps <= 0.95 - 2 * mc_se, old / reps  # the former interval fails here


def test_far_from_the_edge_the_endpoint_interval_is_wald():
    lower, upper = [0.30, 0.40, -0.25], [0.60, 0.70, 0.35]
    sl, su = [0.010, 0.012, 0.015], [0.011, 0.013, 0.016]
    res = _bounds(lower, upper, sl, su, alpha=0.1)
    z = stats.norm.ppf(0.95)
    ci = res.conf_int(interval="endpoint")
    est = np.column_stack([lower, upper]).ravel()
    se = np.column_stack([sl, su]).ravel()
    np.testing.assert_array_equal(ci.low.to_numpy(), est - z * se)
    np.testing.assert_array_equal(ci.high.to_numpy(), est + z * se)
    assert not res.near_edge().any()
    s = res.summary()
    assert (s["endpoint_ci_method"] == "wald").all() and (s["ci_note"] == "").all()


def test_near_the_edge_by_hand():
    n, z = 2000, stats.norm.ppf(0.975)
    kappa = np.sqrt(np.log(n))  # 2.757 > z
    # E[Y(0)] lower 0.002 (se 0.002: 1 SE from lo = 0, near); E[Y(1)] upper past the edge;
    # E[Y(0)] upper and E[Y(1)] lower interior (far)
    L = np.array([0.002, 0.20, 0.20 - 0.95])
    U = np.array([0.95, 1.0004, 1.0004 - 0.002])
    SL = np.array([0.002, 0.01, 0.012])
    SU = np.array([0.004, 0.0015, 0.0021])
    res = _bounds(L, U, SL, SU, n=n)
    assert res.edge_threshold() == pytest.approx(kappa)
    ci = res.conf_int(interval="endpoint")
    near = res.near_edge()
    # E[Y(0)] lower: [lo, max(L, lo) + z se]
    assert near["E[Y(0)]", "lower"]
    assert ci.low["E[Y(0)]", "lower"] == 0.0
    assert ci.high["E[Y(0)]", "lower"] == pytest.approx(0.002 + z * 0.002)
    # E[Y(1)] upper past the edge: [hi - kappa se, hi] (projected to 1, reach kappa se)
    assert near["E[Y(1)]", "upper"]
    assert ci.low["E[Y(1)]", "upper"] == pytest.approx(1.0 - kappa * 0.0015)
    assert ci.high["E[Y(1)]", "upper"] == 1.0
    # interior endpoints: Wald
    for q, side, est, se in (("E[Y(0)]", "upper", 0.95, 0.004), ("E[Y(1)]", "lower", 0.2, 0.01)):
        assert not near[q, side]
        assert ci.low[q, side] == pytest.approx(est - z * se)
        assert ci.high[q, side] == pytest.approx(est + z * se)
    # ATE upper = U1 - L0, both components near: centre 1 - 0.002, edge side reaches
    # (1 - 1) + (0.002 - 0) past the centre (clipped at hi - lo = 1); inner side: U1 is past
    # the edge, so it adds (kappa - z) se_U1; L0 (inside, z se > r_n) adds nothing
    assert near["ATE", "upper"]
    assert ci.low["ATE", "upper"] == pytest.approx(1.0 - 0.002 - z * 0.0021 - (kappa - z) * 0.0015)
    assert ci.high["ATE", "upper"] == 1.0
    # ATE lower = L1 - U0: both components interior, Wald
    assert not near["ATE", "lower"]
    assert ci.low["ATE", "lower"] == pytest.approx(L[2] - z * SL[2])
    assert ci.high["ATE", "lower"] == pytest.approx(L[2] + z * SL[2])
    # the ATE with one near component: U1 near (0.999, se 0.001), L0 interior (0.3)
    res2 = _bounds([0.3, 0.2, -0.5], [0.9, 0.999, 0.699], [0.01, 0.01, 0.02], [0.01, 0.001, 0.011])
    ci2 = res2.conf_int(interval="endpoint")
    assert ci2.low["ATE", "upper"] == pytest.approx(0.699 - z * 0.011)
    assert ci2.high["ATE", "upper"] == pytest.approx(0.699 + z * 0.011 + 0.001)


@pytest.mark.parametrize("n, alpha", [(50, 0.05), (2000, 0.05), (2000, 0.1)])
def test_zero_se_at_the_edge_reaches_the_binomial_limit(n, alpha):
    """Every row's bound at the edge gives se = 0: the interval still reaches inwards by the
    Clopper–Pearson upper limit for 0 of n rows (the Beta(1, n) quantile, computed here)."""
    res = _bounds([0.2, 0.2, -0.8], [0.9, 1.0, 0.8], [0.01] * 3, [0.01, 0.0, 0.01], n, alpha)
    ci = res.conf_int(interval="endpoint")
    limit = stats.beta.ppf(1 - alpha / 2, 1, n)  # upper limit of a share with 0 events
    assert ci.low["E[Y(1)]", "upper"] == pytest.approx(1.0 - limit, rel=1e-12)
    assert ci.high["E[Y(1)]", "upper"] == 1.0


def test_summary_reports_both_intervals_with_their_method():
    res = _bounds(
        [0.002, 0.2, -0.948], [0.95, 1.0004, 0.998], [0.002, 0.01, 0.012], [0.004, 0.0003, 0.0021]
    )
    s = res.summary()
    assert list(s.columns[:4]) == ["estimate", "se", "ci_low", "ci_high"]
    for c in ("ci_method", "endpoint_ci_low", "endpoint_ci_high", "endpoint_ci_method", "ci_note"):
        assert c in s.columns
    ep = res.conf_int(interval="endpoint")
    st = res.conf_int(interval="set")
    np.testing.assert_array_equal(s["endpoint_ci_low"], ep.low)
    np.testing.assert_array_equal(s["endpoint_ci_high"], ep.high)
    np.testing.assert_array_equal(s["ci_low"], st.low)
    assert (s["ci_method"] == "set: wald").all()
    near = res.near_edge()
    assert near.sum() == 3
    assert (s.loc[near, "endpoint_ci_method"] == "boundary-aware").all()
    assert (s.loc[~near, "endpoint_ci_method"] == "wald").all()
    assert s.loc[near, "ci_note"].str.contains("support edge").all()
    assert list(s.index.get_level_values(0).unique()) == list(QUANTITIES)
