"""Bootstrap interval for c1 and bias-reduced c2 of PNCriterion (issue 15, item 6).

Truths in closed form, independent of the estimator:

* normal model of Gamma(k) data: the normal's mean and variance are orthogonal, so
  ``c1 = tr(I^-1 Sigma)/2 = (1 + beta2)/4`` with the gamma's kurtosis ``beta2 = 3 + 6/k``
  (1.5 at k = 3);
* Poisson model of negative-binomial data (mean mu, size r, a = mu/r):
  ``c1 = Var X / (2 E X) = (1 + a)/2`` and ``c2 = (1 + a)(5 + a) / (12 mu)``.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from infodiv.sample_size import PNCriterion

GAMMA_K = 3.0
GAMMA_C1 = (1 + 3 + 6 / GAMMA_K) / 4
MU, R = 10.0, 4.0
NB_C1 = (1 + MU / R) / 2
NB_C2 = (1 + MU / R) * (5 + MU / R) / (12 * MU)


def _covers(pn, method, truth):
    ci = dataclasses.replace(pn.result_, ci_method=method).conf_int()
    return bool(ci.low["c1"] <= truth <= ci.high["c1"])


def test_bootstrap_beats_delta_on_skewed_data():
    # normal model, Gamma(3) data, n = 200: the delta interval under-covers badly (c1 is a
    # kurtosis; its SE depends on the eighth moment). The studentised bootstrap covers more
    # often on the same samples; it is still short of 0.95 (benchmarks/results/pn_coverage.txt).
    assert GAMMA_C1 == 1.5
    rng = np.random.default_rng(3)
    reps, hits = 80, {"delta": 0, "studentized": 0, "bca": 0}
    for i in range(reps):
        pn = PNCriterion(n_bootstrap=200, random_state=i).fit(rng.gamma(GAMMA_K, 1.0, 200))
        for m in hits:
            hits[m] += _covers(pn, m, GAMMA_C1)
    assert hits["studentized"] >= hits["delta"] + 5
    assert hits["bca"] >= hits["delta"]
    assert hits["delta"] / reps < 0.85  # the failure this fixes (nominal 0.95)


def test_bootstrap_coverage_near_nominal_poisson_of_negative_binomial():
    rng = np.random.default_rng(4)
    reps, hits = 120, 0
    for i in range(reps):
        x = rng.negative_binomial(R, R / (R + MU), 200)
        pn = PNCriterion(family="poisson", n_bootstrap=200, random_state=i).fit(x)
        assert pn.ci_method_ == "studentized"
        lo, hi = pn.c1_ci_
        hits += lo <= NB_C1 <= hi
    # nominal 0.95; binomial sd at 120 reps is 0.02
    assert 0.9 <= hits / reps <= 0.99


def test_bias_reduced_c2_closer_to_truth_at_n_50():
    rng = np.random.default_rng(5)
    plug, bc = [], []
    for i in range(200):
        x = rng.negative_binomial(R, R / (R + MU), 50)
        pn = PNCriterion(family="poisson", n_bootstrap=100, random_state=i).fit(x)
        plug.append(pn.c2_)
        bc.append(pn.c2_bc_)
    assert abs(np.mean(bc) - NB_C2) < abs(np.mean(plug) - NB_C2)


def test_random_state_reproducible_and_delta_unchanged():
    x = np.random.default_rng(6).gamma(GAMMA_K, 1.0, 120)
    a = PNCriterion(n_bootstrap=100, random_state=7).fit(x)
    b = PNCriterion(n_bootstrap=100, random_state=7).fit(x)
    c = PNCriterion(n_bootstrap=100, random_state=8).fit(x)
    assert a.c1_ci_ == b.c1_ci_ and a.c2_bc_ == b.c2_bc_
    assert a.c1_ci_ != c.c1_ci_
    # the delta method: exp(ln c1 +/- z SE / c1), by hand; no bootstrap, no c2_bc
    d = PNCriterion(ci_method="delta").fit(x)
    z = 1.959963984540054
    f = math.exp(z * d.c1_se_ / d.c1_)
    assert d.c1_ci_ == pytest.approx((d.c1_ / f, d.c1_ * f))
    assert math.isnan(d.c2_bc_) and d.ci_method_ == "delta"
    assert (a.c1_, a.c2_, a.c1_se_) == (d.c1_, d.c2_, d.c1_se_)
    # intervals carried to risk and n_required; a smaller alpha widens the bootstrap interval
    lo, hi = a.conf_int()
    assert lo["risk"] == pytest.approx(lo["c1"] / a.n_ + a.c2_ / a.n_**2)
    wide = a.conf_int(0.01)
    assert wide.low["c1"] <= lo["c1"] and wide.high["c1"] >= hi["c1"]
    assert (lo["c1"], hi["c1"]) == a.c1_ci_


def test_auto_uses_delta_above_row_limit_and_bad_method_refused():
    from infodiv.exceptions import InvalidParameterError
    from infodiv.sample_size._criterion import BOOTSTRAP_MAX_ROWS

    x = np.random.default_rng(9).poisson(3.0, BOOTSTRAP_MAX_ROWS + 1)
    assert PNCriterion(family="poisson").fit(x).ci_method_ == "delta"
    assert PNCriterion(family="poisson").fit(x[:500]).ci_method_ == "studentized"
    with pytest.raises(InvalidParameterError, match="ci_method"):
        PNCriterion(ci_method="percentile").fit(x[:50])
    with pytest.raises(InvalidParameterError, match="n_bootstrap"):
        PNCriterion(n_bootstrap=5).fit(x[:50])
