"""Plots of infodiv results. matplotlib is imported inside each function, never at import time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats

if TYPE_CHECKING:  # the type only: plotting needs no credit code at import time
    from infodiv.credit import WoETable

__all__ = ["plot_woe"]


def plot_woe(
    table: WoETable, ax: Any = None, alpha: float | None = None, counts: bool = True
) -> Any:
    """WoE by bin with ``1 - alpha`` confidence bars, the event rate and the rows per bin.

    The event rate is drawn on a second axis, the rows per bin as bars in a panel below.
    Bins without training rows are left out. Returns the matplotlib ``Figure`` (never shows it).

    Parameters
    ----------
    table : WoETable
        E.g. ``WoEEncoder.woe_tables_["age"]`` or ``StumpBinner.woe_tables_["age"]``.
    ax : matplotlib Axes, optional
        Where to draw the bars (a new figure otherwise).
    alpha : float, optional
        Level of the bars (default: the table's).
    counts : bool, default True
        Draw the rows per bin as bars in a panel below (only on a new figure: not with ``ax``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding ``ax`` (or the new one).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from infodiv import woe_table
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=1000)
    >>> fig = plot_woe(woe_table(x, (rng.random(1000) < 0.3).astype(int), bins=4))
    >>> type(fig).__name__
    'Figure'
    """
    from matplotlib.figure import Figure

    t = table.table.iloc[:-1]
    t = t[t["count"] > 0]
    a = table.alpha if alpha is None else alpha
    z = stats.norm.ppf(1 - a / 2)
    ax_n = None
    if ax is None:
        width = max(5.0, 0.9 * len(t) + 2)
        # a bare Figure (no pyplot state)
        if counts:
            fig = Figure(figsize=(width, 4.8), layout="constrained")
            ax, ax_n = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
        else:
            fig = Figure(figsize=(width, 3.8), layout="constrained")
            ax = fig.subplots()
    else:
        fig = ax.figure
    x = np.arange(len(t))
    woe = t["woe"].to_numpy(dtype=float)
    ax.bar(
        x,
        woe,
        yerr=z * t["woe_se"].to_numpy(dtype=float),
        capsize=4,
        color="#4c72b0",
        alpha=0.85,
        label=f"WoE ± {100 * (1 - a):g}% CI",
    )
    ax.axhline(0.0, color="black", lw=0.8)
    labels_ax = ax
    if ax_n is not None:
        ax_n.bar(x, t["count"].to_numpy(dtype=float), color="#8c8c8c")
        ax_n.set_ylabel("rows")
        labels_ax = ax_n
    labels_ax.set_xticks(x)
    labels_ax.set_xticklabels([str(v) for v in t["bin"]], rotation=30, ha="right", fontsize=8)
    ax.set_ylabel(f"WoE = ln({table.woe_sign})")
    iv = table.iv
    ax.set_title(f"{table.feature}: IV = {iv.estimate:.3f} (SE {iv.se:.3f})")
    ax2 = ax.twinx()
    ax2.plot(x, t["event_rate"].to_numpy(dtype=float), "o-", color="#dd8452", label="event rate")
    ax2.set_ylabel("event rate")
    ax2.set_ylim(0, None)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper left", fontsize=8)
    return fig
