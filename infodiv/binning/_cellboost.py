"""Depth-1 boosting on cell tables in numpy: xgboost's ``hist`` stumps, every feature at once.

With ``strategy="per_feature"`` each column is boosted alone on its cell table (one weighted
entry per non-empty (cell, class), the cell index as the value, one histogram bin per cell).
XGBoost's Python wrapper then costs far more than the boosting (``Booster.update`` per round
and feature); the arithmetic of one round is a few vector operations on the cells. This module
does that arithmetic for all the features together, following what xgboost's ``hist`` updater
does for a depth-1 tree with ``binary:logistic``:

* the intercept: ``base_score`` is the weighted mean of the labels (float32), the margin
  starts at its logit;
* per round, per entry: ``p = sigmoid(margin)`` in float32, gradient ``(p - y) w`` and hessian
  ``max(p (1 - p), 1e-16) w`` in float32, summed per cell in float64 (the histogram);
* forward enumeration of the cut points (no missing values in a cell table): left = cells
  below the cut, right = the rest, both needing a hessian sum ``>= min_child_weight``; leaf
  weights ``w = -G / (H + lambda)`` (float32), the split's gain ``-(2 G w + (H + lambda)
  w^2)`` per side in float32, minus the parent's, with monotone constraints
  (``w_left <= w_right`` for an increasing one) as xgboost checks them; the first cut with the
  largest gain wins;
* a split only when its gain exceeds ``1e-6`` (xgboost's ``kRtEps``); otherwise the round
  grows a single leaf ``-G / (H + lambda)`` at the root; the leaf values, times the learning
  rate in float32, are added to the margins in float32.

``tests/binning/test_cell_booster.py`` checks the splits and their summed gains against
xgboost on the same cell tables (several seeds, weights, learning rates, ``reg_lambda``,
``min_child_weight`` and constraints).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__: list[str] = []

_EPS_HESS = np.float32(1e-16)
_RT_EPS = 1e-6


def boost_cells(
    tables: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
    *,
    n_estimators: int,
    learning_rate: float,
    constraints: Sequence[int],
    reg_lambda: float = 0.0,
    min_child_weight: float = 1e-9,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Depth-1 logistic boosting on the cell table of each feature, all features at once.

    Parameters
    ----------
    tables : sequence of (cell, y, w)
        Per feature, one entry per (cell, class): the cell index (non-negative integers as
        floats or ints), the class (0/1) and the weight (cast to float32, as xgboost reads it).
        Entries are taken in the given order within a cell (as xgboost sums the rows).
    n_estimators, learning_rate : int, float
        Rounds and shrinkage (xgboost's ``eta``).
    constraints : sequence of int
        Monotone constraint per feature (``+1``, ``-1`` or ``0``).
    reg_lambda, min_child_weight : float
        XGBoost's ``lambda`` and ``min_child_weight``.

    Returns
    -------
    list of (split, gain, trees)
        Per feature, as :func:`infodiv.binning._xgb._splits_of` reads a booster: the distinct
        split values (the cell index of the first non-empty cell to the right, as xgboost's
        cut value), the gain summed over the trees splitting there, and their number.
    """
    F = len(tables)
    if F == 0:
        return []
    ncell = [int(np.max(c)) + 1 if len(c) else 1 for c, _, _ in tables]
    C = max(ncell)
    # entries as dense [feature, cell, class] float32 weights (0 where absent)
    W = np.zeros((F, C, 2), dtype=np.float32)
    present = np.zeros((F, C), dtype=bool)
    for j, (c, yc, wc) in enumerate(tables):
        ci = np.asarray(c).astype(np.int64)
        yi = np.asarray(yc).astype(np.int64)
        W[j, ci, yi] = np.asarray(wc, dtype=np.float32)
        present[j, ci] = True
    lam = np.float64(np.float32(reg_lambda))
    mcw = float(np.float32(min_child_weight))
    eta = np.float32(learning_rate)
    cons = np.asarray(constraints, dtype=np.int64)[:, None]
    # intercept: weighted mean of the labels, float32; margin = its logit in float32
    wsum = W.astype(np.float64).sum(axis=(1, 2))
    base = (W[:, :, 1].astype(np.float64).sum(axis=1) / np.where(wsum > 0, wsum, 1.0)).astype(
        np.float32
    )
    base = np.clip(base, np.float32(1e-7), np.float32(1 - 1e-7))
    margin0 = (-np.log(np.float32(1) / base - np.float32(1))).astype(np.float32)
    margin = np.repeat(margin0[:, None], C, axis=1)  # [F, C] float32
    # the value xgboost reports for a cut before cell k: the next present cell's index
    idx = np.arange(C)
    nxt = np.where(present, idx[None, :], C)
    nxt = np.minimum.accumulate(nxt[:, ::-1], axis=1)[:, ::-1]
    W0, W1 = W[:, :, 0], W[:, :, 1]
    one = np.float32(1)
    rows = np.arange(F)
    inc, dec = cons > 0, cons < 0
    R = int(n_estimators)
    did = np.zeros((R, F), dtype=bool)
    at = np.zeros((R, F), dtype=np.int64)
    won = np.zeros((R, F), dtype=np.float32)
    if C < 2:  # a single cell: no cut, every round a root leaf
        C2 = 0
    else:
        C2 = C - 1
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for r in range(R):
            p = one / (one + np.exp(-margin))
            hh = np.maximum(p * (one - p), _EPS_HESS)
            g = (p * W0).astype(np.float64)
            g += ((p - one) * W1).astype(np.float64)
            h = (hh * W0).astype(np.float64)
            h += (hh * W1).astype(np.float64)
            np.cumsum(g, axis=1, out=g)
            np.cumsum(h, axis=1, out=h)
            G, H = g[:, -1:], h[:, -1:]
            wroot = _weight(G, H, lam, mcw)
            leaf = (wroot[:, 0] * eta).astype(np.float32)
            if C2 == 0:
                margin += leaf[:, None]
                continue
            # left = cells [0, k], right = the rest: both sides in one array
            Gs = np.stack([g[:, :-1], G - g[:, :-1]])
            Hs = np.stack([h[:, :-1], H - h[:, :-1]])
            ws = _weight(Gs, Hs, lam, mcw)
            gs = _gain(Gs, Hs, ws, lam)
            loss = (gs[0] + gs[1]) - _gain(G, H, wroot, lam)
            bad = (Hs[0] < mcw) | (Hs[1] < mcw)
            bad |= inc & (ws[0] > ws[1])
            bad |= dec & (ws[0] < ws[1])
            loss[bad] = -np.inf
            best = np.argmax(loss, axis=1)
            top = loss[rows, best]
            split = top > _RT_EPS
            cut = best + 1  # left = cells < cut
            lv = (ws[0][rows, best] * eta).astype(np.float32)
            rv = (ws[1][rows, best] * eta).astype(np.float32)
            lv = np.where(split, lv, leaf)
            rv = np.where(split, rv, leaf)
            margin += np.where(idx[None, :] < cut[:, None], lv[:, None], rv[:, None])
            did[r], won[r] = split, top
            at[r] = nxt[rows, np.minimum(cut, C - 1)]
    out = []
    for j in range(F):
        m = did[:, j]
        keys, inv = np.unique(at[m, j], return_inverse=True)
        gains = np.zeros(keys.size)
        for i, g_ in zip(inv, won[m, j].astype(float), strict=True):  # in tree order
            gains[i] += g_
        out.append((keys.astype(float), gains, np.bincount(inv, minlength=keys.size)))
    return out


def _weight(G: np.ndarray, H: np.ndarray, lam: np.float64, mcw: float) -> np.ndarray:
    """XGBoost's leaf weight ``-G / (H + lambda)`` (0 below ``min_child_weight``), float32."""
    w = np.where((H < mcw) | (H <= 0), 0.0, -G / (H + lam))
    return w.astype(np.float32)


def _gain(G: np.ndarray, H: np.ndarray, w: np.ndarray, lam: np.float64) -> np.ndarray:
    """``-(2 G w + (H + lambda) w^2)`` given the float32 weight, as a float32 (0 if ``H <= 0``)."""
    wd = w.astype(np.float64)
    out = -(2.0 * G * wd + (H + lam) * wd * wd)
    return np.where(H <= 0, 0.0, out).astype(np.float32)
