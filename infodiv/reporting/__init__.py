"""The report (HTML, Markdown, JSON) that the ``infodiv report`` command writes."""

from infodiv.reporting._build import build_report, holdout_metrics, prepare_frame
from infodiv.reporting._writer import Report, Section, figure_png, format_table

__all__ = [
    "Report",
    "Section",
    "build_report",
    "figure_png",
    "format_table",
    "holdout_metrics",
    "prepare_frame",
]
