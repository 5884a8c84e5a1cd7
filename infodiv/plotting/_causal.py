"""The sensitivity plot of the causal bounds. matplotlib is imported inside the function."""

from __future__ import annotations

from typing import Any

import numpy as np

from infodiv.causal import QUANTITIES, SensitivityCurve
from infodiv.exceptions import InvalidParameterError

__all__ = ["plot_sensitivity"]


def plot_sensitivity(
    curve: SensitivityCurve,
    quantity: str = "ATE",
    reference: dict[str, float] | None = None,
    ax: Any = None,
    show_ci: bool = True,
) -> Any:
    """Plot the bounds against ``rho`` and/or ``Lambda`` with the reference bands.

    Each panel (one per model of ``curve.frame``) shows the swept band (shaded, its confidence
    limits dashed), the AIPW point estimate (black line), the propensity-radius f-bounds
    (coloured lines) and the Manski band (grey dash-dot lines).

    Parameters
    ----------
    curve : SensitivityCurve
        From :func:`infodiv.causal.sensitivity_curve`.
    quantity : {"E[Y(0)]", "E[Y(1)]", "ATE"}, default "ATE"
        The quantity to plot.
    reference : dict of str -> float, optional
        Labelled horizontal lines (e.g. an experimental estimate).
    ax : matplotlib Axes or array of Axes, optional
        One per model of ``curve.frame`` (f-sensitivity, then MSM); new axes by default.
    show_ci : bool, default True
        Draw the ``1 - alpha`` set intervals (dashed).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (never shown).
    """
    import matplotlib.pyplot as plt

    if quantity not in QUANTITIES:
        raise InvalidParameterError(f"quantity must be one of {list(QUANTITIES)}; got {quantity!r}")
    frame = curve.frame
    models = list(dict.fromkeys(frame["model"]))
    if ax is None:
        fig, axes = plt.subplots(
            1, len(models), figsize=(6.0 * len(models), 4.2), sharey=True, squeeze=False
        )
        axes = axes[0]
    else:
        axes = np.atleast_1d(ax)
        fig = axes[0].figure
    ref = curve.reference.loc[quantity]
    for axis, model in zip(axes, models, strict=False):
        g = frame[(frame["model"] == model) & (frame["quantity"] == quantity)]
        g = g.sort_values("param")
        x = g["param"].to_numpy()
        label = f"{model} bounds" + (f" ({curve.divergence})" if model == "f-sensitivity" else "")
        axis.fill_between(x, g["lower"], g["upper"], color="tab:blue", alpha=0.25, label=label)
        if show_ci:
            axis.plot(
                x,
                g["ci_low"],
                "--",
                color="tab:blue",
                lw=1,
                label=f"{100 * (1 - curve.alpha):g}% CI",
            )
            axis.plot(x, g["ci_high"], "--", color="tab:blue", lw=1)
        axis.axhline(ref["aipw"], color="black", lw=1.5, label="AIPW (no confounding)")
        axis.axhline(
            ref["f_lower"],
            color="tab:orange",
            lw=1.5,
            label=f"propensity-radius {curve.divergence} bounds",
        )
        axis.axhline(ref["f_upper"], color="tab:orange", lw=1.5)
        axis.axhline(ref["manski_lower"], color="grey", ls="-.", lw=1.5, label="Manski bounds")
        axis.axhline(ref["manski_upper"], color="grey", ls="-.", lw=1.5)
        for i, (name, val) in enumerate((reference or {}).items()):
            axis.axhline(val, color=f"C{3 + i}", ls=":", lw=2, label=name)
        if model == "MSM":
            axis.set_xscale("log")
            axis.set_xlabel("MSM odds-ratio bound Λ")
        else:
            pos = x[x > 0]
            if pos.size:  # linear near 0, logarithmic beyond the smallest positive radius
                axis.set_xscale("symlog", linthresh=float(pos.min()))
                axis.set_xlim(0.0, float(x.max()))
            axis.set_xlabel(f"f-sensitivity radius ρ ({curve.divergence})")
        axis.set_title(f"{quantity}: {model}")
        axis.grid(alpha=0.3)
    axes[0].set_ylabel(quantity)
    axes[-1].legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig
