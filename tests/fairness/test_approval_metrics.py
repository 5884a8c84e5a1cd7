"""Cut-off metrics (adverse impact ratio and friends) against independent computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

from infodiv.exceptions import InvalidParameterError
from infodiv.fairness import ApprovalMetrics, approval_metrics

Z = stats.norm.ppf(0.975)


def _hand_data():
    # group a: 10 applicants, scores 1..10; group b: 8 applicants; cut-off 6 (score >= 6)
    sa = np.arange(1.0, 11.0)
    sb = np.array([1.0, 2.0, 2.5, 3.0, 4.0, 6.0, 7.0, 9.0])
    ya = np.array([1, 1, 0, 1, 0, 0, 0, 0, 0, 0])
    yb = np.array([1, 0, 1, 0, 0, 1, 0, 0])
    s = np.concatenate([sa, sb])
    g = np.array(["a"] * 10 + ["b"] * 8)
    y = np.concatenate([ya, yb])
    return s, g, y


def test_hand_counts_two_groups():
    s, g, y = _hand_data()
    res = approval_metrics(s, g, y, cutoff=6.0, reference="a")
    assert isinstance(res, ApprovalMetrics)
    row = res.table.loc[(6.0, "b")]
    # by hand: a approves 6..10 = 5 of 10; b approves 6, 7, 9 = 3 of 8
    assert row["approved"] == 3 and row["approved_reference"] == 5
    assert row["approval_rate"] == pytest.approx(3 / 8)
    assert row["reference_approval_rate"] == pytest.approx(0.5)
    assert row["air"] == pytest.approx((3 / 8) / 0.5)
    assert bool(row["four_fifths_flag"]) is True  # 0.75 < 0.8
    # score interval of the ratio: statsmodels' Koopman (score, no correction)
    lo, hi = confint_proportions_2indep(
        3, 8, 5, 10, method="score", compare="ratio", correction=False
    )
    assert row["air_ci_low"] == pytest.approx(lo, rel=1e-6)
    assert row["air_ci_high"] == pytest.approx(hi, rel=1e-6)
    # Newcombe's interval of the difference
    lo, hi = confint_proportions_2indep(3, 8, 5, 10, method="newcomb", compare="diff")
    assert row["approval_difference"] == pytest.approx(3 / 8 - 0.5)
    assert row["approval_difference_ci_low"] == pytest.approx(lo, rel=1e-9)
    assert row["approval_difference_ci_high"] == pytest.approx(hi, rel=1e-9)
    # the p-value of equal rates: Pearson's chi-square without continuity correction
    chi = stats.chi2_contingency([[3, 5], [5, 5]], correction=False)
    assert row["approval_pvalue"] == pytest.approx(chi.pvalue, rel=1e-9)
    # equal opportunity: goods of a are rows 3, 5..10 (7 goods) of which 6..10 approved (5);
    # goods of b: 2, 4, 7, 9 (scores 2, 3, 4... see yb) -> b goods scores 2, 3, 4, 7, 9
    good_b = s[(g == "b") & (y == 0)]
    good_a = s[(g == "a") & (y == 0)]
    xb, nb = int((good_b >= 6).sum()), len(good_b)
    xa, na = int((good_a >= 6).sum()), len(good_a)
    assert (xa, na, xb, nb) == (5, 7, 2, 5)
    assert row["eo_difference"] == pytest.approx(xb / nb - xa / na)
    lo, hi = confint_proportions_2indep(xb, nb, xa, na, method="newcomb", compare="diff")
    assert row["eo_difference_ci_low"] == pytest.approx(lo, rel=1e-9)
    assert row["eo_difference_ci_high"] == pytest.approx(hi, rel=1e-9)
    # SMD: Cohen's d with the pooled SD, by hand
    a, b = s[g == "a"], s[g == "b"]
    sp = np.sqrt(
        ((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2)
    )
    assert row["smd"] == pytest.approx((b.mean() - a.mean()) / sp)


def test_log_interval_is_katz():
    s, g, y = _hand_data()
    row = approval_metrics(s, g, cutoff=6.0, reference="a", ci_method="log").table.iloc[0]
    se = np.sqrt(1 / 3 - 1 / 8 + 1 / 5 - 1 / 10)
    assert row["air_ci_low"] == pytest.approx(0.75 * np.exp(-Z * se))
    assert row["air_ci_high"] == pytest.approx(0.75 * np.exp(Z * se))
    assert row["air_se"] == pytest.approx(0.75 * se)


def test_several_groups_each_against_the_reference():
    rng = np.random.default_rng(1)
    g = rng.choice(["w", "x", "z"], size=3000, p=[0.6, 0.3, 0.1])
    s = rng.normal(size=3000) - 0.3 * (g == "x") - 0.6 * (g == "z")
    res = approval_metrics(s, g, cutoff=[0.0, 0.5], reference="w")
    assert list(res.table.index) == [(0.0, "x"), (0.0, "z"), (0.5, "x"), (0.5, "z")]
    for (c, grp), row in res.table.iterrows():
        p_g = (s[g == grp] >= c).mean()
        p_r = (s[g == "w"] >= c).mean()
        assert row["air"] == pytest.approx(p_g / p_r)
        xg, ng = int((s[g == grp] >= c).sum()), int((g == grp).sum())
        xr, nr = int((s[g == "w"] >= c).sum()), int((g == "w").sum())
        lo, hi = confint_proportions_2indep(
            xg, ng, xr, nr, method="score", compare="ratio", correction=False
        )
        assert (row["air_ci_low"], row["air_ci_high"]) == pytest.approx((lo, hi), rel=1e-6)
    # summary: one row per metric, the contract's columns first
    summ = res.summary()
    assert list(summ.columns[:4]) == ["estimate", "se", "ci_low", "ci_high"]
    assert set(summ.index.get_level_values("metric")) == {"air", "approval_difference", "smd"}


def test_default_reference_is_the_largest_group_and_highest():
    rng = np.random.default_rng(2)
    g = np.array(["big"] * 700 + ["small"] * 300)
    s = rng.normal(size=1000) + 0.5 * (g == "small")
    assert approval_metrics(s, g, cutoff=0.0).reference == "big"
    res = approval_metrics(s, g, cutoff=0.0, reference="highest")
    assert res.table.iloc[0]["reference"] == "small"  # the higher approval rate
    assert res.table.index[0][1] == "big"


def test_approval_rate_cutoff():
    rng = np.random.default_rng(3)
    s = np.round(rng.normal(600, 40, size=500))  # ties
    g = np.where(rng.uniform(size=500) < 0.4, "p", "r")
    res = approval_metrics(s, g, approval_rate=[0.3, 0.7], reference="r")
    t = res.table
    for rate in (0.3, 0.7):
        c = t.loc[(rate, "p"), "cutoff"]
        share = (s >= c).mean()
        assert share >= rate  # at least the target
        assert (s > c).mean() < rate  # the next score up approves fewer: c is the last one
        assert t.loc[(rate, "p"), "pooled_approval_rate"] == pytest.approx(share)


def test_lower_is_better_mirrors_higher():
    rng = np.random.default_rng(4)
    s = rng.normal(size=400)
    g = np.where(rng.uniform(size=400) < 0.5, "a", "b")
    up = approval_metrics(s, g, cutoff=0.2, reference="a").table.iloc[0]
    down = approval_metrics(-s, g, cutoff=-0.2, reference="a", higher_is_better=False).table.iloc[0]
    for c in ("air", "air_ci_low", "air_ci_high", "approval_difference"):
        assert up[c] == pytest.approx(down[c])
    assert up["smd"] == pytest.approx(-down["smd"])


def test_sample_weights_match_repeated_rows():
    s, g, y = _hand_data()
    w = np.arange(1, len(s) + 1) % 3 + 1.0
    wr = approval_metrics(s, g, y, cutoff=6.0, reference="a", sample_weight=w, weights="sampling")
    rep = approval_metrics(
        np.repeat(s, w.astype(int)),
        np.repeat(g, w.astype(int)),
        np.repeat(y, w.astype(int)),
        cutoff=6.0,
        reference="a",
    )
    a, b = wr.table.iloc[0], rep.table.iloc[0]
    for c in ("approval_rate", "reference_approval_rate", "air", "eo_difference"):
        assert a[c] == pytest.approx(b[c])
    # (the SMD's variances take the Kish correction n_eff / (n_eff - 1), not the expanded one)
    # but the intervals use Kish effective sizes (fewer than the weight total): wider
    assert a["air_ci_high"] - a["air_ci_low"] > b["air_ci_high"] - b["air_ci_low"]


# ---------------------------------------------------------------------- bad input
def test_cutoff_outside_the_scores_is_refused():
    s, g, _ = _hand_data()
    with pytest.raises(InvalidParameterError, match="cutoff 11.0 lies outside the range"):
        approval_metrics(s, g, cutoff=11.0)
    with pytest.raises(InvalidParameterError, match="cutoff"):
        approval_metrics(s, g, cutoff=[5.0, 0.5])
    with pytest.raises(InvalidParameterError, match="approval_rate must be in"):
        approval_metrics(s, g, approval_rate=0.0)
    with pytest.raises(InvalidParameterError, match="exactly one of cutoff and approval_rate"):
        approval_metrics(s, g)
    with pytest.raises(InvalidParameterError, match="exactly one"):
        approval_metrics(s, g, cutoff=5.0, approval_rate=0.5)


def test_unknown_reference_is_refused():
    s, g, _ = _hand_data()
    with pytest.raises(
        InvalidParameterError, match=r"reference must be one of the groups \['a', 'b'\]"
    ):
        approval_metrics(s, g, cutoff=5.0, reference="c")


def test_one_group_and_bad_target_are_refused():
    s, g, y = _hand_data()
    with pytest.raises(InvalidParameterError, match="at least two groups"):
        approval_metrics(s, np.array(["a"] * len(s)), cutoff=5.0)
    with pytest.raises(InvalidParameterError, match="event"):
        approval_metrics(s, g, np.where(y == 1, "bad", "good"), cutoff=5.0)
    ok = approval_metrics(s, g, np.where(y == 1, "bad", "good"), cutoff=5.0, event="bad")
    assert "eo_difference" in ok.table.columns
    with pytest.raises(InvalidParameterError, match="scores contains NaN"):
        approval_metrics(np.append(s[:-1], np.nan), g, cutoff=5.0)


def test_group_without_approvals_has_air_zero_with_a_note():
    s, g, _ = _hand_data()
    res = approval_metrics(s, g, cutoff=10.0, reference="a")  # b's best score is 9
    row = res.table.iloc[0]
    assert row["air"] == 0.0
    assert row["air_ci_low"] == 0.0
    _, hi = confint_proportions_2indep(
        0, 8, 1, 10, method="score", compare="ratio", correction=False
    )
    assert row["air_ci_high"] == pytest.approx(hi, rel=1e-6)
    assert np.isfinite(row["air_ci_high"])
    assert "no approvals" in row["note"] and "air = 0" in row["note"]
    assert bool(row["four_fifths_flag"]) is True
    assert "note:" in repr(res)


def test_reference_without_approvals_is_undefined_with_a_note():
    s, g, _ = _hand_data()
    res = approval_metrics(s, g, cutoff=9.5, reference="b")  # b approves none at 9.5
    row = res.table.iloc[0]
    assert np.isnan(row["air"]) and np.isnan(row["air_ci_low"])
    assert row["four_fifths"] == "undefined" and row["four_fifths_flag"] is None
    assert "undefined" in row["note"]
    # the difference is still defined, and finite
    assert row["approval_difference"] == pytest.approx(0.1)
    assert np.isfinite(
        [row["approval_difference_ci_low"], row["approval_difference_ci_high"]]
    ).all()
    # nothing infinite anywhere in the output
    num = res.table.select_dtypes("number").to_numpy(dtype=float)
    assert not np.isinf(num).any()


def test_group_without_goods_has_no_eo_with_a_note():
    s, g, y = _hand_data()
    y = y.copy()
    y[g == "b"] = 1  # every b applicant is bad
    row = approval_metrics(s, g, y, cutoff=6.0, reference="a").table.iloc[0]
    assert np.isnan(row["eo_difference"])
    assert "no goods" in row["note"]


# ---------------------------------------------------------------------- coverage
# The intervals' functions are those approval_metrics calls (the hand-count tests above check
# the calls); the Monte-Carlo runs them directly, for speed.
def test_coverage_of_the_intervals_small_monte_carlo():
    """1,000 replications: the 95% intervals cover within Monte-Carlo error (SE ~0.007)."""
    from infodiv.fairness._approval import newcombe_interval, ratio_score_interval

    rng = np.random.default_rng(7)
    n_g, n_r, p_r, ratio = 60, 240, 0.5, 0.7
    hits = {"air_score": 0, "air_log": 0, "diff": 0}
    reps = 1000
    for _ in range(reps):
        xg, xr = rng.binomial(n_g, ratio * p_r), rng.binomial(n_r, p_r)
        lo, hi = ratio_score_interval(xg, n_g, xr, n_r, Z)
        hits["air_score"] += lo <= ratio <= hi
        se = np.sqrt(1 / xg - 1 / n_g + 1 / xr - 1 / n_r)
        est = (xg / n_g) / (xr / n_r)
        hits["air_log"] += est * np.exp(-Z * se) <= ratio <= est * np.exp(Z * se)
        lo, hi = newcombe_interval(xg, n_g, xr, n_r, Z)
        hits["diff"] += lo <= (ratio - 1) * p_r <= hi
    for k, v in hits.items():
        assert 0.93 <= v / reps <= 0.97, (k, v / reps)


def test_coverage_end_to_end_small():
    """The public function on 150 simulated samples (score interval of the AIR)."""
    rng = np.random.default_rng(17)
    n_g, n_r, p_r, ratio = 80, 320, 0.4, 0.75
    g = np.array(["g"] * n_g + ["r"] * n_r)
    hit, reps = 0, 150
    for _ in range(reps):
        approved = np.concatenate(
            [rng.uniform(size=n_g) < ratio * p_r, rng.uniform(size=n_r) < p_r]
        ).astype(float)
        row = approval_metrics(approved, g, cutoff=1.0, reference="r").table.iloc[0]
        hit += row["air_ci_low"] <= ratio <= row["air_ci_high"]
    assert 0.89 <= hit / reps <= 1.0


def test_smd_se_matches_the_monte_carlo_sd_for_skewed_scores():
    from infodiv.fairness._approval import smd_and_se

    def mom(x):
        d = x - x.mean()
        return x.mean(), x.var(ddof=1), (d**3).mean(), (d**4).mean(), float(len(x))

    rng = np.random.default_rng(8)
    n_g, n_r = 150, 450
    ds, ses, hits = [], [], 0
    true = -0.4 / np.sqrt(2.0)  # gamma(2) has SD sqrt(2): a shift of 0.4 is d = -0.283
    for _ in range(1000):
        a, b = rng.gamma(2.0, 1.0, n_g) - 0.4, rng.gamma(2.0, 1.0, n_r)
        d, se = smd_and_se(mom(a), mom(b))
        ds.append(d)
        ses.append(se)
        hits += d - Z * se <= true <= d + Z * se
    # the delta-method SE (skewness and kurtosis in) against the replicates' SD: within 8%
    assert np.mean(ses) == pytest.approx(np.std(ds, ddof=1), rel=0.08)
    assert 0.93 <= hits / 1000 <= 0.97
    # the normal-theory (Hedges-Olkin) SE ignores the skewness: it is further off here
    d = np.mean(ds)
    ho = np.sqrt(1 / n_g + 1 / n_r + d * d / (2 * (n_g + n_r)))
    assert abs(ho - np.std(ds, ddof=1)) > abs(np.mean(ses) - np.std(ds, ddof=1))


def test_contract_and_repr():
    from tests.reference.contract import check_result_contract

    s, g, y = _hand_data()
    res = approval_metrics(s, g, y, approval_rate=[0.4, 0.6], reference="a")
    check_result_contract(res)
    low, high = res.conf_int(0.01)
    low5, high5 = res.conf_int()
    ok = low.notna() & low5.notna()
    assert (low[ok] <= low5[ok] + 1e-12).all() and (high[ok] >= high5[ok] - 1e-12).all()
    assert "ApprovalMetrics(reference 'a'" in repr(res)
    assert isinstance(res.table, pd.DataFrame)


def test_log_interval_when_everyone_is_approved_is_not_degenerate():
    s = np.arange(20.0)
    g = np.array(["a", "b"] * 10)
    row = approval_metrics(s, g, cutoff=0.0, reference="a", ci_method="log").table.iloc[0]
    # Haldane-Anscombe: half an approval and half a decline in both groups: 10.5 of 11
    se = np.sqrt(2 * (1 / 10.5 - 1 / 11))
    assert row["air"] == 1.0
    assert row["air_ci_low"] == pytest.approx(np.exp(-Z * se))
    assert row["air_ci_high"] == pytest.approx(np.exp(Z * se))
    assert "half a decline" in row["note"]
