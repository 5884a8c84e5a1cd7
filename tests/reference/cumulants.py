"""Cumulants of powers of a scalar from its raw moments: the independent reference for the p-n
criterion (imported by ``tests/sample_size`` and ``benchmarks/sample_size_mc.py``).

Nothing here calls infodiv: central moments come from the subset (binomial) expansion of raw
moments, cumulants from the moment-cumulant relations, raw moments of the normal from the
recursion ``E X^r = mu E X^(r-1) + (r - 1) v E X^(r-2)`` and of the gamma from the Gamma function.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy import special

__all__ = ["cumulants_from_raw", "gamma_raw", "normal_raw"]


def cumulants_from_raw(raw, powers):
    """Covariance, third and fourth cumulants of T = (X^k for k in powers) from raw moments.

    ``raw[m] = E X^m``. Central moments by the subset (binomial) expansion, then
    ``k4 = m4 - (three pairings of m2)``.
    """
    p = len(powers)
    mu = np.array([raw[k] for k in powers])

    def E(idx):
        return raw[sum(powers[i] for i in idx)] if idx else 1.0

    def central(idx):
        tot = 0.0
        for keep in itertools.product([0, 1], repeat=len(idx)):
            ins = [idx[k] for k in range(len(idx)) if keep[k]]
            outs = [idx[k] for k in range(len(idx)) if not keep[k]]
            tot += (-1) ** len(outs) * E(ins) * np.prod([mu[o] for o in outs])
        return tot

    C2 = np.array([[central((i, j)) for j in range(p)] for i in range(p)])
    C3 = np.zeros((p,) * 3)
    C4 = np.zeros((p,) * 4)
    for idx in itertools.product(range(p), repeat=3):
        C3[idx] = central(idx)
    for idx in itertools.product(range(p), repeat=4):
        i, j, k, m = idx
        C4[idx] = central(idx) - C2[i, j] * C2[k, m] - C2[i, k] * C2[j, m] - C2[i, m] * C2[j, k]
    return C2, C3, C4


def normal_raw(mu, v, top=8):
    """Raw moments ``E X^r``, r = 0..top, of N(mu, v) by the recursion above."""
    raw = [1.0, mu]
    for r in range(2, top + 1):
        raw.append(mu * raw[-1] + (r - 1) * v * raw[-2])
    return raw


def gamma_raw(k, top=8):
    """Raw moments ``E X^r = Gamma(k + r) / Gamma(k)``, r = 0..top, of gamma(k, scale 1)."""
    return [math.exp(special.gammaln(k + r) - special.gammaln(k)) for r in range(top + 1)]
