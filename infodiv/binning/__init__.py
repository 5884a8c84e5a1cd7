"""Learning bins: :class:`StumpBinner` (depth-1 XGBoost stumps) and candidate binnings.

The binner is split by role: ``_rules`` (how many bins: ``max_bins`` rules and the histogram
size), ``_columns`` (a column prepared and compressed for the stumps), ``_xgb`` (booster
parameters, training, the device used), ``_merge`` (from thresholds to final bins) and
``_stump`` (the estimator).
"""

from infodiv.binning._candidates import (
    CandidateGenerator,
    Candidates,
    FixedCandidates,
    QuantileCandidates,
    StumpCandidates,
    as_generator,
)
from infodiv.binning._crossfit import crossfit_counts, crossfit_iv_test
from infodiv.binning._rules import MAX_BINS_RULES, auto_n_cells, resolve_max_bins
from infodiv.binning._stump import StumpBinner
from infodiv.binning._xgb import booster_device
from infodiv.exceptions import DeviceFallbackWarning

__all__ = [
    "Candidates",
    "DeviceFallbackWarning",
    "MAX_BINS_RULES",
    "CandidateGenerator",
    "FixedCandidates",
    "QuantileCandidates",
    "StumpBinner",
    "StumpCandidates",
    "as_generator",
    "auto_n_cells",
    "crossfit_counts",
    "crossfit_iv_test",
    "booster_device",
    "resolve_max_bins",
]
