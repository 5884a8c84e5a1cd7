"""Tests of the p-n criterion (infodiv.sample_size) against exact results and simulation.

Every expected value is computed here independently of the code under test: closed forms
derived by hand, exact risks summed over probability mass functions or expanded numerically,
Monte-Carlo averages of the Kullback-Leibler risk, and brute-force searches.
"""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy import special, stats
from sklearn.utils.estimator_checks import parametrize_with_checks

from infodiv import divergence, psi, woe_table
from infodiv.plotting import plot_risk
from infodiv.sample_size import (
    DataStarvedResult,
    ExponentialFamily,
    PNCriterion,
    categorical_coefficients,
    data_starved,
    data_starved_summary,
    max_affordable_bins,
    n_required,
    risk_coefficients,
)
from tests.reference.contract import check_result_contract
from tests.reference.cumulants import cumulants_from_raw, gamma_raw, normal_raw

matplotlib.use("Agg")


# ---------------------------------------------------------------------------------------------
# independent helpers
# ---------------------------------------------------------------------------------------------


def expand_coefficients(risk, c1_guess=None):
    """c1 and c2 of an exact risk function by Richardson extrapolation at large n."""
    ns = np.array([2000.0, 4000.0, 8000.0])
    c1 = ns[-1] * risk(ns[-1]) if c1_guess is None else c1_guess
    vals = [n**2 * (risk(n) - c1 / n) for n in ns]
    # n^2 (R - c1/n) = c2 + c3/n + O(1/n^2): two Richardson steps
    r1 = [2 * vals[1] - vals[0], 2 * vals[2] - vals[1]]
    return (4 * r1[1] - r1[0]) / 3


# ---------------------------------------------------------------------------------------------
# exact results, well specified
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mu", [0.7, 4.0, 25.0])
def test_poisson_c2_closed_form(mu):
    rng = np.random.default_rng(1)
    x = rng.poisson(mu, 400)
    pn = PNCriterion(family="poisson").fit(x)
    m = x.mean()
    assert pn.c1_model_ == 0.5
    assert pn.c2_model_ == pytest.approx(5 / (12 * m), rel=1e-12)
    c1, c2 = risk_coefficients([[mu]], [[[mu]]], [[[[mu]]]])
    assert (c1, c2) == pytest.approx((0.5, 5 / (12 * mu)), rel=1e-12)


def test_poisson_exact_risk_tracks_expansion():
    # E KL(Pois(mu) || Pois(xbar)) = mu (ln mu - E ln xbar), S = n xbar ~ Pois(n mu);
    # the atom S = 0 (infinite KL) has probability exp(-n mu) < 1e-40 here and is left out.
    mu = 5.0
    c1, c2 = 0.5, 5 / (12 * mu)
    errs1, errs2 = [], []
    for n in (20, 40, 80):
        S = stats.poisson(n * mu)
        s = np.arange(1, int(S.ppf(1 - 1e-16)) + 20)
        pm = S.pmf(s)
        R = mu * (np.log(mu) - np.sum(pm * np.log(s / n)) / pm.sum())
        errs1.append(abs(R - c1 / n))
        errs2.append(abs(R - c1 / n - c2 / n**2))
    assert all(e2 < e1 / 5 for e1, e2 in zip(errs1, errs2, strict=True))
    # remainder is O(n^-3): doubling n divides it by about 8
    assert 5 < errs2[0] / errs2[1] < 11 and 5 < errs2[1] / errs2[2] < 11


def test_normal_c2_is_61_over_12_and_matches_exact_risk():
    def exact(n):
        return 0.5 * (np.log(2 / n) + special.digamma((n - 1) / 2)) + 2 / (n - 3)

    assert expand_coefficients(exact, 1.0) == pytest.approx(61 / 12, abs=1e-4)
    x = np.random.default_rng(2).normal(3.0, 2.0, 300)
    pn = PNCriterion(family="normal").fit(x)
    assert pn.p_ == 2 and pn.c1_model_ == 1.0
    assert pn.c2_model_ == pytest.approx(61 / 12, rel=1e-12)
    for n in (10, 20, 40):
        assert abs(exact(n) - (1 / n + 61 / 12 / n**2)) < abs(exact(n) - 1 / n) / 3
    # the engine itself, fed the normal cumulants of T = (x, x^2), gives 1 and 61/12
    info, K3, K4 = cumulants_from_raw(normal_raw(0.7, 2.3), [1, 2])
    assert risk_coefficients(info, K3, K4) == pytest.approx((1.0, 61 / 12), rel=1e-9)


