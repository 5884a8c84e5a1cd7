"""Holdout metrics of a score: AUC (DeLong), DeLong's paired test, KS, calibration.

DeLong, DeLong & Clarke-Pearson (1988): the AUC is a two-sample U-statistic; its variance is
estimated from the structural components (placement values) of the events and non-events,
computed here with midranks in ``O(n log n)`` (Sun & Xu, 2014).

The AUC interval (``ci_method="delong-wilson"``) is a Wilson score interval on the DeLong
effective size ``n* = AUC (1 - AUC) / SE^2`` with a Student-t quantile, its degrees of freedom
Satterthwaite's for the two placement-value variances (``SE^2 = s10/m + s01/n``, df
``SE^4 / ((s10/m)^2/(m-1) + (s01/n)^2/(n-1))``, about the number of events when they are
rare): the Korn-Graubard construction for a proportion under a design effect. It stays inside
(0, 1) and, unlike the Wald interval on the logit of the AUC (``"delong-logit"``, kept as a
method of :meth:`AUCResult.conf_int`), holds with few events and a high AUC: binormal scores,
10 non-events per event, 2,000 replications, the logit interval covers 0.90-0.93 at AUC
0.95-0.97 with 20-40 events, this one 0.94-0.95 (0.94-0.97 over events 20-400 and AUC
0.6-0.97; ``benchmarks/coverage_designs/weights_auc.py``). With no spread in the placement
values (``SE = 0``, e.g. perfect separation) ``n*`` is the smaller class size.

Calibration (:func:`calibration_summary`) is the logistic recalibration
``logit P(y) = a + b logit(p)``: intercept ``a`` with the slope fixed at 1
(calibration-in-the-large) and slope ``b``, each with its GLM standard error and a Wald test
against its ideal value (0 and 1), plus the expected calibration error over equal-count bins.
:func:`holdout_metrics` puts AUC, KS, Brier and a calibration table by decile together (the
report's table).
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from infodiv._param_validation import Interval, validate_params
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


def _effective_size(A: float, se: float, m: int, n: int) -> float:
    """DeLong effective size ``A (1 - A) / se^2``; the smaller class size when it is 0/0."""
    if se > 0 and 0 < A < 1:
        return A * (1 - A) / se**2
    return float(max(min(m, n), 1))


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
    """AUC with its DeLong SE and a Wilson score interval on the DeLong effective size.

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
    df : float, default inf
        Satterthwaite degrees of freedom of the DeLong variance (``inf``: normal quantile).
    ci_method : {"delong-wilson", "delong-logit"}, default "delong-wilson"
        The default interval: Wilson score on the effective size ``AUC (1 - AUC) / se^2``
        with a t quantile on ``df`` (see the module docstring), or Wald on ``logit(AUC)``.
    """

    estimate: float
    se: float
    alpha: float
    n_events: int
    n_nonevents: int
    name: str = "auc"
    df: float = float("inf")
    ci_method: str = "delong-wilson"

    def conf_int(
        self, alpha: float | None = None, method: str | None = None
    ) -> ConfidenceInterval:
        """``1 - alpha`` interval of the AUC by :attr:`ci_method` (or ``method``).

        ``"delong-wilson"``: with ``n* = A (1 - A) / se^2`` and ``q`` the ``1 - alpha/2``
        quantile of Student's t on :attr:`df`, the ``theta`` with ``(A - theta)^2 <=
        q^2 theta (1 - theta) / n*`` (Wilson's score interval). ``"delong-logit"``: Wald on
        ``logit(A)`` with the delta-method SE ``se / (A (1 - A))``, normal quantile, mapped
        back.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the result's ``alpha``.
        method : {"delong-wilson", "delong-logit"}, optional
            Defaults to :attr:`ci_method`.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` floats.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        how = self.ci_method if method is None else method
        if how not in ("delong-wilson", "delong-logit"):
            raise InvalidParameterError(
                f"method must be 'delong-wilson' or 'delong-logit'; got {how!r}"
            )
        p = min(max(self.estimate, 1e-12), 1 - 1e-12)
        if how == "delong-logit":
            z = stats.norm.ppf(1 - a / 2)
            lse = self.se / (p * (1 - p))
            lo, hi = np.log(p / (1 - p)) + np.array([-z, z]) * lse
            return ConfidenceInterval(
                float(1 / (1 + np.exp(-lo))), float(1 / (1 + np.exp(-hi)))
            )
        A = self.estimate
        q = float(stats.t.ppf(1 - a / 2, self.df)) if np.isfinite(self.df) else float(
            stats.norm.ppf(1 - a / 2)
        )
        n_star = _effective_size(A, self.se, self.n_events, self.n_nonevents)
        c = q * q / n_star
        mid = (A + c / 2) / (1 + c)
        half = np.sqrt(c * A * (1 - A) + c * c / 4) / (1 + c)
        return ConfidenceInterval(float(max(mid - half, 0.0)), float(min(mid + half, 1.0)))

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
            f"{100 * (1 - self.alpha):g}% CI [{lo:.4f}, {hi:.4f}])"
        )


def auc(
    y: Any, score: Any, alpha: float = 0.05, name: str = "auc", *, event: Any = None
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

    Returns
    -------
    AUCResult
        The AUC (``estimate``), its DeLong ``se``, a logit-scale Wald interval
        (``conf_int()``) and the sizes of the two classes.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 500)
    >>> r = auc(y, y + rng.normal(size=500))
    >>> 0.7 < r.estimate < 0.8 and 0.015 < r.se < 0.03
    True
    """
    validate_params({"alpha": alpha}, {"alpha": _ALPHA}, caller="auc")
    a = check_alpha(alpha)
    yy, s = _inputs(y, score, event, "score")
    if s.shape[1] != 1:
        raise InvalidParameterError(f"score must be one column; got {s.shape[1]}")
    aucs, v10, v01 = _components(yy, s)
    m, n = v10.shape[1], v01.shape[1]
    s10, s01 = float(np.var(v10[0], ddof=1)) / m, float(np.var(v01[0], ddof=1)) / n
    var = s10 + s01
    # Satterthwaite degrees of freedom of the two-component DeLong variance
    df = var**2 / (s10**2 / (m - 1) + s01**2 / (n - 1)) if var > 0 else float(min(m, n) - 1)
    return AUCResult(
        float(aucs[0]), float(np.sqrt(var)), a, m, n, name, df=float(df)
    )


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
