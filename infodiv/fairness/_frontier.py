"""The predictive-power vs fairness frontier, solved to proven optimality point by point.

:class:`FairnessFrontier` splits the data into a training and a held-out part, proposes
candidate binnings for every model input on the training part, and computes for each
candidate, from one count table keyed by class and protected group, its predictive IV, its
fairness IV and the groups' mean WoE gap with their SEs
(:mod:`infodiv.fairness._candidate_stats`).

It then solves the selection programme of :mod:`infodiv.fairness._milp` once without a
fairness budget and once per budget ``B`` (explicit ``budgets``, or ``n_points`` evenly spaced
below the unconstrained solution's value), and fits a :class:`~infodiv.credit.Scorecard`
(logistic regression on cross-fitted WoE, points scaling) on each selection, with the selected
bins. Every point is evaluated on the held-out part, on the score itself: score IV with SE and
CI, AUC with DeLong CI, the score's fairness IV between the groups with its bias-aware
one-sided upper bound, and the demographic-parity bound ``1/2 sqrt(upper bound)`` at cut-offs
aligned with the score bins (see :mod:`infodiv.fairness._protected`).

Budgets (``budget``):

* ``"score_gap"`` (F2): ``|sum Delta z| + kappa sum s z <= B`` -- the training mean gap of
  the WoE-sum score between the groups, in log-odds units, with a ``kappa``-SE margin;
* ``"feature_divergence"`` (F1): ``sum (D + kappa SE_D) z <= B`` -- the summed
  bias-corrected fairness IVs of the selected binnings, with margin;
* ``"both"``: both, each budget the same fraction of its unconstrained value (explicit
  ``budgets`` are then ``(score_gap, feature_divergence)`` pairs).

Protected attributes (and the columns in ``exclude``) are only measured and constrained:
they are removed from the candidate features before anything is fitted, and each point's
scorecard reads only its selected columns.

The MILP objective of an optimal point can only fall as the budget tightens (the feasible set
shrinks); the held-out score IV of the refitted scorecard need not, and the frontier table
shows both so that a reader can see where they disagree.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted

from infodiv._param_validation import Interval, StrOptions, validate_estimator_params
from infodiv._validation import (
    align_inputs,
    check_alpha,
    check_binary_target,
    check_class_weights,
    check_sample_weight,
    check_weight_reading,
)
from infodiv.binning import Candidates, as_generator
from infodiv.core import (
    ConfidenceInterval,
    CountTable,
    FeatureBins,
    ResultBase,
    order_columns,
    quantile_edges,
)
from infodiv.credit import Scorecard, WoEEncoder, auc
from infodiv.exceptions import (
    InvalidParameterError,
    SolverWarning,
    UnseenCategoryWarning,
    ZeroCellWarning,
)
from infodiv.fairness._candidate_stats import candidate_statistics
from infodiv.fairness._milp import Selection, solve_selection
from infodiv.fairness._protected import (
    CLASS,
    GROUP,
    group_comparisons,
    protected_divergence,
    protected_groups,
)

__all__ = ["FairnessFrontier", "FrontierPoint", "FrontierResult"]

Budget = Literal["score_gap", "feature_divergence", "both"]


@dataclass(frozen=True, eq=False)
class _SplitData:
    """The training and held-out parts of a fit (rows, target, weights, protected group)."""

    X_train: pd.DataFrame
    y_train: np.ndarray
    w_train: np.ndarray
    g_train: np.ndarray
    X_val: pd.DataFrame
    y_val: np.ndarray
    w_val: np.ndarray
    g_val: np.ndarray


@dataclass
class FrontierPoint:
    """One point of the frontier: the budget, the solver outcome, the scorecard, the metrics.

    A record of one solve, not a results object: its statistics are the results in
    ``metrics`` (``"score_iv_result"``, ``"auc_result"``, ``"fairness"``), and the frontier's
    results object is :class:`FrontierResult`.

    Parameters
    ----------
    index : int
        Row of ``frontier_`` (``-1`` for a budget solved afresh by
        :meth:`FairnessFrontier.select`).
    score_gap, feature_divergence : float or None
        The point's budgets (``None``: not constrained).
    selection : Selection
        The solver's outcome (status, chosen candidates, objective, bound, gap).
    candidates : list of str
        The selected candidate binnings (``"feature[binning]"``).
    scorecard : Scorecard or None
        Fitted on the training part with the selected bins; ``None`` without a usable
        solution.
    metrics : dict
        The held-out metrics (the numbers of the point's ``frontier_`` row and the results
        they come from); empty without a usable solution.
    """

    index: int
    score_gap: float | None
    feature_divergence: float | None
    selection: Selection
    candidates: list[str]
    scorecard: Scorecard | None
    metrics: dict[str, Any]


#: Columns of ``frontier_`` that ``FrontierResult.summary()`` names by the contract.
_SCORE_IV_COLUMNS = {
    "score_iv": "estimate",
    "score_iv_se": "se",
    "score_iv_ci_low": "ci_low",
    "score_iv_ci_high": "ci_high",
}


@dataclass(repr=False)
class FrontierResult(ResultBase):
    """The fitted frontier as a result: the held-out score IV of every point, and its table.

    The parameters are the points' held-out score IVs (Jeffreys bad || good of the score's
    bins), indexed by ``point``; their test is the score IV's chi-square test of "the score
    does not separate the classes". Points without a usable solution have NaN everywhere.

    Parameters
    ----------
    frontier : DataFrame
        The points' table (the estimator's ``frontier_``; its columns are listed in
        :meth:`FairnessFrontier.fit`).
    points : list of FrontierPoint
        The points (the estimator's ``points_``).
    budget : str
        Which budget the frontier constrains.
    alpha : float
        Level of the intervals.
    """

    frontier: pd.DataFrame
    points: list[FrontierPoint]
    budget: str
    alpha: float

    def _index(self) -> pd.Index:
        return pd.Index(self.frontier["point"].to_numpy(), name="point")

    def _from_score_iv(self, attr: str) -> pd.Series:
        vals = [
            getattr(pt.metrics["score_iv_result"], attr)
            if "score_iv_result" in pt.metrics
            else np.nan
            for pt in self.points
        ]
        return pd.Series(vals, index=self._index(), name=attr, dtype=float)

    @property
    def estimate(self) -> pd.Series:
        """Held-out score IV of every point."""
        return pd.Series(self.frontier["score_iv"].to_numpy(), index=self._index(), name="score_iv")

    @property
    def se(self) -> pd.Series:
        """Standard error of every point's held-out score IV."""
        return pd.Series(self.frontier["score_iv_se"].to_numpy(), index=self._index(), name="se")

    @property
    def params(self) -> pd.Series:
        """The estimates (the same Series as :attr:`estimate`)."""
        return self.estimate

    @property
    def bse(self) -> pd.Series:
        """The standard errors (the same Series as :attr:`se`)."""
        return self.se

    @property
    def pvalue(self) -> pd.Series:
        """P-value of every point's score IV chi-square test (no separation of the classes)."""
        return self._from_score_iv("pvalue")

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Two-sided ``1 - alpha`` intervals of the points' score IVs.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the frontier's ``alpha``.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)``, two Series aligned with :attr:`params`.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        bounds = [
            pt.metrics["score_iv_result"].conf_int(a)
            if "score_iv_result" in pt.metrics
            else (np.nan, np.nan)
            for pt in self.points
        ]
        idx = self._index()
        low = pd.Series([b[0] for b in bounds], index=idx, name="ci_low", dtype=float)
        high = pd.Series([b[1] for b in bounds], index=idx, name="ci_high", dtype=float)
        return ConfidenceInterval(low, high)

    def summary(self) -> pd.DataFrame:
        """The points' table, indexed by ``point``, with the score IV as the contract's columns.

        Returns
        -------
        DataFrame
            ``estimate, se, ci_low, ci_high`` (the held-out score IV), ``statistic, df,
            pvalue`` (its chi-square test), then the other columns of ``frontier_``.
        """
        out = self.frontier.drop(columns="point").rename(columns=_SCORE_IV_COLUMNS)
        out.index = self._index()
        out["statistic"] = self._from_score_iv("statistic")
        out["df"] = self._from_score_iv("df")
        out["pvalue"] = self.pvalue
        return order_columns(out)

    def __repr__(self) -> str:
        cols = [
            c
            for c in (
                "score_gap_budget" if self.budget != "feature_divergence" else None,
                "feature_divergence_budget" if self.budget != "score_gap" else None,
                "status",
                "n_features",
                "estimate",
                "ci_low",
                "ci_high",
                "auc",
                "fairness_iv",
                "fairness_upper_bound",
            )
            if c is not None
        ]
        with pd.option_context("display.width", 160, "display.max_columns", 20):
            body = self.summary()[cols].to_string(float_format=lambda v: f"{v:.4g}")
        return (
            f"FrontierResult(budget={self.budget!r}, {len(self.points)} points, "
            f"alpha = {self.alpha:g}; estimate = held-out score IV)\n{body}"
        )


