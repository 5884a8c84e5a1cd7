"""Fairness of lending models: fairness IV with bias-aware bounds, and the MILP frontier.

:class:`FairnessFrontier` is loaded on first use (it imports PuLP).
"""

from typing import TYPE_CHECKING

from infodiv.fairness._approval import AlternativesResult, ApprovalMetrics, approval_metrics
from infodiv.fairness._protected import (
    ProtectedDivergence,
    dp_bound,
    group_comparisons,
    protected_divergence,
    protected_groups,
)

if TYPE_CHECKING:  # for type checkers and the API docs; loaded lazily below
    from infodiv.fairness._frontier import FairnessFrontier, FrontierPoint, FrontierResult

__all__ = [
    "AlternativesResult",
    "ApprovalMetrics",
    "FairnessFrontier",
    "FrontierPoint",
    "FrontierResult",
    "ProtectedDivergence",
    "approval_metrics",
    "dp_bound",
    "group_comparisons",
    "protected_divergence",
    "protected_groups",
]


def __getattr__(name: str):  # the frontier imports PuLP: loaded on first use only
    if name in ("FairnessFrontier", "FrontierPoint", "FrontierResult"):
        from infodiv.fairness import _frontier

        return getattr(_frontier, name)
    raise AttributeError(f"module 'infodiv.fairness' has no attribute {name!r}")
