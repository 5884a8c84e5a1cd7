"""Holdout AUC of the WoE logistic regression: infodiv's defaults against optbinning.

For each data set, one split (stratified, fixed seed) shared by every method; each method bins
the training rows, the WoE of the training and holdout rows feeds the same logistic regression
(``C=1``), and its holdout scores are compared:

* ``infodiv default``: ``WoEEncoder()`` with its default ``StumpBinner`` (per-feature stumps,
  ``monotone_trend="auto"``; only ``random_state`` is fixed, which fixes the 200,000-row
  quantile sample of a large column);
* ``infodiv joint``: the same with ``StumpBinner(strategy="joint")`` (its default
  ``n_estimators="auto"``: 10 rounds per feature, at least 50; pass
  ``--settings "strategy=joint,n_estimators=50"`` for the former 50 rounds);
* ``optbinning``: ``BinningProcess`` with its defaults (categorical columns declared);
* optional extra infodiv settings (``--settings``), e.g. to study the defaults.

Reported: holdout AUC with its DeLong 95% interval, fit + WoE time (wall, single process; under
load only indicative), DeLong's paired test of each infodiv setting against optbinning
(difference, SE, two-sided p-value, and whether it is *significantly below* at 5%: difference
< 0 and p < 0.05), and of the joint strategy and the extra settings against the per-feature
default (``vs_default``, ``vs_default_p``).

Data: Taiwan credit (30,000 x 23, 70/30), German credit (1,000 x 20, 70/30), SimuCredit v2
(20,000 x 7 credit features, ``Status`` = 1 the event, the protected ``Gender`` and ``Race``
left out; 70/30) and the synthetic table of ``binning_vs_optbinning.py`` (``--rows``,
default 1,000,000 x 50, 80/20).

    PYTHONPATH=. nice python benchmarks/binning_auc.py [--rows 200000] [--data taiwan german]
        [--settings "max_bins=20,min_bin_share=0.02"] [--out benchmarks/results/binning_auc.txt]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

DATASETS = ("taiwan", "german", "simucredit_v2", "synthetic")


def load(name: str, rows: int):
    """Training and holdout frames and targets of one data set (a fixed stratified split)."""
    from sklearn.model_selection import train_test_split

    from infodiv import datasets

    if name == "synthetic":
        from binning_vs_optbinning import synthetic

        X, y = synthetic(rows, 50, 0)
        return train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
    if name == "taiwan":
        df = datasets.load_taiwan_credit()
        y = df.pop("default").to_numpy()
    elif name == "german":
        df = datasets.load_german_credit()
        y = df.pop("default").to_numpy()
    elif name == "simucredit_v2":
        df = datasets.load_simucredit_v2().drop(columns=["Gender", "Race"])
        y = df.pop("Status").to_numpy()
    else:
        raise ValueError(f"unknown data set {name!r}; choose from {DATASETS}")
    return train_test_split(df, y, test_size=0.3, random_state=0, stratify=y)


def parse_setting(text: str) -> dict:
    """``"max_bins=20,min_bin_share=0.02"`` -> keyword arguments of ``StumpBinner``."""
    kw: dict = {}
    for part in filter(None, text.split(",")):
        k, v = part.split("=")
        try:
            kw[k.strip()] = int(v)
        except ValueError:
            try:
                kw[k.strip()] = float(v)
            except ValueError:
                kw[k.strip()] = None if v.strip() == "None" else v.strip()
    return kw


def woe_infodiv(Xtr, ytr, Xte, **kw):
    from infodiv.binning import StumpBinner
    from infodiv.credit import WoEEncoder

    enc = WoEEncoder(binner=StumpBinner(**{"random_state": 0, **kw})).fit(Xtr, ytr)
    return enc.transform(Xtr), enc.transform(Xte)


def woe_optbinning(Xtr, ytr, Xte):
    from optbinning import BinningProcess

    cats = [c for c in Xtr.columns if isinstance(Xtr[c].dtype, pd.CategoricalDtype)]
    Xtr = Xtr.astype({c: str for c in cats})  # optbinning wants categories as text
    Xte = Xte.astype({c: str for c in cats})
    bp = BinningProcess(list(Xtr.columns), categorical_variables=cats).fit(Xtr, ytr)
    return bp.transform(Xtr, metric="woe"), bp.transform(Xte, metric="woe")


def holdout_scores(ztr, ytr, zte) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1.0, max_iter=5000).fit(np.asarray(ztr), ytr)
    return lr.predict_proba(np.asarray(zte))[:, 1]


def run(data: str, rows: int, settings: list[str]) -> list[dict]:
    from infodiv.credit import auc, auc_difference

    Xtr, Xte, ytr, yte = load(data, rows)
    methods: dict[str, tuple] = {
        "optbinning": (woe_optbinning, {}),
        "infodiv default": (woe_infodiv, {}),
        "infodiv joint": (woe_infodiv, {"strategy": "joint"}),
    }
    for s in settings:
        methods[f"infodiv {s}"] = (woe_infodiv, parse_setting(s))
    scores, seconds = {}, {}
    for label, (fn, kw) in methods.items():
        t0 = time.perf_counter()
        ztr, zte = fn(Xtr, ytr, Xte, **kw)
        seconds[label] = time.perf_counter() - t0
        scores[label] = holdout_scores(ztr, ytr, zte)
        print(f"  {data} {label}: {seconds[label]:.1f} s", file=sys.stderr, flush=True)
    out = []
    for label, p in scores.items():
        a = auc(yte, p)
        lo, hi = a.conf_int()
        row = {
            "data": f"{data} ({len(ytr) + len(yte)} x {Xtr.shape[1]})",
            "method": label,
            "seconds": seconds[label],
            "auc": a.estimate,
            "auc_ci": f"[{lo:.4f}, {hi:.4f}]",
        }
        if label != "optbinning":
            d = auc_difference(yte, p, scores["optbinning"])
            row.update(
                vs_optbinning=d.estimate,
                se=d.se,
                pvalue=d.pvalue,
                signif_below="yes" if d.estimate < 0 and d.pvalue < 0.05 else "no",
            )
        if label not in ("optbinning", "infodiv default"):
            d = auc_difference(yte, p, scores["infodiv default"])
            row.update(vs_default=d.estimate, vs_default_p=d.pvalue)
        out.append(row)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", nargs="+", default=list(DATASETS), choices=DATASETS)
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the synthetic table")
    ap.add_argument(
        "--settings",
        nargs="*",
        default=[],
        help='extra StumpBinner settings, e.g. "max_bins=20,min_bin_share=0.02"',
    )
    ap.add_argument("--out", help="also write the table, the command and the load to this file")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    load0 = os.getloadavg()
    rows = []
    for data in args.data:
        rows += run(data, args.rows, args.settings)
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        text = table.to_string(index=False, float_format=lambda v: f"{v:.4g}", na_rep="")
    print(text)
    if args.out:
        from binning_vs_optbinning import write_results

        write_results(args.out, text, load0)


if __name__ == "__main__":
    main()
