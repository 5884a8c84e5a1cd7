"""The validation tests of issue 18, each against an independent computation.

Independent means: a closed form worked by hand, SciPy's or statsmodels' own test, numerical
integration, brute-force enumeration, or a simulation of the sampling law; never numbers copied
from the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats
from sklearn.metrics import roc_auc_score
from sklearn.metrics import roc_curve as sk_roc_curve

from infodiv.credit import (
    auc,
    auc_change_test,
    binomial_test,
    cap_curve,
    concentration,
    concentration_test,
    hosmer_lemeshow,
    jeffreys_test,
    ks_test,
    migration_matrix,
    rating_grades,
    roc_curve,
    spiegelhalter_test,
)
from infodiv.exceptions import InvalidParameterError
from tests.reference.contract import check_result_contract


def _grade_sample(seed=0, counts=(400, 300, 200, 100), pds=(0.02, 0.05, 0.1, 0.3)):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(1, len(counts) + 1), counts)
    p = np.repeat(pds, counts)
    y = (rng.random(g.size) < p * 1.3).astype(int)
    return y, p, g


# ---------------------------------------------------------------------------- Jeffreys
def test_jeffreys_pvalue_is_the_posterior_mass_below_the_pd_by_integration():
    # D = 1 of N = 4 at PD 0.1: posterior Beta(1.5, 3.5); p = its mass on [0, 0.1]
    r = jeffreys_test([1, 0, 0, 0], [0.1] * 4)
    dens = lambda t: t**0.5 * (1 - t) ** 2.5  # noqa: E731
    want = integrate.quad(dens, 0, 0.1)[0] / integrate.quad(dens, 0, 1)[0]
    assert float(r.pvalue["portfolio"]) == pytest.approx(want, rel=1e-8)
    assert float(r.estimate["portfolio"]) == 0.25


def test_jeffreys_per_grade_counts_pd_interval_and_holm():
    y, p, g = _grade_sample()
    r = jeffreys_test(y, p, g)
    check_result_contract(r)
    t = r.summary()
    assert list(t.index) == [1, 2, 3, 4, "portfolio"]
    for k, n in zip([1, 2, 3, 4], [400, 300, 200, 100], strict=True):
        d = int(y[g == k].sum())
        assert t.loc[k, "n"] == n and t.loc[k, "defaults"] == d
        want = stats.beta.cdf(p[g == k][0], d + 0.5, n - d + 0.5)
        assert t.loc[k, "pvalue"] == pytest.approx(want, rel=1e-10)
    # portfolio: totals and the count-weighted PD
    assert t.loc["portfolio", "pd"] == pytest.approx(p.mean())
    # Jeffreys interval: statsmodels' own
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(t["defaults"], t["n"], alpha=0.05, method="jeffreys")
    np.testing.assert_allclose(t["ci_low"], lo, rtol=1e-7)
    np.testing.assert_allclose(t["ci_high"], hi, rtol=1e-7)
    # Holm by hand: sorted p_(i) times (m - i + 1), running max
    pv = t["pvalue"].drop("portfolio").to_numpy()
    order = np.argsort(pv)
    adj = np.empty(4)
    run = 0.0
    for i, j in enumerate(order):
        run = max(run, (4 - i) * pv[j])
        adj[j] = min(run, 1.0)
    np.testing.assert_allclose(t["pvalue_holm"].drop("portfolio"), adj)
    assert np.isnan(t.loc["portfolio", "pvalue_holm"])


def test_jeffreys_portfolio_scalar_view_and_categorical_order():
    y, p, g = _grade_sample(1)
    labels = pd.Series(pd.Categorical(np.array(list("ABCD"))[g - 1], categories=list("DCBA")))
    r = jeffreys_test(y, p, labels)
    assert list(r.summary().index) == ["D", "C", "B", "A", "portfolio"]
    s = r.portfolio
    check_result_contract(s)
    assert s.pvalue == pytest.approx(float(r.pvalue["portfolio"]))
    assert "underestimate" in s.null_hypothesis


# ---------------------------------------------------------------------------- binomial
def test_binomial_pvalue_by_enumeration_and_scipy_binomtest():
    y, p, g = _grade_sample(2)
    r = binomial_test(y, p, g)
    check_result_contract(r)
    t = r.summary()
    for k in (1, 2, 3, 4):
        n, d, q = int(t.loc[k, "n"]), int(t.loc[k, "defaults"]), p[g == k][0]
        brute = sum(math.comb(n, i) * q**i * (1 - q) ** (n - i) for i in range(d, n + 1))
        assert t.loc[k, "pvalue"] == pytest.approx(brute, rel=1e-9)
        bt = stats.binomtest(d, n, q, alternative="greater")
        assert t.loc[k, "pvalue"] == pytest.approx(bt.pvalue, rel=1e-9)
        ci = stats.binomtest(d, n, q).proportion_ci(0.95, method="exact")
        assert t.loc[k, "ci_low"] == pytest.approx(ci.low, rel=1e-7)
        assert t.loc[k, "ci_high"] == pytest.approx(ci.high, rel=1e-7)
    assert float(binomial_test([1, 0, 0, 0], [0.1] * 4).pvalue["portfolio"]) == pytest.approx(
        1 - 0.9**4
    )


# ---------------------------------------------------------------------------- Hosmer-Lemeshow
def test_hosmer_lemeshow_by_hand_and_its_degrees_of_freedom():
    # two grades: N = (10, 20), D = (3, 2), PD = (0.2, 0.1)
    y = np.array([1] * 3 + [0] * 7 + [1] * 2 + [0] * 18)
    p = np.array([0.2] * 10 + [0.1] * 20)
    g = np.array([1] * 10 + [2] * 20)
    r = hosmer_lemeshow(y, p, g)
    q = (3 - 2) ** 2 / (10 * 0.2 * 0.8) + (2 - 2) ** 2 / (20 * 0.1 * 0.9)
    assert r.statistic == pytest.approx(q) and r.estimate == pytest.approx(q)
    assert r.df == 2 and r.pvalue == pytest.approx(math.exp(-q / 2))  # chi2(2) tail
    check_result_contract(r)
    assert list(r.summary().columns[:7]) == [
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "statistic",
        "df",
        "pvalue",
    ]


def test_hosmer_lemeshow_deciles_and_fitted_df():
    rng = np.random.default_rng(3)
    p = rng.uniform(0.01, 0.4, 2000)
    y = (rng.random(2000) < p).astype(int)
    r = hosmer_lemeshow(y, p, fitted=True)
    assert r.df == 8
    # by hand: 10 equal-count groups of sorted p
    order = np.argsort(p, kind="stable")
    q = 0.0
    for chunk in np.array_split(order, 10):
        n, d, pk = chunk.size, y[chunk].sum(), p[chunk].mean()
        q += (d - n * pk) ** 2 / (n * pk * (1 - pk))
    assert r.statistic == pytest.approx(q)
    assert r.pvalue == pytest.approx(stats.chi2.sf(q, 8))


# ---------------------------------------------------------------------------- Spiegelhalter
def test_spiegelhalter_equals_the_standardised_brier_score():
    rng = np.random.default_rng(4)
    p = rng.beta(1, 8, 3000)
    y = (rng.random(3000) < p * 1.1).astype(int)
    r = spiegelhalter_test(y, p)
    check_result_contract(r)
    n = len(y)
    brier = np.mean((y - p) ** 2)
    e = np.mean(p * (1 - p))
    var = np.sum((1 - 2 * p) ** 2 * p * (1 - p)) / n**2
    z = (brier - e) / np.sqrt(var)
    assert r.statistic == pytest.approx(z, rel=1e-10)
    assert r.estimate == pytest.approx(brier)
    assert r.pvalue == pytest.approx(2 * stats.norm.sf(abs(z)))


# ---------------------------------------------------------------------------- discrimination
def test_auc_change_ecb_and_unpaired_closed_form():
    rng = np.random.default_rng(5)
    y0 = rng.integers(0, 2, 800)
    y1 = rng.integers(0, 2, 600)
    a0 = auc(y0, y0 + rng.normal(size=800))
    a1 = auc(y1, 0.6 * y1 + rng.normal(size=600))
    r = auc_change_test(a0, a1)
    check_result_contract(r)
    s = (a0.estimate - a1.estimate) / a1.se
    assert r.statistic == pytest.approx(s) and r.pvalue == pytest.approx(1 - stats.norm.cdf(s))
    u = auc_change_test(a0, a1, method="unpaired")
    s2 = (a0.estimate - a1.estimate) / math.sqrt(a0.se**2 + a1.se**2)
    assert u.statistic == pytest.approx(s2)
    assert auc_change_test(0.8, a1).statistic == pytest.approx((0.8 - a1.estimate) / a1.se)
    with pytest.raises(InvalidParameterError, match="initial"):
        auc_change_test(0.8, a1, method="unpaired")
    with pytest.raises(InvalidParameterError, match="current"):
        auc_change_test(a0, 0.7)


def test_ks_matches_scipy_and_its_bootstrap_se_a_brute_force_bootstrap():
    rng = np.random.default_rng(6)
    y = (rng.random(600) < 0.3).astype(int)
    s = np.round(y + rng.normal(size=600), 1)
    r = ks_test(y, s, n_resamples=400)
    check_result_contract(r)
    ref = stats.ks_2samp(s[y == 1], s[y == 0])
    assert r.estimate == pytest.approx(ref.statistic) and r.pvalue == pytest.approx(ref.pvalue)
    # a plain bootstrap with scipy's statistic, resampling each class
    b1, b0 = s[y == 1], s[y == 0]
    brute = [
        stats.ks_2samp(rng.choice(b1, b1.size), rng.choice(b0, b0.size)).statistic
        for _ in range(400)
    ]
    assert r.se == pytest.approx(np.std(brute, ddof=1), rel=0.2)
    lo, hi = r.conf_int()
    assert lo <= r.estimate <= hi


def test_roc_curve_matches_sklearn_and_integrates_to_the_auc():
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, 500)
    s = np.round(y + rng.normal(size=500), 1)  # ties
    c = roc_curve(y, s)
    fpr, tpr, _ = sk_roc_curve(y, s, drop_intermediate=False)
    np.testing.assert_allclose(c["fpr"], fpr)
    np.testing.assert_allclose(c["tpr"], tpr)
    area = np.trapezoid(c["tpr"], c["fpr"])
    assert area == pytest.approx(roc_auc_score(y, s))
    thin = roc_curve(y, s, max_points=20)
    assert len(thin) <= 20 and thin.iloc[0]["fpr"] == 0 and thin.iloc[-1]["tpr"] == 1


def test_cap_accuracy_ratio_is_the_gini():
    rng = np.random.default_rng(8)
    y = (rng.random(1000) < 0.2).astype(int)
    s = np.round(y + rng.normal(size=1000), 1)
    c = cap_curve(y, s)
    a = np.trapezoid(c["share_defaults"], c["share_population"])
    pi = y.mean()
    ar = (a - 0.5) / ((1 - pi / 2) - 0.5)
    assert ar == pytest.approx(2 * roc_auc_score(y, s) - 1, rel=1e-10)


# ---------------------------------------------------------------------------- concentration
def test_concentration_by_hand():
    r = concentration(counts=[50, 25, 25])
    check_result_contract(r)
    cv = math.sqrt(3 * ((0.5 - 1 / 3) ** 2 + 2 * (0.25 - 1 / 3) ** 2))
    assert r.cv == pytest.approx(cv)
    assert r.herfindahl == pytest.approx(1 + math.log((cv**2 + 1) / 3) / math.log(3))
    assert r.herfindahl_classic == pytest.approx(0.375)
    one = concentration(counts=[10, 0, 0, 0])
    assert one.herfindahl == pytest.approx(1.0) and one.cv == pytest.approx(math.sqrt(3))
    g = concentration(["a", "b", "b", "c"], levels=["a", "b", "c", "d"])
    assert g.n_grades == 4 and list(g.counts) == [1, 2, 1, 0]


def test_concentration_se_matches_multinomial_simulation():
    rng = np.random.default_rng(9)
    probs = np.array([0.1, 0.2, 0.4, 0.2, 0.1])
    N = 2000
    r = concentration(counts=probs * N)
    draws = rng.multinomial(N, probs, 4000) / N
    h = (draws**2).sum(axis=1)
    hi = 1 + np.log(h) / np.log(5)
    cv = np.sqrt(5 * h - 1)
    assert r.se["herfindahl_classic"] == pytest.approx(h.std(), rel=0.08)
    assert r.se["herfindahl"] == pytest.approx(hi.std(), rel=0.08)
    assert r.se["cv"] == pytest.approx(cv.std(), rel=0.08)


def test_concentration_test_formula_and_minimum_attainable_pvalue():
    c0 = concentration(counts=[20, 20, 20, 20, 20, 20, 20])  # CV 0
    c1 = concentration(counts=[40, 20, 20, 20, 10, 20, 10])
    r = concentration_test(c0, c1)
    check_result_contract(r)
    K = 7
    cv = c1.cv
    z = math.sqrt(K - 1) * (cv - 0) / math.sqrt(cv**2 * (0.5 + cv**2))
    assert r.statistic == pytest.approx(z) and r.pvalue == pytest.approx(stats.norm.sf(z))
    # minimum p over every attainable current CV, by a fine grid
    init = concentration(counts=[10, 10, 30, 30, 10, 5, 5])
    t = concentration_test(init, c1)
    grid = np.linspace(1e-6, math.sqrt(K - 1), 200001)
    zs = math.sqrt(K - 1) * (grid - init.cv) / np.sqrt(grid**2 * (0.5 + grid**2))
    assert t.extra["min_pvalue"] == pytest.approx(stats.norm.sf(zs.max()), rel=1e-6)
    # an initial CV from which no current distribution can reject at 5%
    assert t.extra["min_pvalue"] > 0.05
    with pytest.raises(InvalidParameterError, match="grades"):
        concentration_test(c0, concentration(counts=[1, 2, 3]))


# ---------------------------------------------------------------------------- migration
def _snapshots():
    ids = np.arange(100, 112)
    before = pd.DataFrame({"id": ids, "g": [1, 1, 1, 2, 2, 2, 3, 3, 3, 1, 2, 3]})
    after = pd.DataFrame({"id": ids, "g": [1, 2, 3, 2, 1, 3, 3, 2, 1, 1, 2, 3]})
    return before, after


def test_migration_matrix_by_hand():
    before, after = _snapshots()
    r = migration_matrix(before, after, id="id", grade="g")
    check_result_contract(r)
    want = np.array([[2, 1, 1], [1, 2, 1], [1, 1, 2]])
    np.testing.assert_array_equal(r.counts.to_numpy(), want)
    e = r.estimate
    assert e["stayed"] == pytest.approx(6 / 12)
    assert e["moved_one"] == pytest.approx(4 / 12) and e["moved_more"] == pytest.approx(2 / 12)
    # MWB upper: cells (1,2) d=1 n=1, (1,3) d=2 n=1, (2,3) d=1 n=1; norms max(|i-3|,|i-1|): 2, 1
    up = (1 * 1 + 2 * 1 + 1 * 1) / (2 * 1 + 2 * 1 + 1 * 1)
    # lower: (2,1) d=1 n=1 norm 1; (3,1) d=2 n=1, (3,2) d=1 n=1 norm 2
    low = (1 + 2 + 1) / (1 * 1 + 2 * 1 + 2 * 1)
    assert e["mwb_upper"] == pytest.approx(up) and e["mwb_lower"] == pytest.approx(low)


def test_migration_matches_by_id_never_by_position_and_reports_unmatched():
    before, after = _snapshots()
    shuffled = after.sample(frac=1, random_state=1)
    shuffled = pd.concat([shuffled, pd.DataFrame({"id": [999], "g": [1]})])
    r = migration_matrix(before.iloc[1:], shuffled, id="id", grade="g")
    ref = migration_matrix(before.iloc[1:], after, id="id", grade="g")
    pd.testing.assert_frame_equal(r.counts, ref.counts)
    assert r.unmatched_before == [] and r.unmatched_after == [100, 999]
    assert r.n_matched == 11
    # Series indexed by id
    s = migration_matrix(before.iloc[1:].set_index("id")["g"], shuffled.set_index("id")["g"])
    pd.testing.assert_frame_equal(s.counts, r.counts)


def test_migration_bandwidth_se_matches_simulation():
    rng = np.random.default_rng(10)
    P = np.array([[0.8, 0.15, 0.05], [0.1, 0.8, 0.1], [0.05, 0.15, 0.8]])
    n_rows = [400, 300, 300]
    b = np.repeat([1, 2, 3], n_rows)
    a = np.concatenate([rng.choice([1, 2, 3], n, p=P[i]) for i, n in enumerate(n_rows)])
    r = migration_matrix(pd.Series(b), pd.Series(a))
    sims = []
    for _ in range(1500):
        a2 = np.concatenate([rng.choice([1, 2, 3], n, p=P[i]) for i, n in enumerate(n_rows)])
        sims.append(migration_matrix(pd.Series(b), pd.Series(a2)).estimate)
    sd = pd.DataFrame(sims).std()
    assert r.se["mwb_upper"] == pytest.approx(sd["mwb_upper"], rel=0.15)
    assert r.se["mwb_lower"] == pytest.approx(sd["mwb_lower"], rel=0.15)


def test_migration_errors_name_the_argument():
    before, after = _snapshots()
    with pytest.raises(InvalidParameterError, match="id"):
        migration_matrix(before, after, grade="g")
    with pytest.raises(InvalidParameterError, match="duplicated"):
        migration_matrix(pd.concat([before, before]), after, id="id", grade="g")
    with pytest.raises(InvalidParameterError, match="position"):
        migration_matrix(before["g"].to_numpy(), after, id="id", grade="g")
    with pytest.raises(InvalidParameterError, match="no id"):
        migration_matrix(before, after.assign(id=after["id"] + 1000), id="id", grade="g")


# ---------------------------------------------------------------------------- grades
def test_default_grades_are_monotone_with_minimum_share():
    rng = np.random.default_rng(11)
    s = rng.normal(size=5000)
    y = (rng.random(5000) < 1 / (1 + np.exp(-(s - 1.5)))).astype(int)
    g = rating_grades(s, y, min_share=0.05, max_grades=8)
    check_result_contract(g)
    t = g.summary()
    assert 2 <= g.n_grades <= 8
    assert (t["share"] >= 0.05 - 1e-12).all()
    assert (np.diff(t["default_rate"].to_numpy()) > 0).all()
    # assign agrees with the cut points by brute force: grade = 1 + #cuts <= s
    brute = 1 + (s[:, None] >= g.cuts[None, :]).sum(axis=1)
    np.testing.assert_array_equal(g.assign(s), brute)
    # the PD is the observed default rate of each grade
    for k in range(1, g.n_grades + 1):
        assert g.pd_[k - 1] == pytest.approx(max(y[brute == k].mean(), 0.0003))


def test_grades_on_points_mirror_grades_on_risk():
    rng = np.random.default_rng(12)
    s = rng.normal(size=3000)
    y = (rng.random(3000) < 1 / (1 + np.exp(-(s - 1)))).astype(int)
    risk = rating_grades(s, y)
    safe = rating_grades(-s, y, higher="safe")
    np.testing.assert_array_equal(risk.assign(s), safe.assign(-s))
    np.testing.assert_allclose(risk.pd_, safe.pd_)


def test_given_cuts_and_master_scale():
    g = rating_grades([0.01, 0.02, 0.05, 0.2], [0, 0, 1, 1], cuts=[0.03, 0.1])
    assert g.assign([0.03, 0.0299, 0.1]).tolist() == [2, 1, 3]  # a cut belongs to the grade above
    assert g.pd_.tolist() == [0.0003, 1.0, 1.0]
    m = rating_grades([0.5, 0.2], cuts=[0.1, 0.3], pd=[0.01, 0.05, 0.2])
    assert m.pd_source == "given" and m.pd_of([0.05, 0.2, 0.9]).tolist() == [0.01, 0.05, 0.2]
    assert m.to_dict()["grades"][0]["score_low"] is None  # -inf as None in JSON


@pytest.mark.parametrize(
    "kwargs, arg",
    [
        ({"score": [0.1, np.nan], "target": [0, 1]}, "score"),
        ({"score": [0.1, 0.2]}, "target"),
        ({"score": [0.1, 0.2], "cuts": [0.3, 0.2]}, "cuts"),
        ({"score": [0.1, 0.2], "cuts": [0.15], "pd": [0.1]}, "pd"),
        ({"score": [0.1, 0.2], "target": [0, 1], "higher": "up"}, "higher"),
        ({"score": [0.1, 0.2], "target": [0, 1, 1]}, "target"),
    ],
)
def test_rating_grades_errors_name_the_argument(kwargs, arg):
    with pytest.raises(InvalidParameterError, match=arg):
        rating_grades(**kwargs)


@pytest.mark.parametrize(
    "call, arg",
    [
        (lambda: jeffreys_test([0, 1], [0.1, 1.2]), "pd"),
        (lambda: binomial_test([0, 1, 2], [0.1, 0.1, 0.1]), "y"),
        (lambda: hosmer_lemeshow([0, 1], [0.1, 0.2], [1, 2], fitted=True), "grades"),
        (lambda: jeffreys_test([0, 1], [0.1, 0.2], [1, None]), "grades"),
        (lambda: spiegelhalter_test([0, 1], [0.5, 0.5]), "pd"),
        (lambda: ks_test([0, 0], [1.0, 2.0]), "y"),
        (lambda: concentration(), "grades"),
        (lambda: concentration(counts=[5]), "grades"),
        (lambda: auc_change_test(1.5, None), "current"),
    ],
)
def test_errors_name_the_argument(call, arg):
    with pytest.raises(InvalidParameterError, match=arg):
        call()


def test_a_grade_with_no_default_is_accepted():
    # low-default grades are common: one class in y is not an error for calibration tests
    r = jeffreys_test([0, 0, 0, 0], [0.01] * 4, [1, 1, 2, 2])
    assert r.summary().loc[1, "defaults"] == 0
    # D = 0: p = Beta(1/2, N + 1/2).cdf(PD); N = 4, PD = 0.01, by integration
    dens = lambda t: t**-0.5 * (1 - t) ** 3.5  # noqa: E731
    want = integrate.quad(dens, 0, 0.01)[0] / integrate.quad(dens, 0, 1)[0]
    assert float(r.pvalue["portfolio"]) == pytest.approx(want, rel=1e-6)
    assert float(binomial_test([0, 0], [0.1, 0.1]).pvalue["portfolio"]) == 1.0
    assert float(binomial_test([1, 1], [0.1, 0.1]).pvalue["portfolio"]) == pytest.approx(0.01)
    with pytest.raises(InvalidParameterError, match="event"):
        jeffreys_test(["bad", "bad"], [0.1, 0.1])
    assert float(jeffreys_test(["bad", "bad"], [0.1, 0.1], event="bad").estimate.iloc[0]) == 1.0


def test_mwb_matches_a_published_example():
    # MathWorks' documentation example of risk.validation.matrixWeightedBandwidth (R2026a):
    # this 5 x 5 count matrix has lower MWB 0.3306 and upper MWB 0.6066
    M = np.array(
        [
            [10, 8, 15, 9, 10],
            [11, 9, 13, 9, 8],
            [0, 10, 10, 11, 10],
            [0, 0, 9, 11, 11],
            [0, 0, 0, 11, 10],
        ]
    )
    rows, cols = np.nonzero(M)
    ids = np.arange(M.sum())
    before = np.repeat(rows + 1, M[rows, cols])
    after = np.repeat(cols + 1, M[rows, cols])
    r = migration_matrix(pd.Series(before, index=ids), pd.Series(after, index=ids))
    np.testing.assert_array_equal(r.counts.to_numpy(), M)
    assert r.mwb_lower == pytest.approx(0.3306, abs=5e-5)
    assert r.mwb_upper == pytest.approx(0.6066, abs=5e-5)


def test_ks_interval_is_the_basic_bootstrap_interval_with_a_note_when_below():
    rng = np.random.default_rng(13)
    y = (rng.random(800) < 0.2).astype(int)
    s = rng.normal(size=800)  # no discrimination
    r = ks_test(y, s, random_state=3)
    q_lo, q_hi = np.quantile(r.boot, [0.025, 0.975])
    lo, hi = r.conf_int()
    assert lo == pytest.approx(max(2 * r.estimate - q_hi, 0.0))
    assert hi == pytest.approx(2 * r.estimate - q_lo)
    assert (hi < r.estimate) == bool(r.ci_note)
