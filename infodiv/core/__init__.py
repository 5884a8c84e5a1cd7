"""The core of infodiv: bins, the mergeable count table, the divergence engine, results.

Data flows one way: a frame -> :class:`FeatureBins` -> a :class:`CountTable` ->
:func:`divergence` -> a :class:`DivergenceResult`. Every other layer builds on these names.
"""

from infodiv.core._bins import (
    UNSEEN,
    UNSEEN_LABEL,
    FeatureBins,
    check_bins,
    check_no_inf,
    frame_bins,
    infer_bins,
    integer_values,
    is_categorical,
    is_plain_number,
    is_text,
    is_time,
    numeric_array,
    quantile_edges,
    time_kind,
    unseen_label,
)
from infodiv.core._codes import right_codes
from infodiv.core._counts import STATS, CountTable, warn_unseen_rows
from infodiv.core._divergence import (
    DIVERGENCES,
    DivergenceResult,
    Generator,
    divergence,
    get_generator,
    ncx2_interval,
)
from infodiv.core._results import (
    SUMMARY_COLUMNS,
    ConfidenceInterval,
    ResultBase,
    order_columns,
    summarize,
)
from infodiv.core._thin import MC_PER_BIN, THIN_PER_BIN, affordable_bins

__all__ = [
    "MC_PER_BIN",
    "THIN_PER_BIN",
    "affordable_bins",
    "STATS",
    "is_categorical",
    "is_plain_number",
    "is_text",
    "is_time",
    "time_kind",
    "numeric_array",
    "check_no_inf",
    "check_bins",
    "DIVERGENCES",
    "UNSEEN",
    "UNSEEN_LABEL",
    "unseen_label",
    "warn_unseen_rows",
    "CountTable",
    "DivergenceResult",
    "FeatureBins",
    "Generator",
    "ResultBase",
    "SUMMARY_COLUMNS",
    "ConfidenceInterval",
    "summarize",
    "order_columns",
    "divergence",
    "frame_bins",
    "get_generator",
    "infer_bins",
    "integer_values",
    "ncx2_interval",
    "quantile_edges",
    "right_codes",
]
