"""The score-gap budget's ``"score"`` margin: a second-order cone solved by tangent cuts.

Checked against an enumeration written here (``tests.reference.milp.brute_force``), against
the true constraint computed directly, and for honest statuses under a time limit; the
covariance matrix of the gap estimators against the score's own gap variance on the rows.
"""

import numpy as np
import pandas as pd
import pulp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st_

from infodiv.fairness import FairnessFrontier
from infodiv.fairness._candidate_stats import gap_covariance
from infodiv.fairness._milp import CandidateStats, check_margin, solve_selection
from tests.reference.milp import brute_force

KAPPA = 1.645


def _correlated(seed, n_feat=5, per_feat=3, M=1, rank_deficient=False):
    """Candidates whose gap estimators are correlated: binnings of one feature nearly
    duplicates, features sharing factors; optionally a semidefinite (singular) covariance."""
    rng = np.random.default_rng(seed)
    feat = np.repeat([f"f{i}" for i in range(n_feat)], per_feat)
    C = feat.size
    covs = []
    for _ in range(M):
        # loadings: each feature a mix of 2 shared factors and its own; its binnings share it
        F = rng.normal(size=(n_feat, 2)) * 0.04
        own = rng.normal(size=(n_feat, n_feat)) * 0.03 * np.eye(n_feat)
        L = np.hstack([F, own])[np.repeat(np.arange(n_feat), per_feat)]
        if not rank_deficient:
            L = np.hstack([L, np.diag(rng.uniform(0.002, 0.01, C))])
        covs.append(L @ L.T)
    cov = np.stack(covs)
    return CandidateStats(
        feature=feat,
        name=[f"{f}[{k}]" for f, k in zip(feat, np.tile(range(per_feat), n_feat), strict=True)],
        iv=rng.uniform(0.0, 0.5, C),
        iv_se=rng.uniform(0.0, 0.05, C),
        divergence=rng.uniform(0.0, 0.2, (C, M)),
        divergence_se=rng.uniform(0.0, 0.02, (C, M)),
        gap=rng.normal(0.0, 0.15, (C, M)),
        gap_se=np.sqrt(np.stack([np.diag(c) for c in covs], axis=1)),
        comparisons=[f"m{m}" for m in range(M)],
        gap_cov=cov,
    )


def _true_lhs(st, chosen):
    """|sum Delta| + kappa sqrt(z' Sigma z) per comparison, written out."""
    out = []
    for m in range(st.gap.shape[1]):
        g = sum(st.gap[c, m] for c in chosen)
        var = sum(st.gap_cov[m][i][j] for i in chosen for j in chosen)
        out.append(abs(g) + KAPPA * np.sqrt(max(var, 0.0)))
    return np.array(out)


@pytest.mark.parametrize(
    ("seed", "solver"), [(0, "highs"), (1, "highs"), (2, "cbc"), (3, "highs"), (4, "cbc")]
)
def test_cone_optimum_equals_brute_force_with_correlated_features(seed, solver):
    st = _correlated(seed, M=2 if seed == 4 else 1, rank_deficient=seed == 3)
    free = solve_selection(st, max_features=5, gap=0.0)
    reach = float(st.budget_values(free.chosen, KAPPA, "score")[1].max())
    n_binding = 0
    for t, kmax in [(0.9, 5), (0.6, 4), (0.4, 5), (0.25, 3), (0.1, 5)]:
        sg = reach * t
        best, best_set = brute_force(st, sg, None, kmax, 1, [], KAPPA, KAPPA, margin="score")
        sel = solve_selection(
            st,
            score_gap=sg,
            max_features=kmax,
            gap=0.0,
            time_limit=60,
            margin="score",
            solver=solver,
        )
        if best_set is None:
            assert sel.status == "infeasible", (t, sel.message)
            continue
        assert sel.status == "optimal", (t, sel.message)
        assert sel.objective == pytest.approx(best, abs=1e-7), t
        assert (_true_lhs(st, sel.chosen) <= sg * (1 + 1e-7) + 1e-7).all()
        # the margin mattered: the nominal programme (no margin) would do better
        nominal, _ = brute_force(st, sg, None, kmax, 1, [], KAPPA, KAPPA, margin=0)
        n_binding += nominal > best + 1e-9
        assert sel.cut_rounds >= 1
        assert np.isnan(sel.bound) if solver == "cbc" else sel.bound >= sel.objective - 1e-6
    assert n_binding >= 1  # the instances exercise the cone, not only the nominal rows


