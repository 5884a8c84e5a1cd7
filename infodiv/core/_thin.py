"""Thin tables: when the chi-square law of a divergence fails, and what replaces it.

A two-sample table with few observations of the smaller sample per cell (IV with few bads in
many bins) breaks the large-sample laws behind the divergence engine's test and interval:

* the chi-square law of ``T = 2 n_eff D / f''(1)`` over-rejects up to 8-11% at 5% with 5 to 20
  expected observations per cell, and rejects almost never (0.2%) with 2 per cell, where the
  zero-cell smoothing dominates the statistic (``benchmarks/coverage_designs/thin_bins.py``);
* the interval and the bias correction lose their footing (coverage 0.63 for IV 1.0 with 40
  bads in 20 bins).

The test is repaired exactly: below :data:`MC_PER_BIN` expected observations of the smaller
sample per cell (or with a cell expecting fewer than one), the p-value is a Monte-Carlo
permutation p-value (:func:`conditional_null`): tables with the observed cell totals and sample
sizes are drawn (the permutation law of the sample labels, multivariate hypergeometric), the
same statistic (zero-cell rule included) is computed on each, and
``p = (1 + #{D* >= D}) / (B + 1)``, valid at every size. The interval has no such repair: below
:data:`THIN_PER_BIN` observations per cell the result says so in words (``thin_note``).

The count-only rule of :func:`affordable_bins` lives here so that the credit layer and
:func:`infodiv.sample_size.max_affordable_bins` share it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = [
    "MC_PER_BIN",
    "THIN_PER_BIN",
    "affordable_bins",
    "conditional_null",
    "null_divergences",
]

#: Below this many expected observations of the smaller sample per cell (its size over the
#: number of cells), or when some cell expects fewer than one, the test of "no difference" uses
#: the Monte-Carlo permutation null (``pvalue_method="auto"``).
MC_PER_BIN = 25.0
#: Below this many observations of the smaller sample per cell the interval and the bias
#: correction are unreliable and the result's ``thin_note`` says so.
THIN_PER_BIN = 5.0
#: From ``THIN_PER_BIN`` up to this many per cell the interval's coverage is measured off its
#: level (0.91-0.93 with 10 per cell in 20 cells, 0.99 with 8 per cell in 5 cells at IV 1;
#: ``benchmarks/coverage.py``) and ``thin_note`` says so, more briefly.
SPARSE_PER_BIN = 15.0
#: Totals beyond this are not permuted (``numpy``'s hypergeometric sampler stops at 1e9).
_MAX_TOTAL = 1e9


def affordable_bins(n: float, epsilon: float = 0.05, order: int = 2) -> int:
    """The largest number of bins whose bin distribution ``n`` rows estimate within ``epsilon``.

    The count-only rule behind :func:`infodiv.sample_size.max_affordable_bins`: the estimation
    risk of a K-cell multinomial with equal shares, ``(K-1)/(2n) + (5K-1)(K-1)/(12 n^2)``, kept
    at or below ``8 epsilon^2`` (``order=1``: the first term only, ``K = 1 + floor(16
    epsilon^2 n)``).

    Parameters
    ----------
    n : float
        The (effective) sample size; at most one bin when ``n <= 0``.
    epsilon : float, default 0.05
        The tolerance, positive.
    order : {1, 2}, default 2
        Order of the risk expansion.

    Returns
    -------
    int
        At least 1.

    Examples
    --------
    >>> affordable_bins(40)
    2
    >>> affordable_bins(1000, order=1)
    41
    """
    if not n > 0:
        return 1
    if order == 1:
        k = math.floor(16.0 * epsilon**2 * n * (1 + 1e-12))
    else:
        # k = K - 1 solves 5 k^2 + (4 + 6 n) k - 96 eps^2 n^2 <= 0
        b = 4.0 + 6.0 * n
        k = math.floor((-b + math.sqrt(b * b + 1920.0 * epsilon**2 * n * n)) / 10.0 * (1 + 1e-12))
    return int(max(k, 0) + 1)


def null_divergences(
    A: np.ndarray, E: np.ndarray, f: Callable[[np.ndarray], np.ndarray], pseudocount: float
) -> np.ndarray:
    """``sum_j q_j f(p_j / q_j)`` of every row of two count arrays, with the zero-cell rule.

    Cells empty in one row only get ``pseudocount`` in both; cells empty in both carry no mass.

    Parameters
    ----------
    A, E : ndarray of shape (B, K)
        Counts of the first and second sample, one table per row.
    f : callable
        The generator, vectorised.
    pseudocount : float
        Added to both samples in a cell empty in one only.

    Returns
    -------
    ndarray of shape (B,)
    """
    A = np.asarray(A, dtype=float)
    E = np.asarray(E, dtype=float)
    one = (A == 0) != (E == 0)
    A = A + pseudocount * one
    E = E + pseudocount * one
    p = A / A.sum(axis=1, keepdims=True)
    q = E / E.sum(axis=1, keepdims=True)
    both = (p > 0) & (q > 0)
    r = np.where(both, p / np.where(both, q, 1.0), 1.0)
    fr = np.asarray(f(r.ravel()), dtype=float).reshape(r.shape)
    return np.where(both, q * fr, 0.0).sum(axis=1)


def _hypergeometric(
    totals: np.ndarray, n_first: int, size: int, rng: np.random.Generator
) -> np.ndarray:
    """``size`` draws of the first sample's counts given the cell totals (label permutation)."""
    N = int(totals.sum())
    # numpy's "count" method costs O(N) per draw, "marginals" O(K) hypergeometric draws
    if N <= 4000:
        return rng.multivariate_hypergeometric(totals, n_first, size=size, method="count")
    return rng.multivariate_hypergeometric(totals, n_first, size=size, method="marginals")


