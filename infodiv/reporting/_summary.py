"""The executive summary: one row per test, with a green/amber/red status.

The statuses follow documented thresholds (:class:`Thresholds`, all configurable):

* a test whose rejection is bad news (calibration, stability, fairness), on its p-value:
  green when ``p >= pvalue_amber`` (0.05), amber when ``pvalue_red <= p < pvalue_amber``, red
  when ``p < pvalue_red`` (0.01);
* discrimination, on the AUC: green when ``AUC >= auc_green`` (0.70), amber when
  ``auc_amber <= AUC < auc_green`` (0.60), red below;
* PSI, on its value, the customary traffic light: green below ``psi_amber`` (0.10), amber
  below ``psi_red`` (0.25), red above;
* fairness IV (Jeffreys divergence between the protected groups' score distributions), on its
  value: green below ``fairness_amber`` (0.02), amber below ``fairness_red`` (0.10), red above.

On large samples a p-value rule flags differences too small to matter; where a size measure
(AUC, PSI, fairness IV) exists, the status uses it and the p-value is shown beside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

import pandas as pd

from infodiv.exceptions import InvalidParameterError

__all__ = [
    "Thresholds",
    "hosmer_lemeshow",
    "jeffreys_interval",
    "summary_row",
    "summary_table",
]


@dataclass(frozen=True)
class Thresholds:
    """Thresholds of the green/amber/red statuses of the executive summary.

    Parameters
    ----------
    pvalue_amber : float, default 0.05
        A test whose rejection is bad news is amber below this p-value.
    pvalue_red : float, default 0.01
        ... and red below this one.
    auc_green : float, default 0.70
        Discrimination is green at or above this AUC.
    auc_amber : float, default 0.60
        ... amber at or above this one, red below.
    psi_amber : float, default 0.10
        PSI is amber at or above this value.
    psi_red : float, default 0.25
        ... and red at or above this one.
    fairness_amber : float, default 0.02
        Fairness IV of the score is amber at or above this value.
    fairness_red : float, default 0.10
        ... and red at or above this one.

    Examples
    --------
    >>> Thresholds().status_pvalue(0.03), Thresholds(pvalue_amber=0.01).status_pvalue(0.03)
    ('amber', 'green')
    """

    pvalue_amber: float = 0.05
    pvalue_red: float = 0.01
    auc_green: float = 0.70
    auc_amber: float = 0.60
    psi_amber: float = 0.10
    psi_red: float = 0.25
    fairness_amber: float = 0.02
    fairness_red: float = 0.10

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise InvalidParameterError(
                    f"thresholds {f.name} must be a finite number; got {v!r}"
                )
        pairs = [
            ("pvalue_red", "pvalue_amber"),
            ("auc_amber", "auc_green"),
            ("psi_amber", "psi_red"),
            ("fairness_amber", "fairness_red"),
        ]
        for lo, hi in pairs:
            if getattr(self, lo) > getattr(self, hi):
                raise InvalidParameterError(
                    f"thresholds {lo} ({getattr(self, lo)}) must not exceed {hi} "
                    f"({getattr(self, hi)})"
                )

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | Thresholds | None) -> Thresholds:
        """Thresholds from a mapping of some of the fields (the others keep their defaults).

        Parameters
        ----------
        values : mapping, Thresholds or None
            E.g. ``{"psi_red": 0.2}``.

        Returns
        -------
        Thresholds
            The thresholds.
        """
        if values is None:
            return cls()
        if isinstance(values, Thresholds):
            return values
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InvalidParameterError(
                f"thresholds: unknown names {unknown}; known are {sorted(known)}"
            )
        return cls(**{k: float(v) for k, v in values.items()})

    def to_dict(self) -> dict[str, float]:
        """The thresholds by name.

        Returns
        -------
        dict of str to float
            The fields.
        """
        return asdict(self)

    def status_pvalue(self, p: float) -> str:
        """The status of a test whose rejection is bad news, from its p-value.

        Parameters
        ----------
        p : float
            The p-value.

        Returns
        -------
        str
            ``green``, ``amber``, ``red`` (``info`` when the p-value is missing).
        """
        if p is None or not math.isfinite(p):
            return "info"
        return "red" if p < self.pvalue_red else "amber" if p < self.pvalue_amber else "green"

    def status_auc(self, auc: float) -> str:
        """The status of discrimination, from the AUC.

        Parameters
        ----------
        auc : float
            The AUC.

        Returns
        -------
        str
            ``green``, ``amber``, ``red`` (``info`` when missing).
        """
        if auc is None or not math.isfinite(auc):
            return "info"
        return "green" if auc >= self.auc_green else "amber" if auc >= self.auc_amber else "red"

    def status_psi(self, psi: float) -> str:
        """The status of a PSI (the customary traffic light).

        Parameters
        ----------
        psi : float
            The PSI.

        Returns
        -------
        str
            ``green``, ``amber``, ``red`` (``info`` when missing).
        """
        if psi is None or not math.isfinite(psi):
            return "info"
        return "red" if psi >= self.psi_red else "amber" if psi >= self.psi_amber else "green"

    def status_fairness(self, j: float) -> str:
        """The status of the fairness IV of the score.

        Parameters
        ----------
        j : float
            The fairness IV (Jeffreys divergence between the groups).

        Returns
        -------
        str
            ``green``, ``amber``, ``red`` (``info`` when missing).
        """
        if j is None or not math.isfinite(j):
            return "info"
        return "red" if j >= self.fairness_red else "amber" if j >= self.fairness_amber else "green"

    def note(self) -> str:
        """The rules in one line, for the report.

        Returns
        -------
        str
            The note.
        """

        def f(v: float, _digits: int) -> str:
            return f"{v:g}"

        return (
            "Status rules (configurable): tests whose rejection is bad news are green for "
            f"p >= {f(self.pvalue_amber, 3)}, amber for {f(self.pvalue_red, 3)} <= p < "
            f"{f(self.pvalue_amber, 3)}, red below; AUC green >= {f(self.auc_green, 3)}, "
            f"amber >= {f(self.auc_amber, 3)}; PSI green < {f(self.psi_amber, 3)} <= amber < "
            f"{f(self.psi_red, 3)} <= red; fairness IV green < {f(self.fairness_amber, 3)} <= "
            f"amber < {f(self.fairness_red, 3)} <= red. 'info' rows have no status rule."
        )


def summary_row(
    section: str,
    test: str,
    null_hypothesis: str,
    statistic: float,
    pvalue: float,
    status: str,
    detail: str = "",
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
        The statistic (or estimate) the status is set from.
    pvalue : float
        The p-value (NaN when the test has none).
    status : str
        ``green``, ``amber``, ``red`` or ``info``.
    detail : str, default ""
        One line: the estimate with its interval, the degrees of freedom, what was flagged.

    Returns
    -------
    dict
        The row.
    """
    if status not in ("green", "amber", "red", "info"):
        raise InvalidParameterError(f"status must be green, amber, red or info; got {status!r}")
    return {
        "section": section,
        "test": test,
        "null_hypothesis": null_hypothesis,
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
        Columns ``section``, ``test``, ``null_hypothesis``, ``statistic``, ``pvalue``,
        ``status``, ``detail``.
    """
    cols = ["section", "test", "null_hypothesis", "statistic", "pvalue", "status", "detail"]
    df = pd.DataFrame(rows, columns=cols)
    df["statistic"] = df["statistic"].astype(float)
    df["pvalue"] = df["pvalue"].astype(float)
    return df


def jeffreys_interval(defaults: Any, n: Any, alpha: float = 0.05) -> tuple[Any, Any]:
    """The Jeffreys interval of a default rate: Beta(k + 1/2, n - k + 1/2) quantiles.

    The lower end is 0 when ``k = 0`` and the upper end 1 when ``k = n`` (the usual
    convention).

    Parameters
    ----------
    defaults : array-like
        Defaults ``k`` per group.
    n : array-like
        Rows per group.
    alpha : float, default 0.05
        1 - the level.

    Returns
    -------
    tuple of arrays
        The lower and upper ends.

    Examples
    --------
    >>> lo, hi = jeffreys_interval([0, 5], [10, 10])
    >>> float(lo[0]), round(float(hi[1]), 4)
    (0.0, 0.7765)
    """
    import numpy as np
    from scipy import stats

    k = np.asarray(defaults, dtype=float)
    m = np.asarray(n, dtype=float)
    lo = np.where(k > 0, stats.beta.ppf(alpha / 2, k + 0.5, m - k + 0.5), 0.0)
    hi = np.where(k < m, stats.beta.ppf(1 - alpha / 2, k + 0.5, m - k + 0.5), 1.0)
    return lo, hi


def hosmer_lemeshow(
    n: Any, predicted: Any, observed: Any, df: int | None = None
) -> dict[str, float]:
    """Hosmer-Lemeshow test of calibration over groups (e.g. deciles of the PD).

    ``H = sum_g (O_g - E_g)^2 / (n_g p_g (1 - p_g))`` with ``E_g = n_g p_g`` (``p_g`` the
    group's mean PD, ``O_g`` its defaults), compared with chi-square on ``df`` degrees of
    freedom: by default ``G - 2`` (the customary choice for a model fitted on the same rows;
    on a holdout sample ``G`` is also defensible and gives a larger p-value).

    Parameters
    ----------
    n : array-like
        Rows per group.
    predicted : array-like
        Mean predicted PD per group.
    observed : array-like
        Observed default rate per group.
    df : int, optional
        Degrees of freedom (default ``G - 2``).

    Returns
    -------
    dict
        ``statistic``, ``df``, ``pvalue``.
    """
    import numpy as np
    from scipy import stats

    m = np.asarray(n, dtype=float)
    p = np.asarray(predicted, dtype=float)
    o = np.asarray(observed, dtype=float) * m
    keep = (m > 0) & (p > 0) & (p < 1)
    h = float(np.sum((o[keep] - m[keep] * p[keep]) ** 2 / (m[keep] * p[keep] * (1 - p[keep]))))
    dof = int(keep.sum()) - 2 if df is None else int(df)
    if dof < 1:
        raise InvalidParameterError(f"df must be >= 1; got {dof} (too few groups)")
    return {"statistic": h, "df": float(dof), "pvalue": float(stats.chi2.sf(h, dof))}