@pytest.mark.parametrize("d", [2, 3])
def test_multivariate_normal_well_specified_matches_wishart_risk(d):
    # exact risk: 1/2 [d(n+1)/(n-d-2) - d + d ln(2/n) + sum_i digamma((n-i)/2)]
    def exact(n):
        i = np.arange(1, d + 1)
        return 0.5 * (
            d * (n + 1) / (n - d - 2) - d + d * np.log(2 / n) + special.digamma((n - i) / 2).sum()
        )

    p = d + d * (d + 1) // 2
    c2_exact = expand_coefficients(exact, p / 2)
    X = np.random.default_rng(3).normal(size=(500, d)) @ np.triu(np.ones((d, d)))
    pn = PNCriterion(family="multivariate_normal").fit(X)
    assert pn.p_ == p and pn.c1_model_ == p / 2
    assert pn.c2_model_ == pytest.approx(c2_exact, rel=1e-5)


def test_exponential_c2_is_11_over_12():
    def exact(n):  # KL(Exp mean mu || Exp mean xbar), xbar ~ Gamma(n, mu/n)
        return special.digamma(n) - np.log(n) + 1 / (n - 1)

    assert expand_coefficients(exact, 0.5) == pytest.approx(11 / 12, abs=1e-4)
    pn = PNCriterion(family="exponential").fit(np.random.default_rng(4).exponential(3.0, 200))
    assert pn.c2_model_ == pytest.approx(11 / 12, rel=1e-12)


def _multinomial_exact_risk(pi, n):
    """E KL(pi || pi_hat) summed over every multinomial outcome with all cells positive."""
    K = len(pi)
    grids = np.meshgrid(*[np.arange(1, n + 1)] * (K - 1), indexing="ij")
    c = np.column_stack([g.ravel() for g in grids])
    c = np.column_stack([c, n - c.sum(1)])
    c = c[c[:, -1] >= 1]
    pr = stats.multinomial.pmf(c, n, pi)
    kl = np.sum(pi * np.log(pi / (c / n)), axis=1)
    return float(pr @ kl / pr.sum()), float(1 - pr.sum())


@pytest.mark.parametrize("pi", [(0.3, 0.7), (0.2, 0.3, 0.5)])
def test_categorical_coefficients_against_exact_enumeration(pi):
    pi = np.array(pi)
    c1, c2 = categorical_coefficients(pi)
    assert c1 == (len(pi) - 1) / 2
    for n in (80, 160):
        R, lost = _multinomial_exact_risk(pi, n)
        assert lost < 1e-7
        assert abs(R - c1 / n - c2 / n**2) < abs(R - c1 / n) / 4
    # Bernoulli by hand: 5/(12 p q) - 11/12
    if len(pi) == 2:
        assert c2 == pytest.approx(5 / (12 * pi[0] * pi[1]) - 11 / 12)


def test_bernoulli_and_categorical_fits_use_observed_shares():
    rng = np.random.default_rng(5)
    y = rng.random(500) < 0.3
    pn = PNCriterion(family="bernoulli").fit(y.astype(int))
    m = y.mean()
    assert pn.c1_ == pytest.approx(0.5) and pn.c1_se_ == pytest.approx(0.0, abs=1e-12)
    assert pn.c2_ == pytest.approx(5 / (12 * m * (1 - m)) - 11 / 12, rel=1e-10)
    labels = rng.choice(np.array(["a", "b", "c", "d"], dtype=object), 800, p=[0.1, 0.2, 0.3, 0.4])
    pc = PNCriterion(family="categorical").fit(pd.Series(labels, dtype="str"))
    shares = pd.Series(labels).value_counts(normalize=True).to_numpy()
    assert pc.p_ == 3 and pc.c1_ == 1.5
    assert pc.c2_ == pytest.approx((5 * np.sum(1 / shares) - 6 * 4 + 1) / 12)


