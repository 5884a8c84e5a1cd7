"""The divergence engine against independent computations written here from the definitions."""

import warnings

import numpy as np
import pytest
from scipy import stats

from infodiv import divergence
from infodiv.core._divergence import DIVERGENCES, ncx2_interval

KINDS = ["kl", "reverse_kl", "jeffreys", "js", "hellinger", "tv", "chi2"]


def reference_value(kind, p, q):
    """Each divergence written from its textbook definition (issue table)."""
    if kind == "kl":
        return sum(pi * np.log(pi / qi) for pi, qi in zip(p, q, strict=False))
    if kind == "reverse_kl":
        return sum(qi * np.log(qi / pi) for pi, qi in zip(p, q, strict=False))
    if kind == "jeffreys":
        return sum((pi - qi) * np.log(pi / qi) for pi, qi in zip(p, q, strict=False))
    if kind == "js":
        m = [(a + b) / 2 for a, b in zip(p, q, strict=False)]
        return 0.5 * reference_value("kl", p, m) + 0.5 * reference_value("kl", q, m)
    if kind == "hellinger":
        return 0.5 * sum((np.sqrt(a) - np.sqrt(b)) ** 2 for a, b in zip(p, q, strict=False))
    if kind == "tv":
        return 0.5 * sum(abs(a - b) for a, b in zip(p, q, strict=False))
    if kind == "chi2":
        return sum((a - b) ** 2 / b for a, b in zip(p, q, strict=False))
    raise AssertionError(kind)


def reference_se(kind, P, Q):
    """Delta-method SE by numerical differentiation of the definition (no analytic gradient)."""
    n1, n2 = P.sum(), Q.sum()
    p, q = P / n1, Q / n2

    def grad(v, which):
        g = np.zeros(v.size)
        for j in range(v.size):
            h = 1e-6
            up, dn = v.copy(), v.copy()
            up[j] += h
            dn[j] -= h
            if which == "p":
                g[j] = (reference_value(kind, up, q) - reference_value(kind, dn, q)) / (2 * h)
            else:
                g[j] = (reference_value(kind, p, up) - reference_value(kind, p, dn)) / (2 * h)
        return g

    gp, gq = grad(p, "p"), grad(q, "q")
    cov_p = (np.diag(p) - np.outer(p, p)) / n1
    cov_q = (np.diag(q) - np.outer(q, q)) / n2
    return float(np.sqrt(gp @ cov_p @ gp + gq @ cov_q @ gq))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_estimate_and_se_match_definitions(kind, seed):
    rng = np.random.default_rng(seed)
    K = rng.integers(2, 9)
    P = rng.integers(5, 400, size=K).astype(float)
    Q = rng.integers(5, 400, size=K).astype(float)
    res = divergence(P, Q, kind)
    p, q = P / P.sum(), Q / Q.sum()
    assert res.estimate == pytest.approx(reference_value(kind, p, q), rel=1e-10, abs=1e-14)
    assert res.se == pytest.approx(reference_se(kind, P, Q), rel=1e-4)
    assert np.nansum(res.contributions) == pytest.approx(res.estimate)


def test_custom_generator_matches_builtin():
    P = np.array([40.0, 25, 20, 15])
    Q = np.array([20.0, 30, 25, 25])
    custom = divergence(P, Q, kind=lambda t: (t - 1) * np.log(t))
    ref = divergence(P, Q, kind="jeffreys")
    assert custom.estimate == pytest.approx(ref.estimate, rel=1e-12)
    assert custom.se == pytest.approx(ref.se, rel=1e-6)
    assert custom.f2_at_1 == pytest.approx(2.0, rel=1e-5)
    assert custom.pvalue == pytest.approx(ref.pvalue, rel=1e-4)


def test_custom_generator_must_vanish_at_one():
    with pytest.raises(ValueError, match="f\\(1\\) = 0"):
        divergence([1, 2], [2, 1], kind=lambda t: t * np.log(t) + 1)


def test_fixed_weights_formula_understates():
    """The paper's fixed-weights SE is about half the full delta-method SE."""
    rng = np.random.default_rng(3)
    p = np.array([0.1, 0.2, 0.3, 0.4])
    q = np.array([0.25, 0.25, 0.25, 0.25])
    n = 2000
    draws = [divergence(rng.multinomial(n, p), rng.multinomial(n, q)).estimate for _ in range(400)]
    P, Q = p * n, q * n
    full = divergence(P, Q).se
    fixed = np.sqrt(np.sum((p - q) ** 2 * (1 / P + 1 / Q)))
    assert full == pytest.approx(np.std(draws), rel=0.12)
    assert fixed / full < 0.65


