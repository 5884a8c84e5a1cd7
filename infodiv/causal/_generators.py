"""Generators of the causal f-divergence ball, the propensity radius ``B_f(e)`` and the dual.

Convention (``shared/specs/causal-bounds.md``; the source paper's): for the causal bounds

=========== ================================== ========================================
name        generator ``f(t)``                 radius ``B_f(e) = e f(1/e) + (1-e) f(0)``
=========== ================================== ========================================
kl          ``t ln t``                         ``-ln e``
hellinger   ``(sqrt(t) - 1)^2 / 2``            ``1 - sqrt(e)``
chi2        ``(t - 1)^2 / 2``                  ``(1 - e) / (2 e)``
tv          ``|t - 1| / 2``                    ``1 - e``
js          ``(t ln t - (t+1) ln((t+1)/2))/2`` ``ln(4 e^e / (1+e)^(1+e)) / 2``
=========== ================================== ========================================

Every entry of :data:`CAUSAL_GENERATORS` is an :class:`infodiv.core.Generator`: ``kl``,
``hellinger``, ``tv`` and ``js`` are the core's generators themselves (with the dual's constants
below added as fields), and ``chi2`` is the core's ``chi2`` (``(t - 1)^2``) at ``scale=0.5``, the
source paper's convention: ``chi2`` names one generator in the whole package, and the causal
bounds use it halved, which the ``scale`` field records. (The spec also says TV differs by a
factor 1/2; in this code base the core ``tv`` is already ``|t - 1| / 2``, so it does not.) A
radius ``rho`` given for ``chi2`` is in the halved units.

Dual in normalised units
------------------------
Bounds are computed for an outcome rescaled to ``y' = (y - lo) / (hi - lo)`` in [0, 1]; the
upper bound uses the distance to the top ``d = 1 - y'`` (the lower bound is the upper bound of
the reflected outcome). With ``s = dQ/dP``, ``g(s) = s f(1/s)`` and ``f0 = f(0)``, the spec's dual
``inf_{lam>0,u} lam B + u + lam E_P g*((y' - u)/lam)`` must also allow mass of ``Q`` off the
support of ``P`` (the argument behind "never sharper than Manski"); that mass goes to the top
``y' = 1`` at unit cost ``f0`` and adds the constraint ``u >= 1 - lam f0``. Writing
``u = 1 - lam f0 + sigma`` (``sigma >= 0``) and ``k(tau) = g*(f0 - tau) + tau - f0 >= 0``::

    theta_up' = E_P[y'] + min_{lam > 0, sigma >= 0}  lam * (rho + E_P k((d + sigma) / lam))

which is jointly convex in ``(lam, sigma)`` (a perspective). The optimal ``Q`` has density
``s = 1 - k'(tau)`` on the support of ``P`` and an atom ``1 - E_P s`` at the top, which is
positive only when ``sigma = 0``. Every ``g*`` is finite on the whole feasible set, so no
observation is ever dropped; for KL, Hellinger and JS ``k(0) = +inf``, which is the barrier that
keeps ``sigma > 0`` when ``P`` charges the top.

=========== ===================================== ======================= =======
name        ``k(tau)``                            ``s = 1 - k'(tau)``     ``f0``
=========== ===================================== ======================= =======
kl          ``tau - 1 - ln tau``                  ``1 / tau``             0
hellinger   ``(2 tau - 1)^2 / (4 tau)``           ``1 / (4 tau^2)``       1/2
chi2        ``(sqrt(tau) - 1/sqrt(2))^2``         ``1 / sqrt(2 tau)``     1/2
tv          ``max(tau - 1, 0)``                   ``1{tau < 1}`` (a.e.)   1/2
js          ``tau - ln 2 - ln(1 - e^(-2 tau))/2`` ``1 / (e^(2 tau) - 1)`` ln(2)/2
=========== ===================================== ======================= =======
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from scipy import special

from infodiv.core import DIVERGENCES, Generator
from infodiv.exceptions import InvalidParameterError

__all__ = [
    "CAUSAL_DIVERGENCES",
    "CAUSAL_GENERATORS",
    "check_divergence",
    "curvature",
    "density_ratio",
    "f_radius",
    "f_radius_derivative",
    "g_of_s",
    "generator",
    "kfun",
    "top_divergence",
]

#: The divergences supported by the causal bounds, in display order.
CAUSAL_DIVERGENCES: tuple[str, ...] = ("kl", "hellinger", "chi2", "tv", "js")

_LN2 = float(np.log(2.0))


def _causal(name: str, scale: float, f0: float, f_inf: float, tau0: float, barrier: bool):
    """The core generator ``name`` times ``scale``, with the causal dual's constants."""
    g = DIVERGENCES[name]
    if scale != 1.0:
        f, df, d2f = g.f, g.df, g.d2f
        g = replace(
            g,
            f=lambda t: scale * f(t),
            df=lambda t: scale * df(t),
            d2f=None if d2f is None else (lambda t: scale * d2f(t)),
        )
    return replace(g, scale=scale, f0=f0, f_inf=f_inf, tau0=tau0, barrier=barrier)


