"""The built-in exponential families and the record a family hands to the criterion."""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy import special

from infodiv._validation import _show
from infodiv.exceptions import InvalidParameterError
from infodiv.sample_size._expansion import _fourth_term, categorical_coefficients
from infodiv.sample_size._tensors import (
    _finite_support_cumulants,
    _inv_sqrt,
    _inverse,
    _pair_sym,
    _wdot,
    _weighted_moments,
)

__all__ = ["FAMILIES", "Family"]

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
# Families
# --------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class _Fit:
    """What a family hands to the criterion after fitting, in its working coordinates.

    Two kinds of fit, told apart by ``closed_form``:

    * ``closed_form=False`` (the Bernoulli, Poisson, exponential, gamma and custom families): the
      criterion computes ``c1``, its influence values and ``c2`` from the dense tensors, so
      ``T`` holds the n rows of the sufficient statistic and ``k3`` is required (``k4=None``
      gives ``c2 = nan``).
    * ``closed_form=True`` (categorical, normal, multivariate normal): the family gives ``c1``
      and its influence values ``c1_if`` (and ``c2``, ``c2_model`` where it has them); ``T``
      may have no rows and ``k3``/``k4`` may be None.

    Attributes
    ----------
    T : ndarray of shape (n, p) or (0, p)
        Rows of the sufficient statistic in working coordinates.
    w : ndarray of shape (n,)
        Frequency weights.
    fisher : ndarray of shape (p, p)
        The model's ``Cov(T)`` at ``theta_hat`` (working coordinates); its size gives ``p``.
    k3, k4 : ndarray of shape (p,)*3 and (p,)*4, or None
        The model's third and fourth cumulants of ``T`` at ``theta_hat``.
    loglik : float
        Maximised log-likelihood (NaN when the base measure is unknown).
    params : dict
        The fitted model's parameters, by name.
    theta : ndarray, optional
        Natural parameter in the user's coordinates.
    fisher_natural : ndarray, optional
        Fisher information in the user's coordinates.
    closed_form : bool
        ``c1`` and ``c1_if`` are given in closed form (see above).
    c1 : float, optional
        Closed-form ``c1`` (only with ``closed_form``).
    c1_if : ndarray of shape (n,), optional
        Influence values of ``c1`` per row (only with ``closed_form``).
    c2, c2_model : float, optional
        Closed-form ``c2`` from the sample and under the fitted model.
    """

    T: np.ndarray
    w: np.ndarray
    fisher: np.ndarray
    k3: np.ndarray | None
    k4: np.ndarray | None
    loglik: float
    params: dict[str, Any]
    theta: np.ndarray | None = None
    fisher_natural: np.ndarray | None = None
    closed_form: bool = False
    c1: float | None = None
    c1_if: np.ndarray | None = None
    c2: float | None = None
    c2_model: float | None = None

    def __post_init__(self) -> None:
        if self.closed_form and (self.c1 is None or self.c1_if is None):
            raise InvalidParameterError("a closed-form fit gives c1 and c1_if")
        if not self.closed_form and (self.c1 is not None or self.k3 is None):
            raise InvalidParameterError("a tensor fit gives k3 and leaves c1 to the criterion")


class Family(Protocol):
    """What :class:`PNCriterion` needs of a family: a name and a fit to weighted data.

    The built-in families below and :class:`ExponentialFamily` follow it.
    """

    name: str

    def _fit(self, X: Any, w: np.ndarray, order: int) -> _Fit:
        """Fit by maximum likelihood with frequency weights ``w``; ``order`` 1 or 2."""
        ...


