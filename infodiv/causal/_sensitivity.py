"""Sensitivity curves: bounds over the f-sensitivity radius ``rho`` or the MSM's ``Lambda``.

:func:`sensitivity_curve` fits the nuisances once and returns a :class:`SensitivityCurve`
holding a long DataFrame of bounds and intervals over the grid(s), the reference values (AIPW
point estimate under no unmeasured confounding, Manski bounds, propensity-radius f-bounds) and
a :meth:`~SensitivityCurve.plot` that draws them together
(:func:`infodiv.plotting.plot_sensitivity`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from infodiv._validation import check_alpha
from infodiv.causal._bounds import DivergenceBounds, ManskiBounds, MSMBounds
from infodiv.causal._generators import check_divergence, f_radius
from infodiv.core import ConfidenceInterval, ResultBase, order_columns
from infodiv.exceptions import InvalidParameterError

__all__ = ["SensitivityCurve", "sensitivity_curve"]

_DEFAULT_LAMBDA = (1.0, 1.1, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 20.0)


@dataclass(repr=False)
class SensitivityCurve(ResultBase):
    """Bounds over a sensitivity parameter, with the reference bounds to compare them with.

    As for :class:`~infodiv.causal.CausalBounds`, the parameters are the bound **endpoints**:
    :meth:`summary` has one row per ``(model, divergence, param, quantity, bound)`` with
    ``estimate`` (the endpoint), ``se``, ``ci_low``, ``ci_high`` (the ``1 - alpha`` set
    interval of the quantity at that grid value, on both of its rows).

    Parameters
    ----------
    frame : DataFrame
        Long format, one row per grid value and quantity: ``model`` (``"f-sensitivity"`` or
        ``"MSM"``), ``divergence``, ``param`` (``rho`` or ``Lambda``), ``quantity``, ``lower``,
        ``upper``, ``ci_low``, ``ci_high``, ``se_lower``, ``se_upper``.
    reference : DataFrame
        Indexed by quantity: ``aipw``, ``aipw_ci_low``, ``aipw_ci_high``, ``manski_lower``,
        ``manski_upper`` and ``f_lower``, ``f_upper`` (propensity radius) with their intervals
        (``manski_ci_low``, ..., ``f_ci_high``).
    divergence : str
        The f-divergence of the f-sensitivity curve.
    support : tuple of float
        The outcome support ``(lo, hi)``.
    alpha : float
        ``1 -`` the level of the intervals.
    """

    frame: pd.DataFrame
    reference: pd.DataFrame
    divergence: str
    support: tuple[float, float]
    alpha: float

    _KEYS = ["model", "divergence", "param", "quantity"]

    def _long(self, low_hi: tuple[np.ndarray, np.ndarray] | None = None) -> pd.DataFrame:
        """One row per endpoint: estimate, se, ci_low, ci_high (``low_hi`` replaces the CI)."""
        f = self.frame
        low, high = (f["ci_low"], f["ci_high"]) if low_hi is None else low_hi
        rows = np.repeat(np.arange(len(f)), 2)  # each row of frame -> its lower, upper rows
        long = f[self._KEYS].iloc[rows].reset_index(drop=True)
        long["bound"] = np.tile(["lower", "upper"], len(f))
        long["estimate"] = np.column_stack([f["lower"], f["upper"]]).ravel()
        long["se"] = np.column_stack([f["se_lower"], f["se_upper"]]).ravel()
        long["ci_low"] = np.asarray(low, dtype=float)[rows]
        long["ci_high"] = np.asarray(high, dtype=float)[rows]
        return long.set_index(self._KEYS + ["bound"])

    @property
    def params(self) -> pd.Series:
        """The bound endpoints, indexed by ``(model, divergence, param, quantity, bound)``."""
        return self._long()["estimate"]

    @property
    def bse(self) -> pd.Series:
        """Standard errors of the endpoints, on the index of :attr:`params`."""
        return self._long()["se"]

    @property
    def estimate(self) -> pd.Series:
        """The endpoints (the same as :attr:`params`)."""
        return self.params

    @property
    def se(self) -> pd.Series:
        """Standard errors of the endpoints (the same as :attr:`bse`)."""
        return self.bse

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """The set interval of each quantity at each grid value, aligned with :attr:`params`.

        Parameters
        ----------
        alpha : float, optional
            ``1 -`` the level; default the curve's ``alpha`` (the ``ci_low``/``ci_high`` of
            :attr:`frame`). Another level is ``[lower - z se_lower, upper + z se_upper]``
            with ``z = z_{1 - alpha/2}``, clipped to the logical range, as the estimators do.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)``, Series on the index of :attr:`params`.
        """
        if alpha is None:
            long = self._long()
        else:
            z = stats.norm.ppf(1 - check_alpha(alpha) / 2)
            lo, hi = self.support
            ate = (self.frame["quantity"] == "ATE").to_numpy()
            rmin, rmax = np.where(ate, lo - hi, lo), np.where(ate, hi - lo, hi)
            low = np.clip(self.frame["lower"] - z * self.frame["se_lower"], rmin, rmax)
            high = np.clip(self.frame["upper"] + z * self.frame["se_upper"], rmin, rmax)
            long = self._long((low.to_numpy(), high.to_numpy()))
        return ConfidenceInterval(long["ci_low"], long["ci_high"])

    def summary(self) -> pd.DataFrame:
        """One row per bound endpoint over the grid(s).

        Returns
        -------
        DataFrame
            Indexed by ``(model, divergence, param, quantity, bound)``: ``estimate``, ``se``,
            ``ci_low``, ``ci_high``. :attr:`frame` has the same numbers one row per quantity.
        """
        return order_columns(self._long())

    def __repr__(self) -> str:
        models = ", ".join(
            f"{m} over {g['param'].nunique()} values"
            for m, g in self.frame.groupby("model", sort=False)
        )
        return (
            f"SensitivityCurve({models}; divergence {self.divergence}, support "
            f"[{self.support[0]:.6g}, {self.support[1]:.6g}])"
        )

    def plot(
        self,
        quantity: str = "ATE",
        reference: dict[str, float] | None = None,
        ax: Any = None,
        show_ci: bool = True,
    ):
        """Plot the bounds against ``rho`` and/or ``Lambda`` (:func:`infodiv.plotting.plot_sensitivity`).

        Parameters
        ----------
        quantity : {"E[Y(0)]", "E[Y(1)]", "ATE"}, default "ATE"
            The quantity to plot.
        reference : dict of str -> float, optional
            Labelled horizontal lines (e.g. an experimental estimate).
        ax : matplotlib Axes or array of Axes, optional
            One per model in :attr:`frame`; new axes by default.
        show_ci : bool, default True
            Draw the confidence limits (dashed).

        Returns
        -------
        matplotlib.figure.Figure
            The figure drawn on (never shown).
        """
        from infodiv.plotting import plot_sensitivity

        return plot_sensitivity(self, quantity, reference=reference, ax=ax, show_ci=show_ci)


def sensitivity_curve(
    X: Any,
    A: Any,
    Y: Any,
    *,
    support: Any,
    kind: str = "kl",
    rho: Any = "auto",
    Lambda: Any = "auto",
    propensity_model: Any = None,
    outcome_model: Any = None,
    n_folds: int = 5,
    alpha: float = 0.05,
    random_state: Any = None,
    propensity_clip: float = 0.01,
) -> SensitivityCurve:
    """Bounds over ``rho`` (f-sensitivity) and/or ``Lambda`` (MSM) from one nuisance fit.

    Parameters
    ----------
    X, A, Y, support, propensity_model, outcome_model, n_folds, alpha, random_state, propensity_clip
        As in :class:`~infodiv.causal.DivergenceBounds`.
    kind : str
        The f-divergence of the f-sensitivity curve and of the propensity-radius reference.
    rho : array, "auto" or None
        Radii; ``"auto"``: 0 and 14 geometric steps up to the largest propensity radius of the
        sample (where the curve reaches the propensity-radius bounds). ``None`` skips it.
    Lambda : array, "auto" or None
        ``"auto"``: 1 to 20 (beyond, the conditional ``Lambda/(1+Lambda)``-quantile is too
        extreme for a nonparametric law estimate; see ``docs/causal.md``). ``None`` skips it.

    Returns
    -------
    SensitivityCurve

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> A = rng.integers(0, 2, 300); Y = rng.binomial(1, 0.4 + 0.2 * A)
    >>> curve = sensitivity_curve(None, A, Y, support=(0, 1), rho=[0, 0.1], Lambda=[1, 2])
    >>> curve.frame.shape
    (12, 10)
    >>> curve.summary().shape
    (24, 4)
    """
    name = check_divergence(kind)
    if rho is None and Lambda is None:
        raise InvalidParameterError("rho and Lambda are both None: give at least one grid")
    common = dict(
        support=support,
        propensity_model=propensity_model,
        outcome_model=outcome_model,
        n_folds=n_folds,
        alpha=alpha,
        random_state=random_state,
        propensity_clip=propensity_clip,
    )
    fb = DivergenceBounds(name, **common).fit(X, A, Y)
    data, nuis = fb.data_, fb.nuisances_
    manski = ManskiBounds(**common)
    manski._adopt(data, nuis)
    manski.result_ = manski._fit_one()
    frames = []
    grid: Any  # a grid of radii (rho) or of Lambda: an array or any sequence the user gives
    if rho is not None:
        if isinstance(rho, str) and rho == "auto":
            bmax = float(max(f_radius(nuis.e(0), name).max(), f_radius(nuis.e(1), name).max()))
            grid = np.concatenate([[0.0], np.geomspace(1e-3 * bmax, bmax, 14)])
        else:
            grid = rho
        s = fb.sensitivity(grid).rename(columns={"rho": "param"})
        s.insert(0, "model", "f-sensitivity")
        frames.append(s)
    if Lambda is not None:
        grid = _DEFAULT_LAMBDA if isinstance(Lambda, str) and Lambda == "auto" else Lambda
        msm = MSMBounds(Lambda=1.0, **common)
        msm._adopt(data, nuis)
        msm.result_ = msm._fit_one(1.0)
        s = msm.sensitivity(grid).rename(columns={"Lambda": "param"})
        s.insert(0, "model", "MSM")
        s.insert(1, "divergence", "")
        frames.append(s)
    frame = pd.concat(frames, ignore_index=True)
    fs, ms, aipw = fb.table(), manski.result_.table(), fb.aipw_
    reference = pd.DataFrame(
        {
            "aipw": aipw["estimate"],
            "aipw_ci_low": aipw["ci_low"],
            "aipw_ci_high": aipw["ci_high"],
            "manski_lower": ms["lower"],
            "manski_upper": ms["upper"],
            "manski_ci_low": ms["ci_low"],
            "manski_ci_high": ms["ci_high"],
            "f_lower": fs["lower"],
            "f_upper": fs["upper"],
            "f_ci_low": fs["ci_low"],
            "f_ci_high": fs["ci_high"],
        }
    )
    return SensitivityCurve(frame, reference, name, fb.support_, fb.alpha_)
