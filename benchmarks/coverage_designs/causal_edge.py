"""Issue 15 item 9: causal f-bound endpoints at the support edge (boundary-aware intervals).

Wraps the designs of ``benchmarks/causal_coverage.py`` (``X ~ U(-1, 1)^2``, logistic
propensity, a binary confounder ``U``, population bounds by quadrature with ``U`` and ``X``
integrated out): the **binary** outcome puts the upper bound of ``E[Y(1)]``, the lower bound of
``E[Y(0)]`` and the upper bound of the ATE at (or within a fraction of an SE of) the support
edge for Hellinger, TV and JS (the per-x bound is the edge for 97% resp. 72% of ``x``); its
other endpoints and every KL endpoint are interior. The **ordinal** outcome
(``Y in {0, 1/4, ..., 1}``) is a regular (interior) control.

Each repetition fits ``DivergenceBounds("all", support=(0, 1))`` at n = 2,000 and records, per
divergence and endpoint, whether the endpoint interval ``conf_int(interval="endpoint")``
(boundary-aware near the edge, Wald elsewhere) covers the population endpoint, whether the
former Wald interval ``estimate -/+ z se`` (clipped to the range, rows of type ``reference``)
did, and whether the set interval ``conf_int(interval="set")`` covers the whole identified set
(type ``one-sided``: it is two one-sided 97.5% bounds). Endpoints whose truth lies within two
Monte-Carlo SDs of the edge are ``boundary`` rows (target 0.93-0.99).

    python benchmarks/coverage_designs/causal_edge.py [reps] [seed]
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
from scipy import stats

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from causal_coverage import draw, population  # noqa: E402

from infodiv.causal import QUANTITIES, DivergenceBounds  # noqa: E402

N = 2000
DIVS = ("hellinger", "tv", "js", "kl")
ITEM = "9 causal support edge"
ALPHA = 0.05


def _design(design: str, reps: int, seed: int) -> list[dict]:
    truth = population(design)
    rng = np.random.default_rng(seed)
    z = stats.norm.ppf(1 - ALPHA / 2)
    rec: dict[tuple, list] = {}
    for r in range(reps):
        X, A, Y = draw(N, rng, design)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fb = DivergenceBounds("all", support=(0, 1), random_state=r).fit(X, A, Y)
        for name in DIVS:
            res = fb.results_[name]
            ci = res.conf_int(ALPHA, interval="endpoint")
            near = res.near_edge(ALPHA)
            cs = res.conf_int(ALPHA, interval="set")
            for i, q in enumerate(QUANTITIES):
                tl, tu = truth[name][q]
                rmin, rmax = (-1.0, 1.0) if q == "ATE" else (0.0, 1.0)
                for j, side in enumerate(("lower", "upper")):
                    t = (tl, tu)[j]
                    est = (res.lower, res.upper)[j][i]
                    se = (res.se_lower, res.se_upper)[j][i]
                    old = (
                        np.clip(est - z * se, rmin, rmax) <= t <= np.clip(est + z * se, rmin, rmax)
                    )
                    new = ci.low[q, side] <= t <= ci.high[q, side]
                    rec.setdefault((name, q, side), []).append(
                        (old, new, bool(near[q, side]), est, se, t, rmin, rmax)
                    )
                rec.setdefault((name, q, "set"), []).append(
                    (cs.low[q, "lower"] <= tl) and (tu <= cs.high[q, "upper"])
                )
    rows: list[dict] = []
    label = f"{design} Y n={N}"
    note = (
        "endpoint within kappa SE of the support edge: its interval reaches the edge "
        "(one-sided; covers more than 1 - alpha on the edge)"
    )
    for name in DIVS:
        for q in QUANTITIES:
            for side in ("lower", "upper"):
                v = rec[name, q, side]
                old, new, near = (np.array([x[k] for x in v]) for k in range(3))
                est, se = np.array([x[3] for x in v]), np.array([x[4] for x in v])
                t, rmin, rmax = v[0][5], v[0][6], v[0][7]
                gap = (rmax - t) if side == "upper" else (t - rmin)
                sd = est.std(ddof=1)
                at_edge = gap < 2 * sd  # the truth within 2 Monte-Carlo SDs of the edge
                ratio = float(se.mean() / sd) if sd > 0 else np.nan
                share = float(near.mean())
                method = (
                    "wald"
                    if share == 0
                    else "boundary-aware"
                    if share == 1
                    else f"boundary-aware {share:.0%} / wald"
                )
                where = (
                    f"{label} {name} ({'edge' if at_edge else 'interior'}, truth {t:.4f}, "
                    f"{gap / sd:.1f} SD from the edge)"
                )
                base = dict(item=ITEM, design=where, reps=len(v), se_ratio=ratio)
                rows.append(
                    base
                    | dict(
                        quantity=f"{q} {side} endpoint 95% CI",
                        type="boundary" if at_edge else "two-sided",
                        rate=float(new.mean()),
                        method=method,
                        flag=note if share >= 0.5 else "",
                    )
                )
                rows.append(
                    base
                    | dict(
                        quantity=f"{q} {side} endpoint 95% CI (before: Wald)",
                        type="reference",
                        rate=float(old.mean()),
                        method="wald (old)",
                        flag="",
                    )
                )
            cov_set = np.array(rec[name, q, "set"], dtype=float)
            rows.append(
                dict(
                    item=ITEM,
                    design=f"{label} {name}",
                    quantity=f"{q} identified set, 95% set interval",
                    type="one-sided",
                    rate=float(cov_set.mean()),
                    reps=len(cov_set),
                    se_ratio=np.nan,
                    method="set: wald",
                    flag="",
                )
            )
    return rows


def rows(reps: int, seed: int) -> list[dict]:
    """Coverage rows (preamble interface): the binary edge design, then the ordinal control."""
    reps = min(reps, 200)  # each replicate is a full cross-fitted fit at n = 2,000 (~3 s)
    return _design("binary", reps, seed) + _design("ordinal", max(reps // 2, 20), seed + 1)


if __name__ == "__main__":
    import pandas as pd

    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2026
    frame = pd.DataFrame(rows(reps, seed))
    with pd.option_context(
        "display.width", 250, "display.max_rows", 500, "display.max_colwidth", 80
    ):
        print(frame.drop(columns=["item", "flag"]).to_string(index=False))
