"""StumpBinner + WoE vs optbinning's BinningProcess: time, peak memory, holdout AUC.

Both are fitted in the same run on the same split, each in a fresh subprocess (so the peak
resident memory of one does not hide the other's). infodiv runs with its defaults
(``StumpBinner()``: per-feature stumps boosted on the fine cells, ``monotone_trend="auto"``,
at most 20 bins of at least 3%, ``n_cells="auto"`` = 67 candidate cells), with
``booster="xgboost"`` and with the joint model; optbinning with its defaults.

* fit + WoE transform of the training rows + WoE transform of the holdout rows, wall time
  (best of ``--repeats`` runs on Taiwan and of ``--large-repeats`` on the large table);
* the ``Pipeline`` path: what ``Pipeline([encoder, LogisticRegression()]).fit`` then
  ``predict_proba(holdout)`` run, i.e. ``fit_transform`` of the training rows (cross-fitted
  for ``WoEEncoder``: each row encoded by bins and WoE learned on the other 5 folds; plain
  fit + transform for ``BinningProcess``) and ``transform`` of the holdout; the logistic
  regression is then fitted on those training encodings;
* ``speedup_vs_optbinning``: optbinning's fit + transform time over the row's time (the
  issue-16 targets: >= 15x on Taiwan and >= 30x on 1M x 50 for the per-feature default,
  >= 5x on both for the cross-fitted Pipeline path);
* ``first_run_s``: the first run's time (every method runs with :data:`MALLOC_ENV`; pass
  ``--cold-memory`` for glibc's defaults);
* ``peak_mb``: the process's peak RSS during the first run minus its RSS just before it;
  ``fit_peak_vs_frame``: for the default, the training frame's size plus ``tracemalloc``'s
  peak during ``StumpBinner().fit`` (what the fit allocates above the frame), over the frame's
  size (the issue-16 target: <= 1.5);
* holdout AUC (DeLong 95% CI) of an unpenalised-ish logistic regression (C=1) on each WoE,
  and DeLong's paired test of the difference.

Data: Taiwan credit (30,000 x 23, 70/30 split) and a synthetic 1,000,000 x 50 table (80/20).

    PYTHONPATH=. nice python benchmarks/binning_vs_optbinning.py --repeats 5 [--skip-large]
        [--large-repeats 3] [--out benchmarks/results/binning_vs_optbinning.txt]

The timings are wall times on a shared machine: compare the ratios measured in the same run.
The AUCs are deterministic (fixed seeds and splits).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd

METHODS = {
    "infodiv StumpBinner (per_feature)": "stump_per_feature",
    "infodiv StumpBinner (max_bins=20)": "stump_20",
    "infodiv StumpBinner (max_bins='pn')": "stump_pn",
    "infodiv StumpBinner (n_cells=256, the former default)": "stump_256",
    "infodiv StumpBinner (joint)": "stump_joint",
    "infodiv StumpBinner (booster='xgboost')": "stump_xgb",
    "infodiv Pipeline path (cross-fitted fit_transform)": "stump_pipeline",
    "optbinning BinningProcess": "optbinning",
    "optbinning Pipeline path (fit_transform)": "optbinning_pipeline",
}
#: glibc settings of every worker (all methods alike, unless ``--cold-memory``): freed memory
#: stays in the process (no ``mmap`` per large array, no trimming), so a repeat reuses the pages
#: of the previous run's outputs. On this project's virtual machine memory handed back to the
#: system is returned to the host within seconds, and touching fresh memory again costs about
#: 5 ms per MB (1-2 s for the 400 MB of WoE of the 1M table, by chance of timing), which
#: would swamp the difference between runs; ``first_run_s`` shows each method's first, cold run.
MALLOC_ENV = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(2**40)}
#: the rows whose ratio to optbinning's fit + transform the issue-16 targets name
TARGETS = {"stump_per_feature": (15.0, 30.0), "stump_pipeline": (5.0, 5.0)}


def synthetic(n: int = 1_000_000, p: int = 50, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Numeric credit-like table: skewed, integer, bounded and noise columns, 2% missing in a
    fifth of them; the log-odds are a sum of monotone and U-shaped effects of 20 columns."""
    rng = np.random.default_rng(seed)
    cols = {}
    eta = np.full(n, -1.5)
    for j in range(p):
        kind = j % 5
        if kind == 0:
            x = rng.lognormal(8, 1, n)
        elif kind == 1:
            x = rng.poisson(2, n).astype(float)
        elif kind == 2:
            x = rng.random(n)
        elif kind == 3:
            x = rng.normal(size=n)
        else:
            x = rng.gamma(2, 1000, n)
        if j < 20:
            r = (
                (np.argsort(np.argsort(x)) / n) - 0.5
                if kind in (0, 4)
                else (x - x.mean()) / x.std()
            )
            eta += (0.6 if j % 2 else -0.6) * r if j % 3 else 0.8 * (r**2 - 0.25)
        if j % 5 == 0:
            x[rng.random(n) < 0.02] = np.nan
        cols[f"x{j:02d}"] = x
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    return pd.DataFrame(cols), y


