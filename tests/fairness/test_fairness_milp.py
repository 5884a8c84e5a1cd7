"""The selection MILP: optimum against brute-force enumeration, and the solver-status traps."""

import numpy as np
import pulp
import pytest

from infodiv.fairness._milp import CandidateStats, check_solution, make_solver, solve_selection
from tests.reference.milp import brute_force


def _instance(seed, n_feat=5, per_feat=3, M=1):
    rng = np.random.default_rng(seed)
    feat = np.repeat([f"f{i}" for i in range(n_feat)], per_feat)
    C = feat.size
    return CandidateStats(
        feature=feat,
        name=[f"{f}[{k}]" for f, k in zip(feat, np.tile(range(per_feat), n_feat), strict=True)],
        iv=rng.uniform(0.0, 0.5, C),
        iv_se=rng.uniform(0.0, 0.05, C),
        divergence=rng.uniform(-0.005, 0.2, (C, M)),
        divergence_se=rng.uniform(0.0, 0.02, (C, M)),
        gap=rng.normal(0.0, 0.3, (C, M)),
        gap_se=rng.uniform(0.0, 0.03, (C, M)),
        comparisons=[f"m{m}" for m in range(M)],
    )


@pytest.mark.parametrize("margin", ["per_feature", "score", 0])
@pytest.mark.parametrize("solver", ["highs", "cbc"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_optimum_equals_brute_force(solver, seed, margin):
    st = _instance(seed, M=2 if seed == 2 else 1)
    pairs = [("f0", "f3")]
    for sg, fd, kmax in [
        (None, None, 5),
        (0.4, None, 4),
        (0.15, None, 5),
        (None, 0.25, 5),
        (0.3, 0.3, 3),
        (0.05, None, 5),
    ]:
        best, best_set = brute_force(st, sg, fd, kmax, 1, pairs, 1.645, 1.645, margin=margin)
        sel = solve_selection(
            st,
            score_gap=sg,
            feature_divergence=fd,
            max_features=kmax,
            exclusive_pairs=pairs,
            margin=margin,
            solver=solver,
            gap=0.0,
            time_limit=30,
        )
        if best_set is None:
            assert sel.status == "infeasible", (sg, fd, sel)
            continue
        assert sel.status == "optimal", (sg, fd, sel.message)
        assert sel.objective == pytest.approx(best, abs=1e-7), (sg, fd)
        # the chosen set attains the optimum and satisfies the constraints
        assert sum(st.iv[c] - 1.645 * st.iv_se[c] for c in sel.chosen) == pytest.approx(
            best, abs=1e-7
        )
        assert (
            check_solution(
                st,
                np.isin(np.arange(st.n_candidates), sel.chosen).astype(float),
                score_gap=sg,
                feature_divergence=fd,
                max_features=kmax,
                min_features=1,
                exclusive_pairs=pairs,
                kappa=1.645,
                margin=margin,
            )
            == ""
        )


def test_tightening_never_raises_the_optimum():
    st = _instance(3, n_feat=8, per_feat=4)
    free = solve_selection(st, max_features=8, gap=0.0)
    reach = free.f2.max()
    objs = [free.objective]
    for t in np.linspace(0.95, 0.05, 10):
        sel = solve_selection(st, score_gap=reach * t, max_features=8, gap=0.0)
        assert sel.status == "optimal"
        objs.append(sel.objective)
    assert np.all(np.diff(objs) <= 1e-9)


class _FakeSolver(pulp.LpSolver):
    """Loads given values and statuses, as a solver stopped by a limit would."""

    name = "fake"

    def __init__(self, values, status, sol_status):
        super().__init__(msg=False)
        self.values, self.status, self.sol_status = values, status, sol_status

    def available(self):
        return True

    def actualSolve(self, lp):
        for v in lp.variables():
            v.varValue = self.values[int(v.name.split("_")[1])]
        lp.assignStatus(self.status, self.sol_status)
        return self.status


def test_trap_highs_timeout_reported_optimal_with_sol_status_2():
    """PuLP maps a HiGHS time-out with an incumbent to ("Optimal", sol_status 2)."""
    st = _instance(4)
    vals = np.zeros(st.n_candidates)
    vals[[0, 4]] = 1.0  # an integral, feasible point
    sel = solve_selection(st, max_features=5, solver=_FakeSolver(vals, 1, 2))
    assert sel.pulp_status == pulp.LpStatusOptimal and sel.sol_status == 2
    assert sel.status == "feasible" and not sel.proven_optimal
    assert sel.chosen == [0, 4]
    assert "not proven optimal" in sel.message


def test_trap_cbc_not_solved_with_fractional_point():
    st = _instance(5)
    vals = np.zeros(st.n_candidates)
    vals[[0, 1]] = 0.5
    sel = solve_selection(st, max_features=5, solver=_FakeSolver(vals, 0, 0))
    assert sel.status == "not solved" and sel.chosen == []
    assert "fractional" in sel.message


def test_optimal_status_with_an_infeasible_point_is_rejected():
    """Even a solver claiming optimality is checked: a point breaking the budget is refused."""
    st = _instance(6)
    vals = np.zeros(st.n_candidates)
    vals[[0, 1]] = 1.0  # two binnings of f0: violates "one binning per feature"
    # (no pruning: a dominated binning would get no variable and could not be returned)
    sel = solve_selection(st, max_features=5, solver=_FakeSolver(vals, 1, 1), prune_dominated=False)
    assert sel.status == "not solved"
    assert "two binnings" in sel.message


def _hard(C=200, seed=1):
    rng = np.random.default_rng(seed)
    feat = [f"f{i}" for i in range(C)]
    z = np.zeros(C)
    return CandidateStats(
        feature=feat,
        name=feat,
        iv=rng.uniform(0.01, 1, C),
        iv_se=z,
        divergence=z,
        divergence_se=z,
        gap=rng.normal(size=C),
        gap_se=z,
    )


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_real_time_limited_solves_are_never_reported_optimal(solver):
    """A subset-sum-like budget the solvers cannot close in 0.3 s (they do in minutes)."""
    st = _hard()
    sel = solve_selection(
        st, score_gap=1e-3, max_features=66, solver=solver, time_limit=0.3, gap=0.0
    )
    if sel.sol_status == pulp.LpSolutionOptimal:
        pytest.skip("the solver proved optimality within the limit on this machine")
    assert sel.status in ("feasible", "not solved")
    assert not sel.proven_optimal
    if sel.status == "feasible":
        assert sel.pulp_status == pulp.LpStatusOptimal  # the trap: PuLP says "Optimal"
        assert abs(st.gap[sel.chosen].sum()) <= 1e-3 + 1e-9


def test_real_cbc_timeout_loads_a_fractional_point_that_is_discarded():
    st = _hard()
    sel = solve_selection(
        st, score_gap=1e-7, max_features=100, solver="cbc", time_limit=0.3, gap=0.0
    )
    if sel.sol_status == pulp.LpSolutionOptimal:
        pytest.skip("CBC proved optimality within the limit on this machine")
    assert sel.status == "not solved" and sel.chosen == []


def test_bad_arguments():
    st = _instance(0)
    with pytest.raises(ValueError, match="subset-sum"):
        solve_selection(st, score_gap=0.0)
    with pytest.raises(ValueError, match="max_features"):
        solve_selection(st, max_features=0)
    with pytest.raises(ValueError, match="min_features"):
        solve_selection(st, max_features=2, min_features=3)
    with pytest.raises(ValueError, match="solver must be"):
        make_solver("gurobi")
    with pytest.raises(ValueError, match="time_limit"):
        make_solver("highs", time_limit=-1)
    with pytest.raises(ValueError, match="iv must have one value per candidate"):
        CandidateStats(
            feature=["a"],
            name=["a"],
            iv=[0.1, 0.2],
            iv_se=[0.0],
            divergence=[0.0],
            divergence_se=[0.0],
            gap=[0.0],
            gap_se=[0.0],
        )
    with pytest.raises(ValueError, match="gap contains NaN"):
        CandidateStats(
            feature=["a"],
            name=["a"],
            iv=[0.1],
            iv_se=[0.0],
            divergence=[0.0],
            divergence_se=[0.0],
            gap=[np.nan],
            gap_se=[0.0],
        )


@pytest.mark.parametrize("seed", [11, 12])
def test_dominance_pruning_is_exact(seed):
    """Leaving out dominated binnings changes nothing: brute force over all candidates."""
    from infodiv.fairness._milp import dominated_candidates

    st = _instance(seed, n_feat=5, per_feat=5)
    removed = 0
    for sg, fd in [(0.3, None), (None, 0.3), (0.25, 0.4)]:
        mask = dominated_candidates(st, score_gap=sg, feature_divergence=fd, margin="per_feature")
        removed += mask.sum()
        # each removed candidate has a same-feature candidate at least as good everywhere
        obj = st.iv - 1.645 * st.iv_se
        for i in np.flatnonzero(mask):
            same = np.flatnonzero((st.feature == st.feature[i]) & ~mask)
            rows_i, rows_j = [], []
            if fd is not None:
                rows_i.append(st.divergence[i] + 1.645 * st.divergence_se[i])
                rows_j.append(st.divergence[same] + 1.645 * st.divergence_se[same])
            if sg is not None:
                rows_i += [st.gap[i] + 1.645 * st.gap_se[i], -st.gap[i] + 1.645 * st.gap_se[i]]
                rows_j += [
                    st.gap[same] + 1.645 * st.gap_se[same],
                    -st.gap[same] + 1.645 * st.gap_se[same],
                ]
            ok = (obj[same] >= obj[i]) & np.all(
                np.hstack(rows_j) <= np.hstack(rows_i)[None, :], axis=1
            )
            assert ok.any()
        best, _ = brute_force(st, sg, fd, 3, 1, [], 1.645, 1.645, margin="per_feature")
        kw = dict(score_gap=sg, feature_divergence=fd, max_features=3, gap=0.0)
        sel = solve_selection(st, margin="per_feature", **kw)
        full = solve_selection(st, margin="per_feature", prune_dominated=False, **kw)
        assert sel.n_dominated == mask.sum() and full.n_dominated == 0
        assert sel.objective == pytest.approx(best, abs=1e-7)
        assert full.objective == pytest.approx(best, abs=1e-7)
        assert sel.bound == pytest.approx(sel.objective, abs=1e-6)  # proven bound, gap 0
    assert removed > 0  # the instances do have dominated binnings to remove


def test_highs_runs_without_rens_when_the_option_exists():
    """RENS's sub-MIP presolve looped past the time limit in HiGHS 1.16 on the benchmark."""
    import highspy

    from infodiv.fairness._milp import _highs_has_option

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    known = h.getOptionValue("mip_heuristic_run_rens")[0] == highspy.HighsStatus.kOk
    assert _highs_has_option("mip_heuristic_run_rens") == known
    assert not _highs_has_option("no_such_highs_option")
    params = make_solver("highs", time_limit=5).optionsDict
    assert params.get("mip_heuristic_run_rens", None) is (False if known else None)
