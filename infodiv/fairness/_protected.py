"""Fairness divergences: how much each feature, and a score, reveal a protected attribute.

The *fairness IV* of a feature is the Jeffreys divergence between its bin distributions in two
protected groups, ``J(p_a || p_b) = sum_j (p_aj - p_bj) ln(p_aj / p_bj)``. It is the same
divergence as the information value and the PSI, on a different count table:

* IV          = Jeffreys(bins | bad  || bins | good)     -- count table keyed by the class;
* PSI         = Jeffreys(bins | actual || bins | expected) -- keyed by the period;
* fairness IV = Jeffreys(bins | group a || bins | group b) -- keyed by the protected group.

So nothing is recomputed here: every number (estimate, delta-method SE, bias, chi-square test,
noncentral chi-square interval near zero, one-sided upper bound) comes from
:meth:`infodiv.core.CountTable.divergence`, i.e. from :func:`infodiv.core.divergence`.

Certifying "small" and demographic parity
-----------------------------------------
:meth:`~infodiv.core.DivergenceResult.upper_bound` gives a one-sided ``1 - alpha`` upper
confidence bound ``U`` on the population divergence that accounts for its upward small-sample
bias (near zero it is the CLs bound of the noncentral chi-square law, always positive). By
Pinsker's inequality applied to the smaller of the two Kullback-Leibler terms, the total
variation distance between the groups' bin distributions satisfies
``TV <= sqrt(min(KL_ab, KL_ba) / 2) <= 1/2 sqrt(J)``. Any decision that accepts a *union of
bins* (in particular every cut-off aligned with the bin edges of a score) has acceptance rates
in the two groups that differ by at most TV, so with confidence ``1 - alpha``::

    demographic-parity difference at bin-aligned cut-offs <= dp_bound = 1/2 sqrt(U)

A cut-off inside a bin is not covered by the bound: use finer score bins for finer cut-offs.

More than two groups
--------------------
``comparison="rest"`` (default) compares each group with all the other groups pooled
("a vs rest"); ``comparison="pairwise"`` compares every pair. With two groups there is a
single comparison, the first group (in sorted order, or ``reference``'s other group) against
the second.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from scipy import stats

from infodiv._validation import (
    align_inputs,
    check_alpha,
    check_binary_target,
    check_class_weights,
    check_real_array,
    check_sample_weight,
    check_weight_reading,
    one_warning_per_call,
)
from infodiv.core import (
    ConfidenceInterval,
    CountTable,
    DivergenceResult,
    FeatureBins,
    ResultBase,
    check_bins,
    frame_bins,
    infer_bins,
    order_columns,
    summarize,
)
from infodiv.exceptions import InvalidParameterError

__all__ = [
    "ProtectedDivergence",
    "protected_divergence",
    "protected_groups",
    "group_comparisons",
    "dp_bound",
]

GROUP = "group"
CLASS = "class"
Comparison = Literal["rest", "pairwise"]


def dp_bound(divergence_bound: float | np.ndarray) -> float | np.ndarray:
    """Demographic-parity bound ``1/2 sqrt(J)`` implied by a Jeffreys divergence (bound) ``J``.

    Holds for every decision that accepts a union of bins (every bin-aligned cut-off).

    Examples
    --------
    >>> dp_bound(0.01)
    0.05
    """
    j = np.asarray(divergence_bound, dtype=float)
    out = 0.5 * np.sqrt(np.clip(j, 0.0, None))
    return float(out) if out.ndim == 0 else out


def protected_groups(
    X: pd.DataFrame, protected: Any, *, name: str = "protected"
) -> tuple[pd.Series, list[str]]:
    """Group label of every row (as strings) and the names of the protected columns of ``X``.

    ``protected`` is a column name of ``X``, a list of column names (their combinations form
    the groups), or an array-like of labels (one per row, not in
    ``X``). Several columns give labels such as ``"Race=0 & Gender=1"``. Missing labels raise
    ``ValueError``.
    """
    cols: list[Any] = []  # column labels of X (str, or int for int-labelled columns)
    if (
        isinstance(protected, str | int)
        and not isinstance(protected, bool)
        and (protected in X.columns)
    ):
        cols = [protected]
    elif (
        isinstance(protected, list | tuple)
        and len(protected) > 0
        and all(isinstance(c, str | int) and c in X.columns for c in protected)
    ):
        cols = list(protected)
    if cols:
        parts = [X[c] for c in cols]
        for c, s in zip(cols, parts, strict=True):
            if s.isna().any():
                raise InvalidParameterError(
                    f"{name}: column {c!r} has missing values ({int(s.isna().sum())} rows); "
                    "every row needs a protected group"
                )
        if len(cols) == 1:
            labels = parts[0].astype(str).to_numpy(dtype=object)
        else:
            labels = np.full(len(X), "", dtype=object)
            for i, (c, s) in enumerate(zip(cols, parts, strict=True)):
                labels = (
                    labels + (" & " if i else "") + f"{c}=" + s.astype(str).to_numpy(dtype=object)
                )
        groups = pd.Series(labels, index=X.index, name=" & ".join(map(str, cols)), dtype=object)
        return groups, cols
    if isinstance(protected, str):
        raise InvalidParameterError(
            f"{name}: column {protected!r} is not in X (columns {list(X.columns)})"
        )
    arr = pd.Series(
        np.asarray(protected).ravel()
        if not isinstance(protected, pd.Series)
        else protected.to_numpy()
    )
    if len(arr) != len(X):
        raise InvalidParameterError(f"length mismatch: {name} has {len(arr)} rows, X has {len(X)}")
    if arr.isna().any():
        raise InvalidParameterError(
            f"{name} has missing values ({int(arr.isna().sum())} rows); every row needs a group"
        )
    label = protected.name if isinstance(protected, pd.Series) and protected.name else name
    return pd.Series(arr.astype(str).to_numpy(dtype=object), index=X.index, name=label), []


def group_comparisons(
    groups: Sequence[str], comparison: Comparison = "rest", reference: Any = None
) -> list[tuple[str, str, str]]:
    """The comparisons ``(label, a, b)`` made between the protected groups.

    Two groups: one comparison ``a vs b`` (``b`` is ``reference`` when given, else the second
    in sorted order). More: each group against the pooled rest (``"rest"``, where ``b`` is the
    label ``"rest"``) or every pair (``"pairwise"``).
    """
    if comparison not in ("rest", "pairwise"):
        raise InvalidParameterError(f"comparison must be 'rest' or 'pairwise'; got {comparison!r}")
    groups = sorted(map(str, groups))
    if len(groups) < 2:
        raise InvalidParameterError(
            f"protected needs at least two groups to compare; got {len(groups)} ({groups})"
        )
    if reference is not None and str(reference) not in groups:
        raise InvalidParameterError(
            f"reference must be one of the groups {groups}; got {reference!r}"
        )
    if len(groups) == 2:
        a, b = groups
        if reference is not None and str(reference) == a:
            a, b = b, a
        return [(f"{a} vs {b}", a, b)]
    if comparison == "pairwise":
        return [(f"{a} vs {b}", a, b) for a, b in combinations(groups, 2)]
    return [(f"{g} vs rest", g, "rest") for g in groups]


def comparison_table(table: CountTable, a: str, b: str, groups: Sequence[str]) -> CountTable:
    """The count table in which ``b == "rest"`` stands for every group other than ``a``."""
    if b != "rest":
        return table
    mapping = {g: ("rest" if g != a else g) for g in groups}
    return table.regroup(GROUP, mapping)


#: Printed under the fairness table: near zero the interval can lie below the plug-in value.
_PLUG_IN_NOTE = (
    "fairness_iv is the plug-in estimate, biased upward by about (bins - 1)(1/n_a + 1/n_b); "
    "the CI and upper bound are for the true divergence, so near zero they can lie below "
    "fairness_iv: compare them with bias_corrected."
)


@dataclass(repr=False)
class ProtectedDivergence(ResultBase):
    """Fairness IVs of features and scores, with SEs, tests, upper bounds and DP bounds.

    A vector result: ``estimate`` (= ``params``), ``se`` (= ``bse``) and ``pvalue`` are Series
    indexed by (``comparison``, ``feature``), ``conf_int()`` a pair of such Series, and
    ``summary()`` the :attr:`fairness` table with the contract's columns first.

    Parameters
    ----------
    fairness : DataFrame
        Indexed by (``comparison``, ``feature``); columns ``fairness_iv`` (Jeffreys divergence
        between the groups), ``se``, ``ci_low``, ``ci_high``, ``ci_method``, ``bias_corrected``,
        ``upper_bound`` (one-sided ``1 - alpha``, bias-aware, positive), ``upper_bound_method``
        (``"cls-ncx2"`` near zero, ``"cls-ncx2+wald"`` beyond:
        :attr:`~infodiv.core.DivergenceResult.upper_bound_method`), ``dp_bound`` (``1/2
        sqrt(upper_bound)``: demographic-parity bound at bin-aligned cut-offs), ``tv`` (observed
        total variation = largest acceptance-rate gap over any union of bins), ``statistic``,
        ``df``, ``pvalue`` (chi-square test of equal distributions), ``n_bins``, ``n_a``, ``n_b``.
    predictive : DataFrame or None
        With ``y``: predictive IV of every feature within each group, indexed by (``feature``,
        ``group``): ``iv``, ``se``, ``ci_low``, ``ci_high``, ``bias_corrected``, ``pvalue``,
        ``n_bad``, ``n_good``.
    predictive_gap : DataFrame or None
        With ``y``: per (``comparison``, ``feature``), the bias-corrected IVs in the two sides
        (``iv_a``, ``iv_b``), their ``difference``, its ``se`` (independent groups:
        ``sqrt(se_a^2 + se_b^2)``), ``z`` and two-sided ``pvalue`` of "the feature predicts
        equally well in both groups". Bias-corrected, because the IV bias ``(K-1)(1/n_bad +
        1/n_good)`` is larger in the smaller group.
    results : dict
        ``(comparison, feature) -> DivergenceResult`` of the fairness IVs.
    counts : CountTable
        The count table keyed by ``group`` (and ``class`` with ``y``) that every number comes
        from.
    groups : list of str
        The protected groups, sorted.
    comparisons : list of (label, a, b)
        The comparisons made (see :func:`group_comparisons`).
    bins : dict
        ``feature -> FeatureBins`` of the features and scores.
    alpha : float
        Level of the intervals; upper bounds are one-sided at ``1 - alpha``.
    protected_name : str
        Name of the protected attribute (for display).
    scores : list of str
        Names of the scores among the features.
    """

    fairness: pd.DataFrame
    predictive: pd.DataFrame | None
    predictive_gap: pd.DataFrame | None
    results: dict[tuple[str, str], DivergenceResult]
    counts: CountTable
    groups: list[str]
    comparisons: list[tuple[str, str, str]]
    bins: dict[str, FeatureBins]
    alpha: float
    protected_name: str = "protected"
    scores: list[str] = field(default_factory=list)

    @property
    def estimate(self) -> pd.Series:
        """The fairness IVs (plug-in), indexed by (``comparison``, ``feature``)."""
        return self.fairness["fairness_iv"].rename("fairness_iv")

    @property
    def se(self) -> pd.Series:
        """Their standard errors, on the index of :attr:`estimate`."""
        return self.fairness["se"].rename("se")

    @property
    def pvalue(self) -> pd.Series:
        """P-values of the chi-square tests of equal distributions in the two groups."""
        return self.fairness["pvalue"].rename("pvalue")

    @property
    def params(self) -> pd.Series:
        """The estimates (the same Series as :attr:`estimate`)."""
        return self.estimate

    @property
    def bse(self) -> pd.Series:
        """The standard errors (the same Series as :attr:`se`)."""
        return self.se

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Two-sided ``1 - alpha`` intervals of every fairness IV.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the ``alpha`` the result was computed with.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)``, two Series aligned with :attr:`params`.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        bounds = [self.results[k].conf_int(a) for k in self.fairness.index]
        idx = self.fairness.index
        return ConfidenceInterval(
            pd.Series([b[0] for b in bounds], index=idx, name="ci_low", dtype=float),
            pd.Series([b[1] for b in bounds], index=idx, name="ci_high", dtype=float),
        )

    def upper_bound(self, alpha: float | None = None) -> pd.Series:
        """One-sided ``1 - alpha`` bias-aware upper bounds of every fairness IV.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the ``alpha`` the result was computed with.

        Returns
        -------
        Series
            Indexed like :attr:`params`.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        return pd.Series(
            [self.results[k].upper_bound(a) for k in self.fairness.index],
            index=self.fairness.index,
            name="upper_bound",
        )

    def summary(self) -> pd.DataFrame:
        """The fairness table with the contract's columns first.

        Returns
        -------
        DataFrame
            :attr:`fairness` with ``fairness_iv`` named ``estimate`` and the columns
            ``estimate, se, ci_low, ci_high, statistic, df, pvalue`` first.
        """
        return order_columns(self.fairness.rename(columns={"fairness_iv": "estimate"}))

    def plot(self, ax: Any = None, comparison: str | None = None) -> Any:
        """Bar chart of the fairness IVs of one comparison with CIs and upper bounds.

        Delegates to :func:`infodiv.plotting.plot_fairness`.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw the bars (a new figure otherwise).
        comparison : str, optional
            Label of the comparison to show (default: the first).

        Returns
        -------
        matplotlib.figure.Figure
            The figure holding ``ax``.
        """
        from infodiv.plotting import plot_fairness

        return plot_fairness(self, ax=ax, comparison=comparison)

    def __repr__(self) -> str:
        with pd.option_context("display.width", 160, "display.max_columns", 20):
            body = self.fairness[
                [
                    "fairness_iv",
                    "bias_corrected",
                    "se",
                    "ci_low",
                    "ci_high",
                    "upper_bound",
                    "dp_bound",
                    "pvalue",
                ]
            ].to_string(float_format=lambda v: f"{v:.4g}")
        return (
            f"ProtectedDivergence({self.protected_name!r}: groups {self.groups}, "
            f"{len(self.comparisons)} comparison(s), alpha = {self.alpha:g})\n{body}\n"
            f"{_PLUG_IN_NOTE}"
        )