def load(name: str):
    from sklearn.model_selection import train_test_split

    if name == "taiwan":
        from infodiv.datasets import load_taiwan_credit

        df = load_taiwan_credit()
        y = df.pop("default").to_numpy()
        return train_test_split(df, y, test_size=0.3, random_state=0, stratify=y)

    X, y = synthetic(int(os.environ.get("BINBENCH_LARGE_ROWS", 1_000_000)))
    return train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def worker(method: str, data: str, repeats: int) -> None:
    """Runs in a subprocess: prints one JSON line with time, memory and holdout scores."""
    warnings.simplefilter("ignore")
    Xtr, Xte, ytr, yte = load(data)
    if method.startswith("optbinning"):
        from optbinning import BinningProcess

        cats = [c for c in Xtr.columns if isinstance(Xtr[c].dtype, pd.CategoricalDtype)]
        Xtr = Xtr.astype({c: str for c in cats})  # optbinning wants categories as text
        Xte = Xte.astype({c: str for c in cats})

        def run():
            bp = BinningProcess(list(Xtr.columns), categorical_variables=cats)
            if method == "optbinning_pipeline":
                return bp.fit_transform(Xtr, ytr, metric="woe"), bp.transform(Xte, metric="woe")
            bp.fit(Xtr, ytr)
            return bp.transform(Xtr, metric="woe"), bp.transform(Xte, metric="woe")
    elif method == "stump_pipeline":
        from infodiv.binning import StumpBinner
        from infodiv.credit import WoEEncoder

        def run():
            enc = WoEEncoder(binner=StumpBinner(random_state=0), random_state=0)
            return enc.fit_transform(Xtr, ytr), enc.transform(Xte)
    else:
        from infodiv.binning import StumpBinner
        from infodiv.credit import WoEEncoder

        kw = {"strategy": "joint"} if method == "stump_joint" else {}
        if method == "stump_20":  # optbinning's default budget: up to 20 bins of >= 5%
            kw["max_bins"] = 20
        if method == "stump_pn":  # the sample-size (p-n) criterion caps the number of bins
            kw["max_bins"] = "pn"
        if method == "stump_256":  # xgboost's usual histogram instead of n_cells="auto"
            kw["n_cells"] = 256
        if method == "stump_xgb":  # one xgboost booster per feature instead of the cell booster
            kw["booster"] = "xgboost"

        def run():
            enc = WoEEncoder(binner=StumpBinner(random_state=0, **kw))
            enc.fit(Xtr, ytr)
            return enc.transform(Xtr), enc.transform(Xte)

    rss0 = _rss_mb()
    peak0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times = []
    peak = peak0
    import gc

    for i in range(repeats):
        gc.collect()
        gc.disable()  # as timeit does: no collection pauses inside a timed run (all methods)
        t0 = time.perf_counter()
        ztr, zte = run()
        times.append(time.perf_counter() - t0)
        gc.enable()
        if i == 0:  # the first run's peak: later runs overlap the previous run's outputs
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    traced = {}
    if method == "stump_per_feature":  # Python-allocated peak of the fit alone (untimed run)
        import tracemalloc

        from infodiv.binning import StumpBinner

        del ztr, zte
        tracemalloc.start()
        StumpBinner(random_state=0).fit(Xtr, ytr)
        traced = {
            "fit_traced_mb": tracemalloc.get_traced_memory()[1] / 2**20,
            "frame_mb": float(Xtr.memory_usage(deep=True).sum()) / 2**20,
        }
        tracemalloc.stop()
        ztr, zte = run()
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1.0, max_iter=5000).fit(np.asarray(ztr), ytr)
    p = lr.predict_proba(np.asarray(zte))[:, 1]
    np.save(f"/tmp/_binbench_{method}_{data}.npy", p)
    print(
        json.dumps(
            {
                "seconds": min(times),
                "all_seconds": times,
                "peak_mb": max(peak, peak0) - rss0,
                "n_test": len(yte),
                **traced,
            }
        )
    )


