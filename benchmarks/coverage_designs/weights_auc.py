"""Issue 15, items 3 and 7: aggregated rows read as frequency weights; AUC intervals with few events.

Item 3. A population with ``K`` bins and a known IV (the Jeffreys divergence of the bad and good
laws, built by a tilt); each replicate draws the bads and goods, aggregates them to one row per
(bin, class) with its count, and passes the counts as ``sample_weight``. The default call is now
refused; ``weights="frequency"`` reads them as counts (the expanded rows), ``weights="sampling"``
(the old default reading) as sampling weights with Kish sizes of at most the number of rows.

Item 7. Binormal scores (non-events N(0, 1), events N(d, 1), AUC = Phi(d / sqrt 2)), ten
non-events per event, events 20 / 40 / 100 / 400; and events N(d, 2) (AUC = Phi(d / sqrt 5))
with 20 and 40 events. ``auc``'s default interval (bootstrap on the
logit scale joined with the DeLong one ("hull") below 200 rows in the smaller class, DeLong
logit Wald from there) against the DeLong logit Wald interval it replaced at few events.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from infodiv import woe_table
from infodiv.credit import auc

_REFUSED = "refused by default: 'sample_weight looks like the counts of an aggregated table'"


def _laws(K: int, iv: float) -> tuple[np.ndarray, np.ndarray]:
    """Bad and good laws on K bins whose Jeffreys divergence is ``iv`` (bisection on a tilt)."""
    grid = np.linspace(-1.0, 1.0, K)

    def make(s: float) -> tuple[np.ndarray, np.ndarray]:
        pb, pg = np.exp(s * grid / 2), np.exp(-s * grid / 2)
        return pb / pb.sum(), pg / pg.sum()

    lo, hi = 0.0, 10.0
    for _ in range(80):
        mid = (lo + hi) / 2
        pb, pg = make(mid)
        lo, hi = (mid, hi) if float(np.sum((pb - pg) * np.log(pb / pg))) < iv else (lo, mid)
    return make((lo + hi) / 2)


def _row(item, design, quantity, typ, rate, reps, se_ratio, method, flag=""):
    return dict(
        item=item,
        design=design,
        quantity=quantity,
        type=typ,
        rate=float(rate),
        reps=int(reps),
        se_ratio=float(se_ratio),
        method=method,
        flag=flag,
    )


def _aggregated_rows(rng: np.random.Generator, reps: int) -> list[dict]:
    out = []
    item = "3 aggregated rows"
    for K, bads, iv in ((5, 200, 0.1), (5, 200, 0.3), (10, 500, 0.1), (10, 500, 0.5)):
        goods = 10 * bads
        pb, pg = _laws(K, iv)
        code = np.repeat(np.arange(K), 2)
        y = np.tile([1, 0], K)
        res: dict[str, list[tuple[float, float, float, float]]] = {"frequency": [], "sampling": []}
        refused = 0
        for _ in range(reps):
            cnt = np.column_stack([rng.multinomial(bads, pb), rng.multinomial(goods, pg)]).ravel()
            w = cnt.astype(float)
            try:
                woe_table(code, y, bins="values", sample_weight=w)
            except ValueError:
                refused += 1
            for reading in res:
                t = woe_table(code, y, bins="values", sample_weight=w, weights=reading)
                lo, hi = t.iv.conf_int()
                res[reading].append((t.iv.estimate, t.iv.se, lo, hi))
        design = f"aggregated table K={K} bads={bads} goods={goods} IV={iv}"
        for reading, vals in res.items():
            a = np.array(vals)
            cover = np.mean((a[:, 2] <= iv) & (iv <= a[:, 3]))
            ratio = a[:, 1].mean() / a[:, 0].std(ddof=1)
            frequency = reading == "frequency"
            method = (
                "weights='frequency'" if frequency else "weights='sampling' (old default reading)"
            )
            args = (item, design, "IV 95% CI", "two-sided", cover, reps, ratio, method)
            out.append(_row(*args) if frequency else _row(*args, _REFUSED))
        # the default call: refused in every replicate (a rejection rate, reported as power)
        out.append(
            _row(
                item,
                design,
                "default call refused",
                "power",
                refused / reps,
                reps,
                np.nan,
                "weights=None",
            )
        )
    return out


def _auc_rows(rng: np.random.Generator, reps: int) -> list[dict]:
    out = []
    item = "7 AUC few events"
    grid = [(m, A, 1.0) for m in (20, 40, 100, 400) for A in (0.6, 0.75, 0.85, 0.9, 0.95, 0.97)]
    # a second score law: events twice as spread as non-events (AUC = Phi(d / sqrt 5))
    grid += [(m, A, 2.0) for m in (20, 40) for A in (0.75, 0.9, 0.95, 0.97)]
    for m, A, sd in grid:
        n = 10 * m
        y = np.r_[np.ones(m, int), np.zeros(n, int)]
        d = np.sqrt(1.0 + sd**2) * stats.norm.ppf(A)
        new, old, est, se = [], [], [], []
        method, note = "", ""
        for _ in range(reps):
            s = np.r_[rng.normal(d, sd, m), rng.normal(0.0, 1.0, n)]
            r = auc(y, s)
            method, note = r.ci_method, r.ci_note
            lo, hi = r.conf_int()
            new.append(lo <= A <= hi)
            lo, hi = r.conf_int(method="delong-logit")
            old.append(lo <= A <= hi)
            est.append(r.estimate)
            se.append(r.se)
        ratio = np.mean(se) / np.std(est, ddof=1)
        law = "binormal" if sd == 1.0 else "binormal events SD 2"
        design = f"{law} events={m} non-events={n} AUC={A}"
        out.append(
            _row(
                item,
                design,
                "AUC 95% CI (default)",
                "two-sided",
                np.mean(new),
                reps,
                ratio,
                method,
                note,
            )
        )
        if method != "delong-logit":
            out.append(
                _row(
                    item,
                    design,
                    "AUC 95% CI (before: DeLong logit)",
                    "two-sided",
                    np.mean(old),
                    reps,
                    ratio,
                    "delong-logit (replaced here)",
                    "not the default below 200 events (now ci_method='hull')",
                )
            )
    return out


def rows(reps: int, seed: int) -> list[dict]:
    """Coverage rows of items 3 (aggregated counts) and 7 (AUC with few events)."""
    rng = np.random.default_rng(seed)
    return _aggregated_rows(rng, reps) + _auc_rows(rng, reps)


if __name__ == "__main__":
    import sys

    import pandas as pd

    n_reps = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    table = pd.DataFrame(rows(n_reps, 0))
    with pd.option_context(
        "display.width", 250, "display.max_colwidth", 60, "display.max_rows", 200
    ):
        print(table.drop(columns=["item"]).to_string(index=False))