def test_engine_matches_categorical_closed_form_through_a_custom_family():
    # categorical with K = 4 written as a generic family: T = one-hot of cells 1..3,
    # psi = ln(1 + sum exp theta); finite differences vs the closed form
    rng = np.random.default_rng(6)
    codes = rng.choice(4, 3000, p=[0.1, 0.2, 0.3, 0.4])
    fam = ExponentialFamily(
        lambda X: (X[:, [0]] == np.arange(1, 4)).astype(float),
        lambda t: float(np.log1p(np.exp(t).sum())),
        name="cat4",
    )
    pn = PNCriterion(family=fam, ci_method="delta").fit(codes)  # the engine, not the interval
    shares = np.bincount(codes) / codes.size
    c1, c2 = categorical_coefficients(shares)
    assert pn.c1_ == pytest.approx(c1, rel=1e-7)
    assert pn.c2_ == pytest.approx(c2, rel=1e-5)
    assert pn.c2_model_ == pytest.approx(c2, rel=1e-5)


@pytest.mark.parametrize(
    "family, draw, p",
    [
        ("poisson", lambda r, n: r.poisson(3.0, n), 1),
        ("exponential", lambda r, n: r.exponential(2.0, n), 1),
        ("gamma", lambda r, n: r.gamma(2.5, 1.5, n), 2),
        ("normal", lambda r, n: r.normal(1.0, 3.0, n), 2),
        ("multivariate_normal", lambda r, n: r.normal(size=(n, 2)), 5),
    ],
)
def test_c1_is_p_over_2_when_well_specified(family, draw, p):
    pn = PNCriterion(family=family).fit(draw(np.random.default_rng(7), 20000))
    assert pn.p_ == p and pn.c1_model_ == p / 2
    assert abs(pn.c1_ - p / 2) < 4 * pn.c1_se_
    assert pn.c1_ci_[0] < pn.c1_ < pn.c1_ci_[1]


def test_custom_family_by_finite_differences_matches_analytic_families():
    rng = np.random.default_rng(8)
    x = rng.gamma(3.0, 2.0, 3000)
    gamma_fd = ExponentialFamily(
        lambda X: np.column_stack([X[:, 0], np.log(X[:, 0])]),
        lambda t: (
            special.gammaln(t[1] + 1) - (t[1] + 1) * np.log(-t[0])
            if t[0] < 0 and t[1] > -1
            else np.inf
        ),
        theta0=[-1.0, 0.0],
        log_base_measure=lambda X: np.zeros(len(X)),
    )
    a = PNCriterion(family=gamma_fd, ci_method="delta").fit(x)  # the engine, not the interval
    b = PNCriterion(family="gamma", ci_method="delta").fit(x)
    for attr in ("c1_", "c1_se_", "c2_", "c2_model_", "loglik_"):
        assert getattr(a, attr) == pytest.approx(getattr(b, attr), rel=2e-5), attr
    assert a.theta_ == pytest.approx(b.theta_, rel=1e-8)
    # analytic derivatives supplied by the user: exact agreement
    poi = ExponentialFamily(
        lambda X: X[:, 0],
        lambda t: float(np.exp(t[0])),
        derivatives=lambda t: (
            np.exp(t),
            np.exp(t).reshape(1, 1),
            np.exp(t).reshape(1, 1, 1),
            np.exp(t).reshape(1, 1, 1, 1),
        ),
    )
    y = rng.poisson(4.0, 500)
    a, b = PNCriterion(family=poi).fit(y), PNCriterion(family="poisson").fit(y)
    assert (a.c1_, a.c2_, a.c1_se_) == pytest.approx((b.c1_, b.c2_, b.c1_se_), rel=1e-9)


def test_multivariate_normal_closed_form_c1_equals_dense_engine():
    # the fitted c1 and its SE (closed forms in Hermite coordinates) against the dense formula
    # 1/2 tr(I^-1 Sigma) computed here from the raw sufficient statistic (x, x x')
    rng = np.random.default_rng(9)
    X = rng.standard_t(6, size=(3000, 2)) @ np.array([[1.0, 0.5], [0.0, 1.0]])
    pn = PNCriterion(family="multivariate_normal").fit(X)
    m = X.mean(0)
    S = np.cov(X.T, bias=True)
    T = np.column_stack([X, X[:, 0] ** 2, X[:, 0] * X[:, 1], X[:, 1] ** 2])

    # model covariance of T under N(m, S) by Isserlis
    def mom(i, j):
        return S[i, j] + m[i] * m[j]

    quad = [(0, 0), (0, 1), (1, 1)]
    info = np.zeros((5, 5))
    info[:2, :2] = S
    for a, (i, j) in enumerate(quad):
        for k in range(2):
            info[k, 2 + a] = info[2 + a, k] = m[i] * S[j, k] + m[j] * S[i, k]
        for b, (k, q) in enumerate(quad):
            e4 = (
                mom(i, j) * mom(k, q)
                + mom(i, k) * mom(j, q)
                + mom(i, q) * mom(j, k)
                - 2 * m[i] * m[j] * m[k] * m[q]
            )
            info[2 + a, 2 + b] = e4 - mom(i, j) * mom(k, q)
    Sig = np.cov(T.T, bias=True)
    assert pn.c1_ == pytest.approx(0.5 * np.trace(np.linalg.solve(info, Sig)), rel=1e-8)