def test_bias_formulas():
    P = np.array([50.0, 50, 50, 50, 50])
    res = divergence(P, P, "jeffreys")
    assert res.bias == pytest.approx(4 * (1 / 250 + 1 / 250))
    kl = divergence(P, P * 2, "kl")
    assert kl.bias == pytest.approx(0.5 * 4 * (1 / 250 + 1 / 500))
    # second order at p = q reduces to the same value
    so = divergence(P, P, "jeffreys", bias="second_order")
    assert so.bias == pytest.approx(res.bias)
    # and away from p = q it is the spec's (K-2+sum q/p)/(2 n1) + (K-2+sum p/q)/(2 n2)
    P2, Q2 = np.array([10.0, 30, 60]), np.array([30.0, 30, 40])
    r2 = divergence(P2, Q2, "jeffreys", bias="second_order")
    p, q = P2 / 100, Q2 / 100
    expect = (1 + np.sum(q / p)) / 200 + (1 + np.sum(p / q)) / 200
    assert r2.bias == pytest.approx(expect)


def test_bias_correction_removes_bias_by_simulation():
    rng = np.random.default_rng(4)
    p = np.array([0.3, 0.3, 0.2, 0.1, 0.1])
    q = np.array([0.25, 0.25, 0.2, 0.15, 0.15])
    truth = reference_value("jeffreys", p, q)
    n = 400
    est, corr = [], []
    for _ in range(1500):
        r = divergence(rng.multinomial(n, p), rng.multinomial(n, q), zero_cells="raise")
        est.append(r.estimate)
        corr.append(r.bias_corrected)
    raw_bias = np.mean(est) - truth
    assert raw_bias > 0.005  # the plug-in is biased upward ((K-1)(2/n) = 0.02)
    assert abs(np.mean(corr) - truth) < 0.3 * raw_bias


def coverage(kind, p, q, n1, n2, reps, seed, alpha=0.05):
    rng = np.random.default_rng(seed)
    truth = reference_value(kind, p, q)
    hits = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(reps):
            lo, hi = divergence(rng.multinomial(n1, p), rng.multinomial(n2, q), kind).conf_int(
                alpha
            )
            hits += lo <= truth <= hi
    return hits / reps


def _tilt(K, size):
    base = np.full(K, 1.0 / K)
    tilt = np.linspace(-1, 1, K)
    p = base * np.exp(size * tilt)
    return p / p.sum(), base


@pytest.mark.parametrize(
    "kind,K,size,n1,n2",
    [
        ("jeffreys", 5, 0.6, 500, 1500),  # far from zero: Wald
        ("jeffreys", 10, 0.3, 2000, 2000),
        ("jeffreys", 4, 0.05, 400, 400),  # near zero: noncentral chi-square
        ("jeffreys", 8, 0.0, 1000, 3000),  # exactly zero
        ("kl", 5, 0.6, 500, 1500),
        ("kl", 6, 0.08, 600, 600),
        ("kl", 3, 0.0, 500, 500),
    ],
)
def test_ci_coverage(kind, K, size, n1, n2):
    p, q = _tilt(K, size)
    cov = coverage(kind, p, q, n1, n2, reps=500, seed=K * 7 + n1)
    if size == 0.0:
        # at the boundary D = 0 an honest interval includes 0 at least 95% of the time
        assert cov >= 0.95, cov
    else:
        # 500 reps: binomial SE about 1 point; accept 92-98.5%
        assert 0.92 <= cov <= 0.985, cov


def test_null_rejection_rate():
    rng = np.random.default_rng(11)
    p = np.array([0.1, 0.2, 0.3, 0.25, 0.15])
    rejections = {k: 0 for k in ("jeffreys", "kl", "hellinger", "chi2")}
    reps = 1000
    for _ in range(reps):
        P, Q = rng.multinomial(800, p), rng.multinomial(1200, p)
        for k in rejections:
            rejections[k] += divergence(P, Q, k).pvalue < 0.05
    for k, r in rejections.items():
        assert 0.03 <= r / reps <= 0.07, (k, r / reps)


def test_statistic_matches_classical_tests():
    P = np.array([30.0, 45, 25])
    Q = np.array([50.0, 40, 60])
    n_eff = 100 * 150 / 250
    res = divergence(P, Q, "jeffreys")
    assert res.statistic == pytest.approx(n_eff * reference_value("jeffreys", P / 100, Q / 150))
    # Jeffreys statistic is close to Pearson's homogeneity X^2 on the 2 x K table
    x2 = stats.chi2_contingency(np.vstack([P, Q]), correction=False)[0]
    assert res.statistic == pytest.approx(x2, rel=0.05)
    # fixed reference: KL statistic is the G-test of P against q
    fixed = divergence(P, Q, "kl", reference="fixed")
    g = 2 * np.sum(P * np.log(P / (100 * Q / 150)))
    assert fixed.statistic == pytest.approx(g)
    assert fixed.df == 2


def test_ncx2_interval_inverts_cdf():
    lo, hi = ncx2_interval(25.0, 4, 0.05)
    assert stats.ncx2.cdf(25.0, 4, lo) == pytest.approx(0.975, abs=1e-8)
    assert stats.ncx2.cdf(25.0, 4, hi) == pytest.approx(0.025, abs=1e-8)
    assert ncx2_interval(1.0, 4, 0.05)[0] == 0.0


