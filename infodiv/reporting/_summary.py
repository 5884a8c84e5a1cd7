"""The executive summary: one row per test, with a green/amber/red status.

The statuses follow the one threshold system of infodiv, shared with the validation pack:
:data:`infodiv.credit.DEFAULT_THRESHOLDS`, pairs ``(amber, red)`` by name, merged with the
user's by :func:`infodiv.credit.check_thresholds` and read by
:func:`infodiv.credit.status_of` (``docs/validation.md``, "Status thresholds"). The report
uses ``pvalue`` (calibration), ``auc`` (discrimination), ``psi`` (stability) and ``fairness``
(fairness IV of the score between the protected groups).

On large samples a p-value rule flags differences too small to matter; where a size measure
(AUC, PSI, fairness IV) exists, the status uses it and the p-value is shown beside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from infodiv.credit import status_of
from infodiv.exceptions import InvalidParameterError

__all__ = ["SUMMARY_COLUMNS", "summary_row", "summary_table"]

#: The columns of the executive summary of both reports (as the validation pack's ``tests``).
SUMMARY_COLUMNS = [
    "section",
    "test",
    "null_hypothesis",
    "estimate",
    "statistic",
    "pvalue",
    "status",
    "detail",
]

#: How each name is read, for the note under the summary table.
_RULES = {
    "pvalue": "p-value: amber below {a:g}, red below {r:g}",
    "auc": "AUC: amber below {a:g}, red below {r:g}",
    "coef_pvalue": "largest coefficient p-value: amber above {a:g}, red above {r:g}",
    "psi": "PSI: amber from {a:g}, red from {r:g}",
    "herfindahl": "normalised Herfindahl: amber from {a:g}, red from {r:g}",
    "mwb": "matrix weighted bandwidths: amber from {a:g}, red from {r:g}",
    "vif": "largest VIF: amber from {a:g}, red from {r:g}",
    "fairness": "fairness IV of the score: amber from {a:g}, red from {r:g}",
}


def status(value: float | None, key: str, thresholds: Mapping[str, tuple[float, float]]) -> str:
    """The status of ``value`` by :func:`infodiv.credit.status_of`; ``info`` when missing."""
    if value is None or not math.isfinite(float(value)):
        return "info"
    return status_of(float(value), key, thresholds)


def threshold_note(
    thresholds: Mapping[str, tuple[float, float]],
    keys: Any = None,
    tail: str = "'info' rows have no status rule.",
) -> str:
    """The status rules in one line, for the note under the summary table."""
    parts = []
    for k in keys if keys is not None else thresholds:
        a, r = thresholds[k]
        rule = _RULES.get(k, k + ": amber from {a:g}, red from {r:g}")
        parts.append(rule.format(a=a, r=r))
    return (
        "Status thresholds (amber, red; infodiv.credit.DEFAULT_THRESHOLDS, configurable): "
        + "; ".join(parts)
        + ". "
        + tail
    )


def summary_row(
    section: str,
    test: str,
    null_hypothesis: str,
    statistic: float,
    pvalue: float,
    status: str,
    detail: str = "",
    estimate: float | None = None,
) -> dict[str, Any]:
    """One row of the executive summary.

    Parameters
    ----------
    section : str
        The report section the test belongs to.
    test : str
        The test's name.
    null_hypothesis : str
        Its null hypothesis in words.
    statistic : float
        The test statistic (NaN when the row has no test).
    pvalue : float
        The p-value (NaN when the test has none).
    status : str
        ``green``, ``amber``, ``red`` or ``info``.
    detail : str, default ""
        One line: the estimate with its interval, the degrees of freedom, what was flagged.
    estimate : float, optional
        The quantity measured (AUC, PSI, default rate, ...); NaN when none.

    Returns
    -------
    dict
        The row, with the keys of :data:`SUMMARY_COLUMNS`.
    """
    if status not in ("green", "amber", "red", "info"):
        raise InvalidParameterError(f"status must be green, amber, red or info; got {status!r}")
    return {
        "section": section,
        "test": test,
        "null_hypothesis": null_hypothesis,
        "estimate": float(estimate) if estimate is not None else math.nan,
        "statistic": float(statistic) if statistic is not None else math.nan,
        "pvalue": float(pvalue) if pvalue is not None else math.nan,
        "status": status,
        "detail": detail,
    }


def summary_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The executive summary table from rows made by :func:`summary_row`.

    Parameters
    ----------
    rows : list of dict
        The rows.

    Returns
    -------
    DataFrame
        Columns ``section``, ``test``, ``null_hypothesis``, ``estimate``, ``statistic``,
        ``pvalue``, ``status``, ``detail`` (as the validation pack's ``tests``).
    """
    df = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for c in ("estimate", "statistic", "pvalue"):
        df[c] = df[c].astype(float)
    return df
