"""The causal primal reference: the spec's generators and direct primal solutions, written out
independently of the package (``shared/specs/causal-bounds.md``).

Used by ``tests/causal/test_causal_exact.py`` to check the dual solver and the bounds:

* :func:`spec_f`, :func:`spec_df`, :func:`D_discrete` — the causal-convention generators (``chi2``
  is ``(t - 1)^2 / 2``) and ``D_f(P || Q)`` on discrete laws with its limits;
* :func:`bernoulli_upper` — binary Y: the largest Bernoulli mean in the ball, by bisection;
* :func:`primal_smooth`, :func:`primal_tv` — ``max_Q E_Q[y]`` over the ball directly (SLSQP for
  the smooth divergences, a linear programme for total variation).
"""

import numpy as np
from scipy import optimize, special

# The generators of shared/specs/causal-bounds.md, written out independently of the package.
LN2 = np.log(2.0)


def spec_f(name, t):
    t = np.asarray(t, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "kl":
            return special.xlogy(t, t)
        if name == "hellinger":
            return 0.5 * (np.sqrt(t) - 1) ** 2
        if name == "chi2":
            return 0.5 * (t - 1) ** 2
        if name == "tv":
            return 0.5 * np.abs(t - 1)
        return 0.5 * (special.xlogy(t, t) - (t + 1) * np.log((t + 1) / 2))


def spec_df(name, t):
    t = np.asarray(t, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "kl":
            return np.log(t) + 1
        if name == "hellinger":
            return 0.5 * (1 - 1 / np.sqrt(t))
        if name == "chi2":
            return t - 1
        if name == "tv":
            return 0.5 * np.sign(t - 1)
        return 0.5 * np.log(2 * t / (t + 1))


def D_discrete(name, p, q):
    """D_f(P || Q) = sum_j q_j f(p_j / q_j) with the limits q f(0) (p = 0) and p f'(inf) (q = 0)."""
    f0 = float(spec_f(name, 0.0))
    finf = {"kl": np.inf, "chi2": np.inf, "hellinger": 0.5, "tv": 0.5, "js": 0.5 * LN2}[name]
    out = 0.0
    for pj, qj in zip(p, q, strict=True):
        if qj > 0:
            out += qj * spec_f(name, pj / qj) if pj > 0 else qj * f0
        elif pj > 0:
            out += pj * finf
    return float(out)


def bernoulli_upper(name, p, rho):
    """Largest q >= p with D_f(Bern(p) || Bern(q)) <= rho, by bisection on q."""

    def D(q):
        return D_discrete(name, [p, 1 - p], [q, 1 - q])

    if D(1.0) <= rho:
        return 1.0
    return optimize.brentq(lambda q: D(q) - rho, p, 1.0, xtol=1e-15, rtol=1e-15)


def primal_smooth(name, y, p, rho, starts=4, seed=0):
    """max_Q E_Q[y] over Q on the atoms of P plus the top 1, D_f(P || Q) <= rho (SLSQP)."""
    y = np.asarray(y, float)
    p = np.asarray(p, float)
    if not np.any(y == 1.0):
        y, p = np.append(y, 1.0), np.append(p, 0.0)
    f0 = float(spec_f(name, 0.0))
    pos = p > 0

    def D(q):
        return float(np.sum(q[pos] * spec_f(name, p[pos] / q[pos])) + f0 * np.sum(q[~pos]))

    def dD(q):
        g = np.full_like(q, f0)
        t = p[pos] / q[pos]
        g[pos] = spec_f(name, t) - t * spec_df(name, t)
        return g

    rng = np.random.default_rng(seed)
    top = (y == 1.0).astype(float)
    fixed = [p, 0.5 * p + 0.5 * top, 0.1 * p + 0.9 * top]
    best = -np.inf
    for i in range(starts):
        start = fixed[i] if i < len(fixed) else 0.5 * p + 0.5 * rng.dirichlet(np.ones(p.size))
        start = np.maximum(start, 1e-3)
        start /= start.sum()
        res = optimize.minimize(
            lambda q: -q @ y,
            start,
            jac=lambda q: -y,
            method="SLSQP",
            bounds=[(1e-12, 1.0)] * p.size,
            constraints=[
                {"type": "eq", "fun": lambda q: q.sum() - 1, "jac": lambda q: np.ones_like(q)},
                {"type": "ineq", "fun": lambda q: rho - D(q), "jac": lambda q: -dD(q)},
            ],
            options={"ftol": 1e-15, "maxiter": 3000},
        )
        q = np.maximum(res.x, 0)
        q /= q.sum()
        if D(q) <= rho + 1e-9:
            best = max(best, float(q @ y))
    return best


def primal_tv(y, p, rho):
    """The same for total variation, as a linear programme in (q, t), t >= |q - p|."""
    y = np.append(np.asarray(y, float), 1.0)
    p = np.append(np.asarray(p, float), 0.0)
    k = y.size
    c = np.concatenate([-y, np.zeros(k)])
    eye = np.eye(k)
    A_ub = np.vstack(
        [
            np.hstack([eye, -eye]),
            np.hstack([-eye, -eye]),
            np.concatenate([np.zeros(k), 0.5 * np.ones(k)])[None],
        ]
    )
    b_ub = np.concatenate([p, -p, [rho]])
    A_eq = np.concatenate([np.ones(k), np.zeros(k)])[None]
    res = optimize.linprog(
        c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0], bounds=[(0, None)] * (2 * k), method="highs"
    )
    assert res.status == 0
    return -res.fun
