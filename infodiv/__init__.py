"""infodiv: information divergences with honest standard errors.

The data flow is one-way: a frame -> bins (:mod:`infodiv.bins`) -> a count table
(:mod:`infodiv.counts`) -> the divergence engine (:mod:`infodiv.divergence`) -> results and
the credit layers (:mod:`infodiv.woe`, :mod:`infodiv.psi`). Causal bounds under unmeasured
confounding live in :mod:`infodiv.causal` (imported on demand: it needs scikit-learn).
"""

from infodiv.bins import FeatureBins, infer_bins, quantile_edges
from infodiv.counts import CountTable
from infodiv.datasets import (
    load_german_credit,
    load_lalonde,
    load_simucredit,
    load_simucredit_v2,
    load_taiwan_credit,
)
from infodiv.divergence import DIVERGENCES, DivergenceResult, Generator, divergence
from infodiv.fairness import ProtectedDivergence, protected_divergence
from infodiv.psi import PSIResult, psi, psi_by_period, psi_from_counts, psi_summary
from infodiv.sample_size import ExponentialFamily, PNCriterion, data_starved, max_affordable_bins
from infodiv.scorecard import Scorecard
from infodiv.stump_binning import StumpBinner
from infodiv.woe import WoETable, iv_from_counts, iv_summary, woe_table, woe_tables
from infodiv.woe_encoder import WoEEncoder

__version__ = "0.1.0"

__all__ = [
    "CountTable",
    "DIVERGENCES",
    "DivergenceResult",
    "ExponentialFamily",
    "FairnessFrontier",
    "FeatureBins",
    "Generator",
    "PNCriterion",
    "PSIResult",
    "ProtectedDivergence",
    "Scorecard",
    "StumpBinner",
    "WoEEncoder",
    "WoETable",
    "data_starved",
    "divergence",
    "infer_bins",
    "iv_from_counts",
    "iv_summary",
    "load_german_credit",
    "load_lalonde",
    "load_simucredit",
    "load_simucredit_v2",
    "load_taiwan_credit",
    "max_affordable_bins",
    "protected_divergence",
    "psi",
    "psi_by_period",
    "psi_from_counts",
    "psi_summary",
    "quantile_edges",
    "woe_table",
    "woe_tables",
]


def __getattr__(name: str):  # the frontier imports PuLP: loaded on first use only
    if name == "FairnessFrontier":
        from infodiv.fairness_frontier import FairnessFrontier

        return FairnessFrontier
    raise AttributeError(f"module 'infodiv' has no attribute {name!r}")