#: The causal generators as :class:`infodiv.core.Generator` values carrying the dual's constants:
#: ``f0 = f(0)`` (the unit cost of mass of Q off the support of P), ``f_inf = lim f(t)/t`` (the
#: unit cost of mass of P off the support of Q), ``tau0`` (the argmin of k, where s = 1) and
#: ``barrier`` (whether k(0) = +inf or k'(0) = -inf, so that sigma must stay > 0 when P charges
#: the top). ``chi2`` is the core's at ``scale=0.5``.
CAUSAL_GENERATORS: dict[str, Generator] = {
    "kl": _causal("kl", 1.0, f0=0.0, f_inf=np.inf, tau0=1.0, barrier=True),
    "hellinger": _causal("hellinger", 1.0, f0=0.5, f_inf=0.5, tau0=0.5, barrier=True),
    "chi2": _causal("chi2", 0.5, f0=0.5, f_inf=np.inf, tau0=0.5, barrier=True),
    "tv": _causal("tv", 1.0, f0=0.5, f_inf=0.5, tau0=1.0, barrier=False),
    "js": _causal("js", 1.0, f0=0.5 * _LN2, f_inf=0.5 * _LN2, tau0=0.5 * _LN2, barrier=True),
}


def curvature(kind: str) -> float:
    """``f''(1)`` of the causal generator (TV has none; 1 is used only to start the solver).

    Parameters
    ----------
    kind : str
        A name in :data:`CAUSAL_DIVERGENCES`.

    Returns
    -------
    float
        1, 1/4, 1 (``chi2`` halved), 1 (TV, a start value) or 1/4.
    """
    g = CAUSAL_GENERATORS[kind]
    return g.f2_at_1 if g.smooth else 1.0


def check_divergence(kind: Any, allow_all: bool = False) -> str:
    """Return a valid causal divergence name or raise ``ValueError`` naming the argument."""
    names = CAUSAL_DIVERGENCES + (("all",) if allow_all else ())
    if not isinstance(kind, str) or kind not in names:
        raise InvalidParameterError(f"kind must be one of {list(names)}; got {kind!r}")
    return kind


