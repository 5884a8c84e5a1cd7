r"""The p-n criterion as a scikit-learn estimator, and its results object.

Estimation
----------
``Sigma`` and ``kappa3`` are the sample covariance and third central moment of ``T(X_i)``
(frequency weights allowed); ``I``, ``K3``, ``K4`` are the model's cumulants at ``theta_hat``,
analytic for the built-in families, by finite differences of the log-partition for a
user-defined :class:`ExponentialFamily` (or by the user's own derivative function).
``c1_hat`` is a smooth function of sample moments; its standard error is the delta method
(influence function ``IF(t) = u'Gu/2 - c1 - (G u)' K3[G Sigma G] / 2`` with ``u = t - mean T``),
and its interval ``exp(log c1 +/- z SE / c1)`` (a log scale keeps it positive). By default
(``ci_method="auto"``, up to ``BOOTSTRAP_MAX_ROWS`` rows) the interval is instead a
nonparametric bootstrap one: rows resampled with their weights, c1, its SE and c2 refitted per
replicate; a percentile-t on the log scale (or BCa); ``c2_bc = 2 c2 - mean(c2*)``.
"""

from __future__ import annotations

import html
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from infodiv._param_validation import Interval, StrOptions, validate_estimator_params
from infodiv._sklearn import sklearn_checked
from infodiv._validation import _show, check_alpha, check_sample_weight
from infodiv.core import ConfidenceInterval, ResultBase
from infodiv.exceptions import InvalidParameterError
from infodiv.sample_size._custom_family import ExponentialFamily
from infodiv.sample_size._expansion import (
    _check_epsilon,
    _check_order,
    _fourth_term,
    _third_term,
    n_required,
    risk_coefficients,
)
from infodiv.sample_size._families import (
    FAMILIES,
    Family,
    _Bernoulli,
    _Categorical,
    _Exponential,
    _Gamma,
    _MultivariateNormal,
    _Poisson,
)
from infodiv.sample_size._tensors import _inverse, _sample_third, _wdot, _weighted_moments

__all__ = ["PNCriterion", "PNResult"]


def _resolve_family(family: Any) -> Family:
    if isinstance(family, ExponentialFamily):
        return family
    builtins: dict[str, Callable[[], Family]] = {
        "bernoulli": _Bernoulli,
        "categorical": _Categorical,
        "poisson": _Poisson,
        "exponential": _Exponential,
        "gamma": _Gamma,
        "normal": lambda: _MultivariateNormal(univariate=True),
        "multivariate_normal": _MultivariateNormal,
    }
    if isinstance(family, str) and family in builtins:
        return builtins[family]()
    raise InvalidParameterError(
        f"family must be one of {list(FAMILIES)} or an ExponentialFamily; got {_show(family)}"
    )


# --------------------------------------------------------------------------------------------
# The criterion
# --------------------------------------------------------------------------------------------


def _ceil(x: float) -> int:
    """Ceiling that ignores floating-point dust (49.99999999999999 -> 50)."""
    return int(math.ceil(x * (1 - 1e-12)))


def _n_rows(X: Any) -> int:
    try:
        return int(np.shape(X)[0])
    except (TypeError, IndexError):
        raise InvalidParameterError(f"X must be array-like with rows; got {_show(X)}") from None