def _as_2d(X: Any, name: str = "X") -> np.ndarray:
    if isinstance(X, pd.DataFrame | pd.Series):
        try:
            arr = X.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):
            raise InvalidParameterError(
                f"{name} must be numeric; got dtypes {_show(list(map(str, getattr(X, 'dtypes', [X.dtype]))))}"
            ) from None
    else:
        try:
            arr = np.asarray(X, dtype=float)
        except (TypeError, ValueError):
            raise InvalidParameterError(f"{name} must be numeric; got {_show(X)}") from None
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise InvalidParameterError(f"{name} must be 1- or 2-dimensional; got shape {arr.shape}")
    if arr.shape[0] == 0:
        raise InvalidParameterError(f"{name} has no rows")
    bad = ~np.isfinite(arr)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise InvalidParameterError(
            f"{name} contains NaN or inf (row {r}, column {c}: {arr[r, c]!r})"
        )
    return arr


def _univariate(X: Any, family: str) -> np.ndarray:
    arr = _as_2d(X)
    if arr.shape[1] != 1:
        raise InvalidParameterError(
            f"family {family!r} is univariate: X must be one column; got {arr.shape[1]} columns"
        )
    return arr[:, 0]


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _check_n(n_pos: int, need: int, family: str, rule: str) -> None:
    if n_pos < need:
        raise InvalidParameterError(
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
            raise InvalidParameterError(
                f"family 'bernoulli' needs X coded 0/1; got {float(x[j])!r} at row {j}"
            )
        _check_n(int((w > 0).sum()), 3, self.name, "p + 2")
        m = float(_wdot(w, x) / w.sum())
        if m <= 0 or m >= 1:
            raise InvalidParameterError(
                f"X is all {int(round(m))}: the Bernoulli MLE is on the boundary (p_hat = {m:g}) "
                "and the criterion is undefined; both 0 and 1 are needed"
            )
        K2, K3, K4 = _finite_support_cumulants(np.array([[0.0], [1.0]]), np.array([1 - m, m]), True)
        ll = float(_wdot(w, x * np.log(m) + (1 - x) * np.log1p(-m)))
        return _Fit(
            T=x[:, None],
            w=w,
            fisher=K2,
            k3=K3,
            k4=K4,
            loglik=ll,
            params={"p": m},
            theta=np.array([np.log(m / (1 - m))]),
            fisher_natural=K2,
        )


class _Categorical:
    name = "categorical"

    def _fit(self, X: Any, w: np.ndarray, order: int) -> _Fit:
        if isinstance(X, pd.DataFrame):
            if X.shape[1] != 1:
                raise InvalidParameterError(
                    f"family 'categorical' needs one column of labels; got {X.shape[1]} columns"
                )
            X = X.iloc[:, 0]
        s = pd.Series(np.asarray(X, dtype=object).ravel() if not isinstance(X, pd.Series) else X)
        if np.asarray(X, dtype=object).ndim > 1 and np.asarray(X, dtype=object).shape[1] != 1:
            raise InvalidParameterError("family 'categorical' needs one column of labels")
        if s.isna().any():
            j = _first_bad(s.isna().to_numpy())
            raise InvalidParameterError(
                f"X contains a missing label at row {j}: give missing values a label of their own"
            )
        labels: pd.Index | np.ndarray
        codes, labels = pd.factorize(s, sort=True)
        counts = np.bincount(codes, weights=w, minlength=len(labels))
        keep = counts > 0
        labels, counts = np.asarray(labels)[keep], counts[keep]
        K = counts.size
        if K < 2:
            raise InvalidParameterError(
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
            T=np.empty((0, K - 1)),
            w=w,
            fisher=fisher,
            k3=None,
            k4=None,
            loglik=ll,
            params=params,
            theta=theta,
            fisher_natural=fisher,
            closed_form=True,
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
            raise InvalidParameterError(
                f"family 'poisson' needs non-negative counts; got {float(x[j])!r} at row {j}"
            )
        if (x != np.floor(x)).any():
            j = _first_bad(x != np.floor(x))
            raise InvalidParameterError(
                f"family 'poisson' needs integer counts; got {float(x[j])!r} at row {j}"
            )
        _check_n(int((w > 0).sum()), 3, self.name, "p + 2")
        mu = float(_wdot(w, x) / w.sum())
        if mu <= 0:
            raise InvalidParameterError(
                "X is all zero: the Poisson MLE is on the boundary (mu_hat = 0)"
            )
        ll = float(_wdot(w, x * np.log(mu) - mu - special.gammaln(x + 1)))
        one = np.ones((1,) * 4)
        return _Fit(
            T=x[:, None],
            w=w,
            fisher=mu * one[0, 0],
            k3=mu * one[0],
            k4=mu * one,
            loglik=ll,
            params={"mu": mu},
            theta=np.array([np.log(mu)]),
            fisher_natural=mu * one[0, 0],
        )


class _Exponential:
    name = "exponential"

    def _fit(self, X: Any, w: np.ndarray, order: int) -> _Fit:
        x = _univariate(X, self.name)
        if (x < 0).any():
            j = _first_bad(x < 0)
            raise InvalidParameterError(
                f"family 'exponential' needs non-negative values; got {float(x[j])!r} at row {j}"
            )
        _check_n(int((w > 0).sum()), 3, self.name, "p + 2")
        mu = float(_wdot(w, x) / w.sum())
        if mu <= 0:
            raise InvalidParameterError(
                "X is all zero: the exponential MLE is on the boundary (mean 0)"
            )
        z = x / mu  # scale-free coordinates: the model is Exp(1)
        one = np.ones((1,) * 4)
        ll = float(_wdot(w, -np.log(mu) - z))
        return _Fit(
            T=z[:, None],
            w=w,
            fisher=one[0, 0],
            k3=2.0 * one[0],
            k4=6.0 * one,
            loglik=ll,
            params={"mean": mu, "rate": 1.0 / mu},
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
            raise InvalidParameterError(
                f"family 'gamma' needs positive values; got {float(x[j])!r} at row {j}"
            )
        _check_n(int((w > 0).sum()), 4, self.name, "p + 2")
        pw = w / w.sum()
        xbar = float(_wdot(pw, x))
        z = x / xbar  # scale-free coordinates: the fitted model has rate = shape
        lz = np.log(z)
        s = -float(_wdot(pw, lz))  # ln(mean z) - mean ln z, mean z = 1
        if s <= 1e-12:
            raise InvalidParameterError(
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
            T=np.column_stack([z, lz]),
            w=w,
            fisher=fisher,
            k3=K3,
            k4=K4,
            loglik=ll,
            params={"shape": a, "rate": rate},
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
            raise InvalidParameterError(
                f"family 'normal' is univariate: X must be one column; got {arr.shape[1]} columns "
                "(use family='multivariate_normal')"
            )
        d = arr.shape[1]
        p = d + d * (d + 1) // 2
        if order == 2 and p > MAX_P_ORDER2:
            raise InvalidParameterError(
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
            raise InvalidParameterError(
                f"singular covariance: column {int(const[0])} of X is constant"
            )
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
            T=np.empty((0, p)),
            w=w,
            fisher=np.eye(p),
            k3=None,
            k4=None,
            loglik=ll,
            params=params,
            closed_form=True,
            c1=c1,
            c1_if=c1_if,
            c2_model=_mvn_c2_well_specified(d),
        )
        if order == 2 or p <= 5:
            fisher, K3, K4 = _mvn_model_tensors(d, True)
            assert K4 is not None  # need_k4=True always returns the fourth cumulants
            T = _mvn_features(Z)
            _, cov, _ = _weighted_moments(T, w)
            G = _inverse(fisher)
            # phi_ijk kappa3^ijk in Hermite coordinates: -mean K3(u, u, u) with
            # K3(u, u, u) = (s - 1)^3 - (d - 1) + 3 s (s - 1)  (docs/sample_size.md)
            third = -float(_wdot(pw, (s - 1) ** 3 - (d - 1) + 3 * s * (s - 1)))
            fit.c2 = third / 3.0 + 0.375 * _fourth_term(G, K3, K4, G @ cov @ G)
            fit.T, fit.fisher, fit.k3, fit.k4 = T, fisher, K3, K4
        return fit
