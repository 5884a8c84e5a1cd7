"""Sensitivity curves: bounds over the f-sensitivity radius ``rho`` or the MSM's ``Lambda``.

:func:`sensitivity_curve` fits the nuisances once and returns a :class:`SensitivityCurve`
holding a long DataFrame of bounds and intervals over the grid(s), the reference values (AIPW
point estimate under no unmeasured confounding, Manski bounds, propensity-radius f-bounds) and
a :meth:`~SensitivityCurve.plot` that draws them together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from infodiv.causal._bounds import DivergenceBounds, ManskiBounds, MSMBounds
from infodiv.causal._generators import check_divergence, f_radius
from infodiv.causal._results import QUANTITIES
from infodiv.core import ResultBase

__all__ = ["SensitivityCurve", "sensitivity_curve"]

DEFAULT_LAMBDA = (1.0, 1.1, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 20.0)


@dataclass(repr=False)
class SensitivityCurve(ResultBase):
    """Bounds over a sensitivity parameter, with the reference bounds to compare them with.

    Attributes
    ----------
    frame : DataFrame
        Long format: ``model`` (``"f-sensitivity"`` or ``"MSM"``), ``divergence``, ``param``
        (``rho`` or ``Lambda``), ``quantity``, ``lower``, ``upper``, ``ci_lower``, ``ci_upper``.
    reference : DataFrame
        Indexed by quantity: ``aipw``, ``aipw_ci_lower``, ``aipw_ci_upper``, ``manski_lower``,
        ``manski_upper`` and ``f_lower``, ``f_upper`` (propensity radius) with their intervals.
    divergence : str
    support : tuple of float
    alpha : float
    """

    frame: pd.DataFrame
    reference: pd.DataFrame
    divergence: str
    support: tuple[float, float]
    alpha: float

    def summary(self) -> pd.DataFrame:
        """The long DataFrame of bounds over the grid(s)."""
        return self.frame

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
        axes: Any = None,
        show_ci: bool = True,
    ):
        """Plot the bounds against ``rho`` and/or ``Lambda`` with the reference bands.

        Each panel shows the swept band (shaded, its confidence limits dashed), the AIPW point
        estimate (black line), the propensity-radius f-bounds (coloured lines) and the Manski
        band (grey dash-dot lines). ``reference`` adds labelled horizontal lines (e.g. an
        experimental estimate).

        Returns
        -------
        matplotlib.figure.Figure
        """
        import matplotlib.pyplot as plt

        if quantity not in QUANTITIES:
            raise ValueError(f"quantity must be one of {list(QUANTITIES)}; got {quantity!r}")
        models = list(dict.fromkeys(self.frame["model"]))
        if axes is None:
            fig, axes = plt.subplots(
                1, len(models), figsize=(6.0 * len(models), 4.2), sharey=True, squeeze=False
            )
            axes = axes[0]
        else:
            axes = np.atleast_1d(axes)
            fig = axes[0].figure
        ref = self.reference.loc[quantity]
        for ax, model in zip(axes, models, strict=False):
            g = self.frame[(self.frame["model"] == model) & (self.frame["quantity"] == quantity)]
            g = g.sort_values("param")
            x = g["param"].to_numpy()
            label = f"{model} bounds" + (
                f" ({self.divergence})" if model == "f-sensitivity" else ""
            )
            ax.fill_between(x, g["lower"], g["upper"], color="tab:blue", alpha=0.25, label=label)
            if show_ci:
                ax.plot(
                    x,
                    g["ci_lower"],
                    "--",
                    color="tab:blue",
                    lw=1,
                    label=f"{100 * (1 - self.alpha):g}% CI",
                )
                ax.plot(x, g["ci_upper"], "--", color="tab:blue", lw=1)
            ax.axhline(ref["aipw"], color="black", lw=1.5, label="AIPW (no confounding)")
            ax.axhline(
                ref["f_lower"],
                color="tab:orange",
                lw=1.5,
                label=f"propensity-radius {self.divergence} bounds",
            )
            ax.axhline(ref["f_upper"], color="tab:orange", lw=1.5)
            ax.axhline(ref["manski_lower"], color="grey", ls="-.", lw=1.5, label="Manski bounds")
            ax.axhline(ref["manski_upper"], color="grey", ls="-.", lw=1.5)
            for i, (name, val) in enumerate((reference or {}).items()):
                ax.axhline(val, color=f"C{3 + i}", ls=":", lw=2, label=name)
            if model == "MSM":
                ax.set_xscale("log")
                ax.set_xlabel("MSM odds-ratio bound Λ")
            else:
                pos = x[x > 0]
                if pos.size:  # linear near 0, logarithmic beyond the smallest positive radius
                    ax.set_xscale("symlog", linthresh=float(pos.min()))
                    ax.set_xlim(0.0, float(x.max()))
                ax.set_xlabel(f"f-sensitivity radius ρ ({self.divergence})")
            ax.set_title(f"{quantity}: {model}")
            ax.grid(alpha=0.3)
        axes[0].set_ylabel(quantity)
        axes[-1].legend(fontsize=8, loc="best")
        fig.tight_layout()
        return fig


def sensitivity_curve(
    X: Any,
    A: Any,
    Y: Any,
    *,
    support: Any,
    divergence: str = "kl",
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
    divergence : str
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
    (12, 8)
    """
    name = check_divergence(divergence)
    if rho is None and Lambda is None:
        raise ValueError("rho and Lambda are both None: give at least one grid")
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
        grid = DEFAULT_LAMBDA if isinstance(Lambda, str) and Lambda == "auto" else Lambda
        msm = MSMBounds(Lambda=1.0, **common)
        msm._adopt(data, nuis)
        msm.result_ = msm._fit_one(1.0)
        s = msm.sensitivity(grid).rename(columns={"Lambda": "param"})
        s.insert(0, "model", "MSM")
        s.insert(1, "divergence", "")
        frames.append(s)
    frame = pd.concat(frames, ignore_index=True)
    fs, ms, aipw = fb.summary(), manski.result_.summary(), fb.aipw_
    reference = pd.DataFrame(
        {
            "aipw": aipw["estimate"],
            "aipw_ci_lower": aipw["ci_lower"],
            "aipw_ci_upper": aipw["ci_upper"],
            "manski_lower": ms["lower"],
            "manski_upper": ms["upper"],
            "manski_ci_lower": ms["ci_lower"],
            "manski_ci_upper": ms["ci_upper"],
            "f_lower": fs["lower"],
            "f_upper": fs["upper"],
            "f_ci_lower": fs["ci_lower"],
            "f_ci_upper": fs["ci_upper"],
        }
    )
    return SensitivityCurve(frame, reference, name, fb.support_, fb.alpha_)
