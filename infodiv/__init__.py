"""infodiv: information divergences with honest standard errors.

The data flow is one-way, and the subpackages follow it: a frame -> bins -> a count table ->
the divergence engine (:mod:`infodiv.core`); count tables where the data lives
(:mod:`infodiv.scale`); learned bins (:mod:`infodiv.binning`); WoE, IV, PSI and scorecards
(:mod:`infodiv.credit`); fairness (:mod:`infodiv.fairness`); causal bounds
(:mod:`infodiv.causal`); sample size (:mod:`infodiv.sample_size`); plots
(:mod:`infodiv.plotting`); the report (:mod:`infodiv.reporting`) and the command line.
This module is the front door: the names a first use needs.
"""

import importlib.metadata

from infodiv.binning import StumpBinner
from infodiv.core import (
    DIVERGENCES,
    CountTable,
    DivergenceResult,
    FeatureBins,
    Generator,
    divergence,
    infer_bins,
    quantile_edges,
)
from infodiv.credit import (
    PSIResult,
    Scorecard,
    WoEEncoder,
    WoETable,
    iv_from_counts,
    iv_summary,
    psi,
    psi_by_period,
    psi_from_counts,
    psi_summary,
    woe_table,
    woe_tables,
)
from infodiv.datasets import (
    load_german_credit,
    load_lalonde,
    load_simucredit,
    load_simucredit_v2,
    load_taiwan_credit,
)
from infodiv.fairness import ProtectedDivergence, protected_divergence
from infodiv.sample_size import ExponentialFamily, PNCriterion, data_starved, max_affordable_bins

try:
    __version__ = importlib.metadata.version("infodiv")
except importlib.metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

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
        from infodiv.fairness import FairnessFrontier

        return FairnessFrontier
    raise AttributeError(f"module 'infodiv' has no attribute {name!r}")
