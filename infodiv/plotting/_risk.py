"""The p-n criterion's plot: estimation risk against sample size, with the threshold."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from infodiv.exceptions import InvalidParameterError

if TYPE_CHECKING:
    from infodiv.sample_size import PNCriterion

__all__ = ["plot_risk"]


def plot_risk(
    *criteria: PNCriterion,
    n: Any = None,
    labels: Sequence[str] | None = None,
    ax: Any = None,
    band: bool = True,
) -> Any:
    """Plot the estimated risk ``c1/n + c2/n^2`` of fitted criteria against n (log-log).

    Draws each criterion's risk curve (with the band from the interval of ``c1`` when
    ``band``), its first-order curve dashed, a dot at its own ``n_``, and the threshold
    ``8 epsilon^2`` as a horizontal line.

    Parameters
    ----------
    *criteria : PNCriterion
        Fitted criteria (e.g. models of increasing dimension on the same data).
    n : array-like, optional
        Sample sizes on the x axis (default: a log grid around the fitted and required n).
    labels : sequence of str, optional
        Legend labels (default: family and p).
    ax : matplotlib Axes, optional
        Where to draw (a new bare Figure otherwise).
    band : bool, default True
        Shade the band from the interval of ``c1`` (``c2`` held fixed).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (that of ``ax`` when given).
    """
    from matplotlib.figure import Figure

    if not criteria:
        raise InvalidParameterError("plot_risk needs at least one fitted PNCriterion")
    for c in criteria:
        check_is_fitted(c, "c1_")
    if labels is not None and len(labels) != len(criteria):
        raise InvalidParameterError(
            f"labels has {len(labels)} entries for {len(criteria)} criteria"
        )
    if n is None:
        lo = min(min(c.n_, c.n_required_) for c in criteria) / 4
        hi = max(max(c.n_, c.n_required_) for c in criteria) * 4
        grid = np.geomspace(max(lo, 2.0), max(hi, 10.0), 200)
    else:
        grid = np.asarray(n, dtype=float)
    if ax is None:
        # a bare Figure (no pyplot state): shown once when returned in a notebook
        fig = Figure(figsize=(6.4, 4.2), layout="constrained")
        ax = fig.subplots()
    else:
        fig = ax.figure
    thresholds = set()
    for i, c in enumerate(criteria):
        lab = labels[i] if labels is not None else f"{c.family_} (p = {c.p_})"
        (line,) = ax.plot(grid, c.risk(grid), label=lab)
        col = line.get_color()
        ax.plot(grid, c.c1_ / grid, ls="--", lw=0.8, color=col)
        if band and c.c1_se_ > 0:
            lo1, hi1 = c.c1_ci_
            extra = c.c2_ / grid**2 if (c.order == 2 and np.isfinite(c.c2_)) else 0.0
            ax.fill_between(
                grid, lo1 / grid + extra, hi1 / grid + extra, color=col, alpha=0.15, lw=0
            )
        ax.plot([c.n_], [c.risk_], "o", color=col)
        thresholds.add(round(c.threshold_, 15))
    for t in sorted(thresholds):
        ax.axhline(t, color="k", lw=1)
        ax.annotate(
            f"8 ε² = {t:.3g}", (grid[0], t), xytext=(2, 3), textcoords="offset points", fontsize=8
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("n")
    ax.set_ylabel("E KL(best model || fitted model)")
    ax.set_title("p-n criterion: estimation risk against sample size")
    ax.legend(fontsize=8)
    return fig
