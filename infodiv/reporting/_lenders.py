"""The report's fair-lending section: cut-off metrics and less discriminatory alternatives."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from infodiv.fairness import approval_metrics
from infodiv.reporting._writer import Section

__all__ = ["lenders_section"]

#: Columns of the cut-off metrics shown in the report (of ``ApprovalMetrics.table``).
CUTOFF_COLUMNS = [
    "cutoff",
    "reference",
    "approval_rate",
    "reference_approval_rate",
    "air",
    "air_ci_low",
    "air_ci_high",
    "four_fifths",
    "approval_difference",
    "approval_difference_ci_low",
    "approval_difference_ci_high",
    "eo_difference",
    "eo_difference_ci_low",
    "eo_difference_ci_high",
    "smd",
    "smd_ci_low",
    "smd_ci_high",
    "note",
]
#: Columns of the alternatives table shown in the report.
ALTERNATIVE_COLUMNS = [
    "retained",
    "rank",
    "estimate",
    "ci_low",
    "ci_high",
    "pvalue",
    "auc",
    "air_parity",
    "air",
    "air_group",
    "air_ci_low",
    "air_ci_high",
    "four_fifths",
    "fairness_iv",
    "fairness_upper_bound",
    "n_features",
    "features",
    "status",
]


def lenders_section(
    scores: Any,
    groups: Mapping[str, Any],
    y: Any,
    *,
    frontier: Any = None,
    approval_rates: Sequence[float] = (0.5, 0.7, 0.9),
    alternatives_rate: float = 0.7,
    alpha: float = 0.05,
) -> Section:
    """The fair-lending section: what lenders report at the cut-off, and the LDA search.

    Parameters
    ----------
    scores : array-like
        The report scorecard's points on the holdout rows (higher is safer).
    groups : mapping of str -> array-like
        Per protected attribute, the holdout rows' group labels.
    y : array-like
        The holdout target (0/1, 1 = bad).
    frontier : FairnessFrontier, optional
        A fitted frontier: adds the table of less discriminatory alternatives (on its own
        held-out part) at ``alternatives_rate``.
    approval_rates : sequence of float
        Approval rates at which the cut-off metrics are reported.
    alternatives_rate : float
        Approval rate of the alternatives' adverse impact ratios.
    alpha : float
        Level of the intervals and tests.

    Returns
    -------
    Section
        Key ``"lenders"``, with one cut-off table per attribute and the alternatives table.
    """
    sec = Section("lenders", "Fair lending: cut-off metrics and less discriminatory alternatives")
    sec.text.append(
        "At each approval rate, the cut-off approves that share of the holdout (ties at the "
        "cut-off approved). Adverse impact ratio (AIR) = approval rate of the group / that of "
        "the reference group (the group with the highest approval rate), with a score "
        "interval; four_fifths says whether the whole interval lies below 0.8 ('below'), "
        "none of it ('not below') or neither ('inconclusive'). Approval-rate and "
        "equal-opportunity (approval among goods) differences with Newcombe intervals; "
        "standardised mean difference (SMD) of the scores with a delta-method interval. The "
        "cut-off's own sampling error is not in the intervals."
    )
    yy = np.asarray(y)
    for attr, g in groups.items():
        res = approval_metrics(
            scores, g, yy, approval_rate=list(approval_rates), reference="highest", alpha=alpha
        )
        t = res.table
        sec.tables[f"Cut-off metrics (holdout): {attr}"] = t[
            [c for c in CUTOFF_COLUMNS if c in t.columns]
        ].reset_index()
        sec.data.setdefault("air", {})[attr] = {
            f"{rate:g} {grp}": float(v) for (rate, grp), v in t["air"].items()
        }
    if frontier is not None:
        alt = frontier.alternatives(approval_rate=alternatives_rate, reference="highest")
        sec.text.append(
            f"Less discriminatory alternatives: every frontier point against the unconstrained "
            f"point 0 on the frontier's held-out part; {alt.criterion}. Retained points are "
            f"ranked by air_parity = min(AIR, 1/AIR) of the group furthest from parity at an "
            f"approval rate of {alternatives_rate:g} (higher first), then by the score's "
            "fairness IV upper bound. estimate = AUC - baseline AUC (DeLong, paired); pvalue is "
            "one-sided (AUC below the baseline's)."
        )
        t = alt.summary()
        sec.tables["Less discriminatory alternatives"] = t[
            [c for c in ALTERNATIVE_COLUMNS if c in t.columns]
        ]
        sec.data["alternatives_retained"] = [int(k) for k in t.index[t["retained"].astype(bool)]]
    return sec