def write_results(path: str, text: str, load0: tuple[float, float, float]) -> None:
    """Write ``text`` to ``path`` under a header: the command, date, cores, load and versions."""
    import platform

    import optbinning
    import xgboost

    header = (
        f"# {' '.join(['python', *sys.argv])}\n"
        f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        f"load average (1/5/15 min) before / after: "
        f"{' '.join(f'{v:.2f}' for v in load0)} / "
        f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}\n"
        f"# python {platform.python_version()}, xgboost {xgboost.__version__}, "
        f"optbinning {optbinning.__version__}\n"
    )
    with open(path, "w") as fh:
        fh.write(header + text + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", nargs=2, metavar=("METHOD", "DATA"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument(
        "--large-repeats",
        type=int,
        default=3,
        help="runs per method on the large table (best of them; the first run in a fresh "
        "process also pays for the first touch of its memory, which varies by seconds)",
    )
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument(
        "--large-rows", type=int, default=1_000_000, help="rows of the synthetic table (x 50)"
    )
    ap.add_argument("--methods", nargs="+", default=list(METHODS.values()))
    ap.add_argument(
        "--cold-memory",
        dest="keep_memory",
        action="store_false",
        help="run the workers with glibc's default allocation (freed blocks of the outputs "
        "go back to the system between runs) instead of MALLOC_ENV",
    )
    ap.add_argument("--out", help="also write the table, the command and the load to this file")
    args = ap.parse_args()
    if args.worker:
        worker(*args.worker, args.repeats)
        return

    from infodiv.credit import auc, auc_difference

    load0 = os.getloadavg()
    os.environ["BINBENCH_LARGE_ROWS"] = str(args.large_rows)

    large = "synthetic_1m" if args.large_rows == 1_000_000 else f"synthetic_{args.large_rows}"
    datasets = ["taiwan"] + ([] if args.skip_large else [large])
    rows = []
    for data in datasets:
        _, _, _, yte = load(data) if data == "taiwan" else (None, None, None, None)
        if yte is None:
            _, _, _, yte = load(data)
        res = {}
        for label, method in METHODS.items():
            if method not in args.methods:
                continue
            reps = args.repeats if data == "taiwan" else args.large_repeats
            out = subprocess.run(
                [sys.executable, __file__, "--worker", method, data, "--repeats", str(reps)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, **(MALLOC_ENV if args.keep_memory else {})},
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            r["p"] = np.load(f"/tmp/_binbench_{method}_{data}.npy")
            res[label] = r
        ref = res.get("optbinning BinningProcess")
        for label, r in res.items():
            a = auc(yte, r["p"])
            lo, hi = a.conf_int()
            row = {
                "data": data,
                "method": label,
                "seconds": r["seconds"],
                "first_run_s": r["all_seconds"][0],
                "peak_mb": r["peak_mb"],
                # (frame + tracemalloc's peak during StumpBinner().fit) / frame
                "fit_peak_vs_frame": (
                    (r["frame_mb"] + r["fit_traced_mb"]) / r["frame_mb"]
                    if "frame_mb" in r
                    else np.nan
                ),
                "auc": a.estimate,
                "auc_ci": f"[{lo:.4f}, {hi:.4f}]",
            }
            if ref is not None and label != "optbinning BinningProcess":
                row["target"] = (
                    TARGETS[METHODS[label]][0 if data == "taiwan" else 1]
                    if METHODS[label] in TARGETS
                    else np.nan
                )
                d = auc_difference(yte, r["p"], ref["p"])
                row.update(
                    speedup_vs_optbinning=ref["seconds"] / r["seconds"],
                    memory_ratio=r["peak_mb"] / ref["peak_mb"],
                    auc_minus_optbinning=d.estimate,
                    diff_se=d.se,
                    diff_pvalue=d.pvalue,
                )
            rows.append(row)
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        text = table.to_string(index=False, float_format=lambda v: f"{v:.4g}")
    print(text)
    if args.out:
        write_results(args.out, text, load0)


if __name__ == "__main__":
    main()
