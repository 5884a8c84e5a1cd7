"""What lenders report at an approval cut-off: adverse impact ratios and friends, with CIs.

At a cut-off (a score, or the score that approves a given share of the applicants), every
non-reference protected group is compared with the reference group on:

``air``
    The adverse impact ratio, ``p_g / p_r`` (approval rate of the group over the reference
    group's), with the four-fifths flag ``air < 0.8``. Interval: by default the score
    interval of a ratio of two binomial proportions (Koopman 1984; the Miettinen-Nurminen
    interval without its ``N / (N - 1)`` factor), which is defined with no approvals in the
    group (``air = 0``, interval ``[0, upper]``) and covers close to the nominal level with
    few applicants; ``ci_method="log"`` gives the delta-method (Katz) interval on the log
    ratio, ``exp(log(air) +/- z se)``, ``se^2 = (1 - p_g) / x_g + (1 - p_r) / x_r`` (``x``:
    the approvals), with half an approval and half a decline added to both groups where one
    has none or all approved (Haldane-Anscombe; noted). ``se`` is the delta-method SE of the ratio itself,
    ``air * se(log air)``.
``approval_difference``
    ``p_g - p_r``, with Newcombe's hybrid score interval (from the two Wilson intervals;
    Newcombe 1998, method 10), defined at rates of 0 and 1.
``eo_difference``
    Equal opportunity: the same difference among the *goods* (non-events of ``y``) only,
    i.e. the gap in true-approval rates of creditworthy applicants. Needs ``y``; its event
    (bad) class is the library's rule (0/1 or boolean: 1/``True``; other labels: ``event``,
    never guessed).
``smd``
    The standardised mean difference of the scores, ``(mean_g - mean_r) / s_pooled``
    (Cohen's ``d`` with the pooled within-group SD), in score units: with
    ``higher_is_better`` a negative ``smd`` means the group scores lower. Its SE is the
    delta method without a normality assumption (the groups' skewness and kurtosis enter);
    for normal scores with equal variances it reduces to the Hedges-Olkin
    ``sqrt(1/n_g + 1/n_r + d^2 / (2 (n_g + n_r)))``. It does not depend on the cut-off (it
    is repeated in each cut-off's rows).

The p-value of ``air`` and ``approval_difference`` is the two-sample score (Pearson
chi-square) test of equal approval rates, that of ``eo_difference`` the same test among the
goods, that of ``smd`` its Wald test. With ``sample_weight`` the rates and moments are
weighted and the counts in every interval are Kish effective sizes.

The cut-off is taken as given: with ``approval_rate``, the cut-off is the score that approves
that share of *these* rows (ties at the cut-off are approved, so the share reached, column
``approval_rate``, can exceed the target), and its own sampling error is not in the intervals
(see the coverage figures in ``docs/fairness.md``).

Degenerate cut-offs are results with a note (column ``note``), never a silent ``inf`` or
``nan``: a group with no approvals has ``air = 0``; a reference group with no approvals makes
the ratio undefined (``air`` NaN, note); a group with no goods has no ``eo_difference`` (NaN,
note); a constant score has no ``smd`` (NaN, note). A cut-off outside the range of the scores
and a reference group that is not among the groups raise
:class:`~infodiv.exceptions.InvalidParameterError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import optimize, stats

from infodiv._validation import (
    align_inputs,
    check_alpha,
    check_binary_target,
    check_real_array,
    check_sample_weight,
    check_weight_reading,
)
from infodiv.core import ConfidenceInterval, ResultBase, order_columns
from infodiv.exceptions import InvalidParameterError

__all__ = ["AlternativesResult", "ApprovalMetrics", "approval_metrics"]

#: The four-fifths rule of the US Uniform Guidelines (29 CFR 1607.4 D).
FOUR_FIFTHS = 0.8
#: The metrics of every (cut-off, group), in the order of the long table.
METRICS = ("air", "approval_difference", "eo_difference", "smd")
AirMethod = Literal["score", "log"]


# ---------------------------------------------------------------------- intervals
def wilson_interval(x: float, n: float, z: float) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion ``x / n`` (``x``, ``n`` may be fractional).

    Parameters
    ----------
    x, n : float
        Successes and trials (Kish effective sizes under weights); ``n > 0``.
    z : float
        Normal quantile of the two-sided level.

    Returns
    -------
    tuple of float
        ``(low, high)`` inside ``[0, 1]``.
    """
    p = x / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * np.sqrt(max(p * (1 - p) / n + z * z / (4 * n * n), 0.0)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_interval(x1: float, n1: float, x2: float, n2: float, z: float) -> tuple[float, float]:
    """Newcombe's hybrid score interval of ``x1/n1 - x2/n2`` (method 10 of Newcombe 1998)."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1, z)
    l2, u2 = wilson_interval(x2, n2, z)
    d = p1 - p2
    return (
        d - float(np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)),
        d + float(np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)),
    )


def _ratio_score_stat(r: float, x1: float, n1: float, x2: float, n2: float) -> float:
    """Score statistic ``(p1 - r p2)^2 / V(r)`` of H0: ``p1 / p2 = r`` (restricted MLE in V)."""
    N = n1 + n2
    a = N * r
    b = -(r * n1 + x1 + n2 + r * x2)
    c = x1 + x2
    disc = max(b * b - 4 * a * c, 0.0)
    p2 = (-b - np.sqrt(disc)) / (2 * a)
    p2 = min(max(p2, 0.0), 1.0)
    p1 = min(r * p2, 1.0)
    v = p1 * (1 - p1) / n1 + r * r * p2 * (1 - p2) / n2
    num = (x1 / n1 - r * x2 / n2) ** 2
    if v <= 0:
        return 0.0 if num == 0 else np.inf
    return float(num / v)


def ratio_score_interval(
    x1: float, n1: float, x2: float, n2: float, z: float
) -> tuple[float, float]:
    """Score interval of the ratio ``p1 / p2`` of two binomial proportions (Koopman 1984).

    The set of ratios ``r`` that the score test of ``p1 = r p2`` does not reject at the
    two-sided level of ``z`` (the Miettinen-Nurminen statistic without its ``N / (N - 1)``
    factor; statsmodels' ``confint_proportions_2indep(method="score", compare="ratio",
    correction=False)``). Needs ``x2 > 0``; ``x1 = 0`` gives ``[0, upper]``.

    Parameters
    ----------
    x1, n1, x2, n2 : float
        Successes and trials of the two samples (Kish effective sizes under weights).
    z : float
        Normal quantile of the two-sided level.

    Returns
    -------
    tuple of float
        ``(low, high)``.
    """
    crit = z * z
    est = (x1 / n1) / (x2 / n2)

    def f(t: float) -> float:
        return _ratio_score_stat(float(np.exp(t)), x1, n1, x2, n2) - crit

    def root(direction: float, t0: float) -> float:
        step = 1.0
        for _ in range(60):
            t1 = t0 + direction * step
            if f(t1) > 0:
                lo, hi = sorted((t0, t1))
                return float(np.exp(optimize.brentq(f, lo, hi, xtol=1e-12)))
            t0, step = t1, 2 * step
        return 0.0 if direction < 0 else np.inf

    if x1 <= 0:
        # the estimate is 0; the statistic rises from 0 with r
        t_start = np.log(1e-12 * (1.0 / max(n1, 1.0)) + 1e-300)
        return 0.0, root(+1.0, float(max(t_start, -700.0)))
    t_hat = float(np.log(est))
    return root(-1.0, t_hat), root(+1.0, t_hat)


def _pooled_test(x1: float, n1: float, x2: float, n2: float) -> tuple[float, float]:
    """Score (Pearson chi-square) test of equal proportions: ``(z, two-sided p)``."""
    p = (x1 + x2) / (n1 + n2)
    v = p * (1 - p) * (1 / n1 + 1 / n2)
    d = x1 / n1 - x2 / n2
    if v <= 0:
        return 0.0, 1.0  # both rates 0 or both 1: no evidence of a difference
    z = d / np.sqrt(v)
    return float(z), float(2 * stats.norm.sf(abs(z)))


# ---------------------------------------------------------------------- group statistics
def _kish(w: np.ndarray) -> float:
    s2 = float((w * w).sum())
    return float(w.sum() ** 2 / s2) if s2 > 0 else 0.0


def _rate(approved: np.ndarray, w: np.ndarray) -> tuple[float, float, float]:
    """Approval rate, effective approvals and effective size of a group (weighted)."""
    tw = float(w.sum())
    n = _kish(w)
    p = float((w * approved).sum() / tw) if tw > 0 else np.nan
    return p, p * n, n


def _moments(s: np.ndarray, w: np.ndarray) -> tuple[float, float, float, float, float]:
    """Weighted mean, variance (``n/(n-1)``), third and fourth central moments, Kish size."""
    tw = float(w.sum())
    n = _kish(w)
    m = float((w * s).sum() / tw)
    d = s - m
    m2 = float((w * d * d).sum() / tw)
    m3 = float((w * d**3).sum() / tw)
    m4 = float((w * d**4).sum() / tw)
    var = m2 * n / (n - 1) if n > 1 else np.nan
    return m, var, m3, m4, n


def smd_and_se(
    g: tuple[float, float, float, float, float], r: tuple[float, float, float, float, float]
) -> tuple[float, float]:
    """Cohen's ``d`` of group vs reference and its delta-method SE (no normality assumed).

    ``d = (m_g - m_r) / s_p`` with ``s_p^2 = ((n_g - 1) v_g + (n_r - 1) v_r) / (n_g + n_r -
    2)``; ``Var(d) = Var(D) / s_p^2 - d Cov(D, s_p^2) / s_p^3 + d^2 Var(s_p^2) / (4 s_p^4)``
    with ``D = m_g - m_r``, ``Var(m) = v / n``, ``Var(v) = (mu4 - v^2) / n`` and ``Cov(m, v)
    = mu3 / n`` in each group.
    """
    mg, vg, m3g, m4g, ng = g
    mr, vr, m3r, m4r, nr = r
    if not (ng > 1 and nr > 1) or not (np.isfinite(vg) and np.isfinite(vr)):
        return np.nan, np.nan
    wg, wr = (ng - 1) / (ng + nr - 2), (nr - 1) / (ng + nr - 2)
    sp2 = wg * vg + wr * vr
    if not sp2 > 0:
        return np.nan, np.nan
    sp = float(np.sqrt(sp2))
    d = (mg - mr) / sp
    var_D = vg / ng + vr / nr
    var_sp2 = wg * wg * max(m4g - vg * vg, 0.0) / ng + wr * wr * max(m4r - vr * vr, 0.0) / nr
    cov = wg * m3g / ng - wr * m3r / nr
    var_d = var_D / sp2 - d * cov / sp**3 + d * d * var_sp2 / (4 * sp2 * sp2)
    return float(d), float(np.sqrt(max(var_d, 0.0)))


# ---------------------------------------------------------------------- the result
#: Columns of :attr:`ApprovalMetrics.table`, in order.
TABLE_COLUMNS = [
    "cutoff",
    "target_approval_rate",
    "pooled_approval_rate",
    "reference",
    "n",
    "n_reference",
    "approved",
    "approved_reference",
    "approval_rate",
    "reference_approval_rate",
    "air",
    "air_se",
    "air_ci_low",
    "air_ci_high",
    "four_fifths_flag",
    "four_fifths",
    "approval_difference",
    "approval_difference_se",
    "approval_difference_ci_low",
    "approval_difference_ci_high",
    "approval_pvalue",
    "good_approval_rate",
    "reference_good_approval_rate",
    "eo_difference",
    "eo_difference_se",
    "eo_difference_ci_low",
    "eo_difference_ci_high",
    "eo_pvalue",
    "smd",
    "smd_se",
    "smd_ci_low",
    "smd_ci_high",
    "smd_pvalue",
    "note",
]


@dataclass(repr=False)
class ApprovalMetrics(ResultBase):
    """Adverse impact ratios, approval and equal-opportunity gaps and score SMDs, with CIs.

    A vector result on the (``cutoff``, ``group``, ``metric``) index, ``metric`` one of
    ``air``, ``approval_difference``, ``eo_difference`` (with ``y``) and ``smd``:
    :attr:`estimate`, :attr:`se`, :attr:`pvalue`, :meth:`conf_int` and :meth:`summary` follow
    the results contract; :attr:`table` is the lenders' wide table, one row per (cut-off,
    non-reference group). See :func:`approval_metrics` and the module docstring for the
    definitions and intervals.

    Parameters
    ----------
    stats : DataFrame
        Per (``cutoff``, ``group``) the raw statistics every number is computed from (weighted
        and effective counts, score moments).
    reference : str
        The reference group.
    alpha : float
        Level of the default intervals.
    ci_method : {"score", "log"}
        Interval of the adverse impact ratio.
    higher_is_better : bool
        Whether applicants at or above the cut-off are approved (else at or below).
    groups : list of str
        Every group, sorted.
    """

    stats: pd.DataFrame
    reference: str
    alpha: float
    ci_method: str
    higher_is_better: bool
    groups: list[str]

    @property
    def level(self) -> str:
        """Name of the first index level: ``"target_approval_rate"`` (rates given) or ``"cutoff"``."""
        return (
            "target_approval_rate" if self.stats["target_approval_rate"].notna().any() else "cutoff"
        )

    # -------------------------------------------------------------- tables
    def _rows(self, alpha: float) -> tuple[pd.DataFrame, pd.DataFrame]:
        cache = self.__dict__.setdefault("_cache", {})
        if alpha not in cache:
            cache[alpha] = self._build(alpha)
        table, summary = cache[alpha]
        return table.copy(), summary.copy()

    def _build(self, alpha: float) -> tuple[pd.DataFrame, pd.DataFrame]:
        z = float(stats.norm.ppf(1 - alpha / 2))
        wide: list[dict[str, Any]] = []
        long: list[tuple[Any, ...]] = []
        for (_, grp), s in self.stats.iterrows():
            cut = s["target_approval_rate"] if self.level != "cutoff" else s["cutoff"]
            notes: list[str] = []
            xg, ng, xr, nr = s["x_eff"], s["n_eff"], s["x_eff_ref"], s["n_eff_ref"]
            pg, pr = s["approval_rate"], s["reference_approval_rate"]
            row: dict[str, Any] = {
                self.level: cut,
                "group": grp,
                "cutoff": s["cutoff"],
                "target_approval_rate": s["target_approval_rate"],
                "pooled_approval_rate": s["pooled_approval_rate"],
                "reference": s["reference_group"],
                "n": s["n"],
                "n_reference": s["n_ref"],
                "approved": s["approved"],
                "approved_reference": s["approved_ref"],
                "approval_rate": pg,
                "reference_approval_rate": pr,
            }
            # --- adverse impact ratio
            air = se_air = lo = hi = np.nan
            how = self.ci_method
            if not xr > 0:
                notes.append(
                    f"the reference group {self.reference!r} has no approvals at this cut-off: "
                    "the adverse impact ratio is undefined"
                )
            else:
                air = pg / pr
                if xg > 0:
                    se_air = air * float(np.sqrt(max((1 - pg) / xg + (1 - pr) / xr, 0.0)))
                else:
                    notes.append(
                        f"group {grp!r} has no approvals at this cut-off: air = 0 (no "
                        "delta-method SE; the score interval is [0, upper])"
                    )
                if how == "score":
                    lo, hi = ratio_score_interval(xg, ng, xr, nr, z)
                else:
                    ag, ar, mg, mr = xg, xr, ng, nr
                    if min(xg, xr) <= 0 or max(xg - ng, xr - nr) >= 0:
                        ag, ar, mg, mr = xg + 0.5, xr + 0.5, ng + 1.0, nr + 1.0
                        notes.append(
                            "log interval with half an approval and half a decline added to "
                            "both groups"
                        )
                    lr = np.log((ag / mg) / (ar / mr))
                    sl = np.sqrt(max(1 / ag - 1 / mg + 1 / ar - 1 / mr, 0.0))
                    lo, hi = float(np.exp(lr - z * sl)), float(np.exp(lr + z * sl))
            zt, pv = _pooled_test(xg, ng, xr, nr)
            row.update(
                {
                    "air": air,
                    "air_se": se_air,
                    "air_ci_low": lo,
                    "air_ci_high": hi,
                    "four_fifths_flag": bool(air < FOUR_FIFTHS) if np.isfinite(air) else None,
                    "four_fifths": (
                        "undefined"
                        if not np.isfinite(air)
                        else "below"
                        if hi < FOUR_FIFTHS
                        else "not below"
                        if lo >= FOUR_FIFTHS
                        else "inconclusive"
                    ),
                }
            )
            long.append(
                (
                    cut,
                    grp,
                    "air",
                    air,
                    se_air,
                    lo,
                    hi,
                    zt if np.isfinite(air) else np.nan,
                    pv if np.isfinite(air) else np.nan,
                    f"{how} (ratio)",
                )
            )
            # --- approval-rate difference
            d = pg - pr
            se_d = float(np.sqrt(pg * (1 - pg) / ng + pr * (1 - pr) / nr))
            dlo, dhi = newcombe_interval(xg, ng, xr, nr, z)
            row.update(
                {
                    "approval_difference": d,
                    "approval_difference_se": se_d,
                    "approval_difference_ci_low": dlo,
                    "approval_difference_ci_high": dhi,
                    "approval_pvalue": pv,
                }
            )
            long.append((cut, grp, "approval_difference", d, se_d, dlo, dhi, zt, pv, "newcombe"))
            # --- equal opportunity (goods only)
            if "x_good" in s.index:
                ge = s["n_good"]
                gr = s["n_good_ref"]
                if not (ge > 0 and gr > 0):
                    who = grp if not ge > 0 else self.reference
                    notes.append(f"group {who!r} has no goods: no equal-opportunity difference")
                    e = se_e = elo = ehi = ez = ep = np.nan
                    pge = pre = np.nan
                else:
                    xge, xgr = s["x_good"], s["x_good_ref"]
                    pge, pre = xge / ge, xgr / gr
                    e = pge - pre
                    se_e = float(np.sqrt(pge * (1 - pge) / ge + pre * (1 - pre) / gr))
                    elo, ehi = newcombe_interval(xge, ge, xgr, gr, z)
                    ez, ep = _pooled_test(xge, ge, xgr, gr)
                row.update(
                    {
                        "good_approval_rate": pge,
                        "reference_good_approval_rate": pre,
                        "eo_difference": e,
                        "eo_difference_se": se_e,
                        "eo_difference_ci_low": elo,
                        "eo_difference_ci_high": ehi,
                        "eo_pvalue": ep,
                    }
                )
                long.append((cut, grp, "eo_difference", e, se_e, elo, ehi, ez, ep, "newcombe"))
            # --- standardised mean difference of the scores
            smd, se_s = smd_and_se(
                tuple(s[["mean", "var", "m3", "m4", "n_eff"]]),  # type: ignore[arg-type]
                tuple(s[["mean_ref", "var_ref", "m3_ref", "m4_ref", "n_eff_ref"]]),  # type: ignore[arg-type]
            )
            if np.isfinite(smd) and se_s > 0:
                slo, shi = smd - z * se_s, smd + z * se_s
                sz = smd / se_s
                sp = float(2 * stats.norm.sf(abs(sz)))
            else:
                if not np.isfinite(smd):
                    notes.append(
                        "no standardised mean difference: a group has fewer than two rows or "
                        "the scores are constant within both groups"
                    )
                slo = shi = smd
                sz = sp = np.nan
            row.update(
                {
                    "smd": smd,
                    "smd_se": se_s,
                    "smd_ci_low": slo,
                    "smd_ci_high": shi,
                    "smd_pvalue": sp,
                }
            )
            long.append((cut, grp, "smd", smd, se_s, slo, shi, sz, sp, "delta (moments)"))
            row["note"] = "; ".join(notes)
            for k in range(len(long) - (4 if "x_good" in s.index else 3), len(long)):
                long[k] = (*long[k], row["note"])
            wide.append(row)
        table = pd.DataFrame(wide).set_index([self.level, "group"])
        table = table[[c for c in TABLE_COLUMNS if c in table.columns]]
        cols = [
            self.level,
            "group",
            "metric",
            "estimate",
            "se",
            "ci_low",
            "ci_high",
            "statistic",
            "pvalue",
            "ci_method",
            "note",
        ]
        summary = pd.DataFrame(long, columns=cols).set_index([self.level, "group", "metric"])
        return table, order_columns(summary)

    @property
    def table(self) -> pd.DataFrame:
        """The lenders' table: one row per (``cutoff``, non-reference ``group``).

        Columns: ``target_approval_rate`` (NaN for a given cut-off),
        ``pooled_approval_rate`` (share of all rows approved), ``reference``, ``n``,
        ``n_reference`` (weighted rows), ``approved``, ``approved_reference``,
        ``approval_rate``, ``reference_approval_rate``, ``air`` with ``_se``, ``_ci_low``,
        ``_ci_high``, ``four_fifths_flag`` (``air < 0.8``), ``four_fifths`` (``"below"``:
        the whole interval is below 0.8; ``"not below"``: none of it; ``"inconclusive"``;
        ``"undefined"``), ``approval_difference`` with SE, CI and ``approval_pvalue``; with
        ``y``: ``good_approval_rate``, ``reference_good_approval_rate``, ``eo_difference``
        with SE, CI and ``eo_pvalue``; ``smd`` with SE, CI and ``smd_pvalue``; ``note``.
        """
        return self._rows(self.alpha)[0]

    def summary(self) -> pd.DataFrame:
        """One row per (``cutoff``, ``group``, ``metric``) with the contract's columns first.

        Returns
        -------
        DataFrame
            ``estimate, se, ci_low, ci_high, statistic, pvalue``, then ``ci_method`` (the
            interval's method) and ``note``.
        """
        return self._rows(self.alpha)[1]

    @property
    def estimate(self) -> pd.Series:
        """The metrics, indexed by (``cutoff``, ``group``, ``metric``)."""
        return self.summary()["estimate"]

    @property
    def se(self) -> pd.Series:
        """Their standard errors (delta method; see the module docstring)."""
        return self.summary()["se"]

    @property
    def pvalue(self) -> pd.Series:
        """P-values of the metrics' tests (equal rates; zero SMD).

        ``air`` and ``approval_difference``: equal approval rates; ``eo_difference``: equal
        rates among goods; ``smd``: zero standardised mean difference.
        """
        return self.summary()["pvalue"]

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Two-sided ``1 - alpha`` intervals of every metric.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the result's ``alpha``.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)``, two Series aligned with :attr:`params`.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        s = self._rows(a)[1]
        return ConfidenceInterval(s["ci_low"].rename("ci_low"), s["ci_high"].rename("ci_high"))

    def __repr__(self) -> str:
        t = self.table
        cols = [
            "approval_rate",
            "reference_approval_rate",
            "air",
            "air_ci_low",
            "air_ci_high",
            "four_fifths",
            "approval_difference",
            "smd",
        ]
        if "eo_difference" in t.columns:
            cols.insert(7, "eo_difference")
        with pd.option_context("display.width", 160, "display.max_columns", 20):
            body = t[cols].to_string(float_format=lambda v: f"{v:.4g}")
        notes = sorted({n for n in t["note"] if n})
        tail = "".join(f"\nnote: {n}" for n in notes)
        way = ">=" if self.higher_is_better else "<="
        return (
            f"ApprovalMetrics(reference {self.reference!r}, approved: score {way} cut-off, "
            f"alpha = {self.alpha:g}, air interval: {self.ci_method})\n{body}{tail}"
        )


# ---------------------------------------------------------------------- the function
def _as_list(v: Any, name: str) -> list[float]:
    arr = check_real_array(v, name, "a number or a list of numbers")
    vals = [float(x) for x in np.atleast_1d(arr).ravel()]
    if not vals:
        raise InvalidParameterError(f"{name} is empty: give at least one value")
    return vals


def cutoff_for_rate(
    scores: np.ndarray, w: np.ndarray, rate: float, higher_is_better: bool = True
) -> float:
    """The cut-off that approves at least ``rate`` of the (weighted) rows, as few more as ties allow.

    Parameters
    ----------
    scores : ndarray
        The scores.
    w : ndarray
        Row weights.
    rate : float
        Target approval share in ``(0, 1]``.
    higher_is_better : bool
        Approve the highest scores (else the lowest).

    Returns
    -------
    float
        The score of the last approved applicant, rows ordered from the best score.
    """
    order = np.argsort(-scores if higher_is_better else scores, kind="stable")
    s, ww = scores[order], w[order]
    share = np.cumsum(ww) / ww.sum()
    k = int(np.searchsorted(share, rate - 1e-12, side="left"))
    return float(s[min(k, len(s) - 1)])


def approval_metrics(
    scores: Any,
    groups: Any,
    y: Any = None,
    *,
    cutoff: Any = None,
    approval_rate: Any = None,
    reference: Any = None,
    higher_is_better: bool = True,
    event: Any = None,
    sample_weight: Any = None,
    weights: Literal["sampling"] | None = None,
    ci_method: AirMethod = "score",
    alpha: float = 0.05,
) -> ApprovalMetrics:
    """Adverse impact ratio, approval and equal-opportunity gaps and score SMD at cut-offs.

    Parameters
    ----------
    scores : array-like
        One score per applicant, e.g. :meth:`infodiv.credit.Scorecard.score` (points:
        higher is safer) or a probability of default (then ``higher_is_better=False``).
    groups : array-like
        The protected group of every applicant (labels; compared as text).
    y : array-like, optional
        Binary target: 0/1 or boolean (1/``True`` = bad), or two labels with ``event``.
        Adds the equal-opportunity difference (approval among goods, ``y`` = non-event).
    cutoff : float or sequence of float, optional
        Score cut-off(s): approved when ``score >= cutoff`` (``<=`` when not
        ``higher_is_better``). Must lie within the range of the scores.
    approval_rate : float or sequence of float, optional
        Share(s) of applicants to approve, in ``(0, 1]``: the cut-off is the score that
        approves at least that share of these rows (ties at the cut-off approved). Exactly
        one of ``cutoff`` and ``approval_rate`` is given.
    reference : label or "highest", optional
        The reference group (the denominator of the ratio; usually the group most favoured
        historically). ``None``: the group with the most (weighted) rows. ``"highest"``: at
        each cut-off, the group with the highest approval rate (the Uniform Guidelines'
        comparison; then use ``air`` of the other groups).
    higher_is_better : bool, default True
        Whether a higher score is a safer applicant.
    event : label, optional
        The event (bad) class of ``y``: needed unless ``y`` is 0/1 or boolean.
    sample_weight : array-like, optional
        Sampling weights: weighted rates and moments, Kish effective sizes in the intervals.
    weights : {"sampling"} or None, default None
        How ``sample_weight`` is read (``docs/numbers.md``, "Weights"); ``None`` refuses
        weights that look like the counts of an aggregated table.
    ci_method : {"score", "log"}, default "score"
        Interval of the adverse impact ratio: the score interval of a ratio of proportions,
        or the delta-method interval on the log ratio (see the module docstring).
    alpha : float, default 0.05
        Level of the two-sided intervals.

    Returns
    -------
    ApprovalMetrics
        ``.table``: one row per (cut-off, non-reference group); ``.summary()``: one row per
        metric.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> g = np.repeat(["a", "b"], 500)
    >>> s = rng.normal(600, 50, 1000) - 15 * (g == "b")
    >>> res = approval_metrics(s, g, approval_rate=0.6, reference="a")
    >>> row = res.table.iloc[0]
    >>> bool(row["air_ci_low"] < row["air"] < row["air_ci_high"])
    True
    """
    a = check_alpha(alpha)
    if ci_method not in ("score", "log"):
        raise InvalidParameterError(f"ci_method must be 'score' or 'log'; got {ci_method!r}")
    if not isinstance(higher_is_better, bool | np.bool_):
        raise InvalidParameterError(
            f"higher_is_better must be True or False; got {higher_is_better!r}"
        )
    named = align_inputs(
        {"scores": scores, "groups": groups, "y": y, "sample_weight": sample_weight}
    )
    s = check_real_array(named["scores"], "scores", "numbers, one per applicant")
    if s.ndim != 1:
        s = s.ravel() if s.ndim == 2 and 1 in s.shape else s
    if s.ndim != 1:
        raise InvalidParameterError(f"scores must be one score per applicant; got shape {s.shape}")
    if s.size == 0:
        raise InvalidParameterError("scores is empty")
    if not np.isfinite(s).all():
        raise InvalidParameterError(
            f"scores contains NaN or inf ({int((~np.isfinite(s)).sum())} rows)"
        )
    graw = named["groups"]
    if graw is None or isinstance(graw, str | bytes):
        raise InvalidParameterError("groups must hold one group label per applicant")
    gs = pd.Series(np.asarray(graw, dtype=object).ravel())
    if len(gs) != len(s):
        raise InvalidParameterError(
            f"length mismatch: groups has {len(gs)} rows, scores has {len(s)}"
        )
    if gs.isna().any():
        raise InvalidParameterError(
            f"groups has missing labels ({int(gs.isna().sum())} rows); every applicant needs one"
        )
    g = gs.astype(str).to_numpy()
    w = check_sample_weight(named["sample_weight"], len(s))
    check_weight_reading(weights, None if sample_weight is None else w)
    if weights == "frequency":  # pragma: no cover - refused by check_weight_reading's type
        raise InvalidParameterError("weights='frequency' is not supported here")
    yy = None
    if named["y"] is not None:
        yy = check_binary_target(named["y"], "y", event)
        if len(yy) != len(s):
            raise InvalidParameterError(
                f"length mismatch: y has {len(yy)} rows, scores has {len(s)}"
            )
    levels = sorted(pd.unique(g).tolist())
    for lv in levels:
        if not w[g == lv].sum() > 0:
            raise InvalidParameterError(
                f"every row of group {lv!r} has zero sample_weight: each group needs weight"
            )
    if len(levels) < 2:
        raise InvalidParameterError(
            f"groups needs at least two groups to compare; got {len(levels)} ({levels})"
        )
    highest = isinstance(reference, str) and reference == "highest" and "highest" not in levels
    if reference is None:
        tot = {lv: float(w[g == lv].sum()) for lv in levels}
        ref_fixed: str | None = max(levels, key=lambda lv: (tot[lv], lv == levels[0]))
    elif highest:
        ref_fixed = None
    else:
        ref_fixed = str(reference)
        if ref_fixed not in levels:
            raise InvalidParameterError(
                f"reference must be one of the groups {levels} (or 'highest'); got {reference!r}"
            )

    if (cutoff is None) == (approval_rate is None):
        raise InvalidParameterError("give exactly one of cutoff and approval_rate")
    lo_s, hi_s = float(s.min()), float(s.max())
    cuts: list[tuple[float, float]] = []  # (cut-off, target rate or NaN)
    if cutoff is not None:
        for c in dict.fromkeys(_as_list(cutoff, "cutoff")):
            if not np.isfinite(c) or c < lo_s or c > hi_s:
                raise InvalidParameterError(
                    f"cutoff {c!r} lies outside the range of the scores [{lo_s:.6g}, "
                    f"{hi_s:.6g}]: it would approve everyone or no one; give a cut-off inside "
                    "it (or approval_rate=)"
                )
            cuts.append((c, np.nan))
    else:
        for r in dict.fromkeys(_as_list(approval_rate, "approval_rate")):
            if not (np.isfinite(r) and 0 < r <= 1):
                raise InvalidParameterError(f"approval_rate must be in (0, 1]; got {r!r}")
            cuts.append((cutoff_for_rate(s, w, r, bool(higher_is_better)), r))

    rows = []
    for k, (c, target) in enumerate(cuts):
        approved = (s >= c) if higher_is_better else (s <= c)
        approved = approved.astype(float)
        pooled = float((w * approved).sum() / w.sum())
        per = {lv: _group_stats(s, approved, w, yy, g == lv) for lv in levels}
        if ref_fixed is None:
            ref = max(levels, key=lambda lv: (per[lv]["approval_rate"], -levels.index(lv)))
        else:
            ref = ref_fixed
        for lv in levels:
            if lv == ref:
                continue
            st = dict(per[lv])
            st.update({f"{k}_ref": v for k, v in per[ref].items()})
            st["reference_approval_rate"] = per[ref]["approval_rate"]
            st.update(
                {
                    "k": k,
                    "cutoff": c,
                    "group": lv,
                    "target_approval_rate": target,
                    "pooled_approval_rate": pooled,
                    "reference_group": ref,
                }
            )
            rows.append(st)
    table = pd.DataFrame(rows).set_index(["k", "group"])
    refs = sorted(set(table["reference_group"]))
    ref_label = refs[0] if len(refs) == 1 else "highest"
    return ApprovalMetrics(
        stats=table,
        reference=ref_label if ref_fixed is None else ref_fixed,
        alpha=a,
        ci_method=ci_method,
        higher_is_better=bool(higher_is_better),
        groups=levels,
    )


def _group_stats(
    s: np.ndarray, approved: np.ndarray, w: np.ndarray, y: np.ndarray | None, mask: np.ndarray
) -> dict[str, float]:
    ww, aa, ss = w[mask], approved[mask], s[mask]
    p, x, n = _rate(aa, ww)
    m, var, m3, m4, _ = _moments(ss, ww)
    out = {
        "n": float(ww.sum()),
        "approved": float((ww * aa).sum()),
        "approval_rate": p,
        "x_eff": x,
        "n_eff": n,
        "mean": m,
        "var": var,
        "m3": m3,
        "m4": m4,
    }
    if y is not None:
        good = y[mask] == 0
        wg = ww[good]
        if wg.sum() > 0:
            _, xg, ngd = _rate(aa[good], wg)
        else:
            xg, ngd = 0.0, 0.0
        out.update({"x_good": xg, "n_good": ngd})
    return out


# ---------------------------------------------------------------------- alternatives
#: Columns of :attr:`AlternativesResult.table` after the contract's, in order.
ALTERNATIVE_COLUMNS = [
    "auc",
    "auc_ci_low",
    "auc_ci_high",
    "auc_lower_bound",
    "not_significantly_below",
    "within_tolerance",
    "retained",
    "rank",
    "cutoff",
    "approval_rate",
    "air_parity",
    "air",
    "air_group",
    "air_reference",
    "air_ci_low",
    "air_ci_high",
    "four_fifths",
    "approval_difference",
    "eo_difference",
    "smd",
    "fairness_iv",
    "fairness_upper_bound",
    "fairness_comparison",
    "n_features",
    "features",
    "status",
    "proven_optimal",
    "note",
]


@dataclass(repr=False)
class AlternativesResult(ResultBase):
    """The search for less discriminatory alternatives: frontier points against a baseline.

    A vector result indexed by frontier ``point``: the parameter is each point's held-out AUC
    less the baseline's (DeLong's paired test, :func:`infodiv.credit.auc_difference`), with
    its SE, two-sided ``1 - alpha`` interval, ``statistic`` (z) and ``pvalue``, the one-sided
    p-value of "the point's AUC is below the baseline's". :meth:`summary` (= :attr:`table`)
    lists the points retained first, ranked by fairness (see
    :meth:`FairnessFrontier.alternatives`), then the others.

    Parameters
    ----------
    table : DataFrame
        One row per point (columns in :meth:`FairnessFrontier.alternatives`).
    baseline : Series
        The baseline's row (AUC, adverse impact ratio, fairness IV, ...).
    alpha : float
        Level of the tests and intervals.
    tolerance : float or None
        The AUC loss accepted (non-inferiority margin), or ``None``.
    criterion : str
        The retention rule, in words.
    """

    table: pd.DataFrame
    baseline: pd.Series
    alpha: float
    tolerance: float | None
    criterion: str

    @property
    def estimate(self) -> pd.Series:
        """AUC of every point less the baseline's (held out)."""
        return self.table["estimate"].rename("estimate")

    @property
    def se(self) -> pd.Series:
        """DeLong SEs of the paired AUC differences."""
        return self.table["se"].rename("se")

    @property
    def pvalue(self) -> pd.Series:
        """One-sided p-values of "the point's AUC is below the baseline's"."""
        return self.table["pvalue"].rename("pvalue")

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Two-sided ``1 - alpha`` Wald intervals of the AUC differences.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the result's ``alpha``.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` Series indexed by ``point``.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        z = float(stats.norm.ppf(1 - a / 2))
        est, se = self.estimate, self.se
        return ConfidenceInterval((est - z * se).rename("ci_low"), (est + z * se).rename("ci_high"))

    def summary(self) -> pd.DataFrame:
        """The table: retained points first (by rank), contract's columns first.

        Returns
        -------
        DataFrame
            ``estimate, se, ci_low, ci_high, statistic, pvalue`` (the AUC difference), then
            the columns listed in :meth:`FairnessFrontier.alternatives`.
        """
        return order_columns(self.table.copy())

    def __repr__(self) -> str:
        cols = [
            "retained",
            "rank",
            "estimate",
            "ci_low",
            "ci_high",
            "pvalue",
            "auc",
            "air_parity",
            "air",
            "air_ci_low",
            "air_ci_high",
            "fairness_iv",
            "fairness_upper_bound",
            "n_features",
        ]
        with pd.option_context("display.width", 180, "display.max_columns", 20):
            body = self.table[cols].to_string(float_format=lambda v: f"{v:.4g}")
        b = self.baseline
        return (
            f"AlternativesResult(baseline {b['name']}: AUC {b['auc']:.4f}, AIR "
            f"{b['air']:.3f} ({b['air_group']} / {b['air_reference']}), fairness IV {b['fairness_iv']:.4g}; {self.criterion}; "
            f"estimate = AUC - baseline AUC)\n{body}"
        )
