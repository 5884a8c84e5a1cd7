"""Plots of the fairness results: fairness IVs by feature, and the fairness frontier.

matplotlib is imported inside each function, never at import time; each returns the
``Figure`` and never shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np
from sklearn.utils.validation import check_is_fitted

from infodiv.exceptions import InvalidParameterError

if TYPE_CHECKING:
    import pandas as pd

    from infodiv.fairness import FairnessFrontier, ProtectedDivergence

__all__ = ["plot_fairness", "plot_frontier"]


def plot_fairness(
    result: ProtectedDivergence, ax: Any = None, comparison: str | None = None
) -> Any:
    """Bar chart of the fairness IVs of one comparison with CIs and upper bounds.

    Parameters
    ----------
    result : ProtectedDivergence
        From :func:`infodiv.fairness.protected_divergence`.
    ax : matplotlib Axes, optional
        Where to draw the bars (a new figure otherwise).
    comparison : str, optional
        Label of the comparison to show (default: the first, e.g. ``"0 vs 1"``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding ``ax``.
    """
    import matplotlib.pyplot as plt

    comp = comparison or result.comparisons[0][0]
    if comp not in result.fairness.index.get_level_values(0):
        raise InvalidParameterError(
            f"comparison must be one of {[c[0] for c in result.comparisons]}; got {comp!r}"
        )
    # fairness has a (comparison, feature) MultiIndex: .loc[comp] is a DataFrame
    t = cast("pd.DataFrame", result.fairness.loc[comp]).sort_values("fairness_iv")
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 0.35 * len(t) + 1.2))
    else:
        fig = ax.figure
    y = np.arange(len(t))
    err = np.vstack([t["fairness_iv"] - t["ci_low"], t["ci_high"] - t["fairness_iv"]])
    ax.barh(
        y,
        t["fairness_iv"],
        xerr=np.clip(err, 0, None),
        color="tab:blue",
        alpha=0.7,
        label="fairness IV with CI",
    )
    ax.scatter(
        t["upper_bound"],
        y,
        marker="|",
        s=200,
        color="tab:red",
        label=f"{100 * (1 - result.alpha):g}% upper bound",
    )
    ax.set_yticks(y, t.index)
    ax.set_xlabel(f"Jeffreys divergence between groups ({comp})")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def plot_frontier(frontier: FairnessFrontier, axes: Any = None) -> Any:
    """The frontier: held-out score IV against the score's fairness IV, and AUC by budget.

    Error bars are the CIs (``alpha``); filled markers are proven optimal points, crosses
    points that are not; the unconstrained point is labelled 0.

    Parameters
    ----------
    frontier : FairnessFrontier
        A fitted frontier.
    axes : sequence of two matplotlib Axes, optional
        Where to draw the two panels (a new 1 x 2 figure otherwise).

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the axes.
    """
    import matplotlib.pyplot as plt

    check_is_fitted(frontier, "frontier_")
    fr = frontier.frontier_.dropna(subset=["score_iv"])
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    else:
        fig = np.ravel(axes)[0].figure
    ax1, ax2 = np.ravel(axes)[:2]
    opt = fr["proven_optimal"].to_numpy(dtype=bool)
    for mask, style, lab in (
        (opt, dict(fmt="o", color="tab:blue"), "proven optimal"),
        (~opt, dict(fmt="x", color="tab:red"), "not proven optimal"),
    ):
        if not mask.any():
            continue
        f = fr[mask]
        ax1.errorbar(
            f["fairness_iv"],
            f["score_iv"],
            xerr=np.clip(
                [
                    f["fairness_iv"] - f["fairness_iv_ci_low"],
                    f["fairness_iv_ci_high"] - f["fairness_iv"],
                ],
                0,
                None,
            ),
            yerr=np.clip(
                [f["score_iv"] - f["score_iv_ci_low"], f["score_iv_ci_high"] - f["score_iv"]],
                0,
                None,
            ),
            capsize=3,
            label=lab,
            **style,
        )
        ax1.scatter(f["fairness_upper_bound"], f["score_iv"], marker="|", s=120, color="0.4")
    # points with the same selection sit on top of each other: one label "2-5" for them
    groups: dict[tuple[float, float], list[int]] = {}
    for _, r in fr.iterrows():
        key = (round(float(r["fairness_iv"]), 12), round(float(r["score_iv"]), 12))
        groups.setdefault(key, []).append(int(r["point"]))
    for (x, yv), pts in groups.items():
        run = pts == list(range(pts[0], pts[-1] + 1))
        label = f"{pts[0]}-{pts[-1]}" if run and len(pts) > 2 else ",".join(map(str, pts))
        ax1.annotate(label, (x, yv), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax1.set_xlabel(
        "held-out fairness IV of the score (Jeffreys between groups)\n| = one-sided upper bound"
    )
    ax1.set_ylabel("held-out score IV")
    ax1.legend(loc="lower right", fontsize=8)
    col = (
        "score_gap_budget"
        if frontier.budget != "feature_divergence"
        else "feature_divergence_budget"
    )
    reach = frontier.reach_["score_gap" if col == "score_gap_budget" else "feature_divergence"]
    xb = fr[col].fillna(reach).to_numpy(dtype=float)
    ax2.errorbar(
        xb,
        fr["auc"],
        yerr=np.clip([fr["auc"] - fr["auc_ci_low"], fr["auc_ci_high"] - fr["auc"]], 0, None),
        fmt="o-",
        capsize=3,
        color="tab:green",
    )
    for x, (_, r) in zip(xb, fr.iterrows(), strict=True):
        ax2.annotate(
            str(int(r["point"])),
            (x, r["auc"]),
            textcoords="offset points",
            xytext=(4, -10),
            fontsize=8,
        )
    ax2.set_xlabel(f"budget ({col.replace('_budget', '')}; point 0 unconstrained)")
    ax2.set_ylabel("held-out AUC")
    fig.tight_layout()
    return fig
