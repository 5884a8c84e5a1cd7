"""Plots of a model validation: ROC and CAP, calibration, score by class, PSI, migration.

Each function returns a bare matplotlib ``Figure`` (no pyplot state, never shown).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from infodiv.exceptions import InvalidParameterError

__all__ = [
    "plot_calibration",
    "plot_migration",
    "plot_psi",
    "plot_roc_cap",
    "plot_roc_cap_curves",
    "plot_score_distribution",
    "plot_score_histogram",
    "roc_cap_points",
]

STATUS = {"green": "#2e8b57", "amber": "#e0a100", "red": "#c0392b"}


def _figure(width: float, height: float, ncols: int = 1) -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots(1, ncols)


def _binary(y: Any, score: Any) -> tuple[np.ndarray, np.ndarray]:
    yy = np.asarray(y)
    s = np.asarray(score, dtype=float)
    if yy.ndim != 1 or s.shape != yy.shape:
        raise InvalidParameterError(
            f"y and score must be 1-d of one length; got shapes {yy.shape} and {s.shape}"
        )
    if not np.all(np.isin(yy, (0, 1))) or len(np.unique(yy)) < 2:
        raise InvalidParameterError("y must hold both classes, coded 0/1 (1 = bad)")
    if not np.all(np.isfinite(s)):
        raise InvalidParameterError("score must be finite")
    return yy.astype(int), s


def roc_cap_points(y: Any, score: Any) -> dict[str, np.ndarray]:
    """ROC and CAP curve points of a score where higher means riskier (ties as one step).

    Parameters
    ----------
    y : array-like of 0/1
        Outcome, 1 = bad.
    score : array-like of float
        Higher = riskier (a PD, or minus a points score).

    Returns
    -------
    dict
        ``fpr``, ``tpr`` (ROC), ``share`` (share of all rows, riskiest first) and ``captured``
        (share of bads among them: the CAP), each starting at 0 and ending at 1.
    """
    yy, s = _binary(y, score)
    order = np.argsort(-s, kind="mergesort")
    s_sorted, y_sorted = s[order], yy[order]
    # one point per distinct score (ties move both axes at once)
    last = np.r_[np.flatnonzero(np.diff(s_sorted) != 0), len(s_sorted) - 1]
    bads = np.cumsum(y_sorted)[last]
    rows = last + 1.0
    goods = rows - bads
    n_bad, n = float(yy.sum()), float(len(yy))
    return {
        "fpr": np.r_[0.0, goods / (n - n_bad)],
        "tpr": np.r_[0.0, bads / n_bad],
        "share": np.r_[0.0, rows / n],
        "captured": np.r_[0.0, bads / n_bad],
    }


def plot_roc_cap(y: Any, score: Any, label: str = "score") -> Any:
    """ROC curve (with the AUC) and CAP curve (with the accuracy ratio), side by side.

    Parameters
    ----------
    y : array-like of 0/1
        Outcome, 1 = bad.
    score : array-like of float
        Higher = riskier (a PD, or minus a points score).
    label : str, default "score"
        Name of the score in the legends.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(500) < 0.3).astype(int)
    >>> fig = plot_roc_cap(y, y + rng.normal(size=500))
    >>> [ax.get_title() for ax in fig.axes]
    ['ROC curve', 'CAP curve']
    """
    pts = roc_cap_points(y, score)
    fx, ty = pts["fpr"], pts["tpr"]
    auc = float(np.sum(np.diff(fx) * (ty[1:] + ty[:-1]) / 2))
    pd_bad = float(np.mean(np.asarray(y)))
    fig, (a1, a2) = _figure(9.5, 4.0, 2)
    a1.plot(pts["fpr"], pts["tpr"], color="#4c72b0", label=f"{label}: AUC = {auc:.3f}")
    a1.plot([0, 1], [0, 1], ls="--", color="grey", lw=0.8, label="random (AUC = 0.5)")
    a1.set_xlabel("false positive rate (goods flagged)")
    a1.set_ylabel("true positive rate (bads flagged)")
    a1.set_title("ROC curve")
    a1.legend(loc="lower right", fontsize=8)
    a2.plot(
        pts["share"], pts["captured"], color="#4c72b0", label=f"{label}: AR = {2 * auc - 1:.3f}"
    )
    a2.plot([0, pd_bad, 1], [0, 1, 1], ls=":", color="black", lw=0.8, label="perfect model")
    a2.plot([0, 1], [0, 1], ls="--", color="grey", lw=0.8, label="random")
    a2.set_xlabel("share of rows, riskiest first")
    a2.set_ylabel("share of bads captured")
    a2.set_title("CAP curve")
    a2.legend(loc="lower right", fontsize=8)
    for a in (a1, a2):
        a.set_xlim(0, 1)
        a.set_ylim(0, 1.01)
    return fig


def plot_calibration(
    predicted: Any,
    observed: Any,
    low: Any = None,
    high: Any = None,
    labels: Sequence[str] | None = None,
    title: str = "Calibration",
) -> Any:
    """Observed default rate against predicted PD per group, with interval bars.

    Parameters
    ----------
    predicted : array-like
        Mean predicted PD of each group (grade or decile).
    observed : array-like
        Observed default rate of each group.
    low, high : array-like, optional
        Interval of the observed rate (e.g. Jeffreys) drawn as bars.
    labels : sequence of str, optional
        Group labels written next to the points.
    title : str, default "Calibration"
        Title.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    p = np.asarray(predicted, dtype=float)
    o = np.asarray(observed, dtype=float)
    if p.shape != o.shape or p.ndim != 1:
        raise InvalidParameterError("predicted and observed must be 1-d of one length")
    fig, ax = _figure(5.2, 4.4)
    top = float(np.nanmax(np.r_[p, o, [0.0]]))
    if low is not None and high is not None:
        lo, hi = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
        top = max(top, float(np.nanmax(hi)))
        ax.errorbar(
            p,
            o,
            yerr=np.vstack([o - lo, hi - o]),
            fmt="o",
            color="#4c72b0",
            ecolor="#4c72b0",
            capsize=3,
            label="observed rate with interval",
        )
    else:
        ax.plot(p, o, "o", color="#4c72b0", label="observed rate")
    top = top * 1.05 if top > 0 else 1.0
    ax.plot([0, top], [0, top], ls="--", color="grey", lw=0.8, label="perfect calibration")
    if labels is not None:
        for x, yv, t in zip(p, o, labels, strict=True):
            ax.annotate(str(t), (x, yv), xytext=(4, -10), textcoords="offset points", fontsize=7)
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("predicted PD")
    ax.set_ylabel("observed default rate")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def plot_score_distribution(y: Any, score: Any, bins: int = 30, label: str = "score") -> Any:
    """Draw histograms (densities) of the score for goods and for bads.

    Parameters
    ----------
    y : array-like of 0/1
        Outcome, 1 = bad.
    score : array-like of float
        The score.
    bins : int, default 30
        Number of histogram bins (shared by both classes).
    label : str, default "score"
        The x axis label.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    yy, s = _binary(y, score)
    edges = np.histogram_bin_edges(s, bins=bins)
    fig, ax = _figure(6.0, 3.6)
    for cls, name, colour in ((0, "goods", "#4c72b0"), (1, "bads", "#c44e52")):
        ax.hist(
            s[yy == cls],
            bins=edges,
            density=True,
            alpha=0.5,
            color=colour,
            label=f"{name} (n = {int((yy == cls).sum()):,})",
        )
    ax.set_xlabel(label)
    ax.set_ylabel("density")
    ax.set_title("Score distribution by class")
    ax.legend(fontsize=8)
    return fig


def plot_psi(
    table: pd.DataFrame, amber: float = 0.10, red: float = 0.25, title: str = "PSI"
) -> Any:
    """Horizontal PSI bars per feature with interval bars, coloured by traffic light.

    Parameters
    ----------
    table : DataFrame
        Indexed by feature, with a ``psi`` column and optionally ``ci_low``/``ci_high``
        (e.g. :func:`infodiv.psi_summary`).
    amber, red : float
        Traffic-light thresholds, drawn as vertical lines.
    title : str, default "PSI"
        Title.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    if "psi" not in table.columns:
        raise InvalidParameterError("table must have a 'psi' column (e.g. from psi_summary)")
    t = table.sort_values("psi")
    v = t["psi"].to_numpy(dtype=float)
    colours = [
        STATUS["red"] if x >= red else STATUS["amber"] if x >= amber else STATUS["green"] for x in v
    ]
    fig, ax = _figure(6.5, max(2.2, 0.28 * len(t) + 1.0))
    y = np.arange(len(t))
    xerr = None
    if {"ci_low", "ci_high"} <= set(t.columns):
        lo = t["ci_low"].to_numpy(dtype=float)
        hi = t["ci_high"].to_numpy(dtype=float)
        xerr = np.vstack([np.clip(v - lo, 0, None), np.clip(hi - v, 0, None)])
    ax.barh(y, v, xerr=xerr, color=colours, capsize=2, error_kw={"lw": 0.8})
    ax.set_yticks(y)
    ax.set_yticklabels([str(i) for i in t.index], fontsize=8)
    for x, ls in ((amber, "--"), (red, ":")):
        ax.axvline(x, color="black", lw=0.8, ls=ls)
    ax.set_xlabel(f"PSI (lines at {amber:g} and {red:g})")
    ax.set_title(title)
    return fig


