"""Monte-Carlo coverage of the averaged causal bounds' confidence intervals.

Designs with a known population bound: covariates X = (X1, X2) ~ U(-1, 1)^2, a logistic
propensity e(X), an unobserved binary confounder U whose law depends on (A, X), and an outcome
whose law given (A, X, U) is known. The observed law P(Y | A = a, X = x) is the mixture over U
(U integrated out exactly), and the population bounds

    Theta = E_X[ theta(X) ],  theta(x) = the f-ball / MSM / Manski bound at P(Y | A = a, X = x)

are integrated over X by 40 x 40 Gauss-Legendre quadrature. For the binary design theta(x) is
an independent 1-D search over Bernoulli laws (no infodiv code); for the ordinal design
(Y in {0, 1/4, ..., 1}) it uses infodiv's dual solver, which the tests check against a direct
primal optimisation.

Each repetition draws n rows, fits DivergenceBounds("all") (five divergences, propensity
radius), MSMBounds(Lambda=2) and ManskiBounds on the same cross-fitted nuisances, and records
whether each endpoint's two-sided 95% interval covers the population endpoint:
``conf_int(interval="endpoint")`` (Wald, boundary-aware near the support edge: ``cov_lower``,
``cov_upper``; ``near_lower``/``near_upper`` the share of repetitions where it was
boundary-aware) and the former Wald interval ``estimate -/+ z se`` clipped to the range
(``wald_lower``, ``wald_upper``), and whether the set interval covers the identified set.

    python benchmarks/causal_coverage.py [--reps 200] [--n 2000] [--design binary|ordinal|both]

Prints coverage per method, quantity and endpoint, the mean estimate minus the truth in units
of the Monte-Carlo SD ("bias/sd"), and the mean reported SE over the Monte-Carlo SD ("se/sd").
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from scipy import optimize, special

from infodiv.causal import CAUSAL_DIVERGENCES, DivergenceBounds, ManskiBounds, MSMBounds, f_radius
from infodiv.causal._bounds import msm_bound_rows
from infodiv.causal._dual import solve_upper

LAMBDA = 2.0
Z = 1.959963984540054  # z_{0.975}
expit = special.expit


def propensity(x1, x2):
    return expit(0.3 + 0.8 * x1 - 0.5 * x2)


def pi_u(a, x1, x2):
    """P(U = 1 | A = a, X): U is associated with the treatment given X (a confounder)."""
    return expit(np.where(a == 1, 0.6, -0.6) + 0.5 * x2)


def outcome_p(a, x1, x2, u, design):
    return expit(-0.4 + 0.7 * a + 0.6 * x1 + 1.2 * u - (0.3 * x2 if design == "ordinal" else 0.0))


LEVELS = {"binary": np.array([0.0, 1.0]), "ordinal": np.linspace(0, 1, 5)}


def observed_law(a, x1, x2, design):
    """P(Y = level | A = a, X = x), U integrated out: shape (len(x1), levels)."""
    out = 0.0
    for u, pu in ((1, pi_u(a, x1, x2)), (0, 1 - pi_u(a, x1, x2))):
        p = outcome_p(a, x1, x2, u, design)
        if design == "binary":
            law = np.column_stack([1 - p, p])
        else:
            law = np.column_stack(
                [special.comb(4, j) * p**j * (1 - p) ** (4 - j) for j in range(5)]
            )
        out = out + pu[:, None] * law
    return out


def draw(n, rng, design):
    x1, x2 = rng.uniform(-1, 1, n), rng.uniform(-1, 1, n)
    A = rng.binomial(1, propensity(x1, x2))
    U = rng.binomial(1, pi_u(A, x1, x2))
    p = outcome_p(A, x1, x2, U, design)
    Y = rng.binomial(1, p).astype(float) if design == "binary" else rng.binomial(4, p) / 4.0
    return np.column_stack([x1, x2]), A, Y


# ------------------------------------------------------------------ population bounds
def _f(name, t):
    t = np.asarray(t, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "kl": lambda: special.xlogy(t, t),
            "hellinger": lambda: 0.5 * (np.sqrt(t) - 1) ** 2,
            "chi2": lambda: 0.5 * (t - 1) ** 2,
            "tv": lambda: 0.5 * np.abs(t - 1),
            "js": lambda: 0.5 * (special.xlogy(t, t) - (t + 1) * np.log((t + 1) / 2)),
        }[name]()


def bern_upper(name, p, rho):
    """Largest q with D_f(Bern(p) || Bern(q)) <= rho (independent 1-D search)."""

    def D(q):
        out = q * _f(name, p / q) if q > 0 else 0.0
        return float(
            out
            + (
                (1 - q) * _f(name, (1 - p) / (1 - q))
                if q < 1
                else (1 - p) * _f(name, 1e300) / 1e300
            )
        )

    if D(1.0 - 1e-15) <= rho:
        return 1.0
    return optimize.brentq(lambda q: D(q) - rho, p, 1 - 1e-15, xtol=1e-14)


def population(design, nodes=40):
    g, wts = np.polynomial.legendre.leggauss(nodes)
    x1, x2 = np.meshgrid(g, g, indexing="ij")
    x1, x2 = x1.ravel(), x2.ravel()
    wx = np.outer(wts, wts).ravel() / 4.0  # density of U(-1,1)^2 is 1/4
    lev = LEVELS[design]
    e1 = propensity(x1, x2)
    truth = {}
    for a in (0, 1):
        ea = e1 if a == 1 else 1 - e1
        law = observed_law(np.full(x1.size, a), x1, x2, design)
        mu = law @ lev
        for name in CAUSAL_DIVERGENCES:
            rho = f_radius(ea, name)
            if design == "binary":
                up = np.array([bern_upper(name, p, r) for p, r in zip(law[:, 1], rho, strict=True)])
                lo = np.array(
                    [1 - bern_upper(name, p, r) for p, r in zip(law[:, 0], rho, strict=True)]
                )
            else:
                vals = np.broadcast_to(lev, law.shape)
                up = mu + solve_upper(1 - vals, law, rho, name).excess
                lo = mu - solve_upper(vals, law, rho, name).excess
            truth[name, a] = (np.sum(wx * lo), np.sum(wx * up))
        vals = np.broadcast_to(lev, law.shape)
        truth["MSM", a] = (
            np.sum(wx * msm_bound_rows(vals, law, ea, LAMBDA, "lower")[0]),
            np.sum(wx * msm_bound_rows(vals, law, ea, LAMBDA, "upper")[0]),
        )
        truth["Manski", a] = (np.sum(wx * (ea * mu)), np.sum(wx * (ea * mu + 1 - ea)))
        truth["AIPW", a] = (np.sum(wx * mu),) * 2
    out = {}
    for m in list(CAUSAL_DIVERGENCES) + ["MSM", "Manski"]:
        (l0, u0), (l1, u1) = truth[m, 0], truth[m, 1]
        out[m] = {"E[Y(0)]": (l0, u0), "E[Y(1)]": (l1, u1), "ATE": (l1 - u0, u1 - l0)}
    return out


def run(design, reps, n, seed):
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    truth = population(design)
    print(
        f"\n=== design {design}: n = {n}, {reps} repetitions (population bounds in {time.perf_counter() - t0:.1f} s)"
    )
    rows = []
    t0 = time.perf_counter()
    for r in range(reps):
        X, A, Y = draw(n, rng, design)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            fb = DivergenceBounds("all", support=(0, 1), random_state=r).fit(X, A, Y)
            results = {name: fb.results_[name] for name in CAUSAL_DIVERGENCES}
            msm = MSMBounds(Lambda=LAMBDA, support=(0, 1))
            msm._adopt(fb.data_, fb.nuisances_)
            results["MSM"] = msm._fit_one(LAMBDA)
            man = ManskiBounds(support=(0, 1))
            man._adopt(fb.data_, fb.nuisances_)
            results["Manski"] = man._fit_one()
        for m, res in results.items():
            ci = res.conf_int(0.05, interval="endpoint")
            cs = res.conf_int(0.05, interval="set")
            near = res.near_edge(0.05)
            for i, q in enumerate(("E[Y(0)]", "E[Y(1)]", "ATE")):
                tl, tu = truth[m][q]
                rmin, rmax = (-1.0, 1.0) if q == "ATE" else (0.0, 1.0)
                wl = np.clip(res.lower[i] + np.array([-1, 1]) * Z * res.se_lower[i], rmin, rmax)
                wu = np.clip(res.upper[i] + np.array([-1, 1]) * Z * res.se_upper[i], rmin, rmax)
                rows.append(
                    {
                        "method": m,
                        "quantity": q,
                        "lower": res.lower[i],
                        "upper": res.upper[i],
                        "se_lower": res.se_lower[i],
                        "se_upper": res.se_upper[i],
                        "cover_lower": ci.low[q, "lower"] <= tl <= ci.high[q, "lower"],
                        "cover_upper": ci.low[q, "upper"] <= tu <= ci.high[q, "upper"],
                        "cover_set": (cs.low[q, "lower"] <= tl) and (tu <= cs.high[q, "upper"]),
                        "wald_lower": wl[0] <= tl <= wl[1],
                        "wald_upper": wu[0] <= tu <= wu[1],
                        "near_lower": bool(near[q, "lower"]),
                        "near_upper": bool(near[q, "upper"]),
                        "true_lower": tl,
                        "true_upper": tu,
                    }
                )
        if (r + 1) % 25 == 0:
            print(f"  {r + 1} repetitions, {time.perf_counter() - t0:.0f} s", flush=True)
    df = pd.DataFrame(rows)
    g = df.groupby(["method", "quantity"], sort=False)
    table = pd.DataFrame(
        {
            "true_lower": g["true_lower"].first(),
            "true_upper": g["true_upper"].first(),
            "cov_lower": g["cover_lower"].mean(),
            "cov_upper": g["cover_upper"].mean(),
            "cov_set": g["cover_set"].mean(),
            "wald_lower": g["wald_lower"].mean(),
            "wald_upper": g["wald_upper"].mean(),
            "near_lower": g["near_lower"].mean(),
            "near_upper": g["near_upper"].mean(),
            "bias/sd_lower": (g["lower"].mean() - g["true_lower"].first()) / g["lower"].std(),
            "bias/sd_upper": (g["upper"].mean() - g["true_upper"].first()) / g["upper"].std(),
            "se/sd_lower": g["se_lower"].mean() / g["lower"].std(),
            "se/sd_upper": g["se_upper"].mean() / g["upper"].std(),
        }
    )
    with pd.option_context(
        "display.width", 250, "display.max_columns", 20, "display.float_format", "{:.3f}".format
    ):
        print(table)
    cov = df[["cover_lower", "cover_upper"]].to_numpy().ravel()
    f_rows = df[df.method.isin(CAUSAL_DIVERGENCES)]
    print(
        f"  all endpoints: coverage {cov.mean():.3f} (f-bounds only {f_rows[['cover_lower', 'cover_upper']].to_numpy().mean():.3f}); "
        f"Monte-Carlo SE of one coverage {np.sqrt(0.95 * 0.05 / reps):.3f}; {time.perf_counter() - t0:.0f} s"
    )
    return table


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--design", default="both", choices=["binary", "ordinal", "both"])
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    for d in ["binary", "ordinal"] if a.design == "both" else [a.design]:
        run(d, a.reps, a.n, a.seed)


if __name__ == "__main__":
    main()
