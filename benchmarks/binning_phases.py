"""Where the time of ``StumpBinner`` + WoE goes, and what the fast bin codes buy.

* ``right_codes`` against ``numpy.searchsorted`` on 800,000 log-normal values, at 19 and 67
  edges (best of 7);
* fit, transform of the training rows and of the holdout rows of ``WoEEncoder(StumpBinner())``
  on Taiwan and on the synthetic 1M x 50 table of ``binning_vs_optbinning.py`` (best of
  ``--repeats`` runs), and inside the fit the time of column preparation
  (``_prepare_column``), fine cells (``_compress``) and the cell-table part (``_fit_cells``:
  boosting, merges);
* ``StumpBinner().fit`` on the 1M table with ``n_jobs=None`` and ``n_jobs=2``, interleaved.

    MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=1099511627776 PYTHONPATH=. nice \
        python benchmarks/binning_phases.py --out benchmarks/results/binning_phases.txt

(the allocation settings of ``binning_vs_optbinning.MALLOC_ENV``: freed memory stays in the
process, see there).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import warnings
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))


def best(f, repeats: int) -> float:
    out = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        out = min(out, time.perf_counter() - t0)
    return out


def codes_part() -> None:
    from infodiv.core import right_codes

    v = np.random.default_rng(0).lognormal(8, 1, 800_000)
    for m in (19, 67):
        e = np.quantile(v, np.linspace(0, 1, m + 2)[1:-1])
        a = best(lambda e=e: right_codes(e, v), 7)
        b = best(lambda e=e: np.searchsorted(e, v, side="right"), 7)
        print(
            f"800,000 values, {m} edges: right_codes {a * 1e3:.1f} ms, "
            f"searchsorted {b * 1e3:.1f} ms ({b / a:.1f}x)"
        )


def phases_part(data: str, repeats: int) -> None:
    from binning_vs_optbinning import load

    import infodiv.binning._stump as st
    from infodiv.binning import StumpBinner
    from infodiv.credit import WoEEncoder

    spent: dict[str, float] = {}

    def timed(name, f):
        def g(*a, **k):
            t0 = time.perf_counter()
            try:
                return f(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0

        return g

    orig = (st._prepare_column, st._compress, st.StumpBinner._fit_cells)
    st._prepare_column = timed("prepare columns", orig[0])
    st._compress = timed("fine cells", orig[1])
    st.StumpBinner._fit_cells = timed("cell table (boost, merge)", orig[2])
    try:
        Xtr, Xte, ytr, _ = load(data)
        runs = []
        for _ in range(repeats):
            spent.clear()
            t0 = time.perf_counter()
            enc = WoEEncoder(binner=StumpBinner(random_state=0)).fit(Xtr, ytr)
            t1 = time.perf_counter()
            enc.transform(Xtr)
            t2 = time.perf_counter()
            enc.transform(Xte)
            t3 = time.perf_counter()
            runs.append(
                {
                    "fit": t1 - t0,
                    **spent,
                    "transform train": t2 - t1,
                    "transform holdout": t3 - t2,
                    "total": t3 - t0,
                }
            )
    finally:
        st._prepare_column, st._compress, st.StumpBinner._fit_cells = orig
    r = min(runs, key=lambda d: d["total"])
    print(
        f"{data}: best of {repeats} runs (ms): "
        + ", ".join(f"{k} {v * 1e3:.0f}" for k, v in r.items())
    )


def threads_part(repeats: int) -> None:
    from binning_vs_optbinning import load

    from infodiv.binning import StumpBinner

    Xtr, _, ytr, _ = load("synthetic_1m")
    t = {None: [], 2: []}
    for _ in range(repeats):
        for nj in (None, 2):
            t0 = time.perf_counter()
            StumpBinner(random_state=0, n_jobs=nj).fit(Xtr, ytr)
            t[nj].append(time.perf_counter() - t0)
    print(
        f"synthetic_1m StumpBinner().fit: n_jobs=None best {min(t[None]):.2f} s, "
        f"n_jobs=2 best {min(t[2]):.2f} s (interleaved, {repeats} each)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    load0 = os.getloadavg()
    buf = io.StringIO()
    with redirect_stdout(buf):
        codes_part()
        phases_part("taiwan", max(args.repeats, 8))
        phases_part("synthetic_1m", args.repeats)
        threads_part(args.repeats)
    text = buf.getvalue()
    print(text, end="")
    if args.out:
        from binning_vs_optbinning import write_results

        write_results(args.out, text, load0)


if __name__ == "__main__":
    main()
