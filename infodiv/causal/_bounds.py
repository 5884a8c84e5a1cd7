"""Bounds on E[Y(a)] and the ATE under unmeasured confounding: f-divergence ball, Manski, MSM.

Three estimators with one API (``fit(X, A, Y)``, ``predict_bounds(X, a)``, ``summary()``,
``table()``, ``conf_int()``, the fitted ``result_``) and one result shape (:class:`~infodiv.causal.CausalBounds`):

* :class:`DivergenceBounds`: ``sup/inf E_Q[Y]`` over the ball
  ``D_f(P_{a,x} || Q_{a,x}) <= rho(x)`` with the propensity radius ``rho = B_f(e_a(x))`` (free of
  a sensitivity parameter but **never sharper than Manski**) or a user radius ``rho`` (the
  f-sensitivity model; the effective radius is ``min(rho, B_f(e_a(x)))``, since the propensity
  radius always holds).
* :class:`ManskiBounds`: the no-assumption bounds ``e_a mu_a + (1 - e_a) [lo, hi]``.
* :class:`MSMBounds`: the marginal sensitivity model (Tan 2006) with odds-ratio bound
  ``Lambda``, sharp bounds by quantile balancing (Dorn & Guo 2022).

Every bound needs a declared outcome support ``[lo, hi]`` (the f-bounds are infinite
otherwise); ``support="observed"`` uses the sample range, an estimate whose uncertainty the
intervals do not include. Outcomes outside a declared support raise ``ValueError``.

Averaged bounds are means of cross-fitted orthogonal scores (``n_folds`` folds). For the upper
f-bound of ``E[Y(a)]`` with per-x dual optimum ``(lam, sigma)`` (normalised units, see
:mod:`infodiv.causal._generators`) and ``theta(x)`` the per-x bound::

    psi = theta(X) + lam B_f'(e) (1{A=a} - e) 1{B_f(e) binds}
          + 1{A=a}/e * (y' + lam k((d + sigma)/lam) - (theta(X) - lam rho))

which is the spec's score ``lam [B + m + B'(1{A=a} - e) + 1{A=a}/e (Z - m)] + u`` rewritten.
It reduces to the AIPW score as ``rho -> 0``. The MSM score is the quantile-balancing score of
Dorn, Guo & Kallus: ``psi = 1{A=a} Y + (1 - 1{A=a}) nu(X) + 1{A=a} (1 - e)/e (Z - nu(X))`` with
``Z = Y/Lambda + (Lambda - 1/Lambda)((1 - tau) q + (Y - q)_+)``, ``tau = Lambda/(1+Lambda)`` and
``q`` the conditional ``tau``-quantile. Manski's score ``1{A=a} Y + (1 - 1{A=a}) hi`` needs no
nuisance. ATE bounds are ``[lower_1 - upper_0, upper_1 - lower_0]`` with the difference of scores.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from infodiv._param_validation import Interval, validate_estimator_params
from infodiv._validation import _show, check_alpha
from infodiv.causal._dual import perspective_k, solve_upper, tail_mass_sum
from infodiv.causal._generators import (
    CAUSAL_DIVERGENCES,
    check_divergence,
    f_radius,
    f_radius_derivative,
)
from infodiv.causal._nuisance import (
    ArmLaw,
    CausalData,
    Nuisances,
    check_causal_data,
    fit_nuisances,
    predict_nuisances,
)
from infodiv.causal._results import QUANTITIES, CausalBounds
from infodiv.core import ConfidenceInterval
from infodiv.exceptions import InvalidParameterError

__all__ = [
    "DivergenceBounds",
    "ManskiBounds",
    "MSMBounds",
    # internal pieces, named for the tests and benchmarks that check them
    "f_bound_rows",
    "f_score",
    "msm_bound_rows",
    "msm_score",
]

#: Columns of the sensitivity frames, per grid value and quantity.
_SENSITIVITY_COLUMNS = ("lower", "upper", "ci_low", "ci_high", "se_lower", "se_upper")


# ------------------------------------------------------------------------------ per-x pieces
def _law_rows(law: ArmLaw, covariate_free: bool) -> tuple[np.ndarray, np.ndarray]:
    """Atoms per solve row: one row without covariates, one per observation otherwise."""
    if covariate_free:
        return law.values, law.weights
    return law.values[law.row], law.weights[law.row]


def _radius_rows(radius: Any, e_a: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Effective radius ``min(rho, B_f(e))`` and whether the propensity radius binds."""
    B = f_radius(e_a, name)
    if isinstance(radius, str):
        return B, np.ones(B.shape, dtype=bool)
    rho_u = np.broadcast_to(np.asarray(radius, dtype=float), B.shape)
    return np.minimum(rho_u, B), B <= rho_u