# ---------------------------------------------------------------------------------------------
# misspecified: the expansion tracks the risk; the estimator recovers the coefficients
# ---------------------------------------------------------------------------------------------


def nb_poisson_truth(mu, r):
    a = mu / r
    sig, k3 = mu * (1 + a), mu * (1 + a) * (1 + 2 * a)  # negative-binomial cumulants
    return risk_coefficients([[mu]], [[[mu]]], [[[[mu]]]], [[sig]], [[[k3]]])


def test_poisson_model_of_negative_binomial_data():
    mu, r = 10.0, 4.0
    c1, c2 = nb_poisson_truth(mu, r)
    a = mu / r
    assert c1 == pytest.approx(0.5 * (1 + a)) and c2 == pytest.approx((1 + a) * (5 + a) / (12 * mu))
    # exact risk: S = n xbar ~ NB(n r, p); KL(Pois(mu) || Pois(xbar)) = mu ln(mu/xbar) - mu + xbar
    pnb = r / (r + mu)
    for n in (3, 5, 10, 20):
        S = stats.nbinom(n * r, pnb)
        assert S.pmf(0) < 1e-6
        s = np.arange(1, int(S.ppf(1 - 1e-15)) + 50)
        pm = S.pmf(s)
        R = mu * (np.log(mu) - np.sum(pm * np.log(s / n)) / pm.sum())
        e1, e2 = abs(R - c1 / n), abs(R - c1 / n - c2 / n**2)
        assert e2 < e1 / 5, n
        assert e2 < 0.2 / n**3
    # Monte Carlo of the same risk, and the estimator's coefficients from one large sample
    rng = np.random.default_rng(10)
    n, reps = 5, 40000
    xbar = rng.negative_binomial(r, pnb, size=(reps, n)).mean(1)
    kl = mu * np.log(mu / xbar) - mu + xbar
    mc = kl.mean()
    assert abs(mc - (c1 / n + c2 / n**2)) < 3 * kl.std() / np.sqrt(reps)
    pn = PNCriterion(family="poisson").fit(rng.negative_binomial(r, pnb, 200000))
    assert abs(pn.c1_ - c1) < 4 * pn.c1_se_
    assert pn.c2_ == pytest.approx(c2, rel=0.05)
    assert pn.c1_model_ == 0.5 and pn.trace_ == pytest.approx(2 * pn.c1_)


def test_normal_model_of_gamma_data():
    k = 3.0
    S, k3, _ = cumulants_from_raw(gamma_raw(k), [1, 2])
    info, K3, K4 = cumulants_from_raw(normal_raw(k, k), [1, 2])  # projection: N(k, k)
    c1, c2 = risk_coefficients(info, K3, K4, S, k3)
    assert c1 == pytest.approx(1.5)  # (kurtosis + 1)/4 with kurtosis 3 + 6/k = 5
    rng = np.random.default_rng(11)
    for n, reps in ((12, 30000), (20, 20000), (40, 10000)):
        x = rng.gamma(k, 1.0, size=(reps, n))
        m, v = x.mean(1), x.var(1)
        kl = 0.5 * (np.log(v / k) + (k + (m - k) ** 2) / v - 1)
        R, se = kl.mean(), kl.std() / np.sqrt(reps)
        first, second = c1 / n, c1 / n + c2 / n**2
        # the second order is closer, by more than the Monte-Carlo error
        assert abs(R - second) + 3 * se < abs(R - first), n
    pn = PNCriterion(family="normal").fit(rng.gamma(k, 1.0, 300000))
    assert abs(pn.c1_ - c1) < 4 * pn.c1_se_
    assert pn.c2_ == pytest.approx(c2, rel=0.1)


