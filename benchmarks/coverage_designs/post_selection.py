"""Coverage design of issue 15, item 2: tests and intervals after supervised binning.

Population: ``n = 2000`` rows, ten independent N(0, 1) features, a logistic target with 20%
events, ``logit P(bad | x) = a + 0.1 x_1 + 0.2 x_2 + 0.3 x_3`` (IV of the raw feature about
``beta^2``: 0.01, 0.04, 0.09); ``x_4 .. x_10`` are pure noise (IV 0 whatever the bins). Each
replicate draws a data set and fits

* ``StumpBinner(pvalue_cv=5)``: its ``summary()`` p-value (``pvalue_method`` ``"cross-fit"``)
  and, for comparison, the in-sample p-value of ``woe_tables_`` on the same bins (the only
  test before the fix: ``"in-sample"``);
* ``Scorecard(max_iv_pvalue=0.05)`` (default cross-fitted encoder): the p-value of
  ``encoder_.iv_`` (``"cross-fit"``) and whether each feature was selected.

Rows: rejection rate at 5% on the noise features (size; every noise feature of every replicate
is one test, so ``reps`` counts tests: 7 per data set) and on ``x_1 .. x_3`` (power); the
Scorecard's selection rate of noise features (and, for comparison, the rate the old in-sample
rule would give); the coverage of the two-sided IV interval of ``summary()`` for the IV of the
chosen bins in the population (0 for noise features; by numerical integration for the others).

Run alone:  python benchmarks/coverage_designs/post_selection.py [reps] [seed]
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
import pandas as pd
from scipy import special, stats

from infodiv.binning import StumpBinner
from infodiv.credit import Scorecard

ITEM = "2 bins chosen on the same rows"
N = 2000
RATE = 0.2
BETAS = (0.1, 0.2, 0.3)
N_NOISE = 7
ALPHA = 0.05
_GRID = np.linspace(-8.0, 8.0, 16001)
_PHI = stats.norm.pdf(_GRID)


def _intercept() -> float:
    """Intercept ``a`` giving an event rate of ``RATE`` (x_1..x_3 independent N(0, 1))."""
    from scipy import optimize

    s = float(np.sqrt(sum(b * b for b in BETAS)))

    def rate(a: float) -> float:
        return float(np.sum(_PHI * special.expit(a + s * _GRID)) * (_GRID[1] - _GRID[0]))

    return float(optimize.brentq(lambda a: rate(a) - RATE, -10.0, 10.0))


def _true_iv(edges: tuple, beta: float, a: float) -> float:
    """Population IV (Jeffreys) of bins cut at ``edges`` for a feature of effect ``beta``.

    The other effects are marginalised: ``P(bad | x_j) = E expit(a + beta x_j + s Z)`` with
    ``s^2`` the sum of the other squared effects, by Gauss-Hermite quadrature.
    """
    if beta == 0.0:
        return 0.0
    s = float(np.sqrt(sum(b * b for b in BETAS) - beta * beta))
    z, wz = np.polynomial.hermite_e.hermegauss(40)
    wz = wz / wz.sum()
    pbad = special.expit(a + beta * _GRID[:, None] + s * z[None, :]) @ wz
    code = np.searchsorted(np.asarray(edges, dtype=float), _GRID, side="right")
    K = len(edges) + 1
    bad = np.bincount(code, weights=_PHI * pbad, minlength=K)
    good = np.bincount(code, weights=_PHI * (1 - pbad), minlength=K)
    p, q = bad / bad.sum(), good / good.sum()
    return float(np.sum((p - q) * np.log(p / q)))


def _simulate(reps: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = _intercept()
    F = len(BETAS) + N_NOISE
    beta = np.r_[BETAS, np.zeros(N_NOISE)]
    names = [f"x{j + 1}" for j in range(F)]
    out: dict[str, list[np.ndarray]] = {
        k: [] for k in ("p_cf", "p_in", "p_enc", "sel", "cover", "se", "est", "truth", "lo", "hi")
    }
    for _ in range(reps):
        X = rng.normal(size=(N, F))
        y = (rng.random(N) < special.expit(a + X @ beta)).astype(int)
        frame = pd.DataFrame(X, columns=names)
        rs = int(rng.integers(2**31 - 1))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            b = StumpBinner(pvalue_cv=5, random_state=rs).fit(frame, y)
            summ = b.summary().loc[names]
            card = Scorecard(max_iv_pvalue=ALPHA, random_state=rs).fit(frame, y)
        out["p_cf"].append(summ["pvalue"].to_numpy())
        out["p_in"].append(np.array([b.woe_tables_[f].iv.pvalue for f in names]))
        out["p_enc"].append(card.encoder_.iv_.loc[names, "pvalue"].to_numpy())
        out["sel"].append(np.isin(names, card.features_))
        truth = np.array([_true_iv(b.bins_[f].edges, beta[j], a) for j, f in enumerate(names)])
        out["truth"].append(truth)
        out["cover"].append(
            (summ["ci_low"].to_numpy() <= truth) & (truth <= summ["ci_high"].to_numpy())
        )
        out["lo"].append(summ["ci_low"].to_numpy())
        out["hi"].append(summ["ci_high"].to_numpy())
        out["se"].append(summ["se"].to_numpy())
        out["est"].append(summ["estimate"].to_numpy())
    return {k: np.asarray(v) for k, v in out.items()}


def _row(design: str, quantity: str, kind: str, hits: np.ndarray, method: str, **kw) -> dict:
    return {
        "item": ITEM,
        "design": design,
        "quantity": quantity,
        "type": kind,
        "rate": float(np.mean(hits)),
        "reps": int(np.size(hits)),
        "se_ratio": kw.get("se_ratio", float("nan")),
        "method": method,
        "flag": kw.get("flag", ""),
    }


#: the ci_note of summary() and iv_ on bins chosen by a binner (what the user reads)
CI_NOTE = "in-sample: bins chosen on these rows; the interval does not account for that choice"
IN_SAMPLE_FLAG = (
    "pvalue_method='in-sample': the bins were chosen on these rows (the test rejects too "
    "often; summary() with pvalue_cv and Scorecard use the cross-fitted test)"
)


def rows(reps: int, seed: int) -> list[dict]:
    """The coverage rows of this design (see the module docstring)."""
    return rows_from(_simulate(reps, seed))


def rows_from(r: dict[str, np.ndarray]) -> list[dict]:
    """The rows from simulated replicates (arrays of shape (reps, features))."""
    noise = slice(len(BETAS), None)
    base = f"StumpBinner n={N} bads={int(RATE * 100)}% 7 N(0,1) noise features"
    test = "test IV=0 at 5%"
    out = [
        _row(base, f"summary() {test}", "size", r["p_cf"][:, noise] <= ALPHA, "cross-fit"),
        _row(
            base,
            f"woe_tables_ {test} (old rule)",
            "size",
            r["p_in"][:, noise] <= ALPHA,
            "in-sample",
            flag=IN_SAMPLE_FLAG,
        ),
        _row(base, f"WoEEncoder.iv_ {test}", "size", r["p_enc"][:, noise] <= ALPHA, "cross-fit"),
        _row(
            base,
            "Scorecard(max_iv_pvalue=0.05) keeps a noise feature",
            "size",
            r["sel"][:, noise],
            "cross-fit",
        ),
        _row(
            base,
            "old in-sample rule (p <= 0.05) would keep a noise feature",
            "size",
            r["p_in"][:, noise] <= ALPHA,
            "in-sample",
            flag=IN_SAMPLE_FLAG,
        ),
    ]
    for j, bt in enumerate(BETAS):
        d = f"StumpBinner n={N} bads={int(RATE * 100)}% logistic beta={bt:g} (IV~{bt * bt:.2f})"
        out.append(_row(d, f"summary() {test}", "power", r["p_cf"][:, j] <= ALPHA, "cross-fit"))
        out.append(
            _row(d, f"WoEEncoder.iv_ {test}", "power", r["p_enc"][:, j] <= ALPHA, "cross-fit")
        )
        out.append(
            _row(
                d,
                f"woe_tables_ {test} (old rule)",
                "power",
                r["p_in"][:, j] <= ALPHA,
                "in-sample",
                flag=IN_SAMPLE_FLAG,
            )
        )
    # the IV interval of summary(): for the population IV of the bins chosen
    for label, cols in (
        ("noise (IV 0)", noise),
        *((f"beta={b:g}", j) for j, b in enumerate(BETAS)),
    ):
        cover = r["cover"][:, cols]
        est = r["est"][:, cols]
        sd = float(np.std(est - r["truth"][:, cols], ddof=1))
        ratio = float(np.mean(r["se"][:, cols]) / sd) if sd > 0 else float("nan")
        rate = float(np.mean(cover))
        flag = ""
        if not 0.93 <= rate <= 0.97:
            flag = "ci_note: " + CI_NOTE
        out.append(
            _row(
                f"StumpBinner n={N} bads={int(RATE * 100)}% {label}",
                "IV 95% CI (for the chosen bins)",
                "two-sided",
                cover,
                "in-sample",
                se_ratio=ratio,
                flag=flag,
            )
        )
    return out


if __name__ == "__main__":
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    t0 = time.perf_counter()
    table = pd.DataFrame(rows(reps, seed))
    mc = np.sqrt(table["rate"] * (1 - table["rate"]) / table["reps"])
    table.insert(table.columns.get_loc("rate") + 1, "mc_se", mc)
    with pd.option_context("display.width", 250, "display.max_colwidth", 70):
        print(table.drop(columns=["item"]).to_string(float_format=lambda v: f"{v:.4f}"))
    print(f"{time.perf_counter() - t0:.0f} s")
