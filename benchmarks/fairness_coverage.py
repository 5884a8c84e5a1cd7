"""Benchmark (not a test): coverage of the fairness bounds and size of the per-group IV test.

1. ``protected_divergence``'s one-sided 95% upper bound on the fairness IV (Jeffreys between two
   groups) and the demographic-parity bound ``1/2 sqrt(upper bound)``: how often they cover the
   population J and the population total variation, over replicate features simulated with known
   group distributions (K = 5 bins), for several group sizes and divergence sizes.
2. The per-group predictive IV gap test (bias-corrected IVs, independent groups): its rejection
   rate at 5% when the feature predicts equally well in both groups (nominal 5%), and its power
   when it does not.

Each replicate is one column of a frame (the groups are shared, the columns independent given
the groups), so one call measures many replicates.

Run:  PYTHONPATH=. python benchmarks/fairness_coverage.py [--reps 1000]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

from infodiv.fairness import protected_divergence


def _draw(rng, groups, probs, K):
    x = np.empty(groups.size, dtype=int)
    for g, p in probs.items():
        m = groups == g
        x[m] = rng.choice(K, size=int(m.sum()), p=p)
    return x


def coverage(reps: int, rng: np.random.Generator) -> pd.DataFrame:
    base = np.array([0.2, 0.2, 0.2, 0.2, 0.2])
    tilt = np.array([1.0, 0.5, 0.0, -0.5, -1.0])
    rows = []
    for n_a, n_b in ((300, 700), (2000, 5000)):
        for shift in (0.0, 0.02, 0.05, 0.12):
            pa = base + shift * tilt / 2
            pb = base - shift * tilt / 2
            J = float(np.sum((pa - pb) * np.log(pa / pb)))
            TV = 0.5 * float(np.abs(pa - pb).sum())
            g = np.r_[np.full(n_a, "a"), np.full(n_b, "b")]
            X = pd.DataFrame({f"r{r}": _draw(rng, g, {"a": pa, "b": pb}, 5) for r in range(reps)})
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                t = protected_divergence(X, g, bins=None).fairness.loc["a vs b"]
            rows.append(
                {
                    "n_a": n_a,
                    "n_b": n_b,
                    "J": J,
                    "TV": TV,
                    "mean estimate": t["fairness_iv"].mean(),
                    "mean upper bound": t["upper_bound"].mean(),
                    "cover J (upper bound)": (t["upper_bound"] >= J).mean(),
                    "cover TV (dp_bound)": (t["dp_bound"] >= TV).mean(),
                    "cover J (two-sided CI)": ((t["ci_low"] <= J) & (J <= t["ci_high"])).mean(),
                    "mean dp_bound": t["dp_bound"].mean(),
                }
            )
    return pd.DataFrame(rows)


def gap_test(reps: int, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    n = 4000
    g = rng.choice(["a", "b"], size=n, p=[0.35, 0.65])
    y = rng.integers(0, 2, n)
    p1, p0 = np.array([0.2, 0.3, 0.5]), np.array([0.4, 0.35, 0.25])
    weak1 = np.array([0.3, 0.33, 0.37])
    for label, law_b1 in (("equal IV in both groups", p1), ("weaker in group b", weak1)):
        cols = {}
        for r in range(reps):
            xa = np.where(y == 1, rng.choice(3, n, p=p1), rng.choice(3, n, p=p0))
            xb = np.where(y == 1, rng.choice(3, n, p=law_b1), rng.choice(3, n, p=p0))
            cols[f"r{r}"] = np.where(g == "a", xa, xb)
        res = protected_divergence(pd.DataFrame(cols), g, y, bins=None)
        gap = res.predictive_gap.loc["a vs b"]
        rows.append(
            {
                "setting": label,
                "n": n,
                "rejection rate at 5%": (gap["pvalue"] < 0.05).mean(),
                "mean difference": gap["difference"].mean(),
                "SD of difference": gap["difference"].std(ddof=1),
                "mean SE": gap["se"].mean(),
            }
        )
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    t0 = time.perf_counter()
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(f"1. one-sided 95% upper bound and DP bound, {args.reps} replicates per row")
        print(coverage(args.reps, rng).to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        print(f"\n2. per-group predictive IV gap test, {args.reps} replicates per row")
        print(gap_test(args.reps, rng).to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"\n({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