def test_c1_interval_coverage_poisson_of_negative_binomial():
    mu, r = 10.0, 4.0
    c1 = nb_poisson_truth(mu, r)[0]
    rng = np.random.default_rng(12)
    reps = 300
    hits = 0
    for _ in range(reps):
        pn = PNCriterion(family="poisson", alpha=0.1, ci_method="delta").fit(
            rng.negative_binomial(r, r / (r + mu), 1000)
        )
        lo, hi = pn.c1_ci_
        hits += lo <= c1 <= hi
    # nominal 0.90; binomial sd at 300 reps is 0.017
    assert 0.84 <= hits / reps <= 0.96


# ---------------------------------------------------------------------------------------------
# the criterion itself
# ---------------------------------------------------------------------------------------------


def test_threshold_accept_and_n_required():
    rng = np.random.default_rng(13)
    pn = PNCriterion(family="gamma", epsilon=0.05).fit(rng.gamma(2.0, 1.0, 60))
    assert pn.threshold_ == pytest.approx(8 * 0.05**2)
    assert pn.risk_ == pytest.approx(pn.c1_ / 60 + pn.c2_ / 3600)
    assert pn.accept_ == (pn.risk_ <= pn.threshold_)
    nr = pn.n_required_
    assert pn.risk(nr) <= pn.threshold_ < pn.risk(nr - 1)
    first = PNCriterion(family="gamma", epsilon=0.05, order=1).fit(rng.gamma(2.0, 1.0, 60))
    assert first.risk_ == pytest.approx(first.c1_ / 60)
    assert first.n_required_ == math.ceil(first.c1_ / (8 * 0.05**2))
    # well specified at epsilon = 0.05 needs about 25 p observations (the spec's rule)
    assert n_required(1.0, 0.0, 0.05, order=1) == pytest.approx(50.0)
    assert n_required(1.0, 0.0, 0.02, order=1) == pytest.approx(312.5)
    assert np.allclose(pn.risk(np.array([10.0, 100.0])), [pn.risk(10), pn.risk(100)])


def test_summary_shows_robust_and_well_specified_side_by_side():
    rng = np.random.default_rng(14)
    x = rng.negative_binomial(2, 0.2, 400)
    pn = PNCriterion(family="poisson").fit(x)
    s = pn.summary()
    assert list(s.index) == ["c1", "c2", "risk", "n_required"]
    # 400 rows of a family with unbounded support: the c1 row carries the coverage note
    assert list(s.columns) == ["estimate", "se", "ci_low", "ci_high", "well_specified", "ci_note"]
    assert s.loc["c1", "ci_note"] == pn.result_.ci_note != ""
    assert s.loc["c1", "well_specified"] == 0.5
    assert s.loc["c1", "estimate"] == pytest.approx(pn.c1_)
    # well specified: Poisson c2 = 5 / (12 mean), n_required the positive root by hand
    m, eps = x.mean(), 0.05
    c2m = 5 / (12 * m)
    assert s.loc["c2", "well_specified"] == pytest.approx(c2m, rel=1e-12)
    root = (0.5 + math.sqrt(0.25 + 32 * eps**2 * c2m)) / (16 * eps**2)
    assert s.loc["n_required", "well_specified"] == math.ceil(root)
    ll = np.sum(stats.poisson.logpmf(x, x.mean()))
    res = pn.result_
    assert res.aic == pytest.approx(-2 * ll + 2) and pn.aic_ == res.aic
    assert res.tic == pytest.approx(-2 * ll + 2 * pn.trace_) and pn.tic_ == res.tic
    assert "AIC" in repr(res) and "TIC" in repr(res)
    # overdispersed data: the robust answer needs more data than the AIC-style one
    assert s.loc["n_required", "estimate"] > s.loc["n_required", "well_specified"]
    ci = pn.conf_int()
    assert ci.low["c1"] < pn.c1_ < ci.high["c1"]
    assert ci.low["n_required"] < pn.n_required_ <= ci.high["n_required"] + 1
    assert list(pn.params.index) == ["c1", "c2", "risk", "n_required"]
    assert pn.bse["c1"] == pn.c1_se_


