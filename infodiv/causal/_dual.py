"""The per-x dual of the f-divergence ball, solved exactly and vectorised over rows.

Each row is one conditional law ``P`` given as weighted atoms (a row of ``d``, the distance of
each atom to the top of the support in normalised units, and a row of weights summing to one)
and one radius ``rho``. :func:`solve_upper` returns the excess of the upper bound over the
mean, ``min_{lam > 0, sigma >= 0} lam (rho + E_P k((d + sigma)/lam))`` (see
:mod:`infodiv.causal._generators`), and the optimal ``(lam, sigma)`` that the orthogonal score
needs.

Method: a projected damped Newton method on the jointly convex objective in ``(lam, sigma)``
with the exact 2 x 2 Hessian, the bound ``sigma >= 0`` handled by an active set (Bertsekas'
projected Newton), an Armijo backtracking line search that rejects non-finite values (the
barrier of KL, Hellinger, chi2 and JS when ``P`` charges the top), and termination on the
Newton decrement. All rows iterate together; converged rows are frozen. Warm starts (e.g. along
a grid of radii) are accepted. Total variation has a closed form (the radius' worth of the
lowest mass moves to the top) and never iterates.

Special rows: ``rho = 0`` gives the mean (``lam = inf``); a law concentrated on the top, or a
radius at least ``D_f(P || delta_top)`` (finite for Hellinger, TV and JS), gives the top of the
support with ``lam = 0`` (the constraint is slack).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from infodiv.causal._generators import CAUSAL_GENERATORS, curvature, kfun, top_divergence
from infodiv.exceptions import SolverWarning

__all__ = ["DualSolution", "perspective_k", "solve_upper", "tail_mass_sum"]


@dataclass
class DualSolution:
    """Solution of the per-row dual.

    Attributes
    ----------
    excess : ndarray
        ``theta_up' - E_P[y']`` in normalised units (>= 0).
    lam, sigma : ndarray
        Optimal multipliers; ``lam = inf`` where ``rho = 0`` and ``lam = 0`` where the bound is
        the top of the support.
    iterations : int
        Newton iterations used (0 for TV and special rows).
    converged : ndarray of bool
    """

    excess: np.ndarray
    lam: np.ndarray
    sigma: np.ndarray
    iterations: int
    converged: np.ndarray


def tail_mass_sum(values: np.ndarray, weights: np.ndarray, mass: np.ndarray):
    """Sum of the largest ``values`` carrying total weight ``mass`` (atoms split), per row.

    Returns ``(tail_sum, quantile)``: ``tail_sum = int_{1-mass}^1 F^{-1}(v) dv`` and the value at
    which the cumulated weight from the top first reaches ``mass`` (the ``1 - mass`` quantile;
    the smallest atom when ``mass >= 1``).
    """
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    mass = np.broadcast_to(np.asarray(mass, dtype=float), values.shape[:1])
    order = np.argsort(-values, axis=1, kind="stable")
    v = np.take_along_axis(values, order, axis=1)
    w = np.take_along_axis(weights, order, axis=1)
    cum = np.cumsum(w, axis=1)
    before = cum - w
    take = np.clip(mass[:, None] - before, 0.0, w)
    tail = np.sum(take * v, axis=1)
    reached = cum >= mass[:, None] * (1.0 - 1e-12)
    reached &= w > 0
    has = reached.any(axis=1)
    j = np.where(has, np.argmax(reached, axis=1), v.shape[1] - 1)
    # the smallest positive-weight atom when mass exceeds the total (>= 1)
    last_pos = v.shape[1] - 1 - np.argmax((w > 0)[:, ::-1], axis=1)
    j = np.where(has, j, last_pos)
    q = v[np.arange(v.shape[0]), j]
    return tail, q


def perspective_k(kind: str, lam, sigma, d) -> np.ndarray:
    """``lam * k((d + sigma)/lam)`` with its limits: ``d + sigma`` at ``lam = 0``, 0 at ``inf``.

    Broadcasts ``lam`` and ``sigma`` (per row) against ``d``.
    """
    lam = np.asarray(lam, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    d = np.asarray(d, dtype=float)
    zero = lam <= 0
    inf = ~np.isfinite(lam)
    safe_lam = np.where(zero | inf, 1.0, lam)
    safe_sig = np.where(inf, 0.0, sigma)
    with np.errstate(invalid="ignore"):
        val = safe_lam * kfun(kind, (d + safe_sig) / safe_lam)
    val = np.where(zero, d + safe_sig, val)
    return np.where(inf, 0.0, val)


def _objective(name, d, w, rho, lam, sig):
    tau = (d + sig[:, None]) / lam[:, None]
    k0 = kfun(name, tau)
    with np.errstate(invalid="ignore"):
        val = np.where(w > 0, w * k0, 0.0).sum(axis=1)
    return lam * (rho + val)


def solve_upper(
    d: np.ndarray,
    w: np.ndarray,
    rho: np.ndarray,
    kind: str,
    lam0: np.ndarray | None = None,
    sigma0: np.ndarray | None = None,
    tol: float = 1e-22,
    max_iter: int = 100,
    kkt_tol: float = 1e-9,
) -> DualSolution:
    """Excess of the upper bound over the mean for every row (normalised units).

    Parameters
    ----------
    d : ndarray, shape (m, k)
        Distance of each atom to the top, in [0, 1].
    w : ndarray, shape (m, k)
        Atom weights, non-negative, each row summing to one (zero weights are padding).
    rho : ndarray, shape (m,)
        Radii (>= 0) in the causal convention.
    kind : str
        One of ``kl``, ``hellinger``, ``chi2``, ``tv``, ``js``.
    lam0, sigma0 : ndarray, optional
        Warm start (ignored where not finite and positive).
    tol : float
        Also stop when the Newton decrement squared falls below ``tol`` (no progress possible).
    kkt_tol : float
        Stop when the mass residual ``1 - E s`` and the divergence residual ``rho - D(Q)`` (the
        gradient) are below this; rows that end above 100 times this are re-solved by nested
        bisection.

    Examples
    --------
    Bernoulli(0.3) outcome on [0, 1], KL radius ln 2 (propensity 1/2):

    >>> import numpy as np
    >>> sol = solve_upper(np.array([[1.0, 0.0]]), np.array([[0.7, 0.3]]), np.array([np.log(2)]), "kl")
    >>> round(float(0.3 + sol.excess[0]), 6)
    0.832047
    """
    d = np.asarray(d, dtype=float)
    w = np.asarray(w, dtype=float)
    m = d.shape[0]
    rho = np.broadcast_to(np.asarray(rho, dtype=float), (m,)).copy()
    d = np.where(w > 0, d, 1.0)  # padding atoms: harmless values, zero weight
    mean_d = np.sum(w * d, axis=1)
    w_top = np.sum(np.where(d <= 0, w, 0.0), axis=1)
    excess = np.zeros(m)
    lam = np.full(m, np.nan)
    sig = np.zeros(m)
    converged = np.ones(m, dtype=bool)

    zero_rho = rho <= 0
    lam[zero_rho] = np.inf
    top = ~zero_rho & ((mean_d <= 0) | (rho >= top_divergence(kind, w_top)))
    excess[top] = mean_d[top]
    lam[top] = 0.0
    todo = ~zero_rho & ~top

    if kind == "tv":
        idx = np.flatnonzero(todo)
        if idx.size:
            tail, q = tail_mass_sum(d[idx], w[idx], np.minimum(rho[idx], 1.0))
            excess[idx] = tail
            lam[idx] = q
        return DualSolution(excess, lam, sig, 0, converged)

    idx = np.flatnonzero(todo)
    if idx.size == 0:
        return DualSolution(excess, lam, sig, 0, converged)
    D, W, R = d[idx], w[idx], rho[idx]
    md = mean_d[idx]
    need_pos = CAUSAL_GENERATORS[kind].barrier & (w_top[idx] > 0)
    t0 = CAUSAL_GENERATORS[kind].tau0
    sd = np.sqrt(np.maximum(np.sum(W * (D - md[:, None]) ** 2, axis=1), 1e-12))
    L = sd / np.sqrt(2.0 * R * curvature(kind))
    S = L * t0 - md
    # boundary regime (Q needs an atom at the top): start where the mean tau is near 2 tau0
    L = np.where(S < 0, np.maximum(L, 0.5 * md / t0), L)
    S = L * t0 - md
    S = np.where(S > 0, S, 0.0)
    # when P charges the top keep its atoms' density ratio moderate (tau_top >= tau0 / 2)
    S = np.where(need_pos, np.maximum(S, 0.5 * L * t0), S)
    if lam0 is not None:
        l0 = np.asarray(lam0, dtype=float)[idx]
        s0 = np.asarray(sigma0, dtype=float)[idx] if sigma0 is not None else S
        ok = np.isfinite(l0) & (l0 > 0) & np.isfinite(s0) & (s0 >= 0) & ~(need_pos & (s0 <= 0))
        L = np.where(ok, l0, L)
        S = np.where(ok, s0, S)

    H = _objective(kind, D, W, R, L, S)
    bad = ~np.isfinite(H)
    if bad.any():  # should not happen with the start above; move into the domain
        S = np.where(bad, np.maximum(S, L * t0), S)
        H = _objective(kind, D, W, R, L, S)
    live = np.ones(idx.size, dtype=bool)
    it = 0
    for _ in range(max_iter):
        a = np.flatnonzero(live)
        if a.size == 0:
            break
        it += 1
        Da, Wa, Ra, La, Sa, Ha = D[a], W[a], R[a], L[a], S[a], H[a]
        tau = (Da + Sa[:, None]) / La[:, None]
        k0, k1, k2 = kfun(kind, tau, order=2)
        with np.errstate(invalid="ignore"):
            k1 = np.where(Wa > 0, k1, 0.0)
            k2 = np.where(Wa > 0, k2, 0.0)
            k0 = np.where(Wa > 0, k0, 0.0)
        gs = np.sum(Wa * k1, axis=1)
        gl = Ra + np.sum(Wa * (k0 - tau * k1), axis=1)
        hss = np.sum(Wa * k2, axis=1) / La
        hsl = -np.sum(Wa * tau * k2, axis=1) / La
        hll = np.sum(Wa * tau**2 * k2, axis=1) / La
        active = (Sa <= 0) & (gs >= 0)
        det = hss * hll - hsl**2
        ok2 = det > 1e-13 * hss * hll
        with np.errstate(divide="ignore", invalid="ignore"):
            ds = np.where(ok2, -(hll * gs - hsl * gl) / det, -gs / hss)
            dl = np.where(ok2, -(hss * gl - hsl * gs) / det, -gl / hll)
            dl = np.where(active, -gl / hll, dl)
        ds = np.where(active, 0.0, ds)
        # safeguard: where the curvature underflows (huge tau) take a halving/doubling step
        bad_l = ~np.isfinite(dl) | (hll <= 0)
        dl = np.where(bad_l, -np.sign(gl) * 0.5 * La, dl)
        bad_s = ~np.isfinite(ds) | ((hss <= 0) & ~active)
        ds = np.where(bad_s & ~active, -np.sign(gs) * 0.5 * np.maximum(Sa, La * t0), ds)
        ds = np.where(np.isfinite(ds), ds, 0.0)
        dl = np.where(np.isfinite(dl), dl, 0.0)
        dec = -(gs * ds + gl * dl)
        kkt = (np.abs(gl) <= kkt_tol) & ((np.abs(gs) <= kkt_tol) | ((Sa <= 0) & (gs >= 0)))
        done = kkt | (dec <= tol) | ~np.isfinite(dec)
        # line search
        alpha = np.ones(a.size)
        # keep lam positive (at least a quarter of its value)
        shrink = dl < 0
        alpha = np.where(shrink, np.minimum(alpha, 0.75 * La / np.where(shrink, -dl, 1.0)), alpha)
        pos = need_pos[a]
        shrink_s = pos & (ds < 0)
        alpha = np.where(
            shrink_s, np.minimum(alpha, 0.9 * Sa / np.where(shrink_s, -ds, 1.0)), alpha
        )
        newL, newS, newH = La.copy(), Sa.copy(), Ha.copy()
        pending = ~done
        for _ in range(60):
            p = np.flatnonzero(pending)
            if p.size == 0:
                break
            cl = La[p] + alpha[p] * dl[p]
            cs = Sa[p] + alpha[p] * ds[p]
            cs = np.where(pos[p], cs, np.maximum(cs, 0.0))
            ch = _objective(kind, Da[p], Wa[p], Ra[p], cl, cs)
            step_gain = gs[p] * (cs - Sa[p]) + gl[p] * (cl - La[p])
            slack = (
                8 * np.finfo(float).eps * np.maximum(np.abs(Ha[p]), 1.0)
            )  # rounding at the optimum
            accept = np.isfinite(ch) & (cl > 0) & (ch <= Ha[p] + 1e-4 * step_gain + slack)
            acc = p[accept]
            newL[acc], newS[acc], newH[acc] = cl[accept], cs[accept], ch[accept]
            pending[acc] = False
            alpha[p[~accept]] *= 0.5
        stalled = pending & ~done
        L[a], S[a], H[a] = newL, newS, newH
        fin = done | stalled
        live[a[fin]] = False
        converged[idx[a[stalled & (dec > 1e-9)]]] = False
    # Verify the KKT conditions: mass 1 - E s = dH/dsigma (zero, or >= 0 at sigma = 0) and
    # divergence rho - D(Q) = dH/dlam (zero). Rows that fail (e.g. Newton creeping towards the
    # degenerate face lam -> 0) are re-solved by the nested bisection, which cannot fail.
    gs, gl = _gradient(kind, D, W, R, L, S)
    kkt = (np.abs(gl) <= 100 * kkt_tol) & ((np.abs(gs) <= 100 * kkt_tol) | ((S <= 0) & (gs >= 0)))
    redo = np.flatnonzero(~kkt)
    if redo.size:
        Lb, Sb, Hb = _nested_bisection(kind, D[redo], W[redo], R[redo], need_pos[redo])
        newton_ok = H[redo] <= Hb + 1e-12  # Newton was already as good (e.g. lam* ~ 1e-18)
        better = Hb < H[redo]
        r = redo[better]
        L[r], S[r], H[r] = Lb[better], Sb[better], Hb[better]
        gs2, gl2 = _gradient(kind, D[redo], W[redo], R[redo], L[redo], S[redo])
        ok = (np.abs(gl2) <= 1e-6) & ((np.abs(gs2) <= 1e-6) | ((S[redo] <= 0) & (gs2 >= -1e-6)))
        converged[idx[redo]] = ok | newton_ok
    excess[idx] = np.maximum(H, 0.0)
    lam[idx] = L
    sig[idx] = S
    if not converged.all():
        warnings.warn(
            f"the dual solver did not converge for {int((~converged).sum())} of {m} rows "
            f"({kind}); their bounds may be slightly too wide",
            SolverWarning,
            stacklevel=2,
        )
    return DualSolution(excess, lam, sig, it, converged)


def _gradient(name, d, w, rho, lam, sig):
    """(dH/dsigma, dH/dlam) = (1 - E s, rho - D_f(P || Q)) at (lam, sig)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = (d + sig[:, None]) / lam[:, None]
    k0, k1, _ = kfun(name, tau, order=2)
    with np.errstate(invalid="ignore"):
        gs = np.where(w > 0, w * k1, 0.0).sum(axis=1)
        gl = rho + np.where(w > 0, w * (k0 - tau * k1), 0.0).sum(axis=1)
    return gs, gl


