"""Sample size: the p-n criterion for exponential families, and how many bins a feature affords.

Modules, in the order the data flow through them: ``_tensors`` (sample moments and cumulant
tensors), ``_expansion`` (the risk ``c1/n + c2/n^2`` from cumulants), ``_families`` (the built-in
families) and ``_custom_family`` (:class:`ExponentialFamily`), ``_criterion``
(:class:`PNCriterion` and its :class:`PNResult`), ``_bridge`` (affordable bins and data-starved
IV/PSI estimates). The plot is :func:`infodiv.plotting.plot_risk`.
"""

from infodiv.sample_size._bridge import (
    DataStarvedResult,
    data_starved,
    data_starved_summary,
    max_affordable_bins,
)
from infodiv.sample_size._criterion import PNCriterion, PNResult
from infodiv.sample_size._custom_family import ExponentialFamily
from infodiv.sample_size._expansion import categorical_coefficients, n_required, risk_coefficients
from infodiv.sample_size._families import FAMILIES

__all__ = [
    "FAMILIES",
    "DataStarvedResult",
    "ExponentialFamily",
    "PNCriterion",
    "PNResult",
    "categorical_coefficients",
    "data_starved",
    "data_starved_summary",
    "max_affordable_bins",
    "n_required",
    "risk_coefficients",
]