def f_bound_rows(values, weights, e_a, lo, hi, name, radius, side, warm=None):
    """Per-row f-bound in original units and the dual solution (normalised)."""
    scale = hi - lo
    yn = np.clip((values - lo) / scale, 0.0, 1.0)
    d = 1.0 - yn if side == "upper" else yn
    rho, binds = _radius_rows(radius, e_a, name)
    lam0, sig0 = (None, None) if warm is None else warm
    sol = solve_upper(d, weights, rho, name, lam0=lam0, sigma0=sig0)
    theta_n = 1.0 - np.sum(weights * np.where(weights > 0, d, 0.0), axis=1) + sol.excess
    theta = lo + scale * theta_n if side == "upper" else hi - scale * theta_n
    return theta, theta_n, sol, rho, binds


def f_score(name, theta_n, lam, sig, rho, binds, e_a, ind, d_obs) -> np.ndarray:
    """Orthogonal score of the upper f-bound in normalised units (see the module docstring).

    ``theta_n`` is the per-x bound (the dual objective at ``(lam, sig)``), ``rho`` the radius,
    ``binds`` whether ``rho = B_f(e_a)``, ``ind = 1{A = a}`` and ``d_obs`` the observed
    outcome's distance to the top. Rows outside the arm never evaluate the conjugate.
    """
    n = ind.shape[0]
    in_arm = ind > 0
    pk = np.zeros(n)
    pk[in_arm] = perspective_k(name, lam[in_arm], sig[in_arm], d_obs[in_arm])
    finite = np.isfinite(lam)
    lam_rho = np.zeros(n)
    pos = finite & (lam > 0)
    lam_rho[pos] = lam[pos] * rho[pos]
    bterm = np.zeros(n)
    use_b = pos & binds
    bterm[use_b] = lam[use_b] * f_radius_derivative(e_a[use_b], name) * (ind[use_b] - e_a[use_b])
    return theta_n + bterm + ind / e_a * ((1.0 - d_obs) + pk - (theta_n - lam_rho))


def _f_scores(
    data: CausalData, nuis: Nuisances, a: int, name: str, radius: Any, side: str, warm=None
):
    """Per-observation bound and orthogonal score of one arm and side."""
    lo, hi, scale = data.lo, data.hi, data.hi - data.lo
    law = nuis.laws[a]
    free = data.X is None
    values, weights = _law_rows(law, free)
    e_a = nuis.e(a)
    e_rows = e_a[:1] if free else e_a
    theta_r, theta_n_r, sol, rho_r, binds_r = f_bound_rows(
        values, weights, e_rows, lo, hi, name, radius, side, warm
    )
    rid = np.zeros(data.n, dtype=int) if free else np.arange(data.n)
    th, lam, sig, rho, binds = (
        theta_n_r[rid],
        sol.lam[rid],
        sol.sigma[rid],
        rho_r[rid],
        binds_r[rid],
    )
    ind = (data.A == a).astype(float)
    yn = np.clip((data.Y - lo) / scale, 0.0, 1.0)
    d_obs = 1.0 - yn if side == "upper" else yn
    phi_n = f_score(name, th, lam, sig, rho, binds, e_a, ind, d_obs)
    if not np.all(np.isfinite(phi_n)):
        j = int(np.flatnonzero(~np.isfinite(phi_n))[0])
        raise InvalidParameterError(
            f"the conjugate is infinite at row {j} (Y = {data.Y[j]!r} at the support endpoint): "
            "the conditional-law model does not charge that endpoint; use a law model with "
            "shrinkage_ > 0 (the built-in ones) or widen the support"
        )
    phi = lo + scale * phi_n if side == "upper" else hi - scale * phi_n
    theta = theta_r[rid]
    return theta, phi, sol


