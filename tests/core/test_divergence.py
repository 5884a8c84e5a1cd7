"""The divergence engine against independent computations from the definitions (tests/reference)."""

import warnings

import numpy as np
import pytest
from scipy import stats

from infodiv import divergence
from infodiv.core import DIVERGENCES, ncx2_interval
from tests.reference.divergences import KINDS, reference_se, reference_value


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
    res = [divergence(rng.multinomial(800, p), rng.multinomial(800, q)) for _ in range(400)]
    bounds = np.array([r.upper_bound(0.05) for r in res])
    # one-sided: at least 95% minus 2 MC SEs; the CLs bound is conservative near zero (it
    # covers here in every replicate; the plain inversion covered 96.5% and was 0 in 3%)
    assert (bounds >= truth).mean() >= 0.92
    assert (bounds > 0).all()
    # conservative, not vacuous: on average within 1.5x the plain one-sided inversion
    # (F(T; K-1, lam) = alpha, the upper end of the two-sided 2 alpha ncx2 interval)
    plain = np.array([r.conf_int(0.1, method="ncx2").high for r in res])
    assert bounds.mean() <= 1.5 * plain.mean()


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
        (([1, 2], [1, 2]), {"kind": "kullback"}, "'kind' parameter of divergence must be"),
        (([1, 2], [1, 2]), {"alpha": 1.5}, "'alpha' parameter of divergence must be"),
        (([1, 2], [1, 2]), {"reference": "known"}, "'reference' parameter of divergence must be"),
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


# ------------------------------------------------------------------ the public result seams
def test_divergence_result_honours_the_results_contract():
    from tests.reference.contract import check_result_contract

    for kind in KINDS:
        check_result_contract(divergence([30, 50, 20], [20, 50, 30], kind, name=kind))
    check_result_contract(divergence([0, 40, 0], [0, 25, 0]))  # df = 0: the interval [0, 0]


@pytest.mark.parametrize(
    "P,Q,kind,expected",
    [
        # T = 2 n_eff J / 2 = 50 * J ~ 0.17, far below df + 3 sqrt(2 df) = 8 (df = 2): near zero
        ([30, 50, 20], [31, 49, 20], "jeffreys", "ncx2"),
        # T ~ 1.9e3 for n_eff = 5000: clearly away from zero
        ([3000, 5000, 2000], [2000, 5000, 3000], "jeffreys", "ncx2+wald"),
        # TV has no curvature at 1: always Wald
        ([30, 50, 20], [20, 50, 30], "tv", "wald"),
    ],
)
def test_ci_method_used_is_the_rule_of_auto(P, Q, kind, expected):
    res = divergence(P, Q, kind)
    near = res.statistic <= res.df + 3.0 * np.sqrt(2.0 * res.df)
    assert near == (expected == "ncx2") or kind == "tv"
    assert res.ci_method_used == expected
    assert res.ci_method_used == res._method_for(res.ci_method)  # the private one still works
    # conf_int() without a method is conf_int(method=<ci_method_used>) (the hull is named
    # "ncx2+wald" and built from the two intervals)
    ci = res.conf_int()
    if expected == "ncx2+wald":
        w, c = res.conf_int(method="wald"), res.conf_int(method="ncx2")
        assert ci == (min(w.low, c.low), max(w.high, c.high))
    else:
        assert ci == res.conf_int(method=expected)
    assert divergence(P, Q, kind, ci_method="wald").ci_method_used == "wald"


def test_conf_int_is_a_named_pair_equal_to_the_wald_formula():
    from infodiv.core import ConfidenceInterval

    res = divergence([300, 500, 200], [200, 500, 300])
    ci = res.conf_int(0.1, method="wald")
    assert isinstance(ci, ConfidenceInterval)
    z = stats.norm.ppf(0.95)
    assert ci.low == pytest.approx(res.estimate - z * res.se, rel=1e-12)
    assert ci.high == pytest.approx(res.estimate + z * res.se, rel=1e-12)
    low, high = ci
    assert (low, high) == (ci.low, ci.high)