def test_cone_with_explicit_covariance_differs_from_independent():
    """Correlated gaps: the score's SE is not the diagonal one; the programme uses the full one."""
    st = _correlated(7)
    chosen = [0, 3, 6, 9]
    diag = np.sqrt(sum(st.gap_se[c, 0] ** 2 for c in chosen))
    full = np.sqrt(sum(st.gap_cov[0][i][j] for i in chosen for j in chosen))
    assert st.score_gap_se(chosen)[0] == pytest.approx(full, rel=1e-12)
    assert abs(full - diag) > 1e-3 * diag


@st_.composite
def _instances(draw):
    seed = draw(st_.integers(0, 2**31 - 1))
    n_feat = draw(st_.integers(2, 5))
    per_feat = draw(st_.integers(1, 3))
    M = draw(st_.integers(1, 2))
    st = _correlated(seed, n_feat, per_feat, M, rank_deficient=draw(st_.booleans()))
    t = draw(st_.floats(0.02, 1.2))
    kmax = draw(st_.integers(1, n_feat))
    return st, t, kmax


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_instances())
def test_cut_loop_never_returns_a_point_that_breaks_the_cone(inst):
    st, t, kmax = inst
    scale = float(np.abs(st.gap).sum() + KAPPA * np.sqrt(st.gap_cov.sum(axis=(1, 2)).max()))
    sg = max(scale * t / st.n_candidates, 1e-6)
    sel = solve_selection(
        st, score_gap=sg, max_features=kmax, gap=0.0, time_limit=30, margin="score"
    )
    best, best_set = brute_force(st, sg, None, kmax, 1, [], KAPPA, KAPPA, margin="score")
    if sel.usable:
        assert (_true_lhs(st, sel.chosen) <= sg * (1 + 1e-7) + 1e-7).all()
        assert len({st.feature[c] for c in sel.chosen}) == len(sel.chosen) <= kmax
    if sel.status == "optimal":
        assert sel.objective == pytest.approx(best, abs=1e-7)
    if sel.status == "infeasible":
        assert best_set is None
    # every cut is a valid under-estimator: a' z <= sqrt(z' Sigma z) for every binary z
    rng = np.random.default_rng(0)
    for m, a in sel.cuts:
        for _ in range(20):
            z = (rng.random(st.n_candidates) < 0.5).astype(float)
            assert a @ z <= np.sqrt(max(z @ st.gap_cov[m] @ z, 0.0)) + 1e-9


class _Replay(pulp.LpSolver):
    """A solver that loads the same point every time, with the given statuses."""

    name = "replay"

    def __init__(self, chosen, status, sol_status):
        super().__init__(msg=False)
        self.chosen, self.status, self.sol_status = set(chosen), status, sol_status
        self.calls = 0

    def available(self):
        return True

    def actualSolve(self, lp):
        self.calls += 1
        for v in lp.variables():
            kind, idx = v.name.split("_")
            v.varValue = float(kind == "z" and int(idx) in self.chosen)
        lp.assignStatus(self.status, self.sol_status)
        return self.status


def _breaking_point(st, sg):
    """One binning of every feature: within the nominal rows (the gaps are set to zero) but far
    over a tight budget with its margin."""
    st.gap[:] = 0.0
    chosen = [int(np.flatnonzero(st.feature == f)[0]) for f in dict.fromkeys(st.feature)]
    assert _true_lhs(st, chosen).max() > sg
    return chosen


