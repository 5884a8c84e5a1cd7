"""PSI with small current samples (issue 15, item 5): Monte-Carlo null and traffic-light note.

The chi-square law of the drift statistic over-rejects at small n (8.7% at 5% with 100 actual
rows in 10 bins), and the PSI of two samples of one population reaches the amber threshold in
~40% of samples at that size. Below 1000 effective rows the p-value comes from a simulated null,
and the result says when the traffic light is uninformative. Monte-Carlo checks use fixed seeds
and tolerances of three MC standard errors.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from infodiv import psi, psi_summary
from infodiv.core import divergence
from infodiv.exceptions import InvalidParameterError

K = 10


def _replicates(n_actual: int, reps: int, seed: int, shift: float = 0.0) -> pd.DataFrame:
    """``psi_summary`` over ``reps`` columns: each column one replication (K equal cells)."""
    rng = np.random.default_rng(seed)
    cols = [f"c{i}" for i in range(reps)]
    expected = pd.DataFrame(rng.integers(0, K, (5000, reps)), columns=cols)
    # a drift that moves mass toward the low cells: shares proportional to exp(-shift * j)
    w = np.exp(-shift * np.arange(K))
    actual = pd.DataFrame(rng.choice(K, (n_actual, reps), p=w / w.sum()), columns=cols)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return psi_summary(expected, actual, "values", n_resamples=500)


def test_size_at_n100_within_mc_error() -> None:
    s = _replicates(100, 400, seed=11)
    assert (s["pvalue_method"] == "monte-carlo (B=500)").all()
    rate = float((s["pvalue"] < 0.05).mean())
    half = 3 * np.sqrt(0.05 * 0.95 / 400)
    assert 0.05 - half <= rate <= 0.05 + half, rate
    # drift is the reported p-value below alpha
    assert (s["drift"] == (s["pvalue"] < 0.05)).all()


def test_size_below_chi2_at_n50() -> None:
    """At 50 actual rows the chi-square law rejects ~9%; the simulated null stays near 5%."""
    s = _replicates(50, 400, seed=12)
    stat, df = s["statistic"].to_numpy(), s["df"].to_numpy()
    chi2_rate = float((stats.chi2.sf(stat, df) < 0.05).mean())
    mc_rate = float((s["pvalue"] < 0.05).mean())
    assert mc_rate <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / 400)
    assert mc_rate < chi2_rate


def test_power_increases_with_drift() -> None:
    rates = [
        float((_replicates(100, 100, seed=20, shift=d)["pvalue"] < 0.05).mean())
        for d in (0.0, 0.1, 0.25)
    ]
    assert rates[0] < rates[1] < rates[2]
    assert rates[2] > 0.8


def test_mc_pvalue_matches_brute_force_null() -> None:
    """Against an independent loop: multinomial draws from the pooled shares, PSI by the engine."""
    rng = np.random.default_rng(3)
    e = rng.integers(0, K, 3000)
    a = rng.choice(K, 120, p=np.r_[np.full(5, 0.12), np.full(5, 0.08)])
    r = psi(e, a, "values", n_resamples=4000)
    P = np.bincount(a, minlength=K).astype(float)
    Q = np.bincount(e, minlength=K).astype(float)
    pooled = (P + Q) / (P.sum() + Q.sum())
    sims = np.empty(2000)
    g = np.random.default_rng(99)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for b in range(sims.size):
            sims[b] = divergence(g.multinomial(120, pooled), g.multinomial(3000, pooled)).estimate
    brute = float(np.mean(sims >= r.estimate))
    assert r.pvalue == pytest.approx(brute, abs=3 * np.sqrt(0.25 / 2000) + 0.005)
    assert r.null_amber_prob == pytest.approx(float(np.mean(sims >= 0.10)), abs=0.04)


def test_traffic_light_note_small_not_large() -> None:
    rng = np.random.default_rng(0)
    e = rng.normal(size=5000)
    small = psi(e, rng.normal(size=100))
    large = psi(e, rng.normal(size=10000))
    assert small.traffic_light_note.startswith("traffic light uninformative")
    assert small.null_amber_prob > 0.25  # (K - 1)(1/100 + 1/5000) = 0.09 is near 0.10
    assert "traffic light uninformative" in repr(small)
    assert small.summary()["traffic_light_note"].iloc[0] == small.traffic_light_note
    assert large.traffic_light_note == ""
    assert large.null_amber_prob < 1e-6
    assert "uninformative" not in repr(large)


def test_large_samples_keep_chi2_pvalue_exactly() -> None:
    rng = np.random.default_rng(1)
    r = psi(rng.normal(size=5000), rng.normal(0.05, 1, size=3000))
    assert r.pvalue_method == "chi2"
    assert np.isnan(r.mc_pvalue)
    assert r.pvalue == r.divergence.pvalue
    assert r.pvalue == stats.chi2.sf(r.statistic, r.df)
    s = psi_summary(
        pd.DataFrame({"x": rng.normal(size=5000)}), pd.DataFrame({"x": rng.normal(size=2000)})
    )
    assert s.loc["x", "pvalue"] == stats.chi2.sf(s.loc["x", "statistic"], s.loc["x", "df"])
    assert s.loc["x", "pvalue_method"] == "chi2" and s.loc["x", "traffic_light_note"] == ""


def test_reproducible_and_seeded() -> None:
    rng = np.random.default_rng(2)
    e, a = rng.normal(size=2000), rng.normal(0.2, 1, size=150)
    r1, r2 = psi(e, a), psi(e, a)
    assert r1.pvalue == r2.pvalue and r1.pvalue_method == "monte-carlo (B=2000)"
    r3 = psi(e, a, random_state=7)
    assert r3.pvalue == pytest.approx(r1.pvalue, abs=0.02)
    # summary and single-feature results agree (same seed, same null)
    s = psi_summary(pd.DataFrame({"x": e}), pd.DataFrame({"x": a}))
    assert s.loc["x", "pvalue"] == r1.pvalue
    assert s.loc["x", "traffic_light_note"] == r1.traffic_light_note


def test_forced_methods() -> None:
    rng = np.random.default_rng(4)
    e, a = rng.normal(size=2000), rng.normal(size=100)
    chi = psi(e, a, pvalue_method="chi2")
    assert chi.pvalue == chi.divergence.pvalue and chi.pvalue_method == "chi2"
    # the note does not depend on how the p-value is computed
    assert chi.traffic_light_note.startswith("traffic light uninformative")
    big = psi(rng.normal(size=5000), rng.normal(size=5000), pvalue_method="monte-carlo")
    assert big.pvalue_method.startswith("monte-carlo")
    assert big.pvalue == pytest.approx(big.divergence.pvalue, abs=0.05)
    with pytest.raises(InvalidParameterError, match="pvalue_method"):
        psi(e, a, pvalue_method="exact")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="n_resamples"):
        psi(e, a, n_resamples=0)


def test_weights_use_kish_sizes() -> None:
    """Constant weights leave shares and Kish sizes unchanged: the same simulated p-value."""
    rng = np.random.default_rng(6)
    e, a = rng.normal(size=3000), rng.normal(0.15, 1, size=200)
    r = psi(e, a)
    rw = psi(e, a, expected_weight=np.full(3000, 2.5), actual_weight=np.full(200, 0.3))
    assert rw.pvalue_method == r.pvalue_method == "monte-carlo (B=2000)"
    assert rw.pvalue == r.pvalue


def test_fixed_reference_uses_actual_size() -> None:
    rng = np.random.default_rng(8)
    r = psi(rng.normal(size=100000), rng.normal(size=300), reference="fixed")
    assert r.pvalue_method.startswith("monte-carlo")
    r = psi(rng.normal(size=500), rng.normal(size=3000), reference="fixed")
    assert r.pvalue_method == "chi2"
