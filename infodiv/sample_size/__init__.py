"""Sample size: the p-n criterion for exponential families, and how many bins a feature affords."""

from infodiv.sample_size._pn import (
    FAMILIES,
    DataStarvedResult,
    ExponentialFamily,
    PNCriterion,
    categorical_coefficients,
    data_starved,
    data_starved_summary,
    max_affordable_bins,
    n_required,
    plot_risk,
    risk_coefficients,
)

__all__ = [
    "FAMILIES",
    "DataStarvedResult",
    "ExponentialFamily",
    "PNCriterion",
    "categorical_coefficients",
    "data_starved",
    "data_starved_summary",
    "max_affordable_bins",
    "n_required",
    "plot_risk",
    "risk_coefficients",
]
