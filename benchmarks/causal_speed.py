"""Wall-clock time of the causal bounds: all five divergences with CIs at n = 2,000, d = 5.

    python benchmarks/causal_speed.py [--n 2000] [--d 5] [--repeat 3]

Reports the best of ``repeat`` runs of

* ``DivergenceBounds("all").fit``: cross-fitted nuisances (5 folds: logistic propensity,
  nearest-neighbour laws for both arms), the per-x duals of the five divergences for both arms
  and both sides (20 vectorised solves of n rows), the orthogonal scores, SEs and intervals,
  the intersection, and the full-data models for ``predict_bounds``;
* the dual solves alone per divergence (4 x n rows each), on the fitted nuisances;
* ``MSMBounds`` and a 15-point f-sensitivity curve on the same nuisances.

The machine and its load matter: the figures in docs/causal.md name the command and machine.
"""

import argparse
import os
import time
import warnings

import numpy as np

from infodiv.causal import CAUSAL_DIVERGENCES, DivergenceBounds, MSMBounds
from infodiv.causal._bounds import _f_scores


def data(n, d, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    e = 1 / (1 + np.exp(-(0.6 * X[:, 0] - 0.4 * X[:, 1] + 0.2 * X[:, 2])))
    A = rng.binomial(1, e)
    Y = np.clip(0.5 + 0.1 * X[:, 0] - 0.05 * X[:, 3] + 0.1 * A + 0.15 * rng.normal(size=n), 0, 1)
    return X, A, Y


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--d", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    X, A, Y = data(a.n, a.d)
    print(
        f"n = {a.n}, d = {a.d}, cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}"
    )
    warnings.simplefilter("ignore", UserWarning)
    t, est = best(
        lambda: DivergenceBounds("all", support=(0, 1), random_state=0).fit(X, A, Y), a.repeat
    )
    print(f"DivergenceBounds('all').fit with CIs (5 divergences + intersection): {t:.2f} s")
    for name in CAUSAL_DIVERGENCES:

        def solve(name=name):
            for arm in (0, 1):
                for side in ("lower", "upper"):
                    _f_scores(est.data_, est.nuisances_, arm, name, "propensity", side)

        ts, _ = best(solve, a.repeat)
        print(f"  dual + scores, {name:9s} (4 x {a.n} rows): {ts:.3f} s")
    msm = MSMBounds(Lambda=2.0, support=(0, 1))
    msm._adopt(est.data_, est.nuisances_)
    tm, _ = best(lambda: msm._fit_one(2.0), a.repeat)
    print(f"  MSM bounds on the same nuisances: {tm:.3f} s")
    one = DivergenceBounds("kl", support=(0, 1), random_state=0).fit(X, A, Y)
    tc, _ = best(lambda: one.sensitivity(np.concatenate([[0], np.geomspace(1e-3, 3, 14)])), 1)
    print(f"  15-point KL sensitivity curve (warm-started): {tc:.2f} s")
    print(est.table()[["lower", "upper", "ci_low", "ci_high", "divergence"]].round(4).to_string())


if __name__ == "__main__":
    main()
