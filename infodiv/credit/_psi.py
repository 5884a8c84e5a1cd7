"""Population stability index: the Jeffreys divergence between two samples' bin distributions.

``PSI = sum_j (a_j - e_j) ln(a_j / e_j)`` is :func:`~infodiv.core.divergence` of the
actual (p) and expected (q) bin counts with ``kind="jeffreys"``, so it carries the same SE,
chi-square test of "no drift" and confidence interval as IV. Bins are learned on the expected
(reference) sample. The customary traffic light is green below 0.10, amber below 0.25 and red
above; ``drift`` flags a statistically significant change (chi-square p-value below alpha), which
is a different question: a large sample detects small, harmless drift, and a small one misses
large drift.

Small samples. The chi-square law of the drift statistic over-rejects when a sample is small
(8.7% at 5% with 100 actual rows in 10 bins), and the PSI of two samples from one population is
itself of order ``(K - 1)(1/n_actual + 1/n_expected)``: 0.09 at 100 rows in 10 bins, so the
traffic light is amber in about 40% of such samples without any drift. Below
``SMALL_SAMPLE_SIZE`` (1000) effective rows in the smaller sample (the actual one when
``reference="fixed"``), the p-value is a Monte-Carlo one (``pvalue_method="auto"``): ``B``
(``n_resamples``, 2000) pairs of multinomial samples of the (Kish effective) sizes are drawn from
the pooled bin shares (from the expected shares when ``reference="fixed"``), the PSI is
recomputed on each with the same zero-cell rule, and ``p = (1 + #{PSI* >= PSI}) / (B + 1)``,
with a fixed seed (``random_state=0``) so that a result is reproducible. The same null gives the
probability that the PSI reaches the amber threshold without drift (the chi-square law of the
statistic above that size); when it exceeds 5%, ``traffic_light_note`` says that the traffic
light is uninformative at these sizes.

Monitoring never fails over new values. Numeric values outside the range seen in the expected
sample fall in the end bins (the outer bins are open). Categories that are in no bin (new in the
actual sample, or outside bins given by the caller) are counted in an extra bin labelled
``"unseen"``; its expected share is 0, so the divergence engine's zero-cell rule applies to it
(``pseudocount`` observations added to both samples in that cell, with a
:class:`~infodiv.exceptions.ZeroCellWarning`), and the result flags it (``n_unseen`` and
``unseen_share`` of the actual sample, in :meth:`PSIResult.summary`, ``repr`` and the columns
of :func:`psi_summary`) with an :class:`~infodiv.exceptions.UnseenCategoryWarning`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from scipy import special

from infodiv._param_validation import Interval, StrOptions, validate_params
from infodiv._validation import (
    align_inputs,
    as_series,
    check_sample_weight,
    check_weight_reading,
    one_warning_per_call,
    warn_feature,
)
from infodiv.core import (
    UNSEEN,
    UNSEEN_LABEL,
    ConfidenceInterval,
    CountTable,
    DivergenceResult,
    FeatureBins,
    ResultBase,
    check_bins,
    frame_bins,
    infer_bins,
    unseen_label,
)
from infodiv.credit._woe import _feature_rows
from infodiv.exceptions import InvalidParameterError, UnseenCategoryWarning

__all__ = ["PSIResult", "psi", "psi_by_period", "psi_from_counts", "psi_summary", "traffic_light"]

#: Below this effective size of the smaller sample (the actual one when the reference is fixed)
#: the drift p-value is a Monte-Carlo one (``pvalue_method="auto"``).
SMALL_SAMPLE_SIZE = 1000
#: The traffic light is called uninformative when the PSI reaches its amber threshold with
#: this probability or more under no drift.
_UNINFORMATIVE = 0.05

KEY = "sample"
EXPECTED, ACTUAL = "expected", "actual"
#: Label of the extra bin that counts categories outside the bins.


@dataclass(frozen=True)
class _Unseen:
    """Rows of each sample in the ``"unseen"`` bin of one feature."""

    n_actual: int = 0
    share_actual: float = 0.0
    n_expected: int = 0
    examples: tuple[Any, ...] = ()


#: Constraints of the parameters :func:`psi` and :func:`psi_summary` share.
_PSI_CONSTRAINTS: dict[str, list[Any]] = {
    "expected_weight": ["array-like", None],
    "actual_weight": ["array-like", None],
    "weights": [StrOptions({"sampling", "frequency"}), None],
    "alpha": [Interval(Real, 0, 1, closed="neither")],
    "reference": [StrOptions({"sampled", "fixed"})],
    "thresholds": ["array-like"],
    "name": [str, None],
    "pvalue_method": [StrOptions({"auto", "chi2", "monte-carlo"})],
    "n_resamples": [Interval(Integral, 1, None, closed="left")],
    "random_state": [Interval(Integral, 0, None, closed="left"), None],
}


@dataclass(frozen=True)
class _Null:
    """The drift p-value, its method and the no-drift probability of an amber PSI."""

    pvalue: float
    method: str
    p_amber: float
    note: str = ""


def _null(
    res: DivergenceResult,
    thresholds: tuple[float, float],
    pvalue_method: str = "auto",
    n_resamples: int = 2000,
    random_state: int | None = 0,
    pseudocount: float = 0.5,
) -> _Null:
    """The drift test and the traffic light's no-drift law for one PSI (see the module doc).

    Chi-square (the divergence's p-value, unchanged) when the smaller effective sample has
    ``SMALL_SAMPLE_SIZE`` rows or more (``"auto"``), else a parametric-bootstrap null.
    """
    fixed = res.reference == "fixed"
    n_small = res.n1 if fixed else min(res.n1, res.n2)
    lo = thresholds[0]
    use_mc = pvalue_method == "monte-carlo" or (
        pvalue_method == "auto" and n_small < SMALL_SAMPLE_SIZE
    )
    if res.df < 1 or not np.isfinite(res.estimate):
        use_mc = False
    if not use_mc:
        # no-drift law of the PSI from the chi-square law of T = 2 n_eff PSI / f''(1)
        p_amber = (
            float(special.chdtrc(res.df, 2.0 * res.n_eff * lo / res.f2_at_1)) if res.df > 0 else 0.0
        )
        if pvalue_method == "chi2":
            pval, method = res.chi2_pvalue, "chi2"
        else:  # the engine's own: Monte-Carlo in a thin table (many bins for the sizes)
            pval, method = res.pvalue, res.pvalue_method_used
    else:
        keep = (res.p > 0) | (res.q > 0)
        pk, qk = res.p[keep], res.q[keep]
        pooled = qk if fixed else (res.n1 * pk + res.n2 * qk) / (res.n1 + res.n2)
        pooled = pooled / pooled.sum()
        m1 = max(int(round(res.n1)), 1)
        m2 = max(int(round(res.n2)), 1)
        rng = np.random.default_rng(random_state)
        A = rng.multinomial(m1, pooled, size=n_resamples).astype(float)
        if fixed:
            E = np.broadcast_to(m2 * pooled, A.shape).copy()
        else:
            E = rng.multinomial(m2, pooled, size=n_resamples).astype(float)
        # the divergence engine's zero-cell rule: cells empty in one sample only get
        # pseudocount observations in both; cells empty in both drop out
        one = (A == 0) != (E == 0)
        A[one] += pseudocount
        E[one] += pseudocount
        a = A / A.sum(axis=1, keepdims=True)
        e = E / E.sum(axis=1, keepdims=True)
        both = (a > 0) & (e > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(both, (a - e) * np.log(np.where(both, a / e, 1.0)), 0.0)
        sims = terms.sum(axis=1)
        # a tie (equal tables) counts as at least as extreme: the statistic is discrete
        tol = 1e-9 * abs(res.estimate) + 1e-15
        pval = float((1 + np.sum(sims >= res.estimate - tol)) / (n_resamples + 1))
        p_amber = float(np.mean(sims >= lo))
        method = f"monte-carlo (B={n_resamples})"
    note = ""
    if p_amber > _UNINFORMATIVE:
        sizes = (
            f"n_actual = {res.n1:.0f}"
            if fixed
            else f"n_actual = {res.n1:.0f}, n_expected = {res.n2:.0f}"
        )
        note = (
            f"traffic light uninformative at these sizes: with no drift the PSI reaches "
            f"{lo:g} in {p_amber:.0%} of samples ({sizes}, {res.df + 1} bins); "
            "read the drift test"
        )
    return _Null(pval, method, p_amber, note)


def traffic_light(value: float, thresholds: tuple[float, float] = (0.10, 0.25)) -> str:
    """``"green"`` below ``thresholds[0]``, ``"amber"`` below ``thresholds[1]``, else ``"red"``.

    Parameters
    ----------
    value : float
        A PSI.
    thresholds : (float, float), default (0.10, 0.25)
        The cut-offs, ``0 <= low < high``.

    Returns
    -------
    str
        ``"green"``, ``"amber"`` or ``"red"``.
    """
    lo, hi = thresholds
    if not 0 <= lo < hi:
        raise InvalidParameterError(f"thresholds must satisfy 0 <= low < high; got {thresholds!r}")
    return "green" if value < lo else ("amber" if value < hi else "red")


@dataclass(repr=False)
class PSIResult(ResultBase):
    """PSI of one feature with SE, CI, drift test and traffic light.

    Parameters
    ----------
    feature : str
        Name of the feature.
    divergence : DivergenceResult
        The Jeffreys divergence (actual || expected).
    table : DataFrame
        Per bin: ``bin``, ``expected``, ``expected_share``, ``actual``, ``actual_share``,
        ``contribution``.
    thresholds : tuple of float, default (0.10, 0.25)
        Traffic-light cut-offs.
    n_unseen : int, default 0
        Rows of the actual sample whose category is in no bin (counted in the ``"unseen"`` bin,
        whose expected share is 0: smoothed by the zero-cell rule).
    unseen_share : float, default 0.0
        Their (weighted) share of the actual sample.
    pvalue_method : str, default "chi2"
        How the drift p-value was computed: ``"chi2"`` (the divergence's) or
        ``"monte-carlo (B=...)"`` (small samples; see the module docstring).
    mc_pvalue : float, default NaN
        The Monte-Carlo p-value (NaN with ``"chi2"``).
    null_amber_prob : float, default NaN
        Probability that the PSI reaches ``thresholds[0]`` with no drift at these sizes.
    traffic_light_note : str, default ""
        Says when that probability exceeds 5%: the traffic light is uninformative.

    Attributes
    ----------
    estimate : float
        The PSI (``divergence.estimate``).
    se, pvalue : float
        Its SE and the p-value of "no drift" (chi-square or Monte-Carlo, ``pvalue_method``).
    """

    feature: str
    divergence: DivergenceResult
    table: pd.DataFrame
    thresholds: tuple[float, float] = (0.10, 0.25)
    n_unseen: int = 0
    unseen_share: float = 0.0
    pvalue_method: str = "chi2"
    mc_pvalue: float = float("nan")
    null_amber_prob: float = float("nan")
    traffic_light_note: str = ""

    @property
    def estimate(self) -> float:
        """The PSI."""
        return self.divergence.estimate

    @property
    def se(self) -> float:
        """Delta-method standard error of the PSI."""
        return self.divergence.se

    @property
    def pvalue(self) -> float:
        """P-value of "no drift": chi-square, or Monte-Carlo for small samples."""
        return self.divergence.pvalue if self.pvalue_method == "chi2" else self.mc_pvalue

    @property
    def statistic(self) -> float:
        """Chi-square statistic of "no drift"."""
        return self.divergence.statistic

    @property
    def df(self) -> int:
        """Its degrees of freedom (bins with rows minus one)."""
        return self.divergence.df

    @property
    def _label(self) -> str:
        return f"PSI[{self.feature}]"

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Confidence interval of the PSI (the divergence's: noncentral chi-square near 0).

        Parameters
        ----------
        alpha : float, optional
            Defaults to the result's ``alpha``.

        Returns
        -------
        ConfidenceInterval
            The named pair ``(low, high)`` of floats.
        """
        return ConfidenceInterval(*self.divergence.conf_int(alpha))

    def upper_bound(self, alpha: float | None = None) -> float:
        """One-sided ``1 - alpha`` upper confidence bound of the PSI, to certify "no drift".

        The divergence's bound (:meth:`~infodiv.core.DivergenceResult.upper_bound`): near
        zero the CLs bound of the noncentral chi-square law, always positive; its method is
        ``divergence.upper_bound_method``.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the result's ``alpha``.

        Returns
        -------
        float
            The bound.
        """
        return self.divergence.upper_bound(alpha)

    @property
    def traffic_light(self) -> str:
        """``"green"``, ``"amber"`` or ``"red"`` by the thresholds."""
        return traffic_light(self.estimate, self.thresholds)

    @property
    def drift(self) -> bool:
        """Statistically significant drift: the p-value below the result's alpha."""
        return bool(self.pvalue < self.divergence.alpha)

    def summary(self) -> pd.DataFrame:
        """One row: the PSI with its SE, interval and drift test, the traffic light and flag.

        Returns
        -------
        pandas.DataFrame
            One row indexed by the feature; columns ``estimate, se, ci_low, ci_high,
            statistic, df, pvalue``, ``traffic_light``, ``drift``, ``n_unseen``,
            ``unseen_share``, ``pvalue_method`` and ``traffic_light_note`` ("" when the light
            is informative), and ``ci_note`` where the interval does not contain the estimate.
        """
        out = self._frame(
            pd.Index([self.feature], name="feature"),
            tests=("statistic", "df", "pvalue"),
            traffic_light=self.traffic_light,
            drift=self.drift,
            n_unseen=self.n_unseen,
            unseen_share=self.unseen_share,
            pvalue_method=self.pvalue_method,
            traffic_light_note=self.traffic_light_note,
        )
        note = self.divergence.ci_note
        if note:  # the interval excludes the estimate: say why (DivergenceResult.ci_note)
            out["ci_note"] = note
        return out

    def __repr__(self) -> str:
        lo, hi = self.conf_int()
        unseen = (
            f", {self.n_unseen} unseen rows ({self.unseen_share:.2%} of actual, smoothed)"
            if self.n_unseen
            else ""
        )
        return (
            f"PSIResult({self.feature!r}: PSI = {self.estimate:.4f} (SE {self.se:.4f}), "
            f"{100 * (1 - self.divergence.alpha):g}% CI [{lo:.4f}, {hi:.4f}], "
            f"p = {self.pvalue:.3g}"
            + ("" if self.pvalue_method == "chi2" else f" ({self.pvalue_method})")
            + f", {self.traffic_light}, "
            f"{'significant drift' if self.drift else 'no significant drift'}{unseen}"
            + (f"; note: {self.traffic_light_note}" if self.traffic_light_note else "")
            + (f"; note: {self.divergence.ci_note}" if self.divergence.ci_note else "")
            + ")"
        )


def _aligned_weights(
    expected: Any, actual: Any, expected_weight: Any, actual_weight: Any
) -> tuple[Any, Any]:
    """Pandas weights matched to their pandas sample by index label (arrays by position)."""
    ew = align_inputs({"expected": expected, "expected_weight": expected_weight})
    aw = align_inputs({"actual": actual, "actual_weight": actual_weight})
    return ew["expected_weight"], aw["actual_weight"]


def _psi_counts(
    expected: pd.DataFrame,
    actual: pd.DataFrame,
    fbins: Mapping[str, FeatureBins],
    expected_weight: Any,
    actual_weight: Any,
    weights: Literal["sampling", "frequency"] | None = None,
) -> tuple[CountTable, dict[str, _Unseen]]:
    """The count table keyed by sample, and the rows in each feature's ``"unseen"`` bin.

    A feature with rows whose category is in no bin gets one more bin, ``"unseen"``, after the
    missing bin; the others keep their bins.
    """
    we = check_sample_weight(expected_weight, len(expected), "expected_weight")
    wa = check_sample_weight(actual_weight, len(actual), "actual_weight")
    reading: Literal["sampling", "frequency"] = "sampling"
    for nm, given, ww in (
        ("expected_weight", expected_weight, we),
        ("actual_weight", actual_weight, wa),
    ):
        reading = check_weight_reading(weights, None if given is None else ww, nm)
    if reading != "frequency":  # frequency weights are counts: kept as they are
        we, wa = _own_scale(we), _own_scale(wa)
    codes, labels, unseen = {}, {}, {}
    for f, b in fbins.items():
        ce, ca = b.codes(expected[f]), b.codes(actual[f])
        c = np.concatenate([ce, ca])
        lab = list(b.labels)
        out = c == UNSEEN
        if out.any():
            lab.append(unseen_label(lab))
            c = np.where(out, len(lab) - 1, c)
            ua = ca == UNSEEN
            seen_values = pd.concat(
                [expected[f][ce == UNSEEN].astype(object), actual[f][ua].astype(object)]
            )
            unseen[f] = _Unseen(
                n_actual=int(ua.sum()),
                share_actual=float(wa[ua].sum() / wa.sum()),
                n_expected=int((ce == UNSEEN).sum()),
                examples=tuple(pd.unique(seen_values)[:5].tolist()),
            )
            _warn_unseen(f, unseen[f])
        codes[f], labels[f] = c, lab
    key = np.array([EXPECTED] * len(expected) + [ACTUAL] * len(actual), dtype=object)
    table = CountTable.from_codes(
        codes, labels, {KEY: key}, np.concatenate([we, wa]), weights=reading
    )
    return table, unseen


#: A sample whose largest weight lies beyond 2**+-_W_EXP_MAX is brought near 1 on its own.
_W_EXP_MAX = 150


def _own_scale(w: np.ndarray) -> np.ndarray:
    """The weights of one sample times the power of two bringing their largest value near 1.

    Only when that value is beyond ``2**+-150``: the count table's one common rescaling could
    not keep the squared weights of both samples finite and nonzero when their scales differ
    (weights of 1 against 1e200). The PSI, its SE and the test use each sample's shares and
    Kish size only, which one factor per sample leaves unchanged (the factor is exact).
    """
    top = float(w.max()) if w.size else 0.0
    if top <= 0:
        return w
    e = int(np.floor(np.log2(top)))
    return w if abs(e) <= _W_EXP_MAX else w * float(np.ldexp(1.0, -e))


def _warn_unseen(feature: str, u: _Unseen) -> None:
    rows = []
    if u.n_actual:
        rows.append(f"{u.n_actual} rows of actual ({u.share_actual:.2%})")
    if u.n_expected:
        rows.append(f"{u.n_expected} rows of expected")
    rule = (
        f"counted in the bin {UNSEEN_LABEL!r}, where a sample without rows has share 0 and "
        "the zero-cell rule adds pseudocount observations to both samples"
    )
    detail = f"{feature!r}: {' and '.join(rows)} (e.g. {list(u.examples)})"
    warn_feature(
        f"PSI[{feature}]: {' and '.join(rows)} hold categories in no bin "
        f"(e.g. {list(u.examples)}); {rule}",
        UnseenCategoryWarning,
        feature=feature,
        head=f"PSI: rows hold categories in no bin; {rule}",
        detail=detail,
        stacklevel=4,
    )


def _table(counts: CountTable, feature: str, res: DivergenceResult) -> pd.DataFrame:
    e = counts.select(feature, **{KEY: EXPECTED})
    a = counts.select(feature, **{KEY: ACTUAL})
    return pd.DataFrame(
        {
            "bin": e["label"].to_numpy(),
            "expected": e["sum_w"].to_numpy(),
            "expected_share": e["sum_w"].to_numpy() / e["sum_w"].sum(),
            "actual": a["sum_w"].to_numpy(),
            "actual_share": a["sum_w"].to_numpy() / a["sum_w"].sum(),
            "contribution": res.contributions,
        }
    )


@one_warning_per_call
def psi(
    expected: Any,
    actual: Any,
    bins: FeatureBins | int | str | Sequence[float] | None = 10,
    *,
    expected_weight: Any = None,
    actual_weight: Any = None,
    weights: Literal["sampling", "frequency"] | None = None,
    alpha: float = 0.05,
    reference: Literal["sampled", "fixed"] = "sampled",
    thresholds: tuple[float, float] = (0.10, 0.25),
    name: str | None = None,
    pvalue_method: Literal["auto", "chi2", "monte-carlo"] = "auto",
    n_resamples: int = 2000,
    random_state: int | None = 0,
    **divergence_kwargs: Any,
) -> PSIResult:
    """PSI between an expected (reference) and an actual sample of one feature.

    Parameters
    ----------
    expected, actual : array-like or Series
        Raw values (``bins`` learned on ``expected``) or already-binned values
        (``bins="values"``).
    bins : int, "values", None, sequence of float or FeatureBins, default 10
        Quantile bins of ``expected`` (by category for a ``category`` or ``bool`` column),
        ``"values"`` (or ``None``): each distinct value of ``expected`` is a bin, explicit
        interior edges, or the given bins.
    expected_weight, actual_weight : array-like, optional
        Row weights (Kish effective sizes in the SE).
    weights : {"sampling", "frequency"} or None, default None
        How both samples' weights are read: ``"sampling"`` (survey/sampling weights; Kish
        effective sizes), ``"frequency"`` (each row stands for ``w`` identical observations,
        as in an aggregated table; same result as the expanded rows) or ``None`` (sampling,
        but weights that look like aggregated counts are refused with an error asking for
        one of the two; ``docs/numbers.md``, "Weights").
    alpha : float, default 0.05
        Level of the interval and of the drift test.
    reference : {"sampled", "fixed"}
        ``"fixed"`` treats the expected distribution as known (only ``actual`` is random).
    thresholds : (float, float)
        Traffic-light cut-offs.
    name : str, optional
        Feature name (default the Series name of ``expected``, else ``"x"``).
    pvalue_method : {"auto", "chi2", "monte-carlo"}, default "auto"
        The null law of the drift test: ``"auto"`` is Monte-Carlo when the smaller effective
        sample (the actual one when ``reference="fixed"``) has fewer than
        ``SMALL_SAMPLE_SIZE`` (1000) rows, chi-square otherwise (see the module docstring).
    n_resamples : int, default 2000
        Monte-Carlo replications.
    random_state : int or None, default 0
        Seed of the Monte-Carlo null (fixed: the result is reproducible).
    **divergence_kwargs
        Passed to the divergence engine (``zero_cells``, ``pseudocount``...).

    Returns
    -------
    PSIResult
        The PSI with its SE, interval, chi-square test of "no drift", traffic light and
        per-bin table.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> r = psi(rng.normal(size=5000), rng.normal(0.3, 1, size=5000))
    >>> r.traffic_light, r.drift
    ('green', True)
    """
    validate_params(
        {
            "expected": expected,
            "actual": actual,
            "expected_weight": expected_weight,
            "actual_weight": actual_weight,
            "weights": weights,
            "alpha": alpha,
            "reference": reference,
            "thresholds": thresholds,
            "name": name,
            "pvalue_method": pvalue_method,
            "n_resamples": n_resamples,
            "random_state": random_state,
        },
        {"expected": ["array-like"], "actual": ["array-like"], **_PSI_CONSTRAINTS},
        caller="psi",
    )
    check_bins(bins, caller="psi")
    traffic_light(0.0, thresholds)
    expected_weight, actual_weight = _aligned_weights(
        expected, actual, expected_weight, actual_weight
    )
    feature = name or (expected.name if isinstance(expected, pd.Series) and expected.name else "x")
    e = as_series(expected, "expected")
    a = as_series(actual, "actual")
    if len(e) == 0 or len(a) == 0:
        raise InvalidParameterError(
            f"expected has {len(e)} rows and actual has {len(a)}: both need rows"
        )
    w = (
        None
        if expected_weight is None
        else check_sample_weight(expected_weight, len(e), "expected_weight")
    )
    with _naming("expected"):
        fb = infer_bins(e, bins, str(feature), sample_weight=w)
    f = fb.feature
    with _naming("actual"):
        fb.codes(a)
    counts, unseen = _psi_counts(
        pd.DataFrame({f: e.reset_index(drop=True)}),
        pd.DataFrame({f: a.reset_index(drop=True)}),
        {f: fb},
        expected_weight,
        actual_weight,
        weights,
    )
    res = counts.divergence(
        f,
        KEY,
        ACTUAL,
        EXPECTED,
        "jeffreys",
        alpha=alpha,
        reference=reference,
        name=f"PSI[{f}]",
        **divergence_kwargs,
    )
    u = unseen.get(f, _Unseen())
    nl = _null(
        res,
        thresholds,
        pvalue_method,
        n_resamples,
        random_state,
        float(divergence_kwargs.get("pseudocount", 0.5)),
    )
    return PSIResult(
        f,
        res,
        _table(counts, f, res),
        thresholds,
        u.n_actual,
        u.share_actual,
        pvalue_method=nl.method,
        mc_pvalue=nl.pvalue if nl.method != "chi2" else float("nan"),
        null_amber_prob=nl.p_amber,
        traffic_light_note=nl.note,
    )


@contextmanager
def _naming(arg: str) -> Iterator[None]:
    """Re-raise an ``InvalidParameterError`` about ``arg``'s values with ``arg`` named first."""
    try:
        yield
    except InvalidParameterError as exc:
        msg = str(exc)
        if re.search(rf"(?<!\w){arg}(?!\w)", msg):
            raise
        raise InvalidParameterError(f"{arg}: {msg}") from exc


@one_warning_per_call
def psi_summary(
    expected: pd.DataFrame,
    actual: pd.DataFrame,
    bins: Mapping[str, Any] | int | str | None = 10,
    *,
    expected_weight: Any = None,
    actual_weight: Any = None,
    weights: Literal["sampling", "frequency"] | None = None,
    alpha: float = 0.05,
    reference: Literal["sampled", "fixed"] = "sampled",
    thresholds: tuple[float, float] = (0.10, 0.25),
    pvalue_method: Literal["auto", "chi2", "monte-carlo"] = "auto",
    n_resamples: int = 2000,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """PSI of every column of ``expected`` against ``actual``, sorted by PSI.

    Parameters
    ----------
    expected, actual : DataFrame
        The reference and the current sample (``actual`` has every column of ``expected``).
    bins : dict, int, "values" or None, default 10
        Bins learned on ``expected``: one setting for every column or a dict per column
        (as in :func:`psi`; a dict key that is no column of ``expected`` is an error).
    expected_weight, actual_weight : array-like, optional
        Row weights (Kish effective sizes in the SE).
    weights : {"sampling", "frequency"} or None, default None
        How both samples' weights are read: ``"sampling"`` (survey/sampling weights; Kish
        effective sizes), ``"frequency"`` (each row stands for ``w`` identical observations,
        as in an aggregated table; same result as the expanded rows) or ``None`` (sampling,
        but weights that look like aggregated counts are refused with an error asking for
        one of the two; ``docs/numbers.md``, "Weights").
    alpha : float
        Level of the intervals and of the drift test.
    reference : {"sampled", "fixed"}
        ``"fixed"`` treats the expected distribution as known.
    thresholds : (float, float)
        Traffic-light cut-offs.
    pvalue_method : {"auto", "chi2", "monte-carlo"}, default "auto"
        The null law of the drift test: ``"auto"`` is Monte-Carlo when the smaller effective
        sample (the actual one when ``reference="fixed"``) has fewer than
        ``SMALL_SAMPLE_SIZE`` (1000) rows, chi-square otherwise (see the module docstring).
    n_resamples : int, default 2000
        Monte-Carlo replications.
    random_state : int or None, default 0
        Seed of the Monte-Carlo null (fixed: the result is reproducible).

    Returns
    -------
    DataFrame
        One row per feature, sorted by PSI: ``estimate`` (the PSI), ``se``, ``ci_low``,
        ``ci_high``, ``statistic``, ``df``, ``pvalue``, ``psi`` (the estimate again),
        ``traffic_light``, ``drift``, ``n_unseen`` and ``unseen_share`` (rows of ``actual``
        whose category is in no bin, counted in an ``"unseen"`` bin; see the module
        docstring), ``pvalue_method`` and ``traffic_light_note`` (see :class:`PSIResult`)
        and the divergence details (``bias_corrected``, ``ci_method``, ``n1``, ``n2``,
        ``n_bins``, ``smoothed_cells``).
    """
    validate_params(
        {
            "expected": expected,
            "actual": actual,
            "expected_weight": expected_weight,
            "actual_weight": actual_weight,
            "weights": weights,
            "alpha": alpha,
            "reference": reference,
            "thresholds": thresholds,
            "pvalue_method": pvalue_method,
            "n_resamples": n_resamples,
            "random_state": random_state,
        },
        {"expected": [pd.DataFrame], "actual": [pd.DataFrame], **_PSI_CONSTRAINTS},
        caller="psi_summary",
    )
    traffic_light(0.0, thresholds)
    missing = [c for c in expected.columns if c not in actual.columns]
    if missing:
        raise InvalidParameterError(f"actual lacks columns {missing}")
    if len(expected) == 0 or len(actual) == 0:
        raise InvalidParameterError(
            f"expected has {len(expected)} rows and actual has {len(actual)}: both need rows"
        )
    expected_weight, actual_weight = _aligned_weights(
        expected, actual, expected_weight, actual_weight
    )
    w = (
        None
        if expected_weight is None
        else check_sample_weight(expected_weight, len(expected), "expected_weight")
    )
    fbins = frame_bins(expected, bins, w, None, caller="psi_summary")
    exp = expected.set_axis([str(c) for c in expected.columns], axis=1)
    act = actual[list(expected.columns)].set_axis([str(c) for c in expected.columns], axis=1)
    counts, unseen = _psi_counts(exp, act, fbins, expected_weight, actual_weight, weights)
    return _summary(
        counts,
        None,
        alpha,
        reference,
        thresholds,
        unseen,
        pvalue_method=pvalue_method,
        n_resamples=n_resamples,
        random_state=random_state,
    )


def _summary(
    counts: CountTable,
    features: Sequence[str] | None,
    alpha: float,
    reference: str,
    thresholds: tuple[float, float],
    unseen: Mapping[str, _Unseen] | None = None,
    *,
    pvalue_method: str = "auto",
    n_resamples: int = 2000,
    random_state: int | None = 0,
) -> pd.DataFrame:
    feats = features if features is not None else counts.features
    unseen = unseen or {}
    results = {
        f: counts.divergence(f, KEY, ACTUAL, EXPECTED, "jeffreys", alpha=alpha, reference=reference)
        for f in feats
    }
    table = _feature_rows(results, "psi")
    nulls = {
        f: _null(results[f], thresholds, pvalue_method, n_resamples, random_state)
        for f in table.index
    }
    table["pvalue"] = [nulls[f].pvalue for f in table.index]
    at = cast(int, table.columns.get_loc("psi")) + 1  # unique columns: an int position
    table.insert(at, "traffic_light", [traffic_light(v, thresholds) for v in table["estimate"]])
    table.insert(at + 1, "drift", table["pvalue"] < alpha)
    table.insert(at + 2, "n_unseen", [unseen.get(f, _Unseen()).n_actual for f in table.index])
    table.insert(
        at + 3, "unseen_share", [unseen.get(f, _Unseen()).share_actual for f in table.index]
    )
    table.insert(at + 4, "pvalue_method", [nulls[f].method for f in table.index])
    table.insert(at + 5, "traffic_light_note", [nulls[f].note for f in table.index])
    return table


@one_warning_per_call
def psi_from_counts(
    expected: CountTable,
    actual: CountTable | None = None,
    *,
    expected_where: Mapping[str, Any] | None = None,
    actual_where: Mapping[str, Any] | None = None,
    features: Sequence[str] | None = None,
    alpha: float = 0.05,
    reference: Literal["sampled", "fixed"] = "sampled",
    thresholds: tuple[float, float] = (0.10, 0.25),
) -> pd.DataFrame:
    """PSI of every feature from count tables (e.g. from :func:`infodiv.scale.count_table`).

    The expected distribution of a feature is ``expected.select(feature, **expected_where)``
    (keys not named are summed over), the actual one the same in ``actual`` (``expected``
    itself when ``actual`` is None). So a baseline table keyed by class and a daily table
    keyed by date compare directly. Bins must be the same in both tables.

    Parameters
    ----------
    expected : CountTable
        The reference table.
    actual : CountTable, optional
        The current table (default ``expected`` itself).
    expected_where, actual_where : dict, optional
        Key values selecting each distribution.
    features : sequence of str, optional
        Default every feature of ``expected``.
    alpha : float
        Level of the intervals and of the drift test.
    reference : {"sampled", "fixed"}
        ``"fixed"`` treats the expected distribution as known.
    thresholds : (float, float)
        Traffic-light cut-offs.

    Returns
    -------
    DataFrame
        The frame of :func:`psi_summary` (``estimate`` is the PSI; ``psi`` repeats it), sorted
        by PSI.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from infodiv.core import FeatureBins
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"x": np.r_[rng.normal(size=4000), rng.normal(0.4, 1, 4000)]})
    >>> t = CountTable.from_frame(X, {"x": FeatureBins("x", edges=(-1.0, 0.0, 1.0))},
    ...                           by={"month": [1] * 4000 + [2] * 4000})
    >>> r = psi_from_counts(t, expected_where={"month": 1}, actual_where={"month": 2})
    >>> bool(r.loc["x", "drift"]), r.loc["x", "traffic_light"]
    (True, 'amber')
    """
    validate_params(
        {
            "expected": expected,
            "actual": actual,
            "expected_where": expected_where,
            "actual_where": actual_where,
            "features": features,
            "alpha": alpha,
            "reference": reference,
            "thresholds": thresholds,
        },
        {
            "expected": [CountTable],
            "actual": [CountTable, None],
            "expected_where": [Mapping, None],
            "actual_where": [Mapping, None],
            "features": ["array-like", None],
            "alpha": _PSI_CONSTRAINTS["alpha"],
            "reference": _PSI_CONSTRAINTS["reference"],
            "thresholds": _PSI_CONSTRAINTS["thresholds"],
        },
        caller="psi_from_counts",
    )
    traffic_light(0.0, thresholds)
    actual = expected if actual is None else actual
    for nm, t in (("expected", expected), ("actual", actual)):
        if not isinstance(t, CountTable):
            raise InvalidParameterError(f"{nm} must be a CountTable; got {type(t).__name__}")
    feats = list(features) if features is not None else expected.features
    stacked = CountTable.stack(
        {EXPECTED: expected, ACTUAL: actual},
        key=KEY,
        where={EXPECTED: dict(expected_where or {}), ACTUAL: dict(actual_where or {})},
        features=feats,
    )
    unseen = {}  # rows of tables counted with categories in no bin (the last bin, "unseen")
    for f in feats:
        lab = stacked.labels[f]
        if lab and lab[-1].startswith(UNSEEN_LABEL):
            n = stacked.vector(f, "n", **{KEY: ACTUAL})
            sw = stacked.vector(f, "sum_w", **{KEY: ACTUAL})
            if n[-1] > 0:
                unseen[f] = _Unseen(n_actual=int(n[-1]), share_actual=float(sw[-1] / sw.sum()))
    return _summary(stacked, feats, alpha, reference, thresholds, unseen)


@one_warning_per_call
def psi_by_period(
    baseline: CountTable,
    counts: CountTable,
    period: str,
    *,
    baseline_where: Mapping[str, Any] | None = None,
    features: Sequence[str] | None = None,
    alpha: float = 0.05,
    reference: Literal["sampled", "fixed"] = "sampled",
    thresholds: tuple[float, float] = (0.10, 0.25),
) -> pd.DataFrame:
    """PSI of every feature in every period of ``counts`` against the ``baseline`` table.

    One row per (period, feature) in period order, with the columns of
    :func:`psi_from_counts`: the daily drift monitor when ``counts`` is keyed by the date.
    ``drift`` flags a chi-square p-value below ``alpha`` in that period alone (no correction
    for the number of periods and features).

    Parameters
    ----------
    baseline : CountTable
        The reference table.
    counts : CountTable
        The table keyed by ``period``.
    period : str
        The period key of ``counts``.
    baseline_where : dict, optional
        Key values selecting the baseline distribution.
    features : sequence of str, optional
        Default every feature of ``baseline``.
    alpha : float
        Level of the intervals and of the drift test.
    reference : {"sampled", "fixed"}
        ``"fixed"`` treats the baseline distribution as known.
    thresholds : (float, float)
        Traffic-light cut-offs.

    Returns
    -------
    DataFrame
        Indexed by (period, feature).
    """
    validate_params(
        {
            "baseline": baseline,
            "counts": counts,
            "period": period,
            "baseline_where": baseline_where,
        },
        {
            "baseline": [CountTable],
            "counts": [CountTable],
            "period": [str],
            "baseline_where": [Mapping, None],
        },
        caller="psi_by_period",
    )
    if period not in counts.keys:
        raise InvalidParameterError(
            f"period must be a key of counts {list(counts.keys)}; got {period!r}"
        )
    out = {}
    for p in counts.key_values(period):
        out[p] = psi_from_counts(
            baseline,
            counts,
            expected_where=baseline_where,
            actual_where={period: p},
            features=features,
            alpha=alpha,
            reference=reference,
            thresholds=thresholds,
        )
    return pd.concat(out, names=[period, "feature"])