def test_upper_bound_one_sided_coverage_near_zero():
    rng = np.random.default_rng(5)
    p, q = _tilt(6, 0.03)
    truth = reference_value("jeffreys", p, q)
    hits = sum(
        divergence(rng.multinomial(800, p), rng.multinomial(800, q)).upper_bound(0.05) >= truth
        for _ in range(400)
    )
    assert 0.92 <= hits / 400 <= 0.99


def test_zero_cells_are_smoothed_with_warning_naming_cell():
    with pytest.warns(UserWarning, match=r"cells \['b'\]"):
        res = divergence([10, 0, 5], [8, 3, 4], labels=["a", "b", "c"])
    assert res.smoothed_cells == ["b"]
    assert np.isfinite(res.estimate) and np.isfinite(res.se)
    # only the affected cell changes: +0.5 in both samples
    assert res.p[1] == pytest.approx(0.5 / 15.5)
    assert res.q[1] == pytest.approx(3.5 / 15.5)
    assert res.p[0] == pytest.approx(10 / 15.5)
    with pytest.raises(ValueError, match="empty in one sample"):
        divergence([10, 0, 5], [8, 3, 4], zero_cells="raise")


def test_cell_empty_in_both_is_left_out():
    full = divergence([10, 20, 0, 5], [8, 3, 0, 4])
    reduced = divergence([10, 20, 5], [8, 3, 4])
    assert full.estimate == pytest.approx(reduced.estimate)
    assert full.df == reduced.df == 2
    assert full.empty_cells == [2]


def test_weights_use_kish_effective_size():
    P = np.array([20.0, 30, 50])
    Q = np.array([40.0, 30, 30])
    # doubling every weight: same proportions, sums of squares x4, Kish n unchanged
    base = divergence(P, Q, p_sumsq=100.0, q_sumsq=100.0)
    doubled = divergence(2 * P, 2 * Q, p_sumsq=400.0, q_sumsq=400.0)
    assert doubled.estimate == pytest.approx(base.estimate)
    assert doubled.se == pytest.approx(base.se)
    assert base.n1 == pytest.approx(100.0)
    # frequency interpretation: counts are the sample sizes
    freq = divergence(2 * P, 2 * Q)
    assert freq.n1 == 200.0 and freq.se < base.se


@pytest.mark.parametrize(
    "args,kwargs,match",
    [
        (([1, np.nan], [1, 2]), {}, "p_counts contains NaN"),
        (([1, 2], [1, np.inf]), {}, "q_counts contains NaN or inf"),
        (([1, -2], [1, 2]), {}, "p_counts contains a negative count"),
        (([1, 2, 3], [1, 2]), {}, "length mismatch"),
        (([0, 0], [1, 2]), {}, "p_counts is an empty sample"),
        (([], []), {}, "p_counts is empty"),
        (([1, 2], [1, 2]), {"kind": "kullback"}, "kind must be one of"),
        (([1, 2], [1, 2]), {"alpha": 1.5}, "alpha must be in"),
        (([1, 2], [1, 2]), {"reference": "known"}, "reference must be"),
    ],
)
def test_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        divergence(*args, **kwargs)


def test_results_object_display():
    res = divergence([30, 50, 20], [20, 50, 30], name="IV")
    df = res.summary()
    assert list(df.index) == ["IV"]
    assert {"estimate", "se", "ci_low", "ci_high", "pvalue"} <= set(df.columns)
    assert res.params["IV"] == res.estimate and res.bse["IV"] == res.se
    assert "IV" in repr(res) and "<table" in res._repr_html_()
    assert res.conf_int(0.01)[1] > res.conf_int(0.2)[1]


def test_every_builtin_has_curvature_from_spec():
    expected = {"kl": 1, "reverse_kl": 1, "jeffreys": 2, "js": 0.25, "hellinger": 0.25, "chi2": 2}
    for k, v in expected.items():
        assert DIVERGENCES[k].f2_at_1 == pytest.approx(v)
    assert not DIVERGENCES["tv"].smooth


def test_single_nonempty_cell_is_exactly_zero():
    res = divergence([0, 40, 0], [0, 25, 0], "jeffreys")
    assert res.estimate == 0.0 and res.se == 0.0 and res.df == 0
    assert res.pvalue == 1.0
    assert res.conf_int() == (0.0, 0.0) and res.upper_bound() == 0.0


def test_pvalue_and_wald_interval_match_scipy_distributions():
    from infodiv.core._divergence import divergence

    P, Q = np.array([30.0, 50, 20, 7]), np.array([40.0, 35, 30, 2])
    r = divergence(P, Q, "jeffreys", alpha=0.1)
    assert r.pvalue == pytest.approx(stats.chi2.sf(r.statistic, 3), rel=1e-12)
    z = stats.norm.ppf(0.95)
    assert r.conf_int(method="wald") == pytest.approx(
        (max(0.0, r.estimate - z * r.se), r.estimate + z * r.se), rel=1e-12
    )
