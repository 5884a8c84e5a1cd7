"""Binning where the data lives: a Parquet file binned through DuckDB, rows never in Python.

The path (``docs/binning.md``, "Binning where the data lives"):

1. ``cells = fine_cells(rel, features)``: the fine quantile cells of every
   column from a DuckDB Bernoulli sample of about 200,000 rows (what ``StumpBinner.fit`` does in
   memory);
2. ``table = count_table(rel, cells, by="y", strategy="per_feature")``: the fine count table,
   counted inside DuckDB (one group-by per column, bin codes by bisection over the edges; only
   the table, 50 x ~42 bins x 2 classes, comes back; ``--strategy`` picks another);
3. ``StumpBinner().fit_counts(table, cells, by="y")``: the bins, from the table alone.

Timed, each best of ``--repeats`` (alternating, so both see the same file cache):

* (a) the fine table alone: step 2 on cells computed beforehand;
* (b) end to end: steps 1 + 2 + 3 (target: at most 1.5 x (a)).

Identity check on a subset that fits in memory (the first ``--check-rows`` rows of the file,
read with pyarrow and given to DuckDB as an Arrow table): the bins, splits and counts of the
DuckDB path equal those of ``fit_counts`` on the in-memory table of the same cells
(``CountTable.from_frame`` on pandas), and on the first 200,000 rows (all sampled, so the cells
are ``fit``'s) they equal ``StumpBinner().fit`` on the pandas rows.

Data: the synthetic credit-like table of ``benchmarks/binning_vs_optbinning.py`` (50 numeric
columns, 2% missing in ten of them, monotone and U-shaped effects), generated in chunks of
1,000,000 rows (each chunk an independent draw, seed = chunk index) and written with pyarrow
to ``--data-dir`` (default ``/tmp/infodiv_binning_duckdb``; reused when present; not in git).
20,000,000 x 50 float64 is about 7 GB on disk.

    PYTHONPATH=. nice python benchmarks/binning_duckdb.py                  # 20,000,000 rows
    PYTHONPATH=. nice python benchmarks/binning_duckdb.py --rows 1000000   # a quick run
        [--out benchmarks/results/binning_duckdb.txt] [--threads 2] [--repeats 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

CHUNK = 1_000_000
FEATURES = [f"x{j:02d}" for j in range(50)]


def write_parquet(path: Path, rows: int) -> float:
    """The synthetic table in ``path`` (chunks of ``CHUNK`` rows); returns seconds spent."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from binning_vs_optbinning import synthetic

    t0 = time.perf_counter()
    tmp = path.with_suffix(".partial")
    writer = None
    done = 0
    for i in range(-(-rows // CHUNK)):
        n = min(CHUNK, rows - done)
        X, y = synthetic(n, 50, seed=i)
        X["y"] = y.astype(np.int8)
        tbl = pa.Table.from_pandas(X, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(tmp, tbl.schema, compression="snappy")
        writer.write_table(tbl, row_group_size=CHUNK // 4)
        done += n
        print(f"  wrote {done:,} rows", file=sys.stderr, flush=True)
    assert writer is not None
    writer.close()
    tmp.rename(path)
    return time.perf_counter() - t0


def machine() -> list[str]:
    import duckdb
    import xgboost

    mem = "?"
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 2**20:.0f} GiB"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = "?"
    return [
        f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}",
        f"# {platform.platform()}, {os.cpu_count()} cores, {mem} RAM",
        f"# python {platform.python_version()}, duckdb {duckdb.__version__}, "
        f"xgboost {xgboost.__version__}, pandas {pd.__version__}",
    ]


def _cpu() -> float:
    """CPU seconds of this process, all threads (DuckDB's included): less load-dependent."""
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def identity_check(path: Path, rows: int, threads: int, strategy: str) -> list[str]:
    """DuckDB path vs in-memory fits on the first ``rows`` rows; lines for the report."""
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    from infodiv.binning import StumpBinner
    from infodiv.core import CountTable
    from infodiv.scale import count_table, fine_cells

    batches, n = [], 0
    for b in pq.ParquetFile(path).iter_batches(batch_size=min(rows, 250_000)):
        batches.append(b.slice(0, rows - n))
        n += len(batches[-1])
        if n >= rows:
            break
    arrow = pa.Table.from_batches(batches)
    out = []
    for size in sorted({min(rows, 200_000), rows}):
        sub = arrow.slice(0, size)
        con = duckdb.connect(config={"threads": threads})
        rel = con.from_arrow(sub)
        cells = fine_cells(rel, FEATURES)
        table = count_table(rel, cells, by="y", strategy=strategy)
        on_engine = StumpBinner().fit_counts(table, cells, by="y")
        df = sub.to_pandas()
        y = df.pop("y").to_numpy()
        mem_table = CountTable.from_frame(df, cells, by={"y": y})
        in_memory = StumpBinner().fit_counts(mem_table, cells, by="y")
        same_table = table == mem_table
        same = all(on_engine.bins_[f] == in_memory.bins_[f] for f in FEATURES)
        same_splits = on_engine.splits_.equals(in_memory.splits_)
        line = (
            f"# identity on the first {size:,} rows: DuckDB table == CountTable.from_frame: "
            f"{same_table}; bins equal to fit_counts on the in-memory table of the same cells: "
            f"{same} (splits: {same_splits})"
        )
        if size <= 200_000:  # every row sampled: the cells are fit's
            on_rows = StumpBinner().fit(df, y)
            eq = all(on_engine.bins_[f] == on_rows.bins_[f] for f in FEATURES)
            line += f"; bins equal to StumpBinner().fit on the pandas rows: {eq}"
        n_bins = [on_engine.bins_[f].n_regular for f in FEATURES]
        line += f"; regular bins per feature {min(n_bins)}..{max(n_bins)}"
        out.append(line)
        print(line, file=sys.stderr, flush=True)
        con.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000_000)
    ap.add_argument("--data-dir", default="/tmp/infodiv_binning_duckdb")
    ap.add_argument("--threads", type=int, default=2, help="DuckDB threads")
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--check-rows", type=int, default=1_000_000)
    ap.add_argument(
        "--strategy",
        default="per_feature",
        choices=["auto", "sums", "unpivot", "per_feature"],
        help="count_table strategy (per_feature: one group-by per column, bin codes by bisection)",
    )
    ap.add_argument("--out", default=None, help="append the report to this file")
    args = ap.parse_args()
    warnings.simplefilter("ignore")

    import duckdb

    from infodiv.binning import StumpBinner
    from infodiv.scale import count_table, fine_cells

    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"synthetic_{args.rows}x50.parquet"
    gen = None
    if not path.exists():
        print(f"writing {path}", file=sys.stderr)
        gen = write_parquet(path, args.rows)
    size_gb = path.stat().st_size / 1e9
    load_before = _load()

    con = duckdb.connect(config={"threads": args.threads})
    rel = con.read_parquet(str(path))
    assert rel.shape[0] == args.rows or int(rel.count("*").fetchone()[0]) == args.rows
    fixed_cells = fine_cells(rel, FEATURES)

    times: dict[str, list[float]] = {"a": [], "b": [], "cells": [], "table": [], "fit": []}
    cpu: dict[str, list[float]] = {k: [] for k in times}
    binner = None
    for r in range(args.repeats):
        t0, c0 = time.perf_counter(), _cpu()
        table_a = count_table(rel, fixed_cells, by="y", strategy=args.strategy)
        times["a"].append(time.perf_counter() - t0)
        cpu["a"].append(_cpu() - c0)
        print(f"  (a) table alone {times['a'][-1]:.2f} s", file=sys.stderr, flush=True)

        t0, c0 = time.perf_counter(), _cpu()
        cells = fine_cells(rel, FEATURES, seed=r)
        t1, c1 = time.perf_counter(), _cpu()
        table = count_table(rel, cells, by="y", strategy=args.strategy)
        t2, c2 = time.perf_counter(), _cpu()
        binner = StumpBinner().fit_counts(table, cells, by="y")
        t3, c3 = time.perf_counter(), _cpu()
        for k, v, c in (
            ("b", t3 - t0, c3 - c0),
            ("cells", t1 - t0, c1 - c0),
            ("table", t2 - t1, c2 - c1),
            ("fit", t3 - t2, c3 - c2),
        ):
            times[k].append(v)
            cpu[k].append(c)
        print(
            f"  (b) end to end {t3 - t0:.2f} s (cells {t1 - t0:.2f}, table {t2 - t1:.2f}, "
            f"fit_counts {t3 - t2:.2f})",
            file=sys.stderr,
            flush=True,
        )
    assert binner is not None and table_a.frame["n"].sum() == 50 * args.rows
    con.close()
    load_after = _load()
    a, b = min(times["a"]), min(times["b"])
    best = int(np.argmin(times["b"]))

    lines = [
        "# python benchmarks/binning_duckdb.py " + " ".join(sys.argv[1:]),
        *machine(),
        f"# load average (1/5/15 min) before / after: {load_before} / {load_after}",
        f"# data: {args.rows:,} x 50 float64 + int8 class in {path} ({size_gb:.1f} GB, "
        + (f"written in {gen:.0f} s" if gen is not None else "cached")
        + f"); DuckDB threads={args.threads}; count_table strategy={args.strategy!r}; "
        f"best of {args.repeats}",
        "                                                     wall s   CPU s (all threads)",
        f"(a) fine count table alone (count_table, DuckDB):  {a:8.2f} {min(cpu['a']):8.2f}",
        f"(b) cells + table + fit_counts, end to end:        {b:8.2f} {min(cpu['b']):8.2f}",
        f"    fine_cells                                     {times['cells'][best]:8.2f} "
        f"{cpu['cells'][best]:8.2f}",
        f"    count_table                                    {times['table'][best]:8.2f} "
        f"{cpu['table'][best]:8.2f}",
        f"    fit_counts                                     {times['fit'][best]:8.2f} "
        f"{cpu['fit'][best]:8.2f}",
        f"ratio (b) / (a): {b / a:.3f} wall, {min(cpu['b']) / min(cpu['a']):.3f} CPU "
        f"(target <= 1.5: {'met' if b / a <= 1.5 else 'NOT met'} on wall time)",
        f"rows per second end to end: {args.rows / b:,.0f}",
    ]
    n_bins = [binner.bins_[f].n_regular for f in FEATURES]
    iv = binner.summary()["estimate"]
    lines.append(
        f"bins: {min(n_bins)}..{max(n_bins)} regular bins per feature; IV {iv.min():.4f}.."
        f"{iv.max():.4f}"
    )
    if args.check_rows:
        lines += identity_check(path, min(args.check_rows, args.rows), args.threads, args.strategy)
    report = "\n".join(lines)
    print(report)
    if args.out:
        with open(args.out, "a") as fh:
            fh.write(report + "\n\n")


if __name__ == "__main__":
    main()
