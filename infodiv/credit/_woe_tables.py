"""WoE tables on demand and the WoE vector with the IV, from a count table keyed by the class.

:class:`LazyWoETables` is the ``woe_tables_`` mapping of :class:`~infodiv.binning.StumpBinner`
and :class:`~infodiv.credit.WoEEncoder` (building a table costs more than binning a column, and
most uses need a few); :func:`woe_and_iv` gives the encoder its WoE per bin code at the cost of
one divergence call. Both moved here from the binner: WoE is the credit layer's vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np

from infodiv.core import CountTable, DivergenceResult, FeatureBins
from infodiv.credit._woe import WoETable

__all__ = ["LazyWoETables", "woe_and_iv"]


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


def woe_and_iv(
    counts: CountTable,
    feature: str,
    alpha: float = 0.05,
    woe_sign: Literal["bad/good", "good/bad"] = "bad/good",
) -> tuple[np.ndarray, DivergenceResult]:
    """WoE by bin code (NaN for bins without rows) and the IV result, without the table.

    The same numbers as :class:`WoETable` (``sign * ln(p / q)`` of the engine's class
    distributions), at the cost of one divergence call.

    Parameters
    ----------
    counts : CountTable
        Counts per feature, bin and ``class`` (1 = event/bad, 0 = good).
    feature : str
        The feature.
    alpha : float, default=0.05
        Level of the IV's confidence interval.
    woe_sign : {"bad/good", "good/bad"}, default="bad/good"
        Orientation of the WoE.

    Returns
    -------
    woe : numpy.ndarray
        WoE per bin code, NaN for bins without rows.
    iv : DivergenceResult
        The feature's IV (Jeffreys divergence of the class distributions).
    """
    # one non-empty cell needs no special case: the engine gives IV 0, SE 0, p-value 1
    iv = counts.divergence(feature, "class", 1, 0, "jeffreys", name=f"IV[{feature}]", alpha=alpha)
    sign = 1.0 if woe_sign == "bad/good" else -1.0
    used = counts.vector(feature, "n") > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        woe = np.where(used, sign * np.log(iv.p / iv.q), np.nan)
    return woe, iv