def test_a_solver_claiming_optimality_for_a_point_outside_the_cone_is_never_optimal():
    st = _correlated(11)
    sg = 0.05
    chosen = _breaking_point(st, sg)
    solver = _Replay(chosen, pulp.LpStatusOptimal, pulp.LpSolutionOptimal)
    sel = solve_selection(
        st, score_gap=sg, max_features=5, solver=solver, prune_dominated=False, margin="score"
    )
    # the loop cut the point off, got it back (this solver ignores cuts) and stopped
    assert solver.calls == 2 and sel.cut_rounds == 2
    assert sel.status in ("feasible", "not solved") and not sel.proven_optimal
    assert "twice" in sel.message
    if sel.usable:  # repaired by dropping features: it meets the true constraint
        assert set(sel.chosen) < set(chosen)
        assert (_true_lhs(st, sel.chosen) <= sg * (1 + 1e-7) + 1e-7).all()


def test_a_time_out_with_a_point_outside_the_cone_is_repaired_or_not_solved():
    """HiGHS's time-out as PuLP reports it ("Optimal", sol_status 2) on a cone-breaking point."""
    st = _correlated(12)
    sg = 0.05
    chosen = _breaking_point(st, sg)
    solver = _Replay(chosen, pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible)
    sel = solve_selection(
        st, score_gap=sg, max_features=5, solver=solver, prune_dominated=False, margin="score"
    )
    assert solver.calls == 1
    assert sel.status in ("feasible", "not solved")
    assert "time limit" in sel.message
    if sel.usable:
        assert (_true_lhs(st, sel.chosen) <= sg * (1 + 1e-7) + 1e-7).all()


def _big(C=400, seed=3):
    rng = np.random.default_rng(seed)
    feat = [f"f{i}" for i in range(C)]
    L = rng.normal(size=(C, 30)) * 0.01
    cov = L @ L.T + np.diag(rng.uniform(1e-5, 1e-4, C))
    return CandidateStats(
        feature=feat,
        name=feat,
        iv=rng.uniform(0.01, 1, C),
        iv_se=np.zeros(C),
        divergence=np.zeros(C),
        divergence_se=np.zeros(C),
        gap=rng.normal(size=C),
        gap_se=np.sqrt(np.diag(cov)),
        gap_cov=cov,
    )


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_real_time_limited_cone_solves_are_never_reported_optimal(solver):
    st = _big()
    sel = solve_selection(
        st,
        score_gap=0.02,
        max_features=120,
        solver=solver,
        time_limit=0.5,
        gap=0.0,
        margin="score",
    )
    if sel.status == "optimal":
        pytest.skip("the loop proved optimality within the limit on this machine")
    assert sel.status in ("feasible", "not solved", "infeasible")
    assert sel.status != "infeasible" or sel.sol_status == pulp.LpSolutionInfeasible
    if sel.usable:
        chosen = sel.chosen
        var = st.gap_cov[np.ix_(chosen, chosen)].sum()
        assert abs(st.gap[chosen].sum()) + KAPPA * np.sqrt(var) <= 0.02 * (1 + 1e-7) + 1e-7


def test_margin_options_and_bad_values():
    st = _correlated(5)
    assert check_margin("score") == "score" and check_margin(0) == "none"
    assert check_margin(0.0) == "none" and check_margin("per_feature") == "per_feature"
    # the default (issue 17): the nominal programme, the exact cone having missed the target
    assert FairnessFrontier().margin == 0
    st0 = _correlated(5)
    st0.gap[:] = 0.0  # the nominal rows hold for every point: no margin means no constraint
    assert solve_selection(st0, score_gap=1e-6, max_features=5).objective == pytest.approx(
        solve_selection(st0, max_features=5).objective
    )
    for bad in ("cone", 1.645, True, None):
        with pytest.raises(ValueError, match="margin must be"):
            solve_selection(st, score_gap=0.1, margin=bad)
    with pytest.raises(ValueError, match="cuts must be"):
        solve_selection(st, score_gap=0.1, margin="score", cuts=[(0, np.ones(3))])
    with pytest.raises(ValueError, match="gap_cov must have shape"):
        CandidateStats(
            feature=["a"],
            name=["a"],
            iv=[0.1],
            iv_se=[0.0],
            divergence=[0.0],
            divergence_se=[0.0],
            gap=[0.0],
            gap_se=[0.0],
            gap_cov=np.eye(2),
        )
    with pytest.raises(ValueError, match="margin must be"):
        FairnessFrontier(protected="g", margin="cone").fit(
            pd.DataFrame({"x": np.arange(20.0), "g": ["a", "b"] * 10}), np.arange(20) % 2
        )