#: Columns of :attr:`ProtectedDivergence.fairness`, in order.
_FAIRNESS_COLUMNS = [
    "fairness_iv",
    "se",
    "ci_low",
    "ci_high",
    "ci_method",
    "bias_corrected",
    "upper_bound",
    "upper_bound_method",
    "dp_bound",
    "tv",
    "statistic",
    "df",
    "pvalue",
    "n_bins",
    "n_a",
    "n_b",
]
#: Columns of :attr:`ProtectedDivergence.predictive`, in order.
_PREDICTIVE_COLUMNS = [
    "iv",
    "se",
    "ci_low",
    "ci_high",
    "bias_corrected",
    "pvalue",
    "n_bad",
    "n_good",
]


def _fairness_table(
    results: Mapping[tuple[str, str], DivergenceResult],
    comparisons: Sequence[tuple[str, str, str]],
    features: Sequence[str],
    alpha: float,
) -> pd.DataFrame:
    """The fairness table: the results' rows (:func:`infodiv.core.summarize`) per comparison,
    with the upper bound, the DP bound and the observed TV added."""
    parts = []
    for label, _, _ in comparisons:
        by_feature = {f: results[(label, f)] for f in features}
        t = summarize(by_feature, index_name="feature")
        ub = np.array([r.upper_bound(alpha) for r in by_feature.values()], dtype=float)
        t["upper_bound"] = ub
        t["upper_bound_method"] = [r.upper_bound_method for r in by_feature.values()]
        t["dp_bound"] = dp_bound(ub)
        t["tv"] = [0.5 * float(np.abs(r.p - r.q).sum()) for r in by_feature.values()]
        t["n_bins"] = t["df"] + 1
        parts.append(t)
    table = pd.concat(parts, keys=[c[0] for c in comparisons], names=["comparison"])
    table = table.rename(columns={"estimate": "fairness_iv", "n1": "n_a", "n2": "n_b"})
    return table[_FAIRNESS_COLUMNS]


