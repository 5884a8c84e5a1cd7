"""Coverage of the c1 intervals of PNCriterion: delta method vs bootstrap (issue 15, item 6).

Run from the repository root::

    PYTHONPATH=$PWD python benchmarks/pn_coverage.py [--seconds 60] [--B 500]

For each setting the data are drawn from a known law, PNCriterion is fitted once with the
bootstrap (``n_bootstrap = B``), and the three 95% intervals of c1 (delta, studentised, BCa; the
last two from the same replicates) are checked against the TRUE c1, computed in closed form from
the population cumulants (as in benchmarks/sample_size_mc.py):

* normal model on Gamma(3) data: ``risk_coefficients`` of the normal projection N(3, 3) with the
  gamma's covariance and third cumulant of T = (X, X^2);
* Poisson model on negative-binomial data (mean 10, size 4): ``c1 = Var X / (2 E X) = 1.75``.

Also the mean of the plug-in c2 and of the bias-reduced c2_bc against the true c2. Replications
are as many as fit in ``--seconds`` per setting; the Monte-Carlo SE of a coverage is
``sqrt(cov (1 - cov) / reps)``. Writes benchmarks/results/pn_coverage.txt.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import time
from pathlib import Path

import numpy as np

from infodiv.sample_size import PNCriterion, risk_coefficients
from tests.reference.cumulants import cumulants_from_raw, gamma_raw, normal_raw


def truths() -> dict[str, tuple[float, float]]:
    k = 3.0
    S_, k3, _ = cumulants_from_raw(gamma_raw(k), [1, 2])
    info, K3, K4 = cumulants_from_raw(normal_raw(k, k), [1, 2])
    g = risk_coefficients(info, K3, K4, S_, k3)
    mu, r = 10.0, 4.0
    a = mu / r
    nb = risk_coefficients(
        [[mu]], [[[mu]]], [[[[mu]]]], [[mu * (1 + a)]], [[[mu * (1 + a) * (1 + 2 * a)]]]
    )
    return {"normal|gamma(3)": (float(g[0]), float(g[1])), "poisson|NB(10,4)": nb}


def draw(name: str, rng: np.random.Generator, n: int) -> np.ndarray:
    if name.startswith("normal"):
        return rng.gamma(3.0, 1.0, n)
    return rng.negative_binomial(4.0, 4.0 / 14.0, n).astype(float)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--B", type=int, default=500)
    ap.add_argument("--seed", type=int, default=20261203)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    truth = truths()
    settings = [("normal|gamma(3)", n) for n in (50, 200, 1000)]
    settings += [("poisson|NB(10,4)", n) for n in (50, 200)]
    lines = [
        "Coverage of nominal 95% two-sided intervals for c1 (true c1 in closed form); "
        f"bootstrap B = {args.B}; {args.seconds:g} s per setting",
        f"{'setting':<18}{'n':>6}{'reps':>6}  {'delta':>7}{'stud.':>7}{'BCa':>7}  {'MC se':>6}"
        f"   {'c1':>6}  {'c2 true':>8}{'mean c2':>9}{'mean c2_bc':>11}",
    ]
    for name, n in settings:
        c1_true, c2_true = truth[name]
        hits = {"delta": 0, "studentized": 0, "bca": 0}
        c2s, c2bc = [], []
        reps, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < args.seconds or reps < 20:
            x = draw(name, rng, n)
            pn = PNCriterion(
                family=name.split("|")[0],
                n_bootstrap=args.B,
                random_state=int(rng.integers(2**31)),
            ).fit(x)
            for m in hits:
                ci = dataclasses.replace(pn.result_, ci_method=m).conf_int()
                hits[m] += bool(ci.low["c1"] <= c1_true <= ci.high["c1"])
            c2s.append(pn.c2_)
            c2bc.append(pn.c2_bc_)
            reps += 1
        cov = {m: h / reps for m, h in hits.items()}
        se = math.sqrt(0.95 * 0.05 / reps)
        lines.append(
            f"{name:<18}{n:>6}{reps:>6}  {cov['delta']:7.3f}{cov['studentized']:7.3f}"
            f"{cov['bca']:7.3f}  {se:6.3f}   {c1_true:6.3f}  {c2_true:8.3f}"
            f"{np.nanmean(c2s):9.3f}{np.nanmean(c2bc):11.3f}"
        )
        print(lines[-1], flush=True)
    out = Path(__file__).parent / "results" / "pn_coverage.txt"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
