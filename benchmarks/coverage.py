"""One coverage table for every interval and test infodiv prints (issue 15).

Runs every design module in ``benchmarks/coverage_designs/`` and prints one table: for each
row the coverage of an interval (or the rejection rate of a test), its Monte-Carlo standard
error, the SE ratio (mean reported SE / Monte-Carlo SD) where it applies, the method the
result says it used, and whether the row is inside its target:

- two-sided 95% intervals: coverage 0.93-0.97;
- ``boundary``: two-sided 95% intervals when the truth is 0, the edge of the parameter space
  (an equal-tailed interval then covers 1 - alpha/2 = 0.975 by construction): 0.93-0.99;
- one-sided 95% bounds: coverage >= 0.93;
- tests at 5% under the null (``size``): rejection 3.5-6.5%;
- ``power`` rows have no target of their own; within a design they must not fall as the
  effect grows (checked here, in the listed order).

A row outside its target is ``FLAGGED`` when the result itself tells the user, in words, why
(the design module records that text in ``flag``), and ``MISS`` otherwise. A ``MISS`` makes
the script exit with status 1. The target is judged on the Monte-Carlo estimate with a
two-standard-error allowance (the standard error of a binomial rate at the nominal level), so a
row of 0.925 over 2,000 replications (MC SE 0.005) counts as inside 0.93-0.97. Power rows use
their own rate (kept within 0.05-0.95) and are compared with the row above them (same design
and quantity; the first is the size row).

Run:

    python benchmarks/coverage.py [--reps 1000] [--seed 2026] [--jobs 2] [--only NAME ...] [--reuse]

and it writes ``benchmarks/results/coverage.txt`` (the table) and ``coverage.csv``, and each
module's rows to ``benchmarks/results/coverage_parts/NAME.csv``; ``--reuse`` adds the saved rows
of the modules not run now (same ``--reps`` and ``--seed``), and the header says which.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DESIGNS = HERE / "coverage_designs"
TARGETS = {
    "two-sided": (0.93, 0.97),
    "boundary": (0.93, 0.99),
    "one-sided": (0.93, 1.0),
    "size": (0.035, 0.065),
}
#: The rate a row's Monte-Carlo standard error is computed at (its nominal level).
NOMINAL = {"two-sided": 0.95, "boundary": 0.975, "one-sided": 0.95, "size": 0.05}
COLUMNS = ["item", "design", "quantity", "type", "rate", "mc_se", "reps", "se_ratio", "method"]


def load(name: str):
    spec = importlib.util.spec_from_file_location(
        f"coverage_designs.{name}", DESIGNS / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    for path in (str(HERE), str(HERE.parent)):
        if path not in sys.path:
            sys.path.insert(0, path)
    spec.loader.exec_module(module)
    return module


def judge(frame: pd.DataFrame) -> pd.Series:
    status = []
    last_power: dict[tuple[str, str, str], float] = {}
    for row in frame.itertuples():
        key = (row.module, row.design, row.quantity)
        ok = True
        if row.type in TARGETS:
            low, high = TARGETS[row.type]
            slack = 2 * row.mc_se
            ok = low - slack <= row.rate <= high + slack
        elif row.type == "power":
            ok = row.rate >= last_power.get(key, 0.0) - 2 * row.mc_se
        if row.type in ("size", "power"):
            last_power[key] = row.rate
        if ok:
            status.append("ok")
        else:
            status.append("FLAGGED" if str(row.flag).strip() else "MISS")
    return pd.Series(status, index=frame.index)


def run_module(name: str, reps: int, seed: int) -> tuple[pd.DataFrame, float]:
    """Rows of one design module (a process of its own with ``--jobs``)."""
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = load(name).rows(reps, seed)
    frame = pd.DataFrame(rows)
    frame.insert(0, "module", name)
    frame["reps_arg"], frame["seed_arg"] = reps, seed
    return frame, time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--only", nargs="*", help="design modules to run (default: all)")
    ap.add_argument("--out", default=str(HERE / "results" / "coverage"))
    ap.add_argument("--jobs", type=int, default=1, help="design modules run in parallel")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="add the saved rows (results/coverage_parts) of modules not run now, if they were "
        "run with the same --reps and --seed",
    )
    args = ap.parse_args()
    names = sorted(p.stem for p in DESIGNS.glob("*.py"))
    if args.only:
        unknown = sorted(set(args.only) - set(names))
        if unknown:
            ap.error(f"--only: no design module {unknown}; available: {names}")
        names = [n for n in names if n in args.only]
    parts = Path(args.out).parent / "coverage_parts"
    parts.mkdir(parents=True, exist_ok=True)
    frames, timings = [], []
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            done = pool.map(run_module, names, [args.reps] * len(names), [args.seed] * len(names))
            results = list(done)
    else:
        results = [run_module(n, args.reps, args.seed) for n in names]
    for name, (frame, seconds) in zip(names, results, strict=True):
        frame.to_csv(parts / f"{name}.csv", index=False)
        frames.append(frame)
        timings.append(f"{name}: {seconds:.0f} s")
        print(f"[{timings[-1]}, {len(frame)} rows]", flush=True)
    reused = []
    if args.reuse:
        for name in sorted(p.stem for p in DESIGNS.glob("*.py")):
            part = parts / f"{name}.csv"
            if name in names or not part.exists():
                continue
            frame = pd.read_csv(part, keep_default_na=False, na_values=[""])
            if (frame["reps_arg"] != args.reps).any() or (frame["seed_arg"] != args.seed).any():
                continue
            frames.append(frame)
            reused.append(name)
    table = pd.concat(frames, ignore_index=True)
    for col in ("se_ratio", "flag", "method"):
        if col not in table:
            table[col] = np.nan if col == "se_ratio" else ""
    table["flag"] = table["flag"].fillna("")
    rates = [
        NOMINAL.get(t, min(max(r, 0.05), 0.95))
        for r, t in zip(table["rate"], table["type"], strict=True)
    ]
    table["mc_se"] = [math.sqrt(p * (1 - p) / n) for p, n in zip(rates, table["reps"], strict=True)]
    table["status"] = judge(table)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out.with_suffix(".csv"), index=False)
    shown = table[["module", *COLUMNS, "status"]].copy()
    text = shown.to_string(
        index=False,
        formatters={
            "rate": "{:.3f}".format,
            "mc_se": "{:.3f}".format,
            "se_ratio": lambda v: "" if pd.isna(v) else f"{v:.2f}",
        },
    )
    counts = table["status"].value_counts().to_dict()
    flags = table.loc[table["status"] == "FLAGGED", ["module", "design", "quantity", "flag"]]
    header = [
        f"# python benchmarks/coverage.py --reps {args.reps} --seed {args.seed}"
        + (f" --only {' '.join(args.only)}" if args.only else "")
        + (" --reuse" if args.reuse else ""),
        f"# reused saved rows of: {', '.join(reused)}" if reused else "# every module run now",
        "# targets: two-sided 0.93-0.97 (truth 0: 0.93-0.99), one-sided >= 0.93, size 0.035-0.065"
        " (2 MC SE allowed);",
        "# power rows must not fall as the effect grows. FLAGGED = outside target and the result",
        "# says why (text below); MISS = outside target with no explanation.",
        f"# status counts: {counts}; time per module: {'; '.join(timings)}",
        "",
    ]
    footer = ["", "What the results say for FLAGGED rows:"] + [
        f"- {r.module} | {r.design} | {r.quantity}: {r.flag}" for r in flags.itertuples()
    ]
    report = "\n".join(header) + text + "\n" + "\n".join(footer) + "\n"
    out.with_suffix(".txt").write_text(report)
    print(report)
    return 1 if counts.get("MISS", 0) else 0


if __name__ == "__main__":
    sys.exit(main())