def _predictive_table(by_feature: Mapping[str, Mapping[str, DivergenceResult]]) -> pd.DataFrame:
    """The per-group predictive IVs: the results' rows (:func:`infodiv.core.summarize`)."""
    parts = {f: summarize(r, index_name="group") for f, r in by_feature.items() if r}
    if not parts:
        index = pd.MultiIndex.from_arrays([[], []], names=["feature", "group"])
        return pd.DataFrame(columns=_PREDICTIVE_COLUMNS, index=index)
    table = pd.concat(parts.values(), keys=list(parts), names=["feature"])
    table = table.rename(columns={"estimate": "iv", "n1": "n_bad", "n2": "n_good"})
    return table[_PREDICTIVE_COLUMNS]


@one_warning_per_call
def protected_divergence(
    X: pd.DataFrame,
    protected: Any,
    y: Any = None,
    *,
    score: Any = None,
    bins: Mapping[str, Any] | int | None = 10,
    score_bins: FeatureBins | int | Mapping[str, Any] = 10,
    comparison: Comparison = "rest",
    reference: Any = None,
    sample_weight: Any = None,
    weights: Literal["sampling", "frequency"] | None = None,
    special_values: Mapping[str, Sequence[Any]] | None = None,
    alpha: float = 0.05,
    event: Any = None,
) -> ProtectedDivergence:
    """Fairness IV of every feature (and score) between protected groups, through the core.

    Parameters
    ----------
    X : DataFrame
        Features. Protected columns named by ``protected`` are measured against, never binned
        as features.
    protected : str, list of str or array-like
        A column of ``X``, several columns (their combinations are the groups) or one group
        label per row.
    y : array-like, optional
        Binary target: 0/1 or boolean (1/``True`` = bad), or two labels with ``event``. Adds the predictive IV of each feature within each group and
        the test that it is equal across groups.
    score : array-like or dict of array-like, optional
        Fitted score(s) (e.g. a model's log-odds), binned with ``score_bins`` and treated as
        one more feature named ``"score"`` (or by the dict keys).
    bins : int, "values", dict or None
        Feature bins as in :func:`infodiv.credit.woe_tables` (default 10 quantile bins for numeric
        columns, one bin per category for categorical ones; ``"values"`` or ``None``: each
        distinct value is a bin, for already-binned codes).
    score_bins : int, FeatureBins or dict
        Bins of the score(s): quantile bins on the pooled rows (default 10) or given bins, e.g.
        edges learned on a training sample. The DP bound holds at cut-offs on these edges.
    comparison : {"rest", "pairwise"}
        With more than two groups: each group against the rest, or every pair.
    reference : optional
        With two groups, the group used as ``b`` (the second distribution).
    sample_weight : array-like, optional
        Row weights (Kish effective sizes enter the SEs).
    weights : {"sampling", "frequency"} or None, default None
        How ``sample_weight`` is read: ``"sampling"`` (survey/sampling weights; Kish
        effective sizes), ``"frequency"`` (each row stands for ``w`` identical observations,
        as in an aggregated table; same result as the expanded rows) or ``None`` (sampling,
        but weights that look like aggregated counts are refused with an error asking for
        one of the two; ``docs/numbers.md``, "Weights").
    special_values : dict, optional
        Special codes per column (a bin each).
    alpha : float
        Level of the intervals; upper bounds are one-sided at ``1 - alpha``.
    event : label, optional
        The event (bad) class of ``y``: needed unless ``y`` is 0/1 or boolean.

    Returns
    -------
    ProtectedDivergence

    Notes
    -----
    Pandas inputs (``y``, ``sample_weight``, a ``protected`` or ``score`` Series) are matched
    to ``X`` by index label; arrays and lists by position.

    Examples
    --------
    >>> from infodiv.datasets import load_simucredit
    >>> df = load_simucredit()
    >>> res = protected_divergence(df.drop(columns=["default", "Gender"]), "Race", df["default"])
    >>> res.fairness.index[0]
    ('0 vs 1', 'Mortgage')
    >>> bool(res.fairness.loc[("0 vs 1", "Mortgage"), "pvalue"] < 1e-10)
    True
    """
    if not isinstance(X, pd.DataFrame):
        raise InvalidParameterError(f"X must be a pandas DataFrame; got {type(X).__name__}")
    if len(X) == 0:
        raise InvalidParameterError("X has no rows")
    alpha = check_alpha(alpha)
    scores_in: dict[Any, Any] = {}
    if score is not None:
        scores_in = dict(score) if isinstance(score, Mapping) else {"score": score}
    row_inputs: dict[str, Any] = {"X": X, "y": y, "sample_weight": sample_weight}
    if isinstance(protected, pd.Series | pd.DataFrame):
        row_inputs["protected"] = protected
    score_keys = {(k if not isinstance(score, Mapping) else f"score[{k!r}]"): k for k in scores_in}
    row_inputs.update({name: scores_in[k] for name, k in score_keys.items()})
    named = align_inputs(row_inputs)
    y, sample_weight = named["y"], named["sample_weight"]
    protected = named.get("protected", protected)
    scores_in = {k: named[name] for name, k in score_keys.items()}
    groups, pcols = protected_groups(X, protected)
    w = check_sample_weight(sample_weight, len(X))
    reading = check_weight_reading(weights, None if sample_weight is None else w)
    for g in pd.unique(groups):
        if not w[(groups == g).to_numpy()].sum() > 0:
            raise InvalidParameterError(
                f"every row of protected group {g!r} has zero sample_weight: each group "
                "needs rows with positive weight"
            )
    feats = X.drop(columns=pcols)
    feats = feats.set_axis([str(c) for c in feats.columns], axis=1)
    fbins = frame_bins(feats, bins, w, special_values) if feats.shape[1] else {}
    codes = {f: b.codes(feats[f]) for f, b in fbins.items()}
    labels = {f: b.labels for f, b in fbins.items()}

    score_names: list[str] = []
    if score is not None:
        for s_name, s in scores_in.items():
            s_name = str(s_name)
            if s_name in fbins:
                raise InvalidParameterError(
                    f"score name {s_name!r} is also a column of X; rename it"
                )
            sb = score_bins.get(s_name, 10) if isinstance(score_bins, Mapping) else score_bins
            arg = "score" if not isinstance(score, Mapping) else f"score[{s_name!r}]"
            sb_arg = (
                "score_bins" if not isinstance(score_bins, Mapping) else f"score_bins[{s_name!r}]"
            )
            check_bins(sb, sb_arg, caller="protected_divergence")
            values = check_real_array(s, arg, "numbers, one per row")
            arr = pd.Series(values.ravel(), name=s_name)
            if len(arr) != len(X):
                raise InvalidParameterError(
                    f"length mismatch: score {s_name!r} has {len(arr)} rows, X has {len(X)}"
                )
            if not np.isfinite(arr.to_numpy()).all():
                raise InvalidParameterError(f"score {s_name!r} contains NaN or inf")
            if isinstance(sb, FeatureBins):
                sb = FeatureBins(
                    s_name,
                    edges=sb.edges,
                    categories=sb.categories,
                    special_values=sb.special_values,
                )
            fb = infer_bins(arr, sb, s_name, sample_weight=w)
            fbins[s_name] = fb
            codes[s_name] = fb.codes(arr)
            labels[s_name] = fb.labels
            score_names.append(s_name)
    if not fbins:
        raise InvalidParameterError(
            "X has no columns other than the protected ones, and no score was given"
        )

    by: dict[str, Any] = {GROUP: groups.to_numpy()}
    yy = None
    if y is not None:
        yy = check_binary_target(y, "y", event)
        if len(yy) != len(X):
            raise InvalidParameterError(f"length mismatch: y has {len(yy)} rows, X has {len(X)}")
        if sample_weight is not None:
            check_class_weights(yy, w)
        by[CLASS] = yy
    counts = CountTable.from_codes(codes, labels, by, w, weights=reading)
    group_values = sorted(pd.unique(groups).tolist())
    comps = group_comparisons(group_values, comparison, reference)
    features = list(fbins)

    # One small count table per feature keeps every select cheap (O(features) overall).
    per_feature = {
        str(f): CountTable(sub, counts.keys, {cast(str, f): counts.labels[f]})
        for f, sub in counts.frame.groupby("feature", sort=False)
    }
    results: dict[tuple[str, str], DivergenceResult] = {}
    class_ivs: dict[str, dict[str, DivergenceResult]] = {}
    grow = []
    for f in features:
        tf = per_feature[f]
        by_group: dict[str, DivergenceResult | None] = {}
        if yy is not None:
            for g in group_values:
                by_group[g] = _class_iv(tf.subset(**{GROUP: g}), f, alpha, f"IV[{f}] in group {g}")
            class_ivs[f] = {g: r for g, r in by_group.items() if r is not None}
        for label, a, b in comps:
            t = comparison_table(tf, a, b, group_values)
            res = t.divergence(f, GROUP, a, b, "jeffreys", alpha=alpha, name=f"fairness IV[{f}]")
            results[(label, f)] = res
            if yy is None:
                continue
            ra = by_group[a]
            rb = (
                by_group[b]
                if b != "rest"
                else _class_iv(t.subset(**{GROUP: b}), f, alpha, f"IV[{f}] in group {b}")
            )
            if ra is None or rb is None:
                continue
            diff = ra.bias_corrected - rb.bias_corrected
            se = float(np.hypot(ra.se, rb.se))
            z = diff / se if se > 0 else np.nan
            grow.append(
                {
                    "comparison": label,
                    "feature": f,
                    "iv_a": ra.bias_corrected,
                    "iv_b": rb.bias_corrected,
                    "difference": diff,
                    "se": se,
                    "z": z,
                    "pvalue": float(2 * stats.norm.sf(abs(z))) if se > 0 else np.nan,
                }
            )
    order = {c[0]: i for i, c in enumerate(comps)}
    fairness = _fairness_table(results, comps, features, alpha)
    predictive = predictive_gap = None
    if yy is not None:
        predictive = _predictive_table(class_ivs)
        gap_columns = ["comparison", "feature", "iv_a", "iv_b", "difference", "se", "z"]
        # no row when no group holds both classes: an empty table, not a KeyError
        predictive_gap = pd.DataFrame(grow, columns=[*gap_columns, "pvalue"])
        predictive_gap = predictive_gap.sort_values(
            "comparison", key=lambda c: c.map(order), kind="stable"
        ).set_index(["comparison", "feature"])

    return ProtectedDivergence(
        fairness=fairness,
        predictive=predictive,
        predictive_gap=predictive_gap,
        results=results,
        counts=counts,
        groups=group_values,
        comparisons=comps,
        bins=fbins,
        alpha=alpha,
        protected_name=str(groups.name),
        scores=score_names,
    )


def _class_iv(table: CountTable, feature: str, alpha: float, name: str) -> DivergenceResult | None:
    """Predictive IV (Jeffreys bad || good) of ``feature`` in a table keyed by the class only.

    ``None`` when one class is absent from this part of the data, or has zero weight there
    (no IV to estimate).
    """
    present = table.key_values(CLASS)
    for k in (0, 1):
        if k not in present or not table.vector(feature, "sum_w", **{CLASS: k}).sum() > 0:
            return None
    return table.divergence(feature, CLASS, 1, 0, "jeffreys", alpha=alpha, name=name)
