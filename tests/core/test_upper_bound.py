"""The one-sided upper bound: CLs inversion of the noncentral chi-square law (issue 15, item 4).

Every expected value is computed here from scipy's distributions (root by brentq) or in
closed form, never taken from the code under test.
"""

import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy import optimize, stats

from infodiv import divergence


def _cls_lambda(t, df, alpha):
    """Independent CLs root: ncx2.cdf(t; df, lam) / chi2.cdf(t; df) = alpha, by brentq."""
    f0 = stats.chi2.cdf(t, df)
    g = lambda lam: stats.ncx2.cdf(t, df, lam) / f0 - alpha  # noqa: E731
    hi = 10.0
    while g(hi) > 0:
        hi *= 2
    return optimize.brentq(g, 1e-12, hi, xtol=1e-12)


def _as_lambda(res, bound):
    return bound * 2.0 * res.n_eff / res.f2_at_1


@pytest.mark.parametrize(
    "P, Q, kind",
    [
        ([30, 31, 29, 30], [295, 315, 285, 305], "jeffreys"),  # statistic far below K - 1
        ([12, 8, 10, 9, 11], [100, 110, 95, 105, 90], "jeffreys"),
        ([50, 40, 60], [45, 55, 50], "kl"),
        ([20, 25, 30, 25], [25, 25, 25, 25], "hellinger"),
    ],
)
@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_near_zero_bound_is_the_cls_root_of_scipys_ncx2(P, Q, kind, alpha):
    res = divergence(P, Q, kind)
    assert res.upper_bound_method == "cls-ncx2"
    lam = _as_lambda(res, res.upper_bound(alpha))
    assert lam == pytest.approx(_cls_lambda(res.statistic, res.df, alpha), rel=1e-7)
    # the defining ratio, directly
    ratio = stats.ncx2.cdf(res.statistic, res.df, lam) / stats.chi2.cdf(res.statistic, res.df)
    assert ratio == pytest.approx(alpha, rel=1e-6)


def test_bound_is_positive_when_the_statistic_is_in_the_null_lower_tail():
    # almost proportional counts: T far below the null's 5% quantile, where the plain inversion
    # F(T; K-1, lam) = alpha has no root and used to give the bound 0 ("D <= 0")
    res = divergence([30, 31, 29, 30], [295, 315, 285, 305], "jeffreys")
    assert res.statistic < stats.chi2.ppf(0.05, res.df)
    assert stats.ncx2.cdf(res.statistic, res.df, 0.0) < 0.05  # no plain root above 0
    assert res.conf_int(0.1, method="ncx2").high == 0.0  # the plain one-sided bound
    ub = res.upper_bound(0.05)
    assert ub > 0
    # and it is a real bound, not a default: at most the CLs root at the null median
    m = stats.chi2.ppf(0.5, res.df)
    assert _as_lambda(res, ub) < _cls_lambda(m, res.df, 0.05)


def test_bound_at_a_zero_statistic_is_the_closed_form_limit():
    # identical shares: T = 0, F(T; df, lam) / F(T; df, 0) -> exp(-lam / 2) as T -> 0,
    # so lam_U = -2 ln(alpha) and the bound is lam_U f''(1) / (2 n_eff)
    res = divergence([10, 20, 30], [20, 40, 60], "jeffreys")
    assert res.statistic == pytest.approx(0.0, abs=1e-12)
    n_eff = 60 * 120 / 180
    for alpha in (0.01, 0.05, 0.2):
        assert res.upper_bound(alpha) == pytest.approx(
            -2 * np.log(alpha) * 2.0 / (2 * n_eff), rel=1e-9
        )


def test_tv_bound_is_positive_where_the_observed_distributions_coincide():
    # TV uses Wald (estimate + z SE), which is 0 here; the Pinsker bound 1/2 sqrt(J_U) from
    # the CLs bound of the Jeffreys statistic n_eff J (J_U = -2 ln(alpha) / n_eff at T = 0)
    res = divergence([10, 20, 30], [20, 40, 60], "tv")
    assert res.estimate == 0.0 and res.se == 0.0
    n_eff = 60 * 120 / 180
    assert res.upper_bound(0.05) == pytest.approx(0.5 * np.sqrt(-2 * np.log(0.05) / n_eff))
    assert res.upper_bound_method == "wald"
    # elsewhere TV keeps the Wald bound
    other = divergence([10, 25, 30], [20, 40, 60], "tv")
    z = stats.norm.ppf(0.95)
    assert other.upper_bound(0.05) == pytest.approx(other.estimate + z * other.se)


