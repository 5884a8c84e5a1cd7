"""The supervisor's validation tests of a PD model, each a results object (``docs/validation.md``).

Calibration (grades ``k = 1 .. K``, ``N_k`` obligors, ``D_k`` defaults, ``PD_k`` the grade's PD:
the mean of the PDs given for its rows, so a per-row model PD or the grade PD repeated):

- :func:`jeffreys_test`: p-value ``Beta(D + 1/2, N - D + 1/2).cdf(PD)`` per grade and for the
  portfolio (totals, count-weighted PD); small = the PD underestimates the default rate;
- :func:`binomial_test`: ``P[Binomial(N, PD) >= D]`` (one-sided, underestimation);
- :func:`hosmer_lemeshow`: ``Q = sum_k (D_k - N_k PD_k)^2 / (N_k PD_k (1 - PD_k))``, chi-square
  with ``K`` degrees of freedom (PDs fixed in advance) or ``K - 2`` (``fitted=True``: a model
  fitted on the same rows);
- :func:`spiegelhalter_test`: ``z = sum (y - p)(1 - 2p) / sqrt(sum p (1 - p)(1 - 2p)^2)``,
  two-sided.

Discrimination: :func:`auc_change_test` (current vs initial AUC), :func:`ks_test` (KS with a
bootstrap interval), :func:`roc_curve` and :func:`cap_curve`.

Concentration: :func:`concentration` (coefficient of variation, the normalised and the classic
Herfindahl index) and :func:`concentration_test` (increased concentration, with its minimum
attainable p-value).

Stability: :func:`migration_matrix` (obligors matched by id; matrix weighted bandwidth, share
that stayed / moved one grade / moved more).

Per-grade p-values are unadjusted; the ``pvalue_holm`` column adds Holm's adjustment over the
grades (the portfolio row is not part of the family).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from infodiv._param_validation import Interval, StrOptions, validate_params
from infodiv._validation import (
    align_inputs,
    check_alpha,
    check_binary_target,
    check_real_array,
    check_same_length,
)
from infodiv.core import ConfidenceInterval, ResultBase
from infodiv.credit._grades import check_default_flags, check_scores, jeffreys_interval
from infodiv.credit._metrics import AUCResult
from infodiv.exceptions import InvalidParameterError

__all__ = [
    "ConcentrationResult",
    "GradeTestResult",
    "KSResult",
    "MigrationResult",
    "StatTestResult",
    "auc_change_test",
    "binomial_test",
    "cap_curve",
    "concentration",
    "concentration_test",
    "hosmer_lemeshow",
    "jeffreys_test",
    "ks_test",
    "migration_matrix",
    "roc_curve",
    "spiegelhalter_test",
]

PORTFOLIO = "portfolio"


def _z(alpha: float) -> float:
    return float(stats.norm.ppf(1 - alpha / 2))


# ---------------------------------------------------------------------------- result classes
@dataclass(repr=False)
class StatTestResult(ResultBase):
    """A scalar test: estimate with SE and interval, statistic, p-value, null in words.

    Parameters
    ----------
    name : str
        Label of the test (the ``summary()`` index).
    estimate : float
        The quantity measured (see :attr:`estimate_label`).
    se : float
        Its standard error (NaN where none is meaningful).
    statistic : float
        The test statistic.
    pvalue : float
        The p-value of :attr:`null_hypothesis`.
    null_hypothesis : str
        The null hypothesis in words.
    df : float, optional
        Degrees of freedom of a chi-square statistic.
    alpha : float, default 0.05
        Level of the default interval.
    estimate_label : str, default ""
        What ``estimate`` is, in words.
    ci : callable, optional
        ``alpha -> (low, high)``; default ``estimate +/- z se`` (NaN without an SE).
    extra : dict, optional
        Further named values (columns of ``summary()`` after the contract's).
    """

    name: str
    estimate: float
    se: float
    statistic: float
    pvalue: float
    null_hypothesis: str
    df: float | None = None
    alpha: float = 0.05
    estimate_label: str = ""
    ci: Callable[[float], tuple[float, float]] | None = field(default=None, repr=False)
    extra: dict[str, Any] = field(default_factory=dict)

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """``1 - alpha`` interval of the estimate.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the result's ``alpha``.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` floats (NaN where no interval is meaningful).
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        if self.ci is not None:
            lo, hi = self.ci(a)
            return ConfidenceInterval(float(lo), float(hi))
        z = _z(a)
        return ConfidenceInterval(self.estimate - z * self.se, self.estimate + z * self.se)

    def summary(self) -> pd.DataFrame:
        """One row: ``estimate, se, ci_low, ci_high, statistic, df, pvalue``, then the extras.

        Returns
        -------
        pandas.DataFrame
            Indexed by :attr:`name`; ``df`` only for a chi-square test; then
            ``null_hypothesis`` and the result's ``extra`` values.
        """
        tests = ("statistic", "df", "pvalue") if self.df is not None else ("statistic", "pvalue")
        return self._frame(
            pd.Index([self.name]),
            tests=tests,
            null_hypothesis=self.null_hypothesis,
            **self.extra,
        )

    def __repr__(self) -> str:
        lo, hi = self.conf_int()
        df = f", df {self.df:g}" if self.df is not None else ""
        return (
            f"{type(self).__name__}({self.name}: estimate {self.estimate:.4g} (SE {self.se:.3g}), "
            f"{100 * (1 - self.alpha):g}% CI [{lo:.4g}, {hi:.4g}], statistic "
            f"{self.statistic:.4g}{df}, p = {self.pvalue:.3g})\nH0: {self.null_hypothesis}"
        )


@dataclass(repr=False)
class GradeTestResult(ResultBase):
    """A calibration test per grade and for the portfolio (Jeffreys or binomial).

    A vector result indexed by grade, then ``"portfolio"``: ``estimate`` is the observed
    default rate ``D / N``, ``se`` its binomial SE, :meth:`conf_int` the test's own interval
    (Jeffreys, or Clopper-Pearson for the binomial test), ``pvalue`` the one-sided p-value of
    "the default rate is at most the PD".

    Parameters
    ----------
    name : str
        ``"jeffreys"`` or ``"binomial"``.
    n, defaults, pd : Series
        ``N``, ``D`` and the PD of each grade and of the portfolio.
    pvalue : Series
        One-sided p-values.
    null_hypothesis : str
        The null hypothesis in words.
    alpha : float, default 0.05
        Level of the default intervals.
    """

    name: str
    n: pd.Series
    defaults: pd.Series
    pd: pd.Series
    pvalue: pd.Series
    null_hypothesis: str
    alpha: float = 0.05

    @property
    def estimate(self) -> pd.Series:
        """Observed default rate ``D / N`` of each grade and of the portfolio."""
        return self.defaults / self.n

    @property
    def se(self) -> pd.Series:
        """Binomial SE ``sqrt(r (1 - r) / N)`` of the observed default rate."""
        r = self.estimate
        return np.sqrt(r * (1 - r) / self.n)

    @property
    def statistic(self) -> pd.Series:
        """The defaults ``D`` (the statistic of both tests, given ``N`` and the PD)."""
        return self.defaults

    @property
    def pvalue_holm(self) -> pd.Series:
        """Holm-adjusted p-values over the grades (NaN on the portfolio row)."""
        p = self.pvalue.drop(PORTFOLIO)
        out = pd.Series(np.nan, index=self.pvalue.index)
        if len(p):
            out[p.index] = _holm(p.to_numpy())
        return out

    @property
    def portfolio(self) -> StatTestResult:
        """The portfolio row as a scalar :class:`StatTestResult`."""
        row = self.summary().loc[PORTFOLIO]
        return StatTestResult(
            f"{self.name} (portfolio)",
            float(row["estimate"]),
            float(row["se"]),
            float(row["statistic"]),
            float(row["pvalue"]),
            self.null_hypothesis,
            alpha=self.alpha,
            estimate_label="observed default rate",
            ci=lambda a: tuple(v[PORTFOLIO] for v in self.conf_int(a)),  # type: ignore[misc]
            extra={"n": float(row["n"]), "pd": float(row["pd"])},
        )

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Interval of each default rate: Jeffreys, or Clopper-Pearson (binomial test).

        Parameters
        ----------
        alpha : float, optional
            Defaults to the result's ``alpha``.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` Series on the grades and ``"portfolio"``.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        d, n = self.defaults.to_numpy(float), self.n.to_numpy(float)
        if self.name == "binomial":
            with np.errstate(invalid="ignore"):
                lo = np.where(d > 0, stats.beta.ppf(a / 2, d, n - d + 1), 0.0)
                hi = np.where(d < n, stats.beta.ppf(1 - a / 2, d + 1, n - d), 1.0)
        else:
            lo, hi = jeffreys_interval(d, n, a)
        idx = self.n.index
        return ConfidenceInterval(pd.Series(lo, index=idx), pd.Series(hi, index=idx))

    def summary(self) -> pd.DataFrame:
        """One row per grade, then ``"portfolio"``.

        Returns
        -------
        pandas.DataFrame
            ``estimate`` (observed default rate), ``se``, ``ci_low``, ``ci_high``,
            ``statistic`` (defaults), ``pvalue`` (one-sided, unadjusted), ``n``, ``defaults``,
            ``pd`` and ``pvalue_holm`` (Holm over the grades).
        """
        return self._frame(
            self.n.index,
            tests=("statistic", "pvalue"),
            n=self.n,
            defaults=self.defaults,
            pd=self.pd,
            pvalue_holm=self.pvalue_holm,
        )

    def __repr__(self) -> str:
        p = self.pvalue
        return (
            f"GradeTestResult({self.name}: {len(p) - 1} grades; portfolio default rate "
            f"{self.estimate[PORTFOLIO]:.4g} vs PD {self.pd[PORTFOLIO]:.4g}, p = "
            f"{p[PORTFOLIO]:.3g}; smallest Holm-adjusted grade p = "
            f"{np.nanmin(self.pvalue_holm.to_numpy()):.3g})\nH0: {self.null_hypothesis}"
        )


def _holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values."""
    m = p.size
    order = np.argsort(p, kind="stable")
    adj = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out


# ---------------------------------------------------------------------------- calibration
def _calibration_inputs(
    y: Any, pd_: Any, grades: Any, event: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, list[Any]]:
    named = align_inputs({"y": y, "pd": pd_, "grades": grades})
    yy = check_default_flags(named["y"], "y", event)
    p = check_real_array(named["pd"], "pd", "one PD per row, in [0, 1]")
    if p.ndim != 1:
        raise InvalidParameterError(f"pd must hold one PD per row; got shape {p.shape}")
    if not (np.isfinite(p).all() and ((p >= 0) & (p <= 1)).all()):
        raise InvalidParameterError("pd must hold probabilities in [0, 1] (no NaN)")
    g = named["grades"]
    check_same_length({"y": yy, "pd": p, "grades": g})
    if g is None:
        return yy, p, None, []
    if isinstance(g, pd.Series) and isinstance(g.dtype, pd.CategoricalDtype):
        levels = [c for c in g.cat.categories if (g == c).any()]
        codes = g.to_numpy(dtype=object)
    else:
        codes = np.asarray(g, dtype=object)
        if pd.isna(codes).any():
            raise InvalidParameterError("grades contains missing values; grade every row")
        try:
            levels = sorted(pd.unique(codes).tolist())
        except TypeError:
            levels = pd.unique(codes).tolist()
    if pd.isna(codes).any():
        raise InvalidParameterError("grades contains missing values; grade every row")
    return yy, p, codes, levels


def _grade_table(
    y: np.ndarray, p: np.ndarray, g: np.ndarray | None, levels: list[Any]
) -> pd.DataFrame:
    """``n``, ``defaults``, ``pd`` (mean of the rows' PDs) per grade, then the portfolio."""
    rows = {}
    if g is not None:
        for lev in levels:
            m = g == lev
            rows[lev] = (float(m.sum()), float(y[m].sum()), float(p[m].mean()))
    rows[PORTFOLIO] = (float(len(y)), float(y.sum()), float(p.mean()))
    t = pd.DataFrame.from_dict(rows, orient="index", columns=["n", "defaults", "pd"])
    t.index.name = "grade"
    return t


_H0_UNDER = (
    "the default rate is at most the PD (the PD does not underestimate the risk), in each "
    "grade and in the portfolio"
)


def jeffreys_test(
    y: Any, pd: Any, grades: Any = None, *, alpha: float = 0.05, event: Any = None
) -> GradeTestResult:
    """Test the PD of each grade and of the portfolio by the Jeffreys test (one-sided).

    With the Jeffreys prior the posterior of a grade's default rate is
    ``Beta(D + 1/2, N - D + 1/2)``; the p-value is its CDF at the grade's PD. A small p-value
    says the PD underestimates the default rate.

    Parameters
    ----------
    y : array-like
        Default flag per row (1/``True`` = default, or two labels with ``event``).
    pd : array-like
        The PD of each row (the model's, or its grade's). A grade's PD is the mean over its
        rows; the portfolio's, the mean over all rows (count-weighted).
    grades : array-like, optional
        The grade of each row (ordered labels; a pandas categorical keeps its order).
        Without it, the portfolio only.
    alpha : float, default 0.05
        Level of the intervals.
    event : label, optional
        The default value of ``y`` when it is not 0/1 or boolean.

    Returns
    -------
    GradeTestResult
        Per grade and ``"portfolio"``: observed default rate, Jeffreys interval, p-value
        (unadjusted, and Holm-adjusted over the grades).

    Examples
    --------
    >>> r = jeffreys_test([1, 0, 0, 0], [0.1, 0.1, 0.1, 0.1])
    >>> round(float(r.pvalue["portfolio"]), 4)
    0.1474
    """
    a = check_alpha(alpha)
    yy, p, g, levels = _calibration_inputs(y, pd, grades, event)
    t = _grade_table(yy, p, g, levels)
    pv = stats.beta.cdf(t["pd"], t["defaults"] + 0.5, t["n"] - t["defaults"] + 0.5)
    return GradeTestResult(
        "jeffreys",
        t["n"],
        t["defaults"],
        t["pd"],
        pd_series(pv, t.index),
        _H0_UNDER + " (Jeffreys posterior of the default rate)",
        a,
    )


def pd_series(values: Any, index: pd.Index) -> pd.Series:
    """``values`` as a float Series on ``index``."""
    return pd.Series(np.asarray(values, dtype=float), index=index)


def binomial_test(
    y: Any, pd: Any, grades: Any = None, *, alpha: float = 0.05, event: Any = None
) -> GradeTestResult:
    """One-sided binomial test of the PD per grade and for the portfolio.

    ``p = P[Binomial(N, PD) >= D]``: small when there are more defaults than the PD allows.
    Discrete: its size is at most (and with few expected defaults, well below) the level.

    Parameters
    ----------
    y : array-like
        Default flag per row (1/``True`` = default, or two labels with ``event``).
    pd : array-like
        The PD of each row (a grade's PD is the mean over its rows).
    grades : array-like, optional
        The grade of each row; without it, the portfolio only.
    alpha : float, default 0.05
        Level of the (Clopper-Pearson) intervals.
    event : label, optional
        The default value of ``y`` when it is not 0/1 or boolean.

    Returns
    -------
    GradeTestResult
        Per grade and ``"portfolio"``: observed default rate, Clopper-Pearson interval,
        p-value (unadjusted, and Holm-adjusted over the grades).

    Examples
    --------
    >>> r = binomial_test([1, 0, 0, 0], [0.1, 0.1, 0.1, 0.1])
    >>> round(float(r.pvalue["portfolio"]), 4)  # 1 - 0.9**4
    0.3439
    """
    a = check_alpha(alpha)
    yy, p, g, levels = _calibration_inputs(y, pd, grades, event)
    t = _grade_table(yy, p, g, levels)
    pv = stats.binom.sf(t["defaults"] - 1, t["n"], t["pd"])
    return GradeTestResult(
        "binomial",
        t["n"],
        t["defaults"],
        t["pd"],
        pd_series(pv, t.index),
        _H0_UNDER + " (binomial count of defaults)",
        a,
    )


def hosmer_lemeshow(
    y: Any,
    pd: Any,
    grades: Any = None,
    *,
    n_groups: int = 10,
    fitted: bool = False,
    alpha: float = 0.05,
    event: Any = None,
) -> StatTestResult:
    """Hosmer-Lemeshow chi-square test of the PDs over grades (two-sided).

    ``Q = sum_k (D_k - N_k PD_k)^2 / (N_k PD_k (1 - PD_k))``, chi-square with ``K`` degrees of
    freedom when the PDs were fixed in advance (validation on new data), ``K - 2`` with
    ``fitted=True`` (a logistic model fitted on the same rows, grouped by deciles of its
    PD: the classical Hosmer-Lemeshow test).

    Parameters
    ----------
    y : array-like
        Default flag per row.
    pd : array-like
        The PD of each row; a grade's PD is the mean over its rows.
    grades : array-like, optional
        The grade of each row. Without it, ``n_groups`` equal-count groups of ``pd``.
    n_groups : int, default 10
        Groups when ``grades`` is not given.
    fitted : bool, default False
        Whether the PDs come from a model fitted on these rows (``K - 2`` degrees of freedom).
    alpha : float, default 0.05
        Unused by the test; kept for the results contract.
    event : label, optional
        The default value of ``y`` when it is not 0/1 or boolean.

    Returns
    -------
    StatTestResult
        ``statistic`` and ``estimate`` Q, ``df``, ``pvalue``; no SE or interval. A grade
        whose PD is 0 or 1 is left out (its term is undefined) and ``extra["n_grades"]``
        counts the grades used.
    """
    validate_params(
        {"n_groups": n_groups, "fitted": fitted},
        {"n_groups": [Interval(Integral, 2, None, closed="left")], "fitted": ["boolean"]},
        caller="hosmer_lemeshow",
    )
    a = check_alpha(alpha)
    yy, p, g, levels = _calibration_inputs(y, pd, grades, event)
    if g is None:
        order = np.argsort(p, kind="stable")
        g = np.empty(len(p), dtype=object)
        for k, chunk in enumerate(np.array_split(order, int(n_groups))):
            g[chunk] = k + 1
        levels = sorted(set(g.tolist()))
    t = _grade_table(yy, p, g, levels).drop(PORTFOLIO)
    t = t[(t["pd"] > 0) & (t["pd"] < 1)]
    K = len(t)
    df = K - 2 if fitted else K
    if df < 1:
        raise InvalidParameterError(
            f"grades: Hosmer-Lemeshow needs at least {3 if fitted else 1} grades with a PD "
            f"strictly between 0 and 1; got {K}"
        )
    e = t["n"] * t["pd"]
    q = float((((t["defaults"] - e) ** 2) / (e * (1 - t["pd"]))).sum())
    return StatTestResult(
        "hosmer_lemeshow",
        q,
        np.nan,
        q,
        float(stats.chi2.sf(q, df)),
        "the PD of every grade equals its default rate (observed defaults differ from "
        "N x PD by chance only)",
        df=float(df),
        alpha=a,
        estimate_label="chi-square statistic Q",
        ci=lambda _a: (np.nan, np.nan),
        extra={"n_grades": K, "fitted": bool(fitted)},
    )


def spiegelhalter_test(
    y: Any, pd: Any, *, alpha: float = 0.05, event: Any = None
) -> StatTestResult:
    """Test obligor-level calibration by Spiegelhalter's z (two-sided).

    ``z = sum (y - p)(1 - 2p) / sqrt(sum p (1 - p)(1 - 2p)^2)``: the standardised Brier score
    (``sum (y - p)^2 - sum p (1 - p) = sum (y - p)(1 - 2p)`` for 0/1 outcomes), standard
    normal when every PD is the true probability.

    Parameters
    ----------
    y : array-like
        Default flag per row.
    pd : array-like
        The PD of each row.
    alpha : float, default 0.05
        Level of the Brier score interval.
    event : label, optional
        The default value of ``y`` when it is not 0/1 or boolean.

    Returns
    -------
    StatTestResult
        ``estimate``: the Brier score ``mean (y - p)^2`` with its SE (the SD of the squared
        errors over ``sqrt(n)``) and Wald interval; ``statistic`` z; two-sided ``pvalue``;
        ``extra["expected_brier"]`` its mean under the null, ``mean p (1 - p)``.
    """
    a = check_alpha(alpha)
    yy, p, _, _ = _calibration_inputs(y, pd, None, event)
    r = yy - p
    num = float(np.sum(r * (1 - 2 * p)))
    var = float(np.sum(p * (1 - p) * (1 - 2 * p) ** 2))
    if var <= 0:
        raise InvalidParameterError(
            "pd: every PD is 0, 1/2 or 1, where the Spiegelhalter statistic has no variance"
        )
    z = num / np.sqrt(var)
    sq = r**2
    brier = float(sq.mean())
    se = float(sq.std(ddof=1) / np.sqrt(len(sq))) if len(sq) > 1 else np.nan
    return StatTestResult(
        "spiegelhalter",
        brier,
        se,
        float(z),
        float(2 * stats.norm.sf(abs(z))),
        "every PD is the obligor's true default probability (the Brier score equals its "
        "expected value under the PDs)",
        alpha=a,
        estimate_label="Brier score",
        extra={"expected_brier": float(np.mean(p * (1 - p)))},
    )


# ---------------------------------------------------------------------------- discrimination
def auc_change_test(
    initial: AUCResult | float, current: AUCResult, *, method: str = "ecb", alpha: float = 0.05
) -> StatTestResult:
    """Test whether the AUC fell from the initial validation to the current sample (one-sided).

    ``S = (AUC_init - AUC_curr) / s``, ``p = 1 - Phi(S)``: a small p-value says the
    discrimination fell. With ``method="ecb"`` (the supervisor's instructions) ``s`` is the
    current AUC's DeLong SE alone: ``AUC_init`` is taken as a known number. With
    ``method="unpaired"``, ``s = sqrt(s_init^2 + s_curr^2)``: the two AUCs are estimates on
    independent samples (different obligors) and both errors count. The ECB version rejects
    more often than its level when ``AUC_init`` is itself a sample estimate of similar
    precision (``benchmarks/results/validation_size.txt``).

    Parameters
    ----------
    initial : AUCResult or float
        The development (initial validation) AUC: a result of :func:`~infodiv.credit.auc`,
        or a number (``method="ecb"`` only).
    current : AUCResult
        The AUC on the current sample.
    method : {"ecb", "unpaired"}, default "ecb"
        Which standard error (see above).
    alpha : float, default 0.05
        Level of the interval of ``AUC_init - AUC_curr``.

    Returns
    -------
    StatTestResult
        ``estimate`` ``AUC_init - AUC_curr``, ``se`` ``s``, ``statistic`` ``S``, one-sided
        ``pvalue``; ``extra`` the two AUCs and the method.
    """
    validate_params(
        {"method": method}, {"method": [StrOptions({"ecb", "unpaired"})]}, caller="auc_change_test"
    )
    a = check_alpha(alpha)
    if not isinstance(current, AUCResult):
        raise InvalidParameterError(
            f"current must be an AUCResult (infodiv.credit.auc(y, score)); got "
            f"{type(current).__name__}"
        )
    if isinstance(initial, AUCResult):
        a0, s0 = float(initial.estimate), float(initial.se)
    elif isinstance(initial, int | float | np.floating) and not isinstance(initial, bool):
        a0, s0 = float(initial), np.nan
        if not 0 <= a0 <= 1:
            raise InvalidParameterError(f"initial must be an AUC in [0, 1]; got {initial!r}")
        if method == "unpaired":
            raise InvalidParameterError(
                "initial: method='unpaired' needs the initial AUC's SE; pass an AUCResult"
            )
    else:
        raise InvalidParameterError(
            f"initial must be an AUCResult or a number; got {type(initial).__name__}"
        )
    s = current.se if method == "ecb" else float(np.hypot(current.se, s0))
    d = a0 - current.estimate
    if s <= 0:
        raise InvalidParameterError("current: the AUC's SE is 0, the test is undefined")
    z = d / s
    return StatTestResult(
        "auc_change" if method == "ecb" else "auc_change_unpaired",
        float(d),
        float(s),
        float(z),
        float(stats.norm.sf(z)),
        "the current AUC is at least the initial AUC (discrimination has not fallen)",
        alpha=a,
        estimate_label="AUC_init - AUC_curr",
        extra={"auc_initial": a0, "auc_current": float(current.estimate), "method": method},
    )


@dataclass(repr=False)
class KSResult(StatTestResult):
    """KS distance between the scores of defaults and non-defaults, with a bootstrap interval.

    Parameters
    ----------
    name, estimate, se, statistic, pvalue, null_hypothesis, df, alpha, estimate_label, ci, extra : object
        As in :class:`StatTestResult` (``estimate`` and ``statistic`` are the KS distance,
        ``pvalue`` SciPy's test of equal score laws).
    boot : ndarray
        The bootstrap KS values behind ``se`` and the basic interval.
    threshold : float
        The score at which the distance is largest.
    """

    boot: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    threshold: float = np.nan

    @property
    def ci_note(self) -> str:
        """Why the interval lies below the KS, when it does ("" otherwise)."""
        lo, hi = self.conf_int()
        if hi < self.estimate:
            return (
                "the interval lies below the KS: with little or no discrimination the KS is "
                "mostly its upward small-sample bias (the maximum gap of two noisy curves); "
                f"the test of no discrimination has p = {self.pvalue:.3g}"
            )
        return ""

    def __repr__(self) -> str:
        note = self.ci_note
        return super().__repr__() + (f"\nnote: {note}" if note else "")


def _ks_from_counts(c1: np.ndarray, c0: np.ndarray) -> np.ndarray:
    """KS of each row of two integer count matrices over the same ordered distinct values."""
    m1 = c1.sum(axis=-1, keepdims=True)
    m0 = c0.sum(axis=-1, keepdims=True)
    gap = np.cumsum(c1, axis=-1) * m0 - np.cumsum(c0, axis=-1) * m1
    return np.abs(gap).max(axis=-1) / (m1[..., 0] * m0[..., 0])


def ks_test(
    y: Any,
    score: Any,
    *,
    alpha: float = 0.05,
    n_resamples: int = 500,
    random_state: int | None = 0,
    event: Any = None,
) -> KSResult:
    """KS statistic with a stratified-bootstrap interval and SciPy's test of equal laws.

    The interval is the basic bootstrap interval ``[2 KS - q_hi, 2 KS - q_lo]`` (``q`` the
    bootstrap quantiles), clipped to ``[0, 1]``. The KS is a maximum over thresholds, biased
    upward, and no bootstrap interval holds its level exactly: on binormal scores (20%
    defaults, 300-1,000 rows, KS 0.08-0.55) the 95% interval covered 86.5-91%
    (``benchmarks/validation_ks_coverage.py``); the percentile interval covered 67-82%.
    Without discrimination the interval can lie below the KS (:attr:`KSResult.ci_note`).

    Parameters
    ----------
    y : array-like
        Default flag per row.
    score : array-like
        One score per row (either direction: the KS is symmetric).
    alpha : float, default 0.05
        Level of the interval.
    n_resamples : int, default 500
        Bootstrap resamples (defaults and non-defaults resampled separately).
    random_state : int or None, default 0
        Seed of the bootstrap.
    event : label, optional
        The default value of ``y`` when it is not 0/1 or boolean.

    Returns
    -------
    KSResult
        ``estimate`` and ``statistic`` the KS distance, ``se`` the bootstrap SD, the basic
        bootstrap interval, ``pvalue`` of :func:`scipy.stats.ks_2samp` (equal score laws).
    """
    validate_params(
        {"n_resamples": n_resamples, "random_state": random_state},
        {
            "n_resamples": [Interval(Integral, 20, None, closed="left")],
            "random_state": [Interval(Integral, 0, None, closed="left"), None],
        },
        caller="ks_test",
    )
    a = check_alpha(alpha)
    named = align_inputs({"y": y, "score": score})
    yy = check_binary_target(named["y"], "y", event)
    s = check_scores(named["score"])
    check_same_length({"y": yy, "score": s})
    if min(yy.sum(), (1 - yy).sum()) < 1:
        raise InvalidParameterError("y needs rows of both classes for a KS statistic")
    res = stats.ks_2samp(s[yy == 1], s[yy == 0])
    u, inv = np.unique(s, return_inverse=True)
    c1 = np.bincount(inv[yy == 1], minlength=u.size).astype(float)
    c0 = np.bincount(inv[yy == 0], minlength=u.size).astype(float)
    gaps = np.abs(np.cumsum(c1) / c1.sum() - np.cumsum(c0) / c0.sum())
    ks = float(gaps.max())
    rng = np.random.default_rng(random_state)
    B = int(n_resamples)
    boot = np.empty(B)
    i1, i0 = inv[yy == 1], inv[yy == 0]
    m1, m0 = i1.size, i0.size
    U = u.size
    step = max(1, int(2e6 // (max(m1, m0) + U)))
    for b0 in range(0, B, step):
        nb = min(step, B - b0)
        off = (np.arange(nb) * U)[:, None]
        r1 = np.bincount((i1[rng.integers(0, m1, (nb, m1))] + off).ravel(), minlength=nb * U)
        r0 = np.bincount((i0[rng.integers(0, m0, (nb, m0))] + off).ravel(), minlength=nb * U)
        boot[b0 : b0 + nb] = _ks_from_counts(r1.reshape(nb, U), r0.reshape(nb, U))

    def ci(al: float) -> tuple[float, float]:
        # basic (reverse-percentile) interval: the bootstrap KS values sit above the KS as
        # the KS sits above its population value (a maximum over thresholds)
        q_lo, q_hi = np.quantile(boot, [al / 2, 1 - al / 2])
        return float(max(2 * ks - q_hi, 0.0)), float(min(2 * ks - q_lo, 1.0))

    return KSResult(
        "ks",
        ks,
        float(boot.std(ddof=1)),
        ks,
        float(res.pvalue),
        "defaults and non-defaults have the same score distribution (no discrimination)",
        alpha=a,
        estimate_label="KS distance",
        ci=ci,
        extra={"n_events": m1, "n_nonevents": m0},
        boot=boot,
        threshold=float(u[int(np.argmax(gaps))]),
    )


def _curve_inputs(y: Any, score: Any, event: Any) -> tuple[np.ndarray, np.ndarray]:
    named = align_inputs({"y": y, "score": score})
    yy = check_binary_target(named["y"], "y", event)
    s = check_scores(named["score"])
    check_same_length({"y": yy, "score": s})
    if min(yy.sum(), (1 - yy).sum()) < 1:
        raise InvalidParameterError("y needs rows of both classes for a curve")
    return yy, s


def _thin(frame: pd.DataFrame, max_points: int | None) -> pd.DataFrame:
    if max_points is None or len(frame) <= max_points:
        return frame.reset_index(drop=True)
    keep = np.unique(np.linspace(0, len(frame) - 1, int(max_points)).round().astype(int))
    return frame.iloc[keep].reset_index(drop=True)


def roc_curve(
    y: Any, score: Any, *, max_points: int | None = None, event: Any = None
) -> pd.DataFrame:
    """The ROC curve: false and true positive rates at every distinct score threshold.

    Parameters
    ----------
    y : array-like
        Default flag per row.
    score : array-like
        One score per row, higher = riskier.
    max_points : int, optional
        Keep at most this many points (evenly spaced along the curve, both ends kept).
    event : label, optional
        The default value of ``y`` when it is not 0/1 or boolean.

    Returns
    -------
    pandas.DataFrame
        ``threshold`` (rows with ``score >= threshold`` are flagged; ``inf`` first),
        ``fpr`` and ``tpr``, from ``(0, 0)`` to ``(1, 1)``.
    """
    yy, s = _curve_inputs(y, score, event)
    u, inv = np.unique(s, return_inverse=True)
    c1 = np.bincount(inv, weights=yy, minlength=u.size)[::-1]
    c0 = np.bincount(inv, weights=1 - yy, minlength=u.size)[::-1]
    tpr = np.concatenate([[0.0], np.cumsum(c1) / c1.sum()])
    fpr = np.concatenate([[0.0], np.cumsum(c0) / c0.sum()])
    thr = np.concatenate([[np.inf], u[::-1]])
    return _thin(pd.DataFrame({"threshold": thr, "fpr": fpr, "tpr": tpr}), max_points)


def cap_curve(
    y: Any, score: Any, *, max_points: int | None = None, event: Any = None
) -> pd.DataFrame:
    """The CAP (cumulative accuracy profile, Lorenz) curve.

    Rows sorted from the riskiest score down: the share of all rows against the share of all
    defaults among them (tied scores enter together). The accuracy ratio is
    ``(area under CAP - 1/2) / (area under the perfect CAP - 1/2)`` = ``2 AUC - 1`` (Gini).

    Parameters
    ----------
    y : array-like
        Default flag per row.
    score : array-like
        One score per row, higher = riskier.
    max_points : int, optional
        Keep at most this many points.
    event : label, optional
        The default value of ``y`` when it is not 0/1 or boolean.

    Returns
    -------
    pandas.DataFrame
        ``threshold``, ``share_population`` and ``share_defaults``, from ``(0, 0)`` to
        ``(1, 1)``.
    """
    yy, s = _curve_inputs(y, score, event)
    u, inv = np.unique(s, return_inverse=True)
    c1 = np.bincount(inv, weights=yy, minlength=u.size)[::-1]
    c = np.bincount(inv, minlength=u.size)[::-1].astype(float)
    return _thin(
        pd.DataFrame(
            {
                "threshold": np.concatenate([[np.inf], u[::-1]]),
                "share_population": np.concatenate([[0.0], np.cumsum(c) / c.sum()]),
                "share_defaults": np.concatenate([[0.0], np.cumsum(c1) / c1.sum()]),
            }
        ),
        max_points,
    )


# ---------------------------------------------------------------------------- concentration
_CONC_INDEX = pd.Index(["cv", "herfindahl", "herfindahl_classic"], name="measure")


@dataclass(repr=False)
class ConcentrationResult(ResultBase):
    """Concentration of the grade distribution: CV and the two Herfindahl indices.

    A vector result on ``["cv", "herfindahl", "herfindahl_classic"]``: the coefficient of
    variation ``CV = sqrt(K sum_k (R_k - 1/K)^2)`` of the shares ``R_k = N_k / N``, the
    supervisor's normalised Herfindahl index ``HI = 1 + ln((CV^2 + 1) / K) / ln K`` (0 for
    equal shares, 1 for one grade) and the classic ``sum_k R_k^2``. SEs by the delta method
    under multinomial sampling of the ``N`` obligors; Wald intervals clipped to the range.

    Parameters
    ----------
    counts : Series
        ``N_k`` per grade.
    alpha : float, default 0.05
        Level of the intervals.
    """

    counts: pd.Series
    alpha: float = 0.05

    @property
    def n_grades(self) -> int:
        """``K``."""
        return len(self.counts)

    @property
    def shares(self) -> pd.Series:
        """``R_k = N_k / N``."""
        return self.counts / self.counts.sum()

    @property
    def cv(self) -> float:
        """Coefficient of variation of the shares."""
        return float(self.estimate["cv"])

    @property
    def herfindahl(self) -> float:
        """The normalised Herfindahl index (the supervisor's ``HI``)."""
        return float(self.estimate["herfindahl"])

    @property
    def herfindahl_classic(self) -> float:
        """``sum_k R_k^2``."""
        return float(self.estimate["herfindahl_classic"])

    @property
    def estimate(self) -> pd.Series:
        """``cv``, ``herfindahl`` (normalised), ``herfindahl_classic``."""
        r = self.shares.to_numpy(float)
        K = r.size
        h = float(np.sum(r**2))
        cv = float(np.sqrt(K * np.sum((r - 1 / K) ** 2)))
        hi = 1 + np.log(h) / np.log(K)
        return pd.Series([cv, hi, h], index=_CONC_INDEX)

    @property
    def se(self) -> pd.Series:
        """Delta-method SEs (multinomial shares): ``var(H) = 4 (sum R^3 - (sum R^2)^2) / N``."""
        r = self.shares.to_numpy(float)
        K, N = r.size, float(self.counts.sum())
        h = float(np.sum(r**2))
        var_h = max(4 * (float(np.sum(r**3)) - h**2) / N, 0.0)
        se_h = np.sqrt(var_h)
        cv = np.sqrt(max(K * h - 1, 0.0))
        se_cv = K * se_h / (2 * cv) if cv > 0 else np.nan
        se_hi = se_h / (h * np.log(K))
        return pd.Series([se_cv, se_hi, se_h], index=_CONC_INDEX)

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Wald intervals clipped to each measure's range.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the result's ``alpha``.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` Series on the three measures.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        z = _z(a)
        K = self.n_grades
        lo_b = pd.Series([0.0, 0.0, 1 / K], index=_CONC_INDEX)
        hi_b = pd.Series([np.sqrt(K - 1), 1.0, 1.0], index=_CONC_INDEX)
        e, s = self.estimate, self.se
        return ConfidenceInterval(np.maximum(e - z * s, lo_b), np.minimum(e + z * s, hi_b))

    def summary(self) -> pd.DataFrame:
        """One row per measure: ``estimate, se, ci_low, ci_high`` and ``n_grades``.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``["cv", "herfindahl", "herfindahl_classic"]``.
        """
        return self._frame(_CONC_INDEX, n_grades=self.n_grades, n=float(self.counts.sum()))

    def __repr__(self) -> str:
        e = self.estimate
        return (
            f"ConcentrationResult({self.n_grades} grades, N = {int(self.counts.sum())}: CV "
            f"{e['cv']:.4f}, Herfindahl (normalised) {e['herfindahl']:.4f}, classic "
            f"{e['herfindahl_classic']:.4f})"
        )


def concentration(
    grades: Any = None,
    *,
    counts: Any = None,
    levels: Sequence[Any] | None = None,
    alpha: float = 0.05,
) -> ConcentrationResult:
    """Concentration of a grade distribution (see :class:`ConcentrationResult`).

    Parameters
    ----------
    grades : array-like, optional
        The grade of each obligor.
    counts : array-like or Series, optional
        Obligors per grade instead of ``grades`` (a Series keeps its index as the grades).
    levels : sequence, optional
        Every grade of the scale, so that empty grades count in ``K`` (default: the grades
        seen, or the index of ``counts``).
    alpha : float, default 0.05
        Level of the intervals.

    Returns
    -------
    ConcentrationResult
        CV, normalised and classic Herfindahl index with SEs and intervals.

    Examples
    --------
    >>> r = concentration(counts=[25, 25, 25, 25])
    >>> round(r.cv, 6), round(r.herfindahl, 6), r.herfindahl_classic
    (0.0, 0.0, 0.25)
    """
    a = check_alpha(alpha)
    if (grades is None) == (counts is None):
        raise InvalidParameterError("give grades (one per obligor) or counts (one per grade)")
    if counts is not None:
        idx = counts.index if isinstance(counts, pd.Series) else None
        c = check_real_array(counts, "counts", "obligors per grade")
        c = np.atleast_1d(c).ravel()
        if not (np.isfinite(c).all() and (c >= 0).all()):
            raise InvalidParameterError("counts must be finite and non-negative")
        cs = pd.Series(c, index=idx if idx is not None else pd.RangeIndex(1, c.size + 1))
        if levels is not None:
            cs = cs.reindex(list(levels), fill_value=0.0)
    else:
        g = pd.Series(np.asarray(grades, dtype=object))
        if g.isna().any():
            raise InvalidParameterError("grades contains missing values; grade every obligor")
        vc = g.value_counts()
        if levels is None:
            try:
                levels = sorted(vc.index.tolist())
            except TypeError:
                levels = vc.index.tolist()
        unknown = set(vc.index) - set(levels)
        if unknown:
            raise InvalidParameterError(
                f"grades holds values not in levels: {sorted(map(str, unknown))}"
            )
        cs = vc.reindex(list(levels), fill_value=0).astype(float)
    cs.index.name = "grade"
    if len(cs) < 2:
        raise InvalidParameterError(f"concentration needs at least 2 grades; got {len(cs)}")
    if cs.sum() <= 0:
        raise InvalidParameterError("counts: no obligor in any grade")
    return ConcentrationResult(cs, a)


def concentration_test(
    initial: ConcentrationResult, current: ConcentrationResult, *, alpha: float = 0.05
) -> StatTestResult:
    """Test of increased concentration of the grades, initial vs current (one-sided).

    ``z = sqrt(K - 1) (CV_curr - CV_init) / sqrt(CV_curr^2 (0.5 + CV_curr^2))``,
    ``p = 1 - Phi(z)``. The statistic ignores the number of obligors: its size under the
    null of an unchanged distribution is not controlled (it depends on ``N``), and for some
    initial distributions no current distribution can reject. ``extra["min_pvalue"]`` is
    the smallest p-value any current distribution of ``K`` grades can give, ``1 - Phi(max_c
    z(c))`` over ``c`` in ``[0, sqrt(K - 1)]`` (the attainable CVs).

    Parameters
    ----------
    initial, current : ConcentrationResult
        The two grade distributions (the same number of grades).
    alpha : float, default 0.05
        Level of the interval of ``CV_curr - CV_init``.

    Returns
    -------
    StatTestResult
        ``estimate`` ``CV_curr - CV_init``, ``se`` the statistic's denominator over
        ``sqrt(K - 1)``, ``statistic`` z, one-sided ``pvalue``; ``extra``: ``min_pvalue``,
        ``cv_initial``, ``cv_current``.
    """
    a = check_alpha(alpha)
    for name, r in (("initial", initial), ("current", current)):
        if not isinstance(r, ConcentrationResult):
            raise InvalidParameterError(
                f"{name} must be a ConcentrationResult (infodiv.credit.concentration); got "
                f"{type(r).__name__}"
            )
    K = initial.n_grades
    if current.n_grades != K:
        raise InvalidParameterError(
            f"current has {current.n_grades} grades, initial {K}: give both on the same scale "
            "(levels=)"
        )
    c0, c1 = initial.cv, current.cv

    def z_of(c: float) -> float:
        den = np.sqrt(c**2 * (0.5 + c**2))
        if den == 0:
            return 0.0 if c == c0 else -np.inf
        return float(np.sqrt(K - 1) * (c - c0) / den)

    den = np.sqrt(c1**2 * (0.5 + c1**2))
    z = z_of(c1)
    se = float(den / np.sqrt(K - 1)) if den > 0 else np.nan
    cmax = np.sqrt(K - 1)
    grid = np.linspace(0, cmax, 2001)[1:]
    zs = np.sqrt(K - 1) * (grid - c0) / np.sqrt(grid**2 * (0.5 + grid**2))
    j = int(np.argmax(zs))
    lo_c, hi_c = grid[max(j - 1, 0)], grid[min(j + 1, grid.size - 1)]
    best = optimize.minimize_scalar(lambda c: -z_of(c), bounds=(lo_c, hi_c), method="bounded")
    zmax = max(float(zs[j]), -float(best.fun))
    return StatTestResult(
        "concentration_increase",
        float(c1 - c0),
        se,
        float(z),
        float(stats.norm.sf(z)),
        "the grade distribution is not more concentrated than at the initial validation "
        "(CV_curr <= CV_init)",
        alpha=a,
        estimate_label="CV_curr - CV_init",
        extra={
            "min_pvalue": float(stats.norm.sf(zmax)),
            "cv_initial": float(c0),
            "cv_current": float(c1),
            "n_grades": K,
        },
    )


# ---------------------------------------------------------------------------- migration
_MIG_INDEX = pd.Index(
    ["stayed", "moved_one", "moved_more", "mwb_upper", "mwb_lower"], name="measure"
)


@dataclass(repr=False)
class MigrationResult(ResultBase):
    """Migration matrix of grades between two snapshots of the same obligors (matched by id).

    A vector result on ``["stayed", "moved_one", "moved_more", "mwb_upper", "mwb_lower"]``:
    the shares of matched obligors that kept their grade, moved one grade, moved more (with
    binomial SEs), and the matrix weighted bandwidths above and below the diagonal (ECB
    instructions, 2019):

    ``MWB_upper = sum_{i<j} |i - j| N_ij / sum_{i<j} max(|i - K|, |i - 1|) N_ij``

    and the same over ``i > j`` for ``MWB_lower``, in ``[0, 1]`` (0 = no migration). Their SEs
    are delta-method (ratio estimator, rows multinomial given the initial grades).

    Parameters
    ----------
    counts : DataFrame
        ``K x K`` counts, rows the initial grade, columns the current grade.
    unmatched_before, unmatched_after : list
        Ids in only one snapshot.
    alpha : float, default 0.05
        Level of the intervals.
    """

    counts: pd.DataFrame
    unmatched_before: list[Any]
    unmatched_after: list[Any]
    alpha: float = 0.05

    @property
    def n_matched(self) -> int:
        """Obligors in both snapshots."""
        return int(self.counts.to_numpy().sum())

    @property
    def shares(self) -> pd.DataFrame:
        """Row shares of the matrix (each initial grade's distribution of current grades)."""
        c = self.counts
        return c.div(c.sum(axis=1).replace(0, np.nan), axis=0)

    def _parts(self) -> tuple[np.ndarray, np.ndarray]:
        n = self.counts.to_numpy(float)
        K = n.shape[0]
        i = np.arange(1, K + 1)[:, None]
        j = np.arange(1, K + 1)[None, :]
        dist = np.abs(i - j).astype(float)
        m = np.maximum(np.abs(i - K), np.abs(i - 1)).astype(float) * np.ones_like(dist)
        return dist, m

    def _mwb(self, upper: bool) -> tuple[float, float]:
        n = self.counts.to_numpy(float)
        dist, m = self._parts()
        K = n.shape[0]
        mask = np.triu(np.ones((K, K), bool), 1) if upper else np.tril(np.ones((K, K), bool), -1)
        A = float((dist * n)[mask].sum())
        B = float((m * n)[mask].sum())
        if B == 0:
            return 0.0, 0.0
        R = A / B
        # linearised ratio: obligor contribution u = (dist - R m) 1[cell in mask]; rows iid
        u = np.where(mask, dist - R * m, 0.0)
        var = 0.0
        for r in range(K):
            nr = n[r].sum()
            if nr < 2:
                continue
            p = n[r] / nr
            mu = float((p * u[r]).sum())
            var += nr * float((p * (u[r] - mu) ** 2).sum())
        return R, float(np.sqrt(var) / B)

    @property
    def estimate(self) -> pd.Series:
        """Shares stayed / moved one / moved more, and the two bandwidths."""
        n = self.counts.to_numpy(float)
        dist, _ = self._parts()
        tot = n.sum()
        stay = float(n[dist == 0].sum() / tot)
        one = float(n[dist == 1].sum() / tot)
        more = float(n[dist >= 2].sum() / tot)
        return pd.Series(
            [stay, one, more, self._mwb(True)[0], self._mwb(False)[0]], index=_MIG_INDEX
        )

    @property
    def se(self) -> pd.Series:
        """Binomial SEs of the shares; delta-method SEs of the bandwidths."""
        e = self.estimate
        N = self.n_matched
        s = np.sqrt(e[:3] * (1 - e[:3]) / N)
        return pd.Series([*s.tolist(), self._mwb(True)[1], self._mwb(False)[1]], index=_MIG_INDEX)

    @property
    def mwb_upper(self) -> float:
        """Matrix weighted bandwidth above the diagonal (moves to worse grades)."""
        return float(self.estimate["mwb_upper"])

    @property
    def mwb_lower(self) -> float:
        """Matrix weighted bandwidth below the diagonal (moves to better grades)."""
        return float(self.estimate["mwb_lower"])

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Wald intervals clipped to ``[0, 1]``.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the result's ``alpha``.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` Series on the five measures.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        z = _z(a)
        e, s = self.estimate, self.se
        return ConfidenceInterval((e - z * s).clip(lower=0.0), (e + z * s).clip(upper=1.0))

    def summary(self) -> pd.DataFrame:
        """One row per measure, with ``n_matched`` and the unmatched counts.

        Returns
        -------
        pandas.DataFrame
            Indexed by measure: ``estimate, se, ci_low, ci_high``, ``n_matched``,
            ``n_unmatched_before``, ``n_unmatched_after``.
        """
        return self._frame(
            _MIG_INDEX,
            n_matched=self.n_matched,
            n_unmatched_before=len(self.unmatched_before),
            n_unmatched_after=len(self.unmatched_after),
        )

    def __repr__(self) -> str:
        e = self.estimate
        return (
            f"MigrationResult({self.counts.shape[0]} grades, {self.n_matched} obligors matched, "
            f"{len(self.unmatched_before)} only before, {len(self.unmatched_after)} only after: "
            f"stayed {e['stayed']:.3f}, moved one {e['moved_one']:.3f}, moved more "
            f"{e['moved_more']:.3f}; MWB upper {e['mwb_upper']:.3f}, lower {e['mwb_lower']:.3f})"
        )


def _id_grades(x: Any, name: str, id: str | None, grade: str | None) -> pd.Series:
    """Grades indexed by id from a DataFrame (``id``, ``grade`` columns) or an id-indexed Series."""
    if isinstance(x, pd.DataFrame):
        for arg, col in (("id", id), ("grade", grade)):
            if col is None:
                raise InvalidParameterError(
                    f"{arg}: {name} is a DataFrame; name its {arg} column ({arg}=...)"
                )
            if col not in x.columns:
                raise InvalidParameterError(f"{arg}: column {col!r} not found in {name}")
        s = pd.Series(x[grade].to_numpy(), index=pd.Index(x[id].to_numpy(), name="id"))
    elif isinstance(x, pd.Series):
        s = x
    else:
        raise InvalidParameterError(
            f"{name} must be a DataFrame (with id= and grade= columns) or a Series of grades "
            f"indexed by id; got {type(x).__name__}. Obligors are matched by id, never by "
            "position"
        )
    if s.index.hasnans:
        raise InvalidParameterError(f"id: {name} has missing ids")
    if s.index.has_duplicates:
        dup = s.index[s.index.duplicated()].unique().tolist()[:5]
        raise InvalidParameterError(
            f"id: {name} has duplicated ids (e.g. {dup}); ids must be unique"
        )
    if s.isna().any():
        raise InvalidParameterError(f"grade: {name} has missing grades")
    return s


def migration_matrix(
    before: Any,
    after: Any,
    *,
    id: str | None = None,
    grade: str | None = None,
    levels: Sequence[Any] | None = None,
    alpha: float = 0.05,
) -> MigrationResult:
    """Migration matrix between two snapshots, obligors matched by id (never by position).

    Parameters
    ----------
    before, after : DataFrame or Series
        The two snapshots: DataFrames with an ``id`` and a ``grade`` column, or Series of
        grades indexed by id. Ids must be unique within a snapshot; ids in one snapshot only
        are left out and reported (``unmatched_before``, ``unmatched_after``).
    id, grade : str, optional
        Column names (DataFrames only).
    levels : sequence, optional
        The grades in order, best first (default: the sorted grades seen in either
        snapshot). The bandwidths use the positions ``1 .. K`` in this order.
    alpha : float, default 0.05
        Level of the intervals.

    Returns
    -------
    MigrationResult
        ``counts`` (rows: grade before, columns: grade after), ``shares``, the measures and
        the unmatched ids.
    """
    a = check_alpha(alpha)
    b = _id_grades(before, "before", id, grade)
    c = _id_grades(after, "after", id, grade)
    common = b.index.intersection(c.index)
    if len(common) == 0:
        raise InvalidParameterError(
            "id: no id is in both snapshots; a migration matrix needs the same obligors at two "
            "dates"
        )
    only_b = b.index.difference(c.index).tolist()
    only_a = c.index.difference(b.index).tolist()
    gb, ga = b.loc[common].to_numpy(), c.loc[common].to_numpy()
    if levels is None:
        seen = pd.unique(np.concatenate([b.to_numpy(object), c.to_numpy(object)]))
        try:
            levels = sorted(seen.tolist())
        except TypeError:
            levels = seen.tolist()
    levels = list(levels)
    unknown = (set(pd.unique(gb)) | set(pd.unique(ga))) - set(levels)
    if unknown:
        raise InvalidParameterError(f"levels: grades {sorted(map(str, unknown))} are not in levels")
    if len(levels) < 2:
        raise InvalidParameterError(
            f"levels: a migration matrix needs at least 2 grades; got {levels}"
        )
    pos = {lev: k for k, lev in enumerate(levels)}
    K = len(levels)
    ib = np.array([pos[v] for v in gb])
    ia = np.array([pos[v] for v in ga])
    n = np.zeros((K, K))
    np.add.at(n, (ib, ia), 1.0)
    counts = pd.DataFrame(
        n, index=pd.Index(levels, name="grade_before"), columns=pd.Index(levels, name="grade_after")
    )
    return MigrationResult(counts, only_b, only_a, a)
