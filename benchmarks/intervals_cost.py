"""What issue 15's better intervals cost: fitting ``WoEEncoder`` on Taiwan, and the demo report.

Times, in this checkout, (1) ``WoEEncoder().fit(X, y)`` on the bundled Taiwan credit data
(30,000 rows, 23 features; best of ``--repeat``), and (2) ``infodiv report --demo`` (one run,
wall clock, as a subprocess). To compare with the code before the change, run it in a checkout
of the earlier commit in the same session (``git worktree add /tmp/before <rev>``; then
``PYTHONPATH=/tmp/before python /tmp/before/benchmarks/intervals_cost.py`` — copy this script
there if it does not exist yet) and divide. Issue 15's limit: both at most 30% slower.

Run:  python benchmarks/intervals_cost.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import warnings

import infodiv
from infodiv.credit import WoEEncoder
from infodiv.datasets import load_taiwan_credit


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    df = load_taiwan_credit()
    y = df.pop("default")
    fits = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            WoEEncoder().fit(df, y)
        fits.append(time.perf_counter() - t0)
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "infodiv", "report", "--demo", "--out", out],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(infodiv.__file__))},
        )
        report = time.perf_counter() - t0
    print(f"infodiv at {os.path.dirname(infodiv.__file__)}")
    print(f"WoEEncoder.fit on Taiwan: best of {args.repeat} {min(fits):.3f} s")
    print(f"infodiv report --demo: {report:.1f} s")


if __name__ == "__main__":
    main()
