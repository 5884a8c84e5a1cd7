"""The selection MILP's brute-force reference: every choice enumerated, written independently.

Used by ``tests/fairness/test_fairness_milp.py`` (optimum and dominance pruning against it);
benchmarks may import it too (``from tests.reference.milp import brute_force``).
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = ["brute_force"]


def brute_force(
    st,
    score_gap,
    feature_divergence,
    max_features,
    min_features,
    pairs,
    lam,
    kappa,
    margin="per_feature",
):
    """The optimum of the selection programme by enumeration.

    Every choice of at most one binning per feature is tried; the constraints and the
    objective are written out here from their definitions, not taken from
    :mod:`infodiv.fairness._milp`.

    Parameters
    ----------
    st : CandidateStats
        The candidates' coefficients.
    score_gap, feature_divergence : float or None
        The budgets (``None``: not constrained).
    max_features, min_features : int
        Bounds on the number of selected features.
    pairs : list of (str, str)
        Features that may not both be selected.
    lam, kappa : float
        The objective's SE penalty ``IV - lam SE`` and the budgets' SE margin.
    margin : {"per_feature", "score"} or 0
        Score-gap margin: ``kappa sum s`` (the former default), ``kappa sqrt(sum_ij Sigma_ij)``
        over the chosen pairs (``Sigma`` = ``st.gap_cov[m]``, or ``s_i^2`` on the diagonal
        when it is ``None``), or none.

    Returns
    -------
    best : float
        The optimal objective (``-inf`` when nothing is feasible).
    best_set : list of int or None
        The chosen candidates, sorted.
    """
    feats = list(dict.fromkeys(st.feature.tolist()))
    options = [[None, *np.flatnonzero(st.feature == f).tolist()] for f in feats]
    best, best_set = -np.inf, None
    for combo in itertools.product(*options):
        chosen = [c for c in combo if c is not None]
        if not min_features <= len(chosen) <= max_features:
            continue
        used = {st.feature[c] for c in chosen}
        if any(a in used and b in used for a, b in pairs):
            continue
        ok = True
        for m in range(st.gap.shape[1]):
            if feature_divergence is not None:
                lhs = sum(st.divergence[c, m] + kappa * st.divergence_se[c, m] for c in chosen)
                ok &= lhs <= feature_divergence + 1e-12
            if score_gap is not None:
                g = sum(st.gap[c, m] for c in chosen)
                if margin == "per_feature":
                    s = sum(kappa * st.gap_se[c, m] for c in chosen)
                elif margin == "score":
                    var = 0.0
                    for i in chosen:
                        for j in chosen:
                            if st.gap_cov is not None:
                                var += st.gap_cov[m][i][j]
                            elif i == j:
                                var += st.gap_se[i, m] ** 2
                    s = kappa * max(var, 0.0) ** 0.5
                else:
                    s = 0.0
                ok &= abs(g) + s <= score_gap + 1e-12
        if not ok:
            continue
        val = sum(st.iv[c] - lam * st.iv_se[c] for c in chosen)
        if val > best:
            best, best_set = val, sorted(chosen)
    return best, best_set