def test_to_row_and_summary_put_the_contract_columns_first_with_unchanged_numbers():
    with pytest.warns(UserWarning, match="empty in one sample"):
        res = divergence([30, 50, 20, 0], [20, 50, 30, 5], name="IV")
    lead = ["estimate", "se", "ci_low", "ci_high", "statistic", "df", "pvalue"]
    row = res.to_row()
    assert list(row.columns) == [
        *lead,
        *["ci_method", "bias_corrected", "n_bins", "smoothed_cells", "n1", "n2"],
    ]
    assert list(row.index) == ["IV"]
    lo, hi = res.conf_int()
    expect = [res.estimate, res.se, lo, hi, res.statistic, res.df, res.pvalue]
    assert row[lead].iloc[0].tolist() == expect
    assert row["n_bins"].iloc[0] == 4 and row["smoothed_cells"].iloc[0] == 1
    assert row["ci_method"].iloc[0] == res.ci_method_used
    assert row["bias_corrected"].iloc[0] == res.estimate - res.bias
    summary = res.summary()
    assert list(summary.columns) == [
        *lead,
        *["bias_corrected", "ci_method", "upper_bound", "upper_bound_method"],
        *["pvalue_method", "n1", "n2"],
    ]
    assert summary[lead].iloc[0].tolist() == expect


def test_zero_cell_smoothing_warns_with_a_filterable_class():
    from infodiv.exceptions import InfodivWarning, ZeroCellWarning

    with pytest.warns(ZeroCellWarning, match=r"cells \[0\]") as rec:
        divergence([0, 10], [5, 5])
    assert issubclass(rec[0].category, InfodivWarning)
    assert issubclass(rec[0].category, UserWarning)  # old filters keep working
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", ZeroCellWarning)
        divergence([0, 10], [5, 5])  # filtered by class alone


def test_log_ratios_match_the_counts_and_a_simulated_sd():
    """``log_ratios`` (every WoE comes from it) against the raw shares and a simulation.

    The log ratio is ``ln`` of the two samples' shares, written out from the counts; its SE
    must match the standard deviation of the log ratio over multinomial redraws.
    """
    P, Q = np.array([120, 300, 80, 0]), np.array([200, 150, 150, 0])
    r = divergence(P, Q, "jeffreys")
    lr, se = r.log_ratios()
    np.testing.assert_allclose(lr[:3], np.log((P[:3] / P.sum()) / (Q[:3] / Q.sum())), rtol=1e-12)
    assert np.isnan(lr[3]) and np.isnan(se[3])  # empty in both samples: no ratio
    rng = np.random.default_rng(7)
    p, q = P / P.sum(), Q / Q.sum()
    draws = np.array(
        [
            np.log(
                (rng.multinomial(P.sum(), p)[:3] / P.sum())
                / (rng.multinomial(Q.sum(), q)[:3] / Q.sum())
            )
            for _ in range(4000)
        ]
    )
    np.testing.assert_allclose(se[:3], draws.std(axis=0), rtol=0.06)


def test_subnormal_share_gives_inf_se_without_overflow_warning():
    """A positive count of 2e-308 next to 3e5 (found by the fuzz test): the Jeffreys estimate is
    the closed form, f'(r) ~ 1/r overflows, so the delta-method SE is inf, with no
    RuntimeWarning (the error contract allows a result or InvalidParameterError only)."""
    import warnings

    P = np.array([1.69459560e-060, 2.22507386e-308, 2.92920867e005])
    Q = np.array([5.0, 3.0, 2.0])
    p, q = P / P.sum(), Q / Q.sum()
    want = float(np.sum((p - q) * np.log(p / q)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        r = divergence(P, Q, kind="jeffreys")
    assert r.estimate == pytest.approx(want, rel=1e-12)
    assert r.se == np.inf
    assert r.conf_int().high == np.inf and r.ci_note  # the unbounded interval is explained