def generator(kind: str, t: Any) -> np.ndarray:
    """The causal-convention generator ``f(t)`` (vectorised, ``t >= 0``).

    Parameters
    ----------
    kind : {"kl", "hellinger", "chi2", "tv", "js"}
        The divergence (``chi2`` at ``scale=0.5``).
    t : array_like
        Arguments ``>= 0``.

    Returns
    -------
    ndarray
        ``CAUSAL_GENERATORS[kind].f(t)``.

    Examples
    --------
    >>> float(generator("chi2", 3.0))   # (3 - 1)^2 / 2
    2.0
    """
    kind = check_divergence(kind)
    t = np.asarray(t, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return CAUSAL_GENERATORS[kind].f(t)


def f_radius(e: Any, kind: str) -> np.ndarray:
    """Propensity radius ``B_f(e) = e f(1/e) + (1 - e) f(0)`` (vectorised over ``e``).

    For every ``a, x`` with ``e = P(A = a | X = x) > 0``,
    ``D_f(P_{a,x} || Q_{a,x}) <= B_f(e)`` where ``P_{a,x}`` is the law of ``Y`` given
    ``A = a, X = x`` and ``Q_{a,x}`` the law of ``Y(a)`` given ``X = x``.

    Parameters
    ----------
    e : array_like
        Propensities in (0, 1].
    kind : {"kl", "hellinger", "chi2", "tv", "js"}
        In the causal convention (see the module docstring: ``chi2`` is half the core's).

    Returns
    -------
    ndarray
        ``-ln e``, ``1 - sqrt(e)``, ``(1 - e)/(2e)``, ``1 - e`` or
        ``ln(4 e^e / (1 + e)^(1 + e)) / 2``.

    Examples
    --------
    >>> f_radius([0.5, 1.0], "kl").round(4)
    array([0.6931, 0.    ])
    >>> float(f_radius(0.25, "chi2"))
    1.5
    """
    kind = check_divergence(kind)
    e = np.asarray(e, dtype=float)
    if np.any(~np.isfinite(e)) or np.any((e <= 0) | (e > 1)):
        bad = e[~(np.isfinite(e) & (e > 0) & (e <= 1))].ravel()[:3]
        raise InvalidParameterError(
            f"e must be propensities in (0, 1]; got values such as {bad.tolist()}"
        )
    if kind == "kl":
        return 0.0 - np.log(e)
    if kind == "hellinger":
        return 1.0 - np.sqrt(e)
    if kind == "chi2":
        return (1.0 - e) / (2.0 * e)
    if kind == "tv":
        return 1.0 - e
    return 0.5 * (2.0 * _LN2 + special.xlogy(e, e) - (1.0 + e) * np.log1p(e))


def f_radius_derivative(e: Any, kind: str) -> np.ndarray:
    """``dB_f/de``: ``-1/e``, ``-1/(2 sqrt e)``, ``-1/(2 e^2)``, ``-1``, ``ln(e/(1+e))/2``."""
    kind = check_divergence(kind)
    e = np.asarray(e, dtype=float)
    if kind == "kl":
        return -1.0 / e
    if kind == "hellinger":
        return -0.5 / np.sqrt(e)
    if kind == "chi2":
        return -0.5 / e**2
    if kind == "tv":
        return -np.ones_like(e)
    return 0.5 * np.log(e / (1.0 + e))


def top_divergence(kind: str, w_top: Any) -> np.ndarray:
    """``D_f(P || delta_top)`` when ``P`` has mass ``w_top`` at the top: ``f(w) + f'(inf)(1-w)``.

    A radius at least this large makes the upper bound the top of the support.
    """
    w = np.asarray(w_top, dtype=float)
    finf = CAUSAL_GENERATORS[kind].f_inf
    assert finf is not None  # every causal generator sets f_inf (see _causal)
    with np.errstate(invalid="ignore"):
        out = generator(kind, w) + np.where(w < 1.0, finf * (1.0 - w), 0.0)
    return np.where(w >= 1.0, 0.0, out)


def kfun(kind: str, tau: np.ndarray, order: int = 0):
    """``k(tau)`` and, for ``order = 2``, also ``k'(tau)`` and ``k''(tau)`` (smooth kinds)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if kind == "kl":
            k0 = (tau - 1.0) - np.log1p(tau - 1.0)
            if order == 0:
                return k0
            return k0, 1.0 - 1.0 / tau, 1.0 / tau**2
        if kind == "hellinger":
            k0 = (2.0 * tau - 1.0) ** 2 / (4.0 * tau)
            if order == 0:
                return k0
            return k0, 1.0 - 0.25 / tau**2, 0.5 / tau**3
        if kind == "chi2":
            r = np.sqrt(tau)
            k0 = (r - np.sqrt(0.5)) ** 2
            if order == 0:
                return k0
            return k0, 1.0 - 1.0 / np.sqrt(2.0 * tau), (2.0 * tau) ** -1.5
        if kind == "js":
            big = tau > 15.0
            x = np.exp(2.0 * np.where(big, 0.0, tau))
            small_form = 0.5 * np.log1p((x - 2.0) ** 2 / (4.0 * (x - 1.0)))
            large_form = tau - _LN2 - 0.5 * np.log1p(-np.exp(-2.0 * tau))
            k0 = np.where(big, large_form, small_form)
            k0 = np.where(tau <= 0, np.inf, k0)
            if order == 0:
                return k0
            em1 = np.expm1(2.0 * tau)
            k1 = 1.0 - 1.0 / em1
            k2 = 2.0 / (em1 * -np.expm1(-2.0 * tau))
            return k0, k1, k2
        if kind == "tv":
            k0 = np.maximum(tau - 1.0, 0.0)
            if order == 0:
                return k0
            return k0, np.where(tau > 1.0, 1.0, 0.0), np.zeros_like(tau)
    raise InvalidParameterError(f"kind must be one of {list(CAUSAL_DIVERGENCES)}; got {kind!r}")


def density_ratio(kind: str, tau: np.ndarray) -> np.ndarray:
    """``s = dQ/dP = 1 - k'(tau)`` of the optimal ``Q`` at an atom with argument ``tau``."""
    with np.errstate(divide="ignore", over="ignore"):
        if kind == "kl":
            return 1.0 / tau
        if kind == "hellinger":
            return 0.25 / tau**2
        if kind == "chi2":
            return 1.0 / np.sqrt(2.0 * tau)
        if kind == "js":
            return 1.0 / np.expm1(2.0 * tau)
        return np.where(tau < 1.0, 1.0, 0.0)


def g_of_s(kind: str, s: np.ndarray) -> np.ndarray:
    """``g(s) = s f(1/s)``, the integrand of ``D_f(P || Q)`` against ``P`` when ``dQ = s dP``."""
    s = np.asarray(s, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "kl":
            return -np.log(s)
        if kind == "hellinger":
            return 0.5 * (1.0 - np.sqrt(s)) ** 2
        if kind == "chi2":
            return (1.0 - s) ** 2 / (2.0 * s)
        if kind == "tv":
            return 0.5 * np.abs(1.0 - s)
        return 0.5 * (special.xlogy(s, s) - (1.0 + s) * np.log1p(s) + (1.0 + s) * _LN2)
