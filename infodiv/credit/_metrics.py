"""Holdout metrics of a score: AUC (DeLong), DeLong's paired test, KS, calibration.

DeLong, DeLong & Clarke-Pearson (1988): the AUC is a two-sample U-statistic; its variance is
estimated from the structural components (placement values) of the events and non-events,
computed here with midranks in ``O(n log n)`` (Sun & Xu, 2014).

The AUC interval (:attr:`AUCResult.ci_method`): with at least ``AUC_BOOTSTRAP_BELOW`` (200) rows
in the smaller class, the Wald interval on the logit of the AUC with the delta-method DeLong SE
(``"delong-logit"``), which stays inside (0, 1). With fewer (few events, as in low-default
portfolios) that interval undercovers as the AUC rises (binormal scores, ten non-events per
event: 0.88-0.93 at AUC 0.95-0.97 with 20-40 events), and it misses on one side: when a sample
lacks the few low-scoring events, the AUC comes out high and its SE small, and the lower bound
lies above the truth. A stratified bootstrap (events and non-events resampled separately,
``n_resamples`` = 2,000, seeded) with the basic (reverse-percentile) interval on the logit scale,
``logit^-1(2 L - q)`` with ``L = logit(AUC)`` and ``q`` the bootstrap quantiles of
``logit(AUC*)`` (``"bootstrap-logit"``), misses on the other side (its upper bound). Below 200
rows in the smaller class the default (``"hull"``) is the smallest interval holding both. With
20, 40 and 100 events and AUC 0.6-0.97 it covered 0.936-0.984 (binormal; the DeLong interval
0.876-0.966) and 0.928-0.964 (events with twice the non-events' SD, 20-40 events; DeLong
0.804-0.954), 500 replications each (``benchmarks/coverage_designs/weights_auc.py``); it
over-covers with 20 events at AUC 0.95-0.97 (0.97-0.98), which :attr:`AUCResult.ci_note` says. Resampling costs the events only: non-events enter through their counts in the gaps
between the distinct event scores.

Calibration (:func:`calibration_summary`) is the logistic recalibration
``logit P(y) = a + b logit(p)``: intercept ``a`` with the slope fixed at 1
(calibration-in-the-large) and slope ``b``, each with its GLM standard error and a Wald test
against its ideal value (0 and 1), plus the expected calibration error over equal-count bins.
:func:`holdout_metrics` puts AUC, KS, Brier and a calibration table by decile together (the
report's table).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from infodiv._param_validation import Interval, StrOptions, validate_params
from infodiv._validation import (
    align_inputs,
    check_alpha,
    check_binary_target,
    check_real_array,
    check_same_length,
)
from infodiv.core import ConfidenceInterval, ResultBase
from infodiv.exceptions import InvalidParameterError

__all__ = [
    "AUCDifference",
    "AUCResult",
    "Calibration",
    "auc",
    "auc_difference",
    "calibration_summary",
    "holdout_metrics",
    "ks_statistic",
]

_ALPHA = [Interval(Real, 0, 1, closed="neither")]

#: Below this many rows in the smaller class, ``auc`` adds a bootstrap to its interval.
AUC_BOOTSTRAP_BELOW = 200
#: Below this many rows in the smaller class, :attr:`AUCResult.ci_note` warns of the coverage.
AUC_FEW_ROWS = 30


def _logit(p: np.ndarray | float, eps: float) -> np.ndarray:
    q = np.clip(p, eps, 1 - eps)
    return np.log(q / (1 - q))


def _bootstrap_aucs(pos: np.ndarray, neg: np.ndarray, B: int, seed: int | None) -> np.ndarray:
    """AUCs of ``B`` stratified bootstrap resamples (events and non-events drawn separately).

    Only order matters: with ``u_1 < ... < u_k`` the distinct event scores, a non-event is
    described by its cell, strictly between two of them (``2 i``) or equal to ``u_i``
    (``2 i + 1``), and resampling non-events is drawing the counts of the ``2 k + 1`` cells.
    """
    rng = np.random.default_rng(seed)
    m, n = len(pos), len(neg)
    u, cnt_pos = np.unique(pos, return_counts=True)
    k = u.size
    lo = np.searchsorted(u, neg, side="left")
    hi = np.searchsorted(u, neg, side="right")
    cell = np.where(hi > lo, 2 * lo + 1, 2 * lo)  # equal to u_lo, or in the gap below u_lo
    cnt_neg = np.bincount(cell, minlength=2 * k + 1)
    # D[j, c]: share of a pair (event at u_j, non-event in cell c) won by the event
    j = np.arange(k)[:, None]
    c = np.arange(2 * k + 1)[None, :]
    gap, eq = c // 2, c % 2 == 1
    D = np.where(eq, np.where(gap < j, 1.0, np.where(gap == j, 0.5, 0.0)), (gap <= j) * 1.0)
    out = np.empty(B)
    step = max(1, int(2e7 // (k * (2 * k + 1) + 1)))
    for b0 in range(0, B, step):
        nb = min(step, B - b0)
        ce = rng.multinomial(m, cnt_pos / m, size=nb).astype(float)
        cn = rng.multinomial(n, cnt_neg / n, size=nb).astype(float)
        out[b0 : b0 + nb] = ((ce @ D) * cn).sum(axis=1) / (m * n)
    return out


def _components(y: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """AUC of each score column and the DeLong placement values of events and non-events."""
    pos, neg = scores[y == 1], scores[y == 0]
    m, n = len(pos), len(neg)
    k = scores.shape[1]
    aucs = np.empty(k)
    v10 = np.empty((k, m))  # per event: share of non-events it outranks
    v01 = np.empty((k, n))  # per non-event: share of events that outrank it
    for j in range(k):
        tx = stats.rankdata(pos[:, j])
        ty = stats.rankdata(neg[:, j])
        tz = stats.rankdata(np.concatenate([pos[:, j], neg[:, j]]))
        aucs[j] = (tz[:m].sum() - m * (m + 1) / 2) / (m * n)
        v10[j] = (tz[:m] - tx) / n
        v01[j] = 1.0 - (tz[m:] - ty) / m
    return aucs, v10, v01


def _covariance(v10: np.ndarray, v01: np.ndarray) -> np.ndarray:
    m, n = v10.shape[1], v01.shape[1]
    return np.atleast_2d(np.cov(v10)) / m + np.atleast_2d(np.cov(v01)) / n


def _target_and(y: Any, event: Any, **scores: Any) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``y`` coded 0/1 (1 = event) and the scores as float arrays, matched row by row.

    Pandas scores are matched to a pandas ``y`` by index label (:func:`align_inputs`).
    """
    named = align_inputs({"y": y, **scores})
    yy = check_binary_target(named["y"], "y", event)
    out = {k: check_real_array(named[k], k, "numbers, one per row") for k in scores}
    for k, v in out.items():
        if v.ndim == 0:
            raise InvalidParameterError(f"{k} must hold one number per row; got {v.item()!r}")
    check_same_length({"y": yy, **out})
    return yy, out


