"""The ``infodiv`` command.

Subcommands: ``demo`` (WoE/IV tables of the bundled Taiwan data) and ``psi`` (monitoring: two
files in, a PSI table out). Exit codes: 0 on success, 2 for bad input, with a one-line message
naming the file or column.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd


class InputError(ValueError):
    """Bad command-line input (exit code 2)."""


def read_table(path: str, what: str = "DATA") -> pd.DataFrame:
    """Read a CSV (optionally gzip/zip/bz2/xz-compressed) or Parquet file."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{what} file {path!r} not found")
    name = p.name.lower()
    try:
        if name.endswith((".parquet", ".pq")):
            return pd.read_parquet(p)
        if name.endswith((".csv", ".csv.gz", ".csv.zip", ".csv.bz2", ".csv.xz")):
            return pd.read_csv(p)
    except Exception as exc:  # parser errors become one line
        raise InputError(f"{what} file {path!r} could not be read: {exc}") from None
    raise InputError(
        f"{what} file {path!r} has an unsupported type (use .csv, .csv.gz or .parquet)"
    )


def require_columns(df: pd.DataFrame, columns: Sequence[str], path: str) -> None:
    for c in columns:
        if c not in df.columns:
            raise InputError(f"column {c!r} not found in {path!r}")


def _psi(args: argparse.Namespace) -> int:
    from infodiv.psi import psi_summary

    expected = read_table(args.expected, "EXPECTED")
    actual = read_table(args.actual, "ACTUAL")
    cols = args.columns.split(",") if args.columns else list(expected.columns)
    require_columns(expected, cols, args.expected)
    require_columns(actual, cols, args.actual)
    exp, act = expected[cols].copy(), actual[cols].copy()
    for c in cols:
        if not pd.api.types.is_numeric_dtype(exp[c]):
            cats = pd.Index(pd.concat([exp[c], act[c]]).dropna().unique())
            exp[c] = pd.Categorical(exp[c], categories=cats)
            act[c] = pd.Categorical(act[c], categories=cats)
    table = psi_summary(exp, act, bins=args.bins, alpha=args.alpha)
    if args.out:
        out = Path(args.out)
        if out.suffix == ".json":
            table.reset_index().to_json(out, orient="records", indent=1)
        else:
            table.to_csv(out)
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(table.to_string(float_format=lambda v: f"{v:.4f}"))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from infodiv.datasets import load_taiwan_credit
    from infodiv.woe import woe_tables

    df = load_taiwan_credit()
    X, y = df.drop(columns="default"), df["default"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tables = woe_tables(X, y, bins=args.bins, alpha=args.alpha)
    rows = []
    for f, t in tables.items():
        lo, hi = t.iv.conf_int()
        rows.append(
            {
                "feature": f,
                "iv": t.iv.estimate,
                "se": t.iv.se,
                "ci_low": lo,
                "ci_high": hi,
                "pvalue": t.iv.pvalue,
                "bins": t.iv.df + 1,
            }
        )
    summary = pd.DataFrame(rows).set_index("feature").sort_values("iv", ascending=False)
    level = f"{100 * (1 - args.alpha):g}%"
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(f"Taiwan credit default data: {len(df):,} rows, default rate {y.mean():.4f}")
        print(f"Information value (Jeffreys divergence bad || good) with SE and {level} CI\n")
        print(summary.to_string(float_format=lambda v: f"{v:.4f}"))
        for f in summary.index:
            print()
            print(tables[f])
    for w in caught:
        print(f"note: {w.message}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="infodiv", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="WoE/IV tables of every Taiwan feature, with SEs and CIs")
    demo.add_argument("--bins", type=int, default=10, help="quantile bins per numeric feature")
    demo.add_argument("--alpha", type=float, default=0.05, help="1 - confidence level")
    demo.set_defaults(func=_demo)

    p = sub.add_parser("psi", help="PSI with SE, CI and drift flags: two files in, table out")
    p.add_argument("expected", help="reference sample (CSV or Parquet)")
    p.add_argument("actual", help="current sample (CSV or Parquet)")
    p.add_argument("--columns", help="comma-separated columns (default: all of EXPECTED)")
    p.add_argument("--bins", type=int, default=10, help="quantile bins of EXPECTED")
    p.add_argument("--alpha", type=float, default=0.05, help="level of the drift test")
    p.add_argument("--out", help="write the table to this .csv or .json file")
    p.set_defaults(func=_psi)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ValueError as exc:
        print(f"infodiv: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
