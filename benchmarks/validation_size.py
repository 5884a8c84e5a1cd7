"""Size of every test of the validation pack under its null hypothesis, by simulation.

Each design draws data for which the test's null hypothesis holds and records how often the
test rejects at 5% (the p-value below 0.05). A test holds its level when the rate lies within
3.5-6.5%; the rows that do not are explained in the ``note`` column and in
``docs/validation.md``. The Monte-Carlo standard error of a rate near 5% is
``sqrt(0.05 * 0.95 / R)`` (0.31% at R = 5,000, 0.49% at R = 2,000).

Designs (all seeded):

- ``jeffreys_portfolio`` / ``binomial_portfolio``: 2,000 obligors, PD 5% (100 expected
  defaults), defaults Bernoulli(PD);
- ``jeffreys_grades`` / ``binomial_grades``: 5 grades, N = (600, 800, 1,000, 800, 600), PDs
  (4%, 6%, 8%, 12%, 25%), 24-150 expected defaults; the rate averaged over the grades, and the
  family-wise rate of the Holm-adjusted p-values (``*_holm``, at most 5% by construction);
- ``jeffreys_few_defaults`` / ``binomial_few_defaults``: one grade, N = 300, PD 1% (3
  expected defaults): discreteness;
- ``hosmer_lemeshow_fixed``: 10 grades of 500, PDs 2-30% fixed in advance, chi-square(10);
- ``hosmer_lemeshow_fitted``: a logistic model fitted on the same 3,000 rows, deciles of its
  PD, chi-square(8);
- ``spiegelhalter``: 3,000 obligors, PDs Beta(1, 10), defaults Bernoulli(PD);
- ``auc_change_ecb_known``: current sample 2,000 (20% defaults, binormal scores, AUC 0.760),
  ``AUC_init`` the true AUC (the ECB test's premise); ``auc_change_ecb_estimated``: the same
  with ``AUC_init`` estimated on a development sample of 4,667 (70/30 split);
  ``auc_change_unpaired``: that design with both SEs;
- ``ks``: 1,000 rows, 20% defaults, one score law for both classes (SciPy's KS p-value);
- ``concentration_n2000`` / ``concentration_n200``: one grade distribution (7 grades), the
  initial sample 5,000 obligors, the current 2,000 (200);
- ``missing_rate``: missing rate 5% in 3,000 development and 2,000 current rows;
- ``psi_grades``: 10 grades, 3,000 vs 2,000 rows from one distribution (infodiv's PSI test);
- ``iv_change_equal`` / ``iv_change_70_30``: one population (logistic on a normal feature, 6
  fixed bins), samples of 3,000 and 3,000 (7,000 and 3,000), one-sided z test of an IV fall.

Run:  python benchmarks/validation_size.py [R]   (default 5,000 for the fast designs and 40% of
it for the slow ones; writes benchmarks/results/validation_size.txt)
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from infodiv.credit import (
    auc,
    auc_change_test,
    binomial_test,
    concentration,
    concentration_test,
    hosmer_lemeshow,
    iv_summary,
    jeffreys_test,
    ks_test,
    psi_summary,
    spiegelhalter_test,
)

Design = Callable[[np.random.Generator], dict[str, float]]

_GRADE_N = np.array([600, 800, 1000, 800, 600])
_GRADE_PD = np.array([0.04, 0.06, 0.08, 0.12, 0.25])
_DELTA = 1.0  # binormal shift: AUC = Phi(1 / sqrt 2) = 0.760
_CONC = np.array([0.05, 0.10, 0.20, 0.30, 0.20, 0.10, 0.05])


def _portfolio(rng: np.random.Generator) -> dict[str, float]:
    p = np.full(2000, 0.05)
    y = (rng.random(p.size) < p).astype(int)
    return {
        "jeffreys_portfolio": float(jeffreys_test(y, p).pvalue["portfolio"]),
        "binomial_portfolio": float(binomial_test(y, p).pvalue["portfolio"]),
    }


def _grades(rng: np.random.Generator) -> dict[str, float]:
    g = np.repeat(np.arange(1, 6), _GRADE_N)
    p = np.repeat(_GRADE_PD, _GRADE_N)
    y = (rng.random(p.size) < p).astype(int)
    out = {}
    for name, fn in (("jeffreys", jeffreys_test), ("binomial", binomial_test)):
        r = fn(y, p, g)
        pv = r.pvalue.drop("portfolio").to_numpy()
        out[f"{name}_grades"] = pv  # one p per grade: averaged below
        out[f"{name}_grades_holm"] = float(r.pvalue_holm.drop("portfolio").min())
    return out  # type: ignore[return-value]


def _few(rng: np.random.Generator) -> dict[str, float]:
    p = np.full(300, 0.01)
    y = (rng.random(p.size) < p).astype(int)
    return {
        "jeffreys_few_defaults": float(jeffreys_test(y, p).pvalue["portfolio"]),
        "binomial_few_defaults": float(binomial_test(y, p).pvalue["portfolio"]),
    }


def _hl_fixed(rng: np.random.Generator) -> dict[str, float]:
    pds = np.linspace(0.02, 0.30, 10)
    g = np.repeat(np.arange(1, 11), 500)
    p = np.repeat(pds, 500)
    y = (rng.random(p.size) < p).astype(int)
    return {"hosmer_lemeshow_fixed": hosmer_lemeshow(y, p, g).pvalue}


def _hl_fitted(rng: np.random.Generator) -> dict[str, float]:
    import statsmodels.api as sm

    x = rng.normal(size=3000)
    y = (rng.random(3000) < 1 / (1 + np.exp(-(-1.5 + 0.8 * x)))).astype(int)
    X = sm.add_constant(x)
    p = sm.Logit(y, X).fit(disp=0).predict(X)
    return {"hosmer_lemeshow_fitted": hosmer_lemeshow(y, p, fitted=True).pvalue}


def _spiegelhalter(rng: np.random.Generator) -> dict[str, float]:
    p = rng.beta(1, 10, 3000)
    y = (rng.random(3000) < p).astype(int)
    return {"spiegelhalter": spiegelhalter_test(y, p).pvalue}


def _binormal(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    y = (rng.random(n) < 0.2).astype(int)
    return y, rng.normal(size=n) + _DELTA * y


def _auc_change(rng: np.random.Generator) -> dict[str, float]:
    true_auc = float(stats.norm.cdf(_DELTA / np.sqrt(2)))
    y1, s1 = _binormal(rng, 2000)
    y0, s0 = _binormal(rng, 4667)
    cur = auc(y1, s1)
    init = auc(y0, s0)
    return {
        "auc_change_ecb_known": auc_change_test(true_auc, cur).pvalue,
        "auc_change_ecb_estimated": auc_change_test(init, cur).pvalue,
        "auc_change_unpaired": auc_change_test(init, cur, method="unpaired").pvalue,
    }


def _ks(rng: np.random.Generator) -> dict[str, float]:
    y = (rng.random(1000) < 0.2).astype(int)
    s = rng.normal(size=1000)
    return {"ks": ks_test(y, s, n_resamples=20).pvalue}


def _concentration(rng: np.random.Generator) -> dict[str, float]:
    init = concentration(counts=rng.multinomial(5000, _CONC))
    out = {}
    for n in (2000, 200):
        cur = concentration(counts=rng.multinomial(n, _CONC))
        out[f"concentration_n{n}"] = concentration_test(init, cur).pvalue
    return out


def _missing(rng: np.random.Generator) -> dict[str, float]:
    from infodiv.credit import representativeness

    a = np.where(rng.random(3000) < 0.05, np.nan, 1.0)
    b = np.where(rng.random(2000) < 0.05, np.nan, 1.0)
    rep = representativeness(pd.DataFrame({"x": a}), pd.DataFrame({"x": b}), bins=2)
    return {"missing_rate": float(rep["rates"]["pvalue"].iloc[0])}


def _psi_grades(rng: np.random.Generator) -> dict[str, float]:
    probs = np.linspace(1, 2, 10)
    probs = probs / probs.sum()
    a = pd.DataFrame({"g": pd.Categorical(rng.choice(10, 3000, p=probs), categories=range(10))})
    b = pd.DataFrame({"g": pd.Categorical(rng.choice(10, 2000, p=probs), categories=range(10))})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = psi_summary(a, b, bins="values")
    return {"psi_grades": float(t["pvalue"].iloc[0])}


def _iv_sample(rng: np.random.Generator, n: int) -> tuple[pd.DataFrame, np.ndarray]:
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(-1.5 + 0.8 * x)))).astype(int)
    b = np.digitize(x, [-1.0, -0.5, 0.0, 0.5, 1.0])
    return pd.DataFrame({"x": b}), y


def _iv_change(rng: np.random.Generator) -> dict[str, float]:
    out = {}
    for name, (n0, n1) in (("iv_change_equal", (3000, 3000)), ("iv_change_70_30", (7000, 3000))):
        X0, y0 = _iv_sample(rng, n0)
        X1, y1 = _iv_sample(rng, n1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            i0 = iv_summary(X0, y0, bins="values").iloc[0]
            i1 = iv_summary(X1, y1, bins="values").iloc[0]
        # the pack's test (model_checks): z = (IV_cur - IV_dev) / sqrt(se_dev^2 + se_cur^2)
        z = (i1["estimate"] - i0["estimate"]) / np.hypot(i0["se"], i1["se"])
        out[name] = float(stats.norm.cdf(z))
    return out


#: (design, slow): slow designs run a fifth of the replications.
DESIGNS: list[tuple[Design, bool]] = [
    (_portfolio, False),
    (_grades, False),
    (_few, False),
    (_hl_fixed, False),
    (_hl_fitted, True),
    (_spiegelhalter, False),
    (_auc_change, True),
    (_ks, True),
    (_concentration, False),
    (_missing, True),
    (_psi_grades, True),
    (_iv_change, True),
]

#: Why a row is allowed outside 3.5-6.5% (docs/validation.md).
NOTES = {
    "binomial_portfolio": "discrete: size at most the level",
    "binomial_grades": "discrete: size at most the level",
    "binomial_few_defaults": "discrete, 3 expected defaults: far below the level",
    "jeffreys_few_defaults": "discrete, 3 expected defaults: the attainable sizes jump",
    "jeffreys_grades_holm": "family-wise (Holm): at most the level",
    "binomial_grades_holm": "family-wise (Holm): at most the level",
    "auc_change_ecb_estimated": "ECB test treats AUC_init as known; it is an estimate here",
    "concentration_n2000": "ignores N: size not controlled",
    "concentration_n200": "ignores N: size not controlled",
    "iv_change_70_30": "IV bias differs with n (current smaller): conservative",
}


def simulate(reps: int, seed: int = 0, slow_share: float = 0.2) -> pd.DataFrame:
    """Rejection rates at 5% of every design: ``test``, ``reps``, ``size``, ``mc_se``, ``note``.

    Parameters
    ----------
    reps : int
        Replications of the fast designs (slow ones: ``slow_share`` of it, at least 100).
    seed : int
        Seed of the first design (each design its own stream).
    slow_share : float
        Share of ``reps`` for the slow designs.

    Returns
    -------
    pandas.DataFrame
        One row per test.
    """
    rows = []
    for k, (design, slow) in enumerate(DESIGNS):
        rng = np.random.default_rng([seed, k])
        R = max(100, int(reps * slow_share)) if slow else reps
        hits: dict[str, list[float]] = {}
        for _ in range(R):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = design(rng)
            for name, p in out.items():
                hits.setdefault(name, []).extend(np.atleast_1d(np.asarray(p) < 0.05).tolist())
        for name, h in hits.items():
            rate = float(np.mean(h))
            rows.append(
                {
                    "test": name,
                    "reps": R,
                    "size": rate,
                    "mc_se": float(np.sqrt(0.05 * 0.95 / len(h))),
                    "within_3.5_6.5": 0.035 <= rate <= 0.065,
                    "note": NOTES.get(name, ""),
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    t0 = time.time()
    table = simulate(reps, slow_share=0.4)
    elapsed = time.time() - t0
    text = (
        "Size at 5% of the validation pack's tests under their null hypotheses\n"
        f"command: python benchmarks/validation_size.py {reps}   ({elapsed:.0f} s, on a "
        "shared 2-core machine under load)\n"
        "mc_se: Monte-Carlo SE of a 5% rate with that many p-values (per-grade rows pool "
        "the 5 grades)\n\n"
        + table.to_string(
            index=False, formatters={"size": "{:.4f}".format, "mc_se": "{:.4f}".format}
        )
        + "\n"
    )
    print(text)
    out = Path(__file__).resolve().parent / "results" / "validation_size.txt"
    out.write_text(text)


if __name__ == "__main__":
    main()