def msm_bound_rows(values, weights, e_a, Lam, side):
    """Per-row sharp MSM bound, conditional-law mean, nu and the quantile q (sign-adjusted)."""
    sgn = 1.0 if side == "upper" else -1.0
    v = sgn * values
    tail_mass = 1.0 / (1.0 + Lam)
    tail, q = tail_mass_sum(v, weights, np.full(v.shape[0], tail_mass))
    mu = np.sum(weights * v, axis=1)
    nu = mu / Lam + (Lam - 1.0 / Lam) * tail
    theta = e_a * mu + (1.0 - e_a) * nu
    return sgn * theta, nu, q


def _msm_scores(data: CausalData, nuis: Nuisances, a: int, Lam: float, side: str):
    law = nuis.laws[a]
    free = data.X is None
    values, weights = _law_rows(law, free)
    e_a = nuis.e(a)
    theta_r, nu_r, q_r = msm_bound_rows(values, weights, e_a[:1] if free else e_a, Lam, side)
    rid = np.zeros(data.n, dtype=int) if free else np.arange(data.n)
    nu, q = nu_r[rid], q_r[rid]
    sgn = 1.0 if side == "upper" else -1.0
    ind = (data.A == a).astype(float)
    return theta_r[rid], sgn * msm_score(sgn * data.Y, ind, e_a, nu, q, Lam)


def msm_score(y, ind, e_a, nu, q, Lam) -> np.ndarray:
    """Quantile-balancing score of the upper MSM bound (Dorn, Guo & Kallus).

    ``psi = 1{A=a} y + (1 - 1{A=a}) nu + 1{A=a} (1 - e)/e (Z - nu)``,
    ``Z = y/Lam + (Lam - 1/Lam)(q/(1 + Lam) + (y - q)_+)``; ``nu(x) = E[Z | A=a, x]`` at the
    conditional ``Lam/(1+Lam)``-quantile ``q``.
    """
    Z = y / Lam + (Lam - 1.0 / Lam) * (q / (1.0 + Lam) + np.maximum(y - q, 0.0))
    return ind * y + (1.0 - ind) * nu + ind * (1.0 - e_a) / e_a * (Z - nu)


def _manski_scores(data: CausalData, a: int, side: str) -> np.ndarray:
    ind = data.A == a
    return np.where(ind, data.Y, data.hi if side == "upper" else data.lo)


def _aipw_scores(data: CausalData, nuis: Nuisances, a: int) -> np.ndarray:
    law = nuis.laws[a]
    mu = law.mean()[np.zeros(data.n, dtype=int) if data.X is None else law.row]
    e_a = nuis.e(a)
    return mu + (data.A == a) / e_a * (data.Y - mu)


