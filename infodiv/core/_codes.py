"""Bin codes of many values against a few sorted edges, fast.

``np.searchsorted`` does a branchy binary search per value: 20-40 ns a value against 20-70
edges, which is most of the time of binning a million-row table. Against a few edges it is
cheaper to count, for every value, the edges at or below it, one vectorised comparison per
edge (a fraction of a nanosecond per value and edge). :func:`right_codes` picks the faster
of the two and always returns what ``searchsorted`` returns.
"""

from __future__ import annotations

import numpy as np

#: at most this many edges are counted by comparisons; more go to ``searchsorted``
COMPARE_MAX_EDGES = 96


def right_codes(edges: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``np.searchsorted(edges, values, side="right")`` for sorted float edges, fast.

    Parameters
    ----------
    edges : numpy.ndarray
        Sorted (non-decreasing) edges without NaN.
    values : numpy.ndarray
        One-dimensional values; NaN sorts after every edge, as in ``searchsorted``.

    Returns
    -------
    numpy.ndarray of intp
        The number of edges at or below each value (``len(edges)`` for NaN), equal to
        ``np.searchsorted(edges, values, side="right")``.

    Notes
    -----
    Float64 values against float64 edges (the comparisons are then those of
    ``searchsorted``); any other dtype, or more than :data:`COMPARE_MAX_EDGES` edges, is
    passed to ``searchsorted``.
    """
    edges = np.asarray(edges)
    values = np.asarray(values)
    m = edges.size
    if (
        m > COMPARE_MAX_EDGES
        or values.ndim != 1
        or values.dtype != np.float64
        or edges.dtype != np.float64
    ):
        return np.searchsorted(edges, values, side="right")
    acc = np.zeros(values.size, dtype=np.uint8)
    hit = np.empty(values.size, dtype=bool)
    for e in edges:
        np.greater_equal(values, e, out=hit)
        acc += hit
    if m:
        nan = np.isnan(values)
        if nan.any():
            acc[nan] = m
    return acc.astype(np.intp)  # an intp index takes several times faster than uint8
