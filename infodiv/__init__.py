"""infodiv: information divergences with honest standard errors.

The data flow is one-way: a frame -> bins (:mod:`infodiv.bins`) -> a count table
(:mod:`infodiv.counts`) -> the divergence engine (:mod:`infodiv.divergence`) -> results and
the credit layers (:mod:`infodiv.woe`, :mod:`infodiv.psi`). Causal bounds under unmeasured
confounding live in :mod:`infodiv.causal` (imported on demand: it needs scikit-learn).
"""

from infodiv.bins import FeatureBins, infer_bins, quantile_edges
from infodiv.counts import CountTable
from infodiv.datasets import load_german_credit, load_lalonde, load_taiwan_credit
from infodiv.divergence import DIVERGENCES, DivergenceResult, Generator, divergence
from infodiv.psi import PSIResult, psi, psi_summary
from infodiv.woe import WoETable, iv_summary, woe_table, woe_tables

__version__ = "0.1.0"

__all__ = [
    "CountTable",
    "DIVERGENCES",
    "DivergenceResult",
    "FeatureBins",
    "Generator",
    "PSIResult",
    "WoETable",
    "divergence",
    "infer_bins",
    "iv_summary",
    "load_german_credit",
    "load_lalonde",
    "load_taiwan_credit",
    "psi",
    "psi_summary",
    "quantile_edges",
    "woe_table",
    "woe_tables",
]
