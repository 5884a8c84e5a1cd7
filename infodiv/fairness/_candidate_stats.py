"""Per-candidate statistics of the fairness frontier's selection programme.

From one count table keyed by class and protected group (so through the divergence core, like
every infodiv number), for each candidate binning of each model input:

* its predictive IV (Jeffreys bad || good), bias-corrected, with SE;
* its fairness IV (Jeffreys group a || group b), bias-corrected, with SE;
* the groups' mean WoE difference ``Delta`` (log-odds units) with SE;

and, from the training rows themselves (:func:`gap_covariance`), the covariance matrix of the
candidates' ``Delta`` estimators, which the score-gap budget's ``"score"`` margin needs.

These are the coefficients of :func:`infodiv.fairness._milp.solve_selection`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from infodiv.core import CountTable, divergence
from infodiv.exceptions import InvalidParameterError, ZeroCellWarning
from infodiv.fairness._milp import CandidateStats
from infodiv.fairness._protected import CLASS, GROUP

__all__ = ["candidate_statistics", "gap_covariance"]

#: Refuse a covariance array larger than this (bytes): ``comparisons x candidates^2`` floats.
_MAX_COV_BYTES = 2_000_000_000
_CHUNK_ROWS = 4096


def _jeffreys(arr_p: np.ndarray, arr_q: np.ndarray, labels: Sequence[str], name: str):
    """The core's Jeffreys divergence of two ``[bin, stat]`` arrays (Kish sizes), exactly as
    :meth:`CountTable.divergence` calls it with ``weights="sampling"``."""
    return divergence(
        arr_p[:, 0],
        arr_q[:, 0],
        "jeffreys",
        p_sumsq=arr_p[:, 1].sum(),
        q_sumsq=arr_q[:, 1].sum(),
        labels=labels,
        name=name,
    )


def candidate_statistics(
    table: CountTable,
    candidates: Mapping[str, tuple[str, str]],
    comparisons: Sequence[tuple[str, str, str]],
    groups: Sequence[str],
) -> tuple[CandidateStats, dict[str, np.ndarray], pd.DataFrame]:
    """Coefficients of the selection programme from a count table keyed by class and group.

    Parameters
    ----------
    table : CountTable
        Keys ``"class"`` (0/1) and ``"group"``; one "feature" per candidate binning.
    candidates : dict
        ``{table feature: (model feature, candidate name)}``.
    comparisons : list of (label, a, b)
        From :func:`infodiv.fairness.group_comparisons`.
    groups : list of str
        All group labels (``"rest"`` comparisons pool the others).

    Returns
    -------
    stats : CandidateStats
    woe : dict
        WoE per bin (bad/good) of every candidate, from the smoothed IV cell shares.
    frame : DataFrame
        One row per candidate with every statistic (for display).

    Notes
    -----
    IV is the Jeffreys divergence of the class-1 and class-0 counts summed over groups, and
    the fairness IV that of group ``a`` and group ``b`` (or the rest) summed over classes:
    the values ``table.divergence(c, "class", 1, 0)`` and ``table.divergence(c, "group", a,
    b)`` give, computed by the same engine (:func:`infodiv.core.divergence`) on the same
    count vectors. The group mean WoE gap is ``Delta = sum_j WoE_j (p_aj - p_bj)``, with WoE
    held fixed and the group shares multinomial: ``Var = Var_a(WoE)/n_a + Var_b(WoE)/n_b``
    (Kish effective sizes).
    """
    if set(table.keys) != {CLASS, GROUP}:
        raise InvalidParameterError(f"table must be keyed by 'class' and 'group'; got {table.keys}")
    groups = list(groups)
    # per feature, sum_w and sum_w2 as arrays [bin, group, class, stat]: the candidates'
    # divergences are then a few array sums each instead of pandas selects
    arrays = table.cell_arrays({GROUP: groups, CLASS: [0, 1]}, stats=("sum_w", "sum_w2"))
    M = len(comparisons)
    C = len(candidates)
    rows, woe = [], {}
    iv, iv_se = np.zeros(C), np.zeros(C)
    div, div_se = np.zeros((C, M)), np.zeros((C, M))
    gap, gap_se = np.zeros((C, M)), np.zeros((C, M))
    with warnings.catch_warnings():
        # Zero cells are smoothed by the core (documented); counted in the frame instead.
        warnings.simplefilter("ignore", ZeroCellWarning)
        for i, (key, (feat, cname)) in enumerate(candidates.items()):
            arr = arrays[key]
            labels = table.labels[key]
            by_class = arr.sum(axis=1)  # [bin, class, stat]
            r = _jeffreys(by_class[:, 1], by_class[:, 0], labels, f"IV[{key}]")
            lr = r.log_ratios()[0]  # the WoE (bad/good); 0 in cells without both classes
            w = woe[key] = np.where(np.isfinite(lr), lr, 0.0)
            iv[i], iv_se[i] = r.bias_corrected, r.se
            row = {
                "candidate": key,
                "feature": feat,
                "binning": cname,
                "n_bins": r.df + 1,
                "iv": r.estimate,
                "iv_bias_corrected": r.bias_corrected,
                "iv_se": r.se,
                "smoothed_cells": len(r.smoothed_cells),
            }
            by_group = arr.sum(axis=2)  # [bin, group, stat]
            for m, (label, a, b) in enumerate(comparisons):
                side_a = by_group[:, groups.index(a)]
                if b == "rest":
                    side_b = by_group.sum(axis=1) - side_a
                else:
                    side_b = by_group[:, groups.index(b)]
                d = _jeffreys(side_a, side_b, labels, f"fairness IV[{key}]")
                div[i, m], div_se[i, m] = d.bias_corrected, d.se
                g = 0.0
                var = 0.0
                for sgn, side in ((1.0, side_a), (-1.0, side_b)):
                    sw = side[:, 0]
                    n_eff = sw.sum() ** 2 / side[:, 1].sum()
                    pr = sw / sw.sum()
                    mean = float(pr @ w)
                    g += sgn * mean
                    var += max(float(pr @ w**2) - mean**2, 0.0) / n_eff
                gap[i, m], gap_se[i, m] = g, np.sqrt(var)
                sfx = "" if M == 1 else f" [{label}]"
                row.update(
                    {
                        f"fairness_iv{sfx}": d.estimate,
                        f"fairness_iv_bias_corrected{sfx}": d.bias_corrected,
                        f"fairness_iv_se{sfx}": d.se,
                        f"woe_gap{sfx}": g,
                        f"woe_gap_se{sfx}": np.sqrt(var),
                    }
                )
            rows.append(row)
    stats = CandidateStats(
        feature=np.array([v[0] for v in candidates.values()], dtype=object),
        name=np.array(list(candidates), dtype=object),
        iv=iv,
        iv_se=iv_se,
        divergence=div,
        divergence_se=div_se,
        gap=gap,
        gap_se=gap_se,
        comparisons=[c[0] for c in comparisons],
    )
    return stats, woe, pd.DataFrame(rows).set_index("candidate")


def gap_covariance(
    codes: Mapping[str, np.ndarray],
    woe: Mapping[str, np.ndarray],
    keys: Sequence[str],
    group: np.ndarray,
    sample_weight: np.ndarray,
    comparisons: Sequence[tuple[str, str, str]],
) -> np.ndarray:
    """Covariance matrix of the candidates' group-gap estimators, per comparison.

    The gap of candidate ``c`` is ``Delta_c = mean_a(W_c) - mean_b(W_c)``, ``W_c`` being the
    WoE of each row's bin (held fixed, as for the per-candidate SE of
    :func:`candidate_statistics`), means weighted. The gap of a WoE-sum score ``sum_c z_c W_c``
    is ``Delta' z`` and its variance ``z' Sigma z`` with::

        Sigma = Cov_a(W) / n_a + Cov_b(W) / n_b

    (weighted covariances of the WoE columns within each side, ``n`` the Kish effective
    sizes; sides independent). Its diagonal is the per-candidate ``gap_se**2``, and the
    off-diagonal terms carry the correlation of the features (through the rows).

    Parameters
    ----------
    codes : dict
        Bin code of every training row, per candidate key.
    woe : dict
        WoE per bin, per candidate key (``woe[key][codes[key]]`` is the column ``W_c``).
    keys : sequence of str
        Candidate keys in the order of the programme's candidates.
    group : ndarray
        Protected group of every training row.
    sample_weight : ndarray
        Row weights.
    comparisons : list of (label, a, b)
        ``b`` may be ``"rest"`` (every group but ``a``).

    Returns
    -------
    ndarray (M, C, C)
        One symmetric positive semidefinite matrix per comparison.
    """
    C, M = len(keys), len(comparisons)
    if M * C * C * 8 > _MAX_COV_BYTES:
        raise InvalidParameterError(
            f"the score margin needs a {M} x {C} x {C} covariance array (over "
            f"{_MAX_COV_BYTES / 1e9:g} GB): use margin='per_feature' or 0, fewer candidates, "
            "or fewer comparisons"
        )
    from scipy.linalg.blas import dsyrk

    group = np.asarray(group)
    w = np.asarray(sample_weight, dtype=float)
    wsum = float(w.sum())
    # global weighted means, subtracted before the moments are summed (numerical accuracy)
    centre = np.array([float(w @ np.asarray(woe[k])[codes[k]]) / wsum for k in keys])

    def moments(rows: np.ndarray) -> tuple[float, float, np.ndarray, np.ndarray]:
        """sum w, sum w^2, sum w x, sum w x x' over ``rows`` (x = centred WoE columns)."""
        sw, sw2 = float(w[rows].sum()), float((w[rows] ** 2).sum())
        s1, s2 = np.zeros(C), np.zeros((C, C))
        for start in range(0, rows.size, _CHUNK_ROWS):
            r = rows[start : start + _CHUNK_ROWS]
            X = np.empty((C, r.size))  # candidates x rows: Fortran order of the rows x C matrix
            for j, k in enumerate(keys):
                X[j] = np.asarray(woe[k])[codes[k][r]] - centre[j]
            s1 += X @ w[r]
            Xw = X * np.sqrt(w[r])[None, :]
            s2 += dsyrk(1.0, Xw, trans=0, lower=0)  # Xw Xw', upper triangle
        s2 = np.triu(s2) + np.triu(s2, 1).T
        return sw, sw2, s1, s2

    cache: dict[str, tuple[float, float, np.ndarray, np.ndarray]] = {}
    total: list[tuple[float, float, np.ndarray, np.ndarray]] = []  # all rows, once needed

    def side(label: str, exclude: str | None = None) -> np.ndarray:
        if exclude is None:
            if label not in cache:
                cache[label] = moments(np.flatnonzero(group == label))
            sw, sw2, s1, s2 = cache[label]
        else:  # every row but group ``exclude``: all rows' moments minus that group's
            if not total:
                total.append(moments(np.arange(group.size)))
            if exclude not in cache:
                cache[exclude] = moments(np.flatnonzero(group == exclude))
            t, e = total[0], cache[exclude]
            sw, sw2, s1, s2 = t[0] - e[0], t[1] - e[1], t[2] - e[2], t[3] - e[3]
        mean = s1 / sw
        cov = s2 / sw - np.outer(mean, mean)  # weighted covariance of the WoE columns
        n_eff = sw**2 / sw2
        return cov / n_eff

    out = np.empty((M, C, C))
    for m, (_, a, b) in enumerate(comparisons):
        out[m] = side(a) + (side(b) if b != "rest" else side("", exclude=a))
        out[m] = (out[m] + out[m].T) / 2
    return out
