"""Fairness IV between protected groups: values, bounds, per-group IV, and bad input.

Every expected value is computed here from raw counts (the Jeffreys formula written out) or
by simulation, never taken from infodiv.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from infodiv.core._bins import FeatureBins
from infodiv.datasets import load_simucredit
from infodiv.fairness._protected import dp_bound, group_comparisons, protected_divergence
from infodiv.plotting import plot_fairness
from tests.reference.contract import check_result_contract


def _jeffreys(a, b):
    p, q = a / a.sum(), b / b.sum()
    return float(np.sum((p - q) * np.log(p / q)))


def _codes_frame(rng, n, K, groups, probs):
    """Integer-coded features already binned (bins=None treats each value as a bin)."""
    x = np.empty(n, dtype=int)
    for g, pr in probs.items():
        m = groups == g
        x[m] = rng.choice(K, size=m.sum(), p=pr)
    return x


def test_fairness_iv_equals_jeffreys_of_group_counts():
    rng = np.random.default_rng(0)
    n = 3000
    g = rng.choice(["a", "b"], size=n, p=[0.3, 0.7])
    x = _codes_frame(rng, n, 4, g, {"a": [0.1, 0.2, 0.3, 0.4], "b": [0.25, 0.25, 0.25, 0.25]})
    z = rng.integers(0, 3, n)
    X = pd.DataFrame({"x": x, "z": z, "grp": g})
    res = protected_divergence(X, "grp", bins=None)
    assert set(res.fairness.index.get_level_values("feature")) == {"x", "z"}  # not "grp"
    for f, col in (("x", x), ("z", z)):
        ca = np.bincount(col[g == "a"], minlength=col.max() + 1).astype(float)
        cb = np.bincount(col[g == "b"], minlength=col.max() + 1).astype(float)
        row = res.fairness.loc[("a vs b", f)]
        assert row["fairness_iv"] == pytest.approx(_jeffreys(ca, cb), rel=1e-10)
        K = col.max() + 1
        assert row["bias_corrected"] == pytest.approx(
            _jeffreys(ca, cb) - (K - 1) * (1 / ca.sum() + 1 / cb.sum()), rel=1e-10
        )
        assert row["tv"] == pytest.approx(0.5 * np.abs(ca / ca.sum() - cb / cb.sum()).sum())
        assert row["dp_bound"] == pytest.approx(0.5 * np.sqrt(row["upper_bound"]))
        assert row["n_a"] == (g == "a").sum() and row["n_b"] == (g == "b").sum()
    # x differs between groups, z does not
    assert res.fairness.loc[("a vs b", "x"), "pvalue"] < 1e-10
    assert res.fairness.loc[("a vs b", "z"), "pvalue"] > 1e-3


def test_repr_shows_bias_corrected_next_to_the_plug_in():
    # Equal groups: the plug-in is biased upward, the CI is for the true divergence, so the
    # printed table must carry the bias-corrected value and say why the CI can lie below.
    rng = np.random.default_rng(7)
    g = rng.choice(["a", "b"], size=2000)
    X = pd.DataFrame({"z": rng.integers(0, 5, 2000), "grp": g})
    res = protected_divergence(X, "grp", bins=None)
    header = repr(res).splitlines()[1]
    assert header.split()[:2] == ["fairness_iv", "bias_corrected"]
    assert "compare them with bias_corrected" in repr(res)
    row = res.fairness.loc[("a vs b", "z")]
    assert row["bias_corrected"] < row["fairness_iv"]
    # docs/fairness.md: a statistic in the lower alpha tail of its null law used to give the
    # bound 0 ("exact parity"); the CLs bound is positive there: its noncentrality solves
    # F(T; df, lam) / F(T; df, 0) = alpha (checked on scipy's ncx2)
    T, df = row["statistic"], row["df"]
    assert stats.chi2.cdf(T, df) < res.alpha  # this seed's case
    assert row["upper_bound"] > 0 and row["upper_bound_method"] == "cls-ncx2"
    lam = row["upper_bound"] * 2 * (row["n_a"] * row["n_b"] / (row["n_a"] + row["n_b"])) / 2
    assert stats.ncx2.cdf(T, df, lam) / stats.chi2.cdf(T, df) == pytest.approx(res.alpha)
    assert row["dp_bound"] == pytest.approx(0.5 * np.sqrt(row["upper_bound"]))


def test_reference_swaps_the_sides():
    rng = np.random.default_rng(1)
    g = rng.choice(["a", "b"], size=500)
    X = pd.DataFrame({"x": rng.integers(0, 3, 500)})
    r1 = protected_divergence(X, g, bins=None)
    r2 = protected_divergence(X, g, bins=None, reference="a")
    assert r1.comparisons == [("a vs b", "a", "b")]
    assert r2.comparisons == [("b vs a", "b", "a")]
    # Jeffreys is symmetric
    assert r1.params.iloc[0] == pytest.approx(r2.params.iloc[0], rel=1e-12)


def test_pinsker_dp_bound_holds_on_random_distributions():
    rng = np.random.default_rng(2)
    for _ in range(2000):
        K = rng.integers(2, 12)
        p, q = rng.dirichlet(np.ones(K) * 0.5), rng.dirichlet(np.ones(K) * 0.5)
        p, q = (p + 1e-12) / (1 + K * 1e-12), (q + 1e-12) / (1 + K * 1e-12)
        J = np.sum((p - q) * np.log(p / q))
        # every union of bins: the largest acceptance-rate gap is the total variation
        tv = 0.5 * np.abs(p - q).sum()
        assert tv <= dp_bound(J) + 1e-12


def test_upper_bound_and_dp_bound_cover_the_truth():
    """The one-sided 95% bounds cover the population J and the population TV (simulation)."""
    rng = np.random.default_rng(3)
    n_a, n_b, R = 400, 900, 150  # bigger run: benchmarks/fairness_coverage.py
    g = np.r_[np.full(n_a, "a"), np.full(n_b, "b")]
    pa = np.array([0.22, 0.2, 0.2, 0.2, 0.18])
    pb = np.array([0.18, 0.2, 0.2, 0.2, 0.22])
    J = float(np.sum((pa - pb) * np.log(pa / pb)))
    TV = 0.5 * np.abs(pa - pb).sum()
    cols = {f"r{r}": _codes_frame(rng, n_a + n_b, 5, g, {"a": pa, "b": pb}) for r in range(R)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = protected_divergence(pd.DataFrame(cols), g, bins=None)
    t = res.fairness.loc["a vs b"]
    cover_j = (t["upper_bound"] >= J).mean()
    cover_dp = (t["dp_bound"] >= TV).mean()
    # 95% - 3.3 binomial SE at R = 150; one-sided, so no upper limit: at n_eff J = 4.4 the CLs
    # bound is conservative (near zero it divides alpha by F(T; df, 0) <= 1)
    assert cover_j >= 0.89
    assert cover_dp >= cover_j
    # the bound is not vacuous: below the plug-in + 3 SE in most replicates
    assert (t["upper_bound"] < t["fairness_iv"] + 3 * t["se"]).mean() > 0.9


def test_more_than_two_groups_rest_and_pairwise():
    rng = np.random.default_rng(4)
    n = 4000
    g = rng.choice(["u", "v", "w"], size=n)
    x = _codes_frame(
        rng, n, 3, g, {"u": [0.5, 0.3, 0.2], "v": [0.3, 0.4, 0.3], "w": [0.2, 0.3, 0.5]}
    )
    X = pd.DataFrame({"x": x})
    rest = protected_divergence(X, g, bins=None)
    assert [c[0] for c in rest.comparisons] == ["u vs rest", "v vs rest", "w vs rest"]
    for grp in "uvw":
        ca = np.bincount(x[g == grp], minlength=3).astype(float)
        cb = np.bincount(x[g != grp], minlength=3).astype(float)
        assert rest.fairness.loc[(f"{grp} vs rest", "x"), "fairness_iv"] == pytest.approx(
            _jeffreys(ca, cb), rel=1e-10
        )
    pw = protected_divergence(X, g, bins=None, comparison="pairwise")
    assert len(pw.comparisons) == 3
    ca = np.bincount(x[g == "u"], minlength=3).astype(float)
    cb = np.bincount(x[g == "w"], minlength=3).astype(float)
    assert pw.fairness.loc[("u vs w", "x"), "fairness_iv"] == pytest.approx(_jeffreys(ca, cb))


def test_result_contract_with_three_groups():
    rng = np.random.default_rng(3)
    n = 4000
    g = rng.choice(["u", "v", "w"], size=n, p=[0.2, 0.3, 0.5])
    x = _codes_frame(
        rng, n, 3, g, {"u": [0.2, 0.3, 0.5], "v": [0.3, 0.3, 0.4], "w": [0.5, 0.3, 0.2]}
    )
    z = rng.integers(0, 4, n)
    y = rng.integers(0, 2, n)
    res = protected_divergence(pd.DataFrame({"x": x, "z": z}), g, y, bins=None)
    check_result_contract(res)
    idx = res.params.index
    assert list(idx.names) == ["comparison", "feature"] and len(idx) == 6
    low, high = res.conf_int()
    np.testing.assert_array_equal(low, res.fairness["ci_low"])
    np.testing.assert_array_equal(high, res.fairness["ci_high"])
    wide = res.conf_int(0.01)
    assert (wide.low <= low).all() and (wide.high >= high).all() and (wide.high > high).any()
    # summary: the fairness table in the contract's order, its numbers from the raw counts
    summary = res.summary()
    assert list(summary.columns[:7]) == [
        "estimate", "se", "ci_low", "ci_high", "statistic", "df", "pvalue"
    ]  # fmt: skip
    for f, col, K in (("x", x, 3), ("z", z, 4)):
        ca = np.bincount(col[g == "u"], minlength=K).astype(float)
        cb = np.bincount(col[g != "u"], minlength=K).astype(float)
        row = summary.loc[("u vs rest", f)]
        J = _jeffreys(ca, cb)
        n_eff = ca.sum() * cb.sum() / (ca.sum() + cb.sum())
        assert row["estimate"] == pytest.approx(J, rel=1e-10)
        assert row["statistic"] == pytest.approx(n_eff * J, rel=1e-10)  # f''(1) = 2
        assert row["df"] == K - 1 and row["n_bins"] == K
        assert row["pvalue"] == pytest.approx(stats.chi2.sf(n_eff * J, K - 1), rel=1e-8)
        assert res.pvalue[("u vs rest", f)] == row["pvalue"]
    with pytest.raises(ValueError, match="comparison must be one of"):
        plot_fairness(res, comparison="u vs v")


def test_per_group_predictive_iv_and_gap_test():
    rng = np.random.default_rng(5)
    n = 6000
    g = rng.choice(["a", "b"], size=n, p=[0.4, 0.6])
    y = rng.integers(0, 2, n)
    # x predicts y in group a only; z predicts equally in both
    xa = np.where(y == 1, rng.choice(3, n, p=[0.2, 0.3, 0.5]), rng.choice(3, n, p=[0.5, 0.3, 0.2]))
    x = np.where(g == "a", xa, rng.integers(0, 3, n))
    z = np.where(y == 1, rng.choice(3, n, p=[0.3, 0.3, 0.4]), rng.choice(3, n, p=[0.4, 0.3, 0.3]))
    res = protected_divergence(pd.DataFrame({"x": x, "z": z}), g, y, bins=None)
    for f, col in (("x", x), ("z", z)):
        for grp in "ab":
            m = g == grp
            bad = np.bincount(col[m & (y == 1)], minlength=3).astype(float)
            good = np.bincount(col[m & (y == 0)], minlength=3).astype(float)
            assert res.predictive.loc[(f, grp), "iv"] == pytest.approx(_jeffreys(bad, good))
    gap = res.predictive_gap.loc["a vs b"]
    assert gap.loc["x", "pvalue"] < 1e-8
    assert gap.loc["x", "difference"] == pytest.approx(
        res.predictive.loc[("x", "a"), "bias_corrected"]
        - res.predictive.loc[("x", "b"), "bias_corrected"]
    )


def test_predictive_gap_test_is_calibrated_under_equal_iv():
    """Same class-conditional law in both groups: the SE of the IV difference matches its
    spread over replicates and the test rarely rejects (rate 5.5% over 1,000 replicates in
    benchmarks/fairness_coverage.py)."""
    rng = np.random.default_rng(6)
    n, R = 3000, 80
    g = rng.choice(["a", "b"], size=n, p=[0.35, 0.65])
    y = rng.integers(0, 2, n)
    p1, p0 = [0.2, 0.3, 0.5], [0.4, 0.35, 0.25]
    cols = {}
    for r in range(R):
        cols[f"r{r}"] = np.where(y == 1, rng.choice(3, n, p=p1), rng.choice(3, n, p=p0))
    res = protected_divergence(pd.DataFrame(cols), g, y, bins=None)
    gap = res.predictive_gap
    ratio = gap["se"].mean() / gap["difference"].std(ddof=1)
    assert 0.8 <= ratio <= 1.25  # the SD estimate itself has about 8% error at R = 80
    assert abs(gap["difference"].mean()) < 3 * gap["difference"].std(ddof=1) / np.sqrt(R)
    assert (gap["pvalue"] < 0.05).mean() <= 0.15


def test_score_is_binned_with_given_edges_and_simucredit_proxy():
    df = load_simucredit()
    X = df.drop(columns=["default", "Gender"])
    score = np.log(df["Mortgage"].to_numpy())
    edges = FeatureBins("whatever", edges=(11.5, 12.0, 12.5))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = protected_divergence(X, "Race", df["default"], score=score, score_bins=edges)
    assert res.bins["score"].edges == (11.5, 12.0, 12.5)
    t = res.fairness.loc["0 vs 1"]
    # Mortgage is the proxy of Race: by far the largest fairness IV
    assert t["fairness_iv"].idxmax() in ("Mortgage", "score")
    assert (
        t.loc["Mortgage", "fairness_iv"] > 20 * t.drop(["Mortgage", "score"])["fairness_iv"].max()
    )
    assert "Race" not in t.index
    fig = res.plot()
    assert fig.axes


def test_bad_input():
    X = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "g": ["a", "b", "a", None]})
    with pytest.raises(ValueError, match="'g' has missing values"):
        protected_divergence(X, "g")
    with pytest.raises(ValueError, match="'nope' is not in X"):
        protected_divergence(X, "nope")
    with pytest.raises(ValueError, match="length mismatch"):
        protected_divergence(X[["x"]], ["a", "b"])
    with pytest.raises(ValueError, match="at least two groups"):
        protected_divergence(X[["x"]], ["a"] * 4, bins=None)
    with pytest.raises(ValueError, match="score 'score' contains NaN"):
        protected_divergence(X[["x"]], ["a", "b"] * 2, score=[0.1, np.nan, 0.2, 0.3], bins=None)
    with pytest.raises(ValueError, match="comparison must be"):
        group_comparisons(["a", "b", "c"], "all")
    with pytest.raises(ValueError, match="reference must be one of"):
        protected_divergence(X[["x"]], ["a", "b"] * 2, bins=None, reference="c")
    with pytest.raises(ValueError, match="single class"):
        protected_divergence(X[["x"]], ["a", "b"] * 2, y=[1, 1, 1, 1], bins=None)


def test_upper_bound_covers_at_moderate_divergence():
    """Where the statistic leaves the near-zero regime (n_eff J ~ 45), a Wald-only bound
    (estimate - bias + z SE) covers about 92%: a low estimate comes with a low SE. The bound
    used to certify "small" must still cover 95%."""
    from infodiv.core._divergence import divergence

    rng = np.random.default_rng(11)
    tilt = np.array([1.0, 0.5, 0.0, -0.5, -1.0])
    pa, pb = 0.2 + 0.025 * tilt, 0.2 - 0.025 * tilt
    J = float(np.sum((pa - pb) * np.log(pa / pb)))
    R, hits = 1000, 0
    for _ in range(R):
        d = divergence(rng.multinomial(2000, pa), rng.multinomial(5000, pb), "jeffreys")
        hits += d.upper_bound(0.05) >= J
    assert 0.93 <= hits / R <= 0.97  # 95% +/- 2.9 binomial SE
