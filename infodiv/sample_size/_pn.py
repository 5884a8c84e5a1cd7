r"""Sample size against model dimension: the p-n criterion for exponential families.

Question answered: *with n rows, is the fitted p-parameter model close enough to the best model
of its family?* "Best" is the information projection of the true law onto the family, and
"close enough" is measured by the expected Kullback-Leibler divergence between the two.
See ``docs/sample_size.md`` and ``shared/specs/pn-criterion.md`` (after Sheena, "MLE convergence
speed to information projection of exponential family").

Set-up
------
Model ``M = {g(x; theta) = h(x) exp(theta' T(x) - psi(theta))}``, ``theta`` in R^p; true law
``g`` possibly outside M. The projection ``theta*`` matches moments, ``grad psi(theta*) =
E_g T``; the MLE matches the sample mean, ``grad psi(theta_hat) = mean T(X_i)``. The
estimation risk is ``R_n = E_g KL(g_theta* || g_theta_hat)``.

Expansion (summation convention)
--------------------------------
``R_n = c1 / n + c2 / n^2 + O(n^-3)`` with, ``I = Cov_theta*(T)`` (Fisher information of the
model at the projection), ``G = I^-1``, ``Sigma = Cov_g(T)`` and ``kappa3`` the *true* third
cumulant of ``T``, ``K3``, ``K4`` the *model's* third and fourth cumulants of ``T`` at theta*::

    c1 = 1/2 tr(G Sigma)                         (= p/2 when well specified: AIC's p;
                                                   2 c1 is Takeuchi's tr(I^-1 J) of TIC)
    c2 = 1/3 phi_ijk kappa3^ijk + 3/8 phi_ijkl Sigma^ij Sigma^kl
    phi_ijk  = -G_ia G_jb G_kc K3_abc
    phi_ijkl =  G_ia G_jb G_kc G_ld [-K4_abcd + K3_abe G_ef K3_fcd
                                     + K3_ace G_ef K3_fbd + K3_ade G_ef K3_fbc]

``phi`` is the convex conjugate of ``psi``: ``KL(g_theta* || g_theta_hat)`` is the Bregman
divergence of ``phi`` between the mean parameters, expanded to fourth order in
``mean T - E_g T``. Checks: Poisson ``c2 = 5 / (12 mu)``; univariate normal ``c1 = 1``,
``c2 = 61/12``; exponential ``c2 = 11/12``; a K-cell multinomial
``c1 = (K - 1)/2``, ``c2 = (5 sum_j 1/pi_j - 6K + 1) / 12``.

Criterion
---------
Accept ``(p, n)`` at tolerance ``epsilon`` when ``R_hat_n <= 8 epsilon^2`` (Pinsker + Jensen: the
expected Bayes error of telling the fitted model from the projection is then at least
``1/2 - epsilon``). Otherwise the sample needed is ``n_req = [c1 + sqrt(c1^2 + 32 eps^2 c2)] /
(16 eps^2)`` (order 2) or ``c1 / (8 eps^2)`` (order 1). Well specified, ``epsilon = 0.05`` needs
about ``25 p`` rows.

Estimation
----------
``Sigma`` and ``kappa3`` are the sample covariance and third central moment of ``T(X_i)``
(frequency weights allowed); ``I``, ``K3``, ``K4`` are the model's cumulants at ``theta_hat``,
analytic for the built-in families, by finite differences of the log-partition for a
user-defined :class:`ExponentialFamily` (or by the user's own derivative function).
``c1_hat`` is a smooth function of sample moments; its standard error is the delta method
(influence function ``IF(t) = u'Gu/2 - c1 - (G u)' K3[G Sigma G] / 2`` with ``u = t - mean T``),
and its interval ``exp(log c1 +/- z SE / c1)`` (a log scale keeps it positive).

Binning bridge
--------------
A feature with K bins is a (K-1)-parameter multinomial: the largest K it can afford at
tolerance epsilon is :func:`max_affordable_bins`. The same ``K - 1`` drives the upward bias of
IV/PSI, ``(K - 1)(1/n1 + 1/n2)`` = twice the sum of the two samples' first-order estimation
risks; :func:`data_starved` says whether either sample's bin distribution fails the criterion.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from infodiv._validation import _show, check_alpha, check_open_interval, check_sample_weight
from infodiv.core import ResultBase

__all__ = [
    "FAMILIES",
    "ExponentialFamily",
    "PNCriterion",
    "DataStarvedResult",
    "categorical_coefficients",
    "data_starved",
    "data_starved_summary",
    "max_affordable_bins",
    "n_required",
    "plot_risk",
    "risk_coefficients",
]

#: Built-in family names accepted by :class:`PNCriterion`.
FAMILIES = (
    "bernoulli",
    "categorical",
    "poisson",
    "exponential",
    "gamma",
    "normal",
    "multivariate_normal",
)

#: Largest number of parameters for which the dense fourth-cumulant tensor (p^4 entries) is
#: formed; the multivariate normal with d <= 8 variables has p = d + d(d+1)/2 <= 44.
MAX_P_ORDER2 = 44
#: Largest p for the third-cumulant tensor (p^3 entries) used by the standard error of c1.
MAX_P_ORDER1 = 200


# --------------------------------------------------------------------------------------------
# The expansion: c1, c2 from cumulants
# --------------------------------------------------------------------------------------------


def _as_tensor(a: Any, p: int, order: int, name: str) -> np.ndarray:
    arr = np.asarray(a, dtype=float)
    if order == 2 and arr.ndim == 0 and p == 1:
        arr = arr.reshape(1, 1)
    if arr.ndim == 0 and p == 1:
        arr = arr.reshape((1,) * order)
    if arr.shape != (p,) * order:
        raise ValueError(f"{name} must have shape {(p,) * order}; got {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or inf")
    return arr


def _inverse(fisher: np.ndarray, name: str = "fisher") -> np.ndarray:
    """Inverse of a positive-definite matrix; singularity is judged on its correlation form."""
    M = (fisher + fisher.T) / 2
    dg = np.diag(M)
    if not (dg > 0).all():
        raise ValueError(f"{name} is not positive definite (diagonal {_show(dg.tolist())})")
    s = 1.0 / np.sqrt(dg)
    w, v = np.linalg.eigh(M * s[:, None] * s[None, :])
    if w.min() <= 1e-12:
        raise ValueError(
            f"{name} is singular (smallest eigenvalue of its correlation form {w.min():.3g}): "
            "the model's information matrix has no inverse at the fitted parameter"
        )
    return ((v / w) @ v.T) * s[:, None] * s[None, :]


def _third_term(GK3: np.ndarray, kappa3: np.ndarray) -> float:
    """``phi_ijk kappa3^ijk`` given ``GK3 = G G G K3`` (``phi_ijk = -GK3``)."""
    return -float(np.einsum("ijk,ijk->", GK3, kappa3))


def _fourth_term(G: np.ndarray, K3: np.ndarray, K4: np.ndarray, B: np.ndarray) -> float:
    """``phi_ijkl Sigma^ij Sigma^kl`` with ``B = G Sigma G`` (matrix products, O(p^5))."""
    p = G.shape[0]
    b = B.ravel()
    t4 = -float(b @ K4.reshape(p * p, p * p) @ b)
    v = b @ K3.reshape(p * p, p)
    t5 = float(v @ G @ v)
    # t6 = K3_ace B_cd K3_fbd G_ef B_ab; X[(a,e),(f,b)] = sum_cd K3_aec B_cd K3_dfb
    X = (K3.reshape(p * p, p) @ B @ K3.reshape(p, p * p)).reshape(p, p, p, p)
    t6 = float(np.einsum("aefb,ab,ef->", X, B, G, optimize=True))
    return t4 + t5 + 2.0 * t6


def risk_coefficients(
    fisher: Any,
    model_k3: Any,
    model_k4: Any | None = None,
    sigma: Any | None = None,
    kappa3: Any | None = None,
) -> tuple[float, float]:
    """Coefficients ``(c1, c2)`` of ``1/n`` and ``1/n^2`` in the estimation risk, from cumulants.

    Parameters
    ----------
    fisher : array of shape (p, p)
        ``I = Cov(T)`` under the model at the projection (Fisher information per observation).
    model_k3, model_k4 : arrays of shape (p,)*3 and (p,)*4
        Third and fourth cumulants of ``T`` under the model. ``model_k4=None`` gives
        ``c2 = nan``.
    sigma, kappa3 : arrays, optional
        Covariance and third cumulant of ``T`` under the *true* law; default to the model's
        (well specified).

    Returns
    -------
    (c1, c2) : tuple of float
        ``c1 = tr(I^-1 Sigma)/2``; ``c2`` by the formula in the module docstring.

    Examples
    --------
    Poisson with mean 4 (cumulants of T = x all equal 4): ``c1 = 1/2``, ``c2 = 5/48``.

    >>> c1, c2 = risk_coefficients([[4.0]], [[[4.0]]], [[[[4.0]]]])
    >>> round(c1, 6), round(c2 * 48, 6)
    (0.5, 5.0)
    """
    info = np.asarray(fisher, dtype=float)
    if info.ndim == 0:
        info = info.reshape(1, 1)
    if info.ndim != 2 or info.shape[0] != info.shape[1]:
        raise ValueError(f"fisher must be a square matrix; got shape {info.shape}")
    p = info.shape[0]
    info = _as_tensor(info, p, 2, "fisher")
    K3 = _as_tensor(model_k3, p, 3, "model_k3")
    S = info if sigma is None else _as_tensor(sigma, p, 2, "sigma")
    k3 = K3 if kappa3 is None else _as_tensor(kappa3, p, 3, "kappa3")
    G = _inverse(info)
    c1 = 0.5 * float(np.trace(G @ S))
    if model_k4 is None:
        return c1, float("nan")
    K4 = _as_tensor(model_k4, p, 4, "model_k4")
    GK3 = np.einsum("abc,ai,bj,ck->ijk", K3, G, G, G, optimize=True)
    c2 = _third_term(GK3, k3) / 3.0 + 0.375 * _fourth_term(G, K3, K4, G @ S @ G)
    return c1, float(c2)


def categorical_coefficients(shares: Any) -> tuple[float, float]:
    """``(c1, c2)`` of a K-cell multinomial (categorical) model with cell probabilities ``shares``.

    ``c1 = (K - 1)/2`` and ``c2 = (5 sum_j 1/pi_j - 6 K + 1) / 12`` (from the cell-wise series
    of ``sum_j pi_j ln(pi_j / pi_hat_j)``; every distribution on K cells is in the family, so
    this is exact for any data). Cells with zero share are left out of K.

    Examples
    --------
    >>> c1, c2 = categorical_coefficients([0.5, 0.5])
    >>> c1, round(c2, 6)
    (0.5, 0.75)
    """
    pi = np.asarray(shares, dtype=float).ravel()
    if pi.size == 0 or not np.isfinite(pi).all() or (pi < 0).any() or pi.sum() <= 0:
        raise ValueError(
            f"shares must be non-negative and finite with a positive sum; got {_show(shares)}"
        )
    pi = pi[pi > 0] / pi.sum()
    K = pi.size
    return 0.5 * (K - 1), float((5.0 * np.sum(1.0 / pi) - 6.0 * K + 1.0) / 12.0)


def n_required(c1: float, c2: float, epsilon: float = 0.05, order: int = 2) -> float:
    """Smallest ``n`` with ``c1/n (+ c2/n^2) <= 8 epsilon^2`` (order 1 or 2), as a real number.

    Order 2: the positive root ``[c1 + sqrt(c1^2 + 32 eps^2 c2)] / (16 eps^2)``; when ``c2 < 0``
    makes the discriminant negative the square root is taken as 0.

    Examples
    --------
    >>> round(n_required(1.0, 0.0, 0.05, order=1), 9)
    50.0
    """
    eps = _check_epsilon(epsilon)
    thr = 8.0 * eps**2
    if order == 1 or not np.isfinite(c2):
        return float(c1 / thr)
    disc = max(c1**2 + 4.0 * thr * c2, 0.0)
    return float((c1 + math.sqrt(disc)) / (2.0 * thr))


def _check_epsilon(epsilon: Any) -> float:
    return check_open_interval(epsilon, "epsilon", 0.0, 0.5, note=" (a Bayes-error tolerance)")


def _check_order(order: Any) -> int:
    if order not in (1, 2) or isinstance(order, bool):
        raise ValueError(f"order must be 1 or 2; got {_show(order)}")
    return int(order)


# --------------------------------------------------------------------------------------------
# Sample moments of T and cumulant tensors
# --------------------------------------------------------------------------------------------


def _weighted_moments(T: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted mean, covariance (divisor sum w) and centred rows of ``T``."""
    pw = w / w.sum()
    mean = np.einsum("i,ij->j", pw, T)
    U = T - mean
    # einsum, not BLAS: tall-skinny products are faster without thread start-up
    cov = np.einsum("i,ij,ik->jk", pw, U, U)
    return mean, (cov + cov.T) / 2, U


