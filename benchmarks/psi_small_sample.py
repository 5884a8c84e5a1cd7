"""Size of the PSI drift test and the traffic light under no drift, at small current samples.

Both samples are drawn from one standard normal population (no drift): an expected sample of
5,000 rows, 10 quantile bins learned on it, and an actual sample of n rows. For each n the
script prints, over R replications, the rejection rate at 5% of the chi-square test (old, the
divergence's p-value) and of the p-value infodiv reports now (Monte-Carlo null below 1,000
effective rows, chi-square above), with its Monte-Carlo standard error, the share of
replications whose traffic light is not green, and the share whose result carries the
``traffic_light_note``. A last block shows the power (rejection rate) under a mean shift.

Run:  python benchmarks/psi_small_sample.py [R]   (default 2000; writes
benchmarks/results/psi_small_sample.txt)
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np

from infodiv import psi


def run(n: int, shift: float, reps: int, seed: int) -> tuple[float, float, float, float]:
    rng = np.random.default_rng(seed)
    old = new = nongreen = noted = 0
    for _ in range(reps):
        e = rng.normal(size=5000)
        a = rng.normal(shift, 1.0, size=n)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = psi(e, a, 10)
        old += r.divergence.pvalue < 0.05
        new += r.pvalue < 0.05
        nongreen += r.traffic_light != "green"
        noted += bool(r.traffic_light_note)
    return old / reps, new / reps, nongreen / reps, noted / reps


def main() -> None:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    lines = [
        f"PSI drift test at 5%, n_expected = 5000, 10 bins, {reps} replications per row",
        f"(MC SE of a 5% rate: {np.sqrt(0.05 * 0.95 / reps):.4f}; target 3.5-6.5%)",
        "",
        f"{'shift':>6} {'n_actual':>8} {'old chi2':>9} {'new':>7} {'non-green':>10} "
        f"{'note shown':>11} {'seconds':>8}",
    ]
    print("\n".join(lines), flush=True)
    for shift, ns in ((0.0, (100, 200, 500, 1000)), (0.2, (100, 200, 500)), (0.4, (100, 200))):
        for n in ns:
            t = time.perf_counter()
            o, w, g, nt = run(n, shift, reps if shift == 0 else reps // 4, 1000 + n)
            row = (
                f"{shift:>6.1f} {n:>8d} {o:>9.3f} {w:>7.3f} {g:>10.3f} {nt:>11.3f} "
                f"{time.perf_counter() - t:>8.1f}"
            )
            print(row, flush=True)
            lines.append(row)
    lines += [
        "",
        "shift > 0: power (rejection rate at 5%) with reps/4 replications; 'new' uses the",
        "Monte-Carlo null (B = 2000, seed 0) below 1000 effective rows, chi-square above.",
    ]
    out = Path(__file__).parent / "results" / "psi_small_sample.txt"
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
