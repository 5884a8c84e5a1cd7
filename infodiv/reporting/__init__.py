"""The reports (HTML, Markdown, JSON) that ``infodiv report`` and ``infodiv validate`` write."""

from infodiv.reporting._build import (
    build_report,
    holdout_metrics,
    prepare_frame,
    woe_table_with_edges,
)
from infodiv.reporting._format import (
    format_count,
    format_estimate,
    format_interval,
    format_percent,
    format_pvalue,
)
from infodiv.reporting._meta import run_metadata, sha256_file
from infodiv.reporting._schema import schema, schema_path, validate_json
from infodiv.reporting._summary import SUMMARY_COLUMNS, summary_row, summary_table
from infodiv.reporting._validation import build_validation_report
from infodiv.reporting._writer import (
    SCHEMA_VERSION,
    Report,
    Section,
    figure_png,
    format_table,
    snake,
    table_json,
)

__all__ = [
    "SCHEMA_VERSION",
    "SUMMARY_COLUMNS",
    "Report",
    "Section",
    "build_report",
    "build_validation_report",
    "figure_png",
    "format_count",
    "format_estimate",
    "format_interval",
    "format_percent",
    "format_pvalue",
    "format_table",
    "holdout_metrics",
    "prepare_frame",
    "run_metadata",
    "schema",
    "schema_path",
    "sha256_file",
    "snake",
    "summary_row",
    "summary_table",
    "table_json",
    "validate_json",
    "woe_table_with_edges",
]
