"""Cross-fitted tests of "no association" after supervised binning.

Bins chosen on the same rows as the test of "the feature carries no information" make that test
reject far too often: the stumps put the edges where the noise of *these* rows separates the
classes, and the chi-square law of the IV statistic (``K - 1`` degrees of freedom for fixed
bins) ignores that search. On pure-noise features, ``StumpBinner`` bins gave 12.6-13.6%
rejections at 5% (``docs/numbers.md``, "After supervised binning").

Cross-fitting removes the search from the test. The rows are cut into ``k`` stratified folds;
for fold ``j`` the bins are learned on the other folds (the same binner, same parameters) and
only fold ``j``'s rows are counted in them. Given the other folds, fold ``j``'s labels never
took part in choosing its bins, so under "no association" its IV statistic has the fixed-bin
chi-square law. The folds are combined by adding their (Pearson) statistics and their degrees
of freedom (:func:`crossfit_iv_test`); the size of the combined test was checked by simulation
(``benchmarks/coverage_designs/post_selection.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from infodiv.core import UNSEEN, FeatureBins

__all__ = ["crossfit_counts", "crossfit_iv_test"]

#: Label of the p-values of each method, shown in ``pvalue_method`` columns.
CROSS_FIT = "cross-fit"
IN_SAMPLE = "in-sample"
GIVEN_BINS = "given bins"
#: The ``ci_note`` of an IV interval on bins chosen on the same rows.
CI_NOTE = "in-sample: bins chosen on these rows; the interval does not account for that choice"


def crossfit_counts(
    X: pd.DataFrame,
    y: Any,
    folds: Sequence[tuple[np.ndarray, np.ndarray]],
    fold_bins: Sequence[Mapping[str, FeatureBins]],
    sample_weight: Any = None,
) -> list[dict[str, np.ndarray]]:
    """Tally each fold's test rows in the bins learned on its training rows.

    Parameters
    ----------
    X : DataFrame
        The training rows (a column per feature of the bins).
    y : array-like of shape (n_samples,)
        The target coded 0/1 (1 = event).
    folds : sequence of (train, test) index arrays
        Positions of the rows of each fold.
    fold_bins : sequence of dict of str -> FeatureBins
        For each fold, the bins learned on its training rows.
    sample_weight : array-like of shape (n_samples,), optional
        Row weights (default 1).

    Returns
    -------
    list of dict of str -> ndarray of shape (n_bins, 4)
        Per fold and feature, per bin: sum of the weights of the events, of their squares, then
        the same for the non-events. Rows whose category no bin of the fold holds (a category
        absent from the fold's training rows) are left out of that fold's counts.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from infodiv.core import FeatureBins
    >>> X = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]})
    >>> b = {"x": FeatureBins("x", edges=(1.5,))}
    >>> c = crossfit_counts(X, [0, 1, 0, 1], [(np.array([0, 1]), np.array([2, 3]))], [b])
    >>> c[0]["x"][:2]
    array([[0., 0., 0., 0.],
           [1., 1., 1., 1.]])
    """
    yy = np.asarray(y).astype(int)
    w = np.ones(len(yy)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    out = []
    for (_, te), bins in zip(folds, fold_bins, strict=True):
        te = np.asarray(te)
        yt, wt = yy[te], w[te]
        part = X.iloc[te]
        fold: dict[str, np.ndarray] = {}
        for f, b in bins.items():
            codes = b.codes(part[f])
            ok = codes != UNSEEN
            K = len(b.labels)
            table = np.zeros((K, 4))
            for k, cls in enumerate((1, 0)):
                m = ok & (yt == cls)
                table[:, 2 * k] = np.bincount(codes[m], weights=wt[m], minlength=K)
                table[:, 2 * k + 1] = np.bincount(codes[m], weights=wt[m] ** 2, minlength=K)
            fold[f] = table
        out.append(fold)
    return out


def _pearson(table: np.ndarray) -> tuple[float, int]:
    """Pearson's chi-square of "same bin distribution" for events and non-events, and its df.

    ``X^2 = n_eff sum_j (p_j - q_j)^2 / m_j`` with ``p, q`` the (weighted) bin shares of the
    events and non-events, ``n1, n2`` their Kish effective sizes, ``n_eff = n1 n2 / (n1 + n2)``
    and ``m = (n1 p + n2 q) / (n1 + n2)`` the pooled share; ``df`` = non-empty bins - 1.
    Unweighted, this is the textbook statistic of the 2 x K table.
    """
    wb, w2b, wg, w2g = table[:, 0], table[:, 1], table[:, 2], table[:, 3]
    sb, sg = float(wb.sum()), float(wg.sum())
    if sb <= 0 or sg <= 0:
        return 0.0, 0
    n1, n2 = sb * sb / float(w2b.sum()), sg * sg / float(w2g.sum())
    p, q = wb / sb, wg / sg
    m = (n1 * p + n2 * q) / (n1 + n2)
    keep = m > 0
    stat = n1 * (n2 / (n1 + n2)) * float(np.sum((p[keep] - q[keep]) ** 2 / m[keep]))
    return stat, int(keep.sum()) - 1


def crossfit_iv_test(fold_counts: Sequence[Mapping[str, np.ndarray]]) -> pd.DataFrame:
    """The cross-fitted test of IV = 0 per feature: the folds' chi-square statistics added up.

    On each fold, Pearson's chi-square of "events and non-events share one bin distribution"
    (the score test of IV = 0 on that fold's bins, Kish effective sizes under weights) is
    computed on the fold's own counts; the statistics and their degrees of freedom are added
    and referred to the chi-square law. Pearson's statistic rather than the IV's own
    (``2 n_eff IV / f''(1)``) because a fold holds a fifth of the rows: with 80 events in 8
    bins the IV statistic rejects 6.7% at 5%, Pearson's 5.2%, and a sum of five folds adds up
    their excess.

    Parameters
    ----------
    fold_counts : sequence of dict of str -> ndarray of shape (n_bins, 4)
        The output of :func:`crossfit_counts`.

    Returns
    -------
    DataFrame
        Indexed by feature: ``statistic``, ``df``, ``pvalue``, ``pvalue_method``
        (``"cross-fit"``) and ``n_folds``.

    Examples
    --------
    >>> import numpy as np
    >>> fold = {"x": np.array([[10.0, 10.0, 40.0, 40.0], [30.0, 30.0, 20.0, 20.0]])}
    >>> t = crossfit_iv_test([fold, fold])
    >>> int(t.loc["x", "df"]), round(float(t.loc["x", "statistic"]), 4)
    (2, 33.3333)
    """
    if not fold_counts:
        raise ValueError("fold_counts is empty: give the counts of at least one fold")
    features = list(fold_counts[0])
    rows = {}
    for f in features:
        parts = [_pearson(np.asarray(fold[f], dtype=float)) for fold in fold_counts]
        stat = float(sum(s for s, _ in parts))
        dof = int(sum(d for _, d in parts))
        rows[f] = {
            "statistic": stat,
            "df": dof,
            "pvalue": float(special.chdtrc(dof, stat)) if dof > 0 else 1.0,
            "pvalue_method": CROSS_FIT,
            "n_folds": len(fold_counts),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("feature")
