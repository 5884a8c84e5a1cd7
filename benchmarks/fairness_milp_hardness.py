"""Diagnosis (not a test): why the score-gap (F2) frontier points of the 300 x 8 benchmark are slow
with the per-feature margin (``margin="per_feature"``, the default before issue 17).

Same instance as ``benchmarks/fairness_milp.py`` (20,000 synthetic rows, 300 features, 8 quantile
binnings each, at most 25 features, relative gap 1e-4). For three of its score-gap points
(points 5, 10 and 20 of 20) this prints:

1. the default solve (HiGHS, 20 s limit): status, seconds, objective, proven bound;
2. the root LP bound (LP relaxation of the same programme, solved by scipy's HiGHS LP) and its
   distance from the best objective found, i.e. the gap branch-and-bound has to close;
3. a solve told the best objective in advance (HiGHS ``objective_bound`` as a cut-off, 30 s
   limit): the time left to *prove* optimality once the optimum is known;
4. a solve with a looser relative gap of 1e-2 (20 s limit);
5. the anatomy of the best selection: number of features, signed group gap ``sum Delta`` and
   the margin ``kappa sum s`` that the budget row charges;

then the whole 20-point score-gap frontier of a *different* programme, the same rows without
the per-feature margin (``s = 0``), to show that the margin, not the signed gap, is what makes
the programme hard.

Run:  PYTHONPATH=. python benchmarks/fairness_milp_hardness.py
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections import Counter

import numpy as np
import pulp
from scipy.optimize import linprog

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fairness_milp import synthetic  # noqa: E402  (the benchmark's instance)

from infodiv.fairness._frontier import FairnessFrontier  # noqa: E402
from infodiv.fairness._milp import (  # noqa: E402
    CandidateStats,
    dominated_candidates,
    make_solver,
    solve_selection,
)

K, GAP, KAPPA, LAMBDA, POINTS = 25, 1e-4, 1.645, 1.645, 20


def root_lp_bound(st: CandidateStats, delta: float) -> float:
    """LP relaxation of the score-gap programme (same live candidates as solve_selection)."""
    live = np.flatnonzero(~dominated_candidates(st, score_gap=delta, margin="per_feature"))
    obj = st.objective(LAMBDA)[live]
    feats = st.feature[live].astype(str)
    uniq, inv = np.unique(feats, return_inverse=True)
    one_per_feature = np.zeros((uniq.size, live.size))
    one_per_feature[inv, np.arange(live.size)] = 1.0
    rows = [one_per_feature, np.ones((1, live.size))]
    rhs = [np.ones(uniq.size), [K]]
    for _, coef in st.budget_rows(
        KAPPA, score_gap=True, feature_divergence=False, margin="per_feature"
    ):
        rows.append(coef[live].T)
        rhs.append(np.full(coef.shape[1], delta))
    res = linprog(
        -obj, A_ub=np.vstack(rows), b_ub=np.concatenate(rhs), bounds=(0, 1), method="highs"
    )
    if res.status != 0:
        raise RuntimeError(f"root LP failed: {res.message}")
    return float(-res.fun)


def main() -> None:
    print(f"cpus visible: {os.cpu_count()}, load average: {os.getloadavg()}")
    X, y = synthetic(20000, 300)
    ff = FairnessFrontier(
        protected="group", budgets=[1e9], max_features=K, time_limit=20, gap=GAP, random_state=0
    ).fit(X, y)
    st = ff.stats_
    free = solve_selection(
        st, max_features=K, time_limit=20, gap=GAP, random_state=0, margin="per_feature"
    )
    reach = float(free.f2.max())
    print(
        f"{st.n_candidates} candidates; unconstrained optimum {free.objective:.4f} with score "
        f"gap row {reach:.4f}; max_features {K}, relative gap {GAP:g}\n"
    )

    for k in (5, 10, 20):
        delta = reach * (POINTS + 1 - k) / (POINTS + 1)
        base = solve_selection(
            st,
            margin="per_feature",
            score_gap=delta,
            max_features=K,
            time_limit=20,
            gap=GAP,
            random_state=0,
        )
        loose = solve_selection(
            st,
            margin="per_feature",
            score_gap=delta,
            max_features=K,
            time_limit=20,
            gap=1e-2,
            random_state=0,
        )
        best = max(base.objective, loose.objective)
        lp = root_lp_bound(st, delta)
        # The best objective known in advance, handed to HiGHS as a cut-off (PuLP minimises
        # the negated objective, hence the sign); a hair below it so the optimum stays inside.
        cut = make_solver("highs", time_limit=30, gap=GAP, random_state=0)
        cut.optionsDict["objective_bound"] = -(best - 1e-6)
        told = solve_selection(
            st, margin="per_feature", score_gap=delta, max_features=K, solver=cut
        )
        c = np.array(base.chosen if base.objective >= loose.objective else loose.chosen)
        print(f"point {k}: score-gap budget {delta:.4f}")
        print(
            f"  default solve    {base.status:9s} {base.solve_time:6.2f} s  objective "
            f"{base.objective:.4f}  proven bound {base.bound:.4f}"
        )
        print(
            f"  root LP bound    {lp:.4f}: {100 * (lp - best) / best:.2f}% above the best "
            f"objective found ({best:.4f})"
        )
        print(
            f"  optimum told     {told.status:9s} {told.solve_time:6.2f} s  proven bound "
            f"{told.bound:.4f}  (cut-off {best:.4f})"
        )
        print(
            f"  gap 1e-2         {loose.status:9s} {loose.solve_time:6.2f} s  objective "
            f"{loose.objective:.4f}"
        )
        print(
            f"  best selection   {c.size} features, sum Delta {st.gap[c, 0].sum():+.4f}, "
            f"kappa sum s {KAPPA * st.gap_se[c, 0].sum():.4f} (budget {delta:.4f})\n"
        )

    nomargin = dataclasses.replace(st, gap_se=np.zeros_like(st.gap_se))
    free0 = solve_selection(nomargin, max_features=K, time_limit=20, gap=GAP, random_state=0)
    reach0 = float(free0.f2.max())
    times, statuses = [], []
    t0 = time.perf_counter()
    for k in range(1, POINTS + 1):
        sel = solve_selection(
            nomargin,
            score_gap=reach0 * (POINTS + 1 - k) / (POINTS + 1),
            max_features=K,
            time_limit=20,
            gap=GAP,
            random_state=0,
        )
        times.append(sel.solve_time)
        statuses.append(sel.status)
    print(
        f"without the margin (s = 0; a different programme): reach {reach0:.4f}, 20 points in "
        f"{time.perf_counter() - t0:.1f} s, per point median {np.median(times):.2f} s, max "
        f"{max(times):.2f} s, statuses {dict(Counter(statuses))}"
    )
    print(f"HiGHS via highspy, PuLP {pulp.__version__}")


if __name__ == "__main__":
    main()
