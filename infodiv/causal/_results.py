"""The result shared by every bound estimator: lower/upper bounds of E[Y(0)], E[Y(1)] and the ATE.

What the results contract means for a set-identified quantity
-------------------------------------------------------------
A quantity bounded by ``[lower, upper]`` has no point estimate (the midpoint of the bounds is
not an estimate of anything), so the parameters of a :class:`CausalBounds` are the six
**endpoints**: ``params`` (``estimate``) and ``bse`` (``se``) are Series indexed by
``(quantity, bound)`` with ``bound`` in ``("lower", "upper")``; each endpoint is an estimated
number with its own standard error. :meth:`~CausalBounds.summary` has one row per endpoint
(``estimate, se, ci_low, ci_high``, then ``method, divergence, radius, support``);
:meth:`~CausalBounds.table` is the same numbers one row per quantity (``lower, upper, ci_low,
ci_high, se_lower, se_upper, ...``), the table to read. The bounds of the identified set keep
the names ``lower``/``upper``; ``ci_low``/``ci_high`` always name a confidence interval.

Inference (Wald, from the cross-fitted orthogonal scores; ``se = sd(score) / sqrt(n)``).
``conf_int(alpha=None, interval=...)`` returns a :class:`~infodiv.core.ConfidenceInterval`
``(low, high)`` of Series aligned with ``params``:

* ``interval="set"`` (default; the ``ci_low``/``ci_high`` of :meth:`~CausalBounds.summary`
  and :meth:`~CausalBounds.table`): ``[lower - z se_lower, upper + z se_upper]`` with
  ``z = z_{1 - alpha/2}``. Each side fails with probability ``alpha/2``, so the interval covers
  the whole identified set (and hence the true effect) with probability at least ``1 - alpha``
  asymptotically. It is an interval for the quantity, so both endpoint rows of a quantity carry
  the same interval.
* ``interval="parameter"``: the Imbens–Manski (2004) interval, which covers the true effect (not
  the whole set) with probability ``1 - alpha``; narrower when the set is wide. Also one interval
  per quantity, on both of its rows.
* ``interval="endpoint"``: a two-sided ``1 - alpha`` interval for each endpoint, on its own row:
  Wald (``estimate -/+ z se``) unless the endpoint is near the support edge, then
  **boundary-aware** (below).
* Intersections (``kind="all"``): the bounds are ``max`` of the lowers and ``min`` of the
  uppers; the interval is Bonferroni over the ``J`` components
  (``max_j(lower_j - z' se_j)`` with ``z' = z_{1 - alpha/(2J)}``, likewise above), valid without
  assumptions on the dependence between components. An empty intersection is reported as is
  (lower above upper) with a warning: it signals that the components disagree.

Endpoints at the support edge (boundary-aware endpoint intervals)
-----------------------------------------------------------------
For Hellinger, TV and JS the per-x bound equals the support edge (``hi`` for an upper bound,
``lo`` for a lower one) wherever the radius reaches the point mass at the edge; when that holds
for almost every ``x`` the averaged endpoint sits at (or within a fraction of an SE of) the
edge. The functional has a kink there: the per-x dual optimum is the corner ``lam = 0`` where
the score is not orthogonal to errors in ``lam``, and those errors push the estimate
**outwards** (past the edge in about half of the samples), so the Wald interval misses on its
inner side (coverage 0.77–0.87 in ``benchmarks/causal_coverage.py``). An arm endpoint is
*near the edge* when ``(edge - estimate) / se <= kappa`` (distance measured inwards; negative
past the edge) with ``kappa = max(z_{1 - alpha/2}, sqrt(ln n))`` (the BIC-type
moment-selection threshold of Andrews & Soares, 2010). Its interval is then built from the
estimate projected onto the parameter space (``min(estimate, hi)``, resp. ``max(.., lo)``)
and reaches the edge::

    upper endpoint near hi:  [min(U, hi) - max(c se, r_n), hi]
    lower endpoint near lo:  [lo, max(L, lo) + max(c se, r_n)]

with ``c = z`` (``c = kappa`` when the estimate is past the edge, whose outward error is then
evident and whose SE shrinks with it: rows at the edge have constant scores) and
``r_n = (hi - lo)(1 - (alpha/2)^(1/n))``, the exact one-sided binomial limit for the share of
``x`` off the edge when none of the ``n`` rows is (it matters only when that SE is 0).

An ATE endpoint (``U1 - L0`` or ``L1 - U0``) projects each near-edge component and adds its
distance to the edge on the edge side::

    [U1' - L0' - z se - e,  U1' - L0' + z se + (hi - U1') + (L0' - lo)]

with only the near-edge terms, ``e`` the sum of the near components'
``max(c se_c, r_n) - z se_c``. Far from the edge (no component near) every interval is exactly
the Wald interval. The parameter cannot pass the edge, so the edge side never
misses; the inner side misses only if the projected estimate is more than ``z se`` outside
the truth, which the projection rules out when the truth lies within ``z se`` of the edge.
Coverage is therefore at least ``1 - alpha/2`` near the edge and close to 1 when the endpoint
is on it (over-coverage, stated in ``summary()``'s ``ci_note``): a one-sided bound, which is
all the data can give at a kink.

The name ``interval=`` (formerly ``kind=``) keeps ``kind`` for the divergence, as in
:func:`infodiv.core.divergence`.

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
from infodiv.core import ConfidenceInterval, ResultBase, order_columns
from infodiv.exceptions import InfodivWarning, InvalidParameterError

__all__ = ["CausalBounds", "INTERVALS", "QUANTITIES", "imbens_manski_critical_value"]

#: Row labels of every bounds table.
QUANTITIES: tuple[str, ...] = ("E[Y(0)]", "E[Y(1)]", "ATE")
#: The intervals of :meth:`CausalBounds.conf_int` (see the module docstring).
INTERVALS: tuple[str, ...] = ("set", "parameter", "endpoint")


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

    Parameters
    ----------
    method : str
        ``"f-divergence"``, ``"Manski"``, ``"MSM"`` or ``"intersection"``.
    divergence : str
        The f-divergence (``""`` for Manski and MSM; ``"intersection"`` for the intersection).
    radius : str
        ``"propensity"``, ``"rho=..."``, ``"Lambda=..."`` or ``"none"`` (Manski).
    support : tuple of float
        The outcome support ``(lo, hi)`` used.
    alpha : float
        Level of the default intervals.
    n : int
        Number of observations.
    lower, upper, se_lower, se_upper : ndarray, shape (3,)
        The bounds and their standard errors, in the order of :data:`QUANTITIES`.
    support_rule : str, default "declared"
        How the support was chosen.
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
                InfodivWarning,
                stacklevel=3,
            )
        return out

    # ----------------------------------------------------------------------------- inference
    @property
    def _index(self) -> pd.MultiIndex:
        return pd.MultiIndex.from_product(
            [QUANTITIES, ("lower", "upper")], names=["quantity", "bound"]
        )

    @property
    def params(self) -> pd.Series:
        """The six estimated endpoints, indexed by ``(quantity, bound)``."""
        return pd.Series(np.column_stack([self.lower, self.upper]).ravel(), index=self._index)

    @property
    def bse(self) -> pd.Series:
        """The standard errors of the endpoints, on the index of :attr:`params`."""
        return pd.Series(np.column_stack([self.se_lower, self.se_upper]).ravel(), index=self._index)

    @property
    def estimate(self) -> pd.Series:
        """The estimated endpoints (the same as :attr:`params`; there is no point estimate)."""
        return self.params

    @property
    def se(self) -> pd.Series:
        """Standard errors of the endpoints (the same as :attr:`bse`)."""
        return self.bse

    def conf_int(self, alpha: float | None = None, interval: str = "set") -> ConfidenceInterval:
        """Confidence intervals, aligned with :attr:`params` (see the module docstring).

        Parameters
        ----------
        alpha : float, optional
            ``1 -`` the level; default the result's ``alpha``.
        interval : {"set", "parameter", "endpoint"}, default "set"
            ``"set"`` covers the identified set, ``"parameter"`` (Imbens–Manski) the true
            value, each given on both endpoint rows of its quantity; ``"endpoint"`` is a
            two-sided interval for each endpoint (not for an intersection): Wald, or
            boundary-aware where :meth:`near_edge` (it then reaches the support edge).

        Returns
        -------
        ConfidenceInterval
            ``(low, high)``, two Series indexed by ``(quantity, bound)`` like :attr:`params`.
        """
        lo, hi = self._intervals(alpha, interval)
        return ConfidenceInterval(
            pd.Series(lo.ravel(), index=self._index), pd.Series(hi.ravel(), index=self._index)
        )

    def _intervals(self, alpha: float | None, interval: str) -> tuple[np.ndarray, np.ndarray]:
        """``(low, high)`` arrays of shape (3, 2): quantity by (lower, upper) endpoint."""
        a = self.alpha if alpha is None else check_alpha(alpha)
        if interval not in INTERVALS:
            raise InvalidParameterError(
                f"interval must be one of {list(INTERVALS)}; got {interval!r}"
            )
        lo, hi = self.support
        rmin = np.array([lo, lo, lo - hi])[:, None]
        rmax = np.array([hi, hi, hi - lo])[:, None]
        low, high = self._raw_intervals(a, interval)
        return np.clip(low, rmin, rmax), np.clip(high, rmin, rmax)

    def _raw_intervals(self, a: float, interval: str) -> tuple[np.ndarray, np.ndarray]:
        if self.components is not None:
            if interval != "set":
                raise InvalidParameterError(
                    f"interval={interval!r} is not available for an intersection; use 'set'"
                )
            J = len(self.components)
            z = stats.norm.ppf(1 - a / (2 * J))
            lo = np.max([p.lower - z * p.se_lower for p in self.components], axis=0)
            hi = np.min([p.upper + z * p.se_upper for p in self.components], axis=0)
            return np.column_stack([lo, lo]), np.column_stack([hi, hi])
        z = stats.norm.ppf(1 - a / 2)
        if interval == "endpoint":
            low, high, _ = self._endpoint_intervals(a)
            return low, high
        if interval == "parameter":
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
        lo = self.lower - c * self.se_lower
        hi = self.upper + c * self.se_upper
        return np.column_stack([lo, lo]), np.column_stack([hi, hi])

    def edge_threshold(self, alpha: float | None = None) -> float:
        """``kappa = max(z_{1 - alpha/2}, sqrt(ln n))``: SEs from the edge that count as near.

        Parameters
        ----------
        alpha : float, optional
            ``1 -`` the level; default the result's ``alpha``.

        Returns
        -------
        float
            An arm endpoint within ``kappa`` standard errors of the support edge (or past it)
            gets the boundary-aware endpoint interval (see the module docstring).
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        z = float(stats.norm.ppf(1 - a / 2))
        return max(z, float(np.sqrt(np.log(max(self.n, 1)))))

    def near_edge(self, alpha: float | None = None) -> pd.Series:
        """Whether each endpoint's interval is boundary-aware (a component near the edge).

        Parameters
        ----------
        alpha : float, optional
            ``1 -`` the level; default the result's ``alpha``.

        Returns
        -------
        Series of bool
            On the index of :attr:`params`; always False for an intersection (its endpoint
            interval is not available).
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        if self.components is not None:
            return pd.Series(False, index=self._index)
        return pd.Series(self._endpoint_intervals(a)[2].ravel(), index=self._index)

    def _endpoint_intervals(self, a: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Boundary-aware endpoint intervals ``(low, high, near)``, each of shape (3, 2).

        Arm endpoints near their edge (``(edge - est)/se <= kappa``, inwards) are projected
        onto the support and their interval reaches the edge; an ATE endpoint does the same
        for each near-edge component. Without a near component: ``est -/+ z se`` (Wald).
        """
        z = float(stats.norm.ppf(1 - a / 2))
        kappa = self.edge_threshold(a)
        lo, hi = self.support
        # arm endpoints: (estimate, se, edge, +1 for an upper bound / -1 for a lower one)
        arms = {
            (arm, side): (
                float((self.lower, self.upper)[j][arm]),
                float((self.se_lower, self.se_upper)[j][arm]),
                (lo, hi)[j],
                (-1.0, 1.0)[j],
            )
            for arm in (0, 1)
            for j, side in enumerate(("lower", "upper"))
        }

        # the least inward reach of a near-edge interval: the exact one-sided binomial limit
        # of the share of x off the edge when none of the n rows is (each moves the bound by
        # at most hi - lo); it matters only where the score's SE degenerates (every row's
        # bound at the edge gives se = 0). An estimate past the edge has an outward error at
        # least that large, and its SE shrinks with it (rows at the edge have constant
        # scores): its inner side reaches kappa se instead of z se.
        reach = (hi - lo) * (1.0 - (a / 2) ** (1.0 / max(self.n, 1)))

        def project(key: tuple[int, str]) -> tuple[float, float, float, bool]:
            """(projected estimate, its distance to the edge, extra inner reach, near)."""
            est, se, edge, sgn = arms[key]
            inward = sgn * (edge - est)  # distance to the edge, negative past it
            near = bool(inward <= kappa * se) if np.isfinite(se) else False
            if not near:
                return est, 0.0, 0.0, False
            proj = min(est, edge) if sgn > 0 else max(est, edge)
            inner = kappa * se if inward < 0 else z * se  # past the edge: kappa se
            return proj, abs(edge - proj), max(0.0, max(reach, inner) - z * se), True

        # each endpoint: (+1, +1) components for E[Y(a)], (plus, minus) for the ATE
        parts = {
            (0, "lower"): [((0, "lower"), 1.0)],
            (0, "upper"): [((0, "upper"), 1.0)],
            (1, "lower"): [((1, "lower"), 1.0)],
            (1, "upper"): [((1, "upper"), 1.0)],
            (2, "lower"): [((1, "lower"), 1.0), ((0, "upper"), -1.0)],
            (2, "upper"): [((1, "upper"), 1.0), ((0, "lower"), -1.0)],
        }
        low = np.empty((3, 2))
        high = np.empty((3, 2))
        near = np.zeros((3, 2), dtype=bool)
        for (q, side), comps in parts.items():
            j = 0 if side == "lower" else 1
            est = float((self.lower, self.upper)[j][q])
            se = float((self.se_lower, self.se_upper)[j][q])
            shift, gap, extra, any_near = 0.0, 0.0, 0.0, False
            for key, sign in comps:
                proj, dist, more, is_near = project(key)
                if is_near:
                    any_near = True
                    shift += sign * (proj - arms[key][0])
                    gap += dist
                    extra += more
            centre = est + shift
            near[q, j] = any_near
            # the edge side of an upper endpoint is above it, of a lower endpoint below it
            low[q, j] = centre - z * se - (gap if j == 0 else extra)
            high[q, j] = centre + z * se + (gap if j == 1 else extra)
        return low, high, near

    def _labels(self) -> dict[str, str]:
        lo, hi = self.support
        return {
            "method": self.method,
            "divergence": self.divergence,
            "radius": self.radius,
            "support": f"[{lo:.6g}, {hi:.6g}] ({self.support_rule})",
        }

    def summary(self) -> pd.DataFrame:
        """One row per endpoint: the contract's columns, then the method and its settings.

        Returns
        -------
        DataFrame
            Indexed by ``(quantity, bound)``; ``estimate`` (the endpoint), ``se``, ``ci_low``,
            ``ci_high`` (the ``1 - alpha`` set interval of the quantity, on both of its rows),
            ``ci_method`` (``"set: wald"``; ``"set: bonferroni"`` for an intersection),
            ``endpoint_ci_low``, ``endpoint_ci_high`` (the endpoint's own interval,
            ``conf_int(interval="endpoint")``; NaN for an intersection),
            ``endpoint_ci_method`` (``"wald"`` or ``"boundary-aware"``, see the module
            docstring), ``ci_note`` (why an interval is boundary-aware), ``method``,
            ``divergence``, ``radius``, ``support``. :meth:`table` has the set intervals one
            row per quantity.
        """
        ci = self.conf_int()
        frame = pd.DataFrame(
            {"estimate": self.params, "se": self.bse, "ci_low": ci.low, "ci_high": ci.high}
        )
        frame["ci_method"] = "set: wald" if self.components is None else "set: bonferroni"
        if self.components is None:
            ep = self.conf_int(interval="endpoint")
            near = self.near_edge()
            frame["endpoint_ci_low"] = ep.low
            frame["endpoint_ci_high"] = ep.high
            frame["endpoint_ci_method"] = np.where(near, "boundary-aware", "wald")
            kappa = self.edge_threshold()
            frame["ci_note"] = np.where(
                near,
                f"endpoint within {kappa:.2g} SE of the support edge (or past it): its interval "
                "reaches the edge (one-sided; covers more than 1 - alpha when on the edge)",
                "",
            )
        else:
            frame["endpoint_ci_low"] = np.nan
            frame["endpoint_ci_high"] = np.nan
            frame["endpoint_ci_method"] = "none (intersection: use the set interval)"
            frame["ci_note"] = ""
        for col, val in self._labels().items():
            frame[col] = val
        return order_columns(frame)

    def table(self, alpha: float | None = None, interval: str = "set") -> pd.DataFrame:
        """The bounds one row per quantity, with the interval of each quantity.

        Parameters
        ----------
        alpha : float, optional
            ``1 -`` the level; default the result's ``alpha``.
        interval : {"set", "parameter"}, default "set"
            The interval of :meth:`conf_int` in ``ci_low``/``ci_high``.

        Returns
        -------
        DataFrame
            Indexed by quantity: ``lower``, ``upper`` (the estimated identified set),
            ``ci_low``, ``ci_high``, ``se_lower``, ``se_upper``, ``method``, ``divergence``,
            ``radius``, ``support``.
        """
        if interval == "endpoint":
            raise InvalidParameterError(
                "table() has one interval per quantity: use 'set' or 'parameter'"
            )
        low, high = self._intervals(alpha, interval)
        return pd.DataFrame(
            {
                "lower": self.lower,
                "upper": self.upper,
                "ci_low": low[:, 0],
                "ci_high": high[:, 1],
                "se_lower": self.se_lower,
                "se_upper": self.se_upper,
            }
            | self._labels(),
            index=pd.Index(QUANTITIES, name="quantity"),
        )

    def __repr__(self) -> str:
        low, high = self._intervals(None, "set")
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
                f"CI [{low[i, 0]:.5g}, {high[i, 1]:.5g}]"
            )
        return "\n".join(lines)
