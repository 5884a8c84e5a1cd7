"""Issue 15 item 6: the PNCriterion c1 interval (bootstrap by default) under a misspecified
model: normal on Gamma(3) data and Poisson on negative-binomial data. True c1 in closed form
(``benchmarks/pn_coverage.py``). Bootstrap B = 500; at most 300 replications per row."""

from __future__ import annotations

import numpy as np
from pn_coverage import draw, truths

from infodiv.sample_size import PNCriterion


def rows(reps: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    truth = truths()
    reps = min(reps, 300)
    out: list[dict] = []
    settings = [("normal|gamma(3)", n) for n in (50, 200, 1000)]
    settings += [("poisson|NB(10,4)", n) for n in (50, 200)]
    for name, n in settings:
        c1 = truth[name][0]
        hits, ses, ests, note = 0, [], [], ""
        for _ in range(reps):
            pn = PNCriterion(
                family=name.split("|")[0], n_bootstrap=500, random_state=int(rng.integers(2**31))
            ).fit(draw(name, rng, n))
            ci = pn.result_.conf_int()
            hits += bool(ci.low["c1"] <= c1 <= ci.high["c1"])
            ests.append(float(pn.result_.estimate["c1"]))
            ses.append(float(pn.result_.se["c1"]))
            note = getattr(pn.result_, "ci_note", "") or note
        out.append(
            dict(
                item="6 PN criterion",
                design=f"{name} n={n}",
                quantity="c1 95% CI",
                type="two-sided",
                rate=hits / reps,
                reps=reps,
                se_ratio=float(np.mean(ses) / np.std(ests, ddof=1)),
                method=pn.result_.ci_method_used
                if hasattr(pn.result_, "ci_method_used")
                else "auto",
                flag=note,
            )
        )
    return out