@pytest.mark.parametrize(
    "family, draw, order",
    [
        ("poisson", lambda r: r.negative_binomial(2, 0.2, 400), 2),
        ("gamma", lambda r: r.gamma(2.0, 1.0, 60), 1),
        ("bernoulli", lambda r: (r.random(300) < 0.3).astype(int), 2),
        ("multivariate_normal", lambda r: r.normal(size=(200, 9)), 1),  # c2 not formed: NaN
    ],
)
def test_pn_result_contract_and_delta_method(family, draw, order):
    pn = PNCriterion(family=family, order=order, ci_method="delta").fit(
        draw(np.random.default_rng(21))
    )
    res = pn.result_
    check_result_contract(res)
    pd.testing.assert_frame_equal(pn.summary(), res.summary())
    assert res.params["risk"] == pytest.approx(pn.risk_) and res.accept == pn.accept_
    assert res.params["n_required"] == pn.n_required_
    # c2 held fixed: the risk is linear in c1, so its SE and interval are c1's over n
    use2 = order == 2 and np.isfinite(pn.c2_)
    c2 = pn.c2_ if use2 else 0.0
    lo, hi = res.conf_int()
    assert res.se["risk"] == pytest.approx(pn.c1_se_ / pn.n_)
    assert lo["risk"] == pytest.approx(lo["c1"] / pn.n_ + c2 / pn.n_**2)
    assert (lo["c1"], hi["c1"]) == pytest.approx(pn.c1_ci_)
    assert np.isnan(res.se["c2"]) and np.isnan(lo["c2"]) and np.isnan(hi["c2"])

    # n_required's SE: the derivative of the root in c1 (central difference) times SE(c1)
    def root(c1):
        thr = 8 * 0.05**2
        if not use2:
            return c1 / thr
        return (c1 + math.sqrt(max(c1**2 + 4 * thr * c2, 0.0))) / (2 * thr)

    h = 1e-6 * max(pn.c1_, 1.0)
    slope = (root(pn.c1_ + h) - root(pn.c1_ - h)) / (2 * h)
    assert res.se["n_required"] == pytest.approx(slope * pn.c1_se_, rel=1e-6, abs=1e-12)
    assert (lo["n_required"], hi["n_required"]) == pytest.approx((root(lo["c1"]), root(hi["c1"])))
    # a higher level gives a wider interval (unless SE(c1) is 0 up to rounding: the Bernoulli)
    wide = res.conf_int(0.01)
    assert wide.low["c1"] <= lo["c1"] and wide.high["c1"] >= hi["c1"]
    assert (wide.high["c1"] > hi["c1"]) == (pn.c1_se_ > 1e-12)


def test_fit_record_says_which_kind_it_is():
    from infodiv.sample_size._families import _Fit

    common = dict(T=np.zeros((3, 1)), w=np.ones(3), fisher=np.eye(1), loglik=0.0, params={})
    with pytest.raises(TypeError, match="closed-form fit gives c1"):
        _Fit(k3=None, k4=None, closed_form=True, **common)
    with pytest.raises(TypeError, match="tensor fit gives k3"):
        _Fit(k3=None, k4=None, **common)
    assert not _Fit(k3=np.ones((1, 1, 1)), k4=None, **common).closed_form


def test_gamma_loglik_and_params_match_scipy():
    x = np.random.default_rng(15).gamma(2.2, 3.0, 2000)
    pn = PNCriterion(family="gamma").fit(x)
    a, _, scale = stats.gamma.fit(x, floc=0)
    assert pn.model_params_["shape"] == pytest.approx(a, rel=1e-4)
    assert pn.model_params_["rate"] == pytest.approx(1 / scale, rel=1e-4)
    assert pn.loglik_ == pytest.approx(np.sum(stats.gamma.logpdf(x, a, scale=scale)), rel=1e-7)


def test_frequency_weights_equal_repeated_rows():
    rng = np.random.default_rng(16)
    x = rng.poisson(3.0, 50)
    w = rng.integers(1, 4, 50)
    a = PNCriterion(family="poisson").fit(x, sample_weight=w)
    b = PNCriterion(family="poisson").fit(np.repeat(x, w))
    assert (a.c1_, a.c2_, a.c1_se_, a.n_) == pytest.approx((b.c1_, b.c2_, b.c1_se_, b.n_))


