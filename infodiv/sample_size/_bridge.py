"""The bridge from the p-n criterion to binned IV/PSI estimates: affordable bins, data-starved
results.

Binning bridge
--------------
A feature with K bins is a (K-1)-parameter multinomial: the largest K it can afford at
tolerance epsilon is :func:`max_affordable_bins`. The same ``K - 1`` drives the upward bias of
IV/PSI, ``(K - 1)(1/n1 + 1/n2)`` = twice the sum of the two samples' first-order estimation
risks; :func:`data_starved` says whether either sample's bin distribution fails the criterion.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from infodiv._validation import _show
from infodiv.core import (
    ConfidenceInterval,
    DivergenceResult,
    ResultBase,
    affordable_bins,
    summarize,
)
from infodiv.exceptions import InvalidParameterError
from infodiv.sample_size._expansion import (
    _check_epsilon,
    _check_order,
    categorical_coefficients,
    n_required,
)

__all__ = ["DataStarvedResult", "data_starved", "data_starved_summary", "max_affordable_bins"]


# --------------------------------------------------------------------------------------------
# Binning bridge
# --------------------------------------------------------------------------------------------


def _sample_sizes(counts_or_n: Any) -> float:
    arr = np.asarray(counts_or_n, dtype=float)
    if arr.size == 0 or not np.isfinite(arr).all() or (arr < 0).any():
        raise InvalidParameterError(
            f"counts_or_n must be finite and non-negative; got {_show(counts_or_n)}"
        )
    if arr.ndim == 0:
        return float(arr)
    if arr.ndim == 1:
        return float(arr.sum())
    if arr.ndim == 2:
        return float(arr.sum(axis=0).min())
    raise InvalidParameterError(
        f"counts_or_n must be a number, a count vector or a cells x samples table; got shape {arr.shape}"
    )


def max_affordable_bins(counts_or_n: Any, epsilon: float = 0.05, *, order: int = 2) -> int:
    """The largest number of bins K whose bin distribution the data estimate within ``epsilon``.

    A feature cut into K bins is a (K-1)-parameter multinomial model of its distribution. Its
    estimation risk with equal bin shares is ``(K-1)/(2n) + (5K-1)(K-1)/(12 n^2)``
    (:func:`categorical_coefficients` with ``pi_j = 1/K``; equal shares give the smallest
    ``c2``, so this is the most generous K). The answer is the largest K with risk
    ``<= 8 epsilon^2``: about ``1 + 16 epsilon^2 n`` bins, i.e. 25 observations per extra bin at
    ``epsilon = 0.05`` and 156 at ``epsilon = 0.02``. Bins with unequal shares afford fewer:
    check a given binning with :func:`categorical_coefficients` or :func:`data_starved`.

    Parameters
    ----------
    counts_or_n : number, 1-D or 2-D array
        A sample size ``n``; a vector of (possibly weighted) counts, whose sum is ``n``; or a
        table with one column per sample (e.g. the bad and good counts per bin), where the
        smallest column total is ``n``: every sample's distribution over the bins must be
        estimated (for IV the bads usually set the limit).
    epsilon : float, default 0.05
        Tolerance (see :class:`PNCriterion`).
    order : {1, 2}, default 2
        ``1``: ``K = 1 + floor(16 epsilon^2 n)``.

    Returns
    -------
    int
        At least 1 (one bin carries no information and has no risk).

    Examples
    --------
    >>> max_affordable_bins(1000, epsilon=0.05, order=1)
    41
    >>> max_affordable_bins([[300, 700], [200, 800]], epsilon=0.05)  # 500 bads limit it
    20
    """
    eps = _check_epsilon(epsilon)
    order = _check_order(order)
    # the count-only rule lives in the core, where the credit layer's thin-bin warning uses it
    return affordable_bins(_sample_sizes(counts_or_n), eps, order)


@dataclass(repr=False)
class DataStarvedResult(ResultBase):
    """Whether the bin distributions behind an IV/PSI estimate are estimated within tolerance.

    Parameters
    ----------
    name : str
        The divergence's name (its kind when unnamed).
    estimate : float
        The divergence estimate (IV or PSI).
    n_bins : int
        Non-empty bins K.
    n1, n2 : float
        (Effective) sizes of the two samples (``n2`` is NaN for a fixed reference).
    risk1, risk2 : float
        Estimated estimation risk of each sample's bin distribution,
        ``(K-1)/(2n) + c2(shares)/n^2``.
    threshold : float
        ``8 epsilon^2``.
    bias : float
        The divergence engine's leading bias; for Jeffreys (IV, PSI)
        ``(K-1)(1/n1 + 1/n2) = 2 (first-order risk1 + first-order risk2)``.
    epsilon : float
        The tolerance judged against.
    max_bins : int
        :func:`max_affordable_bins` for the smaller sample.
    n_required : float
        Rows each sample needs for its bin distribution to meet the threshold with the
        current K and shares (the larger of the two samples' needs).
    starved : bool, default False
        Either sample's risk exceeds the threshold.
    divergence : DivergenceResult, optional
        The result judged; it gives :attr:`se` and :meth:`conf_int` (NaN without it).

    Attributes
    ----------
    epsilon_achieved : float
        Smallest tolerance that the data meet, ``sqrt(max(risk1, risk2) / 8)``.
    """

    name: str
    estimate: float
    n_bins: int
    n1: float
    n2: float
    risk1: float
    risk2: float
    threshold: float
    bias: float
    epsilon: float
    max_bins: int
    n_required: float
    starved: bool = field(default=False)
    divergence: DivergenceResult | None = field(default=None, compare=False)

    @property
    def epsilon_achieved(self) -> float:
        """Smallest tolerance at which the estimate is not starved: ``sqrt(max risk / 8)``."""
        risks = [r for r in (self.risk1, self.risk2) if np.isfinite(r)]
        return math.sqrt(max(risks) / 8.0)

    def __bool__(self) -> bool:
        return self.starved

    @property
    def se(self) -> float:
        """Standard error of :attr:`estimate` (the divergence's)."""
        return float("nan") if self.divergence is None else float(self.divergence.se)

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """The divergence's ``1 - alpha`` interval (:meth:`DivergenceResult.conf_int`).

        Parameters
        ----------
        alpha : float, optional
            Default: the divergence's own.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` floats; NaN without :attr:`divergence`.
        """
        if self.divergence is None:
            return ConfidenceInterval(float("nan"), float("nan"))
        low, high = self.divergence.conf_int(alpha)
        return ConfidenceInterval(float(low), float(high))

    def summary(self) -> pd.DataFrame:
        """One row: the estimate with its SE and interval, then the criterion's verdict.

        Returns
        -------
        pandas.DataFrame
            Indexed by the divergence's name; columns ``estimate``, ``se``, ``ci_low``,
            ``ci_high``, ``n_bins``, ``n1``, ``n2``, ``risk1``, ``risk2``, ``threshold``,
            ``bias``, ``bias_share``, ``max_bins``, ``n_required``, ``epsilon_achieved``,
            ``starved``.
        """
        return self._frame(
            pd.Index([self.name], name="divergence"),
            n_bins=self.n_bins,
            n1=self.n1,
            n2=self.n2,
            risk1=self.risk1,
            risk2=self.risk2,
            threshold=self.threshold,
            bias=self.bias,
            bias_share=self.bias / self.estimate if self.estimate > 0 else np.nan,
            max_bins=self.max_bins,
            n_required=self.n_required,
            epsilon_achieved=self.epsilon_achieved,
            starved=self.starved,
        )

    def __repr__(self) -> str:
        verdict = "DATA-STARVED" if self.starved else "enough data"
        return (
            f"DataStarvedResult({self.name}: {verdict} at epsilon = {self.epsilon:g}; "
            f"K = {self.n_bins} bins, risks {self.risk1:.4g} / {self.risk2:.4g} vs threshold "
            f"{self.threshold:.4g}; bias {self.bias:.4g} of estimate {self.estimate:.4g}; "
            f"at most {self.max_bins} bins affordable)"
        )


def _divergence_of(result: Any) -> DivergenceResult:
    if isinstance(result, DivergenceResult):
        return result
    for attr in ("divergence", "iv"):
        inner = getattr(result, attr, None)
        if isinstance(inner, DivergenceResult):
            return inner
    raise InvalidParameterError(
        f"result must be a DivergenceResult, a PSIResult or a WoETable; got {type(result).__name__}"
    )


def data_starved(result: Any, epsilon: float = 0.05, *, order: int = 2) -> DataStarvedResult:
    """Is an IV/PSI (or any two-sample divergence) estimate data-starved?

    Each sample's bin distribution is a (K-1)-parameter multinomial. The estimate is starved
    when either distribution fails the p-n criterion: its estimation risk
    ``(K-1)/(2n) + c2/n^2`` (``c2`` from the observed shares, :func:`categorical_coefficients`)
    exceeds ``8 epsilon^2``. The bridge to the divergence's own bias: for Jeffreys (IV, PSI)
    the leading bias ``(K-1)(1/n1 + 1/n2)`` is twice the sum of the two first-order risks, so
    when both samples pass, the bias is below ``32 epsilon^2`` (0.08 at epsilon = 0.05).
    That is large next to the usual IV and PSI cut-offs: to keep the bias below half of a
    decision threshold ``tau``, use ``epsilon = sqrt(tau / 64)`` (0.04 for PSI's 0.10, 0.018 for
    IV's 0.02), or read ``epsilon_achieved`` and ``bias_share`` (bias / estimate) in the result.

    Parameters
    ----------
    result : DivergenceResult, PSIResult or WoETable
        From :func:`infodiv.divergence`, :func:`infodiv.psi`, :func:`infodiv.woe_table` and
        friends. Sizes are the (Kish effective) ``n1``, ``n2`` of the result; a
        ``reference="fixed"`` result only checks ``n1``.
    epsilon : float, default 0.05
        Tolerance (see :class:`PNCriterion`).
    order : {1, 2}, default 2
        Terms of the risk expansion (``1``: ``c1`` only).

    Returns
    -------
    DataStarvedResult
        Truthy when starved.

    Examples
    --------
    >>> from infodiv import divergence
    >>> res = divergence([30, 50, 20, 10, 5], [20, 50, 30, 12, 4])
    >>> bool(data_starved(res, epsilon=0.05).starved), bool(data_starved(res, epsilon=0.02).starved)
    (False, True)
    """
    eps = _check_epsilon(epsilon)
    order = _check_order(order)
    d = _divergence_of(result)
    used = (d.p > 0) | (d.q > 0)
    K = int(used.sum())
    thr = 8.0 * eps**2

    def risk_of(shares: np.ndarray, n: float) -> tuple[float, float]:
        c1, c2 = categorical_coefficients(shares[used])
        c2 = c2 if order == 2 else 0.0
        return c1 / n + c2 / n**2, n_required(c1, c2, eps, order)

    r1, need1 = risk_of(d.p, d.n1)
    fixed = getattr(d, "reference", "sampled") == "fixed"
    if fixed:
        r2, need2, n2 = float("nan"), 0.0, float("nan")
    else:
        r2, need2 = risk_of(d.q, d.n2)
        n2 = d.n2
    starved = bool(r1 > thr or (not fixed and r2 > thr))
    n_small = d.n1 if fixed else min(d.n1, d.n2)
    return DataStarvedResult(
        name=d.name or d.kind,
        estimate=float(d.estimate),
        n_bins=K,
        n1=float(d.n1),
        n2=float(n2),
        risk1=float(r1),
        risk2=float(r2),
        threshold=thr,
        bias=float(d.bias),
        epsilon=eps,
        max_bins=max_affordable_bins(n_small, eps, order=order),
        n_required=float(max(need1, need2) if not fixed else need1),
        starved=starved,
        divergence=d,
    )


def data_starved_summary(
    results: Mapping[str, Any], epsilon: float = 0.05, *, order: int = 2
) -> pd.DataFrame:
    """:func:`data_starved` for a dict of results, one row per entry, starved ones first.

    The results may be, for example, the output of ``woe_tables``.

    Parameters
    ----------
    results : mapping of str -> DivergenceResult, PSIResult or WoETable
        The results to judge, by feature.
    epsilon : float, default 0.05
        Tolerance (see :class:`PNCriterion`).
    order : {1, 2}, default 2
        Terms of the risk expansion.

    Returns
    -------
    pandas.DataFrame
        One row per feature (:meth:`DataStarvedResult.summary`, built by
        :func:`infodiv.core.summarize`), sorted by ``starved`` then ``risk1``, descending.
    """
    if not isinstance(results, Mapping) or not results:
        raise InvalidParameterError(
            "results must be a non-empty dict of DivergenceResult/PSIResult/WoETable"
        )
    out = summarize(
        {key: data_starved(res, epsilon, order=order) for key, res in results.items()},
        index_name="feature",
    )
    return out.sort_values(["starved", "risk1"], ascending=[False, False], kind="stable")
