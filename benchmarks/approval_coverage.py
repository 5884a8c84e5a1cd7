"""Coverage of the cut-off metrics' intervals (``infodiv.fairness.approval_metrics``).

Monte-Carlo coverage of the 95% intervals of the adverse impact ratio (score interval and the
delta-method interval on the log ratio), of the approval-rate difference (Newcombe's hybrid
score interval, and the Wald interval for comparison), of the standardised mean difference of
the scores (delta method without normality), and of the ratio at a cut-off estimated from an
approval rate (the cut-off's own error is not in the interval).

Run: ``python benchmarks/approval_coverage.py [--reps 2000] [--seed 0]`` (about a minute at
2,000 replications). The table printed is the one in ``docs/fairness.md``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy import stats

from infodiv.fairness import approval_metrics
from infodiv.fairness._approval import newcombe_interval, ratio_score_interval, smd_and_se

Z = float(stats.norm.ppf(0.975))


def air_coverage(n_g: int, n_r: int, p_g: float, p_r: float, reps: int, rng) -> dict:
    """Coverage of the two AIR intervals and the two difference intervals at a fixed cut-off."""
    ratio, diff = p_g / p_r, p_g - p_r
    hit = {"air_score": 0, "air_log": 0, "diff_newcombe": 0, "diff_wald": 0}
    undefined = 0
    for _ in range(reps):
        xg, xr = rng.binomial(n_g, p_g), rng.binomial(n_r, p_r)
        if xr == 0:
            undefined += 1
            continue
        lo, hi = ratio_score_interval(xg, n_g, xr, n_r, Z)
        hit["air_score"] += lo <= ratio <= hi
        ag, ar, mg, mr = xg, xr, n_g, n_r
        if min(xg, xr) == 0 or xg == n_g or xr == n_r:
            ag, ar, mg, mr = xg + 0.5, xr + 0.5, n_g + 1.0, n_r + 1.0
        lr = np.log((ag / mg) / (ar / mr))
        sl = np.sqrt(1 / ag - 1 / mg + 1 / ar - 1 / mr)
        hit["air_log"] += np.exp(lr - Z * sl) <= ratio <= np.exp(lr + Z * sl)
        dlo, dhi = newcombe_interval(xg, n_g, xr, n_r, Z)
        hit["diff_newcombe"] += dlo <= diff <= dhi
        pg, pr = xg / n_g, xr / n_r
        se = np.sqrt(pg * (1 - pg) / n_g + pr * (1 - pr) / n_r)
        hit["diff_wald"] += (pg - pr) - Z * se <= diff <= (pg - pr) + Z * se
    done = reps - undefined
    out = {k: v / done for k, v in hit.items()}
    out["undefined"] = undefined / reps
    return out


def _draw(kind: str, n: int, shift: float, rng) -> np.ndarray:
    if kind == "normal":
        return rng.normal(shift, 1.0, n)
    if kind == "gamma":  # skewed: gamma(2) standardised, shifted
        return (rng.gamma(2.0, 1.0, n) - 2.0) / np.sqrt(2.0) + shift
    # scorecard-like points: a sum of 3 features with 4 bins each, unequal bin shares
    pts = np.array([0.0, 10.0, 25.0, 45.0])
    share = np.array([0.1, 0.3, 0.4, 0.2])
    out = np.zeros(n)
    for _ in range(3):
        out += rng.choice(pts, size=n, p=share)
    return (out - 75.0) / 23.0 + shift


def smd_coverage(kind: str, n_g: int, n_r: int, shift: float, reps: int, rng) -> float:
    """Coverage of the SMD interval; the true SMD from a million draws of each group."""
    big = 1_000_000
    a, b = _draw(kind, big, shift, rng), _draw(kind, big, 0.0, rng)
    true = (a.mean() - b.mean()) / np.sqrt((a.var() + b.var()) / 2)  # equal-weight pooled SD
    hit = 0
    for _ in range(reps):
        g, r = _draw(kind, n_g, shift, rng), _draw(kind, n_r, 0.0, rng)

        def mom(x):
            d = x - x.mean()
            return x.mean(), x.var(ddof=1), (d**3).mean(), (d**4).mean(), float(len(x))

        d, se = smd_and_se(mom(g), mom(r))
        # with unequal sizes the pooled SD weights the groups by size: its population value
        wg, wr = (n_g - 1) / (n_g + n_r - 2), (n_r - 1) / (n_g + n_r - 2)
        true_w = (a.mean() - b.mean()) / np.sqrt(wg * a.var() + wr * b.var())
        hit += d - Z * se <= true_w <= d + Z * se
    _ = true
    return hit / reps


def rate_cutoff_coverage(n: int, share_g: float, shift: float, rate: float, reps: int, rng):
    """AIR coverage when the cut-off is the score approving ``rate`` of the sample."""
    # population cut-off of the mixture of N(shift, 1) (share_g) and N(0, 1)
    f = lambda c: share_g * stats.norm.sf(c - shift) + (1 - share_g) * stats.norm.sf(c) - rate  # noqa: E731
    from scipy.optimize import brentq

    c = brentq(f, -10, 10)
    true = stats.norm.sf(c - shift) / stats.norm.sf(c)
    hit = 0
    for _ in range(reps):
        g = np.where(rng.uniform(size=n) < share_g, "g", "r")
        s = rng.normal(0.0, 1.0, n) + shift * (g == "g")
        t = approval_metrics(s, g, approval_rate=rate, reference="r").table.iloc[0]
        hit += t["air_ci_low"] <= true <= t["air_ci_high"]
    return hit / reps


def main(reps: int = 2000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for n_g, n_r in ((30, 120), (100, 400), (1000, 4000)):
        for p_r, ratio in ((0.6, 1.0), (0.6, 0.7), (0.1, 0.7), (0.9, 0.95)):
            res = air_coverage(n_g, n_r, ratio * p_r, p_r, reps, rng)
            rows.append({"design": f"binomial n={n_g}/{n_r} p_r={p_r} air={ratio}", **res})
    for kind in ("normal", "gamma", "points"):
        for n_g, n_r in ((30, 120), (200, 800)):
            cov = smd_coverage(kind, n_g, n_r, -0.3, reps, rng)
            rows.append({"design": f"smd {kind} n={n_g}/{n_r} d=-0.3", "smd": cov})
    for n in (300, 3000):
        cov = rate_cutoff_coverage(n, 0.3, -0.4, 0.5, max(reps // 4, 100), rng)
        rows.append(
            {"design": f"approval_rate=0.5, n={n}, 30% group, shift -0.4 SD", "air_score": cov}
        )
    return pd.DataFrame(rows).set_index("design")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reps", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    t0 = time.perf_counter()
    table = main(a.reps, a.seed)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(float_format=lambda v: f"{v:.3f}", na_rep=""))
    print(f"{a.reps} replications, {time.perf_counter() - t0:.0f} s")
