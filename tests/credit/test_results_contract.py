"""Every credit result honours the results contract, and its numbers match an independent
computation (the contract checker alone only checks shapes and names)."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats
from sklearn.metrics import roc_auc_score

from infodiv.binning import StumpBinner
from infodiv.core import SUMMARY_COLUMNS, ConfidenceInterval, divergence
from infodiv.credit import (
    AUCDifference,
    AUCResult,
    Calibration,
    Scorecard,
    WoEEncoder,
    auc,
    auc_difference,
    calibration_summary,
    iv_summary,
    psi,
    psi_summary,
    woe_from_result,
    woe_table,
)
from infodiv.exceptions import UnseenCategoryWarning
from tests.reference.contract import check_result_contract


@pytest.fixture(scope="module")
def binary():
    rng = np.random.default_rng(11)
    n = 3000
    x = rng.normal(size=n)
    y = (rng.random(n) < special.expit(-0.5 + x)).astype(int)
    return x, y


def test_woe_table_is_a_vector_result_on_the_bins(binary):
    x, y = binary
    t = woe_table(x, y, bins=5)
    check_result_contract(t)
    # independent WoE: ln(bad share / good share) from the bin counts
    codes = np.searchsorted(np.asarray(t.bins.edges), x, side="right")
    bad = np.bincount(codes[y == 1], minlength=5)
    good = np.bincount(codes[y == 0], minlength=5)
    woe = np.log((bad / bad.sum()) / (good / good.sum()))
    np.testing.assert_allclose(t.params.iloc[:5].to_numpy(), woe, rtol=1e-12)
    assert t.params.index.equals(t.bse.index)
    low, high = t.conf_int()
    z = stats.norm.ppf(0.975)
    np.testing.assert_allclose(low.iloc[:5], woe - z * t.bse.iloc[:5], rtol=1e-12)
    wide = t.conf_int(0.01)
    assert (wide.low.iloc[:5] < low.iloc[:5]).all() and (high.iloc[:5] < wide.high.iloc[:5]).all()
    # the IV stays a divergence result with its own interval (README: t.iv.conf_int(0.01))
    lo, hi = t.iv.conf_int(0.01)
    assert lo < t.iv.estimate < hi
    assert list(t.summary().columns[:4]) == ["estimate", "se", "ci_low", "ci_high"]


def test_woe_from_result_is_the_log_ratio_with_nan_for_unused_cells():
    r = divergence([30.0, 10.0, 0.0, 5.0], [10.0, 30.0, 0.0, 5.0])
    p = np.array([30, 10, 5]) / 45
    q = np.array([10, 30, 5]) / 45
    got = woe_from_result(r)
    np.testing.assert_allclose(got[[0, 1, 3]], np.log(p / q), rtol=1e-12)
    assert np.isnan(got[2])
    np.testing.assert_array_equal(woe_from_result(r, "good/bad")[[0, 1, 3]], -got[[0, 1, 3]])
    with pytest.raises(ValueError, match="woe_sign"):
        woe_from_result(r, "bad-good")


def test_woe_table_and_encoder_share_the_woe_function(binary):
    x, y = binary
    X = pd.DataFrame({"x": x})
    enc = WoEEncoder(bins={"x": 5}).fit(X, y)
    t = enc.woe_tables_["x"]
    np.testing.assert_array_equal(enc.woe_values_["x"], t.table["woe"].iloc[:-1].to_numpy())
    np.testing.assert_array_equal(enc.woe_values_["x"], woe_from_result(t.iv))


def test_encoder_unseen_categories_warn_with_the_infodiv_class():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"c": pd.Categorical(rng.choice(list("abc"), 400))})
    y = (rng.random(400) < 0.3).astype(int)
    enc = WoEEncoder(bins={"c": None}).fit(X, y)
    with pytest.warns(UnseenCategoryWarning, match="not seen in fit"):
        enc.transform(pd.DataFrame({"c": pd.Categorical(["zz"])}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", UnseenCategoryWarning)  # filtering the class suffices
        assert enc.transform(pd.DataFrame({"c": pd.Categorical(["zz"])}))[0, 0] == 0.0


def test_iv_and_psi_summaries_lead_with_the_contract_columns(binary):
    x, y = binary
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"x": x, "noise": rng.normal(size=len(x))})
    out = iv_summary(X, y, bins=5)
    lead = [c for c in SUMMARY_COLUMNS]
    assert list(out.columns[:7]) == lead
    assert (out["iv"] == out["estimate"]).all() and out["estimate"].is_monotonic_decreasing
    assert out.loc["x", "estimate"] == woe_table(x, y, bins=5).iv.estimate
    assert (out["n_bins"] == out["df"] + 1).all()
    e = pd.DataFrame({"a": rng.normal(size=2000)})
    a = pd.DataFrame({"a": rng.normal(0.3, 1, size=2000)})
    ps = psi_summary(e, a, bins=5)
    assert list(ps.columns[:7]) == lead
    assert {"psi", "traffic_light", "drift"} <= set(ps.columns)
    assert ps.loc["a", "estimate"] == psi(e["a"], a["a"], bins=5).estimate


def test_psi_result_contract_and_value(binary):
    rng = np.random.default_rng(2)
    e, a = rng.normal(size=4000), rng.normal(0.2, 1, size=4000)
    r = psi(e, a, bins=[-1.0, 0.0, 1.0])
    check_result_contract(r)
    edges = [-1.0, 0.0, 1.0]
    pe = np.bincount(np.searchsorted(edges, e, side="right"), minlength=4) / e.size
    pa = np.bincount(np.searchsorted(edges, a, side="right"), minlength=4) / a.size
    assert r.estimate == pytest.approx(np.sum((pa - pe) * np.log(pa / pe)), rel=1e-12)
    assert not hasattr(r, "value")
    assert r.params.iloc[0] == r.estimate and r.params.index[0] == "PSI[x]"
    assert list(r.summary().columns[:7]) == list(SUMMARY_COLUMNS)


def test_auc_result_contract(binary):
    x, y = binary
    r = auc(y, x)
    check_result_contract(r)
    assert isinstance(r, AUCResult) and r.estimate == pytest.approx(roc_auc_score(y, x))
    assert isinstance(r.conf_int(), ConfidenceInterval)


def test_auc_difference_is_a_result_with_a_test(binary):
    x, y = binary
    rng = np.random.default_rng(3)
    other = x + rng.normal(size=x.size)
    d = auc_difference(y, x, other)
    check_result_contract(d)
    assert isinstance(d, AUCDifference)
    assert d.estimate == pytest.approx(roc_auc_score(y, x) - roc_auc_score(y, other), rel=1e-12)
    assert d.statistic == pytest.approx(d.estimate / d.se, rel=1e-12)
    assert d.pvalue == pytest.approx(2 * stats.norm.sf(abs(d.statistic)), rel=1e-12)
    lo, hi = d.conf_int()
    z = stats.norm.ppf(0.975)
    assert (lo, hi) == pytest.approx((d.estimate - z * d.se, d.estimate + z * d.se))
    assert list(d.summary().columns[:6]) == ["estimate", "se", "ci_low", "ci_high"] + [
        "statistic",
        "pvalue",
    ]


def test_calibration_is_a_result_with_glm_standard_errors():
    rng = np.random.default_rng(4)
    p = rng.uniform(0.05, 0.95, 5000)
    y = (rng.random(p.size) < p).astype(int)
    cal = calibration_summary(y, p)
    check_result_contract(cal)
    assert isinstance(cal, Calibration)
    # independent: Newton for logit P(y) = a + b logit(p), SEs from the inverse information
    lp = special.logit(p)
    A = np.column_stack([np.ones_like(lp), lp])
    beta = np.zeros(2)
    for _ in range(50):
        m = special.expit(A @ beta)
        info = A.T @ (A * (m * (1 - m))[:, None])
        beta = beta + np.linalg.solve(info, A.T @ (y - m))
    m = special.expit(A @ beta)
    cov = np.linalg.inv(A.T @ (A * (m * (1 - m))[:, None]))
    assert cal.slope == pytest.approx(beta[1], rel=1e-6)
    assert cal.se["slope"] == pytest.approx(np.sqrt(cov[1, 1]), rel=1e-6)
    # intercept with slope fixed at 1 (offset): one-parameter Newton
    a = 0.0
    for _ in range(50):
        m = special.expit(a + lp)
        a += np.sum(y - m) / np.sum(m * (1 - m))
    m = special.expit(a + lp)
    assert cal.intercept == pytest.approx(a, abs=1e-8)
    assert cal.se["intercept"] == pytest.approx(1 / np.sqrt(np.sum(m * (1 - m))), rel=1e-6)
    # Wald tests against the ideal values (0 and 1)
    z = (cal.estimate - pd.Series({"intercept": 0.0, "slope": 1.0})) / cal.se
    np.testing.assert_allclose(cal.pvalue, 2 * stats.norm.sf(np.abs(z)), rtol=1e-12)
    # a well-calibrated p gives a slope near 1 and an interval that covers it
    lo, hi = cal.conf_int(0.001)
    assert lo["slope"] < 1 < hi["slope"]


def test_scorecard_result_matches_statsmodels():
    rng = np.random.default_rng(5)
    n = 3000
    X = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.normal(size=n)})
    y = (rng.random(n) < special.expit(-1 + X["x1"] - 0.5 * X["x2"])).astype(int).to_numpy()
    enc = WoEEncoder(binner=StumpBinner(n_estimators=10, random_state=0), random_state=0)
    card = Scorecard(encoder=enc, ci_method="wald", random_state=0).fit(X, y)
    res = card.result_
    check_result_contract(res)
    pd.testing.assert_series_equal(res.params, card.params_, check_names=False)
    pd.testing.assert_series_equal(res.bse, card.bse_, check_names=False)
    np.testing.assert_allclose(res.pvalues, card.model_.pvalues, rtol=1e-10)
    np.testing.assert_allclose(res.tvalues, card.model_.tvalues, rtol=1e-12)
    sm = card.model_.conf_int(alpha=0.1)
    low, high = card.conf_int(0.1)
    np.testing.assert_allclose(low, sm.iloc[:, 0], rtol=1e-12)
    np.testing.assert_allclose(high, sm.iloc[:, 1], rtol=1e-12)
    summ = card.summary()
    assert list(summ.columns[:4]) == ["estimate", "se", "ci_low", "ci_high"]
    assert np.isnan(summ.loc["const", "iv"])
    assert summ.loc["x1", "iv"] == card.encoder_.iv_.loc["x1", "iv"]


def test_holdout_metrics_are_built_on_the_credit_metrics():
    from sklearn.metrics import brier_score_loss

    from infodiv.credit import holdout_metrics, ks_statistic
    from infodiv.reporting import holdout_metrics as reported

    assert reported is holdout_metrics  # the report's table comes from credit
    rng = np.random.default_rng(6)
    p = rng.uniform(0.02, 0.98, 2000)
    y = (rng.random(p.size) < p).astype(int)
    metrics, cal = holdout_metrics(y, p)
    r = auc(y, p)
    assert metrics.loc["AUC", "value"] == r.estimate
    assert (metrics.loc["AUC", "ci_low"], metrics.loc["AUC", "ci_high"]) == r.conf_int()
    assert metrics.loc["KS", "value"] == pytest.approx(ks_statistic(y, p), abs=1e-12)  # no ties
    assert metrics.loc["Brier", "value"] == pytest.approx(brier_score_loss(y, p), rel=1e-12)
    assert cal["n"].sum() == p.size and len(cal) == 10
    assert cal["observed"].mean() == pytest.approx(y.mean(), rel=1e-12)  # equal-count deciles
    # with ties the report's KS also looks inside tie groups: never below the ECDF distance
    q = np.round(p, 1)
    tied, _ = holdout_metrics(y, q)
    assert tied.loc["KS", "value"] >= ks_statistic(y, q) - 1e-12
