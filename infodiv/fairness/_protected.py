"""Fairness divergences: how much each feature, and a score, reveal a protected attribute.

The *fairness IV* of a feature is the Jeffreys divergence between its bin distributions in two
protected groups, ``J(p_a || p_b) = sum_j (p_aj - p_bj) ln(p_aj / p_bj)``. It is the same
divergence as the information value and the PSI, on a different count table:

* IV          = Jeffreys(bins | bad  || bins | good)     -- count table keyed by the class;
* PSI         = Jeffreys(bins | actual || bins | expected) -- keyed by the period;
* fairness IV = Jeffreys(bins | group a || bins | group b) -- keyed by the protected group.

So nothing is recomputed here: every number (estimate, delta-method SE, bias, chi-square test,
noncentral chi-square interval near zero, one-sided upper bound) comes from
:meth:`infodiv.core._counts.CountTable.divergence`, i.e. from :func:`infodiv.core._divergence.divergence`.

Certifying "small" and demographic parity
-----------------------------------------
:meth:`~infodiv.core._divergence.DivergenceResult.upper_bound` gives a one-sided ``1 - alpha`` upper
confidence bound ``U`` on the population divergence that accounts for its upward small-sample
bias (it inverts the noncentral chi-square law near zero). By Pinsker's inequality applied to the
smaller of the two Kullback-Leibler terms, the total variation distance between the groups' bin
distributions satisfies ``TV <= sqrt(min(KL_ab, KL_ba) / 2) <= 1/2 sqrt(J)``. Any decision that
accepts a *union of bins* (in particular every cut-off aligned with the bin edges of a score)
has acceptance rates in the two groups that differ by at most TV, so with confidence
``1 - alpha``::

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
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from infodiv._validation import check_alpha, check_binary_target, check_sample_weight
from infodiv.core import (
    STATS,
    CountTable,
    DivergenceResult,
    FeatureBins,
    ResultBase,
    frame_bins,
    infer_bins,
)

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
    cols: list[str] = []
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
                raise ValueError(
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
        raise ValueError(f"{name}: column {protected!r} is not in X (columns {list(X.columns)})")
    arr = pd.Series(
        np.asarray(protected).ravel()
        if not isinstance(protected, pd.Series)
        else protected.to_numpy()
    )
    if len(arr) != len(X):
        raise ValueError(f"length mismatch: {name} has {len(arr)} rows, X has {len(X)}")
    if arr.isna().any():
        raise ValueError(
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
        raise ValueError(f"comparison must be 'rest' or 'pairwise'; got {comparison!r}")
    groups = sorted(map(str, groups))
    if len(groups) < 2:
        raise ValueError(
            f"protected needs at least two groups to compare; got {len(groups)} ({groups})"
        )
    if reference is not None and str(reference) not in groups:
        raise ValueError(f"reference must be one of the groups {groups}; got {reference!r}")
    if len(groups) == 2:
        a, b = groups
        if reference is not None and str(reference) == a:
            a, b = b, a
        return [(f"{a} vs {b}", a, b)]
    if comparison == "pairwise":
        return [(f"{a} vs {b}", a, b) for a, b in combinations(groups, 2)]
    return [(f"{g} vs rest", g, "rest") for g in groups]


def _regroup(table: CountTable, key: str, mapping: Mapping[str, str]) -> CountTable:
    """The count table with the values of ``key`` renamed by ``mapping`` and merged (summed)."""
    frame = table.to_frame()
    frame[key] = frame[key].map(lambda v: mapping.get(v, v)).astype(object)
    by = ["feature", "bin", "label", *table.keys]
    merged = frame.groupby(by, sort=True, dropna=False)[list(STATS)].sum().reset_index()
    return CountTable(merged, table.keys, table.labels)


def _slice(table: CountTable, key: str, value: Any) -> CountTable:
    """The part of the count table where ``key == value``, without that key."""
    frame = table.to_frame()
    frame = frame[frame[key] == value].drop(columns=key)
    return CountTable(frame, [k for k in table.keys if k != key], table.labels)


def comparison_table(table: CountTable, a: str, b: str, groups: Sequence[str]) -> CountTable:
    """The count table in which ``b == "rest"`` stands for every group other than ``a``."""
    if b != "rest":
        return table
    mapping = {g: ("rest" if g != a else g) for g in groups}
    return _regroup(table, GROUP, mapping)


#: Printed under the fairness table: near zero the interval can lie below the plug-in value.
_PLUG_IN_NOTE = (
    "fairness_iv is the plug-in estimate, biased upward by about (bins - 1)(1/n_a + 1/n_b); "
    "the CI and upper bound are for the true divergence, so near zero they can lie below "
    "fairness_iv: compare them with bias_corrected."
)


@dataclass(repr=False)
class ProtectedDivergence(ResultBase):
    """Fairness IVs of features and scores, with SEs, tests, upper bounds and DP bounds.

    Attributes
    ----------
    fairness : DataFrame
        Indexed by (``comparison``, ``feature``); columns ``fairness_iv`` (Jeffreys divergence
        between the groups), ``se``, ``ci_low``, ``ci_high``, ``ci_method``, ``bias_corrected``,
        ``upper_bound`` (one-sided ``1 - alpha``, bias-aware), ``dp_bound`` (``1/2
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
    def params(self) -> pd.Series:
        return self.fairness["fairness_iv"].rename("fairness_iv")

    @property
    def bse(self) -> pd.Series:
        return self.fairness["se"].rename("se")

    def conf_int(self, alpha: float | None = None) -> pd.DataFrame:
        """Two-sided intervals (``low``, ``high``) of every fairness IV."""
        a = self.alpha if alpha is None else check_alpha(alpha)
        rows = [self.results[k].conf_int(a) for k in self.fairness.index]
        return pd.DataFrame(rows, index=self.fairness.index, columns=["low", "high"])

    def upper_bound(self, alpha: float | None = None) -> pd.Series:
        """One-sided ``1 - alpha`` bias-aware upper bounds of every fairness IV."""
        a = self.alpha if alpha is None else check_alpha(alpha)
        return pd.Series(
            [self.results[k].upper_bound(a) for k in self.fairness.index],
            index=self.fairness.index,
            name="upper_bound",
        )

    def summary(self) -> pd.DataFrame:
        return self.fairness.copy()

    def plot(self, ax: Any = None, comparison: str | None = None) -> Any:
        """Bar chart of the fairness IVs of one comparison with CIs and upper bounds.

        Returns the matplotlib ``Figure``.
        """
        import matplotlib.pyplot as plt

        comp = comparison or self.comparisons[0][0]
        if comp not in self.fairness.index.get_level_values(0):
            raise ValueError(
                f"comparison must be one of {[c[0] for c in self.comparisons]}; got {comp!r}"
            )
        t = self.fairness.loc[comp].sort_values("fairness_iv")
        if ax is None:
            fig, ax = plt.subplots(figsize=(6.5, 0.35 * len(t) + 1.2))
        else:
            fig = ax.figure
        y = np.arange(len(t))
        err = np.vstack([t["fairness_iv"] - t["ci_low"], t["ci_high"] - t["fairness_iv"]])
        ax.barh(
            y,
            t["fairness_iv"],
            xerr=np.clip(err, 0, None),
            color="tab:blue",
            alpha=0.7,
            label="fairness IV with CI",
        )
        ax.scatter(
            t["upper_bound"],
            y,
            marker="|",
            s=200,
            color="tab:red",
            label=f"{100 * (1 - self.alpha):g}% upper bound",
        )
        ax.set_yticks(y, t.index)
        ax.set_xlabel(f"Jeffreys divergence between groups ({comp})")
        ax.legend(loc="lower right")
        fig.tight_layout()
        return fig

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


def _fairness_rows(
    res: DivergenceResult, comparison: str, feature: str, alpha: float
) -> dict[str, Any]:
    lo, hi = res.conf_int()
    ub = res.upper_bound(alpha)
    return {
        "comparison": comparison,
        "feature": feature,
        "fairness_iv": res.estimate,
        "se": res.se,
        "ci_low": lo,
        "ci_high": hi,
        "ci_method": res._method_for(res.ci_method),
        "bias_corrected": res.bias_corrected,
        "upper_bound": ub,
        "dp_bound": dp_bound(ub),
        "tv": 0.5 * float(np.abs(res.p - res.q).sum()),
        "statistic": res.statistic,
        "df": res.df,
        "pvalue": res.pvalue,
        "n_bins": res.df + 1,
        "n_a": res.n1,
        "n_b": res.n2,
    }


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
    special_values: Mapping[str, Sequence[Any]] | None = None,
    alpha: float = 0.05,
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
        Binary target (1 = bad). Adds the predictive IV of each feature within each group and
        the test that it is equal across groups.
    score : array-like or dict of array-like, optional
        Fitted score(s) (e.g. a model's log-odds), binned with ``score_bins`` and treated as
        one more feature named ``"score"`` (or by the dict keys).
    bins : int, dict or None
        Feature bins as in :func:`infodiv.credit._woe.woe_tables` (default 10 quantile bins for numeric
        columns, one bin per category for categorical ones).
    score_bins : int, FeatureBins or dict
        Bins of the score(s): quantile bins on the pooled rows (default 10) or given bins, e.g.
        edges learned on a training sample. The DP bound holds at cut-offs on these edges.
    comparison : {"rest", "pairwise"}
        With more than two groups: each group against the rest, or every pair.
    reference : optional
        With two groups, the group used as ``b`` (the second distribution).
    sample_weight : array-like, optional
        Row weights (Kish effective sizes enter the SEs).
    special_values : dict, optional
        Special codes per column (a bin each).
    alpha : float
        Level of the intervals; upper bounds are one-sided at ``1 - alpha``.

    Returns
    -------
    ProtectedDivergence

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
        raise ValueError(f"X must be a pandas DataFrame; got {type(X).__name__}")
    alpha = check_alpha(alpha)
    groups, pcols = protected_groups(X, protected)
    w = check_sample_weight(sample_weight, len(X))
    feats = X.drop(columns=pcols)
    feats = feats.set_axis([str(c) for c in feats.columns], axis=1)
    fbins = frame_bins(feats, bins, w, special_values) if feats.shape[1] else {}
    codes = {f: b.codes(feats[f]) for f, b in fbins.items()}
    labels = {f: b.labels for f, b in fbins.items()}

    score_names: list[str] = []
    if score is not None:
        scores = dict(score) if isinstance(score, Mapping) else {"score": score}
        for s_name, s in scores.items():
            s_name = str(s_name)
            if s_name in fbins:
                raise ValueError(f"score name {s_name!r} is also a column of X; rename it")
            sb = score_bins.get(s_name, 10) if isinstance(score_bins, Mapping) else score_bins
            arr = pd.Series(np.asarray(s, dtype=float).ravel(), name=s_name)
            if len(arr) != len(X):
                raise ValueError(
                    f"length mismatch: score {s_name!r} has {len(arr)} rows, X has {len(X)}"
                )
            if not np.isfinite(arr.to_numpy()).all():
                raise ValueError(f"score {s_name!r} contains NaN or inf")
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
        raise ValueError("X has no columns other than the protected ones, and no score was given")

    by: dict[str, Any] = {GROUP: groups.to_numpy()}
    yy = None
    if y is not None:
        yy = check_binary_target(y)
        if len(yy) != len(X):
            raise ValueError(f"length mismatch: y has {len(yy)} rows, X has {len(X)}")
        by[CLASS] = yy
    counts = CountTable.from_codes(codes, labels, by, w)
    group_values = sorted(pd.unique(groups).tolist())
    comps = group_comparisons(group_values, comparison, reference)
    features = list(fbins)

    # One small count table per feature keeps every select cheap (O(features) overall).
    per_feature = {
        str(f): CountTable(sub, counts.keys, {f: counts.labels[f]})
        for f, sub in counts.frame.groupby("feature", sort=False)
    }
    rows, results = [], {}
    prow, grow = [], []
    for f in features:
        tf = per_feature[f]
        by_group: dict[str, DivergenceResult | None] = {}
        if yy is not None:
            for g in group_values:
                r = _class_iv(_slice(tf, GROUP, g), f, alpha, f"IV[{f}] in group {g}")
                by_group[g] = r
                if r is None:
                    continue
                lo, hi = r.conf_int()
                prow.append(
                    {
                        "feature": f,
                        "group": g,
                        "iv": r.estimate,
                        "se": r.se,
                        "ci_low": lo,
                        "ci_high": hi,
                        "bias_corrected": r.bias_corrected,
                        "pvalue": r.pvalue,
                        "n_bad": r.n1,
                        "n_good": r.n2,
                    }
                )
        for label, a, b in comps:
            t = comparison_table(tf, a, b, group_values)
            res = t.divergence(f, GROUP, a, b, "jeffreys", alpha=alpha, name=f"fairness IV[{f}]")
            results[(label, f)] = res
            rows.append(_fairness_rows(res, label, f, alpha))
            if yy is None:
                continue
            ra = by_group[a]
            rb = (
                by_group[b]
                if b != "rest"
                else _class_iv(_slice(t, GROUP, b), f, alpha, f"IV[{f}] in group {b}")
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
    fairness = pd.DataFrame(rows)
    fairness = fairness.sort_values("comparison", key=lambda c: c.map(order), kind="stable")
    fairness = fairness.set_index(["comparison", "feature"])
    predictive = predictive_gap = None
    if yy is not None:
        predictive = pd.DataFrame(prow).set_index(["feature", "group"])
        predictive_gap = pd.DataFrame(grow)
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

    ``None`` when one class is absent from this part of the data (no IV to estimate).
    """
    present = table.key_values(CLASS)
    if 0 not in present or 1 not in present:
        return None
    return table.divergence(feature, CLASS, 1, 0, "jeffreys", alpha=alpha, name=name)
