"""Plots of infodiv's results: each function returns a matplotlib Figure and never shows it."""

from infodiv.plotting._causal import plot_sensitivity
from infodiv.plotting._woe import plot_woe

__all__ = ["plot_sensitivity", "plot_woe"]