def conditional_null(
    P: np.ndarray,
    Q: np.ndarray,
    n1: float,
    n2: float,
    f: Callable[[np.ndarray], np.ndarray],
    *,
    fixed: bool = False,
    pseudocount: float = 0.5,
    n_resamples: int = 2000,
    random_state: int | None = 0,
) -> tuple[float, float] | None:
    """Monte-Carlo p-value of "no difference" between two count vectors, exact in law.

    The counts are brought to (Kish) effective units, ``P n1 / sum P`` and ``Q n2 / sum Q``
    (unchanged for unweighted counts), and rounded. Two samples (``fixed=False``): ``B`` tables
    with the same cell totals and sample sizes are drawn from their permutation law (the
    multivariate hypergeometric law of the first sample's counts given the totals), which is
    the exact null law of any statistic given the margins. A fixed reference: ``B`` draws of
    ``Mult(round(n1), Q / sum Q)`` against ``Q``. The divergence (:func:`null_divergences`,
    the zero-cell rule included) of every table is compared with that of the observed one.

    Parameters
    ----------
    P, Q : ndarray
        Counts (or weighted sums) of the two samples over the cells used (none empty in both).
    n1, n2 : float
        Their (Kish effective) sizes.
    f : callable
        The generator whose divergence is the statistic.
    fixed : bool, default False
        ``Q`` is a known reference distribution.
    pseudocount : float, default 0.5
        The zero-cell rule's pseudocount (in observations).
    n_resamples : int, default 2000
        ``B``.
    random_state : int or None, default 0
        Seed of the draws.

    Returns
    -------
    (pvalue, observed) or None
        ``p = (1 + #{D* >= D}) / (B + 1)`` and the observed divergence in effective units;
        ``None`` when the effective table is too small (fewer than two cells or an empty
        sample) or too large (totals beyond 1e9) to permute.
    """
    P = np.asarray(P, dtype=float)
    Q = np.asarray(Q, dtype=float)
    A = np.rint(P * (n1 / P.sum())).astype(np.int64)
    E = np.rint(Q * (n2 / Q.sum())).astype(np.int64)
    keep = (A + E) > 0
    A, E = A[keep], E[keep]
    if A.size < 2 or A.sum() < 1 or E.sum() < 1 or A.sum() + E.sum() >= _MAX_TOTAL:
        return None
    rng = np.random.default_rng(random_state)
    if fixed:
        q = E / E.sum()
        sims = rng.multinomial(int(A.sum()), q, size=n_resamples)
        ref = np.broadcast_to(E, sims.shape)
    else:
        sims = _hypergeometric(A + E, int(A.sum()), n_resamples, rng)
        ref = (A + E)[None, :] - sims
    observed = float(null_divergences(A[None, :], E[None, :], f, pseudocount)[0])
    null = null_divergences(sims, ref, f, pseudocount)
    # a tie (an equal table) counts as at least as extreme: the statistic is discrete
    tol = 1e-9 * abs(observed) + 1e-12
    pvalue = float((1 + np.sum(null >= observed - tol)) / (n_resamples + 1))
    return pvalue, observed
