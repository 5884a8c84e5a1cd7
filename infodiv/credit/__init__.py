"""The credit layer: WoE tables and IV, PSI, the WoE encoder, scorecards and their metrics."""

from infodiv.credit._compare import EncodingComparison, compare_encodings
from infodiv.credit._metrics import (
    AUCDifference,
    AUCResult,
    Calibration,
    auc,
    auc_difference,
    calibration_summary,
    holdout_metrics,
    ks_statistic,
)
from infodiv.credit._psi import (
    PSIResult,
    psi,
    psi_by_period,
    psi_from_counts,
    psi_summary,
    traffic_light,
)
from infodiv.credit._scorecard import Scorecard, ScorecardResult
from infodiv.credit._woe import (
    LazyWoETables,
    WoETable,
    iv_from_counts,
    iv_summary,
    woe_from_result,
    woe_table,
    woe_tables,
)
from infodiv.credit._woe_encoder import WoEEncoder

__all__ = [
    "AUCDifference",
    "AUCResult",
    "Calibration",
    "EncodingComparison",
    "LazyWoETables",
    "PSIResult",
    "Scorecard",
    "ScorecardResult",
    "WoEEncoder",
    "WoETable",
    "auc",
    "auc_difference",
    "calibration_summary",
    "compare_encodings",
    "holdout_metrics",
    "iv_from_counts",
    "iv_summary",
    "ks_statistic",
    "psi",
    "psi_by_period",
    "psi_from_counts",
    "psi_summary",
    "traffic_light",
    "woe_from_result",
    "woe_table",
    "woe_tables",
]
