"""Coverage of the KS interval of ``infodiv.credit.ks_test`` (basic bootstrap) and of the
percentile bootstrap interval, on binormal scores.

Defaults are 20% of the rows; non-defaults score N(0, 1), defaults N(delta, 1), so the
population KS is ``2 Phi(delta / 2) - 1``. Each design: R samples, the share of 95% intervals
(500 stratified resamples) that hold the population KS.

Run:  python benchmarks/validation_ks_coverage.py [R]   (default 300; writes
benchmarks/results/validation_ks_coverage.txt)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from infodiv.credit import ks_test

DESIGNS = [(0.2, 1000), (0.5, 500), (1.0, 1000), (1.5, 300)]


def coverage(reps: int, seed: int = 1) -> pd.DataFrame:
    """Coverage of the basic and the percentile 95% intervals per design."""
    rows = []
    for delta, n in DESIGNS:
        true = 2 * stats.norm.cdf(delta / 2) - 1
        rng = np.random.default_rng([seed, int(delta * 10), n])
        basic = pct = 0
        for r in range(reps):
            y = (rng.random(n) < 0.2).astype(int)
            s = rng.normal(size=n) + delta * y
            k = ks_test(y, s, random_state=r)
            lo, hi = k.conf_int()
            basic += lo <= true <= hi
            q_lo, q_hi = np.quantile(k.boot, [0.025, 0.975])
            pct += q_lo <= true <= q_hi
        rows.append(
            {
                "delta": delta,
                "n": n,
                "true_ks": round(float(true), 4),
                "reps": reps,
                "basic (ks_test)": basic / reps,
                "percentile": pct / reps,
            }
        )
    return pd.DataFrame(rows)


def main() -> None:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    t0 = time.time()
    table = coverage(reps)
    text = (
        "Coverage of 95% KS intervals (binormal scores, 20% defaults)\n"
        f"command: python benchmarks/validation_ks_coverage.py {reps}   "
        f"({time.time() - t0:.0f} s, shared machine)\n\n" + table.to_string(index=False) + "\n"
    )
    print(text)
    (Path(__file__).resolve().parent / "results" / "validation_ks_coverage.txt").write_text(text)


if __name__ == "__main__":
    main()
