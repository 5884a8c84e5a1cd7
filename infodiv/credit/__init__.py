"""The credit layer: WoE tables and IV, PSI, the WoE encoder, scorecards and their metrics."""

from infodiv.credit._compare import (
    EncodingComparison,
    calibration_summary,
    compare_encodings,
    ks_statistic,
)
from infodiv.credit._metrics import AUCResult, auc, auc_difference, roc_auc
from infodiv.credit._psi import (
    PSIResult,
    psi,
    psi_by_period,
    psi_from_counts,
    psi_summary,
    traffic_light,
)
from infodiv.credit._scorecard import Scorecard
from infodiv.credit._woe import WoETable, iv_from_counts, iv_summary, woe_table, woe_tables
from infodiv.credit._woe_encoder import WoEEncoder
from infodiv.credit._woe_tables import LazyWoETables, woe_and_iv

__all__ = [
    "roc_auc",
    "AUCResult",
    "EncodingComparison",
    "LazyWoETables",
    "PSIResult",
    "Scorecard",
    "WoEEncoder",
    "WoETable",
    "auc",
    "auc_difference",
    "calibration_summary",
    "compare_encodings",
    "iv_from_counts",
    "iv_summary",
    "ks_statistic",
    "psi",
    "psi_by_period",
    "psi_from_counts",
    "psi_summary",
    "traffic_light",
    "woe_table",
    "woe_tables",
    "woe_and_iv",
]