def _coefficients(
    fam: Family, X: Any, w: np.ndarray, order: int
) -> tuple[Any, float, float, float, np.ndarray]:
    """Fit ``fam`` with frequency weights ``w``: (fit, c1, c2, SE of c1, influence values of c1)."""
    fit = fam._fit(X, w, order)
    n = float(w.sum())
    pw = w / n
    if fit.closed_form:
        assert fit.c1 is not None  # _Fit.__post_init__ requires c1 with closed_form
        c1, infl = float(fit.c1), np.asarray(fit.c1_if, dtype=float)
    else:
        assert fit.k3 is not None
        G = _inverse(fit.fisher)
        _, cov, U = _weighted_moments(fit.T, w)
        c1 = 0.5 * float(np.trace(G @ cov))
        B = G @ cov @ G
        v = np.einsum("abe,ab->e", fit.k3, B)
        UG = np.einsum("ij,jk->ik", U, G)
        infl = 0.5 * np.einsum("ij,ij->i", UG, U) - c1 - 0.5 * np.einsum("ij,j->i", UG, v)
    if fit.c2 is not None:
        c2 = float(fit.c2)
    elif fit.k4 is not None:
        # k4 without c2 only in an open-form fit, whose k3 is asserted above
        assert fit.k3 is not None
        G = _inverse(fit.fisher)
        _, cov, U = _weighted_moments(fit.T, w)
        GK3 = np.einsum("abc,ai,bj,ck->ijk", fit.k3, G, G, G, optimize=True)
        c2 = float(
            _third_term(GK3, _sample_third(U, w)) / 3.0
            + 0.375 * _fourth_term(G, fit.k3, fit.k4, G @ cov @ G)
        )
    else:
        c2 = float("nan")
    var_if = float(_wdot(pw, (infl - _wdot(pw, infl)) ** 2))
    se = math.sqrt(max(var_if, 0.0) / n)
    return fit, c1, c2, se, infl


#: Methods of the interval for c1 (``ci_method``).
CI_METHODS = ("studentized", "bca", "delta")
#: Below this many observations a misspecified fit carries :attr:`PNResult.ci_note`.
NOTE_MAX_ROWS = 5_000
#: Families whose sufficient statistics are bounded: their c1 interval carries no note.
BOUNDED_FAMILIES = ("bernoulli", "categorical")

#: ``ci_method="auto"`` bootstraps up to this many rows of X and uses the delta method above.
BOOTSTRAP_MAX_ROWS = 10_000


@dataclass(frozen=True)
class _Bootstrap:
    """Bootstrap replicates of ``c1``, its delta-method SE and ``c2`` (rows resampled)."""

    c1: np.ndarray
    se: np.ndarray
    c2: np.ndarray
    accel: float


def _bootstrap(
    fam: Family, X: Any, w: np.ndarray, order: int, infl: np.ndarray, B: int, seed: Any
) -> _Bootstrap:
    """Resample the rows ``B`` times (each keeps its frequency weight) and refit."""
    rng = np.random.default_rng(seed)
    m = w.shape[0]
    c1s, ses, c2s = np.full(B, np.nan), np.full(B, np.nan), np.full(B, np.nan)
    counts = rng.multinomial(m, np.full(m, 1.0 / m), size=B)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for b in range(B):
            try:
                _, c1s[b], c2s[b], ses[b], _ = _coefficients(fam, X, w * counts[b], order)
            except (ValueError, ArithmeticError, np.linalg.LinAlgError):
                continue  # a degenerate resample (e.g. one distinct value): dropped
    # BCa acceleration from the empirical influence values (the jackknife's limit)
    pw = w / w.sum()
    d = infl - _wdot(pw, infl)
    m2 = _wdot(pw, d**2)
    accel = float(_wdot(pw, d**3) / (6.0 * m2**1.5 * math.sqrt(w.sum()))) if m2 > 0 else 0.0
    return _Bootstrap(c1s, ses, c2s, accel)


def _boot_interval(
    method: str, c1: float, se: float, boot: _Bootstrap, alpha: float
) -> tuple[float, float] | None:
    """The bootstrap interval for ``c1``, or None when too few replicates are usable."""
    ok = np.isfinite(boot.c1) & (boot.c1 > 0)
    if method == "studentized":
        ok &= np.isfinite(boot.se) & (boot.se > 0)
    if ok.sum() < max(0.5 * boot.c1.size, 20) or not c1 > 0:
        return None
    c1s = boot.c1[ok]
    if method == "studentized":
        # percentile-t on the log scale: t* = (ln c1* - ln c1) / (SE*/c1*)
        t = (np.log(c1s) - math.log(c1)) / (boot.se[ok] / c1s)
        tq = np.quantile(t, [1 - alpha / 2, alpha / 2])
        s = se / c1
        return float(c1 * math.exp(-tq[0] * s)), float(c1 * math.exp(-tq[1] * s))
    # BCa
    frac = (np.sum(c1s < c1) + 0.5 * np.sum(c1s == c1)) / c1s.size
    z0 = float(stats.norm.ppf(min(max(frac, 1.0 / (c1s.size + 1)), c1s.size / (c1s.size + 1))))
    zq = stats.norm.ppf([alpha / 2, 1 - alpha / 2])
    adj = stats.norm.cdf(z0 + (z0 + zq) / (1 - boot.accel * (z0 + zq)))
    lo, hi = np.quantile(c1s, adj)
    return float(lo), float(hi)