def _inner_sigma(name, d, w, lam, need_pos, iters=100):
    """For fixed lam: sigma >= 0 solving E s((d + sigma)/lam) = 1 (or 0 if E s <= 1 at 0).

    ``dH/dsigma = 1 - E s`` increases in sigma and is >= 0 at ``sigma = lam tau0``; bisection.
    """
    t0 = CAUSAL_GENERATORS[name].tau0
    lo = np.zeros(lam.size)
    hi = lam * t0
    gs0, _ = _gradient(name, d, w, np.zeros(lam.size), lam, np.where(need_pos, 1e-300, 0.0))
    at_zero = ~need_pos & (gs0 >= 0)
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        g, _ = _gradient(name, d, w, np.zeros(lam.size), lam, mid)
        up = g < 0  # still too much mass: move right
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    return np.where(at_zero, 0.0, hi)


def _nested_bisection(name, d, w, rho, need_pos, iters=70):
    """Robust fallback: bisection on log lam of dG/dlam = rho - D(Q_lam), sigma profiled out.

    ``G(lam) = min_sigma H(lam, sigma)`` is convex, so its derivative is monotone.
    """
    md = np.sum(w * d, axis=1)
    scale = np.maximum(md, 1e-3)
    lo = np.log(scale * 1e-20)
    hi = np.log(scale * 1e9)
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        lam = np.exp(mid)
        sig = _inner_sigma(name, d, w, lam, need_pos, iters=60)
        _, gl = _gradient(name, d, w, rho, lam, sig)
        right = gl < 0  # G decreasing: the minimum is at a larger lam
        lo = np.where(right, mid, lo)
        hi = np.where(right, hi, mid)
    lam = np.exp(0.5 * (lo + hi))
    sig = _inner_sigma(name, d, w, lam, need_pos)
    return lam, sig, _objective(name, d, w, rho, lam, sig)
