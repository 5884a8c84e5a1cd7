"""Learning bins: :class:`StumpBinner` (depth-1 XGBoost stumps) and candidate binnings."""

from infodiv.binning._candidates import (
    CandidateGenerator,
    Candidates,
    FixedCandidates,
    QuantileCandidates,
    StumpCandidates,
    as_generator,
)
from infodiv.binning._stump import (
    MAX_BINS_RULES,
    LazyWoETables,
    StumpBinner,
    auto_max_bin,
    bin_codes,
    booster_device,
    resolve_max_bins,
    woe_and_iv,
)

__all__ = [
    "Candidates",
    "woe_and_iv",
    "bin_codes",
    "LazyWoETables",
    "MAX_BINS_RULES",
    "CandidateGenerator",
    "FixedCandidates",
    "QuantileCandidates",
    "StumpBinner",
    "StumpCandidates",
    "as_generator",
    "auto_max_bin",
    "booster_device",
    "resolve_max_bins",
]