class FairnessFrontier(BaseEstimator):
    """Trace predictive power against a protected-group divergence budget, by MILP.

    Parameters
    ----------
    protected : str or list of str
        Protected column(s) of ``X`` (several: their combinations are the groups). Measured
        and constrained only: never a model input.
    budget : {"score_gap", "feature_divergence", "both"}
        Which fairness budget the programme enforces (see the module docstring).
    n_points : int
        Number of budgets, evenly spaced: ``B_k = reach * k / (n_points + 1)`` for ``k =
        n_points .. 1``, ``reach`` being the unconstrained solution's value. Ignored when
        ``budgets`` is given. The unconstrained solution is always point 0.
    budgets : sequence, optional
        Explicit budgets (positive floats; pairs for ``budget="both"``).
    max_features, min_features : int
        Bounds on the number of selected features.
    candidates : None, dict or generator
        Candidate binnings per feature: ``None`` for :class:`~infodiv.binning._candidates.
        QuantileCandidates` (8 quantile binnings per numeric column), a dict ``{feature: [bins,
        ...]}`` or any object with ``generate(X, y, sample_weight)``.
    solver : {"highs", "cbc"}
        PuLP solver (``pulp.HiGHS`` via highspy, or the bundled CBC).
    time_limit : float
        Seconds per solve. A solve stopped by it is reported ``"feasible"`` (not proven
        optimal) or ``"not solved"``, never ``"optimal"``.
    gap : float
        Relative MIP gap at which the solver may stop and call the point optimal (default
        1e-4, far below the statistical uncertainty of the IVs in the objective). The gap a
        stopped solve reached is in ``frontier_["mip_gap"]`` (HiGHS).
    random_state : int, optional
        Seeds the train/held-out split and the solver.
    validation_size : float
        Held-out share (stratified by class and group), in ``[0.01, 0.99]``.
    exclude : sequence of str
        Further columns never used as inputs (e.g. the raw age behind an age-split group).
    max_correlation : float
        Features whose WoE columns correlate beyond this (absolute Pearson, training part)
        may not both be selected.
    iv_penalty, budget_margin : float
        ``lambda`` (objective ``IV - lambda SE``) and ``kappa`` (budget margin in SEs).
    pdo, base_score, base_odds : float
        Points scaling of each point's :class:`~infodiv.credit.Scorecard`.
    score_bins : int
        Quantile bins of each point's score (edges from the training part) for the held-out
        score IV and fairness IV; the DP bound holds at cut-offs on these edges.
    comparison : {"rest", "pairwise"}
        Comparisons with more than two groups (budgets apply to every comparison; the frontier
        table reports the comparison with the largest upper bound).
    alpha : float
        Level of the CIs; upper bounds are one-sided ``1 - alpha``.
    threads : int, optional
        Solver threads (solver default when ``None``).
    event : label, optional
        The event (bad) class of ``y``: needed unless ``y`` is 0/1 or boolean (then 1/``True``
        is the event), e.g. ``event="bad"`` for a ``"good"``/``"bad"`` target. Checked in
        ``fit``.

    Attributes
    ----------
    result_ : FrontierResult
        The frontier as a results object: ``params`` are the points' held-out score IVs,
        ``summary()`` the points' table (``frontier_``) in the contract's columns.
    frontier_ : DataFrame
        One row per point (see :meth:`fit`); the same table as ``result_.frontier``.
    points_ : list of FrontierPoint
        The points (``result_.points``).
    candidates_ : DataFrame
        Statistics of every candidate binning (training part).
    stats_ : CandidateStats
    groups_, comparisons_ : list
    features_in_ : list of str
        Columns considered as model inputs (protected and excluded columns removed).
    protected_columns_ : list of str
    exclusive_pairs_ : list of (str, str)
    reach_ : dict
        Unconstrained values of the budgets (``score_gap``, ``feature_divergence``).
    train_index_, validation_index_ : ndarray
        Row positions of the training and held-out parts.

    Examples
    --------
    >>> from infodiv.datasets import load_simucredit
    >>> df = load_simucredit()
    >>> ff = FairnessFrontier(protected="Race", n_points=3, max_features=4, random_state=0)
    >>> ff = ff.fit(df.drop(columns=["default", "Gender"]), df["default"])
    >>> ff.frontier_["status"].tolist()
    ['optimal', 'optimal', 'optimal', 'optimal']
    >>> "Mortgage" in ff.frontier_.loc[0, "features"], "Mortgage" in ff.frontier_.loc[3, "features"]
    (True, False)
    """

    def __init__(
        self,
        protected: str | Sequence[str] | None = None,
        budget: Budget = "score_gap",
        n_points: int = 10,
        budgets: Sequence[Any] | None = None,
        max_features: int = 10,
        min_features: int = 1,
        candidates: Any = None,
        solver: Literal["highs", "cbc"] = "highs",
        time_limit: float = 30.0,
        gap: float = 1e-4,
        random_state: int | None = None,
        validation_size: float = 0.3,
        exclude: Sequence[str] = (),
        max_correlation: float = 0.8,
        iv_penalty: float = 1.645,
        budget_margin: float = 1.645,
        pdo: float = 20.0,
        base_score: float = 600.0,
        base_odds: float = 50.0,
        score_bins: int = 10,
        comparison: Literal["rest", "pairwise"] = "rest",
        alpha: float = 0.05,
        threads: int | None = None,
        event: Any = None,
    ):
        self.protected = protected
        self.budget = budget
        self.n_points = n_points
        self.budgets = budgets
        self.max_features = max_features
        self.min_features = min_features
        self.candidates = candidates
        self.solver = solver
        self.time_limit = time_limit
        self.gap = gap
        self.random_state = random_state
        self.validation_size = validation_size
        self.exclude = exclude
        self.max_correlation = max_correlation
        self.iv_penalty = iv_penalty
        self.budget_margin = budget_margin
        self.pdo = pdo
        self.base_score = base_score
        self.base_odds = base_odds
        self.score_bins = score_bins
        self.comparison = comparison
        self.alpha = alpha
        self.threads = threads
        self.event = event

    # ------------------------------------------------------------------ validation
    #: Declarative constraints of the constructor parameters, checked first in ``fit``
    #: (rules that need several parameters stay in ``_check_params``).
    _parameter_constraints: dict[str, list[Any]] = {
        "protected": [str, int, "array-like", None],  # None: refused with its own message
        "budget": [StrOptions({"score_gap", "feature_divergence", "both"})],
        "n_points": [Interval(int, 1, None, closed="left")],
        "budgets": ["array-like", None],
        "max_features": [Interval(int, 1, None, closed="left")],
        "min_features": [Interval(int, 0, None, closed="left")],
        "candidates": ["no_validation"],
        "solver": [StrOptions({"highs", "cbc"})],
        "time_limit": [Interval(float, 0, None, closed="neither")],
        "gap": [Interval(float, 0, None, closed="left")],
        "random_state": ["no_validation"],
        # a held-out share below 1% (or a training share below 1%) cannot hold every
        # class x group stratum; 5e-324 reached scikit-learn's split error
        "validation_size": [Interval(float, 0.01, 0.99, closed="both")],
        "exclude": ["array-like"],
        "max_correlation": [Interval(float, 0, 1, closed="right")],
        "iv_penalty": [Interval(float, 0, None, closed="left")],
        "budget_margin": [Interval(float, 0, None, closed="left")],
        "pdo": [Interval(float, 0, None, closed="neither")],
        "base_score": [float],
        "base_odds": [Interval(float, 0, None, closed="neither")],
        "score_bins": [Interval(int, 2, None, closed="left")],
        "comparison": [StrOptions({"rest", "pairwise"})],
        "alpha": [Interval(float, 0, 1, closed="neither")],
        "threads": [Interval(int, 1, None, closed="left"), None],
        "event": ["no_validation"],
    }

    def _check_params(self) -> None:
        if self.protected is None:
            raise InvalidParameterError(
                "protected must name the protected column(s) of X; got None"
            )
        validate_estimator_params(self)
        if self.protected is None:
            raise InvalidParameterError(
                "protected must name the protected column(s) of X; got None"
            )
        if self.budget not in ("score_gap", "feature_divergence", "both"):
            raise InvalidParameterError(
                f"budget must be 'score_gap', 'feature_divergence' or 'both'; got {self.budget!r}"
            )
        if self.budgets is None and (int(self.n_points) != self.n_points or self.n_points < 1):
            raise InvalidParameterError(
                f"n_points must be a positive integer; got {self.n_points!r}"
            )
        if self.solver not in ("highs", "cbc"):
            raise InvalidParameterError(f"solver must be 'highs' or 'cbc'; got {self.solver!r}")
        if not 0 < self.validation_size < 1:
            raise InvalidParameterError(
                f"validation_size must be in (0, 1); got {self.validation_size!r}"
            )
        if not 0 < self.max_correlation <= 1:
            raise InvalidParameterError(
                f"max_correlation must be in (0, 1]; got {self.max_correlation!r}"
            )
        for nm in ("iv_penalty", "budget_margin"):
            v = getattr(self, nm)
            if not (np.isfinite(v) and v >= 0):
                raise InvalidParameterError(f"{nm} must be a non-negative number; got {v!r}")
        if int(self.score_bins) != self.score_bins or self.score_bins < 2:
            raise InvalidParameterError(
                f"score_bins must be an integer >= 2; got {self.score_bins!r}"
            )
        check_alpha(self.alpha)

    def _budget_list(self, reach: dict[str, float]) -> list[tuple[float | None, float | None]]:
        """(score_gap, feature_divergence) per constrained point."""
        b = self.budget
        if self.budgets is not None:
            eps = list(self.budgets)
            if not eps:
                raise InvalidParameterError("budgets is empty")
            out: list[tuple[float | None, float | None]] = []
            for e in eps:
                sg: float | None
                fd: float | None
                if b == "both":
                    if not (isinstance(e, Sequence) and len(e) == 2):
                        raise InvalidParameterError(
                            "with budget='both', budgets must be (score_gap, "
                            f"feature_divergence) pairs; got {e!r}"
                        )
                    sg, fd = float(e[0]), float(e[1])
                else:
                    sg = float(e) if b == "score_gap" else None
                    fd = float(e) if b == "feature_divergence" else None
                for v in (sg, fd):
                    if v is not None and not (np.isfinite(v) and v > 0):
                        raise InvalidParameterError(
                            f"budgets must be positive (an exact zero is a subset-sum problem "
                            f"that may not finish); got {e!r}"
                        )
                out.append((sg, fd))
            return out
        n = int(self.n_points)
        fracs = np.arange(n, 0, -1) / (n + 1)
        return [
            (
                reach["score_gap"] * t if b in ("score_gap", "both") else None,
                reach["feature_divergence"] * t if b in ("feature_divergence", "both") else None,
            )
            for t in fracs
        ]

    # ------------------------------------------------------------------ fit
    def fit(
        self, X: pd.DataFrame, y: Any, sample_weight: Any = None, *, weights: Any = None
    ) -> FairnessFrontier:
        """Solve the frontier and evaluate each point on the held-out part.

        ``frontier_`` columns: ``point``, ``score_gap_budget``, ``feature_divergence_budget``
        (NaN = not constrained), ``status`` (optimal / feasible / infeasible / not solved),
        ``proven_optimal``, ``solver_status``, ``pulp_status``, ``sol_status``, ``mip_gap``,
        ``objective_bound`` (the solver's proven upper bound on the objective: the optimum
        lies in ``[objective, objective_bound]`` even for a point that is only feasible;
        HiGHS only), ``solve_time``, ``objective``, ``n_features``, ``features``, ``binnings``,
        ``train_score_gap``, ``train_feature_divergence`` (budget left-hand sides), held-out
        ``score_iv``/``_se``/``_ci_low``/``_ci_high``, ``auc``/``_se``/``_ci_low``/``_ci_high``,
        ``fairness_iv``/``_se``/``_ci_low``/``_ci_high``/``_upper_bound``/``_pvalue``,
        ``dp_bound``, ``tv``, ``comparison`` and ``message``.

        Parameters
        ----------
        X : DataFrame
            Model inputs and the protected column(s) (the latter, and ``exclude``, are never
            inputs).
        y : array-like
            Binary target: 0/1 or boolean (1/``True`` = bad), or two labels with ``event``.
            A pandas ``y`` (and ``sample_weight``) is matched to ``X`` by index label.
        sample_weight : array-like, optional
            Row weights (Kish effective sizes enter the SEs).
        weights : {"sampling"} or None, default None
            How ``sample_weight`` is read: ``"sampling"`` confirms survey/sampling weights;
            ``None`` is sampling, but weights that look like the counts of an aggregated table
            are refused (``docs/numbers.md``, "Weights"). ``"frequency"`` is refused: the
            frontier splits rows into training and held-out parts, which aggregated rows do
            not allow (expand them with ``np.repeat``).

        Returns
        -------
        FairnessFrontier
            ``self``, with ``result_``, ``frontier_``, ``points_`` and the other fitted
            attributes.
        """
        self._check_params()
        if y is None:
            raise InvalidParameterError(
                "FairnessFrontier requires y to be passed, but the target y is None"
            )
        if sparse.issparse(X):
            raise InvalidParameterError("sparse input is not supported: pass a pandas DataFrame")
        named = align_inputs({"X": X, "y": y, "sample_weight": sample_weight})
        y, sample_weight = named["y"], named["sample_weight"]
        if isinstance(X, np.ndarray):
            if np.iscomplexobj(X):
                raise InvalidParameterError("Complex data not supported")
            X = pd.DataFrame(X)
        if not isinstance(X, pd.DataFrame):
            raise InvalidParameterError(f"X must be a pandas DataFrame; got {type(X).__name__}")
        if X.shape[1] == 0:
            raise InvalidParameterError(
                f"0 feature(s) (shape={X.shape}) while a minimum of 1 is required."
            )
        if len(X) < 10:
            raise InvalidParameterError(
                f"FairnessFrontier needs at least 10 rows; got n_samples = {len(X)}"
            )
        prot = self.protected
        if isinstance(prot, str | int):
            if prot not in X.columns:
                raise InvalidParameterError(
                    f"protected column {prot!r} is not in X (columns {list(X.columns)})"
                )
        elif isinstance(prot, Sequence):
            bad = [c for c in prot if c not in X.columns]
            if bad or not prot:
                raise InvalidParameterError(f"protected columns {bad or prot!r} are not in X")
        else:
            raise InvalidParameterError(
                f"protected must be a column name or a list of them; got {prot!r}"
            )
        groups, pcols = protected_groups(X, prot, name="protected")
        excl = list(self.exclude)
        bad = [c for c in excl if c not in X.columns]
        if bad:
            raise InvalidParameterError(f"exclude names columns that are not in X: {bad}")
        features = [c for c in X.columns if c not in pcols and c not in excl]
        if not features:
            raise InvalidParameterError(
                f"no model inputs left once the protected and excluded columns are removed "
                f"(n_features = {X.shape[1]})"
            )
        yy = check_binary_target(y, "y", self.event)
        if len(yy) != len(X):
            raise InvalidParameterError(f"length mismatch: y has {len(yy)} rows, X has {len(X)}")
        w = check_sample_weight(sample_weight, len(X))
        if weights == "frequency" and sample_weight is not None:
            raise InvalidParameterError(
                "FairnessFrontier splits rows into training and held-out parts, which "
                "aggregated rows (weights='frequency') do not allow: expand them with "
                "np.repeat, or pass weights='sampling' for sampling weights"
            )
        check_weight_reading(weights, None if sample_weight is None else w)
        check_class_weights(yy, w)
        Xf = X[features].set_axis([str(c) for c in features], axis=1)
        features = list(Xf.columns)
        gvals = sorted(pd.unique(groups).tolist())
        if len(gvals) > 50:
            raise InvalidParameterError(
                f"protected has {len(gvals)} distinct values; it must be a group label "
                "(bin a continuous attribute first, e.g. an age split)"
            )
        comps = group_comparisons(gvals, self.comparison)

        # ---------------------------------------------------------------- split
        strata = groups.astype(str).to_numpy() + "|" + yy.astype(str)
        _, counts_ = np.unique(strata, return_counts=True)
        stratify = strata if counts_.min() >= 2 else None
        idx = np.arange(len(X))
        try:
            itr, iva = train_test_split(
                idx,
                test_size=self.validation_size,
                random_state=self.random_state,
                stratify=stratify,
            )
        except ValueError as exc:  # scikit-learn: too few rows for the strata at this share
            raise InvalidParameterError(
                f"validation_size={self.validation_size} cannot split {len(X)} rows stratified "
                f"by class and protected group ({exc}): raise validation_size (or give more rows)"
            ) from exc
        for part, nm in ((itr, "training"), (iva, "held-out")):
            present = set(groups.iloc[part])
            if len(present) < len(gvals) or len(np.unique(yy[part])) < 2:
                raise InvalidParameterError(
                    f"the {nm} part lacks a protected group or a class: too few rows "
                    f"({len(X)}) for validation_size={self.validation_size}"
                )
        # each point's scorecard cross-fits its WoE encoder on the training part
        folds = WoEEncoder().cv
        fewest = int(np.bincount(yy[itr], minlength=2).min())
        if isinstance(folds, int) and fewest < folds:
            raise InvalidParameterError(
                f"validation_size={self.validation_size} leaves {fewest} rows of the smaller "
                f"class in the training part ({len(itr)} rows); the scorecards' cross-fitted "
                f"WoE encoding needs at least {folds}: lower validation_size (or give more rows)"
            )
        itr, iva = np.sort(itr), np.sort(iva)
        Xtr, Xva = Xf.iloc[itr], Xf.iloc[iva]
        ytr, yva, wtr, wva = yy[itr], yy[iva], w[itr], w[iva]
        gtr, gva = groups.iloc[itr].to_numpy(), groups.iloc[iva].to_numpy()

        # ---------------------------------------------------------------- candidates
        cands: Candidates = as_generator(self.candidates).generate(Xtr, ytr, wtr)
        unknown = [f for f in cands if f not in features]
        if unknown:
            raise InvalidParameterError(
                f"the candidate generator returned bins of non-inputs {unknown}"
            )
        key_of: dict[str, tuple[str, str]] = {}
        bins_of: dict[str, FeatureBins] = {}
        codes, labels = {}, {}
        for f, cs in cands.items():
            for cname, fb in cs.items():
                key = f"{f}[{cname}]"
                key_of[key] = (f, cname)
                bins_of[key] = fb
                codes[key] = fb.codes(Xtr[f])
                labels[key] = fb.labels
        table = CountTable.from_codes(
            codes, labels, {GROUP: gtr, CLASS: ytr}, wtr, weights="sampling"
        )
        stats, woe, cand_frame = candidate_statistics(table, key_of, comps, gvals)
        pairs = self._correlated_pairs(cands, key_of, woe, codes)

        self.protected_columns_ = [str(c) for c in pcols]
        self.features_in_ = features
        self.groups_ = gvals
        self.comparisons_ = comps
        self.stats_ = stats
        self.candidates_ = cand_frame
        self.candidate_bins_ = bins_of
        self.exclusive_pairs_ = pairs
        self.train_index_, self.validation_index_ = np.sort(itr), np.sort(iva)
        self.n_train_, self.n_validation_ = len(itr), len(iva)
        self._data = _SplitData(Xtr, ytr, wtr, gtr, Xva, yva, wva, gva)
        self._cache: dict[tuple[str, ...], Any] = {}

        # ---------------------------------------------------------------- solves
        free = self._solve(None, None)
        if not free.usable:
            raise InvalidParameterError(
                f"the unconstrained selection was not solved ({free.status}: {free.message}); "
                "raise time_limit"
            )
        self.reach_ = {
            "score_gap": float(free.f2.max()),
            "feature_divergence": float(free.f1.max()),
        }
        grid = [(None, None), *self._budget_list(self.reach_)]
        points, rows = [], []
        for k, (sg, fd) in enumerate(grid):
            sel = free if k == 0 else self._solve(sg, fd)
            pt = self._evaluate(k, sg, fd, sel)
            points.append(pt)
            rows.append(self._row(pt))
        self.points_ = points
        self.frontier_ = pd.DataFrame(rows).set_index("point", drop=False)
        self.frontier_.index.name = None
        self.result_ = FrontierResult(self.frontier_, self.points_, self.budget, self.alpha)
        return self

    def _correlated_pairs(self, cands, key_of, woe, codes) -> list[tuple[str, str]]:
        # The finest candidate of each feature, WoE-coded on the training part.
        finest: dict[str, str] = {}
        for key, (f, _) in key_of.items():
            if f not in finest or woe[key].size > woe[finest[f]].size:
                finest[f] = key
        feats = list(finest)
        if len(feats) < 2:
            return []
        W = np.column_stack([woe[finest[f]][codes[finest[f]]] for f in feats])
        sd = W.std(axis=0)
        pairs = []
        ok = sd > 0
        if ok.sum() >= 2:
            R = np.corrcoef(W[:, ok].T)
            names = [f for f, k in zip(feats, ok, strict=True) if k]
            for i in range(len(names)):
                for j in range(i + 1, len(names)):
                    if abs(R[i, j]) > self.max_correlation:
                        pairs.append((names[i], names[j]))
        return pairs

    def _solve(self, sg: float | None, fd: float | None) -> Selection:
        return solve_selection(
            self.stats_,
            score_gap=sg,
            feature_divergence=fd,
            max_features=self.max_features,
            min_features=self.min_features,
            exclusive_pairs=self.exclusive_pairs_,
            iv_penalty=self.iv_penalty,
            budget_margin=self.budget_margin,
            solver=self.solver,
            time_limit=self.time_limit,
            gap=self.gap,
            threads=self.threads,
            random_state=self.random_state,
        )

    def _evaluate(
        self, k: int, sg: float | None, fd: float | None, sel: Selection
    ) -> FrontierPoint:
        d = self._data
        names = [str(self.stats_.name[c]) for c in sel.chosen]
        if not sel.usable or not names:
            return FrontierPoint(k, sg, fd, sel, names, None, {})
        cache_key = tuple(sorted(names))
        if cache_key not in self._cache:
            bins = {}
            for key in names:
                f = str(self.candidates_.loc[key, "feature"])
                bins[f] = self.candidate_bins_[key]
            sc = Scorecard(
                encoder=WoEEncoder(bins=bins, random_state=self.random_state),
                pdo=self.pdo,
                base_score=self.base_score,
                base_odds=self.base_odds,
                alpha=self.alpha,
                random_state=self.random_state,
            )
            with warnings.catch_warnings():
                # zero cells: smoothed, documented; cross-fitting folds may miss a bin (encoded
                # as the encoder's unknown_value, documented)
                warnings.simplefilter("ignore", ZeroCellWarning)
                warnings.simplefilter("ignore", UnseenCategoryWarning)
                sc.fit(
                    d.X_train[list(bins)],
                    d.y_train,
                    sample_weight=None if np.all(d.w_train == 1) else d.w_train,
                    weights="sampling",
                )
            self._cache[cache_key] = (sc, self._metrics(sc))
        sc, metrics = self._cache[cache_key]
        # Points with the same selection share one fitted scorecard (a copy for each point).
        return FrontierPoint(k, sg, fd, sel, names, copy.copy(sc), metrics)

    def _metrics(self, sc: Scorecard) -> dict[str, Any]:
        d = self._data
        Xva, yva, wva = d.X_val, d.y_val, d.w_val
        cols = list(sc.feature_names_in_)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnseenCategoryWarning)  # unseen-bin notes
            s_tr = sc.decision_function(d.X_train[cols])
            s_va = sc.decision_function(Xva[cols])
        m: dict[str, Any] = {}
        if np.unique(s_tr).size >= 2:
            edges = quantile_edges(s_tr, int(self.score_bins), d.w_train, "score")
        else:
            edges = ()
        sbins = FeatureBins("score", edges=edges)
        ct = CountTable.from_codes(
            {"score": sbins.codes(s_va)},
            {"score": sbins.labels},
            {CLASS: yva},
            wva,
            weights="sampling",
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ZeroCellWarning)  # smoothed, documented
            iv = ct.divergence("score", CLASS, 1, 0, "jeffreys", alpha=self.alpha, name="score IV")
            fair = protected_divergence(
                pd.DataFrame(index=Xva.index),
                d.g_val,
                score=s_va,
                score_bins=sbins,
                comparison=self.comparison,
                sample_weight=wva,
                weights="sampling",
                alpha=self.alpha,
            )
        lo, hi = iv.conf_int()
        auc_res = auc(yva, s_va, alpha=self.alpha)
        alo, ahi = auc_res.conf_int()
        ft = fair.fairness.xs("score", level="feature")
        worst = cast(str, ft["upper_bound"].idxmax())  # a comparison label
        fr = ft.loc[worst]
        m.update(
            {
                "score_iv": iv.estimate,
                "score_iv_se": iv.se,
                "score_iv_ci_low": lo,
                "score_iv_ci_high": hi,
                "auc": auc_res.estimate,
                "auc_se": auc_res.se,
                "auc_ci_low": alo,
                "auc_ci_high": ahi,
                "fairness_iv": fr["fairness_iv"],
                "fairness_iv_se": fr["se"],
                "fairness_iv_ci_low": fr["ci_low"],
                "fairness_iv_ci_high": fr["ci_high"],
                "fairness_upper_bound": fr["upper_bound"],
                "fairness_pvalue": fr["pvalue"],
                "dp_bound": fr["dp_bound"],
                "tv": fr["tv"],
                "comparison": worst,
                "score_edges": edges,
                "fairness": fair,
                "score_iv_result": iv,
                "auc_result": auc_res,
            }
        )
        return m

    def _row(self, pt: FrontierPoint) -> dict[str, Any]:
        sel = pt.selection
        feats = [str(self.candidates_.loc[c, "feature"]) for c in pt.candidates]
        row = {
            "point": pt.index,
            "score_gap_budget": np.nan if pt.score_gap is None else pt.score_gap,
            "feature_divergence_budget": (
                np.nan if pt.feature_divergence is None else pt.feature_divergence
            ),
            "status": sel.status,
            "proven_optimal": sel.proven_optimal,
            "solver_status": sel.solver_status,
            "pulp_status": sel.pulp_status,
            "sol_status": sel.sol_status,
            "mip_gap": sel.mip_gap,
            "objective_bound": sel.bound,
            "solve_time": sel.solve_time,
            "objective": sel.objective,
            "n_features": len(feats),
            "features": ", ".join(feats),
            "binnings": ", ".join(pt.candidates),
            "train_score_gap": float(sel.f2.max()) if sel.f2.size else np.nan,
            "train_feature_divergence": float(sel.f1.max()) if sel.f1.size else np.nan,
        }
        for c in (
            "score_iv",
            "score_iv_se",
            "score_iv_ci_low",
            "score_iv_ci_high",
            "auc",
            "auc_se",
            "auc_ci_low",
            "auc_ci_high",
            "fairness_iv",
            "fairness_iv_se",
            "fairness_iv_ci_low",
            "fairness_iv_ci_high",
            "fairness_upper_bound",
            "fairness_pvalue",
            "dp_bound",
            "tv",
        ):
            row[c] = float(pt.metrics.get(c, np.nan))
        row["comparison"] = pt.metrics.get("comparison", "")
        row["message"] = sel.message
        return row

    # ------------------------------------------------------------------ use
    def select(self, budget: Any = None, *, point: int | None = None) -> Scorecard:
        """The scorecard of a frontier point, chosen by its budget or its number.

        Parameters
        ----------
        budget : float or (float, float), optional
            A budget value of the fitted frontier (matched to the row's budget; a
            ``(score_gap, feature_divergence)`` pair with ``budget="both"``); any other
            positive budget is solved afresh on the same candidates. ``None`` with
            ``point=None`` returns the unconstrained point.
        point : int, optional
            Row number of ``frontier_``.

        Returns
        -------
        Scorecard
            Fitted on the training part with the point's features and bins (its
            ``feature_names_in_``: pass ``X[sc.feature_names_in_]``; a frame with other
            columns, e.g. the protected one, is refused), with ``frontier_point_`` (the row
            as a Series) and ``selection_`` attached. A point not proven optimal is returned
            with a :class:`~infodiv.exceptions.SolverWarning`; one with no solution raises
            ``ValueError``.
        """
        check_is_fitted(self, "frontier_")
        if point is not None and budget is not None:
            raise InvalidParameterError("give budget or point, not both")
        if point is None and budget is None:
            point = 0
        if point is not None:
            if point not in self.frontier_.index:
                raise InvalidParameterError(
                    f"point must be one of {list(self.frontier_.index)}; got {point!r}"
                )
            pt = self.points_[int(point)]
        else:
            pt = self._find_or_solve(budget)
        sel = pt.selection
        if pt.scorecard is None:
            raise InvalidParameterError(
                f"the point with budget {budget if budget is not None else point!r} has no "
                f"usable solution ({sel.status}: {sel.message})"
            )
        if not sel.proven_optimal:
            warnings.warn(
                f"this point is {sel.status}, not proven optimal: {sel.message}",
                SolverWarning,
                stacklevel=2,
            )
        sc = pt.scorecard
        sc.frontier_point_ = pd.Series(self._row(pt))
        sc.selection_ = sel
        return sc

    def _find_or_solve(self, budget: Any) -> FrontierPoint:
        sg: float | None
        fd: float | None
        if self.budget == "both":
            if not (isinstance(budget, Sequence) and len(budget) == 2):
                raise InvalidParameterError(
                    "with budget='both', the budget must be a (score_gap, feature_divergence) "
                    f"pair; got {budget!r}"
                )
            sg, fd = float(budget[0]), float(budget[1])
        else:
            e = float(budget)
            sg = e if self.budget == "score_gap" else None
            fd = e if self.budget == "feature_divergence" else None
        for v in (sg, fd):
            if v is not None and not (np.isfinite(v) and v > 0):
                raise InvalidParameterError(
                    f"budget must be a positive budget value; got {budget!r}"
                )
        # The fitted points carry a budget wherever this one does (same ``budget`` kind).
        for pt in self.points_[1:]:
            psg, pfd = cast(float, pt.score_gap), cast(float, pt.feature_divergence)
            if (sg is None or np.isclose(psg, sg, rtol=1e-9, atol=0)) and (
                fd is None or np.isclose(pfd, fd, rtol=1e-9, atol=0)
            ):
                return pt
        return self._evaluate(-1, sg, fd, self._solve(sg, fd))

    # ------------------------------------------------------------------ lenders' metrics
    def _eval_data(
        self, X: Any, y: Any, sample_weight: Any, need_y: bool
    ) -> tuple[pd.DataFrame, np.ndarray | None, np.ndarray, np.ndarray, bool]:
        """Rows to evaluate on: the held-out part of the fit (``X`` None) or the given rows.

        Returns the frame (str column names), the target coded 0/1 (or None), the group
        labels, the weights and whether these are the fit's held-out rows.
        """
        check_is_fitted(self, "frontier_")
        if X is None:
            if y is not None or sample_weight is not None:
                raise InvalidParameterError(
                    "y and sample_weight go with X: without X the held-out part of the fit "
                    "is used (with its own target and weights)"
                )
            d = self._data
            return d.X_val, d.y_val, d.g_val, d.w_val, True
        if not isinstance(X, pd.DataFrame):
            raise InvalidParameterError(f"X must be a pandas DataFrame; got {type(X).__name__}")
        named = align_inputs({"X": X, "y": y, "sample_weight": sample_weight})
        groups, _ = protected_groups(X, self.protected, name="protected")
        frame = X.set_axis([str(c) for c in X.columns], axis=1)
        yy = None
        if named["y"] is not None:
            yy = check_binary_target(named["y"], "y", self.event)
            if len(yy) != len(X):
                raise InvalidParameterError(
                    f"length mismatch: y has {len(yy)} rows, X has {len(X)}"
                )
        elif need_y:
            raise InvalidParameterError("y is required with X (the AUCs need the target)")
        w = check_sample_weight(named["sample_weight"], len(X))
        return frame, yy, groups.to_numpy(), w, False

    @staticmethod
    def _points_score(sc: Scorecard, frame: pd.DataFrame, what: str) -> tuple[Any, Any]:
        """(points, log-odds) of ``sc`` on ``frame``'s columns of the scorecard."""
        cols = list(sc.feature_names_in_)
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise InvalidParameterError(
                f"X lacks the columns {missing} of {what}: pass X with them"
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnseenCategoryWarning)  # unseen-bin notes
            return sc.score(frame[cols]), sc.decision_function(frame[cols])

    def cutoff_metrics(
        self,
        X: pd.DataFrame | None = None,
        y: Any = None,
        *,
        cutoff: Any = None,
        approval_rate: Any = None,
        reference: Any = None,
        points: Sequence[int] | None = None,
        sample_weight: Any = None,
        ci_method: Literal["score", "log"] = "score",
        alpha: float | None = None,
    ) -> pd.DataFrame:
        """What lenders report at the cut-off(s), for every frontier point.

        :func:`~infodiv.fairness.approval_metrics` of every point's scorecard points (higher
        is safer) between the protected groups: adverse impact ratio with CI and four-fifths
        flag, approval-rate and equal-opportunity differences with CIs, standardised mean
        difference of the scores with CI.

        Parameters
        ----------
        X : DataFrame, optional
            Rows to evaluate, with the model inputs and the protected column(s). Default: the
            held-out part of the fit (with its target and weights).
        y : array-like, optional
            Target of ``X`` (read with the frontier's ``event``): adds the
            equal-opportunity difference. Not given with ``X=None``.
        cutoff, approval_rate : float or sequence, optional
            Score cut-off(s) on the points scale, or share(s) of rows to approve (each
            point's own cut-off); exactly one.
        reference : label or "highest", optional
            Reference group (default: the largest group).
        points : sequence of int, optional
            Frontier points (rows of ``frontier_``); default every point with a scorecard.
        sample_weight : array-like, optional
            Weights of ``X``'s rows.
        ci_method : {"score", "log"}
            Interval of the adverse impact ratio.
        alpha : float, optional
            Level of the intervals (default: the frontier's ``alpha``).

        Returns
        -------
        DataFrame
            The :attr:`~infodiv.fairness.ApprovalMetrics.table` of every point, indexed by
            (``point``, ``cutoff`` or ``target_approval_rate``, ``group``).
        """
        from infodiv.fairness._approval import approval_metrics

        frame, yy, groups, w, _ = self._eval_data(X, y, sample_weight, need_y=False)
        a = self.alpha if alpha is None else check_alpha(alpha)
        ks = list(self.frontier_.index) if points is None else list(points)
        parts, keys = [], []
        for k in ks:
            if k not in self.frontier_.index:
                raise InvalidParameterError(
                    f"points must be rows of frontier_ {list(self.frontier_.index)}; got {k!r}"
                )
            pt = self.points_[int(k)]
            if pt.scorecard is None:
                continue
            pts, _ = self._points_score(pt.scorecard, frame, f"point {k}'s scorecard")
            try:
                res = approval_metrics(
                    pts,
                    groups,
                    yy,
                    cutoff=cutoff,
                    approval_rate=approval_rate,
                    reference=reference,
                    sample_weight=w,
                    weights="sampling",
                    ci_method=ci_method,
                    alpha=a,
                )
            except InvalidParameterError as exc:
                raise InvalidParameterError(f"point {k}: {exc}") from None
            parts.append(res.table)
            keys.append(int(k))
        if not parts:
            raise InvalidParameterError("no frontier point with a scorecard among points")
        out = pd.concat(parts, keys=keys, names=["point"])
        return out

    def alternatives(
        self,
        baseline: Scorecard | None = None,
        X: pd.DataFrame | None = None,
        y: Any = None,
        *,
        cutoff: float | None = None,
        approval_rate: float | None = None,
        reference: Any = None,
        tolerance: float | None = None,
        sample_weight: Any = None,
        alpha: float | None = None,
    ) -> Any:
        """The search for less discriminatory alternatives: the table a lender files.

        Every frontier point is compared with a baseline model on the same rows: its AUC
        with DeLong's paired test (:func:`infodiv.credit.auc_difference`), and its fairness
        at the cut-off and on the score. A point is *retained* when

        * ``tolerance=None``: its AUC is not significantly below the baseline's: the one-sided
          test of "below" does not reject at ``alpha`` (``d + z_{1-alpha} se >= 0``, ``d`` the
          AUC difference);
        * ``tolerance=t``: its AUC loss is within ``t`` with confidence ``1 - alpha``
          (non-inferiority: ``d - z_{1-alpha} se >= -t``).

        Retained points are ranked by fairness: the adverse impact ratio at the cut-off of the
        group furthest from parity, as ``air_parity = min(air, 1 / air)`` (so that a ratio
        above 1, the group favoured over the reference, counts as much as its inverse; 1 is
        parity; higher first), then the score-level fairness IV's one-sided upper bound
        (lower first), then the AUC (higher first).

        Parameters
        ----------
        baseline : Scorecard, optional
            The model to compare with (fitted; its columns must be in ``X``). Default: the
            unconstrained point 0.
        X : DataFrame, optional
            Rows to evaluate, with the inputs of the points (and of ``baseline``) and the
            protected column(s). Default: the held-out part of the fit.
        y : array-like
            Target of ``X`` (required with ``X``; read with the frontier's ``event``).
        cutoff, approval_rate : float, optional
            One score cut-off (points scale) or one share of rows to approve (each model's own
            cut-off); exactly one.
        reference : label or "highest", optional
            Reference group of the adverse impact ratios (default: the largest group).
        tolerance : float, optional
            AUC loss accepted (non-inferiority margin, e.g. 0.005), in ``[0, 1)``.
        sample_weight : array-like, optional
            Weights of ``X``'s rows.
        alpha : float, optional
            Level of the tests and intervals (default: the frontier's ``alpha``).

        Returns
        -------
        AlternativesResult
            ``summary()``/``table`` indexed by ``point``: ``estimate`` (AUC - baseline AUC),
            ``se``, ``ci_low``, ``ci_high``, ``statistic``, ``pvalue`` (one-sided, "below"),
            ``auc`` with CI, ``auc_lower_bound`` (one-sided lower bound of the difference),
            ``not_significantly_below``, ``within_tolerance`` (NaN without ``tolerance``),
            ``retained``, ``rank``, ``cutoff``, ``approval_rate`` (share approved),
            ``air_parity``, ``air`` (the adverse impact ratio of the group furthest from
            parity, ``air_group``, against ``air_reference``), its CI (``air_ci_low``,
            ``air_ci_high``), ``four_fifths``, that group's ``approval_difference``,
            ``eo_difference`` and
            ``smd``, ``fairness_iv`` and ``fairness_upper_bound`` of the score (worst
            comparison, ``fairness_comparison``), ``n_features``, ``features``, ``status``,
            ``proven_optimal``, ``note``; ``baseline`` holds the baseline's row.
        """
        from scipy import stats as sps

        from infodiv.credit import auc_difference
        from infodiv.fairness._approval import AlternativesResult, approval_metrics

        frame, yy, groups, w, held_out = self._eval_data(X, y, sample_weight, need_y=True)
        assert yy is not None
        a = self.alpha if alpha is None else check_alpha(alpha)
        for nm, v in (("cutoff", cutoff), ("approval_rate", approval_rate)):
            if v is not None and np.ndim(v) != 0:
                raise InvalidParameterError(f"{nm} must be a single value here; got {v!r}")
        if tolerance is not None and not (
            isinstance(tolerance, int | float) and 0 <= tolerance < 1
        ):
            raise InvalidParameterError(f"tolerance must be a number in [0, 1); got {tolerance!r}")
        if baseline is None:
            base_sc = self.points_[0].scorecard
            base_name = "point 0 (unconstrained)"
            base_edges: Any = self.points_[0].metrics.get("score_edges")
            base_metrics = self.points_[0].metrics if held_out else None
        else:
            if not isinstance(baseline, Scorecard):
                raise InvalidParameterError(
                    f"baseline must be a fitted Scorecard or None; got {type(baseline).__name__}"
                )
            check_is_fitted(baseline, "points_table_")
            base_sc, base_name, base_edges, base_metrics = (
                baseline,
                "the given scorecard",
                None,
                None,
            )
        assert base_sc is not None
        z1 = float(sps.norm.ppf(1 - a))

        def fairness_at_cutoff(pts: np.ndarray) -> dict[str, Any]:
            try:
                res = approval_metrics(
                    pts,
                    groups,
                    yy,
                    cutoff=cutoff,
                    approval_rate=approval_rate,
                    reference=reference,
                    sample_weight=w,
                    weights="sampling",
                    alpha=a,
                )
            except InvalidParameterError as exc:
                raise InvalidParameterError(f"{exc}") from None
            tab = res.table
            air = tab["air"].astype(float)
            parity = np.minimum(air, 1.0 / air.where(air > 0, np.nan)).fillna(0.0)
            parity[air.isna()] = np.nan
            j = parity.idxmin() if parity.notna().any() else tab.index[0]
            r = tab.loc[j]
            return {
                "cutoff": float(r["cutoff"] if "cutoff" in tab.columns else j[0]),
                "approval_rate": float(r["pooled_approval_rate"]),
                "air_parity": float(parity.loc[j]),
                "air": float(r["air"]),
                "air_group": str(j[1]),
                "air_reference": str(r["reference"]),
                "air_ci_low": float(r["air_ci_low"]),
                "air_ci_high": float(r["air_ci_high"]),
                "four_fifths": r["four_fifths"],
                "approval_difference": float(r["approval_difference"]),
                "eo_difference": float(r.get("eo_difference", np.nan)),
                "smd": float(r["smd"]),
                "note": "; ".join(n for n in tab["note"] if n),
            }

        def score_fairness(logodds: np.ndarray, edges: Any, metrics: Any) -> dict[str, Any]:
            if metrics:
                return {
                    "fairness_iv": float(metrics["fairness_iv"]),
                    "fairness_upper_bound": float(metrics["fairness_upper_bound"]),
                    "fairness_comparison": str(metrics["comparison"]),
                }
            sb: Any = FeatureBins("score", edges=edges) if edges is not None else self.score_bins
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ZeroCellWarning)
                fair = protected_divergence(
                    pd.DataFrame(index=frame.index),
                    groups,
                    score=logodds,
                    score_bins=sb,
                    comparison=self.comparison,
                    sample_weight=w,
                    weights="sampling",
                    alpha=a,
                )
            ft = fair.fairness.xs("score", level="feature")
            worst = cast(str, ft["upper_bound"].idxmax())
            return {
                "fairness_iv": float(ft.loc[worst, "fairness_iv"]),
                "fairness_upper_bound": float(ft.loc[worst, "upper_bound"]),
                "fairness_comparison": worst,
            }

        b_pts, b_lo = self._points_score(base_sc, frame, "the baseline")
        b_auc = auc(yy, b_lo, alpha=a)
        base_row = {
            "name": base_name,
            "auc": b_auc.estimate,
            "auc_ci_low": b_auc.conf_int()[0],
            "auc_ci_high": b_auc.conf_int()[1],
            **fairness_at_cutoff(b_pts),
            **score_fairness(b_lo, base_edges, base_metrics),
            "n_features": len(base_sc.features_),
            "features": ", ".join(base_sc.features_),
        }
        rows = []
        for pt in self.points_:
            sc = pt.scorecard
            if sc is None:
                continue
            pts, lo = self._points_score(sc, frame, f"point {pt.index}'s scorecard")
            diff = auc_difference(yy, lo, b_lo, alpha=a)
            z = diff.statistic
            p_below = float(sps.norm.cdf(z)) if np.isfinite(z) else (0.0 if z < 0 else 1.0)
            lower = diff.estimate - z1 * diff.se
            a_res = auc(yy, lo, alpha=a) if not held_out else pt.metrics["auc_result"]
            alo, ahi = a_res.conf_int(a)
            not_below = bool(p_below > a)
            within = bool(lower >= -tolerance) if tolerance is not None else None
            row = {
                "point": pt.index,
                "estimate": diff.estimate,
                "se": diff.se,
                "statistic": z,
                "pvalue": p_below,
                "auc": a_res.estimate,
                "auc_ci_low": alo,
                "auc_ci_high": ahi,
                "auc_lower_bound": lower,
                "not_significantly_below": not_below,
                "within_tolerance": within,
                "retained": within if tolerance is not None else not_below,
                **fairness_at_cutoff(pts),
                **score_fairness(
                    lo, pt.metrics.get("score_edges"), pt.metrics if held_out else None
                ),
                "n_features": len(pt.candidates),
                "features": str(self.frontier_.loc[pt.index, "features"]),
                "status": pt.selection.status,
                "proven_optimal": pt.selection.proven_optimal,
            }
            rows.append(row)
        table = pd.DataFrame(rows).set_index("point")
        zz = float(sps.norm.ppf(1 - a / 2))
        table["ci_low"] = table["estimate"] - zz * table["se"]
        table["ci_high"] = table["estimate"] + zz * table["se"]
        keep = table[table["retained"].astype(bool)]
        ranked = keep.assign(_air=keep["air_parity"].fillna(-np.inf)).sort_values(
            ["_air", "fairness_upper_bound", "auc"], ascending=[False, True, False], kind="stable"
        )
        table["rank"] = pd.Series(np.arange(1, len(ranked) + 1), index=ranked.index)
        order = [*ranked.index, *[k for k in table.index if k not in ranked.index]]
        table = table.loc[order]
        from infodiv.fairness._approval import ALTERNATIVE_COLUMNS

        lead = ["estimate", "se", "ci_low", "ci_high", "statistic", "pvalue"]
        table = table[lead + [c for c in ALTERNATIVE_COLUMNS if c in table.columns]]
        if tolerance is None:
            crit = (
                f"retained: AUC not significantly below the baseline's (one-sided DeLong "
                f"paired test at {a:g})"
            )
        else:
            crit = (
                f"retained: AUC loss within {tolerance:g} with {1 - a:.0%} confidence "
                "(non-inferiority, DeLong paired)"
            )
        return AlternativesResult(table, pd.Series(base_row), a, tolerance, crit)

    def plot(self, axes: Any = None) -> Any:
        """The frontier: held-out score IV against the score's fairness IV, and AUC by budget.

        Delegates to :func:`infodiv.plotting.plot_frontier`.

        Parameters
        ----------
        axes : sequence of two matplotlib Axes, optional
            Where to draw the two panels (a new figure otherwise).

        Returns
        -------
        matplotlib.figure.Figure
            The figure holding the two panels.
        """
        from infodiv.plotting import plot_frontier

        return plot_frontier(self, axes=axes)

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.input_tags.allow_nan = True
        tags.target_tags.required = True
        tags.non_deterministic = False
        return tags
