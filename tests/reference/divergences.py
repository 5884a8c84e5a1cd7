"""Textbook references for the divergence engine, written from the definitions.

Each divergence from its definition (no generator, no analytic derivative) and the delta-method
standard error by numerical differentiation of that definition: the independent computations
that ``tests/core/test_divergence.py`` (and any benchmark) checks :func:`infodiv.divergence`
against.
"""

from __future__ import annotations

import numpy as np

__all__ = ["KINDS", "reference_se", "reference_value"]

#: Every built-in divergence name of :data:`infodiv.core.DIVERGENCES`.
KINDS = ["kl", "reverse_kl", "jeffreys", "js", "hellinger", "tv", "chi2"]


def reference_value(kind, p, q):
    """Each divergence written from its textbook definition (issue table)."""
    if kind == "kl":
        return sum(pi * np.log(pi / qi) for pi, qi in zip(p, q, strict=False))
    if kind == "reverse_kl":
        return sum(qi * np.log(qi / pi) for pi, qi in zip(p, q, strict=False))
    if kind == "jeffreys":
        return sum((pi - qi) * np.log(pi / qi) for pi, qi in zip(p, q, strict=False))
    if kind == "js":
        m = [(a + b) / 2 for a, b in zip(p, q, strict=False)]
        return 0.5 * reference_value("kl", p, m) + 0.5 * reference_value("kl", q, m)
    if kind == "hellinger":
        return 0.5 * sum((np.sqrt(a) - np.sqrt(b)) ** 2 for a, b in zip(p, q, strict=False))
    if kind == "tv":
        return 0.5 * sum(abs(a - b) for a, b in zip(p, q, strict=False))
    if kind == "chi2":
        return sum((a - b) ** 2 / b for a, b in zip(p, q, strict=False))
    raise AssertionError(kind)


def reference_se(kind, P, Q):
    """Delta-method SE by numerical differentiation of the definition (no analytic gradient)."""
    n1, n2 = P.sum(), Q.sum()
    p, q = P / n1, Q / n2

    def grad(v, which):
        g = np.zeros(v.size)
        for j in range(v.size):
            h = 1e-6
            up, dn = v.copy(), v.copy()
            up[j] += h
            dn[j] -= h
            if which == "p":
                g[j] = (reference_value(kind, up, q) - reference_value(kind, dn, q)) / (2 * h)
            else:
                g[j] = (reference_value(kind, p, up) - reference_value(kind, p, dn)) / (2 * h)
        return g

    gp, gq = grad(p, "p"), grad(q, "q")
    cov_p = (np.diag(p) - np.outer(p, p)) / n1
    cov_q = (np.diag(q) - np.outer(q, q)) / n2
    return float(np.sqrt(gp @ cov_p @ gp + gq @ cov_q @ gq))
