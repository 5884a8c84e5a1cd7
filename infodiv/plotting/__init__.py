"""Plots of infodiv's results: each function returns a matplotlib Figure and never shows it."""

from infodiv.plotting._causal import plot_sensitivity
from infodiv.plotting._fairness import plot_fairness, plot_frontier
from infodiv.plotting._risk import plot_risk
from infodiv.plotting._validation import (
    plot_calibration,
    plot_migration,
    plot_psi,
    plot_roc_cap,
    plot_roc_cap_curves,
    plot_score_distribution,
    plot_score_histogram,
    roc_cap_points,
)
from infodiv.plotting._woe import plot_woe

__all__ = [
    "plot_calibration",
    "plot_fairness",
    "plot_frontier",
    "plot_migration",
    "plot_psi",
    "plot_risk",
    "plot_roc_cap",
    "plot_roc_cap_curves",
    "plot_score_distribution",
    "plot_score_histogram",
    "plot_sensitivity",
    "plot_woe",
    "roc_cap_points",
]
