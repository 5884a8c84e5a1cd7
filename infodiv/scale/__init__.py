"""Count tables and bin edges where the data lives: pandas, Polars, DuckDB, Spark and Dask."""

from infodiv.scale._cells import fine_cells
from infodiv.scale._count_table import count_table
from infodiv.scale._edges import (
    approx_quantile_edges,
    coarse_bins,
    fit_bins_at_scale,
    merge_bins,
    sample_rows,
)
from infodiv.scale._frames import engine_name, times_as_ns, to_lazy

__all__ = [
    "approx_quantile_edges",
    "coarse_bins",
    "count_table",
    "engine_name",
    "fine_cells",
    "fit_bins_at_scale",
    "merge_bins",
    "sample_rows",
    "times_as_ns",
    "to_lazy",
]