def test_plot_returns_figure_with_threshold_line():
    rng = np.random.default_rng(17)
    pa = PNCriterion(family="normal").fit(rng.normal(size=100))
    pb = PNCriterion(family="multivariate_normal").fit(rng.normal(size=(100, 3)))
    fig = plot_risk(pa, pb, labels=["d = 1", "d = 3"])
    ax = fig.axes[0]
    assert any(np.allclose(line.get_ydata(), pa.threshold_) for line in ax.get_lines())
    fig2 = pa.plot_risk()
    assert fig2.axes[0].get_xscale() == "log"
    import matplotlib.pyplot as plt

    plt.close("all")


# ---------------------------------------------------------------------------------------------
# binning bridge
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [10, 37, 250, 1000, 6636, 30000])
@pytest.mark.parametrize("eps", [0.02, 0.05, 0.1])
def test_max_affordable_bins_by_brute_force(n, eps):
    def risk(K, order):
        c1 = (K - 1) / 2
        c2 = (5 * K**2 - 6 * K + 1) / 12 if order == 2 else 0.0  # equal shares 1/K
        return c1 / n + c2 / n**2

    for order in (1, 2):
        K = 1
        while risk(K + 1, order) <= 8 * eps**2:
            K += 1
        assert max_affordable_bins(n, eps, order=order) == K
    eq = np.full(5, 1 / 5)
    assert categorical_coefficients(eq) == pytest.approx((2.0, (5 * 25 - 30 + 1) / 12))


def test_max_affordable_bins_inputs():
    assert max_affordable_bins([100, 200, 700]) == max_affordable_bins(1000)
    table = np.array([[30, 270], [50, 650]])  # bads, goods per bin: the 80 bads limit it
    assert max_affordable_bins(table) == max_affordable_bins(80)
    assert max_affordable_bins(0) == 1
    with pytest.raises(ValueError, match="counts_or_n"):
        max_affordable_bins([-1, 5])
    with pytest.raises(ValueError, match="epsilon"):
        max_affordable_bins(100, epsilon=0.7)


@pytest.mark.filterwarnings("ignore:.*empty in one sample:UserWarning")
def test_data_starved_and_bias_bridge():
    rng = np.random.default_rng(18)
    x = rng.normal(size=30000)
    y = (rng.random(30000) < 1 / (1 + np.exp(2 - x))).astype(int)
    big = woe_table(x, y, bins=10)
    small = woe_table(x[:400], y[:400], bins=10)
    rb, rs = data_starved(big), data_starved(small)
    assert isinstance(rb, DataStarvedResult)
    assert not rb.starved and rs.starved and bool(rs)
    # bridge: Jeffreys bias (K-1)(1/n1 + 1/n2) = 2 x (sum of first-order risks)
    r1 = data_starved(small, order=1)
    assert small.iv.bias == pytest.approx(2 * (r1.risk1 + r1.risk2))
    d = small.iv
    K = d.df + 1
    assert r1.risk1 == pytest.approx((K - 1) / (2 * d.n1))
    c2 = categorical_coefficients(d.p)[1]
    assert rs.risk1 == pytest.approx((K - 1) / (2 * d.n1) + c2 / d.n1**2)
    assert rs.max_bins == max_affordable_bins(min(d.n1, d.n2))
    s = rs.summary()
    assert bool(s["starved"].iloc[0]) and "bias" in s.columns
    # at epsilon_achieved the larger risk sits exactly on the threshold
    ea = rs.epsilon_achieved
    assert 8 * ea**2 == pytest.approx(max(rs.risk1, rs.risk2))
    assert not data_starved(small, ea * 1.001).starved and data_starved(small, ea * 0.999).starved
    # PSI with a fixed reference checks the actual sample only; DivergenceResult directly
    pr = psi(rng.normal(size=5000), rng.normal(size=120), reference="fixed")
    ps = data_starved(pr)
    assert np.isnan(ps.risk2) and ps.starved
    assert not data_starved(divergence([5000, 5000], [4000, 6000])).starved
    tab = data_starved_summary({"big": big, "small": small})
    assert list(tab.index) == ["small", "big"]
    # results contract: the divergence's SE and interval lead the row; one row per feature
    check_result_contract(rs)
    assert rs.se == small.iv.se and tuple(rs.conf_int(0.1)) == tuple(small.iv.conf_int(0.1))
    assert list(tab.columns[:4]) == ["estimate", "se", "ci_low", "ci_high"]
    pd.testing.assert_frame_equal(
        tab.loc[["small"]], rs.summary().set_axis(pd.Index(["small"], name="feature"))
    )
    with pytest.raises(ValueError, match="result must be"):
        data_starved(3.0)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "family, X, match",
    [
        ("poisson", [3, 1, -2, 4, 5], "non-negative counts; got -2.0 at row 2"),
        ("poisson", [3, 1, 2.5, 4, 5], "integer counts"),
        ("poisson", [0, 0, 0, 0, 0], "all zero"),
        ("poisson", [1, 2], "too few observations"),
        ("bernoulli", [0, 1, 2, 1, 0], "coded 0/1"),
        ("bernoulli", [1, 1, 1, 1, 1], "boundary"),
        ("exponential", [1.0, -0.5, 2.0, 3.0], "non-negative values"),
        ("gamma", [1.0, 0.0, 2.0, 3.0, 4.0], "positive values"),
        ("gamma", [2.0] * 6, "constant"),
        ("normal", [1.0, 2.0, 3.0], "too few observations"),
        ("normal", [1.0, np.nan, 3.0, 4.0, 5.0], "NaN"),
        ("normal", [[1.0, 2.0]] * 6, "univariate"),
        ("categorical", ["a"] * 6, "single category"),
        ("categorical", ["a", "b", None, "a", "b"], "missing label"),
    ],
)
def test_bad_input_raises_clear_errors(family, X, match):
    with pytest.raises(ValueError, match=match):
        PNCriterion(family=family).fit(X)


