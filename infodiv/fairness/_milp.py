"""The feature-and-binning selection programme behind the fairness frontier (PuLP MILP).

Candidates ``c`` are (feature, binning) pairs. With binary ``z_c`` (use candidate ``c``)::

    maximise    sum_c (IV_c - lambda SE_c) z_c                    (IV_c bias-corrected)
    subject to  sum_{c in f} z_c <= 1                  for every feature f
                min_features <= sum_c z_c <= max_features
                u_f + u_g <= 1                         for excluded (highly correlated) pairs
      (F1)      sum_c (D_cm + kappa SE^D_cm) z_c <= eps_F1          for every comparison m
      (F2)      |sum_c Delta_cm z_c| + kappa sqrt(z' Sigma_m z) <= eps_F2  for every m

``D_cm`` is the bias-corrected fairness IV of the candidate between the two sides of
comparison ``m``; ``Delta_cm`` the difference of the groups' mean WoE (log-odds units) and
``s_cm`` its SE. A WoE-sum score is a sum over features, so its group mean gap is linear in
``z``, and the SE of that gap is ``sqrt(z' Sigma_m z)``, ``Sigma_m`` being the covariance
matrix of the candidates' gap estimators (:attr:`CandidateStats.gap_cov`; its diagonal is
``s_cm^2``). ``lambda = kappa = 1.645`` make the objective a one-sided lower bound and the
budgets one-sided upper bounds.

The margin of (F2) (``margin``):

* ``0`` (default): no margin, the nominal programme ``|Delta' z| <= eps``. Fast (under a second
  per point at 300 features x 8 binnings). The estimation error is not charged in the
  programme; every frontier point is instead certified on held-out rows (score-level fairness
  IV with its one-sided upper bound).
* ``"score"``: ``kappa sqrt(z' Sigma z)``, the margin of the score's own gap. The
  constraint is a second-order cone; it is solved exactly by outer approximation: the MILP is
  solved with the nominal rows ``|Delta' z| <= eps`` and the tangent cuts found so far, and
  while its solution ``z*`` violates the cone the tangent cut at ``z*``::

      +/- Delta' z + kappa a' z <= eps,   a = Sigma z* / sqrt(z*' Sigma z*)

  (``a' z = u' L z`` with ``u = L z*/||L z*||`` for any factor ``Sigma = L' L``; by
  Cauchy-Schwarz ``a' z <= sqrt(z' Sigma z)`` for every ``z``, so a cut never removes a
  feasible point, and it removes ``z*``) is added and the MILP solved again. The final point
  satisfies the true constraint; the last MILP is a relaxation of the cone programme, so a
  point it proves optimal is optimal for the cone programme. Cuts are valid for every budget
  and are passed from one frontier point to the next. Exact, but slow at tight budgets: the
  MILPs with cuts are knapsack-like and HiGHS cannot close their gap in 20 s at 300 features
  (``benchmarks/results/fairness_milp.txt``); a loop stopped by the time limit repairs its last
  point (drops features until the cone holds: ``"feasible"``) or says ``"not solved"``.
* ``"per_feature"``: ``kappa sum_c s_cm z_c`` (linear; ``sum s >= sqrt(sum s^2)``, so it is
  more conservative, and it treats the features' errors as perfectly correlated). It makes the
  programme a hard knapsack: slow (seconds to a time-out per point at 300 features).

Solver status (the traps in ``shared/specs/fairness-milp.md``) is never taken on trust:
``prob.sol_status`` is read, the returned point is checked for integrality and against every
constraint in our own arithmetic, and only a point that passes *and* that the solver proved
optimal (within the relative ``gap``) is reported as ``"optimal"``. PuLP reports a HiGHS time-out
as "Optimal" with ``sol_status == 2``: that is ``"feasible"`` here (not proven optimal). CBC
reports a time-out without an integer point as "Not Solved" and loads a fractional point: that
is ``"not solved"`` and the point is discarded.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
import pulp

from infodiv.exceptions import InvalidParameterError

__all__ = [
    "CandidateStats",
    "Margin",
    "check_margin",
    "Selection",
    "STATUSES",
    "make_solver",
    "solve_selection",
    "check_solution",
    "dominated_candidates",
]

SolverName = Literal["highs", "cbc"]
#: The margin of the score-gap budget: ``"score"``, ``"per_feature"`` or ``0`` (none).
Margin = Literal["score", "per_feature"] | float

#: Statuses a selection can have. Only ``"optimal"`` is a proven optimum (within ``gap``).
STATUSES = ("optimal", "feasible", "infeasible", "not solved")

_INT_TOL = 1e-6
_CON_TOL = 1e-7


@dataclass
class CandidateStats:
    """Per-candidate coefficients of the programme (arrays of length C; M comparisons).

    Attributes
    ----------
    feature, name : ndarray of str
        Feature of each candidate and the candidate's name (e.g. ``"Mortgage[q4]"``).
    iv, iv_se : ndarray (C,)
        Bias-corrected predictive IV and its SE.
    divergence, divergence_se : ndarray (C, M)
        Bias-corrected fairness IV per comparison and its SE (budget F1).
    gap, gap_se : ndarray (C, M)
        Group mean WoE difference per comparison and its SE (budget F2).
    comparisons : list of str
        Labels of the M comparisons.
    gap_cov : ndarray (M, C, C), optional
        Covariance matrix of the candidates' gap estimators per comparison (symmetric,
        positive semidefinite; its diagonal is ``gap_se**2``). ``None``: the estimators are
        taken as independent (``diag(gap_se**2)``). Used by the ``"score"`` margin.
    """

    feature: np.ndarray
    name: np.ndarray
    iv: np.ndarray
    iv_se: np.ndarray
    divergence: np.ndarray
    divergence_se: np.ndarray
    gap: np.ndarray
    gap_se: np.ndarray
    comparisons: list[str] = field(default_factory=lambda: ["a vs b"])
    gap_cov: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.feature = np.asarray(self.feature, dtype=object)
        self.name = np.asarray(self.name, dtype=object)
        C = self.feature.size
        for attr in ("iv", "iv_se"):
            v = np.asarray(getattr(self, attr), dtype=float).ravel()
            if v.size != C:
                raise InvalidParameterError(
                    f"{attr} must have one value per candidate ({C}); got {v.size}"
                )
            if not np.isfinite(v).all():
                raise InvalidParameterError(f"{attr} contains NaN or inf")
            setattr(self, attr, v)
        for attr in ("divergence", "divergence_se", "gap", "gap_se"):
            v = np.asarray(getattr(self, attr), dtype=float)
            if v.ndim == 1:
                v = v[:, None]
            if v.shape[0] != C:
                raise InvalidParameterError(
                    f"{attr} must have one row per candidate ({C}); got {v.shape}"
                )
            if not np.isfinite(v).all():
                raise InvalidParameterError(f"{attr} contains NaN or inf")
            setattr(self, attr, v)
        if len(self.comparisons) != self.gap.shape[1]:
            self.comparisons = [f"comparison {m}" for m in range(self.gap.shape[1])]
        if self.name.size != C:
            raise InvalidParameterError(
                f"name must have one value per candidate ({C}); got {self.name.size}"
            )
        if self.gap_cov is not None:
            cov = np.asarray(self.gap_cov, dtype=float)
            if cov.ndim == 2:
                cov = cov[None]
            M = self.gap.shape[1]
            if cov.shape != (M, C, C):
                raise InvalidParameterError(
                    f"gap_cov must have shape (comparisons, candidates, candidates) = "
                    f"({M}, {C}, {C}); got {cov.shape}"
                )
            if not np.isfinite(cov).all():
                raise InvalidParameterError("gap_cov contains NaN or inf")
            if not np.allclose(cov, cov.transpose(0, 2, 1), rtol=1e-9, atol=1e-15):
                raise InvalidParameterError("gap_cov must be symmetric")
            self.gap_cov = cov

    @property
    def n_candidates(self) -> int:
        return int(self.feature.size)

    def to_frame(self) -> pd.DataFrame:
        """One row per candidate (first comparison's fairness columns)."""
        return pd.DataFrame(
            {
                "feature": self.feature,
                "candidate": self.name,
                "iv": self.iv,
                "iv_se": self.iv_se,
                "fairness_iv": self.divergence[:, 0],
                "fairness_iv_se": self.divergence_se[:, 0],
                "gap": self.gap[:, 0],
                "gap_se": self.gap_se[:, 0],
            }
        )

    def objective(self, iv_penalty: float) -> np.ndarray:
        """Objective coefficient per candidate: ``IV - lambda SE``."""
        return self.iv - iv_penalty * self.iv_se

    def covariance(self, m: int) -> np.ndarray:
        """Covariance matrix (C, C) of the gap estimators of comparison ``m``.

        ``gap_cov[m]``, or ``diag(gap_se[:, m]**2)`` when ``gap_cov`` is not given.
        """
        if self.gap_cov is not None:
            return cast(np.ndarray, self.gap_cov[m])
        return np.diag(self.gap_se[:, m] ** 2)

    def score_gap_se(self, chosen: Sequence[int] | np.ndarray) -> np.ndarray:
        """SE of the score's group gap, ``sqrt(z' Sigma_m z)``, per comparison (binary z)."""
        idx = np.asarray(chosen, dtype=int)
        if self.gap_cov is None:
            var = (self.gap_se[idx] ** 2).sum(axis=0)
        else:
            var = self.gap_cov[:, idx[:, None], idx[None, :]].sum(axis=(1, 2))
        return np.sqrt(np.maximum(var, 0.0))

    def budget_rows(
        self,
        kappa: float,
        *,
        score_gap: bool,
        feature_divergence: bool,
        margin: Margin = 0,
    ) -> list[tuple[str, np.ndarray]]:
        """The active linear budget rows' coefficients, ``(tag, (C, M) array)`` each.

        ``"F1"`` (``D + kappa SE^D``) and the two signs of F2: ``+/- Delta + kappa s`` with
        ``margin="per_feature"``, ``+/- Delta`` otherwise (the nominal rows; the ``"score"``
        margin adds its cone cuts to them).
        """
        mg = check_margin(margin)
        rows = []
        if feature_divergence:
            rows.append(("F1", self.divergence + kappa * self.divergence_se))
        if score_gap:
            s = kappa * self.gap_se if mg == "per_feature" else 0.0 * self.gap_se
            rows.append(("F2_pos", self.gap + s))
            rows.append(("F2_neg", -self.gap + s))
        return rows

    def budget_values(
        self, chosen: Sequence[int] | np.ndarray, kappa: float, margin: Margin = 0
    ) -> tuple[np.ndarray, np.ndarray]:
        """Left-hand sides of (F1) and (F2) per comparison for a set of chosen candidates.

        (F2) with the given ``margin``: ``|sum Delta| + kappa sqrt(z' Sigma z)`` (``"score"``),
        ``|sum Delta| + kappa sum s`` (``"per_feature"``) or ``|sum Delta|`` (``0``).
        """
        mg = check_margin(margin)
        idx = np.asarray(chosen, dtype=int)
        f1 = (self.divergence[idx] + kappa * self.divergence_se[idx]).sum(axis=0)
        f2 = np.abs(self.gap[idx].sum(axis=0))
        if mg == "per_feature":
            f2 = f2 + kappa * self.gap_se[idx].sum(axis=0)
        elif mg == "score":
            f2 = f2 + kappa * self.score_gap_se(idx)
        return f1, f2


@dataclass
class Selection:
    """Outcome of one solve.

    Attributes
    ----------
    status : str
        ``"optimal"`` (proven optimal within the relative gap, integral, constraints checked),
        ``"feasible"`` (an integral point satisfying every constraint, optimality not proven,
        e.g. a time-out), ``"infeasible"`` (proven) or ``"not solved"`` (no usable point).
    chosen : list of int
        Chosen candidates (empty unless ``status`` is optimal or feasible).
    objective : float
        Objective of the chosen point (NaN if none).
    pulp_status, sol_status : int
        PuLP's ``prob.status`` and ``prob.sol_status`` as returned.
    solver_status : str
        The solver's own words (PuLP's ``LpStatus`` / HiGHS model status).
    message : str
        Why a point was not accepted as optimal, if so.
    solve_time : float
        Wall seconds of the solve.
    mip_gap : float
        Relative gap reported by HiGHS (NaN for CBC, which PuLP does not report). With the
        ``"score"`` margin it is the last MILP's (a relaxation of the cone programme); for a
        point repaired after a time-out it is the gap of the MILP's own incumbent, not of the
        returned point: compare ``objective`` with ``bound``.
    bound : float
        The solver's proven upper bound on the objective (HiGHS's MIP dual bound; NaN for
        CBC). The true optimum lies in ``[objective, bound]`` whatever the status.
    n_dominated : int
        Candidates left out of the programme because another binning of the same feature
        dominates them (see :func:`dominated_candidates`); the optimum is unchanged.
    f1, f2 : ndarray
        Budget left-hand sides (F1, F2) per comparison at the chosen point (F2 with the
        solve's margin).
    cut_rounds : int
        MILP solves of the ``"score"`` margin's cut loop (1 for the linear margins).
    cuts : list of (int, ndarray)
        The cone cuts ``(comparison, a)`` in the last MILP (those passed in and those
        added), for the next solve on the same candidates (see :func:`solve_selection`).
    """

    status: str
    chosen: list[int]
    objective: float
    pulp_status: int
    sol_status: int
    solver_status: str
    message: str
    solve_time: float
    mip_gap: float = float("nan")
    bound: float = float("nan")
    n_dominated: int = 0
    f1: np.ndarray = field(default_factory=lambda: np.array([]))
    f2: np.ndarray = field(default_factory=lambda: np.array([]))
    cut_rounds: int = 1
    cuts: list[tuple[int, np.ndarray]] = field(default_factory=list)

    @property
    def proven_optimal(self) -> bool:
        return self.status == "optimal"

    @property
    def usable(self) -> bool:
        """Whether the point can be used (optimal or feasible)."""
        return self.status in ("optimal", "feasible")


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Send the process's standard output (file descriptor 1, as C code writes it) to null.

    HiGHS prints its banner from C++ when the first ``Highs`` object of a process is made,
    whatever ``output_flag`` says later; the solvers' messages are off (``msg=False``).
    """
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no file descriptor 1 (embedded interpreters): nothing to silence
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            try:
                yield
            finally:
                os.dup2(saved, 1)
    finally:
        os.close(saved)


@functools.cache
def _highs_has_option(name: str) -> bool:
    """Whether the installed highspy knows option ``name`` (older releases lack some)."""
    try:
        import highspy
    except ImportError:  # pulp.HiGHS then reports that it is not available
        return False
    with _quiet_stdout():  # the first Highs() of a process prints HiGHS's banner
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    status, _ = h.getOptionValue(name)
    return status == highspy.HighsStatus.kOk


def check_margin(margin: Any) -> str:
    """``"score"``, ``"per_feature"`` or ``"none"`` (for ``margin=0``); anything else refused."""
    if isinstance(margin, str):
        if margin in ("score", "per_feature"):
            return margin
    elif isinstance(margin, int | float | np.integer | np.floating) and not isinstance(
        margin, bool
    ):
        if float(margin) == 0.0:
            return "none"
    raise InvalidParameterError(
        "margin must be 'score' (kappa SE of the score's gap, exact by cone cuts), "
        f"'per_feature' (kappa sum of the features' SEs; slow) or 0 (no margin); got {margin!r}"
    )


def make_solver(
    solver: SolverName = "highs",
    *,
    time_limit: float | None = None,
    gap: float | None = None,
    threads: int | None = None,
    random_state: int | None = None,
) -> pulp.LpSolver:
    """An explicit PuLP solver object: ``pulp.HiGHS`` (needs ``highspy``) or CBC.

    Messages are off; ``time_limit`` (seconds), relative ``gap`` and ``threads`` are passed
    on; ``random_state`` seeds the solver's own randomisation. HiGHS runs without its RENS
    heuristic, whose sub-MIP presolve can ignore the time limit (HiGHS 1.16).
    """
    if time_limit is not None and not (np.isfinite(time_limit) and time_limit > 0):
        raise InvalidParameterError(
            f"time_limit must be a positive number of seconds; got {time_limit!r}"
        )
    if gap is not None and not (np.isfinite(gap) and 0 <= gap < 1):
        raise InvalidParameterError(f"gap must be a relative gap in [0, 1); got {gap!r}")
    if solver == "highs":
        # RENS off: in HiGHS 1.16 the presolve of RENS's sub-MIP (strengthenInequalities) can
        # loop without checking the time limit on these knapsack rows (seen on the 300 x 8
        # benchmark: a solve with a 20 s limit still running after 25 minutes). Without RENS the same
        # solves stop at their limit; the other heuristics still find incumbents.
        opts: dict[str, Any] = (
            {"mip_heuristic_run_rens": False} if _highs_has_option("mip_heuristic_run_rens") else {}
        )
        if random_state is not None:
            opts["random_seed"] = int(random_state) % 2147483647
        return pulp.HiGHS(msg=False, timeLimit=time_limit, gapRel=gap, threads=threads, **opts)
    if solver == "cbc":
        options = (
            [] if random_state is None else [f"randomCbcSeed {int(random_state) % 2147483647 + 1}"]
        )
        with warnings.catch_warnings():
            # PuLP 3 marks PULP_CBC_CMD deprecated (it is still the bundled CBC, and works).
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", FutureWarning)
            return pulp.PULP_CBC_CMD(
                msg=False, timeLimit=time_limit, gapRel=gap, threads=threads, options=options
            )
    raise InvalidParameterError(f"solver must be 'highs' or 'cbc'; got {solver!r}")


def check_solution(
    stats: CandidateStats,
    z: np.ndarray,
    *,
    score_gap: float | None,
    feature_divergence: float | None,
    max_features: int,
    min_features: int,
    exclusive_pairs: Sequence[tuple[str, str]],
    kappa: float,
    margin: Margin = 0,
) -> str:
    """Check a point against integrality and every constraint; ``""`` if it passes.

    The score-gap budget is checked with the given ``margin`` (the true cone constraint for
    ``"score"``). Otherwise returns a message naming the first violation.
    """
    z = np.asarray(z, dtype=float)
    if not np.isfinite(z).all():
        return "the solver returned no values for some variables"
    frac = np.abs(z - np.round(z))
    if (frac > _INT_TOL).any():
        j = int(np.argmax(frac))
        return f"fractional point (z[{stats.name[j]}] = {z[j]:.4g}): not an integer solution"
    zi = np.round(z).astype(int)
    if ((zi < 0) | (zi > 1)).any():
        return "a selection variable is outside {0, 1}"
    chosen = np.flatnonzero(zi)
    feats = stats.feature[chosen]
    uniq, cnt = np.unique(feats.astype(str), return_counts=True)
    if (cnt > 1).any():
        return f"feature {uniq[np.argmax(cnt)]!r} has two binnings selected"
    k = chosen.size
    if not min_features <= k <= max_features:
        return f"{k} features selected, outside [{min_features}, {max_features}]"
    used = set(uniq.tolist())
    for f, g in exclusive_pairs:
        if f in used and g in used:
            return f"excluded pair {f!r} and {g!r} both selected"
    f1, f2 = stats.budget_values(chosen, kappa, margin)
    if (
        feature_divergence is not None
        and (f1 > feature_divergence * (1 + _CON_TOL) + _CON_TOL).any()
    ):
        return f"feature-divergence budget exceeded ({f1.max():.6g} > {feature_divergence:.6g})"
    if score_gap is not None and (f2 > score_gap * (1 + _CON_TOL) + _CON_TOL).any():
        return f"score-gap budget exceeded ({f2.max():.6g} > {score_gap:.6g})"
    return ""


def dominated_candidates(
    stats: CandidateStats,
    *,
    score_gap: float | None = None,
    feature_divergence: float | None = None,
    iv_penalty: float = 1.645,
    budget_margin: float = 1.645,
    margin: Margin = 0,
) -> np.ndarray:
    """Candidates that another binning of the same feature dominates (boolean mask).

    Candidate ``i`` is dominated by ``j`` (same feature) when ``j``'s objective coefficient is
    at least ``i``'s and ``j``'s coefficient in every active budget row (F1 if
    ``feature_divergence`` is given; both signs of F2 if ``score_gap`` is given; every
    comparison) is at most ``i``'s; exact ties keep the first candidate. Swapping ``i`` for
    ``j`` in any feasible point keeps it feasible (the feature-level constraints count
    features, not binnings) and does not lower the objective, so removing dominated
    candidates leaves the optimal value unchanged: the reduction is exact. The ``"score"``
    margin's cone term depends on the other selected candidates through their covariances,
    so with a score-gap budget and that margin nothing is pruned.

    Examples
    --------
    >>> s = CandidateStats(feature=["a", "a", "b"], name=["a[q2]", "a[q4]", "b[q2]"],
    ...                    iv=[0.3, 0.4, 0.2], iv_se=[0.0, 0.0, 0.0],
    ...                    divergence=[0.1, 0.1, 0.0], divergence_se=[0.0, 0.0, 0.0],
    ...                    gap=[0.5, 0.4, 0.1], gap_se=[0.0, 0.0, 0.0])
    >>> dominated_candidates(s, feature_divergence=1.0).tolist()
    [True, False, False]
    >>> dominated_candidates(s, score_gap=1.0).tolist()  # a[q2] has the smaller negative side
    [False, False, False]
    """
    if score_gap is not None and check_margin(margin) == "score":
        return np.zeros(stats.n_candidates, dtype=bool)
    obj = stats.objective(iv_penalty)
    rows = stats.budget_rows(
        budget_margin,
        score_gap=score_gap is not None,
        feature_divergence=feature_divergence is not None,
        margin=margin,
    )
    coef = np.hstack([a for _, a in rows]) if rows else np.zeros((stats.n_candidates, 0))
    out = np.zeros(stats.n_candidates, dtype=bool)
    feats = stats.feature.astype(str)
    _, inverse = np.unique(feats, return_inverse=True)
    for g in range(inverse.max() + 1 if inverse.size else 0):
        idx = np.flatnonzero(inverse == g)
        if idx.size < 2:
            continue
        o, a = obj[idx], coef[idx]
        # ge[j, i]: j at least as good as i everywhere; eq[j, i]: identical coefficients
        ge = (o[:, None] >= o[None, :]) & (a[:, None, :] <= a[None, :, :]).all(axis=2)
        eq = (o[:, None] == o[None, :]) & (a[:, None, :] == a[None, :, :]).all(axis=2)
        order = np.arange(idx.size)
        dom = ge & (~eq | (order[:, None] < order[None, :]))
        np.fill_diagonal(dom, False)
        out[idx] = dom.any(axis=0)
    return out


def solve_selection(
    stats: CandidateStats,
    *,
    score_gap: float | None = None,
    feature_divergence: float | None = None,
    max_features: int = 10,
    min_features: int = 1,
    exclusive_pairs: Sequence[tuple[str, str]] = (),
    iv_penalty: float = 1.645,
    budget_margin: float = 1.645,
    margin: Margin = 0,
    solver: SolverName | pulp.LpSolver = "highs",
    time_limit: float | None = 60.0,
    gap: float | None = 1e-4,
    threads: int | None = None,
    random_state: int | None = None,
    prune_dominated: bool = True,
    cuts: Sequence[tuple[int, np.ndarray]] = (),
    max_cut_rounds: int = 200,
) -> Selection:
    """Solve the selection programme once and classify the outcome honestly.

    Parameters
    ----------
    stats : CandidateStats
    score_gap, feature_divergence : float, optional
        Budgets of (F2) and (F1); ``None`` leaves that budget out. Must be positive: an exact
        zero makes (F2) a subset-sum problem that may not finish.
    max_features, min_features : int
    exclusive_pairs : sequence of (feature, feature)
        Pairs that may not both be selected.
    iv_penalty, budget_margin : float
        ``lambda`` and ``kappa`` (see module docstring).
    margin : {0, "score", "per_feature"}
        The margin of (F2): none (default, the nominal programme), ``kappa sqrt(z' Sigma z)``
        (exact by outer approximation; slow at tight budgets) or ``kappa sum s z`` (linear,
        slow); see the module docstring.
    solver : {"highs", "cbc"} or pulp.LpSolver
        A name (built by :func:`make_solver` with ``time_limit``, ``gap``, ``threads``,
        ``random_state``) or a ready PuLP solver object.
    time_limit : float, optional
        Seconds for the whole solve (every MILP of the ``"score"`` margin's cut loop
        together; each gets the time left). A solve stopped by it is never ``"optimal"``.
    prune_dominated : bool
        Leave out candidates dominated by another binning of the same feature
        (:func:`dominated_candidates`; exact: the optimum is unchanged).
    cuts : sequence of (int, ndarray)
        Cone cuts ``(comparison, a)`` from earlier solves on the same ``stats`` (e.g.
        ``Selection.cuts``): valid for every budget, they spare cut rounds.
    max_cut_rounds : int
        At most this many MILPs in the cut loop (a safeguard; each round removes its point,
        so the loop ends anyway after finitely many).

    Returns
    -------
    Selection

    Examples
    --------
    >>> s = CandidateStats(feature=["a", "a", "b"], name=["a[q2]", "a[q4]", "b[q2]"],
    ...                    iv=[0.3, 0.4, 0.2], iv_se=[0.0, 0.0, 0.0],
    ...                    divergence=[0.0, 0.0, 0.0], divergence_se=[0.0, 0.0, 0.0],
    ...                    gap=[0.5, 0.6, 0.1], gap_se=[0.0, 0.0, 0.0])
    >>> sel = solve_selection(s, score_gap=0.65)
    >>> sel.status, [str(s.name[c]) for c in sel.chosen]
    ('optimal', ['a[q2]', 'b[q2]'])
    """
    mg = check_margin(margin)
    mgv: Margin = 0 if mg == "none" else cast(Margin, mg)
    for nm, v in (("score_gap", score_gap), ("feature_divergence", feature_divergence)):
        if v is not None and not (np.isfinite(v) and v > 0):
            raise InvalidParameterError(
                f"{nm} must be a positive budget (an exact zero is a subset-sum problem that "
                f"may not finish; allow a small tolerance); got {v!r}"
            )
    if int(max_features) != max_features or max_features < 1:
        raise InvalidParameterError(
            f"max_features must be a positive integer; got {max_features!r}"
        )
    if int(min_features) != min_features or not 0 <= min_features <= max_features:
        raise InvalidParameterError(
            f"min_features must be an integer in [0, max_features={max_features}]; got "
            f"{min_features!r}"
        )
    if int(max_cut_rounds) != max_cut_rounds or max_cut_rounds < 1:
        raise InvalidParameterError(
            f"max_cut_rounds must be a positive integer; got {max_cut_rounds!r}"
        )
    if time_limit is not None and not (np.isfinite(time_limit) and time_limit > 0):
        raise InvalidParameterError(
            f"time_limit must be a positive number of seconds; got {time_limit!r}"
        )
    C = stats.n_candidates
    M = stats.gap.shape[1]
    cone = score_gap is not None and mg == "score"
    cut_pool: list[tuple[int, np.ndarray]] = []
    for m, a in cuts if cone else ():
        a = np.asarray(a, dtype=float)
        if not (0 <= int(m) < M and a.shape == (C,) and np.isfinite(a).all()):
            raise InvalidParameterError(
                f"cuts must be (comparison, vector of {C} coefficients) pairs from an earlier "
                "solve on the same candidates"
            )
        cut_pool.append((int(m), a))
    t_start = time.perf_counter()
    deadline = None if time_limit is None else t_start + float(time_limit)

    def solver_for_round() -> pulp.LpSolver:
        left = None if deadline is None else max(deadline - time.perf_counter(), 1e-3)
        if isinstance(solver, str):
            return make_solver(
                cast(SolverName, solver),
                time_limit=left,
                gap=gap,
                threads=threads,
                random_state=random_state,
            )
        if left is not None and hasattr(solver, "timeLimit"):
            solver.timeLimit = left
        return solver

    solver_obj = solver_for_round()  # validates a solver name before anything is built
    dominated = (
        dominated_candidates(
            stats,
            score_gap=score_gap,
            feature_divergence=feature_divergence,
            iv_penalty=iv_penalty,
            budget_margin=budget_margin,
            margin=mgv,
        )
        if prune_dominated
        else np.zeros(C, dtype=bool)
    )
    live = np.flatnonzero(~dominated)
    prob = pulp.LpProblem("fairness_frontier", pulp.LpMaximize)
    # Dominated candidates get no variable (their value is 0); names keep the candidate index.
    z: dict[int, Any] = {int(c): prob.add_variable(f"z_{c}", cat=pulp.LpBinary) for c in live}
    obj = stats.objective(iv_penalty)
    prob += pulp.lpSum(float(obj[c]) * z[c] for c in z)
    by_feature: dict[str, list[int]] = {}
    for c, f in zip(live, stats.feature[live].astype(str), strict=True):
        by_feature.setdefault(f, []).append(int(c))
    # u_f = 1 when feature f is used: an explicit binary, so that branching can decide "use f
    # or not" before "which binning of f" (the binnings of one feature are near-duplicates).
    u = {}
    for i, (f, cs) in enumerate(by_feature.items()):
        if len(cs) > 1:
            u[f] = prob.add_variable(f"u_{i}", cat=pulp.LpBinary)
            prob += pulp.lpSum(z[c] for c in cs) - u[f] == 0, f"one_binning_{i}"
        else:
            u[f] = z[cs[0]]
    total = pulp.lpSum(u.values())
    prob += total <= int(max_features), "max_features"
    if min_features > 0:
        prob += total >= int(min_features), "min_features"
    for i, (f, g) in enumerate(exclusive_pairs):
        if f in u and g in u:
            prob += u[f] + u[g] <= 1, f"exclusive_{i}"
    rows = stats.budget_rows(
        budget_margin,
        score_gap=score_gap is not None,
        feature_divergence=feature_divergence is not None,
        margin=mgv,
    )
    for m in range(M):
        for tag, coef in rows:
            rhs = float(feature_divergence if tag == "F1" else score_gap)  # type: ignore[arg-type]
            prob += pulp.lpSum(float(coef[c, m]) * z[c] for c in z) <= rhs, f"{tag}_{m}"

    live_arr = np.array(list(z), dtype=int)
    n_cut_rows = 0

    def add_cut(m: int, a: np.ndarray) -> None:
        # +/- Delta' z + kappa a' z <= eps: the tangent of the cone at the point a came from
        nonlocal n_cut_rows
        kk = float(budget_margin)
        for sgn in (1.0, -1.0):
            coef = sgn * stats.gap[live_arr, m] + kk * a[live_arr]
            expr = pulp.lpSum(
                float(v) * z[int(c)] for c, v in zip(live_arr, coef, strict=True) if v
            )
            prob.addConstraint(
                expr <= float(score_gap),  # type: ignore[arg-type]
                f"cone_cut_{n_cut_rows}",
            )
            n_cut_rows += 1

    for m, a in cut_pool:
        add_cut(m, a)

    seen: set[tuple[int, ...]] = set()
    rounds = 0
    while True:
        rounds += 1
        outcome = _solve_round(
            prob,
            z,
            solver_obj,
            stats,
            obj,
            score_gap=score_gap,
            feature_divergence=feature_divergence,
            max_features=int(max_features),
            min_features=int(min_features),
            exclusive_pairs=exclusive_pairs,
            kappa=budget_margin,
            margin=mgv,
            n_dominated=int(dominated.sum()),
        )
        outcome.solve_time = time.perf_counter() - t_start
        outcome.cut_rounds = rounds
        outcome.cuts = list(cut_pool)
        if not cone or outcome.status in ("infeasible", "not solved"):
            # infeasible: the last MILP relaxes the cone programme, so that is infeasible too
            if cone and rounds > 1 and outcome.status == "not solved":
                outcome.message += f" (cut round {rounds})"
            return outcome
        if not outcome.message.startswith("cone:"):
            # the point satisfies the cone constraint (checked in _solve_round)
            return outcome
        chosen = np.asarray(outcome.chosen, dtype=int)
        key = tuple(chosen.tolist())
        timed_out = outcome.status == "feasible" or (
            deadline is not None and time.perf_counter() >= deadline
        )
        if key in seen or timed_out or rounds >= max_cut_rounds:
            why = (
                "the time limit stopped the cut loop"
                if timed_out
                else "the cut loop returned a point twice (solver tolerance)"
                if key in seen
                else f"max_cut_rounds={max_cut_rounds} reached"
            )
            common = dict(
                pulp_status=outcome.pulp_status,
                sol_status=outcome.sol_status,
                solver_status=outcome.solver_status,
                solve_time=outcome.solve_time,
                mip_gap=outcome.mip_gap,
                bound=outcome.bound,  # the relaxation's bound holds for the cone programme
                n_dominated=outcome.n_dominated,
                cut_rounds=rounds,
                cuts=list(cut_pool),
            )
            fixed = _repair(
                stats,
                chosen,
                obj,
                score_gap=cast(float, score_gap),
                feature_divergence=feature_divergence,
                max_features=int(max_features),
                min_features=int(min_features),
                exclusive_pairs=exclusive_pairs,
                kappa=budget_margin,
            )
            if fixed is not None:
                f1, f2 = stats.budget_values(fixed, budget_margin, "score")
                return Selection(
                    "feasible",
                    fixed,
                    float(obj[fixed].sum()),
                    message=f"{why} (not proven optimal): its last point broke the score-gap "
                    f"budget with its margin ({outcome.message[5:].strip()}) and was made "
                    f"feasible by dropping {len(chosen) - len(fixed)} feature(s)",
                    f1=f1,
                    f2=f2,
                    **common,  # type: ignore[arg-type]
                )
            return Selection(
                "not solved",
                [],
                float("nan"),
                message=f"{why} before a point met the score-gap budget with its margin "
                f"({outcome.message[5:].strip()}); raise time_limit",
                **common,  # type: ignore[arg-type]
            )
        seen.add(key)
        for m in range(M):
            lhs = abs(stats.gap[chosen, m].sum()) + budget_margin * stats.score_gap_se(chosen)[m]
            if lhs <= float(score_gap) * (1 + _CON_TOL) + _CON_TOL:  # type: ignore[arg-type]
                continue
            cov = stats.covariance(m)
            col = cov[:, chosen].sum(axis=1)  # Sigma z*
            norm = float(np.sqrt(max(col[chosen].sum(), 0.0)))  # sqrt(z*' Sigma z*)
            if norm <= 0:  # cannot happen: the nominal row holds and the margin is 0
                continue
            a = col / norm
            cut_pool.append((m, a))
            add_cut(m, a)
        solver_obj = solver_for_round()


def _repair(
    stats: CandidateStats,
    chosen: np.ndarray,
    obj: np.ndarray,
    *,
    score_gap: float,
    kappa: float,
    **checks: Any,
) -> list[int] | None:
    """Drop candidates from a point that breaks the cone until it meets it (greedy).

    Each step drops the candidate with the largest fall of the budget's left-hand side per
    unit of objective lost. The result is checked against every constraint
    (:func:`check_solution`); ``None`` if none is found.
    """
    cur = [int(c) for c in chosen]
    limit = score_gap * (1 + _CON_TOL) + _CON_TOL

    def lhs(sel: list[int]) -> float:
        return float(stats.budget_values(sel, kappa, "score")[1].max()) if sel else 0.0

    while cur and lhs(cur) > limit:
        now = lhs(cur)
        best, best_score = -1, -np.inf
        for i, c in enumerate(cur):
            fall = now - lhs(cur[:i] + cur[i + 1 :])
            score = fall / max(float(obj[c]), 1e-12)
            if score > best_score:
                best, best_score = i, score
        cur.pop(best)
    z = np.zeros(stats.n_candidates)
    z[cur] = 1.0
    ok = not check_solution(stats, z, score_gap=score_gap, kappa=kappa, margin="score", **checks)
    return sorted(cur) if ok and cur else None


def _solve_round(
    prob: pulp.LpProblem,
    z: dict[int, Any],
    solver_obj: pulp.LpSolver,
    stats: CandidateStats,
    obj: np.ndarray,
    *,
    score_gap: float | None,
    feature_divergence: float | None,
    max_features: int,
    min_features: int,
    exclusive_pairs: Sequence[tuple[str, str]],
    kappa: float,
    margin: Margin,
    n_dominated: int,
) -> Selection:
    """Solve ``prob`` once and classify the outcome (the statuses of :class:`Selection`).

    A usable point that breaks only the ``"score"`` margin's cone constraint (the rows in the
    MILP are an outer approximation of it) comes back with its status, its ``chosen`` and a
    ``message`` starting ``"cone:"``, for the cut loop to cut it off.
    """
    C = stats.n_candidates
    t0 = time.perf_counter()
    prob.solve(solver_obj)
    elapsed = time.perf_counter() - t0
    pulp_status, sol_status = int(prob.status), int(prob.sol_status)
    solver_words = pulp.LpStatus.get(pulp_status, str(pulp_status))
    mip_gap = bound = float("nan")
    model = getattr(prob, "solverModel", None)
    if model is not None and hasattr(model, "getModelStatus"):
        try:
            solver_words = f"HiGHS {model.modelStatusToString(model.getModelStatus())}"
            info = model.getInfo()
            mip_gap = float(info.mip_gap)
            # PuLP hands HiGHS the negated objective of a maximisation
            bound = -float(info.mip_dual_bound)
        except Exception:  # pragma: no cover - older highspy without these accessors
            pass
    base = dict(
        pulp_status=pulp_status,
        sol_status=sol_status,
        solver_status=solver_words,
        solve_time=elapsed,
        mip_gap=mip_gap,
        bound=bound,
        n_dominated=n_dominated,
    )

    if pulp_status == pulp.LpStatusInfeasible or sol_status == pulp.LpSolutionInfeasible:
        return Selection(
            "infeasible",
            [],
            float("nan"),
            message="the solver proved the budget infeasible",
            **base,
        )
    if pulp_status == pulp.LpStatusUnbounded or sol_status == pulp.LpSolutionUnbounded:
        return Selection(
            "not solved",
            [],
            float("nan"),
            message="solver reported unbounded (impossible for a binary programme)",
            **base,
        )
    values = np.zeros(C)
    for ci, v in z.items():
        values[ci] = np.nan if v.varValue is None else float(v.varValue)
    if sol_status == pulp.LpSolutionNoSolutionFound and pulp_status != pulp.LpStatusOptimal:
        # Never use a point the solver does not claim: CBC loads the fractional LP point of
        # its last node on a time-out, HiGHS loads zeros.
        frac = np.isfinite(values).all() and bool(
            (np.abs(values - np.round(values)) > _INT_TOL).any()
        )
        note = "; the fractional point it loaded was discarded" if frac else ""
        return Selection(
            "not solved",
            [],
            float("nan"),
            message=f"the solver found no integer solution ({solver_words}){note}",
            **base,
        )
    mg = check_margin(margin)
    checks: dict[str, Any] = dict(
        feature_divergence=feature_divergence,
        max_features=max_features,
        min_features=min_features,
        exclusive_pairs=exclusive_pairs,
        kappa=kappa,
    )
    # every constraint of the MILP itself (the cone's linear rows: the nominal margin)
    problem = check_solution(
        stats, values, score_gap=score_gap, margin=0 if mg == "score" else margin, **checks
    )
    if problem:
        return Selection(
            "not solved", [], float("nan"), message=f"point discarded: {problem}", **base
        )
    cone_problem = (
        check_solution(stats, values, score_gap=score_gap, margin="score", **checks)
        if mg == "score" and score_gap is not None
        else ""
    )
    chosen = [int(c) for c in np.flatnonzero(np.round(values))]
    objective = float(obj[chosen].sum())
    f1, f2 = stats.budget_values(chosen, kappa, margin)
    note = f"cone: {cone_problem}" if cone_problem else ""
    if pulp_status == pulp.LpStatusOptimal and sol_status == pulp.LpSolutionOptimal:
        return Selection("optimal", chosen, objective, message=note, f1=f1, f2=f2, **base)
    if sol_status == pulp.LpSolutionIntegerFeasible or pulp_status in (
        pulp.LpStatusOptimal,
        pulp.LpStatusNotSolved,
    ):
        return Selection(
            "feasible",
            chosen,
            objective,
            message=note
            or f"integer feasible but not proven optimal (sol_status {sol_status}, "
            f"{solver_words}); the time limit or another limit stopped the search",
            f1=f1,
            f2=f2,
            **base,
        )
    return Selection(
        "not solved",
        [],
        float("nan"),
        message=f"unrecognised solver status ({pulp_status}, {sol_status})",
        **base,
    )