@pytest.mark.parametrize(
    "P, Q", [([30, 31, 29, 30], [295, 315, 285, 305]), ([60, 40, 50], [45, 55, 50])]
)
def test_bound_decreases_in_alpha(P, Q):
    res = divergence(P, Q, "jeffreys")
    bounds = [res.upper_bound(a) for a in (0.001, 0.01, 0.05, 0.1, 0.3)]
    assert all(b > 0 for b in bounds)
    assert all(np.diff(bounds) < 0)


def test_bound_is_never_below_the_plain_inversion():
    # dividing alpha by F(T; df, 0) <= 1 can only raise the bound (so coverage only rises)
    rng = np.random.default_rng(3)
    for _ in range(30):
        P, Q = rng.multinomial(60, np.full(5, 0.2)), rng.multinomial(600, np.full(5, 0.2))
        res = divergence(P + 1, Q + 1, "jeffreys")
        assert res.upper_bound(0.05) >= res.conf_int(0.1, method="ncx2").high


def test_summary_states_the_bound_and_its_method():
    res = divergence([30, 31, 29, 30], [295, 315, 285, 305], "jeffreys")
    row = res.summary().iloc[0]
    assert row["upper_bound"] == res.upper_bound() > 0
    assert row["upper_bound_method"] == "cls-ncx2"
    far = divergence([80, 20, 50], [20, 80, 50], "jeffreys")
    assert far.upper_bound_method == "cls-ncx2+wald"
    z = stats.norm.ppf(0.95)
    wald = far.estimate - far.bias + z * far.se
    cls = _cls_lambda(far.statistic, far.df, 0.05) * 2.0 / (2 * far.n_eff)
    assert far.upper_bound(0.05) == pytest.approx(max(wald, cls), rel=1e-7)


def test_coverage_near_zero_with_tiny_cells():
    """IV with 40 bads over 20 bins (about 2 bads a bin), truth n_eff IV = 5: the plain
    inversion covered 0.91 here (and was 0 in 2% of replicates); the CLs bound must cover at
    least 95% minus 3 MC SEs (0.93 at 1,000 replicates) and never be 0."""
    rng = np.random.default_rng(20261203)
    K, n1, n2 = 20, 40, 1000
    q = np.full(K, 1.0 / K)
    p = q * np.exp(0.35 * np.linspace(-1, 1, K))
    p /= p.sum()
    truth = float(np.sum((p - q) * np.log(p / q)))
    R = 1000
    bounds = np.empty(R)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zero-cell smoothing warnings
        for r in range(R):
            bounds[r] = divergence(rng.multinomial(n1, p), rng.multinomial(n2, q)).upper_bound()
    assert (bounds > 0).all()
    assert (bounds >= truth).mean() >= 0.93


def test_docs_state_the_code_rule_for_auto():
    """docs/numbers.md states the switch of ci_method="auto" as the code applies it."""
    from infodiv.core._divergence import NEAR_ZERO_SDS

    text = (Path(__file__).parents[2] / "docs" / "numbers.md").read_text(encoding="utf-8")
    rule = re.search(r"`T ≤ \(K−1\) \+ (\d+(?:\.\d+)?)·√\(2\(K−1\)\)`", text)
    assert rule is not None, "docs/numbers.md no longer states the auto rule"
    c = float(rule.group(1))
    assert c == NEAR_ZERO_SDS
    # and the code switches exactly there: statistics on both sides of the documented threshold
    for P, Q in (([50, 50, 50, 50], [50, 50, 50, 50]), ([90, 30, 50, 30], [30, 90, 50, 30])):
        res = divergence(P, Q, "jeffreys")
        near = res.statistic <= res.df + c * np.sqrt(2 * res.df)
        assert res.ci_method_used == ("ncx2" if near else "ncx2+wald")
        assert res.upper_bound_method == ("cls-ncx2" if near else "cls-ncx2+wald")
