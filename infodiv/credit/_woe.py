"""Weight of evidence and information value, with standard errors.

IV is the Jeffreys divergence between the bad (event) and good distributions of a feature's
bins; it is computed by :func:`infodiv.core.divergence` through the count table, never by
a separate formula. WoE of bin j is ``ln(bad share_j / good share_j)`` by default
(``woe_sign="bad/good"``: positive WoE = a riskier bin than average, positive logistic
coefficients); pass ``woe_sign="good/bad"`` for the Siddiqi convention
``ln(good share / bad share)`` (positive WoE = a safer bin).

Which class is the event (the "bad"): a 0/1 target (integers, floats, nullable integers) or a
boolean one needs nothing, 1/``True`` is the event; any other pair of labels needs it named
with ``event=`` (``event="bad"`` for ``"good"``/``"bad"``). Pandas inputs are matched by index
label (``y`` and ``sample_weight`` against ``X``); arrays and lists by position.

WoE standard error (two-multinomial model, Kish effective counts under weights)::

    Var(WoE_j) = 1/B_j + 1/G_j - 1/n_bad - 1/n_good
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from scipy import stats

from infodiv._param_validation import Interval, StrOptions, validate_params
from infodiv._validation import (
    align_inputs,
    as_series,
    check_alpha,
    check_binary_target,
    check_class_weights,
    check_same_length,
    check_sample_weight,
    one_warning_per_call,
    warn_feature,
)
from infodiv.core import (
    THIN_PER_BIN,
    ConfidenceInterval,
    CountTable,
    DivergenceResult,
    FeatureBins,
    ResultBase,
    affordable_bins,
    check_bins,
    frame_bins,
    infer_bins,
    summarize,
)
from infodiv.exceptions import InvalidParameterError, ThinTableWarning

__all__ = [
    "WoETable",
    "describe_bins",
    "woe_table",
    "woe_tables",
    "iv_summary",
    "iv_from_counts",
    "woe_from_result",
    "LazyWoETables",
]

WoESign = Literal["bad/good", "good/bad"]


_ALPHA = [Interval(Real, 0, 1, closed="neither")]
_SIGN = [StrOptions({"bad/good", "good/bad"})]
#: Constraints shared by the functions that take a frame of features and a target.
_FRAME_CONSTRAINTS: dict[str, list[Any]] = {
    "X": [pd.DataFrame],
    "y": ["array-like"],
    "sample_weight": ["array-like", None],
    "weights": [StrOptions({"sampling", "frequency"}), None],
    "woe_sign": _SIGN,
    "alpha": _ALPHA,
}


def describe_bins(fb: FeatureBins | None, requested: Any = None) -> str:
    """One line saying which bins a table used, e.g. ``"10 quantile bins (edges -1.28, ...)"``.

    Parameters
    ----------
    fb : FeatureBins or None
        The bins (``None``: unknown, e.g. a table built from counts).
    requested : object, optional
        The ``bins`` argument they came from (an int: quantile bins; ``"values"``/``None``:
        one bin per distinct value; a sequence: edges given).

    Returns
    -------
    str
        The description (the missing bin and special values included).
    """
    if fb is None:
        return "bins: given by the count table"
    if fb.edges is not None:
        shown = ", ".join(f"{e:.6g}" for e in fb.edges[:12]) + (
            ", ..." if len(fb.edges) > 12 else ""
        )
        if isinstance(requested, int | np.integer) and not isinstance(requested, bool):
            how = f"{fb.n_regular} quantile bins (asked {int(requested)})"
        else:
            how = f"{fb.n_regular} intervals"
        what = f"{how}, edges [{shown}]" if fb.edges else f"{how} (no edge)"
    elif requested is None or isinstance(requested, str):
        what = f"{fb.n_regular} bins, one per distinct value"
    else:
        what = f"{fb.n_regular} category bins"
    extra = f" + {len(fb.special_values)} special" if fb.special_values else ""
    return f"bins: {what}{extra} + missing"


def _check_sign(woe_sign: str) -> float:
    if woe_sign not in ("bad/good", "good/bad"):
        raise InvalidParameterError(f"woe_sign must be 'bad/good' or 'good/bad'; got {woe_sign!r}")
    return 1.0 if woe_sign == "bad/good" else -1.0


def woe_from_result(result: DivergenceResult, sign: WoESign = "bad/good") -> np.ndarray:
    """WoE of every cell from a divergence result's ``p`` (bad) and ``q`` (good) distributions.

    The one WoE function of the package: :class:`WoETable` and the WoE encoder both take their
    WoE from it, so they agree to the last bit.

    Parameters
    ----------
    result : DivergenceResult
        An IV result: ``p`` the bad (event) and ``q`` the good distribution over the bins, as
        :meth:`CountTable.divergence` returns it for ``(feature, "class", 1, 0, "jeffreys")``.
    sign : {"bad/good", "good/bad"}, default "bad/good"
        ``ln(p / q)`` (higher = riskier) or its negative (Siddiqi's convention).

    Returns
    -------
    ndarray
        WoE per cell in the result's cell order; NaN for cells without rows in either sample.

    Examples
    --------
    >>> from infodiv.core import divergence
    >>> r = divergence([30, 10, 0], [10, 30, 0])
    >>> woe_from_result(r).round(4)
    array([ 1.0986, -1.0986,     nan])
    """
    s = _check_sign(sign)
    return s * result.log_ratios()[0]


def warn_thin(iv: DivergenceResult, feature: str) -> None:
    """Warn (once per call, naming every feature) when an IV's table is thin.

    Below ``THIN_PER_BIN`` (5) bads (or goods, whichever are fewer) per bin the IV's interval
    can miss and its ``bias_corrected`` is unreliable (:attr:`DivergenceResult.thin_note`);
    the warning gives the counts and the bins they afford.

    Parameters
    ----------
    iv : DivergenceResult
        The IV (``p`` the bads, ``q`` the goods).
    feature : str
        The feature, named in the warning.
    """
    if not iv.thin_note.startswith("thin table"):  # not the milder "sparse table" note
        return
    fewer, n = ("bads", iv.n1) if iv.n1 <= iv.n2 else ("goods", iv.n2)
    afford = max(int(n // THIN_PER_BIN), 1)

    def bins(k: int) -> str:
        return f"{k} bin" + ("" if k == 1 else "s")

    detail = (
        f"{feature}: {n:.4g} {fewer} in {iv.df + 1} bins ({iv.per_bin:.2g} per bin) afford "
        f"{bins(afford)} at {THIN_PER_BIN:g} per bin, {affordable_bins(n)} by "
        "max_affordable_bins"
    )
    head = (
        f"thin bins: below {THIN_PER_BIN:g} bads (or goods) per bin the smoothing and the "
        "small-sample bias dominate the IV: its interval is the conservative ncx2+Wald hull "
        "once the statistic passes its null mean (the chi-square interval alone covered IV "
        "1.0 in 64% of samples with 40 bads in 20 bins) and bias_corrected is unreliable; "
        "merge bins (the p-value stays valid: a Monte-Carlo permutation null)"
    )
    warn_feature(
        f"{detail}; {head}",
        ThinTableWarning,
        feature=feature,
        head=head,
        detail=detail,
        stacklevel=3,
    )


def _feature_rows(results: Mapping[str, DivergenceResult], value_name: str) -> pd.DataFrame:
    """One row per feature from its divergence result, sorted by the estimate (descending).

    The contract's columns come first (through :func:`infodiv.core.summarize`), then
    ``value_name`` (``"iv"`` or ``"psi"``: the estimate again, under the name the README, the
    docs, the benchmarks and the report read), the other columns of the result's row,
    ``n_bins``, ``smoothed_cells``, ``pvalue_method`` (IV tables: ``"chi2"`` or the Monte-Carlo
    null of a thin table), and ``ci_note`` last where some row has one ("" for the others).
    """
    out = summarize(results, sort_by="estimate")
    # the columns are unique: get_loc returns an int position
    out.insert(cast(int, out.columns.get_loc("pvalue")) + 1, value_name, out["estimate"])
    out["n_bins"] = [results[f].df + 1 for f in out.index]
    out["smoothed_cells"] = [len(results[f].smoothed_cells) for f in out.index]
    if value_name == "iv":  # psi_summary adds its own (its small-sample null)
        out["pvalue_method"] = [results[f].pvalue_method_used for f in out.index]
    if "ci_note" in out.columns:  # some interval excludes its estimate: the reason, last
        out["ci_note"] = out.pop("ci_note").fillna("")
    return out


@dataclass(repr=False)
class WoETable(ResultBase):
    """WoE per bin with SEs and CIs, and the feature's IV as a divergence result.

    A vector result on the bins: ``estimate``/``params`` is the WoE of every bin (NaN for a bin
    without rows), ``se``/``bse`` its SE, ``conf_int()`` Series on the bins. The IV is
    :attr:`iv` (a :class:`~infodiv.core.DivergenceResult` with its own ``conf_int``).

    Parameters
    ----------
    feature : str
        Name of the feature.
    table : DataFrame
        One row per bin (``bin``, ``count``, ``count_share``, ``goods``, ``bads``,
        ``event_rate``, ``woe``, ``woe_se``, ``woe_ci_low``, ``woe_ci_high``,
        ``iv_contribution``) and a ``total`` row. ``count = goods + bads`` in every row: the
        sums of the weights when rows are weighted (a ``rows`` column then gives the rows),
        the rows otherwise.
    iv : DivergenceResult
        IV = Jeffreys(bad distribution || good distribution).
    bins : FeatureBins or None
        The feature's bins, when known.
    woe_sign : {"bad/good", "good/bad"}
        WoE convention.
    alpha : float
        Level of the WoE intervals.
    binning : str, optional
        Which bins were used, in words (:func:`describe_bins`); shown by ``repr``. Defaults
        to a description of ``bins``.
    """

    feature: str
    table: pd.DataFrame
    iv: DivergenceResult
    bins: FeatureBins | None
    woe_sign: str
    alpha: float
    binning: str | None = None

    def __post_init__(self) -> None:
        if self.binning is None:
            self.binning = describe_bins(self.bins)

    @classmethod
    def from_count_table(
        cls,
        counts: CountTable,
        feature: str,
        *,
        key: str = "class",
        bad: Any = 1,
        good: Any = 0,
        woe_sign: WoESign = "bad/good",
        alpha: float = 0.05,
        bins: FeatureBins | None = None,
        **divergence_kwargs: Any,
    ) -> WoETable:
        """Build the table of ``feature`` from a count table keyed by the class.

        Parameters
        ----------
        counts : CountTable
            A count table with a class key.
        feature : str
            The feature.
        key : str, default "class"
            The class key.
        bad, good : default 1 and 0
            Key values of the bad (event) and good classes.
        woe_sign : {"bad/good", "good/bad"}
            WoE convention.
        alpha : float
            Level of the intervals.
        bins : FeatureBins, optional
            Kept on the table.
        **divergence_kwargs
            Passed to the divergence engine.

        Returns
        -------
        WoETable
        """
        _check_sign(woe_sign)
        alpha = check_alpha(alpha)
        iv = counts.divergence(
            feature,
            key,
            bad,
            good,
            "jeffreys",
            name=f"IV[{feature}]",
            alpha=alpha,
            **divergence_kwargs,
        )
        warn_thin(iv, feature)
        sb = counts.select(feature, **{key: bad})
        sg = counts.select(feature, **{key: good})
        woe = woe_from_result(iv, woe_sign)
        se = iv.log_ratios()[1]
        used = ~np.isnan(woe)  # cells with rows in either sample
        z = stats.norm.ppf(1 - alpha / 2)
        rows = (sb["n"] + sg["n"]).to_numpy()
        wb, wg = sb["sum_w"].to_numpy(), sg["sum_w"].to_numpy()
        # count = goods + bads in every row: sums of weights when the rows are weighted (then
        # ``rows`` gives the rows), rows otherwise
        weighted = not (np.array_equal(wb, sb["n"].to_numpy()) and np.array_equal(wg, sg["n"]))
        n = wg + wb if weighted else rows
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(used, wb / (wb + wg), np.nan)
        table = pd.DataFrame(
            {
                "bin": sb["label"].to_numpy(),
                "count": n,
                "count_share": n / n.sum(),
                "goods": wg,
                "bads": wb,
                "event_rate": rate,
                "woe": woe,
                "woe_se": se,
                "woe_ci_low": woe - z * se,
                "woe_ci_high": woe + z * se,
                "iv_contribution": np.where(used, iv.contributions, np.nan),
            }
        )
        total = {
            "bin": "total",
            "count": n.sum(),
            "count_share": 1.0,
            "goods": wg.sum(),
            "bads": wb.sum(),
            "event_rate": wb.sum() / (wb.sum() + wg.sum()),
            "woe": np.nan,
            "woe_se": np.nan,
            "woe_ci_low": np.nan,
            "woe_ci_high": np.nan,
            "iv_contribution": iv.estimate,
        }
        table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
        if weighted:
            table.insert(2, "rows", np.r_[rows, rows.sum()])
        return cls(feature, table, iv, bins, woe_sign, alpha)

    @property
    def woe(self) -> pd.Series:
        """WoE by bin label (bins only, no total)."""
        t = self.table.iloc[:-1]
        return pd.Series(t["woe"].to_numpy(), index=t["bin"], name=f"woe[{self.feature}]")

    @property
    def estimate(self) -> pd.Series:
        """WoE by bin label (the same as :attr:`woe`)."""
        return self.woe

    @property
    def se(self) -> pd.Series:
        """WoE standard error by bin label."""
        t = self.table.iloc[:-1]
        return pd.Series(t["woe_se"].to_numpy(), index=t["bin"], name="woe_se")

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """WoE confidence intervals per bin.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the table's ``alpha``.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` Series on the bins (NaN for bins without rows).
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        z = stats.norm.ppf(1 - a / 2)
        return ConfidenceInterval(
            (self.params - z * self.bse).rename("low"), (self.params + z * self.bse).rename("high")
        )

    def summary(self) -> pd.DataFrame:
        """One row per bin: the WoE with its SE and interval, counts and IV contribution.

        Returns
        -------
        pandas.DataFrame
            Indexed by bin label; columns ``estimate`` (WoE), ``se``, ``ci_low``, ``ci_high``,
            then the counts, event rate and IV contribution (:attr:`table` has them with a
            total row).
        """
        t = self.table.iloc[:-1].set_index("bin")
        out = t.rename(
            columns={
                "woe": "estimate",
                "woe_se": "se",
                "woe_ci_low": "ci_low",
                "woe_ci_high": "ci_high",
            }
        )
        lead = ["estimate", "se", "ci_low", "ci_high"]
        return out[lead + [c for c in out.columns if c not in lead]]

    def __repr__(self) -> str:
        lo, hi = self.iv.conf_int()
        head = (
            f"WoETable({self.feature!r}: IV = {self.iv.estimate:.4f} (SE {self.iv.se:.4f}, "
            f"{100 * (1 - self.alpha):g}% CI [{lo:.4f}, {hi:.4f}], p = {self.iv.pvalue:.3g}"
            + ("" if self.iv.pvalue_method_used == "chi2" else f" by {self.iv.pvalue_method_used}")
            + f"), WoE = ln({self.woe_sign.replace('/', ' share / ')} share))\n{self.binning}"
        )
        if self.iv.thin_note:
            head += f"\nnote: {self.iv.thin_note}"
        note = self.iv.ci_note
        if note:
            head += f"\nnote: {note}"
        with pd.option_context("display.width", 160, "display.max_columns", 20):
            body = self.table.to_string(index=False, float_format=lambda v: f"{v:.4g}")
        return f"{head}\n{body}"


def _prepare(
    X: Any, y: Any, sample_weight: Any, event: Any, x_name: str = "X"
) -> tuple[np.ndarray, Any]:
    """``y`` coded 0/1 (1 = event) and the weights, both matched to the rows of ``X``."""
    named = align_inputs({x_name: X, "y": y, "sample_weight": sample_weight})
    yy = check_binary_target(named["y"], "y", event)
    sw = named["sample_weight"]
    check_same_length({x_name: X, "y": yy, "sample_weight": sw})
    if sw is not None:
        sw = check_sample_weight(sw, len(yy))
        check_class_weights(yy, sw)
    return yy, sw


@one_warning_per_call
def woe_table(
    x: Any,
    y: Any,
    bins: FeatureBins | int | str | Sequence[float] | None = 10,
    *,
    sample_weight: Any = None,
    weights: Literal["sampling", "frequency"] | None = None,
    special_values: Sequence[Any] = (),
    woe_sign: WoESign = "bad/good",
    alpha: float = 0.05,
    name: str | None = None,
    event: Any = None,
    **divergence_kwargs: Any,
) -> WoETable:
    """WoE/IV table of one feature against a binary target (1 = bad).

    Parameters
    ----------
    x : array-like or Series
        A numeric column, a ``category``/``bool`` column, or already-binned values
        (``bins="values"``).
    y : array-like
        Binary target: 0/1 or boolean (1/``True`` = bad / event), or two labels with
        ``event``. A pandas ``y`` (and ``sample_weight``) is matched to a pandas ``x`` by
        index label.
    bins : int, "values", None, sequence of float or FeatureBins, default 10
        An int: that many weighted-quantile bins for a numeric column (one bin per category for
        a ``category`` or ``bool`` column), the default of :func:`woe_tables` and
        :func:`iv_summary`; ``"values"`` (or ``None``): each distinct value is a bin (for
        already-binned codes or text; on a continuous column this makes one bin per value
        and an IV inflated by its small-sample bias, which the result's note then explains);
        a sequence of numbers: interior edges (bins ``[e_i, e_{i+1})``); or a
        :class:`~infodiv.core.FeatureBins`. Missing values always form their own bin. The
        table's ``repr`` says which bins were used (:attr:`WoETable.binning`).
    sample_weight : array-like, optional
        Row weights (sampling weights: Kish effective sizes enter the SEs).
    weights : {"sampling", "frequency"} or None, default None
        How ``sample_weight`` is read: ``"sampling"`` (survey/sampling weights; SEs from
        Kish effective sizes), ``"frequency"`` (each row stands for ``w`` identical
        observations, as in an aggregated table; same result as the expanded rows) or
        ``None`` (sampling, but weights that look like aggregated counts are refused with
        an error asking for one of the two; ``docs/numbers.md``, "Weights").
    special_values : sequence
        Codes that get a bin each.
    woe_sign : {"bad/good", "good/bad"}
        WoE convention (see module docstring).
    alpha : float
        Level of the intervals.
    name : str, optional
        Name of the feature (default ``x.name`` or ``"x"``).
    event : label, optional
        The event (bad) class of ``y``: needed unless ``y`` is 0/1 or boolean (then 1/``True``
        is the event), e.g. ``event="bad"`` for a ``"good"``/``"bad"`` target.
    **divergence_kwargs
        Passed to :func:`~infodiv.core.divergence` (``zero_cells``, ``pseudocount``...).

    Returns
    -------
    WoETable

    Examples
    --------
    >>> import numpy as np
    >>> from infodiv import woe_table
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=2000)
    >>> y = (rng.random(2000) < 1 / (1 + np.exp(-x))).astype(int)
    >>> t = woe_table(x, y, bins=5)
    >>> t.iv.estimate > 0.3 and t.iv.pvalue < 1e-10
    True
    """
    validate_params(
        {
            "x": x,
            "y": y,
            "sample_weight": sample_weight,
            "weights": weights,
            "special_values": special_values,
            "woe_sign": woe_sign,
            "alpha": alpha,
            "name": name,
        },
        {
            "x": ["array-like"],
            "y": ["array-like"],
            "sample_weight": ["array-like", None],
            "weights": [StrOptions({"sampling", "frequency"}), None],
            "special_values": ["array-like"],
            "woe_sign": _SIGN,
            "alpha": _ALPHA,
            "name": [str, None],
        },
        caller="woe_table",
    )
    check_bins(bins, caller="woe_table")
    feature = name or (x.name if isinstance(x, pd.Series) and x.name is not None else "x")
    s = as_series(x, str(feature))
    yy, w = _prepare(
        x if isinstance(x, pd.Series | pd.DataFrame) else s, y, sample_weight, event, "x"
    )
    fb = infer_bins(s, bins, str(feature), sample_weight=w, special_values=special_values)
    counts = CountTable.from_frame(
        pd.DataFrame({fb.feature: s.to_numpy()}),
        {fb.feature: fb},
        {"class": yy},
        w,
        weights=weights,
    )
    table = WoETable.from_count_table(
        counts, fb.feature, woe_sign=woe_sign, alpha=alpha, bins=fb, **divergence_kwargs
    )
    table.binning = describe_bins(fb, bins)
    return table


@one_warning_per_call
def woe_tables(
    X: pd.DataFrame,
    y: Any,
    bins: Mapping[str, Any] | int | str | None = 10,
    *,
    sample_weight: Any = None,
    weights: Literal["sampling", "frequency"] | None = None,
    special_values: Mapping[str, Sequence[Any]] | None = None,
    woe_sign: WoESign = "bad/good",
    alpha: float = 0.05,
    event: Any = None,
) -> dict[str, WoETable]:
    """:func:`woe_table` for every column of ``X`` from one count table.

    Parameters
    ----------
    X : DataFrame
        The features.
    y : array-like
        Binary target: 0/1 or boolean (1/``True`` = bad / event), or two labels with
        ``event``. A pandas ``y`` (and ``sample_weight``) is matched to ``X`` by index label.
    bins : dict, int, "values" or None, default 10
        One setting for every column or a dict per column (columns it does not name get
        10; a key that is no column is an error). int: that many quantile bins for numeric
        columns, categorical and bool columns binned by category; ``"values"`` (or ``None``):
        each distinct value is a bin (already-binned codes; see :func:`woe_table`).
    sample_weight : array-like, optional
        Row weights (Kish effective sizes enter the SEs).
    weights : {"sampling", "frequency"} or None, default None
        How ``sample_weight`` is read: ``"sampling"`` (survey/sampling weights; SEs from
        Kish effective sizes), ``"frequency"`` (each row stands for ``w`` identical
        observations, as in an aggregated table; same result as the expanded rows) or
        ``None`` (sampling, but weights that look like aggregated counts are refused with
        an error asking for one of the two; ``docs/numbers.md``, "Weights").
    special_values : dict of str -> sequence, optional
        Codes that get a bin each, per column (a key that is no column is an error).
    woe_sign : {"bad/good", "good/bad"}
        WoE convention.
    alpha : float
        Level of the intervals.
    event : label, optional
        The event (bad) class of ``y``: needed unless ``y`` is 0/1 or boolean (then 1/``True``
        is the event), e.g. ``event="bad"`` for a ``"good"``/``"bad"`` target.

    Returns
    -------
    dict of str -> WoETable
        The table of each feature, keyed by column name (as str).
    """
    validate_params(
        {
            "X": X,
            "y": y,
            "sample_weight": sample_weight,
            "weights": weights,
            "woe_sign": woe_sign,
            "alpha": alpha,
        },
        _FRAME_CONSTRAINTS,
        caller="woe_tables",
    )
    yy, w = _prepare(X, y, sample_weight, event)
    fbins = frame_bins(X, bins, w, special_values, caller="woe_tables")
    X = X.set_axis([str(c) for c in X.columns], axis=1)
    counts = CountTable.from_frame(X, fbins, {"class": yy}, w, weights=weights)
    per_col = {str(k): v for k, v in bins.items()} if isinstance(bins, Mapping) else None
    out = {}
    for f in fbins:
        t = WoETable.from_count_table(counts, f, woe_sign=woe_sign, alpha=alpha, bins=fbins[f])
        t.binning = describe_bins(fbins[f], per_col.get(f, 10) if per_col is not None else bins)
        out[f] = t
    return out


@one_warning_per_call
def iv_summary(
    X: pd.DataFrame,
    y: Any,
    bins: Mapping[str, Any] | int | str | None = 10,
    *,
    sample_weight: Any = None,
    weights: Literal["sampling", "frequency"] | None = None,
    special_values: Mapping[str, Sequence[Any]] | None = None,
    alpha: float = 0.05,
    event: Any = None,
) -> pd.DataFrame:
    """IV of every column of ``X`` with SE, CI and chi-square p-value, sorted by IV.

    Parameters
    ----------
    X : DataFrame
        The features.
    y : array-like
        Binary target: 0/1 or boolean (1/``True`` = bad / event), or two labels with
        ``event``. A pandas ``y`` (and ``sample_weight``) is matched to ``X`` by index label.
    bins : dict, int, "values" or None, default 10
        As in :func:`woe_tables` (``"values"``/``None``: each distinct value is a bin; on a
        continuous column the IV is then mostly small-sample bias and the row's ``ci_note``
        says so).
    sample_weight : array-like, optional
        Row weights (Kish effective sizes enter the SEs).
    weights : {"sampling", "frequency"} or None, default None
        How ``sample_weight`` is read: ``"sampling"`` (survey/sampling weights; SEs from
        Kish effective sizes), ``"frequency"`` (each row stands for ``w`` identical
        observations, as in an aggregated table; same result as the expanded rows) or
        ``None`` (sampling, but weights that look like aggregated counts are refused with
        an error asking for one of the two; ``docs/numbers.md``, "Weights").
    special_values : dict of str -> sequence, optional
        Codes that get a bin each, per column.
    alpha : float
        Level of the intervals.
    event : label, optional
        The event (bad) class of ``y``: needed unless ``y`` is 0/1 or boolean (then 1/``True``
        is the event), e.g. ``event="bad"`` for a ``"good"``/``"bad"`` target.

    Returns
    -------
    DataFrame
        One row per feature, sorted by IV: ``estimate`` (the IV), ``se``, ``ci_low``,
        ``ci_high``, ``statistic``, ``df``, ``pvalue``, ``iv`` (the estimate again),
        ``bias_corrected``, ``ci_method``, ``n1``, ``n2``, ``n_bins``, ``smoothed_cells``,
        ``pvalue_method`` (``"chi2"``, or ``"monte-carlo (B=2000)"`` in a thin table: see
        :attr:`~infodiv.core.DivergenceResult.pvalue`), and ``ci_note`` when some row's
        interval does not contain its estimate (:attr:`~infodiv.core.DivergenceResult.ci_note`).
        A feature with fewer than 5 bads (or goods) per bin raises a
        :class:`~infodiv.exceptions.ThinTableWarning`.

    Examples
    --------
    >>> from infodiv.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> ivs = iv_summary(df.drop(columns="default"), df["default"])
    >>> ivs.index[0]
    'status_of_existing_checking_account'
    """
    validate_params(
        {"X": X, "y": y, "sample_weight": sample_weight, "weights": weights, "alpha": alpha},
        _FRAME_CONSTRAINTS,
        caller="iv_summary",
    )
    yy, w = _prepare(X, y, sample_weight, event)
    fbins = frame_bins(X, bins, w, special_values, caller="iv_summary")
    X = X.set_axis([str(c) for c in X.columns], axis=1)
    counts = CountTable.from_frame(X, fbins, {"class": yy}, w, weights=weights)
    return iv_from_counts(counts, alpha=alpha)


@one_warning_per_call
def iv_from_counts(
    counts: CountTable,
    *,
    key: str = "class",
    bad: Any = 1,
    good: Any = 0,
    features: Sequence[str] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """IV of every feature of a count table keyed by the class, as :func:`iv_summary` gives it.

    For tables built on any engine (:func:`infodiv.scale.count_table`); other keys of the
    table (period, group) are summed over. Per-bin WoE: :meth:`WoETable.from_count_table`.

    Parameters
    ----------
    counts : CountTable
        A count table with a class key.
    key : str, default "class"
        The class key.
    bad, good : default 1 and 0
        Key values of the bad (event) and good classes.
    features : sequence of str, optional
        Default every feature of the table.
    alpha : float
        Level of the intervals.

    Returns
    -------
    DataFrame
        The frame of :func:`iv_summary`.
    """
    validate_params(
        {"counts": counts, "key": key, "features": features, "alpha": alpha},
        {
            "counts": [CountTable],
            "key": [str],
            "features": ["array-like", None],
            "alpha": _ALPHA,
        },
        caller="iv_from_counts",
    )
    a = check_alpha(alpha)
    feats = features if features is not None else counts.features
    results = {f: counts.divergence(f, key, bad, good, "jeffreys", alpha=a) for f in feats}
    for f, res in results.items():
        warn_thin(res, str(f))
    return _feature_rows(results, "iv")


class LazyWoETables(Mapping):
    """``{feature: WoETable}`` computed on first access from a count table (then kept).

    Building a table costs more than the binning of a column; most uses need a few of them.

    Parameters
    ----------
    counts : CountTable
        Counts per feature, bin and ``class`` (1 = event/bad, 0 = good).
    bins : mapping of str -> FeatureBins
        The bins of every feature; its keys are the mapping's keys.
    alpha : float, default=0.05
        Level of the tables' confidence intervals.
    woe_sign : {"bad/good", "good/bad"}, default="bad/good"
        Orientation of the WoE.
    """

    def __init__(
        self,
        counts: CountTable,
        bins: Mapping[str, FeatureBins],
        alpha: float = 0.05,
        woe_sign: Literal["bad/good", "good/bad"] = "bad/good",
    ) -> None:
        self.counts = counts
        self.bins = dict(bins)
        self.alpha = alpha
        self.woe_sign = woe_sign
        self._cache: dict[str, WoETable] = {}

    def __getitem__(self, feature: str) -> WoETable:
        if feature not in self._cache:
            if feature not in self.bins:
                raise KeyError(feature)
            self._cache[feature] = WoETable.from_count_table(
                self.counts,
                feature,
                bins=self.bins[feature],
                alpha=self.alpha,
                woe_sign=self.woe_sign,
            )
        return self._cache[feature]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.bins)

    def __len__(self) -> int:
        return len(self.bins)

    def __repr__(self) -> str:
        return f"LazyWoETables({list(self.bins)}; {len(self._cache)} computed)"