def _combine(arm_scores: dict[tuple[int, str], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(n, 3) lower and upper score matrices for E[Y(0)], E[Y(1)], ATE."""
    lo = np.column_stack(
        [
            arm_scores[0, "lower"],
            arm_scores[1, "lower"],
            arm_scores[1, "lower"] - arm_scores[0, "upper"],
        ]
    )
    up = np.column_stack(
        [
            arm_scores[0, "upper"],
            arm_scores[1, "upper"],
            arm_scores[1, "upper"] - arm_scores[0, "lower"],
        ]
    )
    return lo, up


def _aipw_table(data: CausalData, nuis: Nuisances, alpha: float) -> pd.DataFrame:
    """AIPW point estimates (no unmeasured confounding) with SE and Wald interval."""
    from scipy import stats

    s0, s1 = _aipw_scores(data, nuis, 0), _aipw_scores(data, nuis, 1)
    S = np.column_stack([s0, s1, s1 - s0])
    est = S.mean(axis=0)
    se = S.std(axis=0, ddof=1) / np.sqrt(data.n)
    z = stats.norm.ppf(1 - alpha / 2)
    return pd.DataFrame(
        {"estimate": est, "se": se, "ci_low": est - z * se, "ci_high": est + z * se},
        index=pd.Index(QUANTITIES, name="quantity"),
    )


def _radius_label(radius: Any) -> str:
    if isinstance(radius, str):
        return radius
    if np.ndim(radius) == 0:
        return f"rho={float(radius):.6g}"
    return "rho=array"


def _check_radius(radius: Any, n: int) -> Any:
    if isinstance(radius, str):
        if radius != "propensity":
            raise InvalidParameterError(
                f"radius must be 'propensity', a number >= 0 or an array; got {radius!r}"
            )
        return radius
    try:
        arr = np.asarray(radius, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"radius must be 'propensity', a number >= 0 or an array; got {_show(radius)}"
        ) from None
    if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] != n):
        raise InvalidParameterError(
            f"radius: an array radius needs one value per row ({n}); got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise InvalidParameterError(f"radius must be finite and >= 0; got {_show(radius)}")
    return float(arr) if arr.ndim == 0 else arr


def _check_lambda(Lambda: Any) -> float:
    try:
        lam = float(Lambda)
    except (TypeError, ValueError):
        raise InvalidParameterError(f"Lambda must be a number >= 1; got {_show(Lambda)}") from None
    if not (np.isfinite(lam) and lam >= 1.0):
        raise InvalidParameterError(f"Lambda must be a finite number >= 1; got {_show(Lambda)}")
    return lam


# ------------------------------------------------------------------------------ estimators
#: Constraints shared by the causal estimators' constructor parameters (checked in ``fit``;
#: the value rules that need the data, e.g. the support or the radius, stay where they were).
_COMMON_CONSTRAINTS: dict[str, list[Any]] = {
    "support": ["no_validation"],
    "propensity_model": ["no_validation"],
    "outcome_model": ["no_validation"],
    "n_folds": [Interval(int, 2, None, closed="left")],
    "alpha": [Interval(float, 0, 1, closed="neither")],
    "random_state": ["no_validation"],
    "propensity_clip": [Interval(float, 0, 0.5, closed="neither")],
}


class _BoundsEstimator(BaseEstimator):
    """Shared fit/predict/summary plumbing (not public)."""

    _method = ""
    _default_support: Any = None
    _parameter_constraints: dict[str, list[Any]] = _COMMON_CONSTRAINTS

    def _fit_common(self, X: Any, A: Any, Y: Any) -> None:
        validate_estimator_params(self)
        support = self.support if self.support is not None else self._default_support
        if support is None:
            raise InvalidParameterError(
                "support must be declared: a pair (lo, hi) of outcome bounds, or 'observed' for "
                "the sample range (an estimate; the bounds depend on it)"
            )
        check_alpha(self.alpha)
        data = check_causal_data(X, A, Y, support)
        nuis = fit_nuisances(
            data,
            self.propensity_model,
            self.outcome_model,
            self.n_folds,
            self.propensity_clip,
            self.random_state,
        )
        self._adopt(data, nuis)

    def _adopt(self, data: CausalData, nuis: Nuisances) -> None:
        """Take fitted data and nuisances (shared by :func:`sensitivity_curve`)."""
        self.alpha_ = check_alpha(self.alpha)
        self.data_ = data
        self.nuisances_ = nuis
        self.support_ = (data.lo, data.hi)
        self.n_clipped_ = nuis.n_clipped
        self.propensity_ = nuis.e1
        self.aipw_ = _aipw_table(data, nuis, self.alpha_)

    def _meta(self, **kw) -> dict:
        d = dict(
            support=self.support_,
            support_rule=self.data_.support_rule,
            alpha=self.alpha_,
        )
        d.update(kw)
        return d

    def summary(self) -> pd.DataFrame:
        """One row per bound endpoint (see :meth:`CausalBounds.summary`).

        Returns
        -------
        DataFrame
            ``estimate, se, ci_low, ci_high`` first, indexed by ``(quantity, bound)``.
        """
        check_is_fitted(self, "result_")
        return self.result_.summary()

    def table(self, alpha: float | None = None, interval: str = "set") -> pd.DataFrame:
        """The bounds one row per quantity (see :meth:`CausalBounds.table`).

        Parameters
        ----------
        alpha : float, optional
            ``1 -`` the level; default ``alpha``.
        interval : {"set", "parameter"}, default "set"
            Which interval fills ``ci_low``/``ci_high``.

        Returns
        -------
        DataFrame
            ``lower, upper, ci_low, ci_high, se_lower, se_upper, ...`` indexed by quantity.
        """
        check_is_fitted(self, "result_")
        return self.result_.table(alpha, interval)

    def conf_int(self, alpha: float | None = None, interval: str = "set") -> ConfidenceInterval:
        """Confidence intervals (see :meth:`CausalBounds.conf_int`).

        Parameters
        ----------
        alpha : float, optional
            ``1 -`` the level; default ``alpha``.
        interval : {"set", "parameter", "endpoint"}, default "set"
            The kind of interval.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` Series indexed by ``(quantity, bound)``.
        """
        check_is_fitted(self, "result_")
        return self.result_.conf_int(alpha, interval)

    def _new_rows(self, X: Any, a: Any):
        check_is_fitted(self, "result_")
        if a not in (0, 1) or isinstance(a, bool):
            raise InvalidParameterError(f"a must be 0 or 1; got {a!r}")
        e1, laws = predict_nuisances(self.nuisances_, self.data_, X)
        e_a = e1 if a == 1 else 1.0 - e1
        index = X.index if isinstance(X, pd.DataFrame) else None
        return e_a, laws[int(a)], index

    def _frame(self, lower, upper, index) -> pd.DataFrame:
        return pd.DataFrame({"lower": lower, "upper": upper}, index=index)


class DivergenceBounds(_BoundsEstimator):
    """Bounds on ``E[Y(a)]`` and the ATE from an f-divergence ball around the observed law.

    Parameters
    ----------
    kind : {"kl", "hellinger", "chi2", "tv", "js", "all"}
        Generators in the causal convention (:mod:`infodiv.causal._generators`; ``chi2`` is half
        the divergence core's). ``"all"`` fits the five and their intersection.
    support : (lo, hi) or "observed"
        Outcome support (required). ``"observed"`` uses ``(min Y, max Y)``.
    radius : "propensity", float or array of shape (n,)
        ``"propensity"``: ``rho = B_f(e_a(x))`` (:func:`f_radius`). A number or per-row array:
        the f-sensitivity model ``D_f(P_{a,x} || Q_{a,x}) <= rho``, capped at ``B_f(e_a(x))``.
    propensity_model : classifier, optional
        Default ``StandardScaler`` + ``LogisticRegression``.
    outcome_model : optional
        Conditional-law model (:mod:`infodiv.causal._laws`): ``None`` (multinomial logistic
        regression for an outcome with at most 20 distinct values, else 20-50 nearest
        neighbours), an int ``k`` (neighbours), a ``KNeighborsRegressor``, a classifier
        (discrete ``Y``) or a law model.
    n_folds : int
        Cross-fitting folds (ignored when ``X`` is None).
    alpha : float
        Level of the intervals in :meth:`summary`.
    random_state : int, optional
        Seeds the fold split.
    propensity_clip : float
        Propensities are clipped to ``[propensity_clip, 1 - propensity_clip]`` (warning).

    Attributes
    ----------
    result_ : CausalBounds
        The bounds (the intersection for ``"all"``); ``results_`` maps each divergence (and
        ``"intersection"``) to its result.
    aipw_ : DataFrame
        AIPW estimates under no unmeasured confounding (same nuisances).
    propensity_ : ndarray
        Cross-fitted clipped ``P(A = 1 | X)``; ``n_clipped_`` rows were clipped.
    support_ : tuple

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> A = rng.integers(0, 2, 400); Y = rng.binomial(1, 0.3 + 0.2 * A)
    >>> est = DivergenceBounds("kl", support=(0, 1)).fit(None, A, Y)
    >>> est.table()[["lower", "upper"]].round(3).loc["ATE"].tolist()
    [-0.742, 0.935]
    >>> est.summary().loc[("ATE", "upper"), "estimate"].round(3)
    np.float64(0.935)
    """

    _method = "f-divergence"

    def __init__(
        self,
        kind: str = "kl",
        support: Any = None,
        radius: Any = "propensity",
        propensity_model: Any = None,
        outcome_model: Any = None,
        n_folds: int = 5,
        alpha: float = 0.05,
        random_state: Any = None,
        propensity_clip: float = 0.01,
    ):
        self.kind = kind
        self.support = support
        self.radius = radius
        self.propensity_model = propensity_model
        self.outcome_model = outcome_model
        self.n_folds = n_folds
        self.alpha = alpha
        self.random_state = random_state
        self.propensity_clip = propensity_clip

    _parameter_constraints: dict[str, list[Any]] = {
        **_COMMON_CONSTRAINTS,
        "kind": [str],
        "radius": ["no_validation"],
    }

    def _names(self) -> tuple[str, ...]:
        name = check_divergence(self.kind, allow_all=True)
        return CAUSAL_DIVERGENCES if name == "all" else (name,)

    def fit(self, X: Any, A: Any, Y: Any) -> DivergenceBounds:
        """Fit the nuisances and compute the averaged bounds with their scores.

        Parameters
        ----------
        X : DataFrame, array of shape (n, p) or None
            Covariates (numeric); ``None`` for the covariate-free bounds.
        A : array of shape (n,)
            Binary treatment (0/1).
        Y : array of shape (n,)
            Outcome, inside ``support``.
        """
        validate_estimator_params(self)
        names = self._names()
        n = len(A) if hasattr(A, "__len__") else 0
        self.radius_ = _check_radius(self.radius, n)
        if X is None and np.ndim(self.radius_) == 1:
            if np.ptp(self.radius_) > 0:
                raise InvalidParameterError(
                    "radius: without covariates (X=None) the radius must be one number"
                )
            self.radius_ = float(self.radius_[0])
        self._fit_common(X, A, Y)
        self.results_ = {}
        for name in names:
            self.results_[name] = self._fit_one(name, self.radius_)
        if len(names) > 1:
            self.results_["intersection"] = CausalBounds.intersect(
                [self.results_[k] for k in names]
            )
            self.result_ = self.results_["intersection"]
        else:
            self.result_ = self.results_[names[0]]
        return self

    def _fit_one(self, name: str, radius: Any, warm: dict | None = None) -> CausalBounds:
        arm = {}
        sols = {}
        for a in (0, 1):
            for side in ("lower", "upper"):
                w = None if warm is None else warm.get((a, side))
                _, phi, sol = _f_scores(self.data_, self.nuisances_, a, name, radius, side, w)
                arm[a, side] = phi
                sols[a, side] = (sol.lam, sol.sigma)
        self._last_solutions = sols
        lo, up = _combine(arm)
        return CausalBounds.from_scores(
            lo,
            up,
            method=self._method,
            divergence=name,
            radius=_radius_label(radius),
            **self._meta(),
        )

    def summary(self) -> pd.DataFrame:
        """One row per bound endpoint, one block per divergence for ``"all"``.

        For ``"all"`` the blocks are the five divergences plus the intersection (the index
        repeats; the ``divergence`` column tells them apart).

        Returns
        -------
        DataFrame
            See :meth:`CausalBounds.summary`.
        """
        check_is_fitted(self, "result_")
        if len(self.results_) == 1:
            return self.result_.summary()
        return pd.concat([r.summary() for r in self.results_.values()])

    def table(self, alpha: float | None = None, interval: str = "set") -> pd.DataFrame:
        """The bounds one row per quantity, one block per divergence for ``"all"``.

        For ``"all"`` the blocks are the five divergences plus the intersection (the index
        repeats; the ``divergence`` column tells them apart).

        Parameters
        ----------
        alpha : float, optional
            ``1 -`` the level; default ``alpha``.
        interval : {"set", "parameter"}, default "set"
            Which interval fills ``ci_low``/``ci_high`` (``"set"`` only for ``"all"``).

        Returns
        -------
        DataFrame
            See :meth:`CausalBounds.table`.
        """
        check_is_fitted(self, "result_")
        if len(self.results_) == 1:
            return self.result_.table(alpha, interval)
        return pd.concat([r.table(alpha, interval) for r in self.results_.values()])

    def predict_bounds(self, X: Any, a: int, radius: Any = None) -> pd.DataFrame:
        """Conditional bounds on ``E[Y | do(A = a), X = x]`` for each row of ``X``.

        Uses the nuisance models refitted on all rows. ``radius`` overrides the fitted radius
        (needed when it was a per-row array). Returns a DataFrame with ``lower`` and ``upper``
        (columns ``(divergence, lower/upper)`` including ``intersection`` for ``"all"``).
        """
        e_a, law, index = self._new_rows(X, a)
        r = self.radius_ if radius is None else _check_radius(radius, e_a.size)
        if not isinstance(r, str) and np.ndim(r) == 1 and r.shape[0] != e_a.size:
            raise InvalidParameterError(
                f"radius: the fitted radius is a per-row array of {r.shape[0]} values; pass "
                f"radius= with one value per row of X ({e_a.size})"
            )
        out = {}
        for name in self._names():
            lo_, *_ = f_bound_rows(law.values, law.weights, e_a, *self.support_, name, r, "lower")
            up_, *_ = f_bound_rows(law.values, law.weights, e_a, *self.support_, name, r, "upper")
            out[name] = (lo_, up_)
        if len(out) == 1:
            lo_, up_ = next(iter(out.values()))
            return self._frame(lo_, up_, index)
        out["intersection"] = (
            np.max([v[0] for v in out.values()], axis=0),
            np.min([v[1] for v in out.values()], axis=0),
        )
        cols = pd.MultiIndex.from_product(
            [list(out), ["lower", "upper"]], names=["divergence", "bound"]
        )
        data = np.column_stack([np.column_stack(v) for v in out.values()])
        return pd.DataFrame(data, index=index, columns=cols)

    def sensitivity(self, rho: Any) -> pd.DataFrame:
        """Bounds over a grid of radii ``rho`` (f-sensitivity model, capped at ``B_f(e)``).

        Reuses the fitted nuisances; the dual is warm-started along the sorted grid.

        Parameters
        ----------
        rho : float or array_like
            Radii ``>= 0`` (in the divergence's units; ``chi2`` is halved).

        Returns
        -------
        DataFrame
            Long format: ``divergence, rho, quantity, lower, upper, ci_low, ci_high,
            se_lower, se_upper`` (``ci_low``/``ci_high`` the ``1 - alpha`` set interval).
        """
        check_is_fitted(self, "result_")
        grid = np.sort(np.atleast_1d(np.asarray(rho, dtype=float)))
        if grid.size == 0 or not np.all(np.isfinite(grid)) or np.any(grid < 0):
            raise InvalidParameterError(f"rho must be finite radii >= 0; got {_show(rho)}")
        rows = []
        for name in self._names():
            warm = None
            for r in grid:
                res = self._fit_one(name, float(r), warm)
                warm = self._last_solutions
                s = res.table()
                for q in QUANTITIES:
                    rows.append(
                        {"divergence": name, "rho": r, "quantity": q}
                        | {c: s.loc[q, c] for c in _SENSITIVITY_COLUMNS}
                    )
        return pd.DataFrame(rows)


class ManskiBounds(_BoundsEstimator):
    """No-assumption (Manski) bounds ``e_a mu_a(x) + (1 - e_a(x)) [lo, hi]``.

    The averaged bounds are the sample means of ``1{A=a} Y + (1 - 1{A=a}) hi`` (resp. ``lo``):
    their orthogonal score needs no nuisance. The nuisances serve :meth:`predict_bounds`.
    Parameters as in :class:`DivergenceBounds`.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([0, 0, 1, 1]); Y = np.array([0.0, 1.0, 1.0, 1.0])
    >>> ManskiBounds(support=(0, 1)).fit(None, A, Y).table().loc["E[Y(1)]", ["lower", "upper"]].tolist()
    [0.5, 1.0]
    """

    _method = "Manski"

    def __init__(
        self,
        support: Any = None,
        propensity_model: Any = None,
        outcome_model: Any = None,
        n_folds: int = 5,
        alpha: float = 0.05,
        random_state: Any = None,
        propensity_clip: float = 0.01,
    ):
        self.support = support
        self.propensity_model = propensity_model
        self.outcome_model = outcome_model
        self.n_folds = n_folds
        self.alpha = alpha
        self.random_state = random_state
        self.propensity_clip = propensity_clip

    def fit(self, X: Any, A: Any, Y: Any) -> ManskiBounds:
        """Fit (see :meth:`DivergenceBounds.fit`)."""
        self._fit_common(X, A, Y)
        self.result_ = self._fit_one()
        return self

    def _fit_one(self) -> CausalBounds:
        arm = {(a, s): _manski_scores(self.data_, a, s) for a in (0, 1) for s in ("lower", "upper")}
        lo, up = _combine(arm)
        return CausalBounds.from_scores(
            lo, up, method="Manski", divergence="", radius="none", **self._meta()
        )

    def predict_bounds(self, X: Any, a: int) -> pd.DataFrame:
        """Conditional no-assumption bounds for each row of ``X``."""
        e_a, law, index = self._new_rows(X, a)
        mu = law.mean()[law.row]
        lo, hi = self.support_
        return self._frame(e_a * mu + (1 - e_a) * lo, e_a * mu + (1 - e_a) * hi, index)


class MSMBounds(_BoundsEstimator):
    """Sharp bounds under the marginal sensitivity model (quantile balancing).

    Tan's (2006) MSM bounds the odds ratio between ``P(A=1 | X, U)`` and ``e(X)`` by
    ``[1/Lambda, Lambda]``. Dorn & Guo (2022): the sharp upper bound of ``E[Y(a) | x]`` is
    ``e_a mu_a + (1 - e_a) nu_a`` where ``nu_a`` reweights the law of ``Y | A=a, x`` by
    ``Lambda`` above its ``Lambda/(1+Lambda)``-quantile and ``1/Lambda`` below. ``Lambda = 1``
    is no confounding (AIPW); as ``Lambda -> inf`` the bounds tend to Manski's with the support
    of the conditional law (the declared support when the data attain its endpoints).

    Parameters
    ----------
    Lambda : float
        Odds-ratio bound ``>= 1``.
    support : (lo, hi) or "observed", optional
        The MSM bounds do not need it (default ``"observed"``); it is checked against ``Y`` and
        used by the conditional-law estimate. Other parameters as in :class:`DivergenceBounds`.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> A = rng.integers(0, 2, 500); Y = rng.normal(A, 1.0)
    >>> s = MSMBounds(Lambda=1.0).fit(None, A, Y).table()
    >>> bool(np.isclose(s.loc["ATE", "lower"], s.loc["ATE", "upper"]))
    True
    """

    _method = "MSM"
    _default_support = "observed"

    def __init__(
        self,
        Lambda: float = 2.0,
        support: Any = None,
        propensity_model: Any = None,
        outcome_model: Any = None,
        n_folds: int = 5,
        alpha: float = 0.05,
        random_state: Any = None,
        propensity_clip: float = 0.01,
    ):
        self.Lambda = Lambda
        self.support = support
        self.propensity_model = propensity_model
        self.outcome_model = outcome_model
        self.n_folds = n_folds
        self.alpha = alpha
        self.random_state = random_state
        self.propensity_clip = propensity_clip

    _parameter_constraints: dict[str, list[Any]] = {
        **_COMMON_CONSTRAINTS,
        "Lambda": [Interval(float, 1, None, closed="left")],
    }

    def fit(self, X: Any, A: Any, Y: Any) -> MSMBounds:
        """Fit (see :meth:`DivergenceBounds.fit`)."""
        validate_estimator_params(self)
        lam = _check_lambda(self.Lambda)
        self._fit_common(X, A, Y)
        self.result_ = self._fit_one(lam)
        return self

    def _fit_one(self, lam: float) -> CausalBounds:
        arm = {}
        for a in (0, 1):
            for side in ("lower", "upper"):
                arm[a, side] = _msm_scores(self.data_, self.nuisances_, a, lam, side)[1]
        lo, up = _combine(arm)
        return CausalBounds.from_scores(
            lo, up, method="MSM", divergence="", radius=f"Lambda={lam:.6g}", **self._meta()
        )

    def predict_bounds(self, X: Any, a: int) -> pd.DataFrame:
        """Conditional sharp MSM bounds for each row of ``X``."""
        e_a, law, index = self._new_rows(X, a)
        lam = _check_lambda(self.Lambda)
        lo_ = msm_bound_rows(law.values, law.weights, e_a, lam, "lower")[0]
        up_ = msm_bound_rows(law.values, law.weights, e_a, lam, "upper")[0]
        return self._frame(lo_, up_, index)

    def sensitivity(self, Lambda: Any) -> pd.DataFrame:
        """Bounds over a grid of ``Lambda`` on the fitted nuisances.

        Parameters
        ----------
        Lambda : float or array_like
            Odds-ratio bounds ``>= 1``.

        Returns
        -------
        DataFrame
            Long format: ``Lambda, quantity, lower, upper, ci_low, ci_high, se_lower,
            se_upper``, as :meth:`DivergenceBounds.sensitivity`.
        """
        check_is_fitted(self, "result_")
        grid = np.sort(np.atleast_1d(np.asarray(Lambda, dtype=float)))
        rows = []
        for lam in grid:
            s = self._fit_one(_check_lambda(lam)).table()
            for q in QUANTITIES:
                rows.append(
                    {"Lambda": lam, "quantity": q} | {c: s.loc[q, c] for c in _SENSITIVITY_COLUMNS}
                )
        return pd.DataFrame(rows)
