"""Coverage design of issue 15, item 1: IV of thin tables (few bads per bin).

Population: K bins with equal good shares ``q_j = 1/K`` and bad shares tilted monotonically,
``p_j ~ exp(b s_j)`` with ``s`` evenly spaced on [-1, 1] and ``b`` solved so that the Jeffreys
divergence ``J(p, q)`` (the IV) equals 0, 0.02, 0.1, 0.3 or 1.0. Each replicate draws
``Mult(n_bad, p)`` bads and ``Mult(15 n_bad, q)`` goods (goods 15 times the bads), expands them to
rows (a bin code and a 0/1 target) and calls :func:`infodiv.woe_table` with ``bins="values"``:
the result's IV interval, its test of IV = 0 and the warnings it gives are what is measured.

Rows per design (K in {5, 10, 20} x bads in {40, 200} x IV): coverage of the two-sided 95% IV
interval (IV > 0 only: at IV = 0 the interval covers 0 exactly when its lower end is 0, i.e.
when the one-sided test at 2.5% does not reject, 0.975 by construction, which the size row
measures), and the rejection rate at 5% of the test of IV = 0 (size at IV = 0, power above),
with the SE ratio (mean reported SE over the Monte-Carlo SD of the estimate), the method the
result reports (``ci_method_used``; ``pvalue_method_used``) and, where a row is knowingly outside its
target, the words the result shows the user (its ``thin_note``, shortened). Run alone, the
script also prints the mean ``bias_corrected`` of every design against the truth.

Run alone:  python benchmarks/coverage_designs/thin_bins.py [reps] [seed]
"""

from __future__ import annotations

import sys
import time
import warnings
from collections import Counter

import numpy as np
from scipy import optimize

from infodiv import woe_table

ITEM = "1 thin bins"
KS = (5, 10, 20)
BADS = (40, 200)
IVS = (0.0, 0.02, 0.1, 0.3, 1.0)
GOODS_PER_BAD = 15
#: design -> (truth, mean estimate, mean bias_corrected) of the last run (printed by main)
BIAS: dict[str, tuple[float, float, float]] = {}


def _jeffreys(p: np.ndarray, q: np.ndarray) -> float:
    return float(np.sum((p - q) * np.log(p / q)))


def population(k: int, iv: float) -> tuple[np.ndarray, np.ndarray]:
    """Bad and good shares over ``k`` bins with Jeffreys divergence ``iv``."""
    q = np.full(k, 1.0 / k)
    s = np.linspace(-1.0, 1.0, k)

    def p_of(b: float) -> np.ndarray:
        w = np.exp(b * s)
        return w / w.sum()

    if iv == 0:
        return q.copy(), q
    b = optimize.brentq(lambda b: _jeffreys(p_of(b), q) - iv, 1e-9, 50.0, xtol=1e-13)
    return p_of(b), q


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _design(k: int, n_bad: int, iv: float, reps: int, rng: np.random.Generator) -> list[dict]:
    p, q = population(k, iv)
    n_good = GOODS_PER_BAD * n_bad
    codes = np.arange(k)
    est, ses, bcs, hit, rej = [], [], [], 0, 0
    ci_methods: Counter[str] = Counter()
    p_methods: Counter[str] = Counter()
    notes: Counter[str] = Counter()
    for _ in range(reps):
        bad = rng.multinomial(n_bad, p)
        good = rng.multinomial(n_good, q)
        x = np.r_[np.repeat(codes, bad), np.repeat(codes, good)]
        y = np.r_[np.ones(n_bad, int), np.zeros(n_good, int)]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t = woe_table(x, y, bins="values")
        r = t.iv
        lo, hi = r.conf_int()
        est.append(r.estimate)
        ses.append(r.se)
        hit += lo <= iv <= hi
        rej += r.pvalue < 0.05
        ci_methods[r.ci_method_used] += 1
        bcs.append(r.bias_corrected)
        p_methods[str(getattr(r, "pvalue_method_used", "chi2"))] += 1
        note = getattr(r, "thin_note", "")
        said = [str(w.message) for w in caught if type(w.message).__name__ == "ThinTableWarning"]
        if note or said:
            notes[_short(note or said[0])] += 1
    sd = float(np.std(est))
    se_ratio = float(np.mean(ses)) / sd if sd > 0 else float("nan")
    design = f"IV K={k} bads={n_bad} goods={n_good} IV={iv:g}"
    BIAS[design] = (iv, float(np.mean(est)), float(np.mean(bcs)))
    flag = notes.most_common(1)[0][0] if notes else ""
    ci_rate, test_rate = hit / reps, rej / reps
    ci_ok = 0.93 <= ci_rate <= 0.97
    test_ok = iv > 0 or 0.035 <= test_rate <= 0.065
    ci_m = "/".join(m for m, _ in ci_methods.most_common())
    p_m = "/".join(m for m, _ in p_methods.most_common())
    ci_row = [
        {
            "item": ITEM,
            "design": design,
            "quantity": "IV 95% CI",
            "type": "two-sided",
            "rate": ci_rate,
            "reps": reps,
            "se_ratio": se_ratio,
            "method": ci_m,
            "flag": "" if ci_ok else flag,
        }
    ]
    return (ci_row if iv > 0 else []) + [
        {
            "item": ITEM,
            "design": design,
            "quantity": "test IV=0 at 5%",
            "type": "size" if iv == 0 else "power",
            "rate": test_rate,
            "reps": reps,
            "se_ratio": float("nan"),
            "method": p_m,
            "flag": "" if test_ok else flag,
        },
    ]


def rows(reps: int, seed: int) -> list[dict]:
    """The coverage rows of every thin-bin design (see the module docstring)."""
    rng = np.random.default_rng(seed)
    out: list[dict] = []
    for n_bad in BADS:
        for k in KS:
            for iv in IVS:
                out += _design(k, n_bad, iv, reps, rng)
    return out


def main() -> None:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    t0 = time.perf_counter()
    table = rows(reps, seed)
    print(f"{'design':<38} {'quantity':<16} {'type':<9} {'rate':>6} {'se_r':>5} method | flag")
    for r in table:
        print(
            f"{r['design']:<38} {r['quantity']:<16} {r['type']:<9} {r['rate']:>6.3f} "
            f"{r['se_ratio']:>5.2f} {r['method']} | {r['flag'][:90]}"
        )
    print(f"reps {reps}, seed {seed}, {time.perf_counter() - t0:.0f} s")
    print(f"\n{'design':<38} {'truth':>6} {'mean est':>9} {'mean bias_corrected':>20}")
    for d, (truth, m_est, m_bc) in BIAS.items():
        print(f"{d:<38} {truth:>6.3g} {m_est:>9.3f} {m_bc:>20.3f}")


if __name__ == "__main__":
    main()