def test_singular_covariance_and_too_few_rows_multivariate():
    rng = np.random.default_rng(19)
    a = rng.normal(size=(50, 2))
    with pytest.raises(ValueError, match="singular covariance"):
        PNCriterion(family="multivariate_normal").fit(np.column_stack([a, a[:, 0] - 2 * a[:, 1]]))
    with pytest.raises(ValueError, match="column 1 of X is constant"):
        PNCriterion(family="multivariate_normal").fit(np.column_stack([a[:, 0], np.ones(50)]))
    with pytest.raises(ValueError, match="too few observations.*d \\+ 3"):
        PNCriterion(family="multivariate_normal").fit(rng.normal(size=(5, 3)))
    with pytest.raises(ValueError, match="order=2 .* d <= 8"):
        PNCriterion(family="multivariate_normal").fit(rng.normal(size=(200, 9)))
    pn = PNCriterion(family="multivariate_normal", order=1).fit(rng.normal(size=(200, 9)))
    assert pn.p_ == 54 and np.isnan(pn.c2_) and pn.c1_ > 0
    assert pn.n_required_ == math.ceil(pn.c1_ / (8 * 0.05**2))


def test_bad_parameters():
    x = np.random.default_rng(20).poisson(3.0, 50)
    for kw, match in (
        ({"epsilon": 0.0}, "epsilon"),
        ({"epsilon": "a"}, "epsilon"),
        ({"order": 3}, "order"),
        ({"alpha": 1.5}, "alpha"),
        ({"family": "weibull"}, "family must be one of"),
    ):
        with pytest.raises(ValueError, match=match):
            PNCriterion(**{"family": "poisson", **kw}).fit(x)
    with pytest.raises(ValueError, match="sample_weight contains a negative"):
        PNCriterion(family="poisson").fit(x, sample_weight=-np.ones(50))
    with pytest.raises(ValueError, match="outside the support"):
        fam = ExponentialFamily(
            lambda X: X[:, 0], lambda t: float(np.exp(t[0])), support=lambda X: X[:, 0] >= 0
        )
        PNCriterion(family=fam).fit([1.0, -1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="constant in X: the MLE does not exist"):
        fam = ExponentialFamily(lambda X: X[:, 0], lambda t: float(np.exp(t[0])))
        PNCriterion(family=fam).fit(np.zeros(10))
    with pytest.raises(ValueError, match="n must be positive"):
        PNCriterion(family="poisson").fit(x).risk(0)


# ---------------------------------------------------------------------------------------------
# scikit-learn contract
# ---------------------------------------------------------------------------------------------


@parametrize_with_checks(
    [
        PNCriterion(family="multivariate_normal", order=1, ci_method="delta"),
        PNCriterion(family="multivariate_normal", order=1, n_bootstrap=20, random_state=0),
    ],
    expected_failed_checks=lambda est: {
        "check_sample_weight_equivalence_on_dense_data": (
            "uses 30 features with fewer than d + 3 rows; the multivariate normal's expected "
            "risk is infinite there, so fit refuses"
        ),
    },
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
