"""Coverage design, issue 15 item 4: the one-sided upper bound near zero with tiny cells.

``DivergenceResult.upper_bound`` is, near zero, the CLs bound of the noncentral chi-square law
(``F(T; K-1, lam) / F(T; K-1, 0) = alpha``), beyond it the larger of that and a bias-aware Wald
bound (docs/numbers.md, "One-sided upper bound"). Rows: one-sided coverage of the 95% upper
bound of

* the IV (Jeffreys, bad vs good) of ``woe_table(x, y, bins="values")``, 10 or 20 bins with
  30-40 bads (1.5-4 bads a bin: zero-cell smoothing in most replicates);
* the PSI of ``psi(expected, actual, bins="values")`` with 100 actual rows over 10 bins;
* the fairness IV of ``protected_divergence`` with a 3% minority (60 of 2,000 rows);

each at truth 0 and at small truths (``n_eff D`` = 1, 5 and 15). Besides the standard keys,
each row has ``rate_before`` (coverage of the former bound: the plain inversion
``F(T; K-1, lam) = alpha``, 0 in the null's lower alpha tail), ``zero_share_before`` (share of
replicates where that bound was 0) and ``zero_share`` (share where the bound is 0 now).

Run alone:  PYTHONPATH=. python benchmarks/coverage_designs/upper_bound.py [--reps 1000]
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections import Counter

import numpy as np
import pandas as pd
from scipy import stats

from infodiv import protected_divergence, psi, woe_table

ALPHA = 0.05
ITEM = "4 upper bound near zero"


def _tilt(K: int, size: float) -> tuple[np.ndarray, np.ndarray]:
    q = np.full(K, 1.0 / K)
    if size == 0:
        return q.copy(), q
    p = q * np.exp(size * np.linspace(-1.0, 1.0, K))
    return p / p.sum(), q


def _jeffreys(p: np.ndarray, q: np.ndarray) -> float:
    # exactly 0 at p = q: a rounding residue of 1e-17 would count a bound of 0 as a miss
    return 0.0 if np.array_equal(p, q) else float(np.sum((p - q) * np.log(p / q)))


def _size_for(K: int, n_eff: float, target: float) -> float:
    """Tilt whose Jeffreys divergence is ``target / n_eff`` (bisection on the tilt)."""
    if target == 0:
        return 0.0
    lo, hi = 0.0, 5.0
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _jeffreys(*_tilt(K, mid)) * n_eff < target else (lo, mid)
    return 0.5 * (lo + hi)


def _before(res) -> float:
    """The former bound: the plain one-sided inversion near zero, max with Wald beyond."""
    if res.df == 0:
        return 0.0
    plain = res.conf_int(2 * ALPHA, method="ncx2").high  # F(T; K-1, lam) = alpha
    if res.upper_bound_method == "cls-ncx2":
        return plain
    z = stats.norm.ppf(1 - ALPHA)
    return max(max(0.0, res.estimate - res.bias) + z * res.se, plain)


def _row(design: str, quantity: str, truth: float, results: list) -> dict:
    now = np.array([r.upper_bound(ALPHA) for r in results])
    before = np.array([_before(r) for r in results])
    methods = Counter(r.upper_bound_method for r in results)
    method = ", ".join(
        f"{m} {c / len(results):.1%}" if len(methods) > 1 else m for m, c in methods.most_common()
    )
    return {
        "item": ITEM,
        "design": design,
        "quantity": quantity,
        "type": "one-sided",
        "rate": float(np.mean(now >= truth)),
        "reps": len(results),
        "se_ratio": float("nan"),
        "method": method,
        "flag": "",
        "rate_before": float(np.mean(before >= truth)),
        "zero_share_before": float(np.mean(before <= 0)),
        "zero_share": float(np.mean(now <= 0)),
        "mean_bound": float(np.mean(now)),
        "mean_bound_before": float(np.mean(before)),
        "truth": truth,
    }


def _iv_rows(reps: int, rng: np.random.Generator) -> list[dict]:
    rows = []
    for K, bads, goods in ((10, 30, 970), (20, 40, 960)):
        n_eff = bads * goods / (bads + goods)
        for target in (0.0, 1.0, 5.0, 15.0):
            p, q = _tilt(K, _size_for(K, n_eff, target))
            truth = _jeffreys(p, q)
            y = np.r_[np.ones(bads, dtype=int), np.zeros(goods, dtype=int)]
            results = []
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # zero-cell smoothing
                for _ in range(reps):
                    x = np.r_[rng.choice(K, bads, p=p), rng.choice(K, goods, p=q)]
                    results.append(woe_table(x, y, bins="values").iv)
            design = f"IV K={K} bads={bads} goods={goods} n_eff*IV={target:g} (IV={truth:.4f})"
            rows.append(_row(design, "IV 95% upper bound", truth, results))
    return rows


def _psi_rows(reps: int, rng: np.random.Generator) -> list[dict]:
    rows = []
    K, n_exp, n_act = 10, 2000, 100
    n_eff = n_exp * n_act / (n_exp + n_act)
    for target in (0.0, 1.0, 5.0, 15.0):
        p, q = _tilt(K, _size_for(K, n_eff, target))
        truth = _jeffreys(p, q)
        results = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(reps):
                expected = rng.choice(K, n_exp, p=q)
                actual = rng.choice(K, n_act, p=p)
                r = psi(expected, actual, bins="values", pvalue_method="chi2")
                results.append(r.divergence)
        design = f"PSI K={K} expected={n_exp} actual={n_act} n_eff*PSI={target:g} (PSI={truth:.4f})"
        rows.append(_row(design, "PSI 95% upper bound", truth, results))
    return rows


def _fairness_rows(reps: int, rng: np.random.Generator) -> list[dict]:
    rows = []
    K, n_a, n_b = 5, 60, 1940
    n_eff = n_a * n_b / (n_a + n_b)
    g = np.r_[np.full(n_a, "a"), np.full(n_b, "b")]
    for target in (0.0, 1.0, 5.0, 15.0):
        pa, pb = _tilt(K, _size_for(K, n_eff, target))
        truth = _jeffreys(pa, pb)
        cols = {
            f"r{r}": np.r_[rng.choice(K, n_a, p=pa), rng.choice(K, n_b, p=pb)] for r in range(reps)
        }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = protected_divergence(pd.DataFrame(cols), g, bins=None)
        results = [res.results[("a vs b", f"r{r}")] for r in range(reps)]
        # the table's column is the same bound
        assert np.allclose(res.fairness.loc["a vs b", "upper_bound"].to_numpy(), _bounds(results))
        design = f"fairness IV K={K} n_a={n_a} (3%) n_b={n_b} n_eff*J={target:g} (J={truth:.4f})"
        rows.append(_row(design, "fairness IV 95% upper bound", truth, results))
    return rows


def _bounds(results: list) -> np.ndarray:
    return np.array([r.upper_bound(ALPHA) for r in results])


def rows(reps: int, seed: int) -> list[dict]:
    """One-sided coverage rows of the 95% upper bound (see the module docstring)."""
    rng = np.random.default_rng(seed)
    return _iv_rows(reps, rng) + _psi_rows(reps, rng) + _fairness_rows(reps, rng)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    table = pd.DataFrame(rows(args.reps, args.seed))
    cols = [
        "design",
        "rate",
        "rate_before",
        "zero_share",
        "zero_share_before",
        "mean_bound",
        "mean_bound_before",
        "method",
    ]
    mc_se = np.sqrt(0.95 * 0.05 / args.reps)
    with pd.option_context("display.width", 250, "display.max_colwidth", 80):
        print(f"one-sided 95% upper bound, {args.reps} replicates per row (MC SE {mc_se:.4f})")
        print(table[cols].to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"\n({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
