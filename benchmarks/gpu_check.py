"""StumpBinner on CUDA vs CPU: times, the device xgboost reports, and whether the edges agree.

Self-contained: needs numpy, pandas, scipy, scikit-learn and xgboost (a CUDA build), with
infodiv on PYTHONPATH. Only ``infodiv.binning._stump`` and the core modules it uses are
imported (not the package's ``__init__``, which may pull optional dependencies).

    PYTHONPATH=/path/to/infodiv python benchmarks/gpu_check.py [--rows 2000000] [--cols 20]

Fits the joint stump model (one xgboost fit on all columns: the strategy whose cost a GPU
cuts) with ``device="cuda", strict_device=True`` and ``device="cpu"`` on a synthetic table,
then the default per-feature strategy on the CPU for reference. Prints each wall time (best of
``--repeats``; the first CUDA fit, which includes context creation, is reported separately), the
device xgboost reported (``device_``), and per column whether the CUDA and CPU edges are the
same and the share of rows that land in the same bin. Exit status 1 if CUDA was not used.
Expected run time: well under 3 minutes on one GPU.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
import types
from pathlib import Path


def _import_binner():
    """Import infodiv.binning._stump without running infodiv/__init__.py."""
    spec = importlib.util.find_spec("infodiv")
    if spec is None:
        here = Path(__file__).resolve().parents[1]
        sys.path.insert(0, str(here))
        spec = importlib.util.find_spec("infodiv")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("infodiv not found: put the repository root on PYTHONPATH")
    pkg = types.ModuleType("infodiv")
    pkg.__path__ = list(spec.submodule_search_locations)
    sys.modules["infodiv"] = pkg
    from infodiv.binning import StumpBinner

    return StumpBinner


def synthetic(n: int, p: int, seed: int = 0):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)).astype(np.float64)
    X[:, ::4] = np.exp(X[:, ::4])  # skewed columns
    X[:, 1::4] = np.round(X[:, 1::4] * 2)  # discrete columns
    X[rng.random((n, p)) < 0.01] = np.nan
    beta = np.linspace(-1, 1, p)
    eta = np.nan_to_num(np.tanh(X)) @ beta / np.sqrt(p) * 3 - 1
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(np.int64)
    return pd.DataFrame(X, columns=[f"x{j:02d}" for j in range(p)]), y


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--cols", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument(
        "--allow-cpu",
        action="store_true",
        help="dry run on a machine without a GPU (cuda falls back with a warning)",
    )
    args = ap.parse_args()
    strict = not args.allow_cpu

    import numpy as np
    import xgboost as xgb

    StumpBinner = _import_binner()
    print(f"xgboost {xgb.__version__}, built with CUDA: {xgb.build_info().get('USE_CUDA')}")
    t0 = time.perf_counter()
    X, y = synthetic(args.rows, args.cols)
    print(
        f"data: {X.shape[0]:,} x {X.shape[1]} (made in {time.perf_counter() - t0:.1f} s), "
        f"event rate {y.mean():.3f}"
    )

    def fit(**kw):
        times, b = [], None
        for _ in range(args.repeats):
            t = time.perf_counter()
            b = StumpBinner(n_estimators=args.rounds, n_jobs=-1, random_state=0, **kw).fit(X, y)
            times.append(time.perf_counter() - t)
        return b, times

    t = time.perf_counter()
    gpu_first = StumpBinner(
        n_estimators=args.rounds,
        n_jobs=-1,
        random_state=0,
        strategy="joint",
        device="cuda",
        strict_device=strict,
    )
    try:
        gpu_first.fit(X, y)
    except RuntimeError as err:
        print(f"CUDA NOT USED: {err}")
        return 1
    first = time.perf_counter() - t
    gpu, gpu_times = fit(strategy="joint", device="cuda", strict_device=strict)
    cpu, cpu_times = fit(strategy="joint", device="cpu")
    pf, pf_times = fit(strategy="per_feature", device="cpu")

    print(f"device reported by xgboost: cuda run -> {gpu.device_!r}, cpu run -> {cpu.device_!r}")
    print(
        f"joint, device='cuda': first fit {first:.2f} s, then {min(gpu_times):.2f} s "
        f"(all {[round(v, 2) for v in gpu_times]})"
    )
    print(f"joint, device='cpu' : {min(cpu_times):.2f} s (all {[round(v, 2) for v in cpu_times]})")
    print(f"per_feature, cpu    : {min(pf_times):.2f} s (all {[round(v, 2) for v in pf_times]})")
    print(f"speed-up of cuda over cpu (joint): {min(cpu_times) / min(gpu_times):.2f}x")

    same_edges = 0
    worst = 1.0
    for f in gpu.features_:
        eg, ec = gpu.bins_[f].edges, cpu.bins_[f].edges
        same = len(eg) == len(ec) and np.allclose(eg, ec, rtol=1e-6, atol=0)
        agree = float(np.mean(gpu.bins_[f].codes(X[f]) == cpu.bins_[f].codes(X[f])))
        same_edges += same
        worst = min(worst, agree)
        if not same:
            print(
                f"  {f}: cuda edges {np.round(eg, 4).tolist()} vs cpu {np.round(ec, 4).tolist()}"
                f"; rows in the same bin {agree:.4%}"
            )
    print(
        f"edges identical on {same_edges}/{len(gpu.features_)} columns; lowest share of rows "
        f"in the same bin: {worst:.4%}"
    )
    return 0 if gpu.device_.startswith("cuda") else 1


if __name__ == "__main__":
    raise SystemExit(main())
