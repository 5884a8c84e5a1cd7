"""Designs the audit confirmed hold (issue 15, "today's"), kept in the table so they stay held.

- IV with at least ~10 expected bads per bin (K = 5, 10), two-sided CI, SE ratio, size of
  the test of IV = 0 and its power;
- per-bin WoE intervals (coverage averaged over the bins);
- weighted IV: goods down-sampled 1 in 10 with weight 10; random (gamma) sampling weights;
- PSI with very unequal samples (50,000 expected rows against 2,000 actual, and reversed);
- fairness IV between a 3% minority and the rest.

Every replicate is one column of a frame scored in one call (the features share ``y``), and the
truth is the divergence of the population laws in closed form.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from infodiv import psi, woe_tables
from infodiv.fairness import protected_divergence


def _laws(K: int, iv: float) -> tuple[np.ndarray, np.ndarray]:
    """Bad and good laws on K bins whose Jeffreys divergence is ``iv`` (bisection on a tilt)."""
    base = np.full(K, 1.0 / K)
    grid = np.linspace(-1.0, 1.0, K)

    def make(s: float) -> tuple[np.ndarray, np.ndarray]:
        pb = base * np.exp(s * grid / 2)
        pg = base * np.exp(-s * grid / 2)
        return pb / pb.sum(), pg / pg.sum()

    if iv == 0:
        return base, base
    lo, hi = 0.0, 10.0
    for _ in range(80):
        mid = (lo + hi) / 2
        pb, pg = make(mid)
        lo, hi = (mid, hi) if _jeffreys(pb, pg) < iv else (lo, mid)
    return make((lo + hi) / 2)


def _jeffreys(p: np.ndarray, q: np.ndarray) -> float:
    return float(np.sum((p - q) * np.log(p / q)))


def _columns(rng, y, pb, pg, reps):
    K = pb.size
    X = np.where(
        (y == 1)[:, None],
        rng.choice(K, size=(y.size, reps), p=pb),
        rng.choice(K, size=(y.size, reps), p=pg),
    )
    return pd.DataFrame(X, columns=[f"r{r}" for r in range(reps)]).astype("category")


def _iv_rows(tables, truth):
    est = np.array([t.iv.estimate for t in tables])
    se = np.array([t.iv.se for t in tables])
    ci = np.array([tuple(t.iv.conf_int()) for t in tables])
    cover = float(np.mean((ci[:, 0] <= truth) & (truth <= ci[:, 1])))
    ratio = float(se.mean() / est.std(ddof=1)) if truth > 0 else np.nan
    reject = float(np.mean([t.iv.pvalue < 0.05 for t in tables]))
    method = tables[0].iv.ci_method_used
    return cover, ratio, reject, method


def rows(reps: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    out: list[dict] = []
    item = "audit: holds"
    # IV with ample bads per bin
    for K, bads in ((5, 200), (10, 400)):
        goods = 10 * bads
        y = np.r_[np.ones(bads, int), np.zeros(goods, int)]
        for iv in (0.0, 0.05, 0.1, 0.3):
            pb, pg = _laws(K, iv)
            X = _columns(rng, y, pb, pg, reps)
            tables = list(woe_tables(X, y, bins="values").values())
            cover, ratio, reject, method = _iv_rows(tables, iv)
            design = f"IV K={K} bads={bads} goods={goods} IV={iv}"
            out.append(
                dict(
                    item=item,
                    design=design,
                    quantity="IV 95% CI",
                    type="two-sided" if iv else "boundary",
                    rate=cover,
                    reps=reps,
                    se_ratio=ratio,
                    method=method,
                    flag="",
                )
            )
            out.append(
                dict(
                    item=item,
                    design=f"IV K={K} bads={bads} goods={goods}",
                    quantity="test IV=0 at 5%",
                    type="size" if iv == 0 else "power",
                    rate=reject,
                    reps=reps,
                    se_ratio=np.nan,
                    method="chi2",
                    flag="",
                )
            )
            if iv == 0.3:
                woe_cover = np.mean(
                    [
                        np.mean(
                            (t.table["woe_ci_low"].to_numpy()[:K] <= np.log(pb / pg))
                            & (np.log(pb / pg) <= t.table["woe_ci_high"].to_numpy()[:K])
                        )
                        for t in tables
                    ]
                )
                out.append(
                    dict(
                        item=item,
                        design=design,
                        quantity="per-bin WoE 95% CI (mean over bins)",
                        type="two-sided",
                        rate=float(woe_cover),
                        reps=reps,
                        se_ratio=np.nan,
                        method="wald",
                        flag="",
                    )
                )
    # weighted IV: goods down-sampled 1 in 10 (weight 10), and random sampling weights
    K, iv = 5, 0.2
    pb, pg = _laws(K, iv)
    bads, goods = 300, 600
    y = np.r_[np.ones(bads, int), np.zeros(goods, int)]
    X = _columns(rng, y, pb, pg, reps)
    for label, w in (
        ("goods down-sampled 1:10, weight 10", np.where(y == 1, 1.0, 10.0)),
        ("gamma(4) sampling weights", rng.gamma(4.0, 0.25, y.size)),
    ):
        tables = list(woe_tables(X, y, bins="values", sample_weight=w).values())
        cover, ratio, _, method = _iv_rows(tables, iv)
        out.append(
            dict(
                item=item,
                design=f"weighted IV K=5 IV=0.2 {label}",
                quantity="IV 95% CI",
                type="two-sided",
                rate=cover,
                reps=reps,
                se_ratio=ratio,
                method=method,
                flag="",
            )
        )
    # PSI with very unequal samples, drift and no drift
    K = 10
    for n_e, n_a in ((50_000, 2_000), (2_000, 50_000)):
        for shift in (0.0, 0.05):
            pe, pa = _laws(K, shift)
            hits = rejects = 0
            ests, ses = [], []
            for _ in range(reps):
                e = rng.choice(K, n_e, p=pe)
                a = rng.choice(K, n_a, p=pa)
                r = psi(
                    pd.Categorical(e, categories=range(K)),
                    pd.Categorical(a, categories=range(K)),
                    bins="values",
                )
                lo, hi = r.conf_int()
                hits += lo <= shift <= hi
                rejects += r.pvalue < 0.05
                ests.append(r.estimate)
                ses.append(r.se)
            design = f"PSI K=10 n_expected={n_e} n_actual={n_a} PSI={shift}"
            out.append(
                dict(
                    item=item,
                    design=design,
                    quantity="PSI 95% CI",
                    type="two-sided" if shift else "boundary",
                    rate=hits / reps,
                    reps=reps,
                    se_ratio=float(np.mean(ses) / np.std(ests, ddof=1)) if shift else np.nan,
                    method=r.divergence.ci_method_used,
                    flag="",
                )
            )
            if shift == 0:
                out.append(
                    dict(
                        item=item,
                        design=design,
                        quantity="drift test at 5%",
                        type="size",
                        rate=rejects / reps,
                        reps=reps,
                        se_ratio=np.nan,
                        method=r.pvalue_method,
                        flag="",
                    )
                )
    # fairness IV with a 3% minority
    n_min, n_maj = 300, 9700
    g = np.r_[np.full(n_min, "minority"), np.full(n_maj, "rest")]
    for fiv in (0.05, 0.2):
        pm, pr = _laws(5, fiv)
        Xg = np.where(
            (g == "minority")[:, None],
            rng.choice(5, size=(g.size, reps), p=pm),
            rng.choice(5, size=(g.size, reps), p=pr),
        )
        frame = pd.DataFrame(Xg, columns=[f"r{r}" for r in range(reps)]).astype("category")
        t = protected_divergence(frame, g, bins=None).fairness.loc["minority vs rest"]
        cover = float(((t["ci_low"] <= fiv) & (fiv <= t["ci_high"])).mean())
        ratio = float(t["se"].mean() / t["fairness_iv"].std(ddof=1))
        out.append(
            dict(
                item=item,
                design=f"fairness IV 3% minority (n={n_min}) K=5 IV={fiv}",
                quantity="fairness IV 95% CI",
                type="two-sided",
                rate=cover,
                reps=reps,
                se_ratio=ratio,
                method="auto",
                flag="",
            )
        )
    return out
