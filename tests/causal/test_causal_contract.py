"""The causal results honour the package's results contract; the generator table is core's.

* :class:`CausalBounds` and :class:`SensitivityCurve` pass ``check_result_contract``; their
  ``summary()`` rows (one per bound endpoint) and ``conf_int`` intervals are checked against
  the Wald formulas written out here from the stored bounds and SEs;
* :data:`CAUSAL_GENERATORS` are ``core.Generator`` values equal to the spec's generators
  (``tests/reference/causal.py``), with ``chi2`` the core's at ``scale=0.5`` and the dual's
  constants checked against their definitions;
* the sensitivity plot lives in ``infodiv.plotting`` and ``.plot()`` delegates to it.
"""

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from infodiv.causal import (
    CAUSAL_DIVERGENCES,
    CAUSAL_GENERATORS,
    QUANTITIES,
    CausalBounds,
    DivergenceBounds,
    ManskiBounds,
    MSMBounds,
    SensitivityCurve,
    sensitivity_curve,
)
from infodiv.causal._generators import density_ratio, kfun
from infodiv.core import DIVERGENCES, ConfidenceInterval, Generator
from infodiv.exceptions import InfodivWarning
from tests.reference.causal import spec_f
from tests.reference.contract import check_result_contract

matplotlib.use("Agg")

SUPPORT = (0.0, 1.0)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(21)
    n = 400
    X = rng.uniform(-1, 1, size=(n, 1))
    A = rng.binomial(1, 1 / (1 + np.exp(-0.8 * X[:, 0])))
    Y = np.clip(0.4 + 0.2 * A + 0.2 * X[:, 0] + 0.2 * rng.normal(size=n), 0, 1)
    return X, A, Y


@pytest.fixture(scope="module")
def fitted(data):
    X, A, Y = data
    kw = dict(support=SUPPORT, n_folds=2, random_state=0, alpha=0.1)
    return {
        "kl": DivergenceBounds("kl", **kw).fit(X, A, Y),
        "all": DivergenceBounds("all", **kw).fit(X, A, Y),
        "manski": ManskiBounds(**kw).fit(X, A, Y),
        "msm": MSMBounds(Lambda=2.0, **kw).fit(X, A, Y),
    }


@pytest.fixture(scope="module")
def curve(data):
    X, A, Y = data
    return sensitivity_curve(
        X, A, Y, support=SUPPORT, rho=[0.0, 0.05], Lambda=[1.0, 3.0], n_folds=2, random_state=0
    )


def _range(q):
    lo, hi = SUPPORT
    return (lo - hi, hi - lo) if q == "ATE" else (lo, hi)


# ------------------------------------------------------------------ CausalBounds
@pytest.mark.parametrize("key", ["kl", "all", "manski", "msm"])
def test_causal_bounds_contract(fitted, key):
    est = fitted[key]
    res = est.result_
    assert isinstance(res, CausalBounds)
    check_result_contract(res)
    ci = est.conf_int()
    assert isinstance(ci, ConfidenceInterval)
    pd.testing.assert_series_equal(ci.low, res.conf_int().low)


@pytest.mark.parametrize("key", ["kl", "msm"])
def test_summary_rows_are_the_endpoints_with_the_set_interval(fitted, key):
    res = fitted[key].result_
    s = res.summary()
    assert list(s.columns[:4]) == ["estimate", "se", "ci_low", "ci_high"]
    assert list(s.index.names) == ["quantity", "bound"] and len(s) == 6
    z = stats.norm.ppf(1 - res.alpha / 2)
    for i, q in enumerate(QUANTITIES):
        rmin, rmax = _range(q)
        low = np.clip(res.lower[i] - z * res.se_lower[i], rmin, rmax)
        high = np.clip(res.upper[i] + z * res.se_upper[i], rmin, rmax)
        for j, bound in enumerate(("lower", "upper")):
            row = s.loc[(q, bound)]
            assert row["estimate"] == (res.lower, res.upper)[j][i]
            assert row["se"] == (res.se_lower, res.se_upper)[j][i]
            # the set interval of the quantity, on both of its endpoint rows
            assert row["ci_low"] == pytest.approx(low, abs=1e-14)
            assert row["ci_high"] == pytest.approx(high, abs=1e-14)
    # table(): the same numbers one row per quantity
    t = res.table()
    np.testing.assert_array_equal(t["lower"], s.xs("lower", level="bound")["estimate"])
    np.testing.assert_array_equal(t["upper"], s.xs("upper", level="bound")["estimate"])
    np.testing.assert_array_equal(t["ci_low"], s.xs("lower", level="bound")["ci_low"])
    np.testing.assert_array_equal(t["ci_high"], s.xs("upper", level="bound")["ci_high"])


def test_endpoint_interval_and_alpha(fitted):
    res = fitted["kl"].result_
    ci = res.conf_int(0.2, interval="endpoint")
    z = stats.norm.ppf(0.9)
    est, se = res.params.to_numpy(), res.bse.to_numpy()
    rmin = np.repeat([_range(q)[0] for q in QUANTITIES], 2)
    rmax = np.repeat([_range(q)[1] for q in QUANTITIES], 2)
    np.testing.assert_allclose(ci.low, np.clip(est - z * se, rmin, rmax), atol=1e-14)
    np.testing.assert_allclose(ci.high, np.clip(est + z * se, rmin, rmax), atol=1e-14)
    # a higher level gives a wider set interval
    narrow, wide = res.conf_int(0.2), res.conf_int(0.01)
    assert (wide.low <= narrow.low).all() and (wide.high >= narrow.high).all()
    with pytest.raises(ValueError, match="interval must be one of"):
        res.conf_int(interval="wald")
    with pytest.raises(ValueError, match="not available for an intersection"):
        fitted["all"].result_.conf_int(interval="endpoint")


