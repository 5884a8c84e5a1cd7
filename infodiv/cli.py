"""Command line: ``infodiv demo`` prints the WoE/IV tables of the bundled Taiwan data."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

import pandas as pd


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
