"""Issue 15 item 5: the PSI drift test at small current samples (Monte-Carlo null below 1,000
effective rows). Wraps ``benchmarks/psi_small_sample.py``: both samples from one standard normal
population, 5,000 expected rows, 10 quantile bins, n actual rows."""

from __future__ import annotations

import numpy as np
from psi_small_sample import run


def rows(reps: int, seed: int) -> list[dict]:
    out: list[dict] = []
    reps = min(reps, 600)
    for shift, ns in ((0.0, (100, 200, 500, 1000)), (0.2, (100, 200)), (0.4, (100, 200))):
        for n in ns:
            r = reps if shift == 0 else max(reps // 4, 100)
            old, new, nongreen, noted = run(n, shift, r, seed + n + int(100 * shift))
            design = f"PSI 10 bins n_expected=5000 n_actual={n}"
            kind = "size" if shift == 0 else "power"
            method = "mc-null" if n < 1000 else "chi2"
            out.append(
                dict(
                    item="5 PSI small samples",
                    design=design + f" shift={shift}",
                    quantity="drift test at 5%",
                    type=kind,
                    rate=new,
                    reps=r,
                    se_ratio=np.nan,
                    method=method,
                    flag="",
                )
            )
            if shift == 0:
                out.append(
                    dict(
                        item="5 PSI small samples",
                        design=design + " shift=0.0",
                        quantity="drift test at 5% (before: chi2)",
                        type="reference",
                        rate=old,
                        reps=r,
                        se_ratio=np.nan,
                        method="chi2 (old)",
                        flag="",
                    )
                )
    return out
