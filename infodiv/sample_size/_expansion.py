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
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from infodiv._validation import _show, check_open_interval
from infodiv.exceptions import InvalidParameterError
from infodiv.sample_size._tensors import _as_tensor, _inverse

__all__ = ["categorical_coefficients", "n_required", "risk_coefficients"]


# --------------------------------------------------------------------------------------------
# The expansion: c1, c2 from cumulants
# --------------------------------------------------------------------------------------------


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
    """Compute the coefficients ``(c1, c2)`` of the estimation risk from cumulants.

    ``c1`` and ``c2`` are the coefficients of ``1/n`` and ``1/n^2``.

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
    c1 : float
        Coefficient of ``1/n``: ``tr(I^-1 Sigma)/2``.
    c2 : float
        Coefficient of ``1/n^2``, by the formula in the module docstring (NaN when
        ``model_k4`` is None).

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
        raise InvalidParameterError(f"fisher must be a square matrix; got shape {info.shape}")
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

    Parameters
    ----------
    shares : array-like of shape (K,)
        Cell probabilities or counts (normalised here), non-negative with a positive sum.

    Returns
    -------
    c1 : float
        Coefficient of ``1/n`` in the estimation risk, ``(K - 1)/2``.
    c2 : float
        Coefficient of ``1/n^2`` in the estimation risk.

    Examples
    --------
    >>> c1, c2 = categorical_coefficients([0.5, 0.5])
    >>> c1, round(c2, 6)
    (0.5, 0.75)
    """
    pi = np.asarray(shares, dtype=float).ravel()
    if pi.size == 0 or not np.isfinite(pi).all() or (pi < 0).any() or pi.sum() <= 0:
        raise InvalidParameterError(
            f"shares must be non-negative and finite with a positive sum; got {_show(shares)}"
        )
    pi = pi[pi > 0] / pi.sum()
    K = pi.size
    return 0.5 * (K - 1), float((5.0 * np.sum(1.0 / pi) - 6.0 * K + 1.0) / 12.0)


def n_required(c1: float, c2: float, epsilon: float = 0.05, order: int = 2) -> float:
    """Smallest ``n`` with ``c1/n (+ c2/n^2) <= 8 epsilon^2`` (order 1 or 2), as a real number.

    Order 2: the positive root ``[c1 + sqrt(c1^2 + 32 eps^2 c2)] / (16 eps^2)``; when ``c2 < 0``
    makes the discriminant negative the square root is taken as 0.

    Parameters
    ----------
    c1, c2 : float
        Coefficients of ``1/n`` and ``1/n^2`` in the risk (a non-finite ``c2`` means order 1).
    epsilon : float, default 0.05
        Tolerance on the Bayes error, in (0, 0.5); the threshold is ``8 epsilon^2``.
    order : {1, 2}, default 2
        Terms of the expansion.

    Returns
    -------
    float
        The sample size, not rounded up.

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
        raise InvalidParameterError(f"order must be 1 or 2; got {_show(order)}")
    return int(order)
