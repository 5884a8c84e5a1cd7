"""From the stump thresholds to the final bins: the merges, in order, on named bin statistics.

The fine bins given by a feature's thresholds are merged: empty bins; bins below the minimum
share (into the neighbour with the closer event rate); violations of the monotone trend
(pool-adjacent-violators on the event rate); the edges of least total xgboost gain until at most
``max_bins`` regular bins remain; optionally adjacent bins whose WoE difference is not
significant. Each step works on :class:`BinStats`, the class statistics per bin, and each merge
preserves what the earlier steps established.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats

from infodiv.core import CountTable
from infodiv.exceptions import ZeroCellWarning

__all__ = ["BinStats"]


@dataclass(frozen=True)
class BinStats:
    """Class statistics per bin: n, sum w and sum w^2 of the events, then of the non-events.

    A named view of one ``(bins, 6)`` float array whose columns are, in this order,
    ``n_bad, w_bad, w2_bad, n_good, w_good, w2_good`` (bad = event, class 1; good = class 0).
    The record is frozen but the array is not: the merges update it in place.

    Parameters
    ----------
    table : numpy.ndarray of shape (n_bins, 6)
        The statistics, one row per bin.
    """

    table: np.ndarray

    #: Column names of :attr:`table`, in order.
    COLUMNS = ("n_bad", "w_bad", "w2_bad", "n_good", "w_good", "w2_good")

    @classmethod
    def zeros(cls, n_bins: int) -> BinStats:
        """Statistics of ``n_bins`` empty bins."""
        return cls(np.zeros((n_bins, 6)))

    @property
    def n_bad(self) -> np.ndarray:
        """Rows of class 1 per bin."""
        return self.table[:, 0]

    @property
    def w_bad(self) -> np.ndarray:
        """Sum of the weights of class 1 per bin."""
        return self.table[:, 1]

    @property
    def w2_bad(self) -> np.ndarray:
        """Sum of the squared weights of class 1 per bin."""
        return self.table[:, 2]

    @property
    def n_good(self) -> np.ndarray:
        """Rows of class 0 per bin."""
        return self.table[:, 3]

    @property
    def w_good(self) -> np.ndarray:
        """Sum of the weights of class 0 per bin."""
        return self.table[:, 4]

    @property
    def w2_good(self) -> np.ndarray:
        """Sum of the squared weights of class 0 per bin."""
        return self.table[:, 5]

    @property
    def bad(self) -> np.ndarray:
        """The class-1 statistics ``(n, sum w, sum w^2)`` per bin, shape ``(bins, 3)``."""
        return self.table[:, 0:3]

    @property
    def good(self) -> np.ndarray:
        """The class-0 statistics ``(n, sum w, sum w^2)`` per bin, shape ``(bins, 3)``."""
        return self.table[:, 3:6]

    def __len__(self) -> int:
        return self.table.shape[0]

    def head(self, k: int) -> BinStats:
        """The first ``k`` bins (a view: merges on it update this record)."""
        return BinStats(self.table[:k])

    def copy(self) -> BinStats:
        """An independent copy."""
        return BinStats(self.table.copy())

    def stack(self, other: BinStats) -> BinStats:
        """These bins followed by those of ``other`` (e.g. the special and missing bins)."""
        return BinStats(np.vstack([self.table, other.table]))

    def merge(self, i: int) -> None:
        """Add bin ``i + 1`` into bin ``i``, shift the later bins up, zero the last, in place."""
        t = self.table
        t[i] += t[i + 1]
        t[i + 1 : -1] = t[i + 2 :].copy()
        t[-1] = 0.0


def _merge_at(edges: list[float], st: BinStats, gains: list[float], i: int) -> None:
    """Merge regular bins ``i`` and ``i + 1`` (remove the edge between them) in place."""
    del edges[i]
    del gains[i]
    st.merge(i)


def _bin_stats(
    rows: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray], edges: list[float]
) -> BinStats:
    """The statistics of the bins cut at ``edges`` from (value, class, count, w, w^2) rows."""
    v, yr, nr, wr, w2r = rows
    code = np.searchsorted(np.asarray(edges), v, side="right") if edges else np.zeros(v.size, int)
    K = len(edges) + 1
    st = BinStats.zeros(K)
    for k, sel in enumerate((yr == 1, yr == 0)):
        c = code[sel]
        st.table[:, 3 * k] = np.bincount(c, weights=nr[sel], minlength=K)
        st.table[:, 3 * k + 1] = np.bincount(c, weights=wr[sel], minlength=K)
        st.table[:, 3 * k + 2] = np.bincount(c, weights=w2r[sel], minlength=K)
    return st


def _select_edges(
    thresholds: np.ndarray,
    gains: np.ndarray,
    rows: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    *,
    name: str,
    max_bins: int,
    min_share: float,
    direction: int,
    merge_alpha: float | None,
    total_w: float,
    extra: BinStats,
    labels_of: Callable[[list[float]], list[str]],
    auto: bool = False,
) -> tuple[list[float], BinStats, int]:
    """Merge the fine bins given by the stump thresholds (see the module docstring).

    ``rows`` = (value, class, count, sum w, sum w^2) of the non-missing, non-special rows, one
    entry per row or per cell of the compressed column (when every threshold is a cell value,
    the two give the same bin sums). ``extra`` holds the special and missing bins.

    Returns the kept edges, the class statistics of the final regular bins and the trend
    imposed (``0`` when ``auto`` is set and the pooled monotone bins fit worse by the BIC).
    """
    edges = [float(t) for t in thresholds]
    g = [float(v) for v in gains]
    st = _bin_stats(rows, edges)

    def size(i: int) -> float:
        return st.w_bad[i] + st.w_good[i]

    def rate(i: int) -> float:
        return st.w_bad[i] / (st.w_bad[i] + st.w_good[i])

    # 1. empty bins (thresholds with no value between them)
    i = 0
    while i < len(edges) + 1 and len(edges) > 0:
        if st.n_bad[i] + st.n_good[i] == 0:
            _merge_at(edges, st, g, i if i < len(edges) else i - 1)
        else:
            i += 1
    # 2. bins below the minimum share
    while len(edges) > 0:
        shares = np.array([size(i) for i in range(len(edges) + 1)]) / total_w
        i = int(np.argmin(shares))
        if shares[i] >= min_share:
            break
        if i == 0:
            j = 0
        elif i == len(edges):
            j = i - 1
        else:
            j = i - 1 if abs(rate(i - 1) - rate(i)) <= abs(rate(i + 1) - rate(i)) else i
        _merge_at(edges, st, g, j)
    # 3. monotone trend: pool adjacent violators; 4. at most max_bins regular bins (drop the
    # edges of least gain). With "auto", the pooled and the free binning are both carried to
    # the end of step 4 and compared by the BIC, always (also when both hit max_bins): see
    # _free_wins.
    if direction != 0:
        free_edges, free_st, free_g = list(edges), st.copy(), list(g)
        _pool_violators(edges, st, g, direction)
        _cap(edges, st, g, max_bins)
        if auto:
            _cap(free_edges, free_st, free_g, max_bins)
            k_free, k_pool = len(free_edges) + 1, len(edges) + 1
            if _free_wins(free_st.head(k_free), st.head(k_pool)):
                edges[:], g[:] = free_edges, free_g
                st.table[:] = free_st.table
                direction = 0
    else:
        _cap(edges, st, g, max_bins)
    # 5. adjacent bins whose WoE difference is not significant
    if merge_alpha is not None:
        while len(edges) > 0:
            p = _adjacent_pvalues(name, st.head(len(edges) + 1), extra, labels_of(edges))
            i = int(np.argmax(p))
            if p[i] <= merge_alpha:
                break
            _merge_at(edges, st, g, i)
    return edges, st.head(len(edges) + 1), direction


def _free_wins(free: BinStats, pooled: BinStats) -> bool:
    """Whether the free binning beats the pooled monotone one (``monotone_trend="auto"``).

    Two BIC comparisons, both required, with the binomial log-likelihoods ``L`` of the bins'
    (weighted) event and non-event sums scaled to Kish's effective size
    ``n = (sum w)^2 / sum w^2``:

    1. free against pooled: ``2 (L_free - L_pooled) > max(k_free - k_pool, 1) ln n``. The
       extra bins of the free binning are extra parameters, and the choice of the shape costs
       at least one more: the free edges were picked by the boosting on these very rows, so
       they fit a little better than the pooled ones even at the same number of bins (a
       chi-square test of the pooling would reject far too often on noise). The comparison is
       made whatever the two sizes; in particular when both binnings are capped at
       ``max_bins`` (``k_free == k_pool``), where a U-shaped feature's free bins fit far
       better than its monotone ones. Comparing only when ``k_free > k_pool``, as before,
       kept a capped U shape monotone (on the benchmark's synthetic x12 at
       ``min_bin_share=0.01``: IV 0.134 free, 0.052 kept).
    2. free against one bin: ``2 (L_free - L_one) > (k_free - 1) ln n``. A shape is only
       claimed for a feature whose free bins are themselves supported against no association;
       on noise the free bins can beat the pooled ones by a few ``ln n`` (adaptive edges) and
       would otherwise be kept non-monotone for nothing (measured on 40 x 20 simulated noise
       and weak linear features: 5-19% free without this condition, 0-5% with it).
    """
    wb, wg = free.w_bad.sum(), free.w_good.sum()
    wsum = wb + wg
    scale = wsum / (free.w2_bad.sum() + free.w2_good.sum())  # Kish
    log_n = np.log(wsum * scale)
    l_free = _loglik(free)
    one = _loglik(BinStats(np.array([[0.0, wb, 0.0, 0.0, wg, 0.0]])))
    k_free, k_pool = len(free), len(pooled)
    beats_pooled = 2 * scale * (l_free - _loglik(pooled)) > max(k_free - k_pool, 1) * log_n
    beats_one = 2 * scale * (l_free - one) > (k_free - 1) * log_n
    return bool(beats_pooled and beats_one)


def _pool_violators(edges: list[float], st: BinStats, g: list[float], direction: int) -> None:
    """Merge adjacent bins until the event rate follows ``direction`` (+1 / -1), in place."""
    i = 0
    while i < len(edges):
        r0 = st.w_bad[i] / (st.w_bad[i] + st.w_good[i])
        r1 = st.w_bad[i + 1] / (st.w_bad[i + 1] + st.w_good[i + 1])
        if direction * (r1 - r0) < 0:
            _merge_at(edges, st, g, i)
            i = max(i - 1, 0)
        else:
            i += 1


def _cap(edges: list[float], st: BinStats, g: list[float], max_bins: int) -> None:
    """Drop the edges of least total gain until at most ``max_bins`` regular bins remain."""
    while len(edges) + 1 > max_bins:
        _merge_at(edges, st, g, int(np.argmin(g)))


def _loglik(st: BinStats) -> float:
    """Binomial log-likelihood of bins with (weighted) event and non-event sums."""
    b, g = st.w_bad, st.w_good
    n = b + g
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.nansum(b * np.log(b / n)) + np.nansum(g * np.log(g / n)))


def _count_table(stats_: Mapping[str, BinStats], labels: Mapping[str, list[str]]) -> CountTable:
    """A count table keyed by ``class`` from the per-bin class statistics of each feature.

    ``stats_[feature]`` has one row per bin (regular, special, missing).
    """
    # the numpy layout of CountTable (bin x key value x stat), built directly from the sums
    arrays = {f: np.stack([st.good, st.bad], axis=1) for f, st in stats_.items()}
    return CountTable.from_arrays(arrays, {f: list(labels[f]) for f in stats_}, {"class": [0, 1]})


def _adjacent_pvalues(name: str, st: BinStats, extra: BinStats, labels: list[str]) -> np.ndarray:
    """Two-sided p-values of ``WoE_i = WoE_{i+1}`` for adjacent regular bins.

    ``Var(WoE_i - WoE_j) = SE_i^2 + SE_j^2 + 2/n_bad + 2/n_good``: the WoE SEs of
    :class:`infodiv.credit.WoETable` plus twice the (negative) covariance ``-1/n_bad - 1/n_good``
    of two bins' log shares under the multinomial model (Kish effective sizes under weights).
    The WoE (bad/good) and its SE come from the engine's IV result
    (:meth:`DivergenceResult.log_ratios <infodiv.core.DivergenceResult.log_ratios>`), as in
    the WoE table: ``WoE = ln(p / q)``, ``SE^2 = 1/(p n1) + 1/(q n2) - 1/n1 - 1/n2``. The p-values are
    bitwise those of the former route through ``WoETable.from_count_table``, which built the
    whole table per merge step: 6.2 ms against 30.6 ms per call on 10 regular bins (timeit,
    best of 3 x 200, on the shared 2-core development machine).
    """
    counts = _count_table({name: st.stack(extra)}, {name: labels})
    with warnings.catch_warnings():
        # zero cells while merging: the engine's smoothing note, documented
        warnings.simplefilter("ignore", ZeroCellWarning)
        iv = counts.divergence(name, "class", 1, 0, "jeffreys", name=f"IV[{name}]")
    R = len(st)
    woe, se = (a[:R] for a in iv.log_ratios())  # WoE (bad/good) and its SE, as in WoETable
    var = se[:-1] ** 2 + se[1:] ** 2 + 2.0 / iv.n1 + 2.0 / iv.n2
    z = np.abs(np.diff(woe)) / np.sqrt(var)
    return 2.0 * stats.norm.sf(z)