class PNCriterion(BaseEstimator):
    r"""Is the sample large enough for this model's dimension? The p-n criterion.

    Fits the maximum-likelihood model of an exponential family and estimates the expected
    Kullback-Leibler divergence ``R_n = E KL(g_theta* || g_theta_hat)`` between the fitted
    model and the best model of the family (the information projection of the true law),
    ``R_n ~ c1/n + c2/n^2``. The sample is large enough at tolerance ``epsilon`` when
    ``R_n <= 8 epsilon^2``. Formulas: ``docs/sample_size.md``.

    Parameters
    ----------
    family : str or ExponentialFamily, default "normal"
        ``"bernoulli"`` (X coded 0/1), ``"categorical"`` (labels; K observed categories,
        p = K - 1), ``"poisson"`` (non-negative integer counts), ``"exponential"``
        (non-negative values), ``"gamma"`` (positive values; p = 2), ``"normal"`` (one column;
        mean and variance, p = 2), ``"multivariate_normal"`` (d columns; mean and covariance,
        p = d + d(d+1)/2; ``order=2`` needs d <= 8), or a user-defined
        :class:`ExponentialFamily`.
    epsilon : float, default 0.05
        Tolerance on the Bayes error: accept when the fitted model is, on average, at most
        ``epsilon`` away from indistinguishable (error ``1/2 - epsilon``) from the best model
        of the family. Threshold ``8 epsilon^2`` on the risk. In ``[1e-8, 0.5)``.
    order : {1, 2}, default 2
        Terms of the expansion used for ``risk_``, ``accept_`` and ``n_required_``.
    alpha : float, default 0.05
        Level of the confidence interval for ``c1``.
    ci_method : {"auto", "studentized", "bca", "delta"}, default "auto"
        Interval for ``c1``. ``"auto"``: ``"studentized"`` up to ``BOOTSTRAP_MAX_ROWS``
        (10,000) rows of X, ``"delta"`` above (where the refits cost seconds). The others: the
        nonparametric bootstrap (rows resampled with their frequency
        weights, the criterion refitted ``n_bootstrap`` times), studentised on the log scale
        (percentile-t) or BCa (acceleration from the empirical influence values); or the
        delta method, ``exp(ln c1 +/- z SE/c1)``, which needs no refits but under-covers on
        skewed or heavy-tailed data (its SE ignores the sampling error of the fourth moments
        ``c1`` depends on). The bootstrap also gives the bias-reduced ``c2_bc_``.
    n_bootstrap : int, default 1000
        Bootstrap replicates (ignored with ``ci_method="delta"``). Cost: about
        ``n_bootstrap`` refits.
    random_state : int, numpy Generator or None, default None
        Seed of the bootstrap resampling; an int makes ``fit`` reproducible.

    Attributes
    ----------
    family_ : str
        Name of the fitted family.
    n_ : float
        Number of observations (sum of the frequency weights).
    p_ : int
        Number of free parameters.
    c1_, c2_ : float
        Estimated coefficients of 1/n and 1/n^2 in the risk: ``c1_ = tr(I^-1 Sigma)/2`` with the
        sample covariance ``Sigma`` of T (misspecification-robust; Takeuchi's trace over 2),
        ``c2_`` with the sample third cumulant of T. ``c2_`` is NaN when the fourth-cumulant
        tensor was not formed (multivariate normal or custom family with ``order=1``).
    c2_bc_ : float
        Bootstrap bias-reduced ``c2``, ``2 c2_ - mean(c2*)`` (the plug-in ``c2_`` is biased
        upwards at small n); NaN when no bootstrap was run (the delta method). ``risk_`` and ``n_required_``
        still use ``c2_``.
    c1_se_ : float
        Delta-method standard error of ``c1_``.
    c1_ci_ : tuple of float
        ``1 - alpha`` interval for c1 by ``ci_method``.
    ci_method_ : str
        The interval's method after resolving ``"auto"``.
    c1_model_, c2_model_ : float
        The same coefficients if the data came from the fitted model (``c1 = p/2``).
    trace_ : float
        ``tr(I^-1 Sigma) = 2 c1_``, the TIC penalty that replaces AIC's ``p``.
    risk_ : float
        Estimated risk at ``n_``.
    threshold_ : float
        ``8 epsilon^2``.
    accept_ : bool
        ``risk_ <= threshold_``.
    n_required_ : int
        Smallest n at which the estimated risk meets the threshold.
    loglik_, aic_, tic_ : float
        Maximised log-likelihood, ``-2 loglik + 2 p`` and ``-2 loglik + 2 trace``.
    model_params_ : dict
        The fitted model's parameters (e.g. ``{"mu": 3.1}``).
    theta_ : ndarray
        Natural parameter of the fitted model, for families that report one (not the
        normal families, which work in standardised units).
    n_features_in_ : int
        Columns of X seen in ``fit``.
    result_ : PNResult
        The results object: ``params``, ``bse``, ``conf_int()`` and ``summary()`` delegate to it.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> pn = PNCriterion(family="normal", epsilon=0.05).fit(rng.normal(size=40))
    >>> pn.p_, round(pn.threshold_, 4), bool(pn.accept_)
    (2, 0.02, False)
    >>> 45 <= pn.n_required_ <= 80
    True
    """

    def __init__(
        self,
        family: str | ExponentialFamily = "normal",
        epsilon: float = 0.05,
        order: int = 2,
        alpha: float = 0.05,
        ci_method: str = "auto",
        n_bootstrap: int = 1000,
        random_state: Any = None,
    ) -> None:
        self.family = family
        self.epsilon = epsilon
        self.order = order
        self.alpha = alpha
        self.ci_method = ci_method
        self.n_bootstrap = n_bootstrap
        self.random_state = random_state

    #: Declarative constraints of the constructor parameters, checked first in ``fit``.
    _parameter_constraints: dict[str, list[Any]] = {
        "family": [str, ExponentialFamily],
        # below 1e-8 the threshold 8 epsilon^2 nears underflow and n_required exceeds 1e15 rows
        "epsilon": [Interval(float, 1e-8, 0.5, closed="left")],
        "order": [Interval(int, 1, 2, closed="both")],
        "alpha": [Interval(float, 0, 1, closed="neither")],
        "ci_method": [StrOptions({"auto", *CI_METHODS})],
        "n_bootstrap": [Interval(int, 20, None, closed="left")],
        "random_state": ["no_validation"],
    }

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> PNCriterion:
        """Fit the family by maximum likelihood and estimate the risk coefficients.

        Parameters
        ----------
        X : array-like of shape (n,) or (n, d)
            The sample (labels for ``"categorical"``).
        y : None
            Ignored.
        sample_weight : array-like of shape (n,), optional
            Frequency weights: a row of weight 3 counts as three identical rows; ``n_`` is
            their sum.

        Returns
        -------
        self
        """
        validate_estimator_params(self)
        eps = _check_epsilon(self.epsilon)
        order = _check_order(self.order)
        alpha = check_alpha(self.alpha)
        fam = _resolve_family(self.family)
        if isinstance(fam, _Categorical):
            n_rows = _n_rows(X)
            if n_rows == 0:
                raise InvalidParameterError("X has no rows")
            n_features = 1 if np.ndim(X) == 1 else int(np.shape(X)[1])
        else:
            multi = isinstance(fam, _MultivariateNormal) and not fam.univariate
            if X is None:
                raise InvalidParameterError(
                    "X is None: pass the sample as an array-like of shape (n,) or (n, d)"
                )
            X = sklearn_checked(
                validate_data, "PNCriterion", self, X, dtype=float, ensure_2d=multi, reset=True
            )
            n_rows = X.shape[0]
            n_features = 1 if X.ndim == 1 else X.shape[1]
        w = check_sample_weight(sample_weight, n_rows)
        fit, c1, c2, se, infl = _coefficients(fam, X, w, order)
        n = float(w.sum())
        if fit.c2_model is not None:
            c2_model = float(fit.c2_model)
        elif fit.k4 is not None:
            c2_model = risk_coefficients(fit.fisher, fit.k3, fit.k4)[1]
        else:
            c2_model = float("nan")
        p = int(fit.fisher.shape[0])
        boot = None
        c2_bc = float("nan")
        method = self.ci_method
        if method == "auto":
            method = "studentized" if n_rows <= BOOTSTRAP_MAX_ROWS else "delta"
        if method != "delta":
            boot = _bootstrap(fam, X, w, order, infl, int(self.n_bootstrap), self.random_state)
            c2s = boot.c2[np.isfinite(boot.c2)]
            if np.isfinite(c2) and c2s.size >= 0.5 * boot.c2.size:
                c2_bc = float(2.0 * c2 - c2s.mean())
        res = self.result_ = PNResult(
            family=getattr(fam, "name", str(fam)),
            n=n,
            p=p,
            epsilon=eps,
            order=order,
            alpha=alpha,
            c1=c1,
            c2=c2,
            c1_se=se,
            c1_model=0.5 * p,
            c2_model=c2_model,
            loglik=float(fit.loglik),
            model_params=dict(fit.params),
            ci_method=method,
            c2_bc=c2_bc,
            _boot=boot,
        )
        # the fitted attributes, read off the results object (one source for every number)
        ci = res.conf_int()
        self.family_ = res.family
        self.n_ = n
        self.p_ = p
        self.c1_, self.c2_, self.c1_se_ = c1, c2, se
        self.c2_bc_ = c2_bc
        self.ci_method_ = method
        self.c1_ci_ = (float(ci.low["c1"]), float(ci.high["c1"]))
        self.c1_model_, self.c2_model_ = res.c1_model, res.c2_model
        self.trace_ = res.trace
        self.threshold_ = res.threshold
        self.risk_ = float(res.risk(n))
        self.accept_ = res.accept
        self.n_required_ = res.n_required()
        self.loglik_ = res.loglik
        self.aic_ = res.aic
        self.tic_ = res.tic
        self.model_params_ = dict(fit.params)
        if fit.theta is not None:
            self.theta_ = np.asarray(fit.theta, dtype=float)
        self.n_features_in_ = n_features
        return self

    # -- results (delegates to ``result_``) ------------------------------------------------
    def risk(self, n: Any, *, model: bool = False) -> Any:
        """Estimated risk ``c1/n (+ c2/n^2)`` at sample size(s) ``n``; see :meth:`PNResult.risk`.

        Parameters
        ----------
        n : float or array-like
            Sample size(s), positive.
        model : bool, default False
            Use the well-specified coefficients (``p/2`` and ``c2_model_``).

        Returns
        -------
        float or ndarray
            The estimated risk at each ``n`` (a float for a scalar ``n``).
        """
        check_is_fitted(self, "result_")
        return self.result_.risk(n, model=model)

    @property
    def params(self) -> pd.Series:
        """The estimates ``c1``, ``c2``, ``risk``, ``n_required`` (statsmodels' name)."""
        check_is_fitted(self, "result_")
        return self.result_.params

    @property
    def bse(self) -> pd.Series:
        """Standard errors of :attr:`params` (``c2``'s is not estimated: NaN)."""
        check_is_fitted(self, "result_")
        return self.result_.bse

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Interval for ``c1`` and, through it, for the risk and ``n_required``.

        See :meth:`PNResult.conf_int`.

        Parameters
        ----------
        alpha : float, optional
            ``1 - alpha`` intervals (default: the ``alpha`` of the estimator).

        Returns
        -------
        ConfidenceInterval
            ``(low, high)``, Series aligned with :attr:`params`.
        """
        check_is_fitted(self, "result_")
        return self.result_.conf_int(alpha)

    def summary(self) -> pd.DataFrame:
        """The criterion's table; see :meth:`PNResult.summary`.

        Returns
        -------
        pandas.DataFrame
            One row per quantity (``c1``, ``c2``, ``risk``, ``n_required``): the robust
            estimate, its SE and interval, and the well-specified value.
        """
        check_is_fitted(self, "result_")
        return self.result_.summary()

    def plot_risk(self, n: Any = None, *, ax: Any = None, label: str | None = None) -> Any:
        """Risk against n with the threshold line; see :func:`infodiv.plotting.plot_risk`.

        Parameters
        ----------
        n : array-like, optional
            Sample sizes on the x axis (default: a log grid around ``n_`` and ``n_required_``).
        ax : matplotlib Axes, optional
            Where to draw (a new bare Figure otherwise).
        label : str, optional
            Legend label (default: family and p).

        Returns
        -------
        matplotlib.figure.Figure
            The figure drawn on (that of ``ax`` when given).
        """
        from infodiv.plotting import plot_risk

        check_is_fitted(self, "c1_")
        return plot_risk(self, n=n, ax=ax, labels=None if label is None else [label])


@dataclass(repr=False)
class PNResult(ResultBase):
    """The fitted p-n criterion: risk coefficients, the risk, the sample needed, with intervals.

    ``PNCriterion.fit`` stores one as ``result_``. The parameters (``params``, the rows of
    :meth:`summary`) are the estimated quantities under the robust assumption (``c1`` from the
    sample's covariance of T, Takeuchi's trace over 2):

    * ``c1``, ``c2``: coefficients of ``1/n`` and ``1/n^2`` in the risk (``c2`` has no standard
      error: NaN);
    * ``risk``: the estimated risk at ``n``;
    * ``n_required``: the smallest n at which the estimated risk meets ``8 epsilon^2``.

    The interval of ``c1`` (bootstrap, studentised or BCa, or the delta method's
    ``exp(ln c1 +/- z SE / c1)``, by ``ci_method``) is carried, ``c2`` held fixed, to
    the risk and to ``n_required`` (both increase with ``c1``); their standard errors are the
    delta method's, ``SE(c1) / n`` and ``SE(c1) d n_required / d c1``.

    Parameters
    ----------
    family : str
        Name of the fitted family.
    n : float
        Number of observations (sum of the frequency weights).
    p : int
        Number of free parameters.
    epsilon : float
        Tolerance on the Bayes error; the threshold on the risk is ``8 epsilon^2``.
    order : {1, 2}
        Terms of the expansion used for the risk and ``n_required``.
    alpha : float
        Default level of the intervals.
    c1, c2 : float
        Estimated coefficients (``c2`` NaN when the fourth-cumulant tensor was not formed).
    c1_se : float
        Delta-method standard error of ``c1``.
    c1_model, c2_model : float
        The coefficients if the data came from the fitted model (``c1_model = p/2``).
    loglik : float
        Maximised log-likelihood.
    model_params : dict
        The fitted model's parameters.
    ci_method : {"studentized", "bca", "delta"}, default "delta"
        Interval of ``c1`` (the bootstrap ones need the replicates ``PNCriterion.fit`` stores;
        without them, or with too few usable replicates, the delta method's).
    c2_bc : float, default NaN
        Bootstrap bias-reduced ``c2`` (reported; the risk uses ``c2``).
    _boot : optional
        Internal: the bootstrap replicates ``PNCriterion.fit`` stores for ``conf_int``.
    """

    family: str
    n: float
    p: int
    epsilon: float
    order: int
    alpha: float
    c1: float
    c2: float
    c1_se: float
    c1_model: float
    c2_model: float
    loglik: float
    model_params: dict[str, Any]
    ci_method: str = "delta"
    c2_bc: float = float("nan")
    _boot: _Bootstrap | None = field(default=None, repr=False, compare=False)

    #: Row labels of :meth:`summary` and index of ``params``.
    QUANTITIES = ("c1", "c2", "risk", "n_required")

    # -- the criterion -------------------------------------------------------------------
    @property
    def threshold(self) -> float:
        """``8 epsilon^2``."""
        return 8.0 * self.epsilon**2

    @property
    def trace(self) -> float:
        """``tr(I^-1 Sigma) = 2 c1``, the TIC penalty that replaces AIC's ``p``."""
        return 2.0 * self.c1

    @property
    def aic(self) -> float:
        """``-2 loglik + 2 p``."""
        return -2.0 * self.loglik + 2.0 * self.p

    @property
    def tic(self) -> float:
        """``-2 loglik + 2 trace``."""
        return -2.0 * self.loglik + 2.0 * self.trace

    def _uses_c2(self, c2: float) -> bool:
        return self.order == 2 and bool(np.isfinite(c2))

    def risk(self, n: Any, *, model: bool = False) -> Any:
        """Estimated risk ``c1/n (+ c2/n^2)`` at sample size(s) ``n`` (scalar or array).

        Parameters
        ----------
        n : float or array-like
            Sample size(s), positive.
        model : bool, default False
            Use the well-specified coefficients (``p/2`` and ``c2_model``).

        Returns
        -------
        float or ndarray
            The estimated risk at each ``n`` (a float for a scalar ``n``).
        """
        arr = np.asarray(n, dtype=float)
        if not np.isfinite(arr).all() or (arr <= 0).any():
            raise InvalidParameterError(f"n must be positive and finite; got {_show(n)}")
        c1, c2 = (self.c1_model, self.c2_model) if model else (self.c1, self.c2)
        out = c1 / arr
        if self.order == 2 and np.isfinite(c2):
            out = out + c2 / arr**2
        return float(out) if out.ndim == 0 else out

    def n_required(self, *, model: bool = False) -> int:
        """Smallest n at which the estimated risk meets the threshold.

        Parameters
        ----------
        model : bool, default False
            Use the well-specified coefficients.

        Returns
        -------
        int
            The smallest n with ``risk(n) <= 8 epsilon^2`` (the real root rounded up).
        """
        c1, c2 = (self.c1_model, self.c2_model) if model else (self.c1, self.c2)
        return _ceil(n_required(c1, c2, self.epsilon, 2 if self._uses_c2(c2) else 1))

    @property
    def accept(self) -> bool:
        """The estimated risk at ``n`` is within the threshold."""
        return bool(self.risk(self.n) <= self.threshold)

    # -- the results contract ------------------------------------------------------------
    @property
    def estimate(self) -> pd.Series:
        """``c1``, ``c2``, ``risk`` (at ``n``) and ``n_required``, robust."""
        vals = [self.c1, self.c2, self.risk(self.n), float(self.n_required())]
        return pd.Series(vals, index=self._index(), dtype=float)

    @property
    def se(self) -> pd.Series:
        """Standard errors on the index of :attr:`estimate` (delta method through ``c1``)."""
        c2 = self.c2 if self._uses_c2(self.c2) else 0.0
        thr = self.threshold
        disc = self.c1**2 + 4.0 * thr * c2
        if self._uses_c2(self.c2) and disc > 0:
            dn = (1.0 + self.c1 / math.sqrt(disc)) / (2.0 * thr)
        elif self._uses_c2(self.c2):  # the root with the square root taken as 0
            dn = 1.0 / (2.0 * thr)
        else:
            dn = 1.0 / thr
        vals = [self.c1_se, float("nan"), self.c1_se / self.n, self.c1_se * dn]
        return pd.Series(vals, index=self._index(), dtype=float)

    def _index(self) -> pd.Index:
        return pd.Index(self.QUANTITIES, name="quantity")

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Interval for ``c1`` and, through it, for the risk at ``n`` and ``n_required``.

        ``c2`` is held fixed and has no interval (NaN).

        Parameters
        ----------
        alpha : float, optional
            ``1 - alpha`` intervals (default: :attr:`alpha`).

        Returns
        -------
        ConfidenceInterval
            ``(low, high)``, Series aligned with :attr:`params`.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        z = float(stats.norm.ppf(1 - a / 2))
        c1, se = self.c1, self.c1_se
        lo, hi = (c1 * math.exp(-z * se / c1), c1 * math.exp(z * se / c1)) if c1 > 0 else (c1, c1)
        if self.ci_method != "delta" and self._boot is not None:
            boot = _boot_interval(self.ci_method, c1, se, self._boot, a)
            if boot is not None:
                lo, hi = boot
        c2 = self.c2 if (self.order == 2 and np.isfinite(self.c2)) else 0.0
        order = self.order if np.isfinite(self.c2) else 1
        eps, n, nan = float(self.epsilon), self.n, float("nan")
        low = [lo, nan, lo / n + c2 / n**2, n_required(lo, c2, eps, order)]
        high = [hi, nan, hi / n + c2 / n**2, n_required(hi, c2, eps, order)]
        return ConfidenceInterval(
            pd.Series(low, index=self._index(), dtype=float),
            pd.Series(high, index=self._index(), dtype=float),
        )

    @property
    def misspecified(self) -> bool:
        """The robust ``c1`` differs from the model's ``p/2`` by more than two standard errors."""
        return bool(
            np.isfinite(self.c1_se)
            and self.c1_se > 0
            and abs(self.c1 - self.c1_model) > 2.0 * self.c1_se
        )

    @property
    def ci_note(self) -> str:
        """Why the interval of ``c1`` may cover less than its level, in words ("" if no reason).

        Below ``NOTE_MAX_ROWS`` (5,000) observations of a family with unbounded support: when
        the data are more skewed than the model, ``c1`` rests on their third and fourth
        moments, which such samples understate, and no interval we measured (delta,
        studentised or BCa bootstrap) then holds its level (``benchmarks/pn_coverage.py``).
        A two-standard-error test of ``c1 = p/2`` (:attr:`misspecified`) has little power
        there, so the note does not wait for it.
        """
        if self.family in BOUNDED_FAMILIES or self.n >= NOTE_MAX_ROWS:
            return ""
        fit = (
            f"c1 = {self.c1:.3g} is more than two SEs from p/2 = {self.c1_model:.3g}: the model "
            "does not fit these data"
            if self.misspecified
            else f"c1 = {self.c1:.3g} against p/2 = {self.c1_model:.3g} if the model fits"
        )
        return (
            f"{fit}; with {self.n:g} rows, if the data are skewed relative to the model, c1 "
            "rests on third and fourth moments the sample understates and the interval may "
            "cover less than its level (95% intervals covered 0.69 at n = 50, 0.79 at n = 200 "
            "and 0.89 at n = 1,000 for Gamma(3) data under the normal model)"
        )

    def summary(self) -> pd.DataFrame:
        """One row per quantity: the robust estimate, its SE and interval, the model's value.

        The last column is the value if the data came from the fitted model.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``c1``, ``c2``, ``risk``, ``n_required``; columns ``estimate``, ``se``,
            ``ci_low``, ``ci_high`` (robust: ``c1 = tr(I^-1 Sigma)/2``, TIC's penalty) and
            ``well_specified`` (``c1 = p/2``, AIC's penalty, and ``c2`` of the fitted model).
            ``n``, ``p``, the threshold, the verdict, AIC and TIC are in the ``repr`` and the
            attributes. A last column ``ci_note`` says, on the ``c1`` row, why its interval
            may cover less than its level (:attr:`ci_note`), when there is a reason.
        """
        model = [
            self.c1_model,
            self.c2_model,
            self.risk(self.n, model=True),
            float(self.n_required(model=True)),
        ]
        frame = self._frame(well_specified=pd.Series(model, index=self._index(), dtype=float))
        note = self.ci_note
        if note:
            frame["ci_note"] = ["" if q != "c1" else note for q in frame.index]
        return frame

    def _header(self) -> str:
        verdict = "accept" if self.accept else "reject"
        return (
            f"PNResult({self.family}: n = {self.n:g}, p = {self.p}, epsilon = {self.epsilon:g}, "
            f"order {self.order}; risk {self.risk(self.n):.4g} vs threshold 8 eps^2 = "
            f"{self.threshold:.4g}: {verdict}; n required {self.n_required()} (robust), "
            f"{self.n_required(model=True)} (well specified); trace {self.trace:.4g} (p if well "
            f"specified); "
            f"AIC {self.aic:.6g}, TIC {self.tic:.6g})"
        )

    def __repr__(self) -> str:
        table = self.summary().drop(columns="ci_note", errors="ignore")
        text = f"{self._header()}\n{table.to_string(float_format=lambda v: f'{v:.5g}')}"
        return f"{text}\nNote on the c1 interval: {self.ci_note}" if self.ci_note else text

    def _repr_html_(self) -> str:
        table = self.summary().to_html(float_format=lambda v: f"{v:.5g}", border=0)
        return f"<div><strong>{html.escape(self._header())}</strong>{table}</div>"