def _sample_third(U: np.ndarray, w: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """Weighted third central moment tensor ``sum w u(x)u(x)u / sum w`` (p^3), chunked."""
    n, p = U.shape
    pw = w / w.sum()
    if p <= 8:
        return np.einsum("i,ij,ik,il->jkl", pw, U, U, U)
    out = np.zeros((p * p, p))
    for s in range(0, n, chunk):
        Uc = U[s : s + chunk]
        outer = (Uc[:, :, None] * Uc[:, None, :]).reshape(len(Uc), p * p)
        out += (outer * pw[s : s + chunk, None]).T @ Uc
    return out.reshape(p, p, p)


def _finite_support_cumulants(
    points: np.ndarray, probs: np.ndarray, need_k4: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Covariance, third and fourth cumulants of a distribution on finitely many points."""
    mean = probs @ points
    U = points - mean
    K2 = (U * probs[:, None]).T @ U
    K3 = np.einsum("r,ra,rb,rc->abc", probs, U, U, U)
    K4 = None
    if need_k4:
        M4 = np.einsum("r,ra,rb,rc,rd->abcd", probs, U, U, U, U)
        K4 = M4 - _pair_sym(K2)
    return K2, K3, K4


def _pair_sym(K2: np.ndarray) -> np.ndarray:
    """``K2_ab K2_cd + K2_ac K2_bd + K2_ad K2_bc``."""
    return (
        np.einsum("ab,cd->abcd", K2, K2)
        + np.einsum("ac,bd->abcd", K2, K2)
        + np.einsum("ad,bc->abcd", K2, K2)
    )


def _wdot(w: np.ndarray, v: np.ndarray) -> Any:
    """``w @ v`` over rows by einsum (avoids BLAS thread start-up on long thin products)."""
    return np.einsum("i,i...->...", w, v)


# --------------------------------------------------------------------------------------------
# Families
# --------------------------------------------------------------------------------------------


@dataclass
class _Fit:
    """What a family hands to the criterion after fitting (working coordinates)."""

    T: np.ndarray  # (n, p) rows of the sufficient statistic in working coordinates
    w: np.ndarray  # frequency weights
    fisher: np.ndarray  # model Cov(T) at theta_hat (working coordinates)
    k3: np.ndarray | None
    k4: np.ndarray | None
    loglik: float
    params: dict[str, Any]
    theta: np.ndarray | None = None  # natural parameter in the user's coordinates
    fisher_natural: np.ndarray | None = None  # Fisher information in the user's coordinates
    c1: float | None = None  # closed forms (families that have them)
    c1_if: np.ndarray | None = None  # influence values of c1 per row
    c2: float | None = None
    c2_model: float | None = None


def _as_2d(X: Any, name: str = "X") -> np.ndarray:
    if isinstance(X, pd.DataFrame | pd.Series):
        try:
            arr = X.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):
            raise ValueError(
                f"{name} must be numeric; got dtypes {_show(list(map(str, getattr(X, 'dtypes', [X.dtype]))))}"
            ) from None
    else:
        try:
            arr = np.asarray(X, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be numeric; got {_show(X)}") from None
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 1- or 2-dimensional; got shape {arr.shape}")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} has no rows")
    bad = ~np.isfinite(arr)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise ValueError(f"{name} contains NaN or inf (row {r}, column {c}: {arr[r, c]!r})")
    return arr


def _univariate(X: Any, family: str) -> np.ndarray:
    arr = _as_2d(X)
    if arr.shape[1] != 1:
        raise ValueError(
            f"family {family!r} is univariate: X must be one column; got {arr.shape[1]} columns"
        )
    return arr[:, 0]


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


class ExponentialFamily:
    r"""A user-defined exponential family ``h(x) exp(theta' T(x) - psi(theta))``.

    Parameters
    ----------
    sufficient_statistic : callable
        ``T(X)``: maps the data array (as given to ``fit``, converted to float; 1-D data arrive
        as a column of shape (n, 1)) to an array of shape (n, p) (or (n,) when p = 1).
    log_partition : callable
        ``psi(theta)`` for ``theta`` of shape (p,), returning a float; it should return
        ``inf`` or ``nan`` outside the natural parameter space.
    theta0 : array of shape (p,), optional
        Starting point of Newton's method for the MLE (default zeros); must be inside the
        natural parameter space.
    derivatives : callable, optional
        ``derivatives(theta) -> (mean, fisher, k3, k4)``: the first four derivatives of
        ``psi`` (gradient, Hessian, third and fourth derivative tensors). Give it when you have
        them analytically or from an automatic-differentiation library (e.g. nested
        ``jax.jacfwd``); otherwise they are taken by finite differences (see Notes).
    log_base_measure : callable, optional
        ``ln h(X)`` per row; needed for the log-likelihood and AIC (NaN without it).
    support : callable, optional
        ``support(X) -> bool array``: True for rows inside the family's support; rows outside
        raise a ``ValueError``.
    name : str
        Name shown in summaries.

    Notes
    -----
    Finite differences are taken in *standardised* coordinates ``theta = theta_hat + A u``
    with ``A = I^(-1/2)`` (``I`` the Hessian at the current point; at the start, the inverse
    square root of the sample covariance of ``T``), where every cumulant is of order one.
    Mixed partial derivatives of order r use the tensor product of central differences
    (``(m + 1)`` points for multiplicity m) with steps 1e-3, 5e-3, 1e-2, 2e-2 for r = 1..4 and
    one Richardson extrapolation (steps h and h/2), so the truncation error is O(h^4); the
    rounding error is about ``1e-16 |psi| / h^r``. For r = 4 this gives roughly 7 significant
    digits when ``|psi|`` is of order one. Newton's method (line search, Newton decrement below
    1e-14) solves ``grad psi(theta) = mean T``. The cost is O(p^4) evaluations of ``psi``:
    keep p small (a few tens at most).

    Examples
    --------
    The Poisson family written by hand (T = x, psi = exp(theta)):

    >>> import numpy as np
    >>> fam = ExponentialFamily(lambda x: x[:, 0], lambda t: np.exp(t[0]), name="my poisson")
    >>> x = np.random.default_rng(0).poisson(4.0, size=500)
    >>> pn = PNCriterion(family=fam).fit(x)
    >>> bool(abs(pn.c2_model_ - 5 / (12 * x.mean())) < 1e-5)
    True
    """

    def __init__(
        self,
        sufficient_statistic: Callable[[np.ndarray], Any],
        log_partition: Callable[[np.ndarray], float],
        *,
        theta0: Any = None,
        derivatives: Callable[[np.ndarray], tuple[Any, Any, Any, Any]] | None = None,
        log_base_measure: Callable[[np.ndarray], Any] | None = None,
        support: Callable[[np.ndarray], Any] | None = None,
        name: str = "custom",
    ) -> None:
        if not callable(sufficient_statistic):
            raise ValueError("sufficient_statistic must be callable")
        if not callable(log_partition):
            raise ValueError("log_partition must be callable")
        for nm, f in (
            ("derivatives", derivatives),
            ("log_base_measure", log_base_measure),
            ("support", support),
        ):
            if f is not None and not callable(f):
                raise ValueError(f"{nm} must be callable or None; got {_show(f)}")
        self.sufficient_statistic = sufficient_statistic
        self.log_partition = log_partition
        self.theta0 = theta0
        self.derivatives = derivatives
        self.log_base_measure = log_base_measure
        self.support = support
        self.name = name

    def __repr__(self) -> str:
        return f"ExponentialFamily({self.name!r})"

    # -- statistic -----------------------------------------------------------------------
    def _statistic(self, X: Any) -> tuple[np.ndarray, np.ndarray]:
        arr = _as_2d(X)
        if self.support is not None:
            ok = np.asarray(self.support(arr), dtype=bool).ravel()
            if ok.shape[0] != arr.shape[0]:
                raise ValueError(
                    f"support must return one flag per row; got {ok.shape[0]} for {arr.shape[0]} rows"
                )
            if not ok.all():
                j = _first_bad(~ok)
                raise ValueError(
                    f"X row {j} ({_show(arr[j].tolist())}) is outside the support of family {self.name!r}"
                )
        T = np.asarray(self.sufficient_statistic(arr), dtype=float)
        if T.ndim == 1:
            T = T[:, None]
        if T.ndim != 2 or T.shape[0] != arr.shape[0]:
            raise ValueError(
                f"sufficient_statistic must return shape (n, p) with n = {arr.shape[0]}; got {T.shape}"
            )
        if not np.isfinite(T).all():
            j = _first_bad(~np.isfinite(T).all(axis=1))
            raise ValueError(
                f"sufficient_statistic is not finite at X row {j} ({_show(arr[j].tolist())})"
            )
        return arr, T

    def _psi(self, theta: np.ndarray) -> float:
        try:
            v = float(self.log_partition(np.asarray(theta, dtype=float)))
        except (ValueError, ArithmeticError, FloatingPointError):
            return float("nan")
        return v

    # -- derivatives ---------------------------------------------------------------------
    def _fd(self, theta: np.ndarray, A: np.ndarray, orders: Sequence[int]) -> dict[int, np.ndarray]:
        p = theta.size
        steps = {1: 1e-3, 2: 5e-3, 3: 1e-2, 4: 2e-2}
        cache: dict[tuple[float, ...], float] = {}

        def f(u: np.ndarray) -> float:
            key = tuple(np.round(u, 15))
            if key not in cache:
                v = self._psi(theta + A @ u)
                if not np.isfinite(v):
                    raise ValueError(
                        f"log_partition of family {self.name!r} is not finite at "
                        f"theta = {_show((theta + A @ u).tolist())}, a finite-difference point next "
                        "to the fitted parameter: the MLE is at (or too close to) the boundary of "
                        "the natural parameter space"
                    )
                cache[key] = v
            return cache[key]

        def partial(mult: dict[int, int], h: float) -> float:
            coords = list(mult)
            offs = []
            for i in coords:
                m = mult[i]
                offs.append([((m / 2 - k) * h, (-1) ** k * math.comb(m, k)) for k in range(m + 1)])
            total = 0.0
            for combo in itertools.product(*offs):
                u = np.zeros(p)
                wgt = 1.0
                for i, (o, c) in zip(coords, combo, strict=True):
                    u[i] = o
                    wgt *= c
                total += wgt * f(u)
            r = sum(mult.values())
            return total / h**r

        out: dict[int, np.ndarray] = {}
        for r in orders:
            h = steps[r]
            tens = np.zeros((p,) * r)
            for idx in itertools.combinations_with_replacement(range(p), r):
                mult: dict[int, int] = {}
                for i in idx:
                    mult[i] = mult.get(i, 0) + 1
                val = (4.0 * partial(mult, h / 2) - partial(mult, h)) / 3.0
                for perm in set(itertools.permutations(idx)):
                    tens[perm] = val
            out[r] = tens
        return out

    def _user_derivs(self, theta: np.ndarray, p: int) -> tuple[np.ndarray, ...]:
        assert self.derivatives is not None
        res = self.derivatives(np.asarray(theta, dtype=float))
        if not isinstance(res, tuple | list) or len(res) != 4:
            raise ValueError("derivatives must return (mean, fisher, k3, k4)")
        mean = np.asarray(res[0], dtype=float).reshape(p)
        return (
            mean,
            _as_tensor(res[1], p, 2, "derivatives fisher"),
            _as_tensor(res[2], p, 3, "derivatives k3"),
            _as_tensor(res[3], p, 4, "derivatives k4"),
        )

    # -- MLE ------------------------------------------------------------------------------
    def _mle(self, tbar: np.ndarray, A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Newton's method for ``grad psi(theta) = tbar``; returns theta_hat and the Hessian."""
        p = tbar.size
        theta = (
            np.zeros(p) if self.theta0 is None else np.asarray(self.theta0, dtype=float).reshape(-1)
        )
        if theta.size != p:
            raise ValueError(
                f"theta0 must have {p} entries (one per sufficient statistic); got {theta.size}"
            )
        if not np.isfinite(self._psi(theta)):
            raise ValueError(
                f"log_partition is not finite at theta0 = {_show(theta.tolist())}: give a theta0 "
                "inside the natural parameter space"
            )

        def obj(t: np.ndarray) -> float:
            v = self._psi(t)
            return v - float(t @ tbar) if np.isfinite(v) else float("inf")

        for _ in range(100):
            if self.derivatives is not None:
                mean, H, _, _ = self._user_derivs(theta, p)
                g_u, H_u = A.T @ (mean - tbar), A.T @ H @ A
            else:
                d = self._fd(theta, A, (1, 2))
                g_u, H_u = d[1] - A.T @ tbar, d[2]
            H_u = (H_u + H_u.T) / 2
            Ainv = np.linalg.inv(A)
            H_theta = Ainv.T @ H_u @ Ainv
            try:
                du = -np.linalg.solve(H_u, g_u)
            except np.linalg.LinAlgError:
                raise ValueError(
                    f"the Hessian of log_partition is singular at theta = {_show(theta.tolist())}"
                ) from None
            dec = float(-g_u @ du)
            if not np.isfinite(dec) or dec < 0:
                break
            if dec < 1e-14:
                # one last full step: quadratic convergence makes it exact to rounding
                theta = theta + A @ du
                return theta, (H_theta + H_theta.T) / 2
            dtheta = A @ du
            t, f0 = 1.0, obj(theta)
            while t > 1e-12 and not obj(theta + t * dtheta) <= f0 - 1e-4 * t * dec:
                t /= 2
            if t <= 1e-12:
                break
            theta = theta + t * dtheta
            A = _inv_sqrt(H_theta, "the Hessian of log_partition")
        raise ValueError(
            f"the MLE of family {self.name!r} did not converge: the sample mean of T may lie "
            "on the boundary of (or outside) the mean-parameter space, or theta0 is too far"
        )

    def _fit(self, X: Any, w: np.ndarray, order: int) -> _Fit:
        arr, T = self._statistic(X)
        p = T.shape[1]
        _check_n(int((w > 0).sum()), p + 2, self.name, "p + 2")
        mean, cov, _ = _weighted_moments(T, w)
        flat = np.flatnonzero(np.diag(cov) <= 0)
        if flat.size:
            raise ValueError(
                f"component {int(flat[0])} of the sufficient statistic is constant in X: the "
                "MLE does not exist (the sample mean of T is on the boundary of the mean-parameter "
                "space) or T has a redundant component"
            )
        A0 = _inv_sqrt(
            cov,
            "the sample covariance of the sufficient statistic (a constant or "
            "collinear component of T?)",
        )
        theta, H = self._mle(mean, A0)
        orders = (2, 3, 4) if order == 2 else (2, 3)
        if self.derivatives is not None:
            _, info, K3, K4 = self._user_derivs(theta, p)
            Tw, fisher, k3, k4 = T, info, K3, (K4 if order == 2 else None)
        else:
            A = _inv_sqrt(H, "the Hessian of log_partition")
            d = self._fd(theta, A, orders)
            Tw, fisher, k3, k4 = np.einsum("ij,jk->ik", T, A), d[2], d[3], d.get(4)
        loglik = float(_wdot(w, np.einsum("ij,j->i", T, theta)) - w.sum() * self._psi(theta))
        if self.log_base_measure is not None:
            lh = np.asarray(self.log_base_measure(arr), dtype=float).ravel()
            if lh.shape[0] != arr.shape[0]:
                raise ValueError("log_base_measure must return one value per row")
            loglik += float(_wdot(w, lh))
        else:
            loglik = float("nan")
        params = {f"theta[{i}]": float(v) for i, v in enumerate(theta)}
        return _Fit(Tw, w, fisher, k3, k4, loglik, params, theta=theta, fisher_natural=H)


def _inv_sqrt(M: np.ndarray, name: str) -> np.ndarray:
    """Symmetric inverse square root; singularity judged on the correlation form."""
    M = (M + M.T) / 2
    dg = np.diag(M)
    if not np.isfinite(M).all() or not (dg > 0).all():
        raise ValueError(
            f"{name} is singular or not positive definite (diagonal {_show(dg.tolist())})"
        )
    s = 1.0 / np.sqrt(dg)
    w = np.linalg.eigvalsh(M * s[:, None] * s[None, :])
    if w.min() <= 1e-12:
        raise ValueError(
            f"{name} is singular (smallest eigenvalue of its correlation form {w.min():.3g})"
        )
    w, v = np.linalg.eigh(M)
    return (v / np.sqrt(w)) @ v.T


def _check_n(n_pos: int, need: int, family: str, rule: str) -> None:
    if n_pos < need:
        raise ValueError(
            f"too few observations: family {family!r} needs at least {rule} = {need} rows with "
            f"positive weight; got n_samples = {n_pos}"
        )


class _Bernoulli:
    name = "bernoulli"

    def _fit(self, X: Any, w: np.ndarray, order: int) -> _Fit:
        x = _univariate(X, self.name)
        bad = ~np.isin(x, (0.0, 1.0))
        if bad.any():
            j = _first_bad(bad)
            raise ValueError(
                f"family 'bernoulli' needs X coded 0/1; got {float(x[j])!r} at row {j}"
            )
        _check_n(int((w > 0).sum()), 3, self.name, "p + 2")
        m = float(_wdot(w, x) / w.sum())
        if m <= 0 or m >= 1:
            raise ValueError(
                f"X is all {int(round(m))}: the Bernoulli MLE is on the boundary (p_hat = {m:g}) "
                "and the criterion is undefined; both 0 and 1 are needed"
            )
        K2, K3, K4 = _finite_support_cumulants(np.array([[0.0], [1.0]]), np.array([1 - m, m]), True)
        ll = float(_wdot(w, x * np.log(m) + (1 - x) * np.log1p(-m)))
        return _Fit(
            x[:, None],
            w,
            K2,
            K3,
            K4,
            ll,
            {"p": m},
            theta=np.array([np.log(m / (1 - m))]),
            fisher_natural=K2,
        )


class _Categorical:
    name = "categorical"

    def _fit(self, X: Any, w: np.ndarray, order: int) -> _Fit:
        if isinstance(X, pd.DataFrame):
            if X.shape[1] != 1:
                raise ValueError(
                    f"family 'categorical' needs one column of labels; got {X.shape[1]} columns"
                )
            X = X.iloc[:, 0]
        s = pd.Series(np.asarray(X, dtype=object).ravel() if not isinstance(X, pd.Series) else X)
        if np.asarray(X, dtype=object).ndim > 1 and np.asarray(X, dtype=object).shape[1] != 1:
            raise ValueError("family 'categorical' needs one column of labels")
        if s.isna().any():
            j = _first_bad(s.isna().to_numpy())
            raise ValueError(
                f"X contains a missing label at row {j}: give missing values a label of their own"
            )
        codes, labels = pd.factorize(s, sort=True)
        counts = np.bincount(codes, weights=w, minlength=len(labels))
        keep = counts > 0
        labels, counts = np.asarray(labels)[keep], counts[keep]
        K = counts.size
        if K < 2:
            raise ValueError(
                f"X has a single category ({_show(labels[0] if K else None)}): the categorical "
                "model needs at least two"
            )
        _check_n(int((w > 0).sum()), K + 1, self.name, "p + 2 = K + 1")
        pi = counts / counts.sum()
        c1, c2 = categorical_coefficients(pi)
        ll = float(counts @ np.log(pi))
        fisher = np.diag(pi[1:]) - np.outer(pi[1:], pi[1:])
        params = {f"pi[{lab}]": float(v) for lab, v in zip(labels, pi, strict=True)}
        theta = np.log(pi[1:] / pi[0])
        return _Fit(
            np.empty((0, K - 1)),
            w,
            fisher,
            None,
            None,
            ll,
            params,
            theta=theta,
            fisher_natural=fisher,
            c1=c1,
            c1_if=np.zeros(w.size),
            c2=c2,
            c2_model=c2,
        )


class _Poisson:
    name = "poisson"

    def _fit(self, X: Any, w: np.ndarray, order: int) -> _Fit:
        x = _univariate(X, self.name)
        if (x < 0).any():
            j = _first_bad(x < 0)
            raise ValueError(
                f"family 'poisson' needs non-negative counts; got {float(x[j])!r} at row {j}"
            )
        if (x != np.floor(x)).any():
            j = _first_bad(x != np.floor(x))
            raise ValueError(
                f"family 'poisson' needs integer counts; got {float(x[j])!r} at row {j}"
            )
        _check_n(int((w > 0).sum()), 3, self.name, "p + 2")
        mu = float(_wdot(w, x) / w.sum())
        if mu <= 0:
            raise ValueError("X is all zero: the Poisson MLE is on the boundary (mu_hat = 0)")
        ll = float(_wdot(w, x * np.log(mu) - mu - special.gammaln(x + 1)))
        one = np.ones((1,) * 4)
        return _Fit(
            x[:, None],
            w,
            mu * one[0, 0],
            mu * one[0],
            mu * one,
            ll,
            {"mu": mu},
            theta=np.array([np.log(mu)]),
            fisher_natural=mu * one[0, 0],
        )


class _Exponential:
    name = "exponential"

    def _fit(self, X: Any, w: np.ndarray, order: int) -> _Fit:
        x = _univariate(X, self.name)
        if (x < 0).any():
            j = _first_bad(x < 0)
            raise ValueError(
                f"family 'exponential' needs non-negative values; got {float(x[j])!r} at row {j}"
            )
        _check_n(int((w > 0).sum()), 3, self.name, "p + 2")
        mu = float(_wdot(w, x) / w.sum())
        if mu <= 0:
            raise ValueError("X is all zero: the exponential MLE is on the boundary (mean 0)")
        z = x / mu  # scale-free coordinates: the model is Exp(1)
        one = np.ones((1,) * 4)
        ll = float(_wdot(w, -np.log(mu) - z))
        return _Fit(
            z[:, None],
            w,
            one[0, 0],
            2.0 * one[0],
            6.0 * one,
            ll,
            {"mean": mu, "rate": 1.0 / mu},
            theta=np.array([-1.0 / mu]),
            fisher_natural=np.array([[mu**2]]),
        )


def _gamma_shape(s: float) -> float:
    """Solve ``ln a - digamma(a) = s`` (s > 0) by Newton from Minka's starting point."""
    a = (3.0 - s + math.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s)
    for _ in range(100):
        f = math.log(a) - special.digamma(a) - s
        fp = 1.0 / a - special.polygamma(1, a)
        new = a - f / fp
        if new <= 0:
            new = a / 2
        if abs(new - a) <= 1e-14 * a:
            return new
        a = new
    return a


class _Gamma:
    name = "gamma"

    def _fit(self, X: Any, w: np.ndarray, order: int) -> _Fit:
        x = _univariate(X, self.name)
        if (x <= 0).any():
            j = _first_bad(x <= 0)
            raise ValueError(
                f"family 'gamma' needs positive values; got {float(x[j])!r} at row {j}"
            )
        _check_n(int((w > 0).sum()), 4, self.name, "p + 2")
        pw = w / w.sum()
        xbar = float(_wdot(pw, x))
        z = x / xbar  # scale-free coordinates: the fitted model has rate = shape
        lz = np.log(z)
        s = -float(_wdot(pw, lz))  # ln(mean z) - mean ln z, mean z = 1
        if s <= 1e-12:
            raise ValueError(
                "X is constant: the gamma MLE does not exist (the shape estimate is infinite)"
            )
        a = _gamma_shape(s)
        b = a  # rate in z units
        pg = [special.polygamma(k, a) for k in (1, 2, 3)]
        fisher = np.array([[a / b**2, 1 / b], [1 / b, pg[0]]])
        K3 = np.zeros((2, 2, 2))
        K3[0, 0, 0] = 2 * a / b**3
        for idx in set(itertools.permutations((0, 0, 1))):
            K3[idx] = 1 / b**2
        K3[1, 1, 1] = pg[1]
        K4 = np.zeros((2,) * 4)
        K4[0, 0, 0, 0] = 6 * a / b**4
        for idx in set(itertools.permutations((0, 0, 0, 1))):
            K4[idx] = 2 / b**3
        K4[1, 1, 1, 1] = pg[2]
        rate = a / xbar
        ll = float(_wdot(w, a * np.log(rate) - special.gammaln(a) + (a - 1) * np.log(x) - rate * x))
        return _Fit(
            np.column_stack([z, lz]),
            w,
            fisher,
            K3,
            K4,
            ll,
            {"shape": a, "rate": rate},
            theta=np.array([-rate, a - 1.0]),
        )


_MOMENTS_N01 = np.array([1, 0, 1, 0, 3, 0, 15, 0, 105], dtype=float)  # E z^k, z ~ N(0, 1)


def _mvn_exponents(d: int) -> np.ndarray:
    rows = [np.eye(d, dtype=int)[a] for a in range(d)]
    for a in range(d):
        for b in range(a, d):
            e = np.zeros(d, dtype=int)
            e[a] += 1
            e[b] += 1
            rows.append(e)
    return np.array(rows)


def _mvn_features(Z: np.ndarray) -> np.ndarray:
    """Rows ``(z_a, z_a z_b for a <= b)``: the sufficient statistic in standardised units."""
    d = Z.shape[1]
    iu = np.triu_indices(d)
    return np.column_stack([Z, (Z[:, :, None] * Z[:, None, :])[:, iu[0], iu[1]]])


@functools.lru_cache(maxsize=16)
def _mvn_model_tensors(d: int, need_k4: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Cumulants of ``(z_a, z_a z_b)`` under N(0, I_d), from exact monomial moments."""
    E = _mvn_exponents(d)
    p = E.shape[0]

    def raw(r: int) -> np.ndarray:
        out = np.ones((p,) * r)
        for a in range(d):
            e = E[:, a]
            tot = np.zeros((p,) * r, dtype=int)
            for k in range(r):
                shape = [1] * r
                shape[k] = p
                tot = tot + e.reshape(shape)
            out *= _MOMENTS_N01[tot]
        return out

    mu, R2, R3 = raw(1), raw(2), raw(3)
    C2 = R2 - np.outer(mu, mu)
    C3 = (
        R3
        - np.einsum("i,jk->ijk", mu, R2)
        - np.einsum("j,ik->ijk", mu, R2)
        - np.einsum("k,ij->ijk", mu, R2)
        + 2 * np.einsum("i,j,k->ijk", mu, mu, mu)
    )
    if not need_k4:
        return C2, C3, None
    R4 = raw(4)
    m1 = (
        np.einsum("i,jkl->ijkl", mu, R3)
        + np.einsum("j,ikl->ijkl", mu, R3)
        + np.einsum("k,ijl->ijkl", mu, R3)
        + np.einsum("l,ijk->ijkl", mu, R3)
    )
    mm = np.outer(mu, mu)
    m2 = (
        np.einsum("ij,kl->ijkl", mm, R2)
        + np.einsum("ik,jl->ijkl", mm, R2)
        + np.einsum("il,jk->ijkl", mm, R2)
        + np.einsum("jk,il->ijkl", mm, R2)
        + np.einsum("jl,ik->ijkl", mm, R2)
        + np.einsum("kl,ij->ijkl", mm, R2)
    )
    C4 = R4 - m1 + m2 - 3 * np.einsum("i,j,k,l->ijkl", mu, mu, mu, mu)
    return C2, C3, C4 - _pair_sym(C2)


def _mvn_c2_well_specified(d: int) -> float:
    """``c2`` of the d-variate normal (mean and covariance) when the data are normal.

    From the exact risk ``1/2 [d(n+1)/(n-d-2) - d + d ln(2/n) + sum_{i=1}^d digamma((n-i)/2)]``
    (Wishart moments) expanded in 1/n: ``c2 = 1/2 [d(d+2)(d+3) - d(d+1)(2d+1)/12
    - d(d+1)/2 - d/3]``; ``d = 1`` gives 61/12.
    """
    return 0.5 * (d * (d + 2) * (d + 3) - d * (d + 1) * (2 * d + 1) / 12 - d * (d + 1) / 2 - d / 3)


class _MultivariateNormal:
    def __init__(self, univariate: bool = False) -> None:
        self.univariate = univariate
        self.name = "normal" if univariate else "multivariate_normal"

    def _fit(self, X: Any, w: np.ndarray, order: int) -> _Fit:
        arr = _as_2d(X)
        if self.univariate and arr.shape[1] != 1:
            raise ValueError(
                f"family 'normal' is univariate: X must be one column; got {arr.shape[1]} columns "
                "(use family='multivariate_normal')"
            )
        d = arr.shape[1]
        p = d + d * (d + 1) // 2
        if order == 2 and p > MAX_P_ORDER2:
            raise ValueError(
                f"order=2 for the multivariate normal is limited to d <= 8 variables "
                f"(p <= {MAX_P_ORDER2}: the fourth-cumulant tensor has p^4 entries); X has d = {d} "
                f"(p = {p}). Use order=1 (c1 only) or fewer columns"
            )
        _check_n(
            int((w > 0).sum()),
            d + 3,
            self.name,
            "d + 3 (the expected risk is infinite for n <= d + 2)",
        )
        pw = w / w.sum()
        m = _wdot(pw, arr)
        Xc = arr - m
        S = np.einsum("i,ij,ik->jk", pw, Xc, Xc)
        S = (S + S.T) / 2
        const = np.flatnonzero(np.ptp(arr[w > 0], axis=0) == 0)
        if const.size:
            raise ValueError(f"singular covariance: column {int(const[0])} of X is constant")
        A = _inv_sqrt(S, "the covariance of X (singular covariance: columns collinear?)")
        Z = np.einsum("ij,jk->ik", Xc, A)
        s = np.einsum("ij,ij->i", Z, Z)
        # closed forms in Hermite coordinates (see docs/sample_size.md)
        c1 = float(_wdot(pw, s**2) + d) / 4.0
        C = np.einsum("i,ij,ik->jk", pw * (s - 2), Z, Z)
        wv = _wdot(pw * (s - 1), Z) / 2.0
        k3b = (
            np.einsum("ij,jk,ik->i", Z, C, Z)
            - np.trace(C)
            + 2 * (s - d)
            + 4 * np.einsum("ij,j->i", Z, wv)
        )
        c1_if = (s**2 + d) / 4.0 - c1 - 0.5 * k3b
        _, logdet = np.linalg.slogdet(S)
        ll = -0.5 * float(w.sum()) * (d * math.log(2 * math.pi) + logdet + d)
        if self.univariate:
            params: dict[str, Any] = {"mean": float(m[0]), "variance": float(S[0, 0])}
        else:
            params = {f"mean[{j}]": float(m[j]) for j in range(d)}
            params.update({f"cov[{a},{b}]": float(S[a, b]) for a in range(d) for b in range(a, d)})
        fit = _Fit(
            np.empty((0, p)),
            w,
            np.eye(p),
            None,
            None,
            ll,
            params,
            c1=c1,
            c1_if=c1_if,
            c2_model=_mvn_c2_well_specified(d),
        )
        if order == 2 or p <= 5:
            fisher, K3, K4 = _mvn_model_tensors(d, True)
            T = _mvn_features(Z)
            _, cov, _ = _weighted_moments(T, w)
            G = _inverse(fisher)
            # phi_ijk kappa3^ijk in Hermite coordinates: -mean K3(u, u, u) with
            # K3(u, u, u) = (s - 1)^3 - (d - 1) + 3 s (s - 1)  (docs/sample_size.md)
            third = -float(_wdot(pw, (s - 1) ** 3 - (d - 1) + 3 * s * (s - 1)))
            fit.c2 = third / 3.0 + 0.375 * _fourth_term(G, K3, K4, G @ cov @ G)
            fit.T, fit.fisher, fit.k3, fit.k4 = T, fisher, K3, K4
        return fit


def _resolve_family(family: Any) -> Any:
    if isinstance(family, ExponentialFamily):
        return family
    builtins: dict[str, Callable[[], Any]] = {
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
    raise ValueError(
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
        raise ValueError(f"X must be array-like with rows; got {_show(X)}") from None


class PNCriterion(BaseEstimator):
    r"""Is the sample large enough for this model's dimension? The p-n criterion.

    Fits the maximum-likelihood model of an exponential family and estimates the expected
    Kullback-Leibler divergence ``R_n = E KL(g_theta* || g_theta_hat)`` between the fitted
    model and the best model of the family (the information projection of the true law),
    ``R_n ~ c1/n + c2/n^2``. The sample is large enough at tolerance ``epsilon`` when
    ``R_n <= 8 epsilon^2``. Formulas: module docstring and ``docs/sample_size.md``.

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
        of the family. Threshold ``8 epsilon^2`` on the risk.
    order : {1, 2}, default 2
        Terms of the expansion used for ``risk_``, ``accept_`` and ``n_required_``.
    alpha : float, default 0.05
        Level of the confidence interval for ``c1``.

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
    c1_se_ : float
        Delta-method standard error of ``c1_``.
    c1_ci_ : tuple of float
        ``1 - alpha`` interval for c1, ``exp(ln c1 +/- z SE/c1)``.
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
    ) -> None:
        self.family = family
        self.epsilon = epsilon
        self.order = order
        self.alpha = alpha

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
        eps = _check_epsilon(self.epsilon)
        order = _check_order(self.order)
        alpha = check_alpha(self.alpha)
        fam = _resolve_family(self.family)
        if isinstance(fam, _Categorical):
            n_rows = _n_rows(X)
            if n_rows == 0:
                raise ValueError("X has no rows")
            n_features = 1 if np.ndim(X) == 1 else int(np.shape(X)[1])
        else:
            multi = isinstance(fam, _MultivariateNormal) and not fam.univariate
            X = validate_data(self, X, dtype=float, ensure_2d=multi, reset=True)
            n_rows = X.shape[0]
            n_features = 1 if X.ndim == 1 else X.shape[1]
        w = check_sample_weight(sample_weight, n_rows)
        fit = fam._fit(X, w, order)
        n = float(w.sum())
        pw = w / n
        p = int(fit.fisher.shape[0])
        if fit.c1 is not None:
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
            G = _inverse(fit.fisher)
            _, cov, U = _weighted_moments(fit.T, w)
            GK3 = np.einsum("abc,ai,bj,ck->ijk", fit.k3, G, G, G, optimize=True)
            c2 = float(
                _third_term(GK3, _sample_third(U, w)) / 3.0
                + 0.375 * _fourth_term(G, fit.k3, fit.k4, G @ cov @ G)
            )
        else:
            c2 = float("nan")
        if fit.c2_model is not None:
            c2_model = float(fit.c2_model)
        elif fit.k4 is not None:
            c2_model = risk_coefficients(fit.fisher, fit.k3, fit.k4)[1]
        else:
            c2_model = float("nan")
        var_if = float(_wdot(pw, (infl - _wdot(pw, infl)) ** 2))
        se = math.sqrt(max(var_if, 0.0) / n)
        z = float(stats.norm.ppf(1 - alpha / 2))
        ci = (c1 * math.exp(-z * se / c1), c1 * math.exp(z * se / c1)) if c1 > 0 else (c1, c1)

        self.family_ = getattr(fam, "name", str(fam))
        self.n_ = n
        self.p_ = p
        self.c1_, self.c2_, self.c1_se_, self.c1_ci_ = c1, c2, se, ci
        self.c1_model_, self.c2_model_ = 0.5 * p, c2_model
        self.trace_ = 2.0 * c1
        self.threshold_ = 8.0 * eps**2
        self.risk_ = float(self.risk(n))
        self.accept_ = bool(self.risk_ <= self.threshold_)
        self.n_required_ = _ceil(n_required(c1, c2, eps, order if np.isfinite(c2) else 1))
        self.loglik_ = float(fit.loglik)
        self.aic_ = -2.0 * self.loglik_ + 2.0 * p
        self.tic_ = -2.0 * self.loglik_ + 2.0 * self.trace_
        self.model_params_ = dict(fit.params)
        if fit.theta is not None:
            self.theta_ = np.asarray(fit.theta, dtype=float)
        self.n_features_in_ = n_features
        return self

    # -- results ------------------------------------------------------------------------
    def risk(self, n: Any, *, model: bool = False) -> Any:
        """Estimated risk ``c1/n (+ c2/n^2)`` at sample size(s) ``n`` (scalar or array).

        ``model=True`` uses the well-specified coefficients (``p/2`` and ``c2_model_``).
        """
        check_is_fitted(self, "c1_")
        arr = np.asarray(n, dtype=float)
        if not np.isfinite(arr).all() or (arr <= 0).any():
            raise ValueError(f"n must be positive and finite; got {_show(n)}")
        c1, c2 = (self.c1_model_, self.c2_model_) if model else (self.c1_, self.c2_)
        out = c1 / arr
        if self.order == 2 and np.isfinite(c2):
            out = out + c2 / arr**2
        return float(out) if out.ndim == 0 else out

    @property
    def params(self) -> pd.Series:
        """``c1`` and ``c2`` as a Series (statsmodels' name)."""
        check_is_fitted(self, "c1_")
        return pd.Series({"c1": self.c1_, "c2": self.c2_})

    @property
    def bse(self) -> pd.Series:
        """Standard errors of :attr:`params` (``c2``'s is not estimated: NaN)."""
        check_is_fitted(self, "c1_")
        return pd.Series({"c1": self.c1_se_, "c2": float("nan")})

    def conf_int(self, alpha: float | None = None) -> pd.DataFrame:
        """Intervals for ``c1`` and, through it (``c2`` held fixed), for the risk at ``n_`` and
        for ``n_required``. Columns ``low``, ``high``."""
        check_is_fitted(self, "c1_")
        a = self.alpha if alpha is None else check_alpha(alpha)
        z = float(stats.norm.ppf(1 - a / 2))
        c1, se = self.c1_, self.c1_se_
        lo, hi = (c1 * math.exp(-z * se / c1), c1 * math.exp(z * se / c1)) if c1 > 0 else (c1, c1)
        c2 = self.c2_ if (self.order == 2 and np.isfinite(self.c2_)) else 0.0
        order = self.order if np.isfinite(self.c2_) else 1
        eps = float(self.epsilon)
        return pd.DataFrame(
            {
                "low": [lo, lo / self.n_ + c2 / self.n_**2, n_required(lo, c2, eps, order)],
                "high": [hi, hi / self.n_ + c2 / self.n_**2, n_required(hi, c2, eps, order)],
            },
            index=pd.Index(["c1", "risk", "n_required"], name="quantity"),
        )

    def summary(self) -> pd.DataFrame:
        """The criterion under both assumptions, side by side.

        Row ``"well specified"``: ``c1 = p/2`` (AIC's penalty), ``c2`` of the fitted model.
        Row ``"robust"``: ``c1 = tr(I^-1 Sigma)/2`` from the sample (TIC's penalty), with its
        interval. Columns: ``n``, ``p``, ``trace``, ``c1``, ``c1_ci_low``, ``c1_ci_high``,
        ``c2``, ``risk``, ``threshold``, ``accept``, ``n_required``, ``aic``, ``tic``.
        """
        check_is_fitted(self, "c1_")
        eps = float(self.epsilon)
        rows = []
        for c1, c2, ci in (
            (self.c1_model_, self.c2_model_, (np.nan, np.nan)),
            (self.c1_, self.c2_, self.c1_ci_),
        ):
            use2 = self.order == 2 and np.isfinite(c2)
            risk = c1 / self.n_ + (c2 / self.n_**2 if use2 else 0.0)
            rows.append(
                {
                    "family": self.family_,
                    "n": self.n_,
                    "p": self.p_,
                    "trace": self.trace_,
                    "c1": c1,
                    "c1_ci_low": ci[0],
                    "c1_ci_high": ci[1],
                    "c2": c2,
                    "order": self.order,
                    "risk": risk,
                    "threshold": self.threshold_,
                    "accept": bool(risk <= self.threshold_),
                    "n_required": _ceil(n_required(c1, c2, eps, 2 if use2 else 1)),
                    "aic": self.aic_,
                    "tic": self.tic_,
                }
            )
        return pd.DataFrame(rows, index=pd.Index(["well specified", "robust"], name="assumption"))

    def plot_risk(self, n: Any = None, *, ax: Any = None, label: str | None = None) -> Any:
        """Risk against n with the threshold line; see :func:`plot_risk`. Returns the Figure."""
        check_is_fitted(self, "c1_")
        return plot_risk(self, n=n, ax=ax, labels=None if label is None else [label])


def plot_risk(
    *criteria: PNCriterion,
    n: Any = None,
    labels: Sequence[str] | None = None,
    ax: Any = None,
    band: bool = True,
) -> Any:
    """Plot the estimated risk ``c1/n + c2/n^2`` of fitted criteria against n (log-log).

    Draws each criterion's risk curve (with the band from the interval of ``c1`` when
    ``band``), its first-order curve dashed, a dot at its own ``n_``, and the threshold
    ``8 epsilon^2`` as a horizontal line.

    Parameters
    ----------
    *criteria : PNCriterion
        Fitted criteria (e.g. models of increasing dimension on the same data).
    n : array-like, optional
        Sample sizes on the x axis (default: a log grid around the fitted and required n).
    labels : sequence of str, optional
        Legend labels (default: family and p).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    if not criteria:
        raise ValueError("plot_risk needs at least one fitted PNCriterion")
    for c in criteria:
        check_is_fitted(c, "c1_")
    if labels is not None and len(labels) != len(criteria):
        raise ValueError(f"labels has {len(labels)} entries for {len(criteria)} criteria")
    if n is None:
        lo = min(min(c.n_, c.n_required_) for c in criteria) / 4
        hi = max(max(c.n_, c.n_required_) for c in criteria) * 4
        grid = np.geomspace(max(lo, 2.0), max(hi, 10.0), 200)
    else:
        grid = np.asarray(n, dtype=float)
    if ax is None:
        # a bare Figure (no pyplot state): shown once when returned in a notebook
        fig = Figure(figsize=(6.4, 4.2), layout="constrained")
        ax = fig.subplots()
    else:
        fig = ax.figure
    thresholds = set()
    for i, c in enumerate(criteria):
        lab = labels[i] if labels is not None else f"{c.family_} (p = {c.p_})"
        (line,) = ax.plot(grid, c.risk(grid), label=lab)
        col = line.get_color()
        ax.plot(grid, c.c1_ / grid, ls="--", lw=0.8, color=col)
        if band and c.c1_se_ > 0:
            lo1, hi1 = c.c1_ci_
            extra = c.c2_ / grid**2 if (c.order == 2 and np.isfinite(c.c2_)) else 0.0
            ax.fill_between(
                grid, lo1 / grid + extra, hi1 / grid + extra, color=col, alpha=0.15, lw=0
            )
        ax.plot([c.n_], [c.risk_], "o", color=col)
        thresholds.add(round(c.threshold_, 15))
    for t in sorted(thresholds):
        ax.axhline(t, color="k", lw=1)
        ax.annotate(
            f"8 ε² = {t:.3g}", (grid[0], t), xytext=(2, 3), textcoords="offset points", fontsize=8
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("n")
    ax.set_ylabel("E KL(best model || fitted model)")
    ax.set_title("p-n criterion: estimation risk against sample size")
    ax.legend(fontsize=8)
    return fig


# --------------------------------------------------------------------------------------------
# Binning bridge
# --------------------------------------------------------------------------------------------


def _sample_sizes(counts_or_n: Any) -> float:
    arr = np.asarray(counts_or_n, dtype=float)
    if arr.size == 0 or not np.isfinite(arr).all() or (arr < 0).any():
        raise ValueError(f"counts_or_n must be finite and non-negative; got {_show(counts_or_n)}")
    if arr.ndim == 0:
        return float(arr)
    if arr.ndim == 1:
        return float(arr.sum())
    if arr.ndim == 2:
        return float(arr.sum(axis=0).min())
    raise ValueError(
        f"counts_or_n must be a number, a count vector or a cells x samples table; got shape {arr.shape}"
    )


def max_affordable_bins(counts_or_n: Any, epsilon: float = 0.05, *, order: int = 2) -> int:
    """The largest number of bins K whose bin distribution the data estimate within ``epsilon``.

    A feature cut into K bins is a (K-1)-parameter multinomial model of its distribution. Its
    estimation risk with equal bin shares is ``(K-1)/(2n) + (5K-1)(K-1)/(12 n^2)``
    (:func:`categorical_coefficients` with ``pi_j = 1/K``; equal shares give the smallest
    ``c2``, so this is the most generous K). The answer is the largest K with risk
    ``<= 8 epsilon^2``: about ``1 + 16 epsilon^2 n`` bins, i.e. 25 observations per extra bin at
    ``epsilon = 0.05`` and 156 at ``epsilon = 0.02``. Bins with unequal shares afford fewer:
    check a given binning with :func:`categorical_coefficients` or :func:`data_starved`.

    Parameters
    ----------
    counts_or_n : number, 1-D or 2-D array
        A sample size ``n``; a vector of (possibly weighted) counts, whose sum is ``n``; or a
        table with one column per sample (e.g. the bad and good counts per bin), where the
        smallest column total is ``n``: every sample's distribution over the bins must be
        estimated (for IV the bads usually set the limit).
    epsilon : float, default 0.05
        Tolerance (see :class:`PNCriterion`).
    order : {1, 2}, default 2
        ``1``: ``K = 1 + floor(16 epsilon^2 n)``.

    Returns
    -------
    int
        At least 1 (one bin carries no information and has no risk).

    Examples
    --------
    >>> max_affordable_bins(1000, epsilon=0.05, order=1)
    41
    >>> max_affordable_bins([[300, 700], [200, 800]], epsilon=0.05)  # 500 bads limit it
    20
    """
    eps = _check_epsilon(epsilon)
    order = _check_order(order)
    n = _sample_sizes(counts_or_n)
    if n <= 0:
        return 1
    if order == 1:
        k = math.floor(16.0 * eps**2 * n * (1 + 1e-12))
    else:
        # k = K - 1 solves 5 k^2 + (4 + 6 n) k - 96 eps^2 n^2 <= 0
        b = 4.0 + 6.0 * n
        k = math.floor((-b + math.sqrt(b * b + 1920.0 * eps**2 * n * n)) / 10.0 * (1 + 1e-12))
    return int(max(k, 0) + 1)


@dataclass(repr=False)
class DataStarvedResult(ResultBase):
    """Whether the bin distributions behind an IV/PSI estimate are estimated within tolerance.

    Attributes
    ----------
    name : str
    estimate : float
        The divergence estimate (IV or PSI).
    n_bins : int
        Non-empty bins K.
    n1, n2 : float
        (Effective) sizes of the two samples (``n2`` is NaN for a fixed reference).
    risk1, risk2 : float
        Estimated estimation risk of each sample's bin distribution,
        ``(K-1)/(2n) + c2(shares)/n^2``.
    threshold : float
        ``8 epsilon^2``.
    bias : float
        The divergence engine's leading bias; for Jeffreys (IV, PSI)
        ``(K-1)(1/n1 + 1/n2) = 2 (first-order risk1 + first-order risk2)``.
    starved : bool
        Either sample's risk exceeds the threshold.
    max_bins : int
        :func:`max_affordable_bins` for the smaller sample.
    n_required : float
        Rows each sample needs for its bin distribution to meet the threshold with the
        current K and shares (the larger of the two samples' needs).
    epsilon_achieved : float
        Smallest tolerance that the data meet, ``sqrt(max(risk1, risk2) / 8)``.
    """

    name: str
    estimate: float
    n_bins: int
    n1: float
    n2: float
    risk1: float
    risk2: float
    threshold: float
    bias: float
    epsilon: float
    max_bins: int
    n_required: float
    starved: bool = field(default=False)

    @property
    def epsilon_achieved(self) -> float:
        """Smallest tolerance at which the estimate is not starved: ``sqrt(max risk / 8)``."""
        risks = [r for r in (self.risk1, self.risk2) if np.isfinite(r)]
        return math.sqrt(max(risks) / 8.0)

    def __bool__(self) -> bool:
        return self.starved

    def summary(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "estimate": self.estimate,
                "n_bins": self.n_bins,
                "n1": self.n1,
                "n2": self.n2,
                "risk1": self.risk1,
                "risk2": self.risk2,
                "threshold": self.threshold,
                "bias": self.bias,
                "bias_share": self.bias / self.estimate if self.estimate > 0 else np.nan,
                "max_bins": self.max_bins,
                "n_required": self.n_required,
                "epsilon_achieved": self.epsilon_achieved,
                "starved": self.starved,
            },
            index=pd.Index([self.name], name="divergence"),
        )

    def __repr__(self) -> str:
        verdict = "DATA-STARVED" if self.starved else "enough data"
        return (
            f"DataStarvedResult({self.name}: {verdict} at epsilon = {self.epsilon:g}; "
            f"K = {self.n_bins} bins, risks {self.risk1:.4g} / {self.risk2:.4g} vs threshold "
            f"{self.threshold:.4g}; bias {self.bias:.4g} of estimate {self.estimate:.4g}; "
            f"at most {self.max_bins} bins affordable)"
        )


def _divergence_of(result: Any) -> Any:
    from infodiv.core import DivergenceResult

    if isinstance(result, DivergenceResult):
        return result
    for attr in ("divergence", "iv"):
        inner = getattr(result, attr, None)
        if isinstance(inner, DivergenceResult):
            return inner
    raise ValueError(
        f"result must be a DivergenceResult, a PSIResult or a WoETable; got {type(result).__name__}"
    )


def data_starved(result: Any, epsilon: float = 0.05, *, order: int = 2) -> DataStarvedResult:
    """Is an IV/PSI (or any two-sample divergence) estimate data-starved?

    Each sample's bin distribution is a (K-1)-parameter multinomial. The estimate is starved
    when either distribution fails the p-n criterion: its estimation risk
    ``(K-1)/(2n) + c2/n^2`` (``c2`` from the observed shares, :func:`categorical_coefficients`)
    exceeds ``8 epsilon^2``. The bridge to the divergence's own bias: for Jeffreys (IV, PSI)
    the leading bias ``(K-1)(1/n1 + 1/n2)`` is twice the sum of the two first-order risks, so
    when both samples pass, the bias is below ``32 epsilon^2`` (0.08 at epsilon = 0.05).
    That is large next to the usual IV and PSI cut-offs: to keep the bias below half of a
    decision threshold ``tau``, use ``epsilon = sqrt(tau / 64)`` (0.04 for PSI's 0.10, 0.018 for
    IV's 0.02), or read ``epsilon_achieved`` and ``bias_share`` (bias / estimate) in the result.

    Parameters
    ----------
    result : DivergenceResult, PSIResult or WoETable
        From :func:`infodiv.core._divergence.divergence`, :func:`infodiv.credit._psi.psi`,
        :func:`infodiv.credit._woe.woe_table` and friends. Sizes are the (Kish effective) ``n1``,
        ``n2`` of the result; a ``reference="fixed"`` result only checks ``n1``.
    epsilon : float, default 0.05
    order : {1, 2}, default 2

    Returns
    -------
    DataStarvedResult
        Truthy when starved.

    Examples
    --------
    >>> from infodiv import divergence
    >>> res = divergence([30, 50, 20, 10, 5], [20, 50, 30, 12, 4])
    >>> bool(data_starved(res, epsilon=0.05).starved), bool(data_starved(res, epsilon=0.02).starved)
    (False, True)
    """
    eps = _check_epsilon(epsilon)
    order = _check_order(order)
    d = _divergence_of(result)
    used = (d.p > 0) | (d.q > 0)
    K = int(used.sum())
    thr = 8.0 * eps**2

    def risk_of(shares: np.ndarray, n: float) -> tuple[float, float]:
        c1, c2 = categorical_coefficients(shares[used])
        c2 = c2 if order == 2 else 0.0
        return c1 / n + c2 / n**2, n_required(c1, c2, eps, order)

    r1, need1 = risk_of(d.p, d.n1)
    fixed = getattr(d, "reference", "sampled") == "fixed"
    if fixed:
        r2, need2, n2 = float("nan"), 0.0, float("nan")
    else:
        r2, need2 = risk_of(d.q, d.n2)
        n2 = d.n2
    starved = bool(r1 > thr or (not fixed and r2 > thr))
    n_small = d.n1 if fixed else min(d.n1, d.n2)
    return DataStarvedResult(
        name=d.name or d.kind,
        estimate=float(d.estimate),
        n_bins=K,
        n1=float(d.n1),
        n2=float(n2),
        risk1=float(r1),
        risk2=float(r2),
        threshold=thr,
        bias=float(d.bias),
        epsilon=eps,
        max_bins=max_affordable_bins(n_small, eps, order=order),
        n_required=float(max(need1, need2) if not fixed else need1),
        starved=starved,
    )


def data_starved_summary(
    results: Mapping[str, Any], epsilon: float = 0.05, *, order: int = 2
) -> pd.DataFrame:
    """:func:`data_starved` for a dict of results (e.g. the output of ``woe_tables``), one row
    per entry, starved ones first."""
    if not isinstance(results, Mapping) or not results:
        raise ValueError("results must be a non-empty dict of DivergenceResult/PSIResult/WoETable")
    rows = []
    for key, res in results.items():
        row = data_starved(res, epsilon, order=order).summary()
        row.index = pd.Index([key], name="feature")
        rows.append(row)
    out = pd.concat(rows)
    return out.sort_values(["starved", "risk1"], ascending=[False, False], kind="stable")