def plot_migration(matrix: pd.DataFrame, title: str = "Grade migration") -> Any:
    """Heat map of a migration matrix (rows: initial grade, columns: current grade).

    Each cell shows the row share (colour and text) and the count.

    Parameters
    ----------
    matrix : DataFrame
        Counts, square or not, rows = grade at the first snapshot, columns = grade at the
        second.
    title : str, default "Grade migration"
        Title.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    counts = matrix.to_numpy(dtype=float)
    if counts.ndim != 2 or counts.size == 0:
        raise InvalidParameterError("matrix must be a non-empty 2-d table of counts")
    rows = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, rows, out=np.zeros_like(counts), where=rows > 0)
    k, m = counts.shape
    fig, ax = _figure(max(4.5, 0.6 * m + 2.0), max(3.8, 0.5 * k + 1.6))
    im = ax.imshow(share, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for i in range(k):
        for j in range(m):
            colour = "white" if share[i, j] > 0.6 else "black"
            ax.text(
                j,
                i,
                f"{share[i, j]:.0%}\n{int(round(counts[i, j])):,}",
                ha="center",
                va="center",
                fontsize=7,
                color=colour,
            )
    ax.set_xticks(range(m))
    ax.set_xticklabels([str(c) for c in matrix.columns], fontsize=8)
    ax.set_yticks(range(k))
    ax.set_yticklabels([str(r) for r in matrix.index], fontsize=8)
    ax.set_xlabel("grade at the second snapshot")
    ax.set_ylabel("grade at the first snapshot")
    ax.set_title(title)
    fig.colorbar(im, ax=ax, label="share of the row")
    return fig


def plot_roc_cap_curves(roc: pd.DataFrame, cap: pd.DataFrame) -> Any:
    """ROC and CAP curves from precomputed points, one line per ``sample``.

    Parameters
    ----------
    roc : DataFrame
        Columns ``fpr``, ``tpr`` and optionally ``sample`` (e.g. development and current).
    cap : DataFrame
        Columns ``share_population``, ``share_defaults`` and optionally ``sample``.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> import pandas as pd
    >>> roc = pd.DataFrame({"fpr": [0, 0.2, 1], "tpr": [0, 0.7, 1]})
    >>> cap = pd.DataFrame({"share_population": [0, 0.3, 1], "share_defaults": [0, 0.8, 1]})
    >>> len(plot_roc_cap_curves(roc, cap).axes)
    2
    """
    for name, t, cols in (
        ("roc", roc, ("fpr", "tpr")),
        ("cap", cap, ("share_population", "share_defaults")),
    ):
        if not set(cols) <= set(t.columns):
            raise InvalidParameterError(f"{name} must have columns {cols}; got {list(t.columns)}")
    fig, (a1, a2) = _figure(9.5, 4.0, 2)
    colours = ["#4c72b0", "#dd8452", "#55a868", "#c44e52"]

    def groups(t: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
        if "sample" in t.columns:
            return [(str(k), g) for k, g in t.groupby("sample", sort=False)]
        return [("score", t)]

    for i, (lab, g) in enumerate(groups(roc)):
        x, y = g["fpr"].to_numpy(dtype=float), g["tpr"].to_numpy(dtype=float)
        auc = float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))
        a1.plot(x, y, color=colours[i % 4], label=f"{lab}: AUC = {auc:.3f}")
    for i, (lab, g) in enumerate(groups(cap)):
        x = g["share_population"].to_numpy(dtype=float)
        y = g["share_defaults"].to_numpy(dtype=float)
        a2.plot(x, y, color=colours[i % 4], label=lab)
    for a in (a1, a2):
        a.plot([0, 1], [0, 1], ls="--", color="grey", lw=0.8, label="random")
        a.set_xlim(0, 1)
        a.set_ylim(0, 1.01)
        a.legend(loc="lower right", fontsize=8)
    a1.set_xlabel("false positive rate (non-defaults flagged)")
    a1.set_ylabel("true positive rate (defaults flagged)")
    a1.set_title("ROC curve")
    a2.set_xlabel("share of obligors, riskiest first")
    a2.set_ylabel("share of defaults captured")
    a2.set_title("CAP curve")
    return fig


def plot_score_histogram(table: pd.DataFrame, label: str = "score") -> Any:
    """Score distribution by class from a binned table, one panel per ``sample``.

    Parameters
    ----------
    table : DataFrame
        Columns ``class``, ``bin_low``, ``bin_high``, ``share`` (share of the class in the
        bin) and optionally ``sample``. Bars show ``share / (bin_high - bin_low)`` (a
        density), so that bins of unequal width compare.
    label : str, default "score"
        The x axis label.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    need = {"class", "bin_low", "bin_high", "share"}
    if not need <= set(table.columns):
        raise InvalidParameterError(f"table must have columns {sorted(need)}")
    samples = list(dict.fromkeys(table["sample"])) if "sample" in table.columns else [None]
    fig, axes = _figure(4.8 * len(samples), 3.6, len(samples))
    axes = np.atleast_1d(axes)
    colours = {"default": "#c44e52", "non_default": "#4c72b0"}
    for ax, s in zip(axes, samples, strict=True):
        t = table if s is None else table[table["sample"] == s]
        for cls, g in t.groupby("class", sort=False):
            lo = g["bin_low"].to_numpy(dtype=float)
            hi = g["bin_high"].to_numpy(dtype=float)
            width = np.where(hi > lo, hi - lo, 1.0)
            # share / width: a density, so that wide (quantile) bins do not look taller
            ax.bar(
                lo,
                g["share"].to_numpy(dtype=float) / width,
                width=width,
                align="edge",
                alpha=0.5,
                color=colours.get(str(cls)),
                label=str(cls).replace("_", "-"),
            )
        ax.set_xlabel(label)
        ax.set_ylabel("density (share of the class / bin width)")
        ax.set_title("Score by class" + (f": {s}" if s is not None else ""))
        ax.legend(fontsize=8)
    return fig
