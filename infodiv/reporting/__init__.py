"""The report (HTML, Markdown, JSON) that the ``infodiv report`` command writes."""

from infodiv.reporting._build import build_report, holdout_metrics, prepare_frame
from infodiv.reporting._writer import Report, Section, figure_png

__all__ = ["Report", "Section", "build_report", "figure_png", "holdout_metrics", "prepare_frame"]