def _inputs(
    y: Any, scores: Any, event: Any = None, name: str = "scores"
) -> tuple[np.ndarray, np.ndarray]:
    yy, named = _target_and(y, event, **{name: scores})
    s = named[name]
    s = s[:, None] if s.ndim == 1 else s
    if not np.isfinite(s).all():
        raise InvalidParameterError(f"{name} contains NaN or inf")
    if min(yy.sum(), (1 - yy).sum()) < 2:
        raise InvalidParameterError("y needs at least two rows of each class for a DeLong variance")
    return yy, s


@dataclass(repr=False)
class AUCResult(ResultBase):
    """AUC with its DeLong SE and an interval (logit-scale Wald, or bootstrap with few events).

    Parameters
    ----------
    estimate : float
        The AUC (the Mann-Whitney probability that an event outranks a non-event).
    se : float
        DeLong standard error.
    alpha : float
        Level of the default interval.
    n_events, n_nonevents : int
        Sizes of the two classes.
    name : str, default "auc"
        Label of the score (the ``params`` index).
    ci_method : {"delong-logit", "bootstrap-logit", "hull"}, default "delong-logit"
        The interval of :meth:`conf_int`: Wald on ``logit(AUC)`` with the DeLong SE, the
        basic stratified-bootstrap interval on the logit scale, or the smallest interval
        holding both (see the module docstring).
    boot_logits : ndarray, optional
        ``logit`` of the bootstrap AUCs (``"bootstrap-logit"`` and ``"hull"`` only).
    """

    estimate: float
    se: float
    alpha: float
    n_events: int
    n_nonevents: int
    name: str = "auc"
    ci_method: str = "delong-logit"
    boot_logits: np.ndarray | None = field(default=None, repr=False)

    def conf_int(self, alpha: float | None = None, method: str | None = None) -> ConfidenceInterval:
        """``1 - alpha`` interval of the AUC by :attr:`ci_method` (or ``method``).

        ``"delong-logit"``: ``logit^-1(logit(A) -+ z se / (A (1 - A)))`` (Wald on the logit
        with the delta-method DeLong SE). ``"bootstrap-logit"``: ``logit^-1(2 logit(A) - q)``
        at the ``1 - alpha/2`` and ``alpha/2`` quantiles ``q`` of the bootstrap
        ``logit(AUC*)`` (basic interval; only for a result that holds them). ``"hull"``:
        from the lower of the two lower bounds to the higher of the two upper bounds.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the result's ``alpha``.
        method : {"delong-logit", "bootstrap-logit", "hull"}, optional
            Defaults to :attr:`ci_method`.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` floats.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        how = self.ci_method if method is None else method
        if how not in ("delong-logit", "bootstrap-logit", "hull"):
            raise InvalidParameterError(
                f"method must be 'delong-logit', 'bootstrap-logit' or 'hull'; got {how!r}"
            )
        if how == "hull":
            a_lo, a_hi = self.conf_int(a, "delong-logit")
            b_lo, b_hi = self.conf_int(a, "bootstrap-logit")
            return ConfidenceInterval(min(a_lo, b_lo), max(a_hi, b_hi))
        if how == "bootstrap-logit":
            if self.boot_logits is None:
                raise InvalidParameterError(
                    f"this AUCResult holds no bootstrap: method={how!r} needs "
                    "auc(..., ci_method='bootstrap-logit' or 'hull')"
                )
            eps = 0.5 / (self.n_events * self.n_nonevents)
            L = float(_logit(self.estimate, eps))
            q_lo, q_hi = np.quantile(self.boot_logits, [a / 2, 1 - a / 2])
            lo, hi = 2 * L - q_hi, 2 * L - q_lo
            return ConfidenceInterval(float(1 / (1 + np.exp(-lo))), float(1 / (1 + np.exp(-hi))))
        z = stats.norm.ppf(1 - a / 2)
        p = min(max(self.estimate, 1e-12), 1 - 1e-12)
        lse = self.se / (p * (1 - p))
        lo, hi = np.log(p / (1 - p)) + np.array([-z, z]) * lse
        return ConfidenceInterval(float(1 / (1 + np.exp(-lo))), float(1 / (1 + np.exp(-hi))))

    @property
    def ci_note(self) -> str:
        """Why the interval may not hold its level here ("" when nothing to say)."""
        k = min(self.n_events, self.n_nonevents)
        if k < AUC_FEW_ROWS:
            return (
                f"only {k} rows in the smaller class: AUC intervals covered 0.92-0.98, not "
                f"{1 - self.alpha:.0%}, in simulations with 20 events"
            )
        return ""

    def summary(self) -> pd.DataFrame:
        """One row: ``estimate, se, ci_low, ci_high, n_events, n_nonevents, ci_method``.

        Returns
        -------
        pandas.DataFrame
            One row indexed by :attr:`name`: the AUC, its DeLong SE, the default interval
            (:meth:`conf_int`), the sizes of the two classes and the interval's method.
        """
        return self._frame(
            pd.Index([self.name]),
            n_events=self.n_events,
            n_nonevents=self.n_nonevents,
            ci_method=self.ci_method,
        )

    def __repr__(self) -> str:
        lo, hi = self.conf_int()
        return (
            f"AUCResult({self.name}: {self.estimate:.4f} (SE {self.se:.4f}), "
            f"{100 * (1 - self.alpha):g}% CI [{lo:.4f}, {hi:.4f}], {self.ci_method})"
            + (f"\nnote: {self.ci_note}" if self.ci_note else "")
        )


def auc(
    y: Any,
    score: Any,
    alpha: float = 0.05,
    name: str = "auc",
    *,
    event: Any = None,
    ci_method: str = "auto",
    n_resamples: int = 2000,
    random_state: int | None = 0,
) -> AUCResult:
    """AUC of ``score`` for the binary ``y`` (1 = event) with DeLong's SE.

    Parameters
    ----------
    y : array-like
        Binary target: 0/1 or boolean (1/``True`` = event), or two labels with ``event``. A
        pandas ``y`` is matched to pandas scores by index label; arrays by position.
    score : array-like
        One score per row (higher = more likely an event).
    alpha : float, default 0.05
        Level of the interval.
    name : str, default "auc"
        Label of the result.
    event : label, optional
        The event class of ``y``: needed unless ``y`` is 0/1 or boolean (then 1/``True`` is the
        event), e.g. ``event="bad"`` for a ``"good"``/``"bad"`` target.
    ci_method : {"auto", "delong-logit", "bootstrap-logit", "hull"}, default "auto"
        The interval: ``"auto"`` is ``"hull"`` (the smallest interval holding the DeLong logit
        interval and the stratified-bootstrap basic interval on the logit scale) when the
        smaller class has fewer than ``AUC_BOOTSTRAP_BELOW`` (200) rows, where the DeLong
        interval undercovers at high AUC, and ``"delong-logit"`` otherwise (see the module
        docstring).
    n_resamples : int, default 2000
        Bootstrap resamples.
    random_state : int or None, default 0
        Seed of the bootstrap (fixed: the result is reproducible).

    Returns
    -------
    AUCResult
        The AUC (``estimate``), its DeLong ``se``, the interval (``conf_int()``, method in
        ``ci_method``) and the sizes of the two classes.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 500)
    >>> r = auc(y, y + rng.normal(size=500))
    >>> 0.7 < r.estimate < 0.8 and 0.015 < r.se < 0.03
    True
    """
    validate_params(
        {
            "alpha": alpha,
            "ci_method": ci_method,
            "n_resamples": n_resamples,
            "random_state": random_state,
        },
        {
            "alpha": _ALPHA,
            "ci_method": [StrOptions({"auto", "delong-logit", "bootstrap-logit", "hull"})],
            "n_resamples": [Interval(Integral, 1, None, closed="left")],
            "random_state": [Interval(Integral, 0, None, closed="left"), None],
        },
        caller="auc",
    )
    a = check_alpha(alpha)
    yy, s = _inputs(y, score, event, "score")
    if s.shape[1] != 1:
        raise InvalidParameterError(f"score must be one column; got {s.shape[1]}")
    aucs, v10, v01 = _components(yy, s)
    se = float(np.sqrt(max(_covariance(v10, v01)[0, 0], 0.0)))
    m, n = int(yy.sum()), int((1 - yy).sum())
    how = ci_method
    if how == "auto":
        how = "hull" if min(m, n) < AUC_BOOTSTRAP_BELOW else "delong-logit"
    boot = None
    if how != "delong-logit":
        col = s[:, 0]
        aucs_b = _bootstrap_aucs(col[yy == 1], col[yy == 0], int(n_resamples), random_state)
        boot = _logit(aucs_b, 0.5 / (m * n))
    return AUCResult(float(aucs[0]), se, a, m, n, name, ci_method=how, boot_logits=boot)


@dataclass(repr=False)
class AUCDifference(ResultBase):
    """DeLong's paired test of ``AUC(a) - AUC(b)`` on the same rows.

    Parameters
    ----------
    estimate : float
        ``AUC(a) - AUC(b)``.
    se : float
        DeLong standard error of the difference (with the covariance of the two AUCs).
    statistic : float
        ``estimate / se`` (standard normal under H0: equal AUCs).
    pvalue : float
        Two-sided p-value.
    auc_a, auc_b : float
        The two AUCs.
    alpha : float, default 0.05
        Level of the default Wald interval ``estimate +/- z se``.
    name : str, default "auc_a - auc_b"
        Label of the difference (the ``params`` index).
    """

    estimate: float
    se: float
    statistic: float
    pvalue: float
    auc_a: float
    auc_b: float
    alpha: float = 0.05
    name: str = "auc_a - auc_b"

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Wald interval ``estimate +/- z_{1 - alpha/2} se``.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the result's ``alpha``.

        Returns
        -------
        ConfidenceInterval
            The named pair ``(low, high)`` of floats (not clipped to ``[-1, 1]``).
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        z = stats.norm.ppf(1 - a / 2)
        return ConfidenceInterval(self.estimate - z * self.se, self.estimate + z * self.se)

    def summary(self) -> pd.DataFrame:
        """One row: ``estimate, se, ci_low, ci_high, statistic, pvalue, auc_a, auc_b``.

        Returns
        -------
        pandas.DataFrame
            One row indexed by :attr:`name`: the difference, its DeLong SE, the default Wald
            interval, the z statistic, the two-sided p-value and the two AUCs.
        """
        return self._frame(
            pd.Index([self.name]),
            tests=("statistic", "pvalue"),
            auc_a=self.auc_a,
            auc_b=self.auc_b,
        )

    def __repr__(self) -> str:
        lo, hi = self.conf_int()
        return (
            f"AUCDifference({self.name}: {self.estimate:+.4f} (SE {self.se:.4f}), "
            f"{100 * (1 - self.alpha):g}% CI [{lo:.4f}, {hi:.4f}], z = {self.statistic:.3f}, "
            f"p = {self.pvalue:.3g})"
        )


def auc_difference(
    y: Any, score_a: Any, score_b: Any, alpha: float = 0.05, *, event: Any = None
) -> AUCDifference:
    """DeLong's paired test of ``AUC(a) - AUC(b)`` on the same rows.

    Parameters
    ----------
    y : array-like
        Binary target: 0/1 or boolean (1/``True`` = event), or two labels with ``event``. A
        pandas ``y`` is matched to pandas scores by index label; arrays by position.
    score_a, score_b : array-like
        Two scores of the same rows.
    alpha : float, default 0.05
        Level of the interval.
    event : label, optional
        The event class of ``y``: needed unless ``y`` is 0/1 or boolean (then 1/``True`` is the
        event), e.g. ``event="bad"`` for a ``"good"``/``"bad"`` target.

    Returns
    -------
    AUCDifference
        ``estimate`` (the difference), ``se``, ``statistic`` (z), two-sided ``pvalue`` and a
        Wald interval.
    """
    a = check_alpha(alpha)
    yy, ab = _target_and(y, event, score_a=score_a, score_b=score_b)
    yy, s = _inputs(yy, np.column_stack([ab["score_a"].ravel(), ab["score_b"].ravel()]))
    aucs, v10, v01 = _components(yy, s)
    cov = _covariance(v10, v01)
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    d = float(aucs[0] - aucs[1])
    se = float(np.sqrt(max(var, 0.0)))
    z = d / se if se > 0 else (0.0 if d == 0 else np.inf * np.sign(d))
    return AUCDifference(
        d, se, float(z), float(2 * stats.norm.sf(abs(z))), float(aucs[0]), float(aucs[1]), a
    )


def ks_statistic(y: Any, p: Any, *, event: Any = None) -> float:
    """Kolmogorov-Smirnov distance between the scores of events and non-events.

    Parameters
    ----------
    y : array-like
        Binary target: 0/1 or boolean (1/``True`` = event), or two labels with ``event``. A
        pandas ``y`` is matched to pandas scores by index label; arrays by position.
    p : array-like
        Scores or predicted probabilities.
    event : label, optional
        The event class of ``y``: needed unless ``y`` is 0/1 or boolean (then 1/``True`` is the
        event), e.g. ``event="bad"`` for a ``"good"``/``"bad"`` target.

    Returns
    -------
    float
        ``max_t |F_events(t) - F_nonevents(t)|`` (SciPy's two-sample KS statistic).
    """
    yy, named = _target_and(y, event, p=p)
    p = named["p"]
    return float(stats.ks_2samp(p[yy == 1], p[yy == 0]).statistic)


#: The ideal value of each calibration parameter (the null of its Wald test).
_IDEAL = {"intercept": 0.0, "slope": 1.0}


@dataclass(repr=False)
class Calibration(ResultBase):
    """Calibration of predicted probabilities: recalibration intercept and slope, ECE.

    A vector result on the index ``["intercept", "slope"]``: ``intercept`` is ``a`` in
    ``logit P(y) = a + logit(p)`` (calibration-in-the-large, 0 is ideal), ``slope`` is ``b`` in
    ``logit P(y) = a + b logit(p)`` (1 is ideal, below 1 overfit). Each comes with its GLM
    standard error and a Wald test against its ideal value.

    Parameters
    ----------
    estimate, se : Series
        Intercept and slope, and their standard errors.
    ece : float
        Expected calibration error: mean ``|observed - predicted|`` over ``n_bins`` equal-count
        bins of ``p``, weighted by size.
    mean_predicted, observed_rate : float
        Mean predicted probability and observed event rate.
    n_bins : int, default 10
        Number of equal-count bins of ``p`` behind ``ece``.
    alpha : float, default 0.05
        Level of the default intervals.
    """

    estimate: pd.Series
    se: pd.Series
    ece: float
    mean_predicted: float
    observed_rate: float
    n_bins: int = 10
    alpha: float = 0.05

    @property
    def intercept(self) -> float:
        """Calibration-in-the-large (0 is ideal)."""
        return float(self.estimate["intercept"])

    @property
    def slope(self) -> float:
        """Calibration slope (1 is ideal)."""
        return float(self.estimate["slope"])

    @property
    def statistic(self) -> pd.Series:
        """Wald z of each parameter against its ideal value (0 and 1)."""
        return (self.estimate - pd.Series(_IDEAL)) / self.se

    @property
    def pvalue(self) -> pd.Series:
        """Two-sided p-values of the Wald tests."""
        return pd.Series(2 * stats.norm.sf(np.abs(self.statistic)), index=self.estimate.index)

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Wald intervals ``estimate +/- z se`` (Series on ``["intercept", "slope"]``).

        Parameters
        ----------
        alpha : float, optional
            Defaults to the result's ``alpha``.

        Returns
        -------
        ConfidenceInterval
            The named pair ``(low, high)`` of Series on ``["intercept", "slope"]``.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        z = stats.norm.ppf(1 - a / 2)
        return ConfidenceInterval(self.estimate - z * self.se, self.estimate + z * self.se)

    def summary(self) -> pd.DataFrame:
        """One row per parameter, ``intercept`` and ``slope``, with its Wald test.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``["intercept", "slope"]``; columns ``estimate, se, ci_low, ci_high,
            statistic, pvalue`` and ``ideal`` (the value the test is against: 0 and 1).
        """
        return self._frame(tests=("statistic", "pvalue"), ideal=pd.Series(_IDEAL))

    def __repr__(self) -> str:
        return (
            f"Calibration(intercept {self.intercept:.4f} (SE {self.se['intercept']:.4f}), "
            f"slope {self.slope:.4f} (SE {self.se['slope']:.4f}), ECE {self.ece:.4f} over "
            f"{self.n_bins} bins, mean predicted {self.mean_predicted:.4f}, observed rate "
            f"{self.observed_rate:.4f})"
        )


def calibration_summary(
    y: Any, p: Any, n_bins: int = 10, alpha: float = 0.05, *, event: Any = None
) -> Calibration:
    """Calibration of predicted probabilities ``p`` on outcomes ``y``.

    Parameters
    ----------
    y : array-like
        Binary target: 0/1 or boolean (1/``True`` = event), or two labels with ``event``. A
        pandas ``y`` is matched to pandas scores by index label; arrays by position.
    p : array-like
        Predicted probabilities of the event (clipped to ``[1e-12, 1 - 1e-12]``).
    n_bins : int, default 10
        Equal-count bins of ``p`` for the expected calibration error.
    alpha : float, default 0.05
        Level of the intervals.
    event : label, optional
        The event class of ``y``: needed unless ``y`` is 0/1 or boolean (then 1/``True`` is the
        event), e.g. ``event="bad"`` for a ``"good"``/``"bad"`` target.

    Returns
    -------
    Calibration
        ``intercept`` (``a`` in ``logit P(y) = a + logit(p)``), ``slope`` (``b`` in
        ``logit P(y) = a + b logit(p)``; 1 is ideal, below 1 overfit), their SEs and tests,
        ``ece``, ``mean_predicted`` and ``observed_rate``.
    """
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    a = check_alpha(alpha)
    yy, named = _target_and(y, event, p=p)
    p = np.clip(named["p"], 1e-12, 1 - 1e-12)
    lp = special.logit(p)
    intercept = GLM(yy, np.ones((len(yy), 1)), family=families.Binomial(), offset=lp).fit()
    slope = GLM(yy, np.column_stack([np.ones(len(yy)), lp]), family=families.Binomial()).fit()
    order = np.argsort(p, kind="stable")
    ece = 0.0
    for chunk in np.array_split(order, n_bins):
        if chunk.size:
            ece += chunk.size * abs(yy[chunk].mean() - p[chunk].mean())
    index = pd.Index(["intercept", "slope"])
    return Calibration(
        pd.Series([float(intercept.params[0]), float(slope.params[1])], index=index),
        pd.Series([float(intercept.bse[0]), float(slope.bse[1])], index=index),
        ece / len(yy),
        float(p.mean()),
        float(yy.mean()),
        int(n_bins),
        a,
    )


def _ks_by_rank(y: np.ndarray, p: np.ndarray) -> float:
    """KS as the report has always printed it: the largest gap of the cumulative event and
    non-event shares down the rows sorted by ``-p`` (stable).

    It equals :func:`ks_statistic` when ``p`` has no ties; with ties it also looks inside a
    tie group (in row order), so it can exceed it (by 0.003 on 3,000 rows with ``p`` rounded to
    one decimal). Kept so that the report's numbers do not change in the refactor.
    """
    order = np.argsort(-p, kind="stable")
    cum_bad = np.cumsum(y[order]) / y.sum()
    cum_good = np.cumsum(1 - y[order]) / (1 - y).sum()
    return float(np.max(np.abs(cum_bad - cum_good)))


def holdout_metrics(
    y: Any, p: Any, alpha: float = 0.05, *, event: Any = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """AUC with DeLong CI, KS, Brier and a calibration table by decile of predicted risk.

    Parameters
    ----------
    y : array-like
        Binary target: 0/1 or boolean (1/``True`` = event), or two labels with ``event``. A
        pandas ``y`` is matched to pandas scores by index label; arrays by position.
    p : array-like
        Predicted probabilities of the event.
    alpha : float, default 0.05
        Level of the AUC interval.
    event : label, optional
        The event class of ``y``: needed unless ``y`` is 0/1 or boolean (then 1/``True`` is the
        event), e.g. ``event="bad"`` for a ``"good"``/``"bad"`` target.

    Returns
    -------
    metrics : DataFrame
        Rows ``AUC``, ``KS``, ``Brier``; columns ``value, se, ci_low, ci_high`` (SE and
        interval for the AUC only).
    calibration : DataFrame
        By decile of ``p`` (equal-count, ties broken by row order): ``n``, mean ``predicted``
        and ``observed`` rate.
    """
    y, named = _target_and(y, event, p=p)
    p = named["p"]
    a = auc(y, p, alpha=alpha)
    lo, hi = a.conf_int()
    ks = _ks_by_rank(y, p)
    brier = float(np.mean((p - y) ** 2))
    metrics = pd.DataFrame(
        {
            "value": [a.estimate, ks, brier],
            "se": [a.se, np.nan, np.nan],
            "ci_low": [lo, np.nan, np.nan],
            "ci_high": [hi, np.nan, np.nan],
        },
        index=pd.Index(["AUC", "KS", "Brier"], name="metric"),
    )
    deciles = pd.qcut(pd.Series(p).rank(method="first"), 10, labels=False)
    cal = (
        pd.DataFrame({"decile": deciles + 1, "predicted": p, "observed": y})
        .groupby("decile")
        .agg(n=("observed", "size"), predicted=("predicted", "mean"), observed=("observed", "mean"))
    )
    return metrics, cal