def test_estimator_summary_for_all_has_one_block_per_divergence(fitted):
    s = fitted["all"].summary()
    assert list(s.columns[:4]) == ["estimate", "se", "ci_low", "ci_high"]
    assert len(s) == 6 * (len(CAUSAL_DIVERGENCES) + 1)
    assert set(s["divergence"]) == set(CAUSAL_DIVERGENCES) | {"intersection"}


def test_empty_intersection_warns_with_the_infodiv_class(fitted):
    kl = fitted["kl"].result_
    shifted = CausalBounds(
        **{k: getattr(kl, k) for k in ("method", "divergence", "radius", "support", "alpha", "n")},
        lower=kl.upper + 0.1,
        upper=kl.upper + 0.2,
        se_lower=kl.se_lower,
        se_upper=kl.se_upper,
    )
    with pytest.warns(InfodivWarning, match="intersection"):
        CausalBounds.intersect([kl, shifted])


# ------------------------------------------------------------------ SensitivityCurve
def test_sensitivity_curve_contract(curve):
    assert isinstance(curve, SensitivityCurve)
    check_result_contract(curve)
    f = curve.frame
    assert list(f.columns) == [
        "model",
        "divergence",
        "param",
        "quantity",
        "lower",
        "upper",
        "ci_low",
        "ci_high",
        "se_lower",
        "se_upper",
    ]
    s = curve.summary()
    assert list(s.columns) == ["estimate", "se", "ci_low", "ci_high"] and len(s) == 2 * len(f)
    # each frame row gives its lower and upper endpoint rows, in order
    np.testing.assert_array_equal(
        s["estimate"].to_numpy(), np.column_stack([f["lower"], f["upper"]]).ravel()
    )
    np.testing.assert_array_equal(
        s["se"].to_numpy(), np.column_stack([f["se_lower"], f["se_upper"]]).ravel()
    )
    np.testing.assert_array_equal(s["ci_low"].to_numpy(), np.repeat(f["ci_low"].to_numpy(), 2))


def test_sensitivity_curve_conf_int_at_another_level_matches_the_estimators(data, curve):
    # at the curve's own level, the recomputed interval equals the stored one
    same = curve.conf_int(curve.alpha)
    stored = curve.conf_int()
    np.testing.assert_allclose(same.low, stored.low, atol=1e-14)
    np.testing.assert_allclose(same.high, stored.high, atol=1e-14)
    # at another level it equals what an estimator refitted at that level reports
    X, A, Y = data
    est = MSMBounds(Lambda=3.0, support=SUPPORT, n_folds=2, random_state=0, alpha=0.01)
    t = est.fit(X, A, Y).table()
    ci = curve.conf_int(0.01)
    for q in QUANTITIES:
        key = ("MSM", "", 3.0, q, "lower")
        assert ci.low[key] == pytest.approx(t.loc[q, "ci_low"], abs=1e-12)
        assert ci.high[key] == pytest.approx(t.loc[q, "ci_high"], abs=1e-12)


def test_sensitivity_plot_is_in_plotting_and_plot_delegates(curve):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from infodiv.plotting import plot_sensitivity

    fig = plot_sensitivity(curve, "E[Y(1)]", reference={"truth": 0.5})
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    fig2, axes = plt.subplots(1, 2)
    assert curve.plot(ax=axes) is fig2  # draws on the given axes
    assert [ax.get_xlabel() for ax in fig2.axes] == [ax.get_xlabel() for ax in fig.axes[:2]]
    assert len(axes[0].lines) == len(fig.axes[0].lines) - 1  # no reference line
    with pytest.raises(ValueError, match="quantity must be one of"):
        plot_sensitivity(curve, "ATT")
    plt.close("all")


# ------------------------------------------------------------------ generators
@pytest.mark.parametrize("name", CAUSAL_DIVERGENCES)
def test_causal_generators_are_core_generators(name):
    g = CAUSAL_GENERATORS[name]
    assert isinstance(g, Generator) and g.name == name
    t = np.array([0.05, 0.3, 1.0, 2.5, 40.0])
    np.testing.assert_allclose(g.f(t), spec_f(name, t), rtol=1e-14, atol=1e-15)
    # chi2 means (t - 1)^2 everywhere; the causal bounds use it at scale 1/2
    assert g.scale == (0.5 if name == "chi2" else 1.0)
    np.testing.assert_allclose(g.f(t), g.scale * DIVERGENCES[name].f(t), rtol=1e-15)
    assert DIVERGENCES["chi2"].f(np.array([3.0]))[0] == 4.0
    # f0 = f(0), f_inf = lim f(t)/t
    assert g.f0 == pytest.approx(float(spec_f(name, 0.0)), abs=1e-15)
    big = 1e16
    slope = float(spec_f(name, big)) / big
    if np.isinf(g.f_inf):
        assert slope > 10
    else:
        assert g.f_inf == pytest.approx(slope, abs=1e-6)
    # tau0: where the optimal density ratio is one (k is smallest); for TV, where it jumps
    if name == "tv":
        s = density_ratio(name, g.tau0 + np.array([-1e-9, 1e-9]))
        assert s.tolist() == [1.0, 0.0]
    else:
        assert float(density_ratio(name, np.array([g.tau0]))[0]) == pytest.approx(1.0, abs=1e-12)
    tau = g.tau0 * np.array([0.9, 1.0, 1.1])
    k = kfun(name, tau)
    assert k[1] <= k[0] and k[1] <= k[2]
    # barrier: k(0+) or k'(0+) is infinite
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        k0, k1, _ = kfun(name, np.array([1e-300]), order=2)
    assert g.barrier == bool(k0[0] > 1e6 or k1[0] < -1e6)