@pytest.mark.parametrize("comparison", ["rest", "pairwise"])
def test_gap_covariance_gives_the_score_gap_variance_on_the_rows(comparison):
    """z' Sigma z equals the variance of the score's group gap computed on the score column."""
    from infodiv.fairness._protected import group_comparisons

    rng = np.random.default_rng(0)
    n, C = 3000, 6
    g = rng.choice(["a", "b", "c"], size=n, p=[0.5, 0.3, 0.2])
    w = rng.uniform(0.5, 2.0, n)
    codes, woe, keys = {}, {}, []
    base = rng.normal(size=n)
    for c in range(C):
        x = base * (c % 3) / 2 + rng.normal(size=n) + (g == "a") * 0.3
        k = f"x{c}"
        codes[k] = np.digitize(x, np.quantile(x, [0.25, 0.5, 0.75]))
        woe[k] = rng.normal(size=4)
        keys.append(k)
    comps = group_comparisons(["a", "b", "c"], comparison)
    cov = gap_covariance(codes, woe, keys, g, w, comps)
    for _ in range(5):
        z = (rng.random(C) < 0.6).astype(float)
        S = sum(z[j] * woe[k][codes[k]] for j, k in enumerate(keys))  # the score column
        for m, (_, a, b) in enumerate(comps):
            var = 0.0
            for side in (g == a, (g != a) if b == "rest" else (g == b)):
                ws = w[side]
                mean = np.sum(ws * S[side]) / ws.sum()
                v = np.sum(ws * (S[side] - mean) ** 2) / ws.sum()
                var += v / (ws.sum() ** 2 / np.sum(ws**2))
            assert z @ cov[m] @ z == pytest.approx(var, rel=1e-9)
    assert np.allclose(cov, cov.transpose(0, 2, 1))
    assert np.linalg.eigvalsh(cov[0]).min() > -1e-15


def test_frontier_margins_certified_on_held_out_rows():
    from infodiv.datasets import load_simucredit

    df = load_simucredit().sample(4000, random_state=0)
    X, y = df.drop(columns=["default", "Gender"]), df["default"]
    out = {}
    for margin in ("score", "per_feature", 0):
        ff = FairnessFrontier(
            protected="Race", n_points=3, max_features=4, random_state=0, margin=margin
        ).fit(X, y)
        fr = ff.frontier_
        assert (fr["status"] == "optimal").all(), fr["message"].tolist()
        # every point is evaluated on the held-out rows, whatever the margin
        assert fr["fairness_upper_bound"].notna().all() and fr["auc"].notna().all()
        # training gap with the margin within each budget
        ok = fr["train_score_gap"][1:] <= fr["score_gap_budget"][1:] * (1 + 1e-7) + 1e-7
        assert ok.all()
        out[margin] = ff
    st = out["score"].stats_
    assert st.gap_cov is not None
    assert np.allclose(np.diagonal(st.gap_cov, axis1=1, axis2=2).T, st.gap_se**2, rtol=1e-9)
    # the score margin's reach is below the per-feature margin's (sqrt of a sum <= sum of sqrt
    # when the chosen features' gaps are not perfectly correlated)
    assert out["score"].reach_["score_gap"] <= out["per_feature"].reach_["score_gap"] + 1e-12
