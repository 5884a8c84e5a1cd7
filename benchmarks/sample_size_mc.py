"""Monte-Carlo validation of the p-n criterion (infodiv.sample_size).

Run from the repository root::

    PYTHONPATH=$PWD python benchmarks/sample_size_mc.py [--quick]

Prints three tables:

1. Misspecified pairs: the simulated risk E KL(g_theta* || g_theta_hat) at several n against the
   first-order (c1/n) and second-order (c1/n + c2/n^2) expansions, with c1, c2 computed from the
   population cumulants (pairs a, b) or, for pair c, from one fit on 2 million draws.
     a. Poisson model, negative-binomial data (mean 10, size 4): the risk is also summed exactly
        over the pmf of the sample total.
     b. Normal model, gamma(3) data.
     c. Gamma model, log-normal(0, 0.6) data.
2. Coverage of the delta-method interval for c1 (nominal 95%).
3. Fit times on 30,000 rows.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from scipy import special, stats

from infodiv.sample_size import PNCriterion, risk_coefficients
from tests.reference.cumulants import cumulants_from_raw, gamma_raw, normal_raw


def row(label, n, R, se, c1, c2):
    o1, o2 = c1 / n, c1 / n + c2 / n**2
    print(
        f"{label:<26}{n:>5}  {R:10.5f} {se:9.5f}  {o1:10.5f} {100 * (o1 - R) / R:8.1f}%"
        f"  {o2:10.5f} {100 * (o2 - R) / R:8.1f}%"
    )


def table1(rng, scale):
    print("Table 1. Simulated risk vs expansion (relative errors of the expansions)")
    print(
        f"{'pair':<26}{'n':>5}  {'risk':>10} {'MC se':>9}  {'c1/n':>10} {'err':>9}  "
        f"{'+c2/n^2':>10} {'err':>9}"
    )
    # a. Poisson model of negative-binomial data
    mu, r = 10.0, 4.0
    a = mu / r
    c1, c2 = risk_coefficients(
        [[mu]], [[[mu]]], [[[[mu]]]], [[mu * (1 + a)]], [[[mu * (1 + a) * (1 + 2 * a)]]]
    )
    print(f"a. Poisson | NB(mean 10, size 4): c1 = {c1:.4f}, c2 = {c2:.4f}")
    pnb = r / (r + mu)
    for n in (3, 5, 10, 20, 50):
        S = stats.nbinom(n * r, pnb)
        s = np.arange(1, int(S.ppf(1 - 1e-15)) + 50)
        pm = S.pmf(s)
        R = mu * (np.log(mu) - np.sum(pm * np.log(s / n)) / pm.sum())
        row("   exact sum", n, R, 0.0, c1, c2)
        reps = int(scale * 2_000_000 / n)
        xbar = rng.negative_binomial(r, pnb, size=(reps, n)).mean(1)
        xbar = xbar[xbar > 0]
        kl = mu * np.log(mu / xbar) - mu + xbar
        row("   Monte Carlo", n, kl.mean(), kl.std() / math.sqrt(kl.size), c1, c2)
    # b. normal model of gamma data
    k = 3.0
    g_raw = gamma_raw(k)  # E X^m, m = 0..8, of gamma(k, 1)
    n_raw = normal_raw(k, k)  # of the projection N(k, k)
    S_, k3, _ = cumulants_from_raw(g_raw, [1, 2])
    info, K3, K4 = cumulants_from_raw(n_raw, [1, 2])
    c1, c2 = risk_coefficients(info, K3, K4, S_, k3)
    print(f"b. normal | gamma(shape 3): c1 = {c1:.4f}, c2 = {c2:.4f}")
    for n in (8, 12, 20, 40, 80, 160):
        reps = int(scale * 4_000_000 / n)
        x = rng.gamma(k, 1.0, size=(reps, n))
        m, v = x.mean(1), x.var(1)
        kl = 0.5 * (np.log(v / k) + (k + (m - k) ** 2) / v - 1)
        row("   Monte Carlo", n, kl.mean(), kl.std() / math.sqrt(reps), c1, c2)
    # c. gamma model of log-normal data: projection matches E X and E ln X
    s = 0.6
    big = PNCriterion(family="gamma").fit(rng.lognormal(0.0, s, 2_000_000))
    c1, c2 = big.c1_, big.c2_
    EX, Elog = math.exp(s**2 / 2), 0.0
    target = math.log(EX) - Elog
    lo, hi = 1e-3, 1e3
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        lo, hi = (mid, hi) if math.log(mid) - special.digamma(mid) > target else (lo, mid)
    alpha = math.sqrt(lo * hi)
    beta = alpha / EX
    print(
        f"c. gamma | log-normal(0, {s}): c1 = {c1:.4f} (SE {big.c1_se_:.4f}), c2 = {c2:.4f} "
        f"(one fit on 2e6 draws); projection shape {alpha:.4f}, rate {beta:.4f}"
    )

    def kl_gamma(a0, b0, a1, b1):  # KL(Gamma(a0, rate b0) || Gamma(a1, rate b1))
        return (
            (a0 - a1) * special.digamma(a0)
            - special.gammaln(a0)
            + special.gammaln(a1)
            + a1 * (np.log(b0) - np.log(b1))
            + a0 * (b1 - b0) / b0
        )

    for n in (8, 12, 20, 40, 80):
        reps = int(scale * 400_000 / n)
        x = rng.lognormal(0.0, s, size=(reps, n))
        xbar = x.mean(1)
        sd = np.log(xbar) - np.log(x).mean(1)
        a_hat = np.array([_shape(v) for v in sd])
        kl = kl_gamma(alpha, beta, a_hat, a_hat / xbar)
        row("   Monte Carlo", n, kl.mean(), kl.std() / math.sqrt(reps), c1, c2)
    print()


def _shape(s):
    a = (3.0 - s + math.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s)
    for _ in range(50):
        f = math.log(a) - special.digamma(a) - s
        a_new = a - f / (1.0 / a - special.polygamma(1, a))
        a_new = a / 2 if a_new <= 0 else a_new
        if abs(a_new - a) < 1e-12 * a:
            break
        a = a_new
    return a


def table2(rng, scale):
    print("Table 2. Coverage of the 95% delta-method interval for c1")
    print(
        f"{'case':<34}{'n':>6}{'reps':>6}  {'coverage':>8}  {'true<low':>8}  {'true>high':>9}"
        f"  {'mean SE':>8}  {'sd of c1':>8}"
    )
    mu, r = 10.0, 4.0
    cases = [
        (
            "Poisson | NB(10, 4), c1 = 1.75",
            "poisson",
            lambda n: rng.negative_binomial(r, r / (r + mu), n),
            0.5 * (1 + mu / r),
        ),
        ("normal | gamma(3), c1 = 1.5", "normal", lambda n: rng.gamma(3.0, 1.0, n), 1.5),
        ("normal | normal, c1 = 1", "normal", lambda n: rng.normal(size=n), 1.0),
        (
            "MVN d=3 | normal, c1 = 4.5",
            "multivariate_normal",
            lambda n: rng.normal(size=(n, 3)),
            4.5,
        ),
    ]
    for label, fam, draw, true in cases:
        for n in (100, 300, 1000, 3000):
            reps = int(scale * 1000)
            lo_miss = hi_miss = 0
            ses, est = [], []
            for _ in range(reps):
                pn = PNCriterion(family=fam, order=1).fit(draw(n))
                lo, hi = pn.c1_ci_
                lo_miss += true < lo
                hi_miss += true > hi
                ses.append(pn.c1_se_)
                est.append(pn.c1_)
            cov = 1 - (lo_miss + hi_miss) / reps
            print(
                f"{label:<34}{n:>6}{reps:>6}  {cov:8.3f}  {lo_miss / reps:8.3f}  "
                f"{hi_miss / reps:9.3f}  {np.mean(ses):8.4f}  {np.std(est):8.4f}"
            )
    print()


def table3(rng):
    print("Table 3. Fit time on 30,000 rows (order 2, best of 3)")
    n = 30_000
    data = {
        "bernoulli": rng.integers(0, 2, n),
        "categorical": rng.choice(list("abcdefghij"), n),
        "poisson": rng.poisson(4.0, n),
        "exponential": rng.exponential(1.0, n),
        "gamma": rng.gamma(2.0, 1.0, n),
        "normal": rng.normal(size=n),
        "multivariate_normal (d=3)": rng.normal(size=(n, 3)),
        "multivariate_normal (d=8)": rng.normal(size=(n, 8)),
    }
    for name, x in data.items():
        fam = name.split(" ")[0]
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            PNCriterion(family=fam).fit(x)
            best = min(best, time.perf_counter() - t)
        print(f"{name:<28} {1000 * best:9.1f} ms")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="a tenth of the replications")
    args = ap.parse_args()
    scale = 0.1 if args.quick else 1.0
    rng = np.random.default_rng(20240501)
    t = time.perf_counter()
    table1(rng, scale)
    table2(rng, scale)
    table3(rng)
    print(f"\ntotal {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()
