"""Behaviour of the causal bound estimators: containment, limits, orthogonality, inference, errors."""

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsRegressor
from sklearn.utils.estimator_checks import (
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
)

from infodiv.causal import (
    CAUSAL_DIVERGENCES,
    ClassifierLaw,
    DivergenceBounds,
    ManskiBounds,
    MSMBounds,
    f_radius,
    sensitivity_curve,
)
from infodiv.causal._bounds import f_score, msm_score
from infodiv.causal._dual import solve_upper, tail_mass_sum
from infodiv.causal._generators import kfun

matplotlib.use("Agg")


def simulate(n, seed, binary=False):
    """Two covariates, logistic propensity, outcome in [0, 1] with mass at both ends."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    e = 1 / (1 + np.exp(-(0.2 + 0.9 * X[:, 0] - 0.5 * X[:, 1])))
    A = rng.binomial(1, e)
    if binary:
        Y = rng.binomial(1, 0.3 + 0.2 * A + 0.15 * X[:, 1]).astype(float)
    else:
        Y = np.clip(0.45 + 0.15 * X[:, 0] + 0.1 * A + 0.25 * rng.normal(size=n), 0, 1)
    return X, A, Y


@pytest.fixture(scope="module")
def sim():
    return simulate(800, 0)


@pytest.fixture(scope="module")
def fitted_all(sim):
    X, A, Y = sim
    return DivergenceBounds("all", support=(0, 1), random_state=1, alpha=0.1).fit(X, A, Y)


# ------------------------------------------------------------------ containment and limits
def test_conditional_f_bounds_contain_manski(sim, fitted_all):
    X, A, Y = sim
    f = fitted_all
    m = ManskiBounds(support=(0, 1), random_state=1).fit(X, A, Y)
    for a in (0, 1):
        mb = m.predict_bounds(X[:200], a)
        fb = f.predict_bounds(X[:200], a)
        for name in CAUSAL_DIVERGENCES:
            assert (fb[name, "lower"] <= mb["lower"] + 1e-12).all()
            assert (fb[name, "upper"] >= mb["upper"] - 1e-12).all()
        # the intersection is the tightest of the five
        assert np.allclose(
            fb["intersection", "lower"], fb.xs("lower", axis=1, level=1).iloc[:, :5].max(axis=1)
        )


def test_averaged_f_bounds_contain_manski(sim, fitted_all):
    X, A, Y = sim
    m = ManskiBounds(support=(0, 1)).fit(X, A, Y).table()
    for name in CAUSAL_DIVERGENCES:
        f = fitted_all.results_[name].table()
        assert (f["lower"] < m["lower"]).all() and (f["upper"] > m["upper"]).all(), name


def test_manski_averaged_is_the_sample_mean_of_its_score(sim):
    X, A, Y = sim
    s = ManskiBounds(support=(-1, 2)).fit(X, A, Y).table()
    up1 = np.where(A == 1, Y, 2.0)
    lo0 = np.where(A == 0, Y, -1.0)
    assert s.loc["E[Y(1)]", "upper"] == pytest.approx(up1.mean())
    assert s.loc["ATE", "upper"] == pytest.approx((up1 - lo0).mean())
    assert s.loc["ATE", "se_upper"] == pytest.approx((up1 - lo0).std(ddof=1) / np.sqrt(len(A)))


def test_msm_tends_to_manski_and_widens_with_lambda():
    rng = np.random.default_rng(4)
    A = rng.binomial(1, 0.4, 700)
    Y = rng.gamma(2.0, 1.0, 700)
    # both arms attain the sample range (the MSM law of an arm never leaves the arm's range)
    for a in (0, 1):
        i, j = np.flatnonzero(A == a)[:2]
        Y[i], Y[j] = 0.0, 12.0
    man = ManskiBounds(support="observed").fit(None, A, Y).table()
    widths = []
    for lam in (1.0, 1.5, 3.0, 10.0, 100.0):
        s = MSMBounds(Lambda=lam, support="observed").fit(None, A, Y).table()
        widths.append((s["upper"] - s["lower"]).to_numpy())
        assert (s["lower"] >= man["lower"] - 1e-12).all() and (
            s["upper"] <= man["upper"] + 1e-12
        ).all()
    assert np.all(np.diff(np.array(widths), axis=0) > 0)
    big = MSMBounds(Lambda=1e7, support="observed").fit(None, A, Y).table()
    np.testing.assert_allclose(
        big[["lower", "upper"]], man[["lower", "upper"]], atol=1e-5 * Y.max()
    )


def test_msm_sharp_bound_by_brute_force_reweighting():
    # Under the MSM, dP(Y(a) | A != a, x) / dP(Y | A = a, x) = 1/OR lies in [1/L, L] and has
    # mean one. The sharp upper mean is a linear programme over those weights.
    rng = np.random.default_rng(2)
    for L in (1.3, 2.5, 7.0):
        y = np.sort(rng.normal(size=9))
        p = rng.dirichlet(np.ones(9))
        res = optimize.linprog(
            -p * y, A_eq=p[None], b_eq=[1.0], bounds=[(1 / L, L)] * y.size, method="highs"
        )
        tail, q = tail_mass_sum(y[None], p[None], np.array([1 / (1 + L)]))
        nu = (p @ y) / L + (L - 1 / L) * tail[0]
        assert nu == pytest.approx(-res.fun, abs=1e-10)
        # and the estimator's conditional bound e mu + (1 - e) nu, here without covariates
        e = 0.3
        from infodiv.causal._bounds import msm_bound_rows

        theta, _, _ = msm_bound_rows(y[None], p[None], np.array([e]), L, "upper")
        assert theta[0] == pytest.approx(e * (p @ y) + (1 - e) * (-res.fun), abs=1e-10)
        res_lo = optimize.linprog(
            p * y, A_eq=p[None], b_eq=[1.0], bounds=[(1 / L, L)] * y.size, method="highs"
        )
        theta_lo, _, _ = msm_bound_rows(y[None], p[None], np.array([e]), L, "lower")
        assert theta_lo[0] == pytest.approx(e * (p @ y) + (1 - e) * res_lo.fun, abs=1e-10)


def test_bounds_shrink_to_aipw(sim, fitted_all):
    X, A, Y = sim
    aipw = fitted_all.aipw_["estimate"]
    sens = fitted_all.sensitivity([0.0, 1e-10, 1e-6])
    for name in CAUSAL_DIVERGENCES:
        g = sens[sens.divergence == name]
        at0 = g[g.rho == 0].set_index("quantity")
        np.testing.assert_allclose(at0["lower"], aipw, atol=1e-12)
        np.testing.assert_allclose(at0["upper"], aipw, atol=1e-12)
        tiny = g[g.rho == 1e-10].set_index("quantity")
        tol = (
            1e-3 if name == "tv" else 1e-4
        )  # TV moves mass linearly in rho, the others ~ sqrt(rho)
        assert np.all(np.abs(tiny["upper"] - aipw) < tol) and np.all(
            np.abs(tiny["lower"] - aipw) < tol
        ), name
        w6 = g[g.rho == 1e-6].set_index("quantity")
        assert np.all(w6["upper"] - w6["lower"] > tiny["upper"] - tiny["lower"]), name
    # AIPW written out here from the estimator's cross-fitted nuisances
    msm = MSMBounds(Lambda=1.0, support=(0, 1), random_state=1).fit(X, A, Y)
    nu = msm.nuisances_
    mu1 = nu.laws[1].mean()
    manual = np.mean(mu1 + A / nu.e1 * (Y - mu1))
    assert msm.table().loc["E[Y(1)]", "lower"] == pytest.approx(manual, abs=1e-12)
    assert msm.table().loc["E[Y(1)]", "upper"] == pytest.approx(manual, abs=1e-12)
    assert aipw.loc["E[Y(1)]"] == pytest.approx(manual, abs=1e-12)


def test_f_sensitivity_widens_and_reaches_the_propensity_radius(sim):
    X, A, Y = sim
    est = DivergenceBounds("hellinger", support=(0, 1), random_state=0).fit(X, A, Y)
    bmax = max(f_radius(est.nuisances_.e(a), "hellinger").max() for a in (0, 1))
    sens = est.sensitivity([0.01, 0.05, 0.2, bmax])
    ate = sens[sens.quantity == "ATE"]
    assert np.all(np.diff(ate["upper"]) > 0) and np.all(np.diff(ate["lower"]) < 0)
    last = ate.iloc[-1]
    assert last["upper"] == pytest.approx(est.table().loc["ATE", "upper"], abs=1e-10)
    assert last["lower"] == pytest.approx(est.table().loc["ATE", "lower"], abs=1e-10)


# ------------------------------------------------------------------ orthogonality
def _population():
    px = np.array([0.3, 0.45, 0.25])
    e1 = np.array([0.3, 0.55, 0.7])
    yv = np.array([0.0, 0.2, 0.6, 1.0])
    law = np.array([[0.4, 0.3, 0.2, 0.1], [0.25, 0.25, 0.3, 0.2], [0.1, 0.2, 0.3, 0.4]])
    return px, e1, yv, law


def _expected_f_score(name, px, e_true, law_true, yv, e_hat, law_hat, lam, sig):
    """E[psi] under the true law for arm 1, upper bound, with the given nuisances."""
    d = 1 - yv
    rho = f_radius(e_hat, name)
    Ek = np.sum(law_hat * kfun(name, (d[None] + sig[:, None]) / lam[:, None]), axis=1)
    theta = 1 - law_hat @ d + lam * (rho + Ek)
    total = 0.0
    for j, dj in enumerate(d):  # treated with outcome y_j
        phi = f_score(
            name, theta, lam, sig, rho, np.ones(3, bool), e_hat, np.ones(3), np.full(3, dj)
        )
        total += np.sum(px * e_true * law_true[:, j] * phi)
    phi0 = f_score(
        name, theta, lam, sig, rho, np.ones(3, bool), e_hat, np.zeros(3), np.full(3, 0.5)
    )
    total += np.sum(px * (1 - e_true) * phi0)
    return total, np.sum(px * theta)


@pytest.mark.parametrize("name", ["kl", "hellinger", "chi2", "js"])
def test_f_score_is_orthogonal_in_each_nuisance(name):
    px, e1, yv, law = _population()
    sol = solve_upper(np.broadcast_to(1 - yv, law.shape), law, f_radius(e1, name), name)
    lam, sig = sol.lam, sol.sigma
    assert np.all(sig > 0)  # interior optimum (the law charges the top)
    truth, plug = _expected_f_score(name, px, e1, law, yv, e1, law, lam, sig)
    assert truth == pytest.approx(plug, abs=1e-12)  # the score has mean zero at the truth
    h_law = np.array([[0.1, -0.05, 0.0, -0.05], [-0.1, 0.0, 0.05, 0.05], [0.05, 0.05, -0.1, 0.0]])
    directions = {
        "propensity": (np.array([0.1, 0.05, 0.1]), 0, 0, 0),
        "law": (0, h_law, 0, 0),
        "lambda": (0, 0, 0.3 * lam, 0),
        "sigma": (0, 0, 0, 0.3 * sig),
    }
    eps = 1e-4
    for what, (de, dlaw, dlam, dsig) in directions.items():

        def g(t, de=de, dlaw=dlaw, dlam=dlam, dsig=dsig):
            return _expected_f_score(
                name, px, e1, law, yv, e1 + t * de, law + t * dlaw, lam + t * dlam, sig + t * dsig
            )

        (gp, pp), (gm, pm) = g(eps), g(-eps)
        slope, plug_slope = (gp - gm) / (2 * eps), (pp - pm) / (2 * eps)
        assert abs(slope) < 1e-6, (what, slope)
        assert abs(g(1e-3)[0] - truth) < 1e-5  # second order
        if what in ("propensity", "law"):
            assert abs(plug_slope) > 1e-3, (what, plug_slope)  # the plug-in is not orthogonal


def test_msm_score_is_orthogonal():
    px, e1, yv, law = _population()
    L = 4.0  # 1/(1+L) = 0.2: the upper 20% mass ends strictly between atoms for rows 0 and 1
    law = np.array([[0.4, 0.3, 0.1, 0.2], [0.3, 0.25, 0.25, 0.2], [0.1, 0.2, 0.3, 0.4]])
    _, q_true = tail_mass_sum(np.broadcast_to(yv, law.shape), law, np.full(3, 0.2))

    def expected(e_hat, law_hat, q):
        Zv = yv[None] / L + (L - 1 / L) * (
            q[:, None] / (1 + L) + np.maximum(yv[None] - q[:, None], 0)
        )
        nu = np.sum(law_hat * Zv, axis=1)
        tot = 0.0
        for j in range(yv.size):
            tot += np.sum(
                px * e1 * law[:, j] * msm_score(np.full(3, yv[j]), np.ones(3), e_hat, nu, q, L)
            )
        tot += np.sum(px * (1 - e1) * msm_score(np.zeros(3), np.zeros(3), e_hat, nu, q, L))
        return tot, np.sum(px * (e_hat * (law_hat @ yv) + (1 - e_hat) * nu))

    truth, plug = expected(e1, law, q_true)
    assert truth == pytest.approx(plug, abs=1e-12)
    h_law = np.array([[0.1, -0.05, 0.0, -0.05], [-0.1, 0.0, 0.05, 0.05], [0.05, 0.05, -0.1, 0.0]])
    eps = 1e-4
    for de, dl in ((np.array([0.1, -0.1, 0.05]), 0), (0, h_law)):
        (gp, pp), (gm, pm) = (
            expected(e1 + eps * de, law + eps * dl, q_true),
            expected(e1 - eps * de, law - eps * dl, q_true),
        )
        assert abs((gp - gm) / (2 * eps)) < 1e-8
        assert abs((pp - pm) / (2 * eps)) > 1e-3


# ------------------------------------------------------------------ inference
def test_coverage_without_covariates_binary_outcome():
    """Endpoint intervals of the plug-in bounds (X = None) cover the exact population bound."""
    p = {0: 0.25, 1: 0.55}
    share = 0.4

    def bern_up(name, pp, rho):
        def D(q):
            f = {
                "kl": lambda t: t * np.log(t) if t > 0 else 0.0,
                "chi2": lambda t: 0.5 * (t - 1) ** 2,
            }[name]
            return q * f(pp / q) + (1 - q) * f((1 - pp) / (1 - q))

        return optimize.brentq(lambda q: D(q) - rho, pp, 1 - 1e-15, xtol=1e-15)

    rng = np.random.default_rng(99)
    reps, n = 200, 800
    for name in ("kl", "chi2"):
        t1 = bern_up(name, p[1], f_radius(share, name))
        t0 = 1 - bern_up(name, 1 - p[0], f_radius(1 - share, name))
        truth = {"E[Y(1)]": ("upper", t1), "ATE": ("upper", t1 - t0)}
        hits = {k: 0 for k in truth}
        for _ in range(reps):
            A = rng.binomial(1, share, n)
            Y = rng.binomial(1, np.where(A == 1, p[1], p[0])).astype(float)
            est = DivergenceBounds(name, support=(0, 1)).fit(None, A, Y)
            ci = est.conf_int(interval="endpoint")
            for q, (side, t) in truth.items():
                hits[q] += ci.low[q, side] <= t <= ci.high[q, side]
        for q, h in hits.items():
            assert 0.90 <= h / reps <= 0.99, (name, q, h / reps)


def test_intervals_and_result_shape(sim, fitted_all):
    X, A, Y = sim
    est = fitted_all
    s = est.table()
    assert list(s.index.unique()) == ["E[Y(0)]", "E[Y(1)]", "ATE"]
    for c in ("lower", "upper", "ci_low", "ci_high", "divergence", "radius", "support"):
        assert c in s.columns
    assert set(s["divergence"]) == set(CAUSAL_DIVERGENCES) | {"intersection"}
    inter = est.results_["intersection"]
    parts = [est.results_[k] for k in CAUSAL_DIVERGENCES]
    np.testing.assert_allclose(inter.lower, np.max([p.lower for p in parts], axis=0))
    np.testing.assert_allclose(inter.upper, np.min([p.upper for p in parts], axis=0))
    z = stats.norm.ppf(1 - 0.1 / 10)  # Bonferroni over 5 components, two sides
    np.testing.assert_allclose(
        inter.conf_int().low.xs("lower", level="bound"),
        np.max([p.lower - z * p.se_lower for p in parts], axis=0),
    )
    kl = est.results_["kl"]
    z = stats.norm.ppf(0.95)
    np.testing.assert_allclose(
        kl.conf_int().high.xs("upper", level="bound"), kl.upper + z * kl.se_upper
    )
    # Imbens-Manski lies between the one- and two-sided z
    im = kl.conf_int(interval="parameter").low.xs("lower", level="bound").to_numpy()
    set_low = kl.conf_int(interval="set").low.xs("lower", level="bound").to_numpy()
    assert (im >= set_low - 1e-12).all()
    assert (im <= kl.lower - stats.norm.ppf(0.9) * kl.se_lower + 1e-9).all()
    assert kl.params.shape == (6,) and kl.bse.shape == (6,)
    assert "CausalBounds(f-divergence kl" in repr(kl)
    assert "<table" in kl._repr_html_()
    # the scores behind every bound are kept for every row: nothing dropped
    assert kl.scores_upper.shape == (len(A), 3) and np.isfinite(kl.scores_upper).all()


def test_endpoint_observations_are_kept_and_finite():
    # Y hits the top of the support in a handful of rows only; KL/Hellinger/JS have k(0) = inf
    rng = np.random.default_rng(5)
    n = 600
    X = rng.normal(size=(n, 2))
    A = rng.binomial(1, 0.5, n)
    Y = rng.uniform(0, 0.8, n)
    Y[rng.choice(n, 3, replace=False)] = 1.0
    for name in ("kl", "hellinger", "js"):
        est = DivergenceBounds(name, support=(0, 1), random_state=0).fit(X, A, Y)
        r = est.result_
        assert np.isfinite(r.scores_upper).all() and r.scores_upper.shape[0] == n


def test_classifier_law_for_binary_outcome():
    X, A, Y = simulate(600, 2, binary=True)
    est = DivergenceBounds(
        "tv", support=(0, 1), outcome_model=LogisticRegression(), random_state=0
    ).fit(X, A, Y)
    assert isinstance(est.nuisances_.law_full[1], ClassifierLaw)
    man = ManskiBounds(support=(0, 1), outcome_model=LogisticRegression()).fit(X, A, Y).table()
    s = est.table()
    assert (s["lower"] < man["lower"]).all() and (s["upper"] > man["upper"]).all()
    # a KNeighborsRegressor is read as a neighbour law
    est2 = DivergenceBounds("kl", support=(0, 1), outcome_model=KNeighborsRegressor(7)).fit(X, A, Y)
    assert est2.nuisances_.law_full[0].k_ == 7


def test_predict_bounds_without_covariates_and_array_radius(sim):
    X, A, Y = sim
    est = DivergenceBounds("kl", support=(0, 1)).fit(None, A, Y)
    pb = est.predict_bounds(None, 1)
    s = est.table()
    assert pb.shape == (1, 2) and pb["upper"].iloc[0] == pytest.approx(s.loc["E[Y(1)]", "upper"])
    r = np.full(len(A), 0.1)
    e1 = DivergenceBounds("kl", support=(0, 1), radius=r, random_state=0).fit(X, A, Y)
    e2 = DivergenceBounds("kl", support=(0, 1), radius=0.1, random_state=0).fit(X, A, Y)
    pd.testing.assert_frame_equal(
        e1.table().drop(columns="radius"), e2.table().drop(columns="radius")
    )
    with pytest.raises(ValueError, match="per-row array"):
        e1.predict_bounds(X[:5], 1)
    assert e1.predict_bounds(X[:5], 1, radius=np.full(5, 0.1)).shape == (5, 2)


def test_sensitivity_curve_frame_and_plot(sim):
    X, A, Y = sim
    curve = sensitivity_curve(
        X,
        A,
        Y,
        support=(0, 1),
        kind="kl",
        rho=[0, 0.05, 0.5],
        Lambda=[1, 2, 4],
        random_state=0,
    )
    f = curve.frame
    assert set(f["model"]) == {"f-sensitivity", "MSM"}
    assert f.shape == (18, 10)
    ref = curve.reference
    at1 = f[(f.model == "MSM") & (f.param == 1) & (f.quantity == "ATE")].iloc[0]
    assert at1["lower"] == pytest.approx(ref.loc["ATE", "aipw"], abs=1e-12)
    fig = curve.plot(reference={"truth": 0.1})
    assert len(fig.axes) == 2
    labels = fig.axes[-1].get_legend_handles_labels()[1]
    assert any("Manski" in lab for lab in labels) and any("AIPW" in lab for lab in labels)
    assert any("propensity-radius" in lab for lab in labels) and any("MSM" in lab for lab in labels)
    import matplotlib.pyplot as plt

    plt.close(fig)


# ------------------------------------------------------------------ estimator contract
@pytest.mark.parametrize("Est", [DivergenceBounds, ManskiBounds, MSMBounds])
def test_sklearn_parameter_contract(Est):
    check_parameters_default_constructible(Est.__name__, Est())
    check_no_attributes_set_in_init(Est.__name__, Est())
    est = Est(support=(0, 1), n_folds=3)
    assert clone(est).get_params() == est.get_params()
    X, A, Y = simulate(120, 1)
    assert est.fit(X, A, Y) is est


def test_kind_names_the_divergence():
    est = DivergenceBounds("hellinger", support=(0, 1))
    params = est.get_params()
    assert est.kind == "hellinger" and params["kind"] == "hellinger" and "divergence" not in params
    assert DivergenceBounds(kind="tv").get_params()["kind"] == "tv"
    np.testing.assert_array_equal(f_radius([0.25, 0.5], kind="tv"), f_radius([0.25, 0.5], "tv"))


# ------------------------------------------------------------------ bad input
def test_bad_inputs(sim):
    X, A, Y = sim
    est = DivergenceBounds("kl", support=(0, 1))
    with pytest.raises(ValueError, match="A must be a binary treatment"):
        est.fit(X, np.where(A == 1, 2, 0), Y)
    with pytest.raises(ValueError, match="A must be a binary treatment"):
        est.fit(X, np.array(["t", "c"] * 400), Y)
    with pytest.raises(ValueError, match="A has a single arm"):
        est.fit(X, np.ones_like(A), Y)
    with pytest.raises(ValueError, match="A contains NaN"):
        est.fit(X, np.where(np.arange(800) == 3, np.nan, A), Y)
    with pytest.raises(ValueError, match=r"Y contains NaN .*row 7"):
        est.fit(X, A, np.where(np.arange(800) == 7, np.nan, Y))
    with pytest.raises(ValueError, match=r"outside the declared support \[0, 1\] \(row 5: 1.5\)"):
        est.fit(X, A, np.where(np.arange(800) == 5, 1.5, Y))
    with pytest.raises(ValueError, match="X column 'b' contains missing"):
        Xd = pd.DataFrame(X, columns=["a", "b"])
        Xd.loc[4, "b"] = np.nan
        est.fit(Xd, A, Y)
    with pytest.raises(ValueError, match=r"X contains NaN or inf \(column 1, row 2"):
        X2 = X.copy()
        X2[2, 1] = np.inf
        est.fit(X2, A, Y)
    with pytest.raises(ValueError, match="X column 'c' is not numeric"):
        est.fit(pd.DataFrame({"c": ["u", "v"] * 400}), A, Y)
    with pytest.raises(ValueError, match="length mismatch: A has 800 rows, Y has 799"):
        est.fit(X, A, Y[:-1])
    with pytest.raises(ValueError, match="length mismatch: X has 799 rows"):
        est.fit(X[:-1], A, Y)
    with pytest.raises(ValueError, match="support must be declared"):
        DivergenceBounds("kl").fit(X, A, Y)
    with pytest.raises(ValueError, match="support must be finite with lo < hi"):
        DivergenceBounds("kl", support=(1, 0)).fit(X, A, Y)
    with pytest.raises(ValueError, match="kind must be one of"):
        DivergenceBounds("jeffreys", support=(0, 1)).fit(X, A, Y)
    with pytest.raises(ValueError, match="radius must be finite and >= 0"):
        DivergenceBounds("kl", support=(0, 1), radius=-0.1).fit(X, A, Y)
    with pytest.raises(
        ValueError,
        match="'Lambda' parameter of MSMBounds must be a float in the range \\[1, inf\\)",
    ):
        MSMBounds(Lambda=0.5).fit(X, A, Y)
    with pytest.raises(
        ValueError,
        match="'n_folds' parameter of DivergenceBounds must be an int in the range \\[2, inf\\)",
    ):
        DivergenceBounds("kl", support=(0, 1), n_folds=1).fit(X, A, Y)
    with pytest.raises(ValueError, match="'propensity_clip' parameter of DivergenceBounds must be"):
        DivergenceBounds("kl", support=(0, 1), propensity_clip=0.7).fit(X, A, Y)
    with pytest.raises(ValueError, match="'alpha' parameter of DivergenceBounds must be"):
        DivergenceBounds("kl", support=(0, 1), alpha=1.5).fit(X, A, Y)
    fitted = DivergenceBounds("kl", support=(0, 1), n_folds=2).fit(X, A, Y)
    with pytest.raises(ValueError, match="a must be 0 or 1"):
        fitted.predict_bounds(X, 2)
    with pytest.raises(ValueError, match="X has 3 columns"):
        fitted.predict_bounds(np.zeros((2, 3)), 1)


def test_no_overlap_is_an_error(sim):
    X, A, Y = sim
    Xs = np.column_stack([X, A + 0.01 * X[:, 0]])  # a covariate that reveals the treatment
    with pytest.raises(ValueError, match="no overlap"):
        DivergenceBounds(
            "kl", support=(0, 1), propensity_model=LogisticRegression(C=1e4, max_iter=5000)
        ).fit(Xs, A, Y)


def test_clipping_warns_with_the_count(sim):
    X, A, Y = sim
    est = DivergenceBounds("kl", support=(0, 1), propensity_clip=0.3, random_state=0)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        est.fit(X, A, Y)
    raw = est.nuisances_.e1_raw
    n_out = int(np.sum((raw < 0.3) | (raw > 0.7)))
    assert n_out > 0 and est.n_clipped_ == n_out
    msgs = [str(w.message) for w in rec if "clipped" in str(w.message)]
    assert msgs and f"for {n_out} of 800 rows" in msgs[0]
    assert est.propensity_.min() >= 0.3 and est.propensity_.max() <= 0.7


def test_lalonde_loader():
    from infodiv import load_lalonde

    exp = load_lalonde()
    assert exp.shape == (445, 11) and int(exp["treat"].sum()) == 185
    assert (exp["sample"] == "NSW").all()
    # the experimental difference in means (Dehejia & Wahba sample), computed here
    diff = exp.loc[exp.treat == 1, "re78"].mean() - exp.loc[exp.treat == 0, "re78"].mean()
    assert diff == pytest.approx(1794.34, abs=0.01)
    obs = load_lalonde(observational=True)
    assert obs.shape == (16177, 11)
    assert obs.groupby("sample")["treat"].agg(["size", "sum"]).to_dict() == {
        "size": {"CPS": 15992, "NSW": 185},
        "sum": {"CPS": 0, "NSW": 185},
    }
    assert obs["re78"].between(0, 60307.93).all() and obs["re78"].max() == 60307.93
