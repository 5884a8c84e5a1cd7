"""The result shared by every bound estimator: lower/upper bounds of E[Y(0)], E[Y(1)] and the ATE.

Inference (Wald, from the cross-fitted orthogonal scores; ``se = sd(score) / sqrt(n)``):

* ``conf_int(kind="set")`` (default; the ``ci_lower``/``ci_upper`` of :meth:`summary`):
  ``[lower - z se_lower, upper + z se_upper]`` with ``z = z_{1 - alpha/2}``. Each side fails with
  probability ``alpha/2``, so the interval covers the whole identified set (and hence the true
  effect) with probability at least ``1 - alpha`` asymptotically.
* ``conf_int(kind="parameter")``: the Imbens–Manski (2004) interval, which covers the true
  effect (not the whole set) with probability ``1 - alpha``; narrower when the set is wide.
* ``conf_int(kind="endpoint")``: a two-sided ``1 - alpha`` interval for each endpoint.
* Intersections (``divergence="all"``): the bounds are ``max`` of the lowers and ``min`` of the
  uppers; the interval is Bonferroni over the ``J`` components
  (``max_j(lower_j - z' se_j)`` with ``z' = z_{1 - alpha/(2J)}``, likewise above), valid without
  assumptions on the dependence between components. An empty intersection is reported as is
  (lower above upper) with a warning: it signals that the components disagree.

Every interval is clipped to the logical range of its quantity (``[lo, hi]`` for ``E[Y(a)]``,
``[lo - hi, hi - lo]`` for the ATE): the parameter cannot lie outside, so clipping keeps the
coverage and removes Wald limits that no outcome in the support could produce.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from infodiv._validation import check_alpha
from infodiv.core import ResultBase

__all__ = ["CausalBounds", "QUANTITIES", "imbens_manski_critical_value"]

#: Row labels of every bounds table.
QUANTITIES: tuple[str, ...] = ("E[Y(0)]", "E[Y(1)]", "ATE")


def imbens_manski_critical_value(
    width: float, se_lower: float, se_upper: float, alpha: float
) -> float:
    """``c`` solving ``Phi(c + width / max(se)) - Phi(-c) = 1 - alpha`` (Imbens & Manski, 2004).

    Examples
    --------
    >>> round(imbens_manski_critical_value(0.0, 1.0, 1.0, 0.05), 3)   # point identified
    1.96
    >>> round(imbens_manski_critical_value(100.0, 1.0, 1.0, 0.05), 3)  # wide set: one-sided
    1.645
    """
    s = max(se_lower, se_upper)
    if not np.isfinite(s) or s <= 0:
        return float(stats.norm.ppf(1 - alpha / 2))
    r = max(width, 0.0) / s

    def gap(c: float) -> float:
        return float(stats.norm.cdf(c + r) - stats.norm.cdf(-c) - (1 - alpha))

    lo_c, hi_c = stats.norm.ppf(1 - alpha) - 1e-9, stats.norm.ppf(1 - alpha / 2) + 1e-9
    if gap(lo_c) >= 0:
        return float(lo_c)
    return float(optimize.brentq(gap, lo_c, hi_c, xtol=1e-12))


@dataclass(repr=False)
class CausalBounds(ResultBase):
    """Bounds on ``E[Y(0)]``, ``E[Y(1)]`` and the ATE with standard errors and intervals.

    Attributes
    ----------
    method : str
        ``"f-divergence"``, ``"Manski"``, ``"MSM"`` or ``"intersection"``.
    divergence : str
        The f-divergence (``""`` for Manski and MSM; ``"intersection"`` for the intersection).
    radius : str
        ``"propensity"``, ``"rho=..."``, ``"Lambda=..."`` or ``"none"`` (Manski).
    support : tuple of float
        The outcome support ``(lo, hi)`` used, and ``support_rule`` how it was chosen.
    lower, upper, se_lower, se_upper : ndarray, shape (3,)
        In the order of :data:`QUANTITIES`.
    n : int
        Number of observations.
    scores_lower, scores_upper : ndarray, shape (n, 3), optional
        The cross-fitted scores whose means are the bounds (for diagnostics).
    components : list of CausalBounds, optional
        For an intersection, the bounds intersected.
    """

    method: str
    divergence: str
    radius: str
    support: tuple[float, float]
    alpha: float
    n: int
    lower: np.ndarray
    upper: np.ndarray
    se_lower: np.ndarray
    se_upper: np.ndarray
    support_rule: str = "declared"
    scores_lower: np.ndarray | None = None
    scores_upper: np.ndarray | None = None
    components: list[CausalBounds] | None = None

    @classmethod
    def from_scores(cls, scores_lower: np.ndarray, scores_upper: np.ndarray, **kw) -> CausalBounds:
        """Bounds as the means of the scores, SEs as ``sd / sqrt(n)``."""
        n = scores_lower.shape[0]
        sd = lambda s: s.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.zeros(s.shape[1])  # noqa: E731
        return cls(
            lower=scores_lower.mean(axis=0),
            upper=scores_upper.mean(axis=0),
            se_lower=sd(scores_lower),
            se_upper=sd(scores_upper),
            n=n,
            scores_lower=scores_lower,
            scores_upper=scores_upper,
            **kw,
        )

    @classmethod
    def intersect(cls, parts: list[CausalBounds]) -> CausalBounds:
        """The intersection of valid bounds (max of lowers, min of uppers)."""
        lowers = np.array([p.lower for p in parts])
        uppers = np.array([p.upper for p in parts])
        il, iu = lowers.argmax(axis=0), uppers.argmin(axis=0)
        cols = np.arange(lowers.shape[1])
        out = cls(
            method="intersection",
            divergence="intersection",
            radius=parts[0].radius,
            support=parts[0].support,
            alpha=parts[0].alpha,
            n=parts[0].n,
            lower=lowers[il, cols],
            upper=uppers[iu, cols],
            se_lower=np.array([p.se_lower for p in parts])[il, cols],
            se_upper=np.array([p.se_upper for p in parts])[iu, cols],
            support_rule=parts[0].support_rule,
            components=list(parts),
        )
        if np.any(out.lower > out.upper):
            warnings.warn(
                "the intersection of the f-divergence bounds is empty for "
                f"{[q for q, e in zip(QUANTITIES, out.lower > out.upper, strict=True) if e]}: "
                "the bounds disagree, which signals a misspecified nuisance; reported as is",
                UserWarning,
                stacklevel=3,
            )
        return out

    # ----------------------------------------------------------------------------- inference
    @property
    def params(self) -> pd.Series:
        idx = pd.MultiIndex.from_product(
            [QUANTITIES, ("lower", "upper")], names=["quantity", "bound"]
        )
        return pd.Series(np.column_stack([self.lower, self.upper]).ravel(), index=idx)

    @property
    def bse(self) -> pd.Series:
        idx = pd.MultiIndex.from_product(
            [QUANTITIES, ("lower", "upper")], names=["quantity", "bound"]
        )
        return pd.Series(np.column_stack([self.se_lower, self.se_upper]).ravel(), index=idx)

    def conf_int(self, alpha: float | None = None, kind: str = "set") -> pd.DataFrame:
        """Confidence intervals (see the module docstring for ``kind``).

        Returns
        -------
        DataFrame
            Indexed by quantity; ``ci_lower``/``ci_upper`` for ``kind="set"`` or
            ``"parameter"``; ``lower_ci_low``, ``lower_ci_high``, ``upper_ci_low``,
            ``upper_ci_high`` for ``kind="endpoint"``.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        if kind not in ("set", "parameter", "endpoint"):
            raise ValueError(f"kind must be 'set', 'parameter' or 'endpoint'; got {kind!r}")
        lo, hi = self.support
        rmin = np.array([lo, lo, lo - hi])
        rmax = np.array([hi, hi, hi - lo])
        return self._conf_int(a, kind).clip(lower=rmin, upper=rmax, axis=0)

    def _conf_int(self, a: float, kind: str) -> pd.DataFrame:
        index = pd.Index(QUANTITIES, name="quantity")
        if self.components is not None:
            if kind != "set":
                raise ValueError(f"kind={kind!r} is not available for an intersection; use 'set'")
            J = len(self.components)
            z = stats.norm.ppf(1 - a / (2 * J))
            lo = np.max([p.lower - z * p.se_lower for p in self.components], axis=0)
            hi = np.min([p.upper + z * p.se_upper for p in self.components], axis=0)
            return pd.DataFrame({"ci_lower": lo, "ci_upper": hi}, index=index)
        z = stats.norm.ppf(1 - a / 2)
        if kind == "endpoint":
            return pd.DataFrame(
                {
                    "lower_ci_low": self.lower - z * self.se_lower,
                    "lower_ci_high": self.lower + z * self.se_lower,
                    "upper_ci_low": self.upper - z * self.se_upper,
                    "upper_ci_high": self.upper + z * self.se_upper,
                },
                index=index,
            )
        if kind == "parameter":
            c = np.array(
                [
                    imbens_manski_critical_value(u - lw, sl, su, a)
                    for lw, u, sl, su in zip(
                        self.lower, self.upper, self.se_lower, self.se_upper, strict=True
                    )
                ]
            )
        else:
            c = np.full(3, z)
        return pd.DataFrame(
            {
                "ci_lower": self.lower - c * self.se_lower,
                "ci_upper": self.upper + c * self.se_upper,
            },
            index=index,
        )

    def summary(self) -> pd.DataFrame:
        """Bounds, SEs and ``1 - alpha`` set intervals, with the method, divergence, radius and support."""
        ci = self.conf_int()
        lo, hi = self.support
        return pd.DataFrame(
            {
                "lower": self.lower,
                "upper": self.upper,
                "ci_lower": ci["ci_lower"].to_numpy(),
                "ci_upper": ci["ci_upper"].to_numpy(),
                "se_lower": self.se_lower,
                "se_upper": self.se_upper,
                "method": self.method,
                "divergence": self.divergence,
                "radius": self.radius,
                "support": f"[{lo:.6g}, {hi:.6g}] ({self.support_rule})",
            },
            index=pd.Index(QUANTITIES, name="quantity"),
        )

    def __repr__(self) -> str:
        ci = self.conf_int()
        level = round(100 * (1 - self.alpha), 1)
        label = self.method + (
            f" {self.divergence}" if self.divergence and self.method != "intersection" else ""
        )
        lines = [
            f"CausalBounds({label}, radius {self.radius}, support [{self.support[0]:.6g}, "
            f"{self.support[1]:.6g}], n = {self.n}; {level:g}% CI covers the set)"
        ]
        for i, q in enumerate(QUANTITIES):
            lines.append(
                f"  {q:8s} [{self.lower[i]:.5g}, {self.upper[i]:.5g}]  "
                f"CI [{ci['ci_lower'].iloc[i]:.5g}, {ci['ci_upper'].iloc[i]:.5g}]"
            )
        return "\n".join(lines)
