"""A user-defined exponential family, its MLE by Newton's method and its cumulants by finite
differences of the log-partition (or the user's own derivatives)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from infodiv._validation import _show
from infodiv.exceptions import InvalidParameterError
from infodiv.sample_size._families import _as_2d, _check_n, _first_bad, _Fit
from infodiv.sample_size._tensors import _as_tensor, _inv_sqrt, _wdot, _weighted_moments

__all__ = ["ExponentialFamily"]


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
    >>> from infodiv.sample_size import PNCriterion
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
            raise InvalidParameterError("sufficient_statistic must be callable")
        if not callable(log_partition):
            raise InvalidParameterError("log_partition must be callable")
        for nm, f in (
            ("derivatives", derivatives),
            ("log_base_measure", log_base_measure),
            ("support", support),
        ):
            if f is not None and not callable(f):
                raise InvalidParameterError(f"{nm} must be callable or None; got {_show(f)}")
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
                raise InvalidParameterError(
                    f"support must return one flag per row; got {ok.shape[0]} for {arr.shape[0]} rows"
                )
            if not ok.all():
                j = _first_bad(~ok)
                raise InvalidParameterError(
                    f"X row {j} ({_show(arr[j].tolist())}) is outside the support of family {self.name!r}"
                )
        T = np.asarray(self.sufficient_statistic(arr), dtype=float)
        if T.ndim == 1:
            T = T[:, None]
        if T.ndim != 2 or T.shape[0] != arr.shape[0]:
            raise InvalidParameterError(
                f"sufficient_statistic must return shape (n, p) with n = {arr.shape[0]}; got {T.shape}"
            )
        if not np.isfinite(T).all():
            j = _first_bad(~np.isfinite(T).all(axis=1))
            raise InvalidParameterError(
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
                    raise InvalidParameterError(
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
            raise InvalidParameterError("derivatives must return (mean, fisher, k3, k4)")
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
            raise InvalidParameterError(
                f"theta0 must have {p} entries (one per sufficient statistic); got {theta.size}"
            )
        if not np.isfinite(self._psi(theta)):
            raise InvalidParameterError(
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
                raise InvalidParameterError(
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
        raise InvalidParameterError(
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
            raise InvalidParameterError(
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
                raise InvalidParameterError("log_base_measure must return one value per row")
            loglik += float(_wdot(w, lh))
        else:
            loglik = float("nan")
        params = {f"theta[{i}]": float(v) for i, v in enumerate(theta)}
        return _Fit(
            T=Tw,
            w=w,
            fisher=fisher,
            k3=k3,
            k4=k4,
            loglik=loglik,
            params=params,
            theta=theta,
            fisher_natural=H,
        )
